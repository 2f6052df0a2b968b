import Foundation
import NewsCore
import NewsData

extension HomePage {
    /// Two queries (featured stories, the latest news), the site's name and menu from memory.
    static func query(web: WebEnvironment, now: Date) async throws -> HomePage {
        async let site = web.site()
        async let featured = web.articles.featured(limit: featuredCount, now: now)
        async let latest = web.articles.feed(.all, limit: web.settings.pageSize, now: now)
        return HomePage(featured: try await featured, latest: try await latest, site: try await site, now: now)
    }
}
