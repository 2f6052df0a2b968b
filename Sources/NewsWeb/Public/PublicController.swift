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
        let now = web.settings.clock()
        try rejectPaging(request)
        async let site = web.site()
        async let featured = web.articles.featured(limit: 5, now: now)
        async let feed = web.articles.feed(.all, limit: web.settings.pageSize, now: now)
        let view = ViewBuilder(theme: web.theme, settings: web.settings, site: try await site, now: now)
        let picks = try await featured
        let page = try await feed
        var data = view.root(title: nil, path: SiteURL.home.path, next: page.next.map { SiteURL.home.path(after: $0) })
        if let top = picks.first { data["top"] = view.summary(top) }
        data["featured"] = .list(picks.dropFirst().map(view.summary))
        data["feed"] = view.feed(page, base: .home)
        return HTMLResponse(
            body: web.theme.page("pages/home", .object(data)), lastModified: page.items.first?.publishedAt,
            surrogateKeys: ["home", "feed"] + picks.map { "article-\($0.id)" }
        ).response(for: request)
    }

    func news(_ request: Request) async throws -> Response {
        try await listing(
            request, scope: .all, base: .news, heading: ["isNews": true], title: web.theme.localization["news_heading"])
    }

    func rubric(_ request: Request, slug: String) async throws -> Response {
        guard let rubric = try await web.rubrics.find(slug: slug), let id = rubric.id else { throw PageError.notFound }
        return try await listing(
            request, scope: .rubric(id), base: .rubric(slug: slug),
            heading: ["isRubric": true, "name": .string(rubric.name)],
            title: rubric.name, currentRubric: slug, keys: ["rubric-\(id)"])
    }

    func tag(_ request: Request, slug: String) async throws -> Response {
        guard let tag = try await web.tags.find(slug: slug), let id = tag.id else { throw PageError.notFound }
        return try await listing(
            request, scope: .tag(id), base: .tag(slug: slug), heading: ["isTag": true, "name": .string(tag.name)],
            title: web.theme.localization["tag_prefix"] + " " + tag.name, keys: ["tag-\(id)"])
    }

    func author(_ request: Request, slug: String) async throws -> Response {
        guard let (author, photo) = try await web.authors.find(slug: slug), let id = author.id else {
            throw PageError.notFound
        }
        return try await listing(
            request, scope: .author(id), base: .author(slug: slug),
            heading: { view in
                var info: TemplateValue = ["name": .string(author.name)]
                if let bio = author.bio, !bio.isEmpty { info["bio"] = .string(bio) }
                if let photo { info["photo"] = view.media(photo) }
                return ["isAuthor": true, "name": .string(author.name), "author": info]
            }, title: author.name, description: author.bio, keys: ["author-\(id)"])
    }

    func article(_ request: Request, slug: String) async throws -> Response {
        let now = web.settings.clock()
        try rejectPaging(request)
        async let site = web.site()
        async let found = web.articles.detail(slug: slug, now: now)
        async let feed = web.articles.feed(.all, limit: web.settings.pageSize, now: now)
        guard let detail = try await found else {
            // A published story whose address changed keeps its old one as a permanent redirect.
            if let current = try await web.newsroom.redirect(from: slug) {
                return Response(
                    status: .movedPermanently,
                    headers: [.location: SiteURL.article(slug: current).path, .cacheControl: "public, max-age=3600"])
            }
            throw PageError.notFound
        }
        if detail.article.status == .unpublished { throw PageError.gone }
        guard detail.article.isPublic(at: now) else { throw PageError.notFound }
        let view = ViewBuilder(theme: web.theme, settings: web.settings, site: try await site, now: now)
        let article = detail.article
        let page = try await feed
        var data = view.root(
            title: article.seoTitle.flatMap { $0.isEmpty ? nil : $0 } ?? article.title,
            description: article.seoDescription.flatMap { $0.isEmpty ? nil : $0 } ?? article.summaryText,
            path: SiteURL.article(slug: slug).path, currentRubric: detail.rubric?.slug)
        data["article"] = view.article(detail)
        data["feed"] = view.feed(page, base: .news)
        var keys = ["article-\(article.id ?? 0)", "feed"]
        if let rubricID = article.rubricID { keys.append("rubric-\(rubricID)") }
        return HTMLResponse(
            body: web.theme.page("pages/article", .object(data)), lastModified: article.updatedAt, surrogateKeys: keys
        ).response(for: request)
    }

    // MARK: - Feeds

    private func listing(
        _ request: Request, scope: FeedScope, base: SiteURL, heading: TemplateValue, title: String,
        currentRubric: String? = nil, keys: [String] = []
    ) async throws -> Response {
        try await listing(
            request, scope: scope, base: base, heading: { _ in heading }, title: title, currentRubric: currentRubric,
            keys: keys)
    }

    private func listing(
        _ request: Request, scope: FeedScope, base: SiteURL, heading: (ViewBuilder) -> TemplateValue, title: String,
        description: String? = nil, currentRubric: String? = nil, keys: [String] = []
    ) async throws -> Response {
        let now = web.settings.clock()
        let cursor = try self.cursor(request)
        let partial = request.uri.queryParameters.get("partial") == "1"
        async let site = web.site()
        let page = try await web.articles.feed(scope, after: cursor, limit: web.settings.pageSize, now: now)
        let view = ViewBuilder(theme: web.theme, settings: web.settings, site: try await site, now: now)
        let path = cursor.map { base.path(after: $0) } ?? base.path
        if partial {
            let data: TemplateValue = [
                "lang": .string(view.t.language), "t": view.t.uiValue, "feed": view.feed(page, base: base),
            ]
            return HTMLResponse(
                body: web.theme.page("partials/feed-chunk", data), lastModified: page.items.first?.publishedAt,
                surrogateKeys: keys.isEmpty ? ["feed"] : keys, noIndex: true
            ).response(for: request)
        }
        var data = view.root(
            title: title, description: description, path: path, next: page.next.map { base.path(after: $0) },
            currentRubric: currentRubric)
        data["listing"] = heading(view)
        data["feed"] = view.feed(page, base: base)
        return HTMLResponse(
            body: web.theme.page("pages/listing", .object(data)), lastModified: page.items.first?.publishedAt,
            surrogateKeys: keys.isEmpty ? ["feed"] : keys
        ).response(for: request)
    }

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
