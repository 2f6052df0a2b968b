import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("The article editor over HTTP")
struct EditorTests {
    @Test("write, save, submit; the editor publishes; the story is on the site", arguments: TestEngine.available)
    func writeAndPublish(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let author = try #require(
                try await AuthorRepository(database: database).find(slug: "olena-kovalska")?.author)
            let journalist = try await client.member(
                database, "olena@example.com", role: .journalist, authorID: author.id)
            let editor = try await client.member(database, "ed@example.com", role: .editor)
            let created = try await client.post(
                "/admin/articles", as: journalist, articleFields(title: "<b>Нова</b> стаття про Львів"))
            #expect(created.status == .seeOther)
            let id = try #require(articleID(fromLocation: created.headers[.location]))
            var (page, lock, version) = try await client.openEditor(id, as: journalist)
            #expect(page.status == .ok)
            #expect(page.body.contains("&lt;b&gt;Нова&lt;/b&gt; стаття про Львів"))
            #expect(!lock.isEmpty && version == "1")
            let saved = try await client.post(
                "/admin/articles/\(id)", as: journalist,
                articleFields(title: "Нова стаття про Львів", extra: ["version": version, "lock": lock]))
            #expect(saved.status == .seeOther)
            (page, lock, version) = try await client.openEditor(id, as: journalist)
            #expect(version == "2")
            #expect(
                try await client.post("/admin/articles/\(id)/transition", as: journalist, ["to": "published"]).headers[
                    .location]?.contains("error_not_allowed") == true)
            #expect(
                try await client.post("/admin/articles/\(id)/transition", as: journalist, ["to": "review"]).status
                    == .seeOther)
            #expect(
                try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "published"]).status
                    == .seeOther)
            let stored = try #require(try await ArticleRepository(database: database).find(id: id))
            #expect(stored.status == .published)
            let home = try await client.page("/news")
            #expect(home.body.feedItemIDs.first == "/news/" + stored.slug)
            let publicPage = try await client.page("/news/" + stored.slug)
            #expect(publicPage.status == .ok && publicPage.body.contains("<h2>Підзаголовок</h2>"))
            #expect(!publicPage.body.contains("для редакції"))  // the editorial note is never shown
            let moves = try await Newsroom(database: database).transitions(of: id)
            #expect(moves.map(\.to) == [.review, .published])
            #expect(moves.map(\.user) == ["olena@example.com", "ed@example.com"])
        }
    }

    @Test("a stale save is refused with a clear message and the text kept", arguments: TestEngine.available)
    func staleSave(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            try await RubricRepository(database: database).upsert(Rubric(slug: "podrobytsi", name: "Подробиці"))
            let journalist = try await client.member(database, "olena@example.com", role: .journalist, name: "Олена")
            let id = try await client.createDraft("Перша", as: journalist)
            let (_, lock, version) = try await client.openEditor(id, as: journalist)
            _ = try await client.post(
                "/admin/articles/\(id)", as: journalist,
                articleFields(title: "Збережено в іншій вкладці", extra: ["version": version, "lock": lock]))
            let stale = try await client.post(
                "/admin/articles/\(id)", as: journalist,
                articleFields(
                    title: "Мій текст, що не має зникнути",
                    extra: ["version": version, "lock": lock, "tags": "Київ, Стара мітка відмови"]))
            #expect(stale.status == .conflict)
            #expect(stale.body.contains("Мій текст, що не має зникнути"))
            #expect(stale.body.contains("Стара мітка відмови"))
            #expect(try await ArticleRepository(database: database).find(id: id)?.title == "Збережено в іншій вкладці")
            let article = try #require(try await ArticleRepository(database: database).find(id: id))
            let kept = try await Newsroom(database: database).pendingAutosave(of: article, for: journalist.user)
            #expect(kept?.1.article.title == "Мій текст, що не має зникнути")
            // The refused save added no tag (it stays a name in the autosave).
            #expect(try await !TagRepository(database: database).names().contains("Стара мітка відмови"))
            #expect(kept?.1.tagNames == ["Київ", "Стара мітка відмови"])
        }
    }

    @Test("an autosave of half-typed names adds no tag or byline, and suggests none", arguments: TestEngine.available)
    func autosaveNames(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            try await RubricRepository(database: database).upsert(Rubric(slug: "podrobytsi", name: "Подробиці"))
            let journalist = try await client.member(database, "olena@example.com", role: .journalist, name: "Олена")
            let id = try await client.createDraft("Перша", as: journalist)
            let (_, lock, version) = try await client.openEditor(id, as: journalist)
            let tags = try await TagRepository(database: database).names()
            let authors = try await AuthorRepository(database: database).all().count
            let autosave = try await client.post(
                "/admin/articles/\(id)/autosave", as: journalist,
                articleFields(
                    title: "Перша, допис",
                    extra: ["version": version, "lock": lock, "tags": "Київ, Київщ", "bylines": "Олена, Гість Нап"]))
            #expect(autosave.status == .ok)
            #expect(try await TagRepository(database: database).names() == tags)
            #expect(try await AuthorRepository(database: database).all().count == authors)
            // The editor suggests no orphan; the autosave, when opened, shows the names as typed.
            let page = try await client.browse("/admin/articles/\(id)?autosave=1", jar: journalist.jar)
            #expect(!page.body.contains(#"<option value="Київщ""#))
            #expect(page.body.contains("Київ, Київщ") && page.body.contains("Олена, Гість Нап"))
        }
    }

    @Test(
        "an editor sees the lock, takes over; the journalist is told and cannot save over it",
        arguments: TestEngine.available)
    func lockTakeover(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            try await RubricRepository(database: database).upsert(Rubric(slug: "podrobytsi", name: "Подробиці"))
            let journalist = try await client.member(database, "olena@example.com", role: .journalist, name: "Олена")
            let editor = try await client.member(database, "ed@example.com", role: .editor, name: "Редактор")
            let created = try await client.post("/admin/articles", as: journalist, articleFields(title: "Спільна"))
            let id = try #require(articleID(fromLocation: created.headers[.location]))
            let (_, lock, version) = try await client.openEditor(id, as: journalist)
            let (seen, editorLock, _) = try await client.openEditor(id, as: editor)
            #expect(seen.body.contains("Олена"))
            #expect(editorLock.isEmpty)
            #expect(try await client.post("/admin/articles/\(id)/take-over", as: editor).status == .seeOther)
            let beat = try await client.post("/admin/articles/\(id)/heartbeat", as: journalist, ["lock": lock])
            #expect(beat.body.contains(#""state":"lost""#))
            #expect(beat.body.contains("Редактор"))
            let late = try await client.post(
                "/admin/articles/\(id)", as: journalist,
                articleFields(title: "Пізно", extra: ["version": version, "lock": lock]))
            #expect(late.status.code == 423)
            #expect(late.body.contains("Пізно"))
            // Even after the editor publishes it, the old tab hears about the lock, not about its role.
            #expect(
                try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "published"]).status
                    == .seeOther)
            let afterPublish = try await client.post(
                "/admin/articles/\(id)", as: journalist,
                articleFields(title: "Ще пізніше", extra: ["version": version, "lock": lock]))
            #expect(afterPublish.status.code == 423)
            #expect(afterPublish.body.contains("Ще пізніше"))
            #expect(try await ArticleRepository(database: database).find(id: id)?.title == "Спільна")
        }
    }

    @Test("bad input gets messages on the form and stores nothing", arguments: TestEngine.available)
    func badInput(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            try await RubricRepository(database: database).upsert(Rubric(slug: "podrobytsi", name: "Подробиці"))
            let journalist = try await client.member(database, "olena@example.com", role: .journalist)
            let cases: [[String: String]] = [
                articleFields(title: ""),
                articleFields(title: String(repeating: "Д", count: 2000)),
                articleFields(title: "Адмін", extra: ["slug": "admin"]),
                articleFields(title: "Зламане тіло", body: "<p>не JSON</p>"),
                articleFields(title: "Фото без фото", body: #"[{"image":{"mediaID":4242}}]"#),
                articleFields(title: "Читайте неіснуюче", body: #"[{"readAlso":{"articleID":4242}}]"#),
                articleFields(title: "Невідома рубрика", extra: ["rubric": "no-such"]),
            ]
            for fields in cases {
                let page = try await client.post("/admin/articles", as: journalist, fields)
                #expect(page.status == .unprocessableContent, "\(fields["title"] ?? "")")
                #expect(page.body.contains("role=\"alert\""), "\(fields["title"] ?? "") shows its errors")
            }
            #expect(try await ArticleRepository(database: database).count() == 0)
            #expect(try await TagRepository(database: database).find(slug: "nova-mitka") == nil)
        }
    }

    @Test("revisions: list, diff and restore", arguments: TestEngine.available)
    func revisions(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            try await RubricRepository(database: database).upsert(Rubric(slug: "podrobytsi", name: "Подробиці"))
            let journalist = try await client.member(database, "olena@example.com", role: .journalist)
            let created = try await client.post(
                "/admin/articles", as: journalist, articleFields(title: "Стара назва статті"))
            let id = try #require(articleID(fromLocation: created.headers[.location]))
            let (_, lock, version) = try await client.openEditor(id, as: journalist)
            _ = try await client.post(
                "/admin/articles/\(id)", as: journalist,
                articleFields(title: "Нова назва статті", extra: ["version": version, "lock": lock]))
            let history = try await client.browse("/admin/articles/\(id)/revisions", jar: journalist.jar)
            #expect(history.status == .ok)
            #expect(history.body.contains("Стара") && history.body.contains("Нова"))
            let first = try #require(try await Newsroom(database: database).revisions(of: id).last)
            let restored = try await client.post(
                "/admin/articles/\(id)/revisions/\(first.id)/restore", as: journalist, ["version": "2", "lock": lock])
            #expect(restored.headers[.location]?.contains("notice=restored") == true)
            #expect(try await ArticleRepository(database: database).find(id: id)?.title == "Стара назва статті")
        }
    }

    @Test("photo uploads are checked by content and size, and need alt text and credit")
    func uploads() async throws {
        try await withSite(.sqlite, demo: false) { client, database in
            let journalist = try await client.member(database, "olena@example.com", role: .journalist)
            let png = Data(
                base64Encoded:
                    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAFElEQVQI12P8v5SBgYGBiYEBiQIAIH8Bqlyk2oYAAAAASUVORK5CYII="
            )!
            func upload(_ body: Data, query: String, type: String = "image/png") async throws -> Page {
                var headers = journalist.jar.header
                headers[.contentType] = type
                headers[HTTPField.Name("X-CSRF-Token")!] = journalist.csrf
                return try await client.execute(
                    uri: "/admin/media?" + query, method: .post, headers: headers, body: ByteBuffer(data: body)
                ) {
                    Page(status: $0.status, headers: $0.headers, body: String(buffer: $0.body))
                }
            }
            let ok = try await upload(
                png,
                query:
                    "alt=%D0%A4%D0%BE%D1%82%D0%BE&credit=%D0%A4%D0%BE%D1%82%D0%BE%3A%20%D0%A0%D0%B5%D0%B4%D0%B0%D0%BA%D1%86%D1%96%D1%8F"
            )
            #expect(ok.status == .created)
            #expect(ok.body.contains(#""width":2"#) && ok.body.contains(#""height":3"#))
            // Served as its master rendition (a JPEG without metadata), with an ETag from the file's size and time;
            // a revalidation is a 304.
            let src = try #require(ok.body.captures(#""src":"([^"]+)""#).first).replacingOccurrences(
                of: "\\/", with: "/")
            let served = try await client.page(src)
            #expect(served.status == .ok && served.headers[.contentType] == "image/jpeg")
            let etag = try #require(served.headers[.eTag])
            #expect(try await client.page(src, headers: [.ifNoneMatch: etag]).status == .notModified)
            let fake = try await upload(Data("<?php echo 1; ?>".utf8), query: "alt=x&credit=y", type: "image/jpeg")
            #expect(fake.status == .unsupportedMediaType)
            #expect(try await upload(png, query: "credit=y").status == .unprocessableContent)
            #expect(try await upload(png, query: "alt=x").status == .unprocessableContent)
            let big = try await upload(Data(count: maxUploadBytes + 1), query: "alt=x&credit=y")
            #expect(big.status == .contentTooLarge)
            var noToken = journalist.jar.header
            noToken[.contentType] = "image/png"
            let forged = try await client.execute(
                uri: "/admin/media?alt=x&credit=y", method: .post, headers: noToken, body: ByteBuffer(data: png)
            ) { $0.status }
            #expect(forged == .forbidden)
            let library = try await client.browse("/admin/media.json", jar: journalist.jar)
            #expect(library.body.contains(#""alt":"Фото""#))
            // Browsers encode spaces in query strings as "+".
            let spaced = try await upload(
                png,
                query:
                    "alt=%D0%97%D0%B0%D0%BB+%D1%81%D0%B5%D1%81%D1%96%D0%B9&credit=%D0%A4%D0%BE%D1%82%D0%BE%3A+%D0%A0%D0%B0%D0%B4%D0%B0"
            )
            #expect(spaced.body.contains(#""alt":"Зал сесій""#) && spaced.body.contains(#""credit":"Фото: Рада""#))
        }
    }

    @Test("a published story's old address redirects after its slug changes")
    func slugChange() async throws {
        try await withSite(.sqlite) { client, database in
            let editor = try await client.member(database, "ed@example.com", role: .editor)
            let article = try #require(try await ArticleRepository(database: database).find(slug: referenceSlug))
            let (_, lock, version) = try await client.openEditor(article.id!, as: editor)
            let saved = try await client.post(
                "/admin/articles/\(article.id!)", as: editor,
                articleFields(
                    title: article.title, extra: ["slug": "putin-u-pkhenian", "version": version, "lock": lock]))
            #expect(saved.status == .seeOther)
            let old = try await client.page("/news/" + referenceSlug)
            #expect(old.status == .movedPermanently)
            #expect(old.headers[.location] == "/news/putin-u-pkhenian")
            #expect(try await client.page("/news/putin-u-pkhenian").status == .ok)
        }
    }
}

let maxUploadBytes = 25 * 1_048_576

@Suite("Forms posted twice")
struct DoublePostTests {
    @Test("a new-article form posted twice creates one draft")
    func doubleCreate() async throws {
        try await withSite(.sqlite) { client, database in
            let journalist = try await client.member(database, "olena@example.com", role: .journalist)
            let fields = articleFields(title: "Подвійний клік", extra: ["form_id": "abc123"])
            let first = try await client.post("/admin/articles", as: journalist, fields)
            let second = try await client.post("/admin/articles", as: journalist, fields)
            #expect(
                articleID(fromLocation: first.headers[.location]) == articleID(fromLocation: second.headers[.location]))
            #expect(
                try await ArticleRepository(database: database).newsroomList(NewsroomFilter(text: "Подвійний")).rows
                    .count == 1)
        }
    }
}
