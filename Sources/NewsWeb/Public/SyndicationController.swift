import Foundation
import Hummingbird
import NewsCore
import NewsData

/// What machines read: RSS feeds, sitemaps and robots.txt. Registered with the reader's pages, so they are cached
/// and evicted by the same change events.
struct SyndicationController<Context: RequestContext> {
    let web: WebEnvironment

    static var rssType: String { "application/rss+xml; charset=utf-8" }
    static var xmlType: String { "application/xml; charset=utf-8" }

    func addRoutes(to router: some RouterMethods<Context>) {
        router.get(SiteURL.Pattern.rss) { request, _ in try await rss(request, .news) }
        router.get(SiteURL.Pattern.rubricRSS) { request, context in
            try await rss(request, try await subject(ListingPage.rubric(slug: try slug(context), web: web)))
        }
        router.get(SiteURL.Pattern.tagRSS) { request, context in
            try await rss(request, try await subject(ListingPage.tag(slug: try slug(context), web: web)))
        }
        router.get(SiteURL.Pattern.authorRSS) { request, context in
            try await rss(request, try await subject(ListingPage.author(slug: try slug(context), web: web)))
        }
        router.get(SiteURL.Pattern.sitemapIndex) { request, _ in
            xml(try await Sitemap.index(web: web, now: web.settings.clock()), for: request)
        }
        router.get(SiteURL.Pattern.sitemapNews) { request, _ in
            xml(try await Sitemap.news(offset: 0, web: web, now: web.settings.clock()).document, for: request)
        }
        router.get(SiteURL.Pattern.sitemap) { request, context in
            guard let file = context.parameters.get("file"), let part = SiteURL.SitemapPart(file: file),
                let document = try await Sitemap.part(part, web: web, now: web.settings.clock())
            else { throw PageError.notFound }
            return xml(document, for: request)
        }
        router.get(SiteURL.Pattern.robots) { request, _ in robots(request) }
    }

    /// A sitemap: evicted by any change to what is published ("feed"), and by its own expiry.
    private func xml(_ document: Sitemap.Document, for request: Request) -> Response {
        var response = HTMLResponse(body: document.body, surrogateKeys: ["feed"], expires: document.expires)
        response.contentType = Self.xmlType
        return response.response(for: request)
    }

    /// What crawlers may read, and where the sitemaps are. The newsroom and the search results are not for them.
    func robots(_ request: Request) -> Response {
        let base = web.settings.baseURL
        let text = """
            User-agent: *
            Disallow: \(SiteURL.admin.path)
            Disallow: \(SiteURL.search.path)
            Disallow: /api/

            Sitemap: \(base + SiteURL.sitemapIndex.path)
            Sitemap: \(base + SiteURL.sitemapNews.path)

            """
        var response = HTMLResponse(html: text, maxAge: 3600)
        response.contentType = "text/plain; charset=utf-8"
        return response.response(for: request)
    }

    private func slug(_ context: Context) throws -> String {
        guard let slug = context.parameters.get("slug"), Slug.isValid(slug) else { throw PageError.notFound }
        return slug
    }

    /// A rubric, tag or author that exists; a 404 for its feed otherwise.
    private func subject(_ found: ListingPage.Subject?) throws -> ListingPage.Subject {
        guard let found else { throw PageError.notFound }
        return found
    }

    func rss(_ request: Request, _ subject: ListingPage.Subject) async throws -> Response {
        let feed = try await RSSFeed.query(subject, web: web, now: web.settings.clock())
        var response = HTMLResponse(
            body: web.theme.page("feeds/rss", feed.view(theme: web.theme, settings: web.settings)),
            lastModified: feed.lastModified, surrogateKeys: feed.surrogateKeys)
        response.contentType = Self.rssType
        return response.response(for: request)
    }
}
