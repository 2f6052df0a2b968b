import Foundation
import NewsCore
import NewsData
import SQLKit
import TestSupport
import Testing

/// Every write of a story leaves one change event in its own transaction, and the dispatcher hands each event
/// to each subscriber exactly once, across restarts and failures (issue #9).
@Suite("Change events")
struct ChangeEventTests {
    let now = Date(timeIntervalSince1970: 1_769_100_000)

    func editor(_ database: Database) async throws -> User {
        var user = try await Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
            .addPerson(
                email: "e@example.com", name: "Редактор", role: .editor, password: "password-123", by: .commandLine)
        let author = try await AuthorRepository(database: database).upsert(Author(slug: "redaktor", name: "Редактор"))
        try await UserRepository(database: database).setAuthor(author.id, for: user.id!)
        user.authorID = author.id
        return user
    }

    func audit(_ database: Database) async throws -> [String] {
        try await AuditLog(database: database).latest(limit: 1000).map(\.action).filter { $0.hasPrefix("article_") }
    }

    @Test(
        "create, save, move and scheduled publishing each record one event with its pages",
        arguments: TestEngine.available)
    func eventsOfWrites(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let user = try await editor(database)
            let rubric = try await RubricRepository(database: database).upsert(Rubric(slug: "sport", name: "Спорт"))
            let newsroom = Newsroom(database: database)
            let log = ChangeLog(database: database)
            // The stories' events (adding the editor's account was one too).
            func stories() async throws -> [ChangeEvent] { try await log.all().filter(\.action.isArticle) }
            var draft = Article(slug: "pershyi", title: "Перший", lede: "Лід", body: [.paragraph(spans: [Span("Т")])])
            draft.rubricID = rubric.id
            let (created, token) = try await newsroom.create(
                ArticleEdit(draft, tagNames: ["Київ"], bylineNames: nil), by: user, now: now)
            var events = try await stories()
            #expect(events.count == 1)
            let first = try #require(events.first)
            #expect(first.action == .created && first.source == .newsroom && first.userID == user.id)
            #expect(first.articleID == created.id && first.newStatus == .draft && first.oldStatus == nil)
            // A draft touches no public page.
            #expect(first.urls.isEmpty && first.keys.isEmpty)

            try await newsroom.transition(created.id!, to: .published, by: user, now: now)
            let published = try #require(try await stories().last)
            #expect(
                Set(published.urls).isSuperset(of: [
                    "/", "/news", "/news/pershyi", "/rubric/sport", "/tag/kyiv", "/author/redaktor",
                ]))
            #expect(Set(published.keys).isSuperset(of: ["article-\(created.id!)", "feed", "rubric-\(rubric.id!)"]))
            var renamed = try #require(try await ArticleRepository(database: database).find(id: created.id!))
            renamed.slug = "novyi"
            // A refused save (stale) records nothing.
            await #expect(throws: NewsroomError.self) {
                try await newsroom.save(renamed, expectedVersion: 1, lockToken: token, by: user, now: now)
            }
            #expect(try await stories().count == 2)
            try await newsroom.save(renamed, expectedVersion: renamed.version, lockToken: token, by: user, now: now)
            events = try await stories()
            #expect(events.map(\.action) == [.created, .moved, .saved])
            #expect(events[1].oldStatus == .draft && events[1].newStatus == .published)
            // The old address is among the pages the save touches.
            #expect(events[2].oldSlug == "pershyi" && events[2].newSlug == "novyi")
            #expect(Set(events[2].urls).isSuperset(of: ["/news/pershyi", "/news/novyi"]))

            let (second, _) = try await newsroom.create(
                Article(slug: "druhyi", title: "Другий", lede: "Лід", body: [.paragraph(spans: [Span("Т")])]),
                by: user, now: now)
            try await newsroom.transition(
                second.id!, to: .scheduled, publishAt: now.addingTimeInterval(60), by: user, now: now)
            _ = try await newsroom.publishDue(now: now.addingTimeInterval(61))
            let last = try #require(try await stories().last)
            #expect(last.action == .publishedOnSchedule && last.source == .scheduler && last.userID == nil)
            #expect(last.oldStatus == .scheduled && last.newStatus == .published && last.articleID == second.id)
        }
    }

    /// A subscriber that counts what it applied in the database, and fails when told to.
    struct Counting: ChangeSubscriber {
        let name = "counting"
        let failures: FailureSwitch

        func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
            for event in events {
                try await sql.raw(
                    "INSERT INTO settings (key, value) VALUES (\(bind: "seen." + String(event.id!)), '1')"
                ).run()
            }
            if failures.shouldFail() { throw DatabaseError("the subscriber failed") }
        }
    }

    final class FailureSwitch: @unchecked Sendable {
        private let lock = NSLock()
        private var remaining: Int
        init(_ failures: Int) { remaining = failures }
        func shouldFail() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }

    func seen(_ database: Database) async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM settings WHERE key LIKE 'seen.%'").first()?.decode(
                column: "n", as: Int.self) ?? 0
        }
    }

    @Test(
        "rubrics, settings, people and photos change through use cases: one event each, the audit from the events",
        arguments: TestEngine.available)
    func changesToThePaper(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let newsroom = Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
            let admin = try await newsroom.addPerson(
                email: "a@example.com", name: "Адмін", role: .administrator, password: "password-123",
                by: .commandLine, now: now)
            let journalist = try await newsroom.addPerson(
                email: "j@example.com", name: "Журналістка", role: .journalist, password: "password-123",
                by: .member(admin, address: "192.0.2.1"), now: now)
            let rubric = try await RubricRepository(database: database).upsert(Rubric(slug: "sport", name: "Спорт"))
            let log = ChangeLog(database: database)
            let before = try await log.all().count
            // Refused: a journalist may not manage rubrics; a taken e-mail; a taken rubric slug. Nothing is stored.
            await #expect(throws: NewsroomError.forbidden) {
                try await newsroom.changeRubrics(
                    [RubricChange(id: rubric.id!, name: "Футбол", position: 0)], by: .member(journalist, address: nil),
                    now: now)
            }
            await #expect(throws: NewsroomError.invalid([FieldError(field: "email", key: "error_person_email_taken")]))
            {
                try await newsroom.addPerson(
                    email: "j@example.com", name: "Нова Людина", role: .journalist, password: "password-123",
                    by: .member(admin, address: nil), now: now)
            }
            await #expect(throws: NewsroomError.self) {
                try await newsroom.changeRubrics(
                    [RubricChange(id: rubric.id!, name: "Футбол", position: 0)],
                    adding: Rubric(slug: "sport", name: "Ще спорт"),
                    by: .member(admin, address: nil), now: now)
            }
            #expect(try await log.all().count == before)
            #expect(try await RubricRepository(database: database).all().map(\.name) == ["Спорт"])
            // A refused account adds no byline either (it used to, before the e-mail was checked).
            #expect(try await AuthorRepository(database: database).all().allSatisfy { $0.name != "Нова Людина" })

            let member = Requester.member(admin, address: "192.0.2.1")
            try await newsroom.changeRubrics(
                [RubricChange(id: rubric.id!, name: "Футбол", position: 0)], by: member, now: now)
            try await newsroom.changeSettings(["site_name": "Вечірній Київ"], by: member, now: now)
            try await newsroom.setRole(.editor, of: journalist.id!, by: member, now: now)
            try await newsroom.setEditorRubrics([rubric.id!], of: journalist.id!, by: member, now: now)
            try await newsroom.resetPassword("another-password-1", of: journalist.id!, by: member, now: now)
            try await newsroom.setDisabled(true, of: journalist.id!, by: member, now: now)
            let store = try DirectoryMediaStore(root: paths.media)
            let upload = try store.temporaryFile()
            try Data("png".utf8).write(to: upload)
            _ = try await newsroom.addMedia(
                Media(file: "u-test.png", mimeType: "image/png", width: 1, height: 1, alt: "Тест"), file: upload,
                into: store, by: member, now: now)
            let events = Array(try await log.all().dropFirst(before))
            #expect(
                events.map(\.action) == [
                    .rubricsChanged, .settingsChanged, .roleChanged, .editorRubricsChanged, .passwordReset,
                    .userDisabled, .mediaUploaded,
                ])
            // The menu and the paper's name are on every page; people and a new photo are on none.
            #expect(events.map(\.keys) == [["site"], ["site"], [], [], [], [], []])
            #expect(events.allSatisfy { $0.userID == admin.id && $0.address == "192.0.2.1" && $0.articleID == nil })
            try await ChangeDispatcher(database: database, subscribers: [AuditSubscriber()]).drain()
            let audit = try await AuditLog(database: database).latest()
            #expect(
                Array(audit.prefix(7).reversed().map(\.action)) == [
                    "rubrics_changed", "settings_changed", "role_changed", "editor_rubrics_changed", "password_reset",
                    "user_disabled", "media_uploaded",
                ])
            #expect(audit.first { $0.action == "role_changed" }?.subject == "j@example.com: editor")
            #expect(audit.prefix(7).allSatisfy { $0.address == "192.0.2.1" && $0.userID == admin.id })
            #expect(try await UserRepository(database: database).find(id: journalist.id!)?.disabled == true)
        }
    }

    @Test(
        "each event reaches each subscriber once: after a restart, after a failure, never twice",
        arguments: TestEngine.available)
    func exactlyOnce(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let user = try await editor(database)
            let newsroom = Newsroom(database: database)
            for index in 0..<3 {
                let (article, _) = try await newsroom.create(
                    Article(
                        slug: "a-\(index)", title: "Стаття \(index)", lede: "Лід",
                        body: [.paragraph(spans: [Span("Т")])]),
                    by: user, now: now)
                try await newsroom.transition(article.id!, to: .published, by: user, now: now)
            }
            // The first subscriber pass fails: nothing it wrote stays, and its position does not move.
            let failing = ChangeDispatcher(
                database: database, subscribers: [AuditSubscriber(), Counting(failures: FailureSwitch(1))],
                batchSize: 4)
            await #expect(throws: DatabaseError.self) { try await failing.drain() }
            #expect(try await seen(database) == 0)
            // A new dispatcher (a restarted server) goes on from the positions kept in the database.
            let restarted = ChangeDispatcher(
                database: database, subscribers: [AuditSubscriber(), Counting(failures: FailureSwitch(0))],
                batchSize: 4)
            try await restarted.drain()
            // Six stories' events and the account's.
            #expect(try await seen(database) == 7)
            #expect(try await audit(database).count == 3)
            try await restarted.drain()
            #expect(try await seen(database) == 7)
            #expect(try await audit(database).count == 3)
            // Events written while no dispatcher ran (a crash after the write) are delivered after the restart.
            let (late, _) = try await newsroom.create(
                Article(slug: "late", title: "Пізня", lede: "Лід", body: [.paragraph(spans: [Span("Т")])]), by: user,
                now: now)
            try await newsroom.transition(late.id!, to: .published, by: user, now: now)
            try await ChangeDispatcher(
                database: database, subscribers: [AuditSubscriber(), Counting(failures: FailureSwitch(0))]
            ).drain()
            #expect(try await seen(database) == 9)
            #expect(try await audit(database).count == 4)
        }
    }

    @Test("an event naming a deleted article is delivered like any other", arguments: TestEngine.available)
    func deletedArticle(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            var published = Article(slug: "ghost", title: "Привид", lede: "Лід")
            published.id = 987_654
            published.status = .published
            let ghost = published
            try await database.transaction { sql in
                var before = ghost
                before.status = .review
                try await ChangeLog.record(
                    .moved, source: .newsroom, user: nil, before: before, after: ghost, now: now, in: sql)
            }
            try await ChangeDispatcher(database: database, subscribers: [AuditSubscriber()]).drain()
            #expect(try await audit(database) == ["article_published"])
        }
    }
}
