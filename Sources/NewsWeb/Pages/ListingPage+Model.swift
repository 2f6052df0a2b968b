import Foundation
import NewsCore

/// A feed page: all the news, or a rubric's, a tag's or an author's stories, newest first, one page at a time
/// ("показати більше" asks for the next, whole or as a fragment for the page's script).
struct ListingPage: Sendable {
    /// Whose stories the page lists.
    enum Subject: Sendable {
        case news
        /// A rubric, with the ids of the rubrics whose stories it lists: its own and those under it.
        case rubric(Rubric, family: [Int64])
        case tag(Tag)
        case author(Author, photo: Media?)
    }

    var subject: Subject
    /// Where this page starts (`nil`: the first page).
    var cursor: FeedCursor?
    var page: FeedPage
    /// The column of the latest news beside a rubric's, tag's or author's stories, rendered (``LatestColumn``);
    /// `nil` on the news itself, in a "show more" fragment and when there are no stories.
    var latestColumn: String?
    /// How many stories a rubric, tag or author has (`nil` on the news itself and in a fragment).
    var total: Int?
    var site: SiteInfo
    var now: Date

    var scope: FeedScope { subject.scope }

    /// The address of the subject's first page.
    var base: SiteURL { subject.base }

    /// This page's own address.
    var path: String { cursor.map { base.path(after: $0) } ?? base.path }

    var surrogateKeys: [String] { subject.surrogateKeys + (latestColumn == nil ? [] : ["feed"]) }

    var lastModified: Date? { page.items.first?.publishedAt }
}

extension ListingPage.Subject {
    /// What a change to the subject's stories evicts.
    var surrogateKeys: [String] {
        switch self {
        case .news: ["feed"]
        case .rubric(_, let family): family.map { "rubric-\($0)" }
        case .tag(let tag): ["tag-\(tag.id ?? 0)"]
        case .author(let author, _): ["author-\(author.id ?? 0)"]
        }
    }

    /// The stories listed.
    var scope: FeedScope {
        switch self {
        case .news: .all
        case .rubric(_, let family): .rubric(family)
        case .tag(let tag): .tag(tag.id ?? 0)
        case .author(let author, _): .author(author.id ?? 0)
        }
    }

    /// The address of the subject's first page.
    var base: SiteURL {
        switch self {
        case .news: .news
        case .rubric(let rubric, _): .rubric(slug: rubric.slug)
        case .tag(let tag): .tag(slug: tag.slug)
        case .author(let author, _): .author(slug: author.slug)
        }
    }
}
