import Foundation
import NewsCore
import NewsData

extension ArticlePage {
    /// What a reader finds at `/news/slug`.
    enum Lookup {
        case page(ArticlePage)
        /// The story's address changed: its current slug.
        case moved(String)
        /// Unpublished: 410.
        case gone
        case notFound
    }

    /// The page at `slug` as a reader may see it at `now`: only a published story whose time has come. Three
    /// queries (the story with its rubric and cover, its tags and bylines, "Читайте також"); the redirect table only
    /// when no story has the slug; the most-read list and, unless the news changed, the latest news from memory.
    static func query(slug: String, web: WebEnvironment, now: Date) async throws -> Lookup {
        // One after another: the site, the latest news and the most-read list come from memory (a database read
        // only when a change dropped them), and a child task for each cost more than the reads they overlapped.
        guard let detail = try await web.articles.detail(slug: slug, now: now) else {
            // A published story whose address changed keeps its old one as a permanent redirect.
            if let current = try await web.newsroom.redirect(from: slug) { return .moved(current) }
            return .notFound
        }
        if detail.article.status == .unpublished { return .gone }
        guard detail.article.isPublic(at: now) else { return .notFound }
        let related = try await web.articles.related(to: detail.article, now: now)
        return .page(
            ArticlePage(
                detail: detail, latestColumn: try await LatestColumn.current(web: web, now: now), related: related,
                mostRead: try await web.mostRead.current(now: now), site: try await web.site(), now: now))
    }

    /// The editor's preview of `article` as saved, whatever its status: the page it has, or will have, when
    /// published (now, if it has no publication time yet).
    static func preview(of article: Article, web: WebEnvironment, now: Date) async throws -> ArticlePage {
        var shown = article
        if shown.publishedAt == nil { shown.publishedAt = now }
        async let site = web.site()
        async let latest = LatestColumn.current(web: web, now: now)
        async let mostRead = web.mostRead.current(now: now)
        let detail = try await web.articles.detail(of: shown, now: now)
        let related = try await web.articles.related(to: shown, now: now)
        return ArticlePage(
            detail: detail, latestColumn: try await latest, related: related, mostRead: try await mostRead,
            site: try await site, now: now)
    }
}
