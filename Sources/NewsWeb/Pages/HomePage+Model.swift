import Foundation
import NewsCore

/// The front page: the top story, the other featured ones, and the latest news.
struct HomePage: Sendable {
    /// Featured stories, newest first; the first is the top story.
    var featured: [ArticleSummary]
    var latest: FeedPage
    /// "Найпопулярніше": the stories most read in the last 24 hours.
    var mostRead: [ArticleSummary] = []
    var site: SiteInfo
    var now: Date

    /// How many featured stories the page shows (the top one and four more).
    static let featuredCount = 5

    var surrogateKeys: [String] { ["home", "feed", MostRead.key] + featured.map { "article-\($0.id)" } }

    var lastModified: Date? { latest.items.first?.publishedAt }
}
