import ArgumentParser
import Foundation
import NewsData
import NewsImport

/// `shpalta import …`: brings articles in from other systems.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import articles.", subcommands: [ImportJSONL.self, ImportWordPress.self])
}

/// `shpalta import jsonl FILE`.
struct ImportJSONL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jsonl",
        abstract:
            "Import articles from a JSON Lines file (one article a line; see docs/IMPORT.md), or read back a site export into an empty database."
    )

    @OptionGroup var common: CommonOptions

    @Argument(help: "The .jsonl file.")
    var file: String

    @Option(help: "Folder that photo file names in the file are relative to (default: the file's folder).")
    var photos: String?

    @Option(help: "Folder of images for articles that have a photo credit but no photo (for generated corpora).")
    var stockPhotos: String?

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw ValidationError("Cannot read \(file).")
        }
        let reader = try await SettingsReader(flags: common.flagValues)
        let database = try await Database.open(reader.databaseLocation)
        do {
            try await Migrator(database: database).migrate()
            if try await SiteRestore.isArchive(at: file) {
                let started = Date()
                let (counts, stories) = try await SiteRestore(
                    database: database, mediaStore: try DirectoryMediaStore(root: reader.mediaDirectory)
                ).restore(from: file)
                let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                print(
                    "Restored \(summary) from \(file) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
                        + (stories.map { "; \($0.created) stories without a type imported" } ?? "") + ".")
                await database.close()
                return
            }
            let importer = JSONLImporter(
                database: database, mediaStore: try DirectoryMediaStore(root: reader.mediaDirectory),
                photoDirectory: photos ?? (file as NSString).deletingLastPathComponent, stockPhotoDirectory: stockPhotos
            )
            let started = Date()
            let bar = ProgressLine(started: started)
            let report = try await importer.importFile(at: file) { progress in
                bar.show(done: progress.bytesRead, of: progress.totalBytes, counts: progress.report.counts)
            }
            bar.finish()
            for problem in report.problems {
                FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8))
            }
            let seconds = Date().timeIntervalSince(started)
            print(
                "Imported \(report.created) new, \(report.updated) updated and \(report.unchanged) unchanged articles from \(file) in \(String(format: "%.1f", seconds)) s; \(report.skipped) lines skipped, \(report.problems.count - report.skipped) warnings."
            )
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
