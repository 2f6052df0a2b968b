import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("Administration: people, rubrics, settings")
struct AdministrationTests {
    @Test(
        "an administrator adds a person, changes the role, resets the password, disables them",
        arguments: TestEngine.available)
    func people(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let added = try await client.post(
                "/admin/people", as: admin,
                ["name": "Ірина <b>Мельник</b>", "email": "Iryna@Example.com", "role": "journalist"])
            #expect(added.status == .created)
            let password = try #require(added.body.captures(#"<code>([^<]+)</code>"#).first)
            #expect(added.body.contains("&lt;b&gt;"))
            let users = UserRepository(database: database, bcryptCost: 4)
            let iryna = try #require(try await users.find(email: "iryna@example.com"))
            #expect(try await users.authenticate(email: "iryna@example.com", password: password)?.id == iryna.id)
            let duplicate = try await client.post(
                "/admin/people", as: admin, ["name": "Дубль", "email": "iryna@example.com", "role": "editor"])
            #expect(duplicate.status == .unprocessableContent)
            #expect(
                try await client.post("/admin/people/\(iryna.id!)", as: admin, ["action": "role", "role": "editor"])
                    .status == .seeOther)
            #expect(try await users.find(id: iryna.id!)?.role == .editor)
            let reset = try await client.post("/admin/people/\(iryna.id!)", as: admin, ["action": "password"])
            let newPassword = try #require(reset.body.captures(#"<code>([^<]+)</code>"#).first)
            #expect(try await users.authenticate(email: "iryna@example.com", password: password) == nil)
            #expect(try await users.authenticate(email: "iryna@example.com", password: newPassword) != nil)
            #expect(
                try await client.post("/admin/people/\(iryna.id!)", as: admin, ["action": "disable"]).status
                    == .seeOther)
            #expect(try await users.find(id: iryna.id!)?.disabled == true)
            // Administrators cannot lock themselves out.
            #expect(
                try await client.post("/admin/people/\(admin.user.id!)", as: admin, ["action": "disable"]).status
                    == .badRequest)
            #expect(
                try await client.post(
                    "/admin/people/\(admin.user.id!)", as: admin, ["action": "role", "role": "contributor"]
                ).status == .badRequest)
            #expect(try await AuditLog(database: database).latest().contains { $0.action == "role_changed" })
            let audit = try await client.browse("/admin/audit", jar: admin.jar)
            #expect(audit.status == .ok && audit.body.contains("змінено роль") && audit.body.contains("вхід"))
        }
    }

    @Test("rubrics: add, rename and reorder; bad input changes nothing", arguments: TestEngine.available)
    func rubrics(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let repository = RubricRepository(database: database)
            let first = try await repository.upsert(Rubric(slug: "podrobytsi", name: "Подробиці", position: 0))
            let second = try await repository.upsert(Rubric(slug: "sport", name: "Спорт", position: 1))
            // The rubrics page's form: a row per rubric (its id, name and position), then the new rubric.
            let page = try await client.browse("/admin/rubrics", jar: admin.jar).body
            #expect(page.contains(#"name="id[]" value="\#(first.id!)""#))
            let saved = try await client.post(
                "/admin/rubrics", as: admin, ["new_name": "Культура", "new_slug": ""],
                pairs: [
                    ("id[]", "\(first.id!)"), ("name[]", "Подробиці дня"), ("position[]", "5"),
                    ("id[]", "\(second.id!)"), ("name[]", "Спорт"), ("position[]", "1"),
                ])
            #expect(saved.status == .seeOther)
            #expect(try await repository.all().map(\.slug) == ["sport", "podrobytsi", "kultura"])
            #expect(try await repository.find(slug: "podrobytsi")?.name == "Подробиці дня")
            let bad = try await client.post(
                "/admin/rubrics", as: admin, ["new_name": "Ще одна"],
                pairs: [("id[]", "\(first.id!)"), ("name[]", ""), ("position[]", "5")])
            #expect(bad.status == .unprocessableContent)
            // Rows that do not line up (a name without its position) are a bad request; nothing is stored.
            let uneven = try await client.post(
                "/admin/rubrics", as: admin, ["new_name": "Ще одна"],
                pairs: [("id[]", "\(first.id!)"), ("name[]", "Інша назва")])
            #expect(uneven.status == .badRequest)
            let taken = try await client.post(
                "/admin/rubrics", as: admin, ["new_name": "Спорт знову", "new_slug": "sport"])
            #expect(taken.status == .unprocessableContent)
            let reserved = try await client.post(
                "/admin/rubrics", as: admin, ["new_name": "Адмінка", "new_slug": "admin"])
            #expect(reserved.status == .unprocessableContent)
            #expect(try await repository.all().count == 3)
            #expect(try await repository.find(slug: "podrobytsi")?.name == "Подробиці дня")
        }
    }

    @Test("site settings: name and call to action reach the public pages", arguments: TestEngine.available)
    func settings(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let saved = try await client.post(
                "/admin/settings", as: admin,
                [
                    "site_name": "Львівський <вісник>", "cta_text": "Читайте нас у Telegram",
                    "cta_url": "https://t.me/visnyk",
                ])
            #expect(saved.status == .seeOther)
            let article = try await client.page("/news/\(referenceSlug)")
            #expect(article.body.contains("Львівський &lt;вісник&gt;"))
            #expect(article.body.contains("Читайте нас у Telegram"))
            let bad = try await client.post(
                "/admin/settings", as: admin,
                ["site_name": "Х", "cta_text": "Без посилання", "cta_url": "javascript:alert(1)"])
            #expect(bad.status == .unprocessableContent)
            #expect(try await client.page("/").body.contains("Львівський &lt;вісник&gt;"))
        }
    }
}

