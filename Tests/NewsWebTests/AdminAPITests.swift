import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

extension TestClientProtocol {
    /// Sends `json` (a JSON text) to the Admin API with `token`.
    func admin(
        _ uri: String, token: String?, method: HTTPRequest.Method = .get, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> APIAnswer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer " + token }
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        { response in
            let body = String(buffer: response.body)
            let parsed =
                body.isEmpty
                ? [:] : ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:])
            return APIAnswer(status: response.status, headers: response.headers, json: parsed)
        }
    }
}

extension APIAnswer {
    var article: [String: Any] { json["article"] as? [String: Any] ?? [:] }
    var articleID: Int64? { (article["id"] as? NSNumber)?.int64Value }
    var version: Int? { (article["version"] as? NSNumber)?.intValue }
}

/// The Admin API (issue #11): a member's token does exactly what the member may, through the newsroom's use cases.
@Suite("Admin API")
struct AdminAPITests {
    /// A token for `member`, made as the newsroom makes it.
    static func token(_ database: Database, for member: Member, days: Int = 30) async throws -> String {
        try await Newsroom(database: database).createAPIToken(name: "тест", days: days, for: member.user).secret
    }

    static let story =
        #"{"title":"Новина з API","lede":"Перший абзац.","tags":["Київ","API"],"blocks":[{"type":"paragraph","spans":[{"text":"Текст, "},{"text":"жирний","bold":true}]},{"type":"heading","text":"Підзаголовок"}]}"#

