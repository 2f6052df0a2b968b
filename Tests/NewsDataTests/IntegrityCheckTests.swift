import Foundation
import NewsCore
import NewsData
import SQLKit
import TestSupport
import Testing

/// `shpalta check` (issue #15): a sound database passes; a story missing from the search index or without its
/// revision is named.
@Suite("Integrity check")
struct IntegrityCheckTests {
    @Test("a sound database passes; broken invariants are each named", arguments: TestEngine.available)
    func check(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let newsroom = Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
            let editor = try await newsroom.addPerson(
                email: "e@example.com", name: "Редактор", role: .editor, password: "password-123", by: .commandLine)
            var ids: [Int64] = []
            for number in 1...3 {
                let (story, _) = try await newsroom.create(
                    Article(
                        slug: "check-\(number)", title: "Перевірка \(number)", body: [.paragraph(spans: [Span("Т")])]),
                    by: editor)
                ids.append(story.id!)
            }
            #expect(try await IntegrityCheck(database: database).run() == [])
            let (first, second) = (ids[0], ids[1])

            let unindexed: SQLQueryString =
                database.dialect == .sqlite
                ? "DELETE FROM search_index WHERE rowid = (SELECT search_key FROM articles WHERE id = \(bind: first))"
                : "UPDATE articles SET search_vector = NULL WHERE id = \(bind: first)"
            try await database.transaction { sql in
                try await sql.raw(unindexed).run()
                try await sql.raw("DELETE FROM revisions WHERE article_id = \(bind: second)").run()
            }
            let problems = try await IntegrityCheck(database: database).run()
            #expect(
                problems == [
                    IntegrityCheck.Problem(check: "search index", detail: "1 stories not indexed"),
                    IntegrityCheck.Problem(check: "revisions", detail: "1 stories without a revision"),
                ], "\(problems)")
        }
    }
}
