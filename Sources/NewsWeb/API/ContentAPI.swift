import Foundation
import NewsCore
import NewsData
import OpenAPIRuntime
import Templates

/// The Content API (`/api/v1`): the published stories, rubrics, tags and authors, the latest news and the site's
/// search, for apps, bots and partners. Its operations are those of `API/openapi.yaml`; the generated code decodes
/// each request into an `Input` and encodes the `Output`. Only what a reader of the site may see is served.
///
/// Keys, limits, errors, `ETag`s and the response cache are the middleware's (``APIGateMiddleware``,
/// ``APIResponseMiddleware``); each operation names the surrogate keys of what it shows (``APIResponseKeys``), so
/// the change events evict exactly the responses they touch.
struct ContentAPI: APIProtocol {
    let web: WebEnvironment

    /// Items a list gives when `limit` is not sent.
    static let defaultLimit = 20

    func listArticles(_ input: Operations.ListArticles.Input) async throws -> Operations.ListArticles.Output {
        let query = input.query
        let limit = try Self.limit(query.limit, max: 100)
        let cursor = try Self.cursor(query.cursor)
        var filter = ArticleFilter(since: query.since, until: query.until, updatedSince: query.updatedSince)
        if let slug = query.rubric {
            guard let rubric = try await web.rubrics.find(slug: slug) else {
                throw APIError.unknown("rubric", key: "api_error_unknown_rubric")
            }
            filter.rubricIDs = try await web.site().tree.family(of: rubric)
        }
        if let slug = query.tag {
            guard let tag = try await web.tags.find(slug: slug) else {
                throw APIError.unknown("tag", key: "api_error_unknown_tag")
            }
            filter.tagID = tag.id
        }
        if let slug = query.author {
            guard let found = try await web.authors.find(slug: slug) else {
                throw APIError.unknown("author", key: "api_error_unknown_author")
            }
            filter.authorID = found.author.id
        }
        APIResponseKeys.add(["feed", ChangeEvent.everyPage])
        let (ids, next) = try await web.articles.list(filter, after: cursor, limit: limit, now: web.settings.clock())
        let representation = try await representation(fields: query.fields, include: query.include)
        let articles = try await web.articles.details(ids: ids, withBody: representation.include.contains(.body))
            .map { representation.article($0) }
        return .ok(.init(body: .json(.init(articles: articles, nextCursor: next.map(Self.token)))))
    }

    func getArticle(_ input: Operations.GetArticle.Input) async throws -> Operations.GetArticle.Output {
        let now = web.settings.clock()
        guard let article = try await web.articles.find(id: input.path.id), article.isPublic(at: now) else {
            throw APIError.notFound
        }
        return .ok(
            .init(
                body: .json(
                    .init(article: try await one(article, fields: input.query.fields, include: input.query.include))))
        )
    }

    func getArticleBySlug(_ input: Operations.GetArticleBySlug.Input) async throws
        -> Operations.GetArticleBySlug.Output
    {
        let now = web.settings.clock()
        guard let id = try await web.articles.publishedID(slug: input.path.slug, now: now),
            let article = try await web.articles.find(id: id)
        else { throw APIError.notFound }
        return .ok(
            .init(
                body: .json(
                    .init(article: try await one(article, fields: input.query.fields, include: input.query.include))))
        )
    }

    func listLatest(_ input: Operations.ListLatest.Input) async throws -> Operations.ListLatest.Output {
        let limit = try Self.limit(input.query.limit, max: 50)
        APIResponseKeys.add(["feed", ChangeEvent.everyPage])
        let page = try await web.articles.feed(.all, limit: limit, now: web.settings.clock())
        let representation = try await representation(fields: nil, include: nil)
        let items = page.items.map { item in
            Components.Schemas.LatestNews.ArticlesPayloadPayload(
                id: item.id, url: representation.url(.article(slug: item.slug)), title: item.title,
                publishedAt: item.publishedAt, breaking: item.breaking, rubric: item.rubric.map(representation.rubric))
        }
        return .ok(.init(body: .json(.init(articles: items))))
    }

    func listRubrics(_ input: Operations.ListRubrics.Input) async throws -> Operations.ListRubrics.Output {
        APIResponseKeys.add([ChangeEvent.everyPage])
        let representation = try await representation(fields: nil, include: nil)
        return .ok(.init(body: .json(.init(rubrics: try await web.rubrics.all().map(representation.rubric)))))
    }

    func listTags(_ input: Operations.ListTags.Input) async throws -> Operations.ListTags.Output {
        let limit = try Self.limit(input.query.limit, max: 100)
        // The last tag's slug is the position: tags are listed by slug.
        let after = input.query.cursor
        if let after, !Self.isTagSlug(after) { throw APIError.cursor }
        APIResponseKeys.add(["feed", ChangeEvent.everyPage])
        let tags = try await web.tags.published(after: after, limit: limit + 1, now: web.settings.clock())
        let page = Array(tags.prefix(limit))
        let representation = try await representation(fields: nil, include: nil)
        return .ok(
            .init(
                body: .json(
                    .init(
                        tags: page.map(representation.tag),
                        nextCursor: tags.count > limit ? page.last?.slug : nil))))
    }

