import ArgumentParser
import Foundation
import NewsData

/// `shpalta reindex`: rebuilds the full-text search index from the articles.
struct Reindex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rebuild the search index (shows progress).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await withDatabase(common) { database in
            let started = Date()
            let count = try await SearchRepository(database: database).reindex { done, total in
                let width = 30
                let filled = total == 0 ? width : width * done / total
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            let seconds = max(Date().timeIntervalSince(started), 0.001)
            say(
                String(
                    format: "Reindexed %d articles in %.1f s (%.0f articles/s).", count, seconds,
                    Double(count) / seconds))
        }
    }
}
