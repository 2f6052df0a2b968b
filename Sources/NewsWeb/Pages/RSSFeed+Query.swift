import Foundation
import NewsCore
import NewsData

extension RSSFeed {
    /// The subject's newest published stories (one query for the page, then ``ArticleRepository/details(ids:)``).
    static func query(_ subject: ListingPage.Subject, web: WebEnvironment, now: Date) async throws -> RSSFeed {
        async let loading = web.site()
        let page = try await web.articles.feed(subject.scope, limit: size, now: now)
        let items = try await web.articles.details(ids: page.items.map(\.id))
        let site = try await loading
        return RSSFeed(subject: subject, items: items, site: site, now: now, fullText: site.feedFullText)
    }
}