    func listAuthors(_ input: Operations.ListAuthors.Input) async throws -> Operations.ListAuthors.Output {
        APIResponseKeys.add(["feed", ChangeEvent.everyPage])
        let representation = try await representation(fields: nil, include: nil)
        let authors = try await web.authors.published(now: web.settings.clock())
        return .ok(
            .init(body: .json(.init(authors: authors.map { representation.author($0.author, photo: $0.photo) }))))
    }

    func search(_ input: Operations.Search.Input) async throws -> Operations.Search.Output {
        let asked = input.query
        let page = asked.page ?? 1
        guard (1...500).contains(page) else { throw APIError.parameter("page") }
        // Lengths as the document counts them: in code points.
        guard (1...200).contains(asked.q.unicodeScalars.count) else { throw APIError.parameter("q") }
        var rubrics: [Int64] = []
        if let slug = asked.rubric {
            guard let rubric = try await web.rubrics.find(slug: slug) else {
                throw APIError.unknown("rubric", key: "api_error_unknown_rubric")
            }
            rubrics = try await web.site().tree.family(of: rubric)
        }
        APIResponseKeys.add(["feed", ChangeEvent.everyPage])
        let query = SearchQuery(asked.q)
        let (results, hasMore) = try await web.search.search(
            query, scope: .published(now: web.settings.clock()), rubrics: rubrics, page: page,
            pageSize: Self.defaultLimit)
        var suggestion: String?
        if !query.isEmpty, results.isEmpty, page == 1 { suggestion = try await web.search.suggestion(for: query.words) }
        let representation = try await representation(fields: asked.fields, include: asked.include)
        let details = try await web.articles.details(
            ids: results.map(\.summary.id), withBody: representation.include.contains(.body))
        return .ok(
            .init(
                body: .json(
                    .init(
                        query: asked.q, page: page, articles: details.map { representation.article($0) },
                        hasMore: hasMore, suggestion: suggestion))))
    }

    // MARK: - Helpers

    /// One story with its body, read-also links and all.
    private func one(
        _ article: Article, fields: Components.Parameters.Fields?, include: Components.Parameters.Include?
    ) async throws -> Components.Schemas.Article {
        let detail = try await web.articles.detail(of: article, now: web.settings.clock())
        APIResponseKeys.add(
            ["article-\(article.id ?? 0)", ChangeEvent.everyPage] + detail.related.keys.map { "article-\($0)" })
        return try await representation(fields: fields, include: include).article(detail, withBody: true)
    }

    /// How this request's stories are written. Lists of fields and of what to include have 1 to 30 and 1 to 10
    /// items, as the document says (the generated code reads them but leaves their lengths to us).
    func representation(
        fields: Components.Parameters.Fields?, include: Components.Parameters.Include?, rubrics: [Rubric]? = nil
    ) async throws -> APIRepresentation {
        if let fields, !(1...30).contains(fields.count) { throw APIError.parameter("fields") }
        if let include, !(1...10).contains(include.count) { throw APIError.parameter("include") }
        var builder = try await web.view()
        builder.mediaBase = web.settings.baseURL
        let view = builder
        let theme = web.theme
        return APIRepresentation(
            base: web.settings.baseURL, include: Set(include ?? []), fields: fields.map(Set.init),
            html: { detail in theme.render("partials/blocks", view.article(detail).merging(["t": view.t.uiValue])) },
            rubricSlugs: Self.slugs(of: rubrics ?? view.site.rubrics))
    }

    /// Every rubric's slug by id.
    static func slugs(of rubrics: [Rubric]) -> [Int64: String] {
        Dictionary(
            rubrics.compactMap { rubric in rubric.id.map { ($0, rubric.slug) } }, uniquingKeysWith: { a, _ in a })
    }

    /// `limit` checked against 1…`max`; the default when not sent.
    static func limit(_ value: Int?, max: Int) throws -> Int {
        guard let value else { return Swift.min(defaultLimit, max) }
        guard (1...max).contains(value) else { throw APIError.parameter("limit") }
        return value
    }

    /// A story list's cursor, "milliseconds-id" as the document's pattern has it; a position past either end is
    /// still a position (an empty or a first page), so every token of that shape is accepted.
    static func cursor(_ token: String?) throws -> FeedCursor? {
        guard let token else { return nil }
        let parts = token.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...15).contains(parts[0].utf8.count), (1...18).contains(parts[1].utf8.count),
            parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
            let millis = Int64(parts[0]), let id = Int64(parts[1])
        else { throw APIError.cursor }
        return FeedCursor(publishedMillis: min(millis, Self.latestMillis), id: id)
    }

    /// The token of a story list's position.
    static func token(_ cursor: FeedCursor) -> String { "\(cursor.publishedMillis)-\(cursor.id)" }

    /// The end of the year 9999: no story is later.
    static let latestMillis: Int64 = 253_402_300_799_000

    /// Whether `text` has the shape of a tag's slug (the tag list's cursor).
    static func isTagSlug(_ text: String) -> Bool {
        (1...200).contains(text.utf8.count)
            && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
