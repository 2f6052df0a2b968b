import ArgumentParser
import NewsData

/// `shpalta migrate`: brings the database schema up to date.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await withDatabase(common, migrate: false) { database in
            let applied = try await Migrator(database: database).migrate()
            let all = try await Migrator(database: database).appliedMigrations()
            say(
                applied.isEmpty
                    ? "The database \(database.location) is up to date (migration \(all.last ?? 0))."
                    : "Applied migrations \(applied.map(String.init).joined(separator: ", ")) to \(database.location).")
        }
    }
}
