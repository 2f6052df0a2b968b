import Foundation
import NewsCore
import NewsData

extension HomePage {
    /// Two queries (featured stories, the latest news), the site's name and menu and the most-read list from
    /// memory.
    static func query(web: WebEnvironment, now: Date) async throws -> HomePage {
        async let site = web.site()
        async let featured = web.articles.featured(limit: featuredCount, now: now)
        async let latest = web.articles.feed(.all, limit: web.settings.pageSize, now: now)
        async let mostRead = web.mostRead.current(now: now)
        return HomePage(
            featured: try await featured, latest: try await latest, mostRead: try await mostRead,
            site: try await site, now: now)
    }
}
