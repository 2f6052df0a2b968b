import Foundation

/// What one write changed, as every subscriber needs to know it: which article, its slug and status before and
/// after, the rubrics, tags and authors it belonged to (before or after), and the public addresses and surrogate
/// keys of the pages that show it. Written to the outbox in the same transaction as the change.
public struct ChangeEvent: Sendable, Equatable, Codable {
    /// What happened.
    public enum Action: String, Sendable, Codable {
        case created, saved, moved
        case publishedOnSchedule = "published_on_schedule"
    }

    /// Who made the change.
    public enum Source: String, Sendable, Codable {
        case newsroom, scheduler, `import`
    }

    /// The outbox's order; `nil` before it is stored.
    public var id: Int64?
    public var at: Date
    public var action: Action
    public var source: Source
    public var userID: Int64?
    public var articleID: Int64
    public var oldSlug: String?
    public var newSlug: String
    public var oldStatus: ArticleStatus?
    public var newStatus: ArticleStatus
    /// Rubrics, tags and authors of the article before and after the change (their pages may list it).
    public var rubricIDs: [Int64]
    public var tagIDs: [Int64]
    public var authorIDs: [Int64]
    /// Public paths whose pages may show the change.
    public var urls: [String]
    /// Surrogate keys of the pages that show the change, as pages name themselves in `Surrogate-Key`:
    /// `article-ID`, `rubric-ID`, `tag-ID`, `author-ID` and `feed` (the home page, `/news` and the running feed
    /// beside every article). Empty when the story was and is not public.
    public var keys: [String]

    /// The event of a write that turned `before` (nil for a new article) into `after`. Its `urls` name the
    /// article's own pages; the outbox adds those of its rubric, tag and author pages, whose slugs only the
    /// database knows.
    public init(action: Action, source: Source, userID: Int64?, before: Article?, after: Article, at: Date) {
        self.at = at
        self.action = action
        self.source = source
        self.userID = userID
        self.articleID = after.id ?? 0
        self.oldSlug = before?.slug
        self.newSlug = after.slug
        self.oldStatus = before?.status
        self.newStatus = after.status
        func union(_ a: [Int64], _ b: [Int64]) -> [Int64] { Array(Set(a + b)).sorted() }
        rubricIDs = union(before?.rubricID.map { [$0] } ?? [], after.rubricID.map { [$0] } ?? [])
        tagIDs = union(before?.tagIDs ?? [], after.tagIDs)
        authorIDs = union(before?.bylineIDs ?? [], after.bylineIDs)
        // Only a story that is or was public touches public pages: a draft's saves touch none.
        guard before?.status == .published || after.status == .published else {
            urls = []
            keys = []
            return
        }
        var paths = ["/", "/news", "/news/" + after.slug]
        if let old = before?.slug, old != after.slug { paths.append("/news/" + old) }
        urls = paths
        keys =
            ["article-\(articleID)", "feed"] + rubricIDs.map { "rubric-\($0)" } + tagIDs.map { "tag-\($0)" }
            + authorIDs.map { "author-\($0)" }
    }
}
