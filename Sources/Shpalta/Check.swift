import ArgumentParser
import Foundation
import NewsData

/// `shpalta check`: the database's integrity and our own invariants (``IntegrityCheck``); exits 1 when anything is
/// wrong, naming it.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the database: the engine's integrity, the search index in step, no orphan rows.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        var problems: [IntegrityCheck.Problem] = []
        try await withDatabase(common, migrate: false) { database in
            problems = try await IntegrityCheck(database: database).run()
        }
        guard problems.isEmpty else {
            for problem in problems { say("✗ \(problem)") }
            throw ExitCode(1)
        }
        say("All checks passed: the database, the search index and the links between rows.")
    }
}