    @Test(
        "a token works for its member only while it is valid: none, unknown, revoked, expired or disabled is a 401",
        arguments: TestEngine.available)
    func tokens(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            let token = try await Self.token(database, for: editor)
            #expect(try await client.admin("/api/v1/admin/articles", token: token).status == .ok)
            for wrong in [nil, "", "shp_a_nemaie", String(repeating: "a", count: 400)] {
                let answer = try await client.admin("/api/v1/admin/articles", token: wrong)
                #expect(answer.status == .unauthorized && answer.code == "unauthorized", "\(String(describing: wrong))")
            }
            // A content key opens no newsroom, and a token no content API.
            let key = try await Newsroom(database: database).createAPIKey(name: "ключ", by: .commandLine).secret
            #expect(try await client.admin("/api/v1/admin/articles", token: key).status == .unauthorized)
            #expect(try await client.api("/api/v1/articles", key: token).status == .unauthorized)
            // Expired (made a year and a day ago, for a year).
            let old = try await Newsroom(database: database).createAPIToken(
                name: "старий", days: 365, for: editor.user, now: Date().addingTimeInterval(-366 * 86_400)
            ).secret
            #expect(try await client.admin("/api/v1/admin/articles", token: old).status == .unauthorized)
            // Revoked in the newsroom's page, by its member.
            let tokens = try await APIKeyRepository(database: database).tokens(of: editor.user.id!)
            let id = try #require(tokens.first { $0.expiresAt! > Date() }?.id)
            #expect(try await client.post("/admin/tokens/\(id)/revoke", as: editor).status == .seeOther)
            #expect(try await client.admin("/api/v1/admin/articles", token: token).status == .unauthorized)
            // A disabled member's tokens open nothing.
            let journalist = try await client.member(database, "j@example.com", role: .journalist)
            let second = try await Self.token(database, for: journalist)
            try await Newsroom(database: database).setDisabled(true, of: journalist.user.id!, by: .commandLine)
            #expect(try await client.admin("/api/v1/admin/articles", token: second).status == .unauthorized)
        }
    }

    @Test(
        "create, read, update with the version, publish: the same rules, revisions and events as the editor",
        arguments: TestEngine.available)
    func lifecycle(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let editor = try await client.member(
                database, "editor@example.com", role: .editor, name: "Олена Редакторка")
            let token = try await Self.token(database, for: editor)
            let created = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post, json: Self.story)
            #expect(created.status == .created)
            let id = try #require(created.articleID)
            #expect(created.article["status"] as? String == "draft" && created.version == 1)
            #expect(created.article["slug"] as? String == "novyna-z-api")
            #expect(created.article["authors"] as? [String] == ["Олена Редакторка"], "the member's byline by default")
            #expect((created.article["blocks"] as? [[String: Any]])?.count == 2)
            // Read back, and the lock is not left behind: another editor in the browser opens it.
            #expect(try await client.admin("/api/v1/admin/articles/\(id)", token: token).version == 1)
            let colleague = try await client.member(database, "colleague@example.com", role: .editor)
            let (_, lock, _) = try await client.openEditor(id, as: colleague)
            #expect(!lock.isEmpty)
            // While the story is open in the editor, the API's save is refused and nothing changes.
            let locked = try await client.admin(
                "/api/v1/admin/articles/\(id)?version=1", token: token, method: .put, json: #"{"title":"Під замком"}"#)
            #expect(locked.status == .conflict && locked.code == "conflict")
            _ = try await client.post("/admin/articles/\(id)/unlock", as: colleague, ["lock": lock])
            let saved = try await client.admin(
                "/api/v1/admin/articles/\(id)?version=1", token: token, method: .put,
                json: #"{"title":"Новина з API, уточнено","lede":"Новий перший абзац.","tags":["Київ"]}"#)
            #expect(saved.status == .ok && saved.version == 2)
            // A save based on the old version is refused; nothing is stored.
            let stale = try await client.admin(
                "/api/v1/admin/articles/\(id)?version=1", token: token, method: .put, json: #"{"title":"Застаріле"}"#)
            #expect(stale.status == .conflict)
            #expect(try await ArticleRepository(database: database).find(id: id)?.title == "Новина з API, уточнено")
            let revisions = try await Newsroom(database: database).revisions(of: id)
            #expect(revisions.map(\.kind).contains("create") && revisions.count >= 2)
            // Published: on the site and in the Content API on the very next request.
            let published = try await client.admin(
                "/api/v1/admin/articles/\(id)/transition", token: token, method: .post, json: #"{"to":"published"}"#)
            #expect(published.status == .ok && published.article["status"] as? String == "published")
            #expect(try await client.page("/news").body.contains("Новина з API, уточнено"))
            let key = try await Newsroom(database: database).createAPIKey(name: "ключ", by: .commandLine).secret
            #expect(try await client.api("/api/v1/latest?limit=1", key: key).ids == [id])
            let audit = try await AuditLog(database: database).latest()
            #expect(audit.contains { $0.action == "article_published" && $0.userID == editor.user.id })
            // Scheduling needs a time to come.
            let past = try await client.admin(
                "/api/v1/admin/articles/\(id)/transition", token: token, method: .post,
                json: #"{"to":"scheduled","publish_at":"2020-01-01T00:00:00Z"}"#)
            #expect(past.status == .unprocessableContent)
            let list = try await client.admin("/api/v1/admin/articles?status=published&limit=100", token: token)
            #expect(list.ids.contains(id))
        }
    }

    @Test(
        "an Idempotency-Key makes a retried create one story; the same key with another body is a 409",
        arguments: TestEngine.available)
    func idempotency(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let journalist = try await client.member(database, "j@example.com", role: .journalist)
            let token = try await Self.token(database, for: journalist)
            let headers: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "story-42"]
            let first = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post, json: Self.story, headers: headers)
            let again = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post, json: Self.story, headers: headers)
            #expect(first.status == .created && again.status == .created)
            #expect(first.articleID != nil && first.articleID == again.articleID)
            let other = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post, json: #"{"title":"Інша"}"#, headers: headers)
            #expect(other.status == .conflict)
            let count = try await ArticleRepository(database: database).newsroomList(NewsroomFilter(), limit: 500).rows
                .filter { $0.title == "Новина з API" }.count
            #expect(count == 1)
            // As the document says: 1 to 200 visible ASCII characters but "%"; anything else is a 400.
            let long: HTTPFields = [HTTPField.Name("Idempotency-Key")!: String(repeating: "k", count: 200)]
            let accepted = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post, json: #"{"title":"Довгий ключ"}"#, headers: long)
            #expect(accepted.status == .created)
            for bad in [String(repeating: "k", count: 201), "ключ", "50%off"] {
                let refused = try await client.admin(
                    "/api/v1/admin/articles", token: token, method: .post, json: #"{"title":"Задовгий"}"#,
                    headers: [HTTPField.Name("Idempotency-Key")!: bad])
                #expect(refused.status == .badRequest, "\(bad)")
            }
        }
    }

    @Test(
        "roles: a journalist writes but does not publish; an editor of one rubric cannot touch another's stories",
        arguments: TestEngine.available)
    func roles(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let journalist = try await client.member(database, "j@example.com", role: .journalist)
            let token = try await Self.token(database, for: journalist)
            let created = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post, json: Self.story)
            let id = try #require(created.articleID)
            let publish = try await client.admin(
                "/api/v1/admin/articles/\(id)/transition", token: token, method: .post, json: #"{"to":"published"}"#)
            #expect(publish.status == .forbidden && publish.code == "forbidden")
            let submitted = try await client.admin(
                "/api/v1/admin/articles/\(id)/transition", token: token, method: .post, json: #"{"to":"review"}"#)
            #expect(submitted.status == .ok)
            // Someone else's story: a journalist may not open it.
            let reference = try #require(try await ArticleRepository(database: database).find(slug: referenceSlug))
            #expect(
                try await client.admin("/api/v1/admin/articles/\(reference.id!)", token: token).status == .forbidden)
            #expect(try await client.admin("/api/v1/admin/articles/999999", token: token).status == .notFound)
            // An editor of another rubric only.
            let rubrics = try await RubricRepository(database: database).all()
            let other = try #require(rubrics.first { $0.id != reference.rubricID })
            let editor = try await client.member(database, "e@example.com", role: .editor)
            try await Newsroom(database: database).setEditorRubrics([other.id!], of: editor.user.id!, by: .commandLine)
            let editorToken = try await Self.token(database, for: editor)
            let refused = try await client.admin(
                "/api/v1/admin/articles/\(reference.id!)/transition", token: editorToken, method: .post,
                json: #"{"to":"unpublished"}"#)
            #expect(refused.status == .forbidden)
            #expect(try await ArticleRepository(database: database).find(id: reference.id!)?.status == .published)
        }
    }

    @Test("bad bodies get a JSON error with a stable code, and nothing is stored", arguments: TestEngine.available)
    func badBodies(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            let token = try await Self.token(database, for: editor)
            let before = try await ArticleRepository(database: database).count()
            let cases: [(String, String?, HTTPResponse.Status, String)] = [
                (#"{"title":"#, nil, .badRequest, "invalid_parameter"),
                (#"{"title":"Так","bogus":1}"#, nil, .badRequest, "invalid_parameter"),
                (#"{"title":42}"#, nil, .badRequest, "invalid_parameter"),
                (#"[]"#, nil, .badRequest, "invalid_parameter"),
                (#"{"title":"Так"}"#, "text/plain", .unsupportedMediaType, "unsupported_type"),
                (#"{"title":"   "}"#, nil, .badRequest, "invalid_parameter"),
                (#"{"title":"Так","slug":"admin"}"#, nil, .conflict, "conflict"),
                (#"{"title":"Так","rubric":"nemaie"}"#, nil, .notFound, "not_found"),
                (#"{"title":"Так","cover_id":999999}"#, nil, .notFound, "not_found"),
                (
                    #"{"title":"Так","blocks":[{"type":"embed","url":"javascript:alert(1)"}]}"#, nil,
                    .unprocessableContent, "invalid"
                ),
                (
                    "{\"title\":\"" + String(repeating: "я", count: 1_100_000) + "\"}", nil, .contentTooLarge,
                    "too_large"
                ),
            ]
            for (body, type, status, code) in cases {
                var headers: HTTPFields = [:]
                if let type { headers[.contentType] = type }
                let answer = try await client.admin(
                    "/api/v1/admin/articles", token: token, method: .post, json: body, headers: headers)
                #expect(answer.status == status && answer.code == code, "\(body.prefix(60)) → \(answer.status)")
            }
            let invalid = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post,
                json:
                    #"{"title":"Так","blocks":[{"type":"paragraph","spans":[{"text":"x","link":"javascript:alert(1)"}]}]}"#
            )
            #expect(invalid.status == .unprocessableContent)
            #expect((invalid.json["fields"] as? [[String: Any]])?.first?["field"] as? String == "body")
            #expect(try await ArticleRepository(database: database).count() == before)
        }
    }

    @Test("members make and revoke their own tokens in the newsroom; the secret is shown once")
    func newsroomTokens() async throws {
        try await withSite(.sqlite) { client, database in
            let journalist = try await client.member(database, "j@example.com", role: .journalist)
            let made = try await client.post("/admin/tokens", as: journalist, ["name": "Мій бот", "days": "30"])
            #expect(made.status == .ok)
            let secret = try #require(made.body.captures(#"class="api-secret">(shp_a_[A-Za-z0-9_-]+)<"#).first)
            #expect(try await client.admin("/api/v1/admin/articles", token: secret).status == .ok)
            #expect(!(try await client.browse("/admin/tokens", jar: journalist.jar).body.contains(secret)))
            let bad = try await client.post("/admin/tokens", as: journalist, ["name": "Мій бот", "days": "9999"])
            #expect(bad.status == .unprocessableContent)
            // Another member cannot revoke it.
            let other = try await client.member(database, "o@example.com", role: .journalist)
            let id = try #require(
                try await APIKeyRepository(database: database).tokens(of: journalist.user.id!).first?.id)
            #expect(try await client.post("/admin/tokens/\(id)/revoke", as: other).status == .notFound)
            #expect(try await client.admin("/api/v1/admin/articles", token: secret).status == .ok)
        }
    }
}
