import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// The route × role matrix, driven by the router's own table: every route the application registers must have a
/// rule here, so a new route without one fails the suite. Each rule says which roles get past the permission
/// check on someone else's published story; a request that gets past answers 2xx/3xx or a form error (409, 422,
/// 423), one that does not answers 401, 403 or 404 (or is sent to the login page).
@Suite("Every route checks the role on the server")
struct PermissionTests {
    enum Who: String, CaseIterable, Sendable {
        case anonymous, contributor, journalist, editor, administrator

        var role: Role? { Role(rawValue: rawValue) }
    }

    /// Who may use a route.
    enum Rule: Sendable {
        /// Readers' pages and files.
        case everyone
        /// The sign-in form and its post.
        case signIn
        /// Any newsroom member.
        case staff
        /// Editors and administrators (someone else's story).
        case editors
        /// Administrators only.
        case administrators
        /// The Content API: a key, not a role (no one in this table sends one; `ContentAPITests` check keys).
        case apiKey
        /// `/metrics`: an allowed address, not a role (the table's requests come from no address; `OperationsTests`
        /// check addresses).
        case metricsAddress

        func allows(_ who: Who) -> Bool {
            switch self {
            case .apiKey, .metricsAddress: false
            case .everyone, .signIn: true
            case .staff: who.role != nil
            case .editors: who == .editor || who == .administrator
            case .administrators: who == .administrator
            }
        }
    }

    /// Every route, by method and pattern as the router writes it ("GET /news/{slug}"); HEAD follows GET.
    static let rules: [String: Rule] = [
        "GET /": .everyone, "GET /news": .everyone, "GET /news/{slug}": .everyone, "GET /rubric/{slug}": .everyone,
        "GET /tag/{slug}": .everyone, "GET /author/{slug}": .everyone, "GET /search": .everyone,
        "GET /search/suggest": .everyone,
        "GET /media/{file}": .everyone, "GET /static/{file}": .everyone,
        "GET /rss.xml": .everyone, "GET /rubric/{slug}/rss.xml": .everyone, "GET /tag/{slug}/rss.xml": .everyone,
        "GET /author/{slug}/rss.xml": .everyone, "GET /sitemap.xml": .everyone, "GET /sitemaps/{file}": .everyone,
        "GET /sitemap-news.xml": .everyone, "GET /robots.txt": .everyone,
        "GET /healthz": .everyone, "GET /readyz": .everyone, "GET /metrics": .metricsAddress,
        "GET /admin/login": .signIn, "POST /admin/login": .signIn,
        "POST /admin/logout": .staff, "GET /admin": .staff, "GET /admin/articles/new": .staff,
        "POST /admin/articles": .staff, "GET /admin/media.json": .staff, "POST /admin/media": .staff,
        "GET /admin/media": .staff, "GET /admin/media/{id}": .staff, "POST /admin/media/{id}": .editors,
        "GET /admin/authors.json": .staff, "GET /admin/articles.json": .staff,
        "GET /admin/articles/{id}": .editors, "POST /admin/articles/{id}": .editors,
        "GET /admin/articles/{id}/preview": .editors, "GET /admin/articles/{id}/revisions": .editors,
        "POST /admin/articles/{id}/autosave": .editors, "POST /admin/articles/{id}/lock": .editors,
        "POST /admin/articles/{id}/heartbeat": .editors, "POST /admin/articles/{id}/unlock": .editors,
        "POST /admin/articles/{id}/take-over": .editors, "POST /admin/articles/{id}/transition": .editors,
        "POST /admin/articles/{id}/corrections": .editors,
        "POST /admin/articles/{id}/revisions/{revision}/restore": .editors,
        "GET /admin/people": .administrators, "POST /admin/people": .administrators,
        "POST /admin/people/{id}": .administrators, "GET /admin/rubrics": .administrators,
        "POST /admin/rubrics": .administrators, "GET /admin/settings": .administrators,
        "POST /admin/settings": .administrators, "GET /admin/audit": .administrators,
        "GET /admin/api-keys": .administrators, "POST /admin/api-keys": .administrators,
        "POST /admin/api-keys/{id}/revoke": .administrators,
        "GET /admin/webhooks": .administrators, "POST /admin/webhooks": .administrators,
        "GET /admin/webhooks/{id}": .administrators, "POST /admin/webhooks/{id}/remove": .administrators,
        "POST /admin/webhooks/{id}/deliveries/{delivery}/redeliver": .administrators,
        "GET /admin/tokens": .staff, "POST /admin/tokens": .staff, "POST /admin/tokens/{id}/revoke": .staff,
        "GET /api/v1/admin/articles": .apiKey, "POST /api/v1/admin/articles": .apiKey,
        "GET /api/v1/admin/articles/{id}": .apiKey, "PUT /api/v1/admin/articles/{id}": .apiKey,
        "POST /api/v1/admin/articles/{id}/transition": .apiKey,
        "GET /api/v1/admin/media": .apiKey, "POST /api/v1/admin/media": .apiKey,
        "PATCH /api/v1/admin/media/{id}": .apiKey,
        "GET /api/v1/admin/rubrics": .apiKey, "POST /api/v1/admin/rubrics": .apiKey,
        "PATCH /api/v1/admin/rubrics/{id}": .apiKey, "GET /api/v1/admin/tags": .apiKey,
        "PATCH /api/v1/admin/tags/{id}": .apiKey, "DELETE /api/v1/admin/tags/{id}": .apiKey,
        "GET /api/v1/admin/people": .apiKey, "POST /api/v1/admin/people": .apiKey,
        "PATCH /api/v1/admin/people/{id}": .apiKey,
        "GET /api/v1/openapi.json": .everyone, "GET /api/v1/docs": .everyone,
        "GET /api/v1/articles": .apiKey, "GET /api/v1/articles/{id}": .apiKey,
        "GET /api/v1/articles/slug/{slug}": .apiKey, "GET /api/v1/latest": .apiKey, "GET /api/v1/rubrics": .apiKey,
        "GET /api/v1/tags": .apiKey, "GET /api/v1/authors": .apiKey, "GET /api/v1/search": .apiKey,
    ]

