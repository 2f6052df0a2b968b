import Foundation
import NewsCore

/// An RSS 2.0 feed: the newest published stories of the whole paper or of one rubric, tag or author, each with
/// its full text (or only its teaser, as the site chooses), cover photo and credit, rubric and tags as categories,
/// and every byline.
struct RSSFeed: Sendable {
    var subject: ListingPage.Subject
    var items: [ArticleDetail]
    var site: SiteInfo
    var now: Date
    /// Whole stories in `content:encoded`, or teasers only.
    var fullText: Bool

    /// Items in a feed.
    static let size = 20

    /// The feed's own address.
    var url: SiteURL { subject.rss }

    var surrogateKeys: [String] { subject.surrogateKeys }

    var lastModified: Date? { items.first?.article.publishedAt }
}

extension ListingPage.Subject {
    /// The subject's RSS feed.
    var rss: SiteURL {
        switch self {
        case .news: .rss
        case .rubric(let rubric, _): .rubricRSS(slug: rubric.slug)
        case .tag(let tag): .tagRSS(slug: tag.slug)
        case .author(let author, _): .authorRSS(slug: author.slug)
        }
    }
}
