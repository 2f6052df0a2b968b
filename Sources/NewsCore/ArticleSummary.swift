import Foundation

/// What a feed shows of an article: rubric, photo with credit, headline, teaser and time.
public struct ArticleSummary: Sendable, Equatable {
    public var id: Int64
    public var slug: String
    public var title: String
    /// The teaser, or the lede when the article has no teaser.
    public var teaser: String
    public var publishedAt: Date
    public var featured: Bool
    public var breaking: Bool
    public var rubric: Rubric?
    public var cover: Media?

    /// Creates a summary.
    public init(
        id: Int64, slug: String, title: String, teaser: String, publishedAt: Date, featured: Bool = false,
        breaking: Bool = false, rubric: Rubric? = nil, cover: Media? = nil
    ) {
        self.id = id
        self.slug = slug
        self.title = title
        self.teaser = teaser
        self.publishedAt = publishedAt
        self.featured = featured
        self.breaking = breaking
        self.rubric = rubric
        self.cover = cover
    }

    /// The feed position just after this item.
    public var cursor: FeedCursor { FeedCursor(publishedMillis: publishedAt.millisecondsSince1970, id: id) }
}

/// An article with everything its page shows, resolved from ids.
public struct ArticleDetail: Sendable, Equatable {
    public var article: Article
    public var rubric: Rubric?
    public var tags: [Tag]
    public var bylines: [Author]
    public var cover: Media?
    /// Media referred to by image blocks, by id.
    public var media: [Int64: Media]
    /// Articles referred to by "read also" blocks, by id (only those a reader may see).
    public var related: [Int64: ArticleSummary]

    /// Creates a detail.
    public init(
        article: Article, rubric: Rubric? = nil, tags: [Tag] = [], bylines: [Author] = [], cover: Media? = nil,
        media: [Int64: Media] = [:], related: [Int64: ArticleSummary] = [:]
    ) {
        self.article = article
        self.rubric = rubric
        self.tags = tags
        self.bylines = bylines
        self.cover = cover
        self.media = media
        self.related = related
    }
}

/// Which articles a feed lists.
public enum FeedScope: Sendable, Equatable, Hashable {
    case all
    /// A rubric's stories and those of the rubrics under it (``RubricTree/family(of:)``).
    case rubric([Int64])
    case tag(Int64)
    case author(Int64)
}

/// One page of a feed and where the next one starts (`nil` at the end).
public struct FeedPage: Sendable, Equatable {
    public var items: [ArticleSummary]
    public var next: FeedCursor?

    /// Creates a page.
    public init(items: [ArticleSummary], next: FeedCursor?) {
        self.items = items
        self.next = next
    }
}
