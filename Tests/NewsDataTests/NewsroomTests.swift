import Foundation
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("Newsroom editing rules")
struct NewsroomTests {
    let now = Date(timeIntervalSince1970: 1_769_100_000)

    struct People {
        let journalist: User
        let other: User
        let editor: User
        let contributor: User
    }

    func people(_ database: Database) async throws -> People {
        let users = UserRepository(database: database, bcryptCost: 4)
        let author = try await AuthorRepository(database: database).upsert(Author(slug: "olena", name: "Олена"))
        var journalist = try await Newsroom(database: database, users: users).addPerson(
            email: "j@example.com", name: "Олена", role: .journalist, password: "password-123", by: .commandLine)
        try await users.setAuthor(author.id, for: journalist.id!)
        journalist.authorID = author.id
        return People(
            journalist: journalist,
            other: try await Newsroom(database: database, users: users).addPerson(
                email: "o@example.com", name: "Інший", role: .journalist, password: "password-123", by: .commandLine),
            editor: try await Newsroom(database: database, users: users).addPerson(
                email: "e@example.com", name: "Редактор", role: .editor, password: "password-123", by: .commandLine),
            contributor: try await Newsroom(database: database, users: users).addPerson(
                email: "c@example.com", name: "Дописувач", role: .contributor, password: "password-123",
                by: .commandLine))
    }

    func draft(_ title: String = "Перша версія") -> Article {
        Article(slug: Slug.make(from: title), title: title, lede: "Лід", body: [.paragraph(spans: [Span("Текст")])])
    }

