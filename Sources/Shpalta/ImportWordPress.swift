import ArgumentParser
import Foundation
import NewsCore
import NewsData
import NewsImport
import NewsWeb

/// `shpalta import wordpress FILE.xml`.
struct ImportWordPress: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wordpress",
        abstract: "Import a WordPress export (Tools → Export, WXR 1.1/1.2): posts, rubrics, tags, authors, photos, and "
            + "every old address as a redirect (see docs/IMPORT.md).")

    @Option(
        help:
            "SQLite file path (default ./data/shpalta.sqlite) or postgres://user:pass@host:port/db URL. Env: SHPALTA_DATABASE."
    )
    var database: String?

    @Option(help: "Folder where Shpalta stores photos. Env: SHPALTA_MEDIA_DIR.")
    var mediaStore: String?

    @Argument(help: "The export file (.xml).")
    var file: String

    @Option(name: .customLong("media-dir"), help: "A local copy of the site's wp-content/uploads folder.")
    var uploads: String?

    @Option(help: "The old site's address, when the export was made elsewhere (a staging copy).")
    var baseURL: String?

    @Option(
        name: .customLong("permalink"),
        help: "A permalink structure the site had, e.g. /%year%/%monthnum%/%postname%/ (repeatable).")
    var permalinks: [String] = []

    @Flag(help: "Show what the import would do without storing anything.")
    var dryRun = false

    @Option(help: "Write every post's old and new address to this file (tab-separated).")
    var report: String?

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("Cannot read \(file).") }
        if let uploads, !FileManager.default.fileExists(atPath: uploads) {
            throw ValidationError("The uploads folder \(uploads) does not exist.")
        }
        var flags: [String: String] = [:]
        flags["database"] = database
        flags["media.dir"] = mediaStore
        let reader = try await SettingsReader(flags: flags)
        let database = try await Database.open(reader.databaseLocation)
        let started = Date()
        let result: ImportReport
        do {
            try await Migrator(database: database).migrate()
            let importer = WordPressImporter(
                database: database, mediaStore: try DirectoryMediaStore(root: reader.mediaDirectory), uploads: uploads,
                baseURL: baseURL, permalinks: permalinks, dryRun: dryRun)
            let bar = ProgressLine(started: started)
            result = try await importer.importFile(at: file) { progress in
                bar.show(done: progress.bytesRead, of: progress.totalBytes, counts: progress.report.counts)
            }
            bar.finish()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        for problem in result.problems {
            FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8))
        }
        if let report {
            var text = "wordpress_id\tstatus\told_address\tnew_address\n"
            for address in result.addresses {
                text +=
                    "\(address.id)\t\(address.status.rawValue)\t\(address.old)\t\(SiteURL.article(slug: address.slug).path)\n"
            }
            try text.write(toFile: report, atomically: true, encoding: .utf8)
        }
        let seconds = Date().timeIntervalSince(started)
        let skipped = result.skipped
        let warnings = result.problems.count - skipped
        print(
            (dryRun ? "Dry run (nothing stored): would import " : "Imported ")
                + "\(result.created) new, \(result.updated) updated and \(result.unchanged) unchanged stories from \(file) in \(String(format: "%.1f", seconds)) s; \(skipped) items skipped, \(warnings) warnings."
                + (report.map { " Addresses: \($0)." } ?? ""))
    }
}

/// A progress line on standard error: a bar with the share done, counts and the time left on a terminal; plain
/// lines (each tenth of the way) when the output is a file or a pipe.
final class ProgressLine: @unchecked Sendable {
    private let started: Date
    private let terminal = isatty(2) == 1
    private let lock = NSLock()
    private var lastTenth = -1

    init(started: Date) {
        self.started = started
    }

    func show(done: Int, of total: Int, counts: String) {
        lock.lock()
        defer { lock.unlock() }
        let share = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let elapsed = Date().timeIntervalSince(started)
        let left = share > 0.01 ? elapsed / share - elapsed : nil
        let eta = left.map { String(format: "%d:%02d", Int($0) / 60, Int($0) % 60) } ?? "…"
        if terminal {
            let width = 24
            let filled = Int(share * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(
                Data("\r[\(bar)] \(Int(share * 100))%  \(counts)  ETA \(eta)   ".utf8))
        } else {
            let tenth = Int(share * 10)
            guard tenth != lastTenth else { return }
            lastTenth = tenth
            FileHandle.standardError.write(Data("\(Int(share * 100))% read: \(counts); about \(eta) left\n".utf8))
        }
    }

    func finish() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
