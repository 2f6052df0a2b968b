import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// The Admin API's photos, rubrics, tags and people (issue #11): the same use cases, checks and permissions as the
/// newsroom's pages.
@Suite("Admin API: photos, rubrics, tags, people")
struct AdminAPINewsroomTests {
    /// A 2 × 3 PNG.
    static let png = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAFElEQVQI12P8v5SBgYGBiYEBiQIAIH8Bqlyk2oYAAAAASUVORK5CYII=")!

    static let photoQuery =
        "alt=%D0%97%D0%B0%D0%BB%20%D1%81%D0%B5%D1%81%D1%96%D0%B9&credit=%D0%A4%D0%BE%D1%82%D0%BE%3A%20%D0%9D%D0%90%D0%91%D0%A3"

    @Test(
        "a photo upload is checked by content, size and credit, then listed and usable as a story's cover",
        arguments: TestEngine.available)
    func media(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let journalist = try await client.member(database, "j@example.com", role: .journalist)
            let token = try await AdminAPITests.token(database, for: journalist)
            func upload(_ body: Data, query: String, type: String = "image/png") async throws -> APIAnswer {
                try await client.execute(
                    uri: "/api/v1/admin/media?" + query, method: .post,
                    headers: [.authorization: "Bearer " + token, .contentType: type], body: ByteBuffer(data: body)
                ) { response in
                    let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any]
                    return APIAnswer(status: response.status, headers: response.headers, json: json ?? [:])
                }
            }
            let stored = try await upload(Self.png, query: Self.photoQuery)
            #expect(stored.status == .created)
            let media = try #require(stored.json["media"] as? [String: Any])
            #expect(media["width"] as? Int == 2 && media["height"] as? Int == 3)
            #expect(media["alt"] as? String == "Зал сесій" && media["credit"] as? String == "Фото: НАБУ")
            let id = try #require((media["id"] as? NSNumber)?.int64Value)
            let url = try #require(media["url"] as? String)
            #expect(try await client.page(String(url[url.range(of: "/media/")!.lowerBound...])).status == .ok)
            // Checked by content, whatever the Content-Type says; the refused bytes leave nothing behind.
            let fake = try await upload(Data("<?php echo 1; ?>".utf8), query: Self.photoQuery, type: "image/jpeg")
            #expect(fake.status == .unsupportedMediaType && fake.code == "unsupported_type")
            #expect(
                try await upload(Self.png, query: Self.photoQuery, type: "text/plain").status == .unsupportedMediaType)
            #expect(try await upload(Self.png, query: "alt=x").status == .badRequest, "the credit is required")
            let blank = try await upload(Self.png, query: "alt=%20%20&credit=y")
            #expect(blank.status == .unprocessableContent && blank.code == "invalid")
            let unsafe = try await upload(Self.png, query: "alt=x&credit=y&credit_url=javascript%3Aalert(1)")
            #expect(unsafe.status.code / 100 == 4)
            let big = try await upload(Data(count: maxUploadBytes + 1), query: "alt=x&credit=y")
            #expect(big.status == .contentTooLarge && big.code == "too_large")
            let second = try await upload(Self.png, query: Self.photoQuery)
            #expect(second.status == .created)
            let all = try await client.admin("/api/v1/admin/media", token: token)
            #expect((all.json["media"] as? [[String: Any]])?.count == 2, "only the two accepted uploads")
            // Newest first, paged by cursor.
            let first = try await client.admin("/api/v1/admin/media?limit=1", token: token)
            let cursor = try #require(first.json["next_cursor"] as? String)
            let next = try await client.admin("/api/v1/admin/media?limit=1&cursor=" + cursor, token: token)
            #expect(((next.json["media"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value == id)
            #expect(next.json["next_cursor"] == nil)
            #expect(try await client.admin("/api/v1/admin/media?cursor=x1", token: token).code == "invalid_cursor")
            // The photo is a story's cover, with its credit.
            let story = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post,
                json: #"{"title":"З фото","cover_id":\#(id),"blocks":[{"type":"image","media_id":\#(id)}]}"#)
            #expect(story.status == .created && (story.article["cover_id"] as? NSNumber)?.int64Value == id)
            let audit = try await AuditLog(database: database).latest()
            #expect(audit.filter { $0.action == "media_uploaded" && $0.userID == journalist.user.id }.count == 2)
        }
    }

    @Test(
        "administrators add, rename and reorder rubrics; the menu shows it on the next request; others get 403",
        arguments: TestEngine.available)
    func rubrics(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            let token = try await AdminAPITests.token(database, for: admin)
            let editorToken = try await AdminAPITests.token(database, for: editor)
            let before = try await client.admin("/api/v1/admin/rubrics", token: editorToken)
            let rubrics = try #require(before.json["rubrics"] as? [[String: Any]])
            #expect(!rubrics.isEmpty, "every member reads the rubrics")
            _ = try await client.page("/")
            let created = try await client.admin(
                "/api/v1/admin/rubrics", token: token, method: .post, json: #"{"name":"Культура"}"#)
            #expect(created.status == .created)
            let rubric = try #require(created.json["rubric"] as? [String: Any])
            #expect(rubric["slug"] as? String == "kultura" && rubric["position"] as? Int == rubrics.count)
            #expect(try await client.page("/").body.contains("Культура"), "the cached menu is made again")
            let taken = try await client.admin(
                "/api/v1/admin/rubrics", token: token, method: .post, json: #"{"name":"Ще культура","slug":"kultura"}"#)
            #expect(taken.status == .conflict && taken.code == "conflict")
            let reserved = try await client.admin(
                "/api/v1/admin/rubrics", token: token, method: .post, json: #"{"name":"Адмінка","slug":"admin"}"#)
            #expect(reserved.status == .unprocessableContent)
            #expect(
                try await client.admin(
                    "/api/v1/admin/rubrics", token: token, method: .post, json: #"{"name":"   "}"#
                ).status == .badRequest)
            let id = try #require((rubric["id"] as? NSNumber)?.int64Value)
            let renamed = try await client.admin(
                "/api/v1/admin/rubrics/\(id)", token: token, method: .patch, json: #"{"name":"Мистецтво","position":0}"#
            )
            #expect(renamed.status == .ok)
            let after = try #require(renamed.json["rubric"] as? [String: Any])
            #expect(after["slug"] as? String == "kultura" && after["name"] as? String == "Мистецтво")
            #expect(try await client.page("/rubric/kultura").body.contains("Мистецтво"))
            let missing = try await client.admin(
                "/api/v1/admin/rubrics/999999", token: token, method: .patch, json: #"{"name":"Ніщо"}"#)
            #expect(missing.status == .notFound && missing.code == "not_found")
            #expect(
                try await client.admin("/api/v1/admin/rubrics/\(id)", token: token, method: .patch, json: "{}").status
                    == .badRequest)
            // An editor may do neither, and nothing changes.
            let refused = try await client.admin(
                "/api/v1/admin/rubrics", token: editorToken, method: .post, json: #"{"name":"Редакторська"}"#)
            #expect(refused.status == .forbidden && refused.code == "forbidden")
            #expect(
                try await client.admin(
                    "/api/v1/admin/rubrics/\(id)", token: editorToken, method: .patch, json: #"{"name":"Ні"}"#
                ).status == .forbidden)
            let now = try await RubricRepository(database: database).all()
            #expect(now.count == rubrics.count + 1 && now.contains { $0.name == "Мистецтво" })
        }
    }

    @Test(
        "administrators rename tags (the address stays) and remove unused ones; a tag in use or a taken name is a 409",
        arguments: TestEngine.available)
    func tags(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            let token = try await AdminAPITests.token(database, for: admin)
            let editorToken = try await AdminAPITests.token(database, for: editor)
            // A draft made with two new tags, then saved with one: the other is left on no story.
            let draft = try await client.admin(
                "/api/v1/admin/articles", token: editorToken, method: .post,
                json: #"{"title":"Чернетка","tags":["Сирота","Київщина"]}"#)
            let draftID = try #require(draft.articleID)
            let saved = try await client.admin(
                "/api/v1/admin/articles/\(draftID)?version=1", token: editorToken, method: .put,
                json: #"{"title":"Чернетка","tags":["Київщина"]}"#)
            #expect(saved.status == .ok)
            var all: [[String: Any]] = []
            var cursor: String?
            repeat {
                let page = try await client.admin(
                    "/api/v1/admin/tags?limit=100" + (cursor.map { "&cursor=" + $0 } ?? ""), token: editorToken)
                #expect(page.status == .ok)
                all += page.json["tags"] as? [[String: Any]] ?? []
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil
            func tag(_ slug: String) -> [String: Any]? { all.first { $0["slug"] as? String == slug } }
            let orphan = try #require(tag("syrota"))
            #expect(orphan["stories"] as? Int == 0 && tag("kyivshchyna")?["stories"] as? Int == 1)
            let used = try #require(all.first { ($0["stories"] as? Int ?? 0) > 1 })
            let usedID = try #require((used["id"] as? NSNumber)?.int64Value)
            let usedSlug = try #require(used["slug"] as? String)
            // Renamed: the same address, the new name on its page at once.
            _ = try await client.page("/tag/" + usedSlug)
            let renamed = try await client.admin(
                "/api/v1/admin/tags/\(usedID)", token: token, method: .patch, json: #"{"name":"Нова назва тегу"}"#)
            #expect(renamed.status == .ok)
            #expect((renamed.json["tag"] as? [String: Any])?["slug"] as? String == usedSlug)
            #expect(try await client.page("/tag/" + usedSlug).body.contains("Нова назва тегу"))
            let taken = try await client.admin(
                "/api/v1/admin/tags/\(usedID)", token: token, method: .patch, json: #"{"name":"Сирота"}"#)
            #expect(taken.status == .conflict)
            // Only a tag no story carries is removed.
            let inUse = try await client.admin("/api/v1/admin/tags/\(usedID)", token: token, method: .delete)
            #expect(inUse.status == .conflict && inUse.code == "conflict")
            let orphanID = try #require((orphan["id"] as? NSNumber)?.int64Value)
            #expect(
                try await client.admin("/api/v1/admin/tags/\(orphanID)", token: editorToken, method: .delete).status
                    == .forbidden)
            #expect(
                try await client.admin("/api/v1/admin/tags/\(orphanID)", token: token, method: .delete).status
                    == .noContent)
            #expect(try await TagRepository(database: database).find(slug: "syrota") == nil)
            let again = try await client.admin("/api/v1/admin/tags/\(orphanID)", token: token, method: .delete)
            #expect(again.status == .notFound && again.code == "not_found")
            let audit = try await AuditLog(database: database).latest()
            #expect(audit.contains { $0.action == "tag_renamed" } && audit.contains { $0.action == "tag_removed" })
        }
    }

    @Test(
        "administrators add people, change roles and editors' rubrics, and disable accounts; nobody else may",
        arguments: TestEngine.available)
    func people(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            let token = try await AdminAPITests.token(database, for: admin)
            let editorToken = try await AdminAPITests.token(database, for: editor)
            #expect(try await client.admin("/api/v1/admin/people", token: editorToken).status == .forbidden)
            let list = try await client.admin("/api/v1/admin/people", token: token)
            let emails = (list.json["people"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
            #expect(emails.contains("admin@example.com") && emails.contains("editor@example.com"))
            let added = try await client.admin(
                "/api/v1/admin/people", token: token, method: .post,
                json:
                    #"{"email":"Nova@Example.com","name":"Нова Журналістка","role":"journalist","password":"довгий пароль для API"}"#
            )
            #expect(added.status == .created)
            let person = try #require(added.json["person"] as? [String: Any])
            #expect(person["email"] as? String == "nova@example.com" && person["role"] as? String == "journalist")
            let id = try #require((person["id"] as? NSNumber)?.int64Value)
            // The new account signs in with its password.
            #expect(
                try await UserRepository(database: database, bcryptCost: 4).authenticate(
                    email: "nova@example.com", password: "довгий пароль для API") != nil)
            let twice = try await client.admin(
                "/api/v1/admin/people", token: token, method: .post,
                json:
                    #"{"email":"nova@example.com","name":"Двійник","role":"editor","password":"ще один довгий пароль"}"#
            )
            #expect(twice.status == .conflict)
            let short = try await client.admin(
                "/api/v1/admin/people", token: token, method: .post,
                json: #"{"email":"short@example.com","name":"Коротко","role":"editor","password":"123"}"#)
            #expect(short.status == .badRequest)
            let byEditor = try await client.admin(
                "/api/v1/admin/people", token: editorToken, method: .post,
                json:
                    #"{"email":"e@example.com","name":"Від редактора","role":"administrator","password":"довгий пароль редактора"}"#
            )
            #expect(byEditor.status == .forbidden)
            #expect(try await UserRepository(database: database).find(email: "e@example.com") == nil)
            // Role and rubrics in one change.
            let rubric = try #require(try await RubricRepository(database: database).all().first)
            let promoted = try await client.admin(
                "/api/v1/admin/people/\(id)", token: token, method: .patch,
                json: #"{"role":"editor","rubrics":["\#(rubric.slug)"]}"#)
            #expect(promoted.status == .ok)
            let after = try #require(promoted.json["person"] as? [String: Any])
            #expect(after["role"] as? String == "editor" && after["rubrics"] as? [String] == [rubric.slug])
            // An unknown rubric changes nothing, the role included.
            let unknown = try await client.admin(
                "/api/v1/admin/people/\(id)", token: token, method: .patch,
                json: #"{"role":"contributor","rubrics":["nemaie-takoi"]}"#)
            #expect(unknown.status == .notFound)
            #expect(try await UserRepository(database: database).find(id: id)?.role == .editor)
            // Not one's own role, and not another's account by an editor.
            let own = try await client.admin(
                "/api/v1/admin/people/\(admin.user.id!)", token: token, method: .patch, json: #"{"disabled":true}"#)
            #expect(own.status == .forbidden)
            #expect(
                try await client.admin(
                    "/api/v1/admin/people/\(id)", token: editorToken, method: .patch, json: #"{"disabled":true}"#
                ).status == .forbidden)
            #expect(
                try await client.admin(
                    "/api/v1/admin/people/999999", token: token, method: .patch, json: #"{"disabled":true}"#
                ).status == .notFound)
            // Disabled: the editor's token stops at once.
            let disabled = try await client.admin(
                "/api/v1/admin/people/\(editor.user.id!)", token: token, method: .patch, json: #"{"disabled":true}"#)
            #expect(disabled.status == .ok && (disabled.json["person"] as? [String: Any])?["disabled"] as? Bool == true)
            #expect(try await client.admin("/api/v1/admin/rubrics", token: editorToken).status == .unauthorized)
            let audit = try await AuditLog(database: database).latest()
            #expect(audit.contains { $0.action == "user_added" && $0.userID == admin.user.id })
            #expect(audit.contains { $0.action == "role_changed" } && audit.contains { $0.action == "user_disabled" })
        }
    }

    @Test(
        "a story whose photo lacks alt text or a credit is not published or scheduled until the rule is turned off",
        arguments: TestEngine.available)
    func photoRule(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            let token = try await AdminAPITests.token(database, for: editor)
            // A photo imported without alt text (uploads always have it).
            let root = FileManager.default.temporaryDirectory.appendingPathComponent(
                "shpalta-rule-" + UUID().uuidString)
            defer { try? FileManager.default.removeItem(at: root) }
            let store = try DirectoryMediaStore(root: root.path)
            let file = try store.temporaryFile()
            try Self.png.write(to: file)
            let photo = try await Newsroom(database: database).addMedia(
                Media(file: "imported.png", mimeType: "image/png", width: 2, height: 3, credit: "Фото: архів"),
                file: file, into: store, by: .commandLine)
            let created = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post,
                json: #"{"title":"Без опису фото","cover_id":\#(photo.id!)}"#)
            let id = try #require(created.articleID)
            let refused = try await client.admin(
                "/api/v1/admin/articles/\(id)/transition", token: token, method: .post, json: #"{"to":"published"}"#)
            #expect(refused.status == .unprocessableContent && refused.code == "invalid")
            #expect((refused.json["fields"] as? [[String: Any]])?.first?["field"] as? String == "cover")
            let scheduled = try await client.admin(
                "/api/v1/admin/articles/\(id)/transition", token: token, method: .post,
                json: #"{"to":"scheduled","publish_at":"2030-01-01T10:00:00+02:00"}"#)
            #expect(scheduled.status == .unprocessableContent)
            #expect(try await ArticleRepository(database: database).find(id: id)?.status == .draft)
            // Turned off in the settings, the same story goes out.
            try await Newsroom(database: database).changeSettings([Newsroom.photoRuleKey: "off"], by: .commandLine)
            let published = try await client.admin(
                "/api/v1/admin/articles/\(id)/transition", token: token, method: .post, json: #"{"to":"published"}"#)
            #expect(published.status == .ok)
        }
    }
}
