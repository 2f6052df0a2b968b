import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// A JSON answer of the API, read whole.
struct APIAnswer {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let json: [String: Any]

    var articles: [[String: Any]] { json["articles"] as? [[String: Any]] ?? [] }
    var ids: [Int64] { articles.compactMap { ($0["id"] as? NSNumber)?.int64Value } }
    var code: String? { json["code"] as? String }

    /// The `field` of each object in the list `list`.
    func strings(_ list: String, _ field: String) -> [String] {
        (json[list] as? [[String: Any]] ?? []).compactMap { $0[field] as? String }
    }
}

extension TestClientProtocol {
    /// GETs `uri` of the API with `key` in the header (or none).
    func api(_ uri: String, key: String?, headers extra: HTTPFields = [:]) async throws -> APIAnswer {
        var headers = extra
        if let key { headers[HTTPField.Name("X-Api-Key")!] = key }
        let page = try await page(uri, headers: headers)
        let json =
            page.body.isEmpty
            ? [:] : (try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any] ?? [:])
        return APIAnswer(status: page.status, headers: page.headers, json: json)
    }
}

/// Runs `body` against the router over the demo paper with a fresh Content API key.
func withAPI(
    _ engine: TestEngine, configure: @Sendable (inout AppSettings) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol, WebEnvironment, String) async throws -> Void
) async throws {
    try await withWeb(engine, configure: configure) { web in
        let (_, secret) = try await Newsroom(database: web.database).createAPIKey(
            name: "Тестовий застосунок", by: .commandLine)
        try await web.changes.drain()
        try await buildApplication(web).test(.router) { client in try await body(client, web, secret) }
    }
}

/// The Content API (issue #11): keys, the published stories only, filters and paging, fields and embedding, ETags
/// and eviction, limits, and JSON errors for bad input.
@Suite("Content API")
struct ContentAPITests {
    @Test(
        "a request needs an active key, in the header or the query; none, unknown or revoked is a JSON 401",
        arguments: TestEngine.available)
    func keys(engine: TestEngine) async throws {
        try await withAPI(engine) { client, web, key in
            #expect(try await client.api("/api/v1/articles", key: key).status == .ok)
            #expect(try await client.api("/api/v1/articles?key=\(key)", key: nil).status == .ok)
            for wrong in [nil, "", "shp_c_nemaie", String(repeating: "x", count: 5000)] {
                let answer = try await client.api("/api/v1/articles", key: wrong)
                #expect(answer.status == .unauthorized && answer.code == "unauthorized", "\(String(describing: wrong))")
                #expect(answer.headers[.contentType] == "application/json; charset=utf-8")
                #expect((answer.json["message"] as? String)?.isEmpty == false)
            }
            // Revoked: refused on the very next request, also where the answer was cached.
            let id = try #require(try await APIKeyRepository(database: web.database).all().first?.id)
            try await Newsroom(database: web.database).revokeAPIKey(id: id, by: .commandLine)
            try await web.changes.drain()
            #expect(try await client.api("/api/v1/articles", key: key).status == .unauthorized)
            #expect(try await client.api("/api/v1/articles?key=\(key)", key: nil).status == .unauthorized)
            // The document and its page are open to anyone.
            #expect(try await client.page("/api/v1/openapi.json").status == .ok)
            #expect(try await client.page("/api/v1/docs").status == .ok)
        }
    }

