import Foundation
import Hummingbird
import NewsCore
import NewsData
import Templates

/// The newsroom's front page: the article list with filters (status, rubric, author, text).
struct NewsroomController {
    let web: WebEnvironment

    func addRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.admin) { request, context in try await articles(request, context) }
    }

    func articles(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw PageError.notFound }
        let user = session.user
        var filter = NewsroomFilter()
        if let status = Forms.query(request, "status"), !status.isEmpty {
            guard let parsed = ArticleStatus(rawValue: status) else { throw PageError.badRequest }
            filter.status = parsed
        }
        let rubrics = try await web.rubrics.all()
        if let slug = Forms.query(request, "rubric"), !slug.isEmpty {
            guard let rubric = rubrics.first(where: { $0.slug == slug }) else { throw PageError.badRequest }
            filter.rubricID = rubric.id
        }
        if let slug = Forms.query(request, "author"), !slug.isEmpty {
            guard let found = try await web.authors.find(slug: slug) else { throw PageError.badRequest }
            filter.authorID = found.author.id
        }
        if let text = Forms.query(request, "q"), !text.isEmpty {
            guard text.count <= 200 else { throw PageError.tooLong }
            filter.text = text
        }
        filter.limit(to: user)
        var cursor: FeedCursor?
        if let token = Forms.query(request, "after") {
            guard let parsed = FeedCursor(token: token) else { throw PageError.badCursor }
            cursor = parsed
        }
        var rows: [NewsroomRow]
        var next: FeedCursor?
        if let text = filter.text {
            // Text goes through the search index (inflected forms, drafts included, only what this
            // user may see), best matches first.
            var scope = filter
            scope.text = nil
            let hits = try await web.search.search(
                SearchQuery(text), scope: .newsroom(scope), rubrics: filter.rubricID.map { [$0] } ?? [], pageSize: 50)
            scope.ids = hits.results.map(\.summary.id)
            rows = try await web.articles.newsroomList(scope, limit: 50).rows
        } else {
            (rows, next) = try await web.articles.newsroomList(filter, after: cursor, limit: 50)
        }

        let view = try await web.view()
        let t = view.t
        var data = view.newsroomRoot(session: session, title: t["admin_articles_title"], path: SiteURL.admin.path)
        if user.role.can(.writeDrafts) { data["newURL"] = .string(SiteURL.adminNewArticle.path) }
        data["filters"] = [
            "q": .string(filter.text ?? ""),
            "statuses": .list(
                ArticleStatus.allCases.map {
                    [
                        "value": .string($0.rawValue), "label": .string(t["status_" + $0.rawValue]),
                        "selected": .bool($0 == filter.status),
                    ]
                }),
            "rubrics": .list(
                rubrics.map {
                    ["value": .string($0.slug), "label": .string($0.name), "selected": .bool($0.id == filter.rubricID)]
                }),
            "author": .string(Forms.query(request, "author") ?? ""),
        ]
        data["rows"] = .list(
            rows.map { row -> TemplateValue in
                var item: TemplateValue = [
                    "title": .string(row.title), "status": .string(row.status.rawValue),
                    "statusLabel": .string(t["status_" + row.status.rawValue]),
                    "updated": view.date(row.updatedAt, feed: true),
                    "bylines": .string(row.bylines.joined(separator: ", ")),
                    "editURL": .string(EditorController.url(row.id)),
                ]
                if let rubric = row.rubricName { item["rubric"] = .string(rubric) }
                if row.status == .published { item["publicURL"] = .string(SiteURL.article(slug: row.slug).path) }
                return item
            })
        data["empty"] = .bool(rows.isEmpty)
        if let next {
            // The same filters, one page further.
            var items = URLComponents()
            var kept: [URLQueryItem] = []
            for name in ["q", "status", "rubric", "author"] {
                if let value = Forms.query(request, name), !value.isEmpty {
                    kept.append(URLQueryItem(name: name, value: value))
                }
            }
            items.queryItems = kept + [URLQueryItem(name: "after", value: next.token)]
            data["more"] = .string(SiteURL.admin.path + "?" + (items.percentEncodedQuery ?? ""))
        }
        return HTMLResponse(body: web.theme.page("admin/articles", .object(data)), noIndex: true).response(for: request)
    }
}