@Suite("Editors limited to some rubrics")
struct LimitedEditorTests {
    @Test("a limited editor publishes in their rubric and is a journalist elsewhere", arguments: TestEngine.available)
    func limited(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let editor = try await client.member(database, "sport@example.com", role: .editor)
            let sport = try #require(try await RubricRepository(database: database).find(slug: "sport"))
            let limit = try await client.post(
                "/admin/people/\(editor.user.id!)", as: admin, ["action": "rubrics"],
                pairs: [("rubrics[]", "\(sport.id!)")])
            #expect(limit.status == .seeOther)
            #expect(try await UserRepository(database: database).find(id: editor.user.id!)?.rubricIDs == [sport.id!])
            // The people page offers the choice for editors only, with the chosen rubric ticked.
            let people = try await client.browse("/admin/people", jar: admin.jar).body
            #expect(people.contains("name=\"rubrics[]\" value=\"\(sport.id!)\" checked"))
            #expect(people.components(separatedBy: "class=\"nr-rubrics\"").count == 2)
            let articles = ArticleRepository(database: database)
            let inSport = try #require(try await articles.feed(.rubric([sport.id!]), now: referenceEvening).items.first)
            let reference = try #require(try await articles.find(slug: referenceSlug))
            // Outside the rubric: no editor page, no unpublishing.
            #expect(try await client.browse("/admin/articles/\(reference.id!)", jar: editor.jar).status == .forbidden)
            #expect(
                try await client.post("/admin/articles/\(reference.id!)/transition", as: editor, ["to": "unpublished"])
                    .status == .forbidden)
            #expect(try await articles.find(id: reference.id!)?.status == .published)
            // Inside it: allowed.
            #expect(try await client.browse("/admin/articles/\(inSport.id)", jar: editor.jar).status == .ok)
            let moved = try await client.post(
                "/admin/articles/\(inSport.id)/transition", as: editor, ["to": "unpublished"])
            #expect(moved.headers[.location]?.hasSuffix("notice=moved") == true)
            #expect(try await articles.find(id: inSport.id)?.status == .unpublished)
            // The list shows the rubric's stories, not the others.
            let list = try await client.browse("/admin", jar: editor.jar).body
            #expect(list.contains(inSport.title) && !list.contains(reference.title))
        }
    }
}