    @Test(
        "a raw block keeps only safe HTML, whoever writes it; one left empty is removed",
        arguments: TestEngine.available)
    func rawHTML(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            var article = draft("Таблиця")
            article.body = [
                .raw(
                    html:
                        #"<table onclick="x()"><tr><td style="color:red">1<script>alert(1)</script></td></tr></table>"#),
                .raw(html: "<script>alert(2)</script>"),
            ]
            var (stored, token) = try await newsroom.create(article, by: team.journalist, now: now)
            #expect(stored.body == [.raw(html: "<table><tr><td>1</td></tr></table>")])
            stored.body.append(
                .raw(html: #"<a href="javascript:alert(3)">посилання</a><iframe src="https://e.example"></iframe>"#))
            stored = try await newsroom.save(
                stored, expectedVersion: 1, lockToken: token, by: team.journalist, now: now)
            let read = try await ArticleRepository(database: database).find(id: stored.id!)
            #expect(read?.body == [.raw(html: "<table><tr><td>1</td></tr></table>"), .raw(html: "<a>посилання</a>")])
        }
    }

    @Test("a journalist creates, saves and submits; every save is a revision", arguments: TestEngine.available)
    func createSaveSubmit(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            var (article, token) = try await newsroom.create(draft(), by: team.journalist, now: now)
            #expect(article.status == .draft && article.version == 1 && article.createdBy == team.journalist.id)
            #expect(article.bylineIDs == [team.journalist.authorID!])
            article.title = "Друга версія"
            article = try await newsroom.save(
                article, expectedVersion: 1, lockToken: token, by: team.journalist, now: now)
            #expect(article.version == 2)
            let submitted = try await newsroom.transition(article.id!, to: .review, by: team.journalist, now: now)
            #expect(submitted.status == .review)
            let history = try await newsroom.revisions(of: article.id!)
            #expect(history.map(\.kind) == ["save", "create"])
            #expect(history.allSatisfy { $0.userName == "Олена" })
            let moves = try await newsroom.transitions(of: article.id!)
            #expect(moves.count == 1 && moves[0].from == .draft && moves[0].to == .review && moves[0].user == "Олена")
            // Journalists cannot publish, nor touch a colleague's story.
            await #expect(throws: NewsroomError.forbidden) {
                try await newsroom.transition(article.id!, to: .published, by: team.journalist, now: now)
            }
            await #expect(throws: NewsroomError.forbidden) { try await newsroom.open(article.id!, for: team.other) }
            await #expect(throws: NewsroomError.forbidden) {
                try await newsroom.transition(article.id!, to: .draft, by: team.other, now: now)
            }
            // Contributors write drafts only.
            let (mine, _) = try await newsroom.create(draft("Дописувач пише"), by: team.contributor, now: now)
            await #expect(throws: NewsroomError.forbidden) {
                try await newsroom.transition(mine.id!, to: .review, by: team.contributor, now: now)
            }
        }
    }

    @Test("a revision keeps the story exactly, whatever its text holds", arguments: TestEngine.available)
    func revisionSnapshot(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            var story = draft(#"Заголовок з "body":[] і \ та "лапками""#)
            story.lede = #"{"body":[]}"#
            story.body = [
                .paragraph(spans: [Span(#"Текст "body":[] з \n і \"#, bold: true, link: "https://x.example/a?b=\"c\"")]
                ),
                .quote(text: "«Так»\n\t", attribution: nil),
                .list(ordered: true, items: [[Span("один")], []]),
            ]
            let (created, _) = try await newsroom.create(story, by: team.journalist, now: now)
            let revision = try #require(try await newsroom.revisions(of: created.id!).first)
            let (_, kept) = try await newsroom.revision(revision.id, of: created.id!)
            #expect(kept.title == created.title && kept.lede == created.lede && kept.body == created.body)
            #expect(kept.body == story.body)
        }
    }

    @Test("a save based on a stale version is refused and changes nothing", arguments: TestEngine.available)
    func staleSave(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            let (article, token) = try await newsroom.create(draft(), by: team.journalist, now: now)
            var first = article
            first.title = "Збережено першим"
            try await newsroom.save(first, expectedVersion: 1, lockToken: token, by: team.journalist, now: now)
            var second = article
            second.title = "Запізніле збереження"
            let error = await #expect(throws: NewsroomError.self) {
                try await newsroom.save(second, expectedVersion: 1, lockToken: token, by: team.journalist, now: now)
            }
            guard case .stale(let current, let savedBy, _) = error else {
                Issue.record("expected a stale error, got \(String(describing: error))")
                return
            }
            #expect(current == 2 && savedBy == "Олена")
            #expect(try await ArticleRepository(database: database).find(id: article.id!)?.title == "Збережено першим")
        }
    }

    @Test(
        "edit locks: others see the holder, may take over, and the previous holder is told",
        arguments: TestEngine.available)
    func locks(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            let (article, journalistToken) = try await newsroom.create(draft(), by: team.journalist, now: now)
            let id = article.id!
            let seen = try await newsroom.lock(id, by: team.editor, now: now.addingTimeInterval(10))
            #expect(seen == .heldByOther(name: "Олена", since: now))
            guard
                case .held(let editorToken) = try await newsroom.lock(
                    id, by: team.editor, takeOver: true, now: now.addingTimeInterval(20))
            else {
                Issue.record("take over failed")
                return
            }
            #expect(
                try await newsroom.heartbeat(id, token: journalistToken, now: now.addingTimeInterval(30))
                    == .lost(takenBy: "Редактор", at: now.addingTimeInterval(20)))
            var late = article
            late.title = "Журналістка не бачила"
            await #expect(throws: NewsroomError.lockLost(takenBy: "Редактор", at: now.addingTimeInterval(20))) {
                try await newsroom.save(
                    late, expectedVersion: 1, lockToken: journalistToken, by: team.journalist, now: now)
            }
            #expect(
                try await newsroom.heartbeat(id, token: editorToken, now: now.addingTimeInterval(40))
                    == .held(token: editorToken))
            // A lock nobody confirms expires.
            let later = now.addingTimeInterval(40 + Newsroom.lockTimeout + 1)
            guard case .held = try await newsroom.lock(id, by: team.journalist, now: later) else {
                Issue.record("a stale lock should be free")
                return
            }
            let audit = try await AuditLog(database: database).latest()
            #expect(audit.contains { $0.action == "lock_taken_over" && $0.userID == team.editor.id })
        }
    }

    @Test("scheduled stories publish when due, also after a restart", arguments: TestEngine.available)
    func scheduling(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            let (article, _) = try await newsroom.create(draft(), by: team.journalist, now: now)
            let due = now.addingTimeInterval(300)
            await #expect(throws: NewsroomError.self) {
                try await newsroom.transition(
                    article.id!, to: .scheduled, publishAt: now.addingTimeInterval(-5), by: team.editor, now: now)
            }
            let scheduled = try await newsroom.transition(
                article.id!, to: .scheduled, publishAt: due, by: team.editor, now: now)
            #expect(scheduled.status == .scheduled)
            #expect(try await newsroom.nextDue() == due)
            #expect(try await newsroom.publishDue(now: due.addingTimeInterval(-1)).isEmpty)
            #expect(try await ArticleRepository(database: database).feed(now: due).items.isEmpty)
            // The server was down at `due`; the first run after the restart publishes it.
            let published = try await newsroom.publishDue(now: due.addingTimeInterval(3600))
            #expect(published == [article.id!])
            #expect(try await newsroom.publishDue(now: due.addingTimeInterval(3601)).isEmpty)
            let stored = try #require(try await ArticleRepository(database: database).find(id: article.id!))
            #expect(stored.status == .published && stored.publishedAt == due && stored.updatedAt == due)
            #expect(
                try await ArticleRepository(database: database).feed(now: due.addingTimeInterval(3600)).items.map(\.id)
                    == [article.id!])
            // The audit entry comes from the change event, once the dispatcher has run.
            try await ChangeDispatcher(database: database, subscribers: [AuditSubscriber()]).drain()
            #expect(
                try await AuditLog(database: database).latest().contains {
                    $0.action == "article_published_on_schedule"
                })
        }
    }

    @Test("restoring a revision brings its content back as a new version", arguments: TestEngine.available)
    func restore(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            var (article, token) = try await newsroom.create(draft("Оригінал"), by: team.journalist, now: now)
            article.title = "Переписано"
            article.body = [.heading(text: "Новий підзаголовок")]
            article = try await newsroom.save(
                article, expectedVersion: 1, lockToken: token, by: team.journalist, now: now)
            let original = try #require(try await newsroom.revisions(of: article.id!).last)
            #expect(original.kind == "create")
            let restored = try await newsroom.restore(
                original.id, of: article.id!, expectedVersion: 2, lockToken: token, by: team.journalist, now: now)
            #expect(restored.title == "Оригінал" && restored.version == 3)
            #expect(restored.body == [.paragraph(spans: [Span("Текст")])])
            #expect(restored.slug == article.slug)
        }
    }

    @Test(
        "an editor adds a dated correction to a published story: a new version, kept in its revisions; saves keep it",
        arguments: TestEngine.available)
    func corrections(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            let (created, token) = try await newsroom.create(draft("Сюжет"), by: team.editor, now: now)
            let id = created.id!
            // Not before it is published, not by a journalist, not empty or too long.
            await #expect(throws: NewsroomError.self) {
                try await newsroom.addCorrection("Рано", to: id, by: team.editor, now: now)
            }
            let published = try await newsroom.transition(id, to: .published, by: team.editor, now: now)
            await #expect(throws: NewsroomError.forbidden) {
                try await newsroom.addCorrection("Не моє", to: id, by: team.journalist, now: now)
            }
            for bad in ["   ", String(repeating: "я", count: Correction.maxLength + 1)] {
                await #expect(throws: NewsroomError.self) {
                    try await newsroom.addCorrection(bad, to: id, by: team.editor, now: now)
                }
            }
            let later = now.addingTimeInterval(3600)
            let corrected = try await newsroom.addCorrection(
                "  Прізвище мера —  Садовий. ", to: id, by: team.editor, now: later)
            #expect(corrected.corrections == [Correction(at: later, text: "Прізвище мера — Садовий.")])
            #expect(corrected.version == published.version + 1)
            let stored = try #require(try await ArticleRepository(database: database).find(id: id))
            #expect(stored.corrections == corrected.corrections && stored.title == published.title)
            let revision = try #require(try await newsroom.revisions(of: id).first)
            #expect(revision.kind == "correction")
            #expect(try await newsroom.revision(revision.id, of: id).1.corrections == corrected.corrections)
            // A second one goes after the first; a save of the text keeps both.
            let second = try await newsroom.addCorrection("Ще одне.", to: id, by: team.editor, now: later + 60)
            #expect(second.corrections?.map(\.text) == ["Прізвище мера — Садовий.", "Ще одне."])
            var edit = second
            edit.title = "Сюжет, виправлений"
            edit.corrections = nil
            let saved = try await newsroom.save(
                edit, expectedVersion: second.version, lockToken: token, by: team.editor, now: later + 120)
            #expect(saved.corrections == second.corrections)
            // Versions kept before corrections existed still read.
            let old =
                #"{"slug":"x","title":"X","lede":"","body":[],"tagIDs":[],"bylineIDs":[],"status":"draft","updatedAt":0,"createdAt":0,"featured":false,"breaking":false,"version":1}"#
            #expect(try JSONDecoder().decode(Article.self, from: Data(old.utf8)).corrections == nil)
        }
    }

    @Test("a published story's old address redirects after a slug change", arguments: TestEngine.available)
    func slugRedirect(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            var (article, _) = try await newsroom.create(draft("Стара назва"), by: team.journalist, now: now)
            article = try await newsroom.transition(article.id!, to: .published, by: team.editor, now: now)
            guard
                case .held(let token) = try await newsroom.lock(article.id!, by: team.editor, takeOver: true, now: now)
            else {
                Issue.record("lock")
                return
            }
            article.slug = "nova-nazva"
            try await newsroom.save(
                article, expectedVersion: article.version, lockToken: token, by: team.editor, now: now)
            #expect(try await newsroom.redirect(from: "stara-nazva") == "nova-nazva")
            #expect(try await newsroom.redirect(from: "nova-nazva") == nil)
        }
    }

    @Test("bad input is refused with field errors and nothing is stored", arguments: TestEngine.available)
    func validation(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            let (taken, _) = try await newsroom.create(draft("Зайнято"), by: team.journalist, now: now)
            let cases: [(Article, String)] = [
                (Article(slug: "ok", title: "   "), "title"),
                (Article(slug: "ok", title: String(repeating: "я", count: 2000)), "title"),
                (Article(slug: "admin", title: "Зарезервовано"), "slug"),
                (Article(slug: "Not A Slug", title: "Погана адреса"), "slug"),
                (Article(slug: taken.slug, title: "Дубль"), "slug"),
                (
                    Article(slug: "photo", title: "Фото", body: [.image(mediaID: 999, caption: nil, credit: nil)]),
                    "body"
                ),
                (Article(slug: "related", title: "Пов’язане", body: [.readAlso(articleID: 999)]), "body"),
                (
                    Article(
                        slug: "link", title: "Посилання",
                        body: [.paragraph(spans: [Span("x", link: "javascript:alert(1)")])]), "body"
                ),
            ]
            for (article, field) in cases {
                let error = await #expect(throws: NewsroomError.self) {
                    try await newsroom.create(article, by: team.journalist, now: now)
                }
                guard case .invalid(let problems) = error else {
                    Issue.record("expected field errors for \(field)")
                    continue
                }
                #expect(problems.contains { $0.field == field }, "\(field): \(problems)")
            }
            #expect(try await ArticleRepository(database: database).count() == 1)
        }
    }

    @Test("autosave keeps unsaved work without touching the story", arguments: TestEngine.available)
    func autosave(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            let (article, _) = try await newsroom.create(draft(), by: team.journalist, now: now)
            var typing = article
            typing.title = "Недописаний заголовок"
            // Half-typed tag and guest byline names are kept as names: no tag or author row is added.
            let tagsBefore = try await TagRepository(database: database).names(limit: 1000)
            let authorsBefore = try await AuthorRepository(database: database).all().count
            try await newsroom.autosave(
                ArticleEdit(typing, tagNames: ["Київщ"], bylineNames: ["Олена Ко"]), by: team.journalist,
                now: now.addingTimeInterval(5))
            #expect(try await ArticleRepository(database: database).find(id: article.id!)?.title == "Перша версія")
            let pending = try #require(try await newsroom.pendingAutosave(of: article, for: team.journalist))
            #expect(pending.1.article.title == "Недописаний заголовок")
            #expect(pending.1.tagNames == ["Київщ"] && pending.1.bylineNames == ["Олена Ко"])
            #expect(try await newsroom.pendingAutosave(of: article, for: team.editor) == nil)
            #expect(try await TagRepository(database: database).names(limit: 1000) == tagsBefore)
            #expect(try await AuthorRepository(database: database).all().count == authorsBefore)
        }
    }

    @Test(
        "a refused save adds no tag or byline; an accepted one adds them with the story",
        arguments: TestEngine.available)
    func namesResolvedInTheSave(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let team = try await people(database)
            let newsroom = Newsroom(database: database)
            let (article, token) = try await newsroom.create(draft(), by: team.journalist, now: now)
            let tags = TagRepository(database: database)
            let before = try await tags.names(limit: 1000)
            // Stale (an old version): refused with 409, and the new tag is not added.
            let stale = ArticleEdit(article, tagNames: ["Нова мітка"], bylineNames: ["Гостьовий Автор"])
            await #expect(throws: NewsroomError.self) {
                try await newsroom.save(
                    stale, expectedVersion: article.version - 1, lockToken: token, by: team.journalist, now: now)
            }
            // Without the lock: refused too.
            await #expect(throws: NewsroomError.self) {
                try await newsroom.save(
                    stale, expectedVersion: article.version, lockToken: "wrong", by: team.journalist, now: now)
            }
            #expect(try await tags.names(limit: 1000) == before)
            #expect(try await AuthorRepository(database: database).all().allSatisfy { $0.name != "Гостьовий Автор" })
            // Accepted: the tag and the guest byline come with the story, in one transaction.
            let saved = try await newsroom.save(
                stale, expectedVersion: article.version, lockToken: token, by: team.journalist, now: now)
            #expect(try await tags.find(ids: saved.tagIDs).map(\.name) == ["Нова мітка"])
            #expect(
                try await AuthorRepository(database: database).find(ids: saved.bylineIDs).map(\.name) == [
                    "Гостьовий Автор"
                ])
        }
    }
}
