import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("Newsroom forms: decoded once, token checked before the handler")
struct FormTests {
    /// `member`'s cookies and a content type.
    static func headers(_ member: Member, _ contentType: String) -> HTTPFields {
        var headers = member.jar.header
        headers[.contentType] = contentType
        return headers
    }

    /// Every state-changing newsroom address, for a story `id` and its revision `revision`.
    static func postPaths(article id: Int64, revision: Int64, person: Int64) -> [String] {
        [
            "/admin/articles", "/admin/articles/\(id)", "/admin/articles/\(id)/autosave",
            "/admin/articles/\(id)/lock", "/admin/articles/\(id)/heartbeat", "/admin/articles/\(id)/unlock",
            "/admin/articles/\(id)/take-over", "/admin/articles/\(id)/transition",
            "/admin/articles/\(id)/revisions/\(revision)/restore", "/admin/people", "/admin/people/\(person)",
            "/admin/rubrics", "/admin/settings", "/admin/media", "/admin/api-keys", "/admin/api-keys/1/revoke",
            "/admin/webhooks", "/admin/webhooks/1/remove", "/admin/webhooks/1/deliveries/1/redeliver",
            "/admin/tokens", "/admin/tokens/1/revoke",
            "/admin/logout",
        ]
    }

    @Test(
        "no state-changing route runs without the session's token, in a form field or the header",
        arguments: TestEngine.available)
    func everyRouteNeedsTheToken(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let other = try await client.member(database, "other@example.com", role: .journalist)
            let id = try await client.createDraft("Чернетка для перевірки токена", as: admin)
            let revision = try #require(try await Newsroom(database: database).revisions(of: id).first?.id)
            let before = try #require(try await ArticleRepository(database: database).find(id: id))
            let count = try await ArticleRepository(database: database).newsroomList(NewsroomFilter(), limit: 500).rows
                .count
            for path in Self.postPaths(article: id, revision: revision, person: other.user.id!) {
                let fields = articleFields(
                    title: "Підмінений заголовок", extra: ["to": "published", "action": "disable"])
                // No token at all, someone else's token, a wrong header, and a body that is not a form.
                var forged = fields
                forged["_csrf"] = other.csrf
                let attempts: [(String, Page)] = [
                    ("no token", try await client.browse(path, jar: admin.jar, method: .post, form: fields)),
                    (
                        "another session's token",
                        try await client.browse(path, jar: admin.jar, method: .post, form: forged)
                    ),
                    (
                        "wrong header",
                        try await client.browse(
                            path, jar: admin.jar, method: .post, form: fields,
                            headers: [HTTPField.Name("X-CSRF-Token")!: "forged"])
                    ),
                ]
                for (what, page) in attempts {
                    #expect(page.status == .forbidden, "\(what): POST \(path)")
                }
                let raw = try await client.execute(
                    uri: path, method: .post, headers: Self.headers(admin, "application/json"),
                    body: ByteBuffer(string: #"{"title": "x"}"#)
                ) { $0.status }
                #expect(raw == .forbidden, "a JSON body without the header: POST \(path)")
            }
            let after = try #require(try await ArticleRepository(database: database).find(id: id))
            #expect(after.title == before.title && after.version == before.version && after.status == before.status)
            #expect(
                try await ArticleRepository(database: database).newsroomList(NewsroomFilter(), limit: 500).rows.count
                    == count)
            #expect(try await UserRepository(database: database).find(id: other.user.id!)?.disabled == false)
            #expect(try await client.browse("/admin", jar: admin.jar).status == .ok, "still signed in")
        }
    }

    @Test(
        "a form that does not fit its fields is a 400 page; one too large a 413; nothing is stored",
        arguments: TestEngine.available)
    func badForms(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let id = try await client.createDraft("Чернетка", as: admin)
            let (_, lock, version) = try await client.openEditor(id, as: admin)
            let before = try #require(try await ArticleRepository(database: database).find(id: id))
            // A field posted twice, a field that is a list where one value belongs, broken percent-encoding.
            for body in [
                "_csrf=\(admin.csrf)&title=Один&title=Два&version=\(version)&lock=\(lock)",
                "_csrf=\(admin.csrf)&title[]=Один&version=\(version)&lock=\(lock)",
                "_csrf=\(admin.csrf)&title=%E0%A4%A&version=\(version)&lock=\(lock)",
            ] {
                let page = try await client.execute(
                    uri: "/admin/articles/\(id)", method: .post,
                    headers: Self.headers(admin, "application/x-www-form-urlencoded"),
                    body: ByteBuffer(string: body)
                ) { Page(status: $0.status, headers: $0.headers, body: String(buffer: $0.body)) }
                #expect(page.status == .badRequest, "\(body)")
                #expect(page.body.contains("<h1"), "a readable page")
            }
            let huge = String(repeating: "а", count: 3 * 1_048_576)
            let tooLarge = try await client.post(
                "/admin/articles/\(id)", as: admin,
                articleFields(title: huge, extra: ["version": version, "lock": lock]))
            #expect(tooLarge.status == .contentTooLarge)
            let after = try #require(try await ArticleRepository(database: database).find(id: id))
            #expect(after.title == before.title && after.version == before.version)
        }
    }

    @Test("random form bodies get an answer, never a hang or a crash")
    func fuzz() async throws {
        try await withSite(.sqlite) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let id = try await client.createDraft("Чернетка", as: admin)
            var random = SystemRandomNumberGenerator()
            let alphabet = Array("ab=&[]%+_0123456789.csrf".utf8) + [0xD0, 0xB0, 0x00, 0xFF]
            for round in 0..<300 {
                let length = Int.random(in: 0...200, using: &random)
                var bytes = Array("_csrf=\(admin.csrf)&".utf8)
                bytes += (0..<length).map { _ in alphabet.randomElement(using: &random)! }
                let path = round.isMultiple(of: 2) ? "/admin/articles/\(id)" : "/admin/rubrics"
                let status = try await client.execute(
                    uri: path, method: .post,
                    headers: Self.headers(admin, "application/x-www-form-urlencoded"),
                    body: ByteBuffer(bytes: bytes)
                ) { $0.status }
                #expect(status.code < 500, "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }
}
