import ArgumentParser
import Foundation
import NewsCore
import NewsData
import NewsMedia

/// `shpalta media …`: the photos' renditions.
struct MediaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media", abstract: "Photo renditions.", subcommands: [RebuildMedia.self])
}

/// `shpalta media rebuild`: remakes every photo's renditions from its original (after a change of sizes or
/// quality, or to repair a media directory), with a progress bar.
struct RebuildMedia: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Remake every photo's renditions from its original (shows progress).")

    @OptionGroup var common: CommonOptions
    @Flag(help: "Only the photos whose renditions were never made (what the server would make in the background).")
    var missing = false

    func run() async throws {
        let reader = try await SettingsReader(flags: common.flagValues)
        let store = try DirectoryMediaStore(root: reader.mediaDirectory)
        try await withDatabase(common) { database in
            let media = MediaRepository(database: database)
            let maker = MediaRenditions(newsroom: Newsroom(database: database), store: store)
            let total = try await media.count(awaitingRenditions: missing)
            let started = Date()
            var done = 0, made = 0, failed: [String] = []
            var last: Int64 = 0
            var remadeFiles = Set<String>()
            while true {
                let batch =
                    missing
                    ? try await media.awaitingRenditions(limit: 100) : try await media.all(after: last, limit: 100)
                guard let end = batch.last?.id else { break }
                for photo in batch {
                    // Each file is remade once, however many records credit it.
                    let remade = remadeFiles
                    let renditions = try await maker.make(photo, reusing: { remade.contains($0) })
                    remadeFiles.formUnion(renditions.map { $0.fileName(of: photo.file, focus: photo.focus) })
                    made += renditions.count
                    if renditions.isEmpty { failed.append(photo.file) }
                    done += 1
                    let width = 30
                    let filled = total == 0 ? width : min(width, width * done / total)
                    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                    FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
                }
                last = end
            }
            FileHandle.standardError.write(Data("\n".utf8))
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            say(
                String(
                    format: "Made %d renditions of %d photos in %.1f s (%.1f photos/s).", made, done, seconds,
                    Double(done) / seconds))
            if !failed.isEmpty {
                say("Could not read \(failed.count) originals: \(failed.prefix(10).joined(separator: ", "))")
            }
        }
    }
}
