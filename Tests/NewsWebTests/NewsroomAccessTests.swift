import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import SQLKit
import TestSupport
import Testing

/// Access is checked before anything changes, and members learn only what they may open (issue #8).
@Suite("Newsroom access before state")
struct NewsroomAccessTests {
    static func locks(_ database: Database) async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM article_locks").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    @Test("restore and GET take no lock without access; unknown ids are 404", arguments: TestEngine.available)
    func restoreChecksAccessFirst(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let story = try #require(try await ArticleRepository(database: database).find(slug: referenceSlug)).id!
            let contributor = try await client.member(database, "c@example.com", role: .contributor)
            let restore = try await client.post(
                "/admin/articles/\(story)/revisions/1/restore", as: contributor, ["version": "1"])
            #expect(restore.status == .forbidden)
            #expect(try await Self.locks(database) == 0)
            let editor = try await client.member(database, "e@example.com", role: .editor)
            let unknown = try await client.post(
                "/admin/articles/\(story)/revisions/987654/restore", as: editor, ["version": "1"])
            #expect(unknown.status == .notFound)
            #expect(try await client.post("/admin/articles/987654/revisions/1/restore", as: editor).status == .notFound)
            #expect(try await Self.locks(database) == 0)
            // A GET or HEAD of the editor never locks; the page's POST does.
            #expect(try await client.browse("/admin/articles/\(story)", jar: editor.jar).status == .ok)
            #expect(try await client.browse("/admin/articles/\(story)", jar: editor.jar, method: .head).status == .ok)
            #expect(try await Self.locks(database) == 0)
            let lock = try await client.post("/admin/articles/\(story)/lock", as: editor)
            #expect(lock.body.contains(#""state":"held""#))
            #expect(try await Self.locks(database) == 1)
            // Someone who may not open the story learns nothing of its lock.
            let journalist = try await client.member(database, "j@example.com", role: .journalist)
            for action in ["lock", "heartbeat", "unlock"] {
                let page = try await client.post("/admin/articles/\(story)/\(action)", as: journalist, ["lock": "x"])
                #expect(page.status == .forbidden, "\(action)")
                #expect(!page.body.contains("e@example.com"))
            }
        }
    }

    @Test("lookups show members only what they may open, and published stories", arguments: TestEngine.available)
    func lookupsLimited(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let editor = try await client.member(database, "e@example.com", role: .editor)
            let created = try await client.post(
                "/admin/articles", as: editor, articleFields(title: "Секретна чернетка редактора"))
            let draft = try #require(articleID(fromLocation: created.headers[.location]))
            let journalist = try await client.member(database, "j@example.com", role: .journalist)
            let found = try await client.browse("/admin/articles.json?q=Секретна", jar: journalist.jar)
            #expect(found.status == .ok && !found.body.contains("Секретна"))
            #expect(found.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            let published = try await client.browse("/admin/articles.json?q=Путін", jar: journalist.jar)
            #expect(published.body.contains("Путін"))
            #expect(
                try await client.browse("/admin/articles.json?q=Секретна", jar: editor.jar).body.contains("Секретна"))
            // "Read also" of a draft the journalist may not open: its title is not shown in their editor.
            let body = #"[{"readAlso":{"articleID":\#(draft)}}]"#
            let own = try await client.post(
                "/admin/articles", as: journalist, articleFields(title: "Моя", body: body))
            let page = try await client.browse(own.headers[.location] ?? "", jar: journalist.jar)
            #expect(!page.body.contains("Секретна чернетка"))
        }
    }

    @Test("a form id used by someone else is a 409 with the text kept, not a 500", arguments: TestEngine.available)
    func formIDConflict(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let first = try await client.member(database, "a@example.com", role: .journalist)
            let second = try await client.member(database, "b@example.com", role: .journalist)
            let fields = articleFields(title: "Перша", extra: ["form_id": "shared-form-id"])
            #expect(try await client.post("/admin/articles", as: first, fields).status == .seeOther)
            let again = try await client.post(
                "/admin/articles", as: second, articleFields(title: "Друга", extra: ["form_id": "shared-form-id"]))
            #expect(again.status == .conflict)
            #expect(again.body.contains("Друга"))
        }
    }

    @Test("an oversized form is 413, and nobody signed out gets a body read")
    func oversizedForms() async throws {
        try await withSite(.sqlite) { client, database in
            let editor = try await client.member(database, "e@example.com", role: .editor)
            let huge = String(repeating: "а", count: 1_200_000)
            let signedIn = try await client.post("/admin/articles", as: editor, articleFields(title: huge))
            #expect(signedIn.status == .contentTooLarge)
            let anonymous = try await client.browse(
                "/admin/articles", jar: CookieJar(), method: .post, form: ["title": huge])
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("backslash addresses are refused, never redirected or linked")
    func backslashes() async throws {
        #expect(!Span.isSafeLink("/\\evil.example"))
        #expect(!Span.isSafeLink("\\\\evil.example"))
        #expect(Span.isSafeLink("/news/x"))
        try await withSite(.sqlite) { client, _ in
            for path in ["/\\evil.example", "/%5Cevil.example", "/News/\\evil.example"] {
                let page = try await client.page(path)
                #expect(page.status == .badRequest, "\(path)")
                #expect(page.headers[.location] == nil)
            }
        }
    }
}
