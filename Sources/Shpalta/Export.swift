import ArgumentParser
import Foundation
import NewsData

/// `shpalta export [--output FILE]`: the whole site as JSON Lines (``SiteArchive``), read back by
/// `shpalta import jsonl` into an empty database, on either engine.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the whole site as JSON Lines: rubrics, tags, photos, authors, people, stories with revisions.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Where to write it (default: standard output).")
    var output: String?

    @Flag(help: "Include people's password hashes, so that they can sign in after a restore.")
    var withPasswordHashes = false

    @Flag(help: "Leave the photo files out (their records stay).")
    var withoutPhotoFiles = false

    func run() async throws {
        let reader = try await SettingsReader(flags: common.flagValues)
        let media = withoutPhotoFiles ? nil : try DirectoryMediaStore(root: reader.mediaDirectory)
        let partial = output.map { $0 + ".partial" }
        let handle: FileHandle
        if let partial {
            guard FileManager.default.createFile(atPath: partial, contents: nil),
                let file = FileHandle(forWritingAtPath: partial)
            else { throw ValidationError("Cannot write \(output ?? "").") }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        var counts: [String: Int] = [:]
        do {
            try await withDatabase(common, migrate: false) { database in
                counts = try await SiteExport(
                    database: database, mediaStore: media, passwordHashes: withPasswordHashes
                ).write { try handle.write(contentsOf: $0) }
            }
            if let partial, let output {
                try handle.close()
                if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
                try FileManager.default.moveItem(atPath: partial, toPath: output)
            }
        } catch {
            if let partial { try? FileManager.default.removeItem(atPath: partial) }
            throw error
        }
        let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        FileHandle.standardError.write(Data("Exported \(summary)\(output.map { " to \($0)" } ?? "").\n".utf8))
    }
}
