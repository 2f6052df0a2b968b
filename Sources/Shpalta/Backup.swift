import ArgumentParser
import Foundation
import NewsData

/// `shpalta backup FILE`: a consistent copy of a live SQLite site, taken while it serves. For PostgreSQL the command
/// prints the `pg_dump` recipe instead: the server's own tools do it better.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a live SQLite database to FILE (PostgreSQL: prints the pg_dump recipe).")

    @OptionGroup var common: CommonOptions

    @Argument(help: "Where to write the copy. An existing file there is replaced once the copy is checked.")
    var file: String

    func run() async throws {
        let reader = try await SettingsReader(flags: common.flagValues)
        switch reader.databaseLocation {
        case .postgres:
            let masked = reader.databaseLocation.description
            throw ValidationError(
                """
                The database is PostgreSQL (\(masked)): back it up with PostgreSQL's own tools, which copy a live \
                database consistently:
                  pg_dump --format=custom --file=\(file) '\(masked)'
                and restore it into an empty database with:
                  pg_restore --no-owner --dbname='postgres://…/NEW' \(file)
                Copy the photo folder (\(reader.mediaDirectory)) as well. See docs/DEPLOYMENT.md.
                """)
        case .sqlite(let path):
            let started = Date()
            let size = try SQLiteBackup.copy(from: path, to: file)
            say(
                String(
                    format: "Backed up %@ to %@ (%.1f MB) in %.1f s.", path, file, Double(size) / 1_048_576,
                    Date().timeIntervalSince(started)))
            say("Photos are not in the database: copy the folder \(reader.mediaDirectory) as well (rsync -a).")
        }
    }
}
