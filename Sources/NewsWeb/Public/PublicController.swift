import Foundation
import Hummingbird
import NewsCore
import NewsData
import Templates

/// The reader's pages: home, the news feed, articles, rubric, tag and author pages.
struct PublicController<Context: RequestContext> {
    let web: WebEnvironment

    func addRoutes(to router: some RouterMethods<Context>) {
        router.get(SiteURL.Pattern.home) { request, _ in try await home(request) }
        router.get(SiteURL.Pattern.news) { request, _ in try await news(request) }
        router.get(SiteURL.Pattern.article) { request, context in
            try await article(request, slug: try slug(context))
        }
        router.get(SiteURL.Pattern.rubric) { request, context in try await rubric(request, slug: try slug(context)) }
        router.get(SiteURL.Pattern.tag) { request, context in try await tag(request, slug: try slug(context)) }
        router.get(SiteURL.Pattern.author) { request, context in try await author(request, slug: try slug(context)) }
    }

    private func slug(_ context: Context) throws -> String {
        guard let slug = context.parameters.get("slug"), Slug.isValid(slug) else { throw PageError.notFound }
        return slug
    }

    // MARK: - Pages

    func home(_ request: Request) async throws -> Response {
        try rejectPaging(request)
        let page = try await HomePage.query(web: web, now: web.settings.clock())
        return HTMLResponse(
            body: web.theme.page("pages/home", page.view(theme: web.theme, settings: web.settings)),
            lastModified: page.lastModified, surrogateKeys: page.surrogateKeys, expires: midnight(after: page.now)
        ).response(for: request)
    }

    func news(_ request: Request) async throws -> Response {
        try await listing(request, .news)
    }

    func rubric(_ request: Request, slug: String) async throws -> Response {
        guard let subject = try await ListingPage.rubric(slug: slug, web: web) else { throw PageError.notFound }
        return try await listing(request, subject)
    }

    func tag(_ request: Request, slug: String) async throws -> Response {
        guard let subject = try await ListingPage.tag(slug: slug, web: web) else { throw PageError.notFound }
        return try await listing(request, subject)
    }

    func author(_ request: Request, slug: String) async throws -> Response {
        guard let subject = try await ListingPage.author(slug: slug, web: web) else { throw PageError.notFound }
        return try await listing(request, subject)
    }

    func article(_ request: Request, slug: String) async throws -> Response {
        try rejectPaging(request)
        switch try await ArticlePage.query(slug: slug, web: web, now: web.settings.clock()) {
        case .page(let page):
            return HTMLResponse(
                body: web.theme.page("pages/article", page.view(theme: web.theme, settings: web.settings)),
                lastModified: page.article.updatedAt, surrogateKeys: page.surrogateKeys,
                expires: midnight(after: page.now)
            ).response(for: request)
        case .moved(let current):
            return Response(
                status: .movedPermanently,
                headers: [.location: SiteURL.article(slug: current).path, .cacheControl: "public, max-age=3600"])
        case .gone:
            throw PageError.gone
        case .notFound:
            throw PageError.notFound
        }
    }

    // MARK: - Feeds

    /// A feed page, whole or (`partial=1`) as the fragment the "show more" script adds.
    private func listing(_ request: Request, _ subject: ListingPage.Subject) async throws -> Response {
        let cursor = try self.cursor(request)
        let partial = request.uri.queryParameters.get("partial") == "1"
        let page = try await ListingPage.query(
            subject, after: cursor, besideLatest: !partial, web: web, now: web.settings.clock())
        if partial {
            return HTMLResponse(
                body: web.theme.page("partials/feed-chunk", page.fragment(theme: web.theme, settings: web.settings)),
                lastModified: page.lastModified, surrogateKeys: page.surrogateKeys, noIndex: true,
                expires: midnight(after: page.now)
            ).response(for: request)
        }
        return HTMLResponse(
            body: web.theme.page("pages/listing", page.view(theme: web.theme, settings: web.settings)),
            lastModified: page.lastModified, surrogateKeys: page.surrogateKeys, expires: midnight(after: page.now)
        ).response(for: request)
    }

    /// When a page rendered at `now` expires: feed dates change form at the site's midnight ("14:05" becomes
    /// "03.12"), and so does the footer's year once a year.
    private func midnight(after now: Date) -> Date { web.dates.nextMidnight(after: now) }

    /// The `after=` cursor of a feed request; a malformed or tampered one is a 400, not a crash.
    private func cursor(_ request: Request) throws -> FeedCursor? {
        try rejectPaging(request)
        guard let token = request.uri.queryParameters.get("after") else { return nil }
        guard let cursor = FeedCursor(token: token) else { throw PageError.badCursor }
        return cursor
    }

    /// Feeds page by cursor only. `?page=1` is harmless; any other page number gets a clear 400.
    private func rejectPaging(_ request: Request) throws {
        if let page = request.uri.queryParameters.get("page"), page != "1" { throw PageError.badPage }
    }
}