    @Test("every registered route has a rule, and every rule a route")
    func table() async throws {
        try await withWeb(.sqlite, demo: false) { web in
            let routes = Set(
                buildRouter(web).routes.filter { $0.method != .head }.map { "\($0.method) \($0.path)" })
            #expect(routes.subtracting(Self.rules.keys).sorted() == [], "routes without a rule")
            #expect(Set(Self.rules.keys).subtracting(routes).sorted() == [], "rules without a route")
        }
    }

    /// Routes that end what others need go last: removing the webhook, then signing out.
    static func last(_ path: String) -> Int {
        switch path {
        case "/admin/logout": 2
        case "/admin/webhooks/{id}/remove": 1
        default: 0
        }
    }

    @Test("route × role", arguments: TestEngine.available, Who.allCases)
    func matrix(engine: TestEngine, who: Who) async throws {
        try await withWeb(engine) { web in
            let database = web.database
            let story = try #require(try await ArticleRepository(database: database).find(slug: referenceSlug))
            let detail = try await ArticleRepository(database: database).detail(of: story, now: referenceEvening)
            // A saved version to restore: an editor's save of the story as it is.
            let newsroom = Newsroom(database: database)
            let saver = try await Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
                .addPerson(
                    email: "saver@example.com", name: "Saver", role: .editor, password: memberPassword, by: .commandLine
                )
            // A webhook that heard of one change, for its pages; removed last (by the administrator's turn).
            let hook = try await newsroom.addWebhook(
                url: "http://127.0.0.1:9/hook", events: [.articleUpdated], by: .commandLine
            ).webhook
            guard case .held(let token) = try await newsroom.lock(story.id!, by: saver) else {
                Issue.record("no lock")
                return
            }
            try await newsroom.save(story, expectedVersion: story.version, lockToken: token, by: saver)
            try await newsroom.unlock(story.id!, token: token)
            try await web.changes.drain()
            let delivery = try #require(try await Webhooks(database: database).deliveries(of: hook.id).first).id
            let revision = try #require(try await newsroom.revisions(of: story.id!).first).id
            let media = try #require(try await MediaRepository(database: database).list(limit: 60).first)
            let key = try await newsroom.createAPIKey(name: "Для таблиці прав", by: .commandLine).key
            let values: [String: String] = [
                "/news/{slug}": "/news/" + referenceSlug, "/rubric/{slug}": "/rubric/" + (detail.rubric?.slug ?? ""),
                "/tag/{slug}": "/tag/" + (detail.tags.first?.slug ?? ""),
                "/author/{slug}": "/author/" + (detail.bylines.first?.slug ?? ""),
                "/rubric/{slug}/rss.xml": "/rubric/" + (detail.rubric?.slug ?? "") + "/rss.xml",
                "/tag/{slug}/rss.xml": "/tag/" + (detail.tags.first?.slug ?? "") + "/rss.xml",
                "/author/{slug}/rss.xml": "/author/" + (detail.bylines.first?.slug ?? "") + "/rss.xml",
                "/sitemaps/{file}": "/sitemaps/articles-1.xml",
                "/media/{file}": "/media/" + media.file,
                "/static/{file}": "/static/site.css", "{id}": "\(story.id!)", "{revision}": "\(revision)",
                "/admin/api-keys/{id}/revoke": "/admin/api-keys/\(key.id)/revoke",
                "/admin/webhooks/{id}": "/admin/webhooks/\(hook.id)",
                // The story's cover: a photo readers see, which only editors may change.
                "/admin/media/{id}": "/admin/media/\(story.coverMediaID!)",
                "/admin/webhooks/{id}/remove": "/admin/webhooks/\(hook.id)/remove",
                "/admin/webhooks/{id}/deliveries/{delivery}/redeliver":
                    "/admin/webhooks/\(hook.id)/deliveries/\(delivery)/redeliver",
            ]
            // Signing out last: it ends the member's session.
            let routes = buildRouter(web).routes.filter { $0.method != .head }.map {
                (method: $0.method, path: "\($0.path)")
            }.sorted { Self.last($0.path) < Self.last($1.path) }
            try await buildApplication(web).test(.router) { client in
                var member: Member?
                if let role = who.role {
                    member = try await client.member(database, "\(who.rawValue)@example.com", role: role)
                }
                for route in routes {
                    let key = "\(route.method) \(route.path)"
                    let rule = try #require(Self.rules[key], "no rule for \(key)")
                    var uri = values["\(route.path)"] ?? "\(route.path)"
                    for (name, value) in values where name.hasPrefix("{") {
                        uri = uri.replacingOccurrences(of: name, with: value)
                    }
                    if key == "POST /admin/tokens/{id}/revoke", let member {
                        // The member's own token: the only kind they may revoke.
                        let token = try await newsroom.createAPIToken(name: "таблиця", days: 1, for: member.user).key
                        uri = "/admin/tokens/\(token.id)/revoke"
                    }
                    let jar = member?.jar ?? CookieJar()
                    let page: Page
                    if route.method == .get {
                        page = try await client.browse(uri, jar: jar)
                    } else if let member, key == "POST /admin/media" {
                        // An upload is the photo's bytes, with the token in the header (as the editor sends it).
                        page = try await client.browse(
                            uri, jar: jar, method: .post, headers: [HTTPField.Name("X-CSRF-Token")!: member.csrf])
                    } else if let member, route.method == .post {
                        page = try await client.post(uri, as: member, ["to": "unpublished"])
                    } else {
                        page = try await client.browse(uri, jar: jar, method: route.method, form: ["to": "unpublished"])
                    }
                    let toLogin = page.headers[.location]?.hasPrefix("/admin/login") == true
                    let refused = [401, 403, 404].contains(page.status.code) || (toLogin && who.role == nil)
                    if rule == .signIn { continue }
                    #expect(refused != rule.allows(who), "\(who) \(key) → \(page.status.code)")
                }
            }
            // Only editors and administrators could move someone else's story.
            let after = try await ArticleRepository(database: database).find(id: story.id!)?.status
            #expect((after == .unpublished) == Rule.editors.allows(who))
        }
    }
}
