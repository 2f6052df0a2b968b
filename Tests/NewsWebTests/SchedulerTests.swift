import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

@Suite("Scheduled publishing inside the running server")
struct SchedulerTests {
    @Test("due stories go live on time without visitors, and overdue ones at start", arguments: TestEngine.available)
    func liveServer(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let users = UserRepository(database: database, bcryptCost: 4)
            let editor = try await Newsroom(database: database, users: users).addPerson(
                email: "ed@example.com", name: "Ред", role: .editor, password: "password-123", by: .commandLine)
            let newsroom = Newsroom(database: database)
            let start = Date()
            // One story fell due while the server was down…
            let (overdue, _) = try await newsroom.create(
                Article(slug: "overdue", title: "Прострочена"), by: editor, now: start.addingTimeInterval(-7200))
            try await newsroom.transition(
                overdue.id!, to: .scheduled, publishAt: start.addingTimeInterval(-3600), by: editor,
                now: start.addingTimeInterval(-7200))
            // …and one falls due two seconds after the server starts.
            let (soon, _) = try await newsroom.create(Article(slug: "soon", title: "Скоро"), by: editor, now: start)
            try await newsroom.transition(
                soon.id!, to: .scheduled, publishAt: start.addingTimeInterval(2), by: editor, now: start)

            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let settings = AppSettings(
                port: 0, themeDirectory: Repository.theme, defaultThemeDirectory: Repository.theme,
                mediaDirectory: paths.media)
            let web = try await WebEnvironment(settings: settings, database: database, logger: logger)
            try await buildApplication(web).test(.live) { client in
                let serving = Date()
                let articles = ArticleRepository(database: database)
                // No request reaches the server while we wait: the scheduler runs on its own.
                // Poll instead of one fixed wait: on a busy machine the first tick may come late.
                func published(_ id: Int64) async throws -> Bool {
                    for _ in 0..<100 {
                        if try await articles.find(id: id)?.status == .published { return true }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    return false
                }
                #expect(try await published(overdue.id!))
                #expect(try await published(soon.id!))
                // Within 5 s of being due, or of the server starting if that was later (setup on a busy machine).
                let waited = Date().timeIntervalSince(max(start.addingTimeInterval(2), serving))
                #expect(waited < 5)
                let page = try await client.execute(uri: "/news/soon", method: .get) { $0.status }
                #expect(page == .ok)
            }
        }
    }
}