    @Test("a story's corrections and a rubric's description are in the API, the moment they are added")
    func correctionsAndDescriptions() async throws {
        try await withAPI(.sqlite) { client, web, key in
            let story = try #require(try await ArticleRepository(database: web.database).find(slug: referenceSlug))
            let uri = "/api/v1/articles/\(story.id!)"
            func article(_ answer: APIAnswer) -> [String: Any] { answer.json["article"] as? [String: Any] ?? [:] }
            #expect(article(try await client.api(uri, key: key))["id"] != nil)
            #expect(article(try await client.api(uri, key: key))["corrections"] == nil)
            let editor = try await Newsroom(
                database: web.database, users: UserRepository(database: web.database, bcryptCost: 4)
            )
            .addPerson(
                email: "api-editor@example.com", name: "Редакторка", role: .editor, password: "password-123",
                by: .commandLine)
            let when = referenceEvening.addingTimeInterval(-60)
            try await Newsroom(database: web.database).addCorrection(
                "Візит тривав два дні.", to: story.id!, by: editor, now: when)
            try await web.changes.drain()
            let corrections = try #require(
                article(try await client.api(uri, key: key))["corrections"] as? [[String: Any]])
            #expect(corrections.count == 1 && corrections[0]["text"] as? String == "Візит тривав два дні.")
            #expect((corrections[0]["at"] as? String)?.hasPrefix("2026-01-22T") == true)
            #expect(article(try await client.api(uri + "?fields=title", key: key))["corrections"] == nil)
            // A rubric's description, once the newsroom gives one.
            let rubrics = try await RubricRepository(database: web.database).all()
            let sport = try #require(rubrics.first { $0.slug == "sport" })
            try await Newsroom(database: web.database).changeRubrics(
                [
                    RubricChange(
                        id: sport.id!, name: sport.name, position: sport.position, parentID: sport.parentID,
                        description: "Футбол і все, що біжить.")
                ], by: .commandLine, now: when)
            try await web.changes.drain()
            let listed = try await client.api("/api/v1/rubrics", key: key).json["rubrics"] as? [[String: Any]] ?? []
            #expect(
                listed.first { $0["slug"] as? String == "sport" }?["description"] as? String
                    == "Футбол і все, що біжить.")
            #expect(listed.filter { $0["description"] != nil }.count == 1)
        }
    }

    @Test(
        "the list pages through every published story once, newest first, and never a draft",
        arguments: TestEngine.available)
    func paging(engine: TestEngine) async throws {
        try await withAPI(engine) { client, web, key in
            let draft = try await ArticleRepository(database: web.database).save(
                Article(slug: "chernetka-dlia-api", title: "Чернетка, якої не видно", status: .draft))
            var seen: [Int64] = []
            var uri = "/api/v1/articles?limit=7&fields=published_at"
            var pages = 0
            while true {
                let answer = try await client.api(uri, key: key)
                #expect(answer.status == .ok)
                seen += answer.ids
                pages += 1
                guard let next = answer.json["next_cursor"] as? String else { break }
                uri = "/api/v1/articles?limit=7&fields=published_at&cursor=\(next)"
                #expect(pages < 20)
            }
            let published = try await ArticleRepository(database: web.database).list(
                ArticleFilter(), limit: 1000, now: referenceEvening
            ).ids
            #expect(seen == published && Set(seen).count == seen.count && !seen.isEmpty)
            #expect(!seen.contains(draft.id!))
            #expect(pages == (published.count + 6) / 7)
            // Bodies only when asked for.
            let plain = try await client.api("/api/v1/articles?limit=5", key: key).articles
            let bodies = try await client.api("/api/v1/articles?limit=5&include=body", key: key).articles
            #expect(plain.allSatisfy { $0["blocks"] == nil && $0["html"] == nil })
            #expect(bodies.contains { ($0["blocks"] as? [Any])?.isEmpty == false && $0["html"] is String })
            // Only the asked field, and the id.
            let first = try #require(
                try await client.api("/api/v1/articles?limit=1&fields=title", key: key).articles.first)
            #expect(Set(first.keys) == ["id", "title"])
        }
    }

    @Test(
        "filters by rubric, tag, author, time and change time combine; unknown slugs and bad times are a 400",
        arguments: TestEngine.available)
    func filters(engine: TestEngine) async throws {
        try await withAPI(engine) { client, web, key in
            let all = try await ArticleRepository(database: web.database).details(
                ids: try await ArticleRepository(database: web.database).list(
                    ArticleFilter(), limit: 1000, now: referenceEvening
                ).ids)
            let rubric = try #require(all.compactMap(\.rubric).first)
            let inRubric = try await client.api("/api/v1/articles?rubric=\(rubric.slug)&limit=100", key: key)
            #expect(inRubric.ids == all.filter { $0.rubric?.id == rubric.id }.map { $0.article.id! })
            let tag = try #require(all.flatMap(\.tags).first)
            let tagged = try await client.api("/api/v1/articles?tag=\(tag.slug)&limit=100&include=tags", key: key)
            #expect(!tagged.ids.isEmpty)
            #expect(
                tagged.articles.allSatisfy { article in
                    (article["tags"] as? [[String: Any]])?.contains { $0["slug"] as? String == tag.slug } == true
                })
            let author = try #require(all.flatMap(\.bylines).first)
            let both = try await client.api(
                "/api/v1/articles?rubric=\(rubric.slug)&author=\(author.slug)&limit=100", key: key)
            #expect(
                both.ids
                    == all.filter { $0.rubric?.id == rubric.id && $0.bylines.contains { $0.id == author.id } }.map {
                        $0.article.id!
                    })
            // A window of time: since is inclusive, until exclusive.
            let times = all.compactMap(\.article.publishedAt).sorted()
            let since = times[times.count / 4]
            let until = times[times.count * 3 / 4]
            let iso = { (date: Date) in date.formatted(.iso8601) }
            let window = try await client.api(
                "/api/v1/articles?limit=100&since=\(iso(since))&until=\(iso(until))", key: key)
            #expect(
                window.ids
                    == all.filter { $0.article.publishedAt! >= since && $0.article.publishedAt! < until }.map {
                        $0.article.id!
                    })
            let future = try await client.api("/api/v1/articles?updated_since=2100-01-01T00:00:00Z", key: key)
            #expect(future.status == .ok && future.ids.isEmpty)
            let backwards = try await client.api(
                "/api/v1/articles?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", key: key)
            #expect(backwards.status == .ok && backwards.ids.isEmpty, "an empty window is an empty list")
            for bad in [
                "since=yesterday", "until=2026-13-45", "limit=1&limit=2", "fields=title&fields=slug",
                "limit=0", "limit=101", "limit=abc", "fields=nemaie", "include=everything",
                "cursor=nemaie", "cursor=12-", "cursor=" + String(repeating: "1", count: 300),
            ] {
                let answer = try await client.api("/api/v1/articles?\(bad)", key: key)
                #expect(answer.status == .badRequest, "\(bad)")
                #expect(["invalid_parameter", "invalid_cursor"].contains(answer.code ?? ""), "\(bad)")
            }
            for unknown in ["rubric=nemaie", "tag=nemaie", "author=nemaie"] {
                let answer = try await client.api("/api/v1/articles?\(unknown)", key: key)
                #expect(answer.status == .notFound && answer.code == "not_found", "\(unknown)")
            }
            // A well-formed position past the end is an empty page, not an error.
            let past = try await client.api("/api/v1/articles?cursor=0-0", key: key)
            #expect(past.status == .ok && past.ids.isEmpty)
            let first = try await client.api("/api/v1/articles?cursor=999999999999999-1&limit=3", key: key)
            #expect(first.ids == Array(all.prefix(3).map { $0.article.id! }))
        }
    }

    @Test(
        "one story by id, slug and former slug: blocks, HTML, photo credits, embedded objects; hidden ones are 404",
        arguments: TestEngine.available)
    func oneStory(engine: TestEngine) async throws {
        try await withAPI(engine) { client, web, key in
            let story = try #require(
                try await ArticleRepository(database: web.database).detail(slug: referenceSlug, now: referenceEvening))
            let id = story.article.id!
            let answer = try await client.api("/api/v1/articles/\(id)?include=rubric,tags,authors", key: key)
            #expect(answer.status == .ok)
            let article = try #require(answer.json["article"] as? [String: Any])
            #expect(article["title"] as? String == story.article.title)
            #expect(article["url"] as? String == "https://news.example/news/\(referenceSlug)")
            let published = try #require(article["published_at"] as? String)
            #expect(
                published.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[23]:00/) != nil,
                "Kyiv's offset: \(published)")
            let blocks = try #require(article["blocks"] as? [[String: Any]])
            #expect(blocks.count == story.article.body.count)
            #expect(blocks.allSatisfy { $0["type"] is String })
            #expect((article["html"] as? String)?.contains("<p>") == true)
            #expect(
                (article["authors"] as? [[String: Any]])?.map { $0["name"] as? String } == story.bylines.map(\.name))
            #expect((article["rubric"] as? [String: Any])?["slug"] as? String == story.rubric?.slug)
            if let cover = article["cover"] as? [String: Any] {
                #expect(cover["credit"] is String && (cover["url"] as? String)?.hasPrefix("https://") == true)
            }
            for block in blocks where block["type"] as? String == "image" {
                #expect((block["photo"] as? [String: Any])?["credit"] is String)
            }
            // By slug, and by a slug the story had before.
            #expect(try await client.api("/api/v1/articles/slug/\(referenceSlug)", key: key).json["article"] != nil)
            let editor = try await client.member(web.database, "editor@example.com", role: .editor)
            let movedID = try await PageCacheTests.publish(client, as: editor, title: "Історія з новою адресою")
            let slug = try #require(try await ArticleRepository(database: web.database).find(id: movedID)?.slug)
            let (_, lock, version) = try await client.openEditor(movedID, as: editor)
            let saved = try await client.post(
                "/admin/articles/\(movedID)", as: editor,
                articleFields(
                    title: "Історія з новою адресою",
                    extra: ["version": version, "lock": lock, "slug": "nova-adresa-dlia-api", "tags": "Київ"]))
            #expect(saved.status == .seeOther)
            let old = try await client.api("/api/v1/articles/slug/\(slug)", key: key)
            #expect((old.json["article"] as? [String: Any])?["slug"] as? String == "nova-adresa-dlia-api")
            // Drafts, scheduled and unknown stories are not there.
            let writers = ArticleRepository(database: web.database)
            let draft = try await writers.save(Article(slug: "chernetka-api", title: "Чернетка", status: .draft))
            let later = try await writers.save(
                Article(
                    slug: "zaplanovana-api", title: "Заплановано", status: .published,
                    publishedAt: referenceEvening.addingTimeInterval(3600)))
            for path in [
                "/api/v1/articles/\(draft.id!)", "/api/v1/articles/\(later.id!)", "/api/v1/articles/999999",
                "/api/v1/articles/slug/chernetka-api", "/api/v1/articles/slug/zaplanovana-api",
            ] {
                let hidden = try await client.api(path, key: key)
                #expect(hidden.status == .notFound && hidden.code == "not_found", "\(path)")
            }
            #expect(try await client.api("/api/v1/articles/abc", key: key).status == .badRequest)
            #expect(try await client.api("/api/v1/nemaie", key: key).code == "not_found")
            for method in [HTTPRequest.Method.post, .delete, .put, .init("TRACE")!] {
                let refused = try await client.page("/api/v1/articles/\(id)", method: method)
                #expect(refused.status == .methodNotAllowed && refused.headers[.allow] == "GET, HEAD", "\(method)")
                #expect(refused.body.contains("method_not_allowed"))
            }
        }
    }

    @Test("ETag and 304; a publish shows in the list on the very next request", arguments: TestEngine.available)
    func freshness(engine: TestEngine) async throws {
        try await withAPI(engine) { client, web, key in
            let first = try await client.api("/api/v1/articles?limit=3", key: key)
            let etag = try #require(first.headers[.eTag])
            #expect(first.headers[.cacheControl] == "private, no-cache")
            let again = try await client.api("/api/v1/articles?limit=3", key: key, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            // The same answer with the key in the query (one cache entry for every key).
            let query = try await client.page("/api/v1/articles?limit=3&key=\(key)")
            #expect(query.headers[.eTag] == etag)
            let editor = try await client.member(web.database, "editor@example.com", role: .editor)
            let id = try await PageCacheTests.publish(client, as: editor, title: "Щойно опубліковано для API")
            let after = try await client.api("/api/v1/articles?limit=3", key: key, headers: [.ifNoneMatch: etag])
            #expect(after.status == .ok && after.ids.first == id)
            #expect(after.headers[.eTag] != etag)
            let latest = try await client.api("/api/v1/latest?limit=1", key: key)
            #expect(latest.ids == [id])
        }
    }

    @Test("a key over its minute's allowance gets 429 with Retry-After; other keys go on")
    func rateLimit() async throws {
        try await withAPI(.sqlite, configure: { $0.apiRequestsPerMinute = 5 }) { client, web, key in
            for _ in 0..<5 { #expect(try await client.api("/api/v1/rubrics", key: key).status == .ok) }
            let refused = try await client.api("/api/v1/rubrics", key: key)
            #expect(refused.status == .tooManyRequests && refused.code == "rate_limited")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let (_, other) = try await Newsroom(database: web.database).createAPIKey(name: "Інший", by: .commandLine)
            try await web.changes.drain()
            #expect(try await client.api("/api/v1/rubrics", key: other).status == .ok)
        }
    }

    @Test("rubrics, tags page by page, authors, and the site's search", arguments: TestEngine.available)
    func taxonomyAndSearch(engine: TestEngine) async throws {
        try await withAPI(engine) { client, web, key in
            let rubrics = try await client.api("/api/v1/rubrics", key: key).strings("rubrics", "slug")
            let stored = try await RubricRepository(database: web.database).all().map(\.slug)
            #expect(rubrics == stored)
            var tags: [String] = []
            var uri = "/api/v1/tags?limit=5"
            while true {
                let answer = try await client.api(uri, key: key)
                tags += answer.strings("tags", "slug")
                guard let next = answer.json["next_cursor"] as? String else { break }
                uri = "/api/v1/tags?limit=5&cursor=\(next)"
            }
            #expect(!tags.isEmpty && tags == tags.sorted() && Set(tags).count == tags.count)
            let authors = try await client.api("/api/v1/authors", key: key).strings("authors", "url")
            #expect(!authors.isEmpty && authors.allSatisfy { $0.contains("/author/") })
            // Inflected forms find each other, as on the site.
            let found = try await client.api("/api/v1/search?q=Путіна&fields=title", key: key)
            let onlyTitles = found.articles.allSatisfy { Set($0.keys) == ["id", "title"] }
            #expect(found.status == .ok && !found.ids.isEmpty && onlyTitles)
            #expect(try await client.api("/api/v1/search", key: key).status == .badRequest)
            #expect(try await client.api("/api/v1/search?q=x&page=501", key: key).status == .badRequest)
            #expect(try await client.api("/api/v1/tags?cursor=%21%21", key: key).code == "invalid_cursor")
        }
    }

    @Test("random query strings get a JSON answer, never a 500")
    func fuzz() async throws {
        try await withAPI(.sqlite) { client, _, key in
            var generator = SystemRandomNumberGenerator()
            let names = [
                "limit", "cursor", "since", "until", "updated_since", "fields", "include", "rubric", "tag",
                "author", "q", "page", "key", "", "%", "limit[]",
            ]
            let values = [
                "", "0", "-1", "1", "99999999999999999999", "abc", "%ZZ", "%00", "2026-01-01T00:00:00Z",
                "title,slug", ",,,", "body", "Львів", "\"фраза\"", "-слово", "%E2%80%8B",
                String(repeating: "я", count: 300),
            ]
            let paths = [
                "/api/v1/articles", "/api/v1/search", "/api/v1/tags", "/api/v1/latest", "/api/v1/articles/1",
                "/api/v1/articles/slug/x", "/api/v1/authors",
            ]
            for _ in 0..<300 {
                let query = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    names.randomElement(using: &generator)! + "=" + values.randomElement(using: &generator)!
                        .addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"]))!
                }.joined(separator: "&")
                let path = paths.randomElement(using: &generator)! + "?" + query
                let answer = try await client.api(path, key: key)
                #expect(answer.status.code < 500, "\(path)")
                #expect(answer.status == .ok || answer.code != nil, "\(path)")
            }
        }
    }

    @Test("the OpenAPI document is served as JSON and its page lists every operation")
    func document() async throws {
        try await withSite(.sqlite) { client, _ in
            let page = try await client.page("/api/v1/openapi.json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let operations = paths.values.flatMap {
                $0.values.compactMap { ($0 as? [String: Any])?["operationId"] as? String }
            }
            #expect(operations.count >= 8)
            let docs = try await client.page("/api/v1/docs")
            #expect(docs.headers[.contentType] == "text/html; charset=utf-8")
            for operation in operations { #expect(docs.body.contains("id=\"\(operation)\""), "\(operation)") }
            #expect(!docs.body.contains("<script src=\"http"), "no external scripts")
        }
    }

    @Test(
        "administrators make a key (shown once), see it listed and revoke it; others may not",
        arguments: TestEngine.available)
    func newsroom(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            #expect(try await client.browse("/admin/api-keys", jar: editor.jar).status == .forbidden)
            #expect(try await client.post("/admin/api-keys", as: editor, ["name": "Чужий"]).status == .forbidden)
            let empty = try await client.post("/admin/api-keys", as: admin, ["name": "   "])
            #expect(empty.status == .unprocessableContent && empty.body.contains("role=\"alert\""))
            let made = try await client.post("/admin/api-keys", as: admin, ["name": "Telegram-бот <редакції>"])
            #expect(made.status == .ok && made.headers[.cacheControl] == "no-store")
            let secret = try #require(made.body.captures(#"class="api-secret">(shp_c_[A-Za-z0-9_-]+)<"#).first)
            #expect(made.body.contains("Telegram-бот &lt;редакції&gt;"))
            #expect(try await client.api("/api/v1/rubrics", key: secret).status == .ok)
            // Listed by its beginning only; the secret is never shown again.
            let list = try await client.browse("/admin/api-keys", jar: admin.jar)
            #expect(list.body.contains(String(secret.prefix(12))) && !list.body.contains(secret))
            let keys = try await APIKeyRepository(database: database).all()
            #expect(keys.count == 1)
            #expect(try await client.post("/admin/api-keys/\(keys[0].id)/revoke", as: editor).status == .forbidden)
            let revoked = try await client.post("/admin/api-keys/\(keys[0].id)/revoke", as: admin)
            #expect(revoked.status == .seeOther)
            #expect(try await client.api("/api/v1/rubrics", key: secret).status == .unauthorized)
            #expect(try await client.post("/admin/api-keys/999/revoke", as: admin).status == .notFound)
            // Both are in the audit log, with who did them.
            let audit = try await client.browse("/admin/audit", jar: admin.jar).body
            #expect(audit.contains("створено ключ API") && audit.contains("відкликано ключ API"))
        }
    }
}
