import Foundation
import Logging
import NewsCore
import NewsData
import NewsImport
import SQLKit
import TestSupport
import Testing

/// `shpalta export` and reading it back with `shpalta import jsonl` (issue #15), in the commands' suite.
extension CommandTests {
    @Test(
        "export from SQLite, import into each engine, export again: the same bytes; a damaged file changes nothing",
        arguments: TestEngine.available)
    func exportRoundTrip(target: TestEngine) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build shpalta first")
        try await TestDatabase.with(.sqlite) { source, paths in
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            try await DemoLoader(
                database: source, mediaDirectory: paths.media, demoDirectory: Repository.demo, corpus: nil,
                logger: logger
            ).loadIfEmpty()
            let newsroom = Newsroom(database: source, users: UserRepository(database: source, bcryptCost: 4))
            _ = try await newsroom.addPerson(
                email: "olena@example.com", name: "Олена", role: .journalist, password: "password-123",
                by: .commandLine)
            let first = paths.directory + "/first.jsonl"
            let exported = try await Self.run(
                [
                    "export", "--output", first,
                ] + ServerProcess.options(source, media: paths.media))
            #expect(exported.status == 0, "\(exported.output)")
            let text = try String(contentsOfFile: first, encoding: .utf8)
            let types = text.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["type"] as? String
            }
            for type in ["rubric", "tag", "media", "author", "person", "article", "revision", "article_tag"] {
                #expect(types.contains(type), "\(type) records")
            }
            #expect(!text.contains("password_hash"), "no password hashes unless asked")

            try await TestDatabase.with(target) { restored, restoredPaths in
                let arguments = ServerProcess.options(restored, media: restoredPaths.media)
                // A damaged copy first: refused before anything is written, naming the line and the field.
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let damaged = try #require(lines.firstIndex { $0.contains(#""type":"article""#) })
                lines[damaged] = lines[damaged].replacingOccurrences(
                    of: #""type":"article""#, with: #""type":"article","colour":"red""#)
                try lines.joined(separator: "\n").write(
                    toFile: paths.directory + "/damaged.jsonl", atomically: true, encoding: .utf8)
                let refused = try await Self.run(["import", "jsonl", paths.directory + "/damaged.jsonl"] + arguments)
                #expect(refused.status != 0)
                #expect(
                    refused.output.contains("line \(damaged + 1)") && refused.output.contains("colour"),
                    "\(refused.output)")
                #expect(try await Newsroom(database: restored).isEmptyForRestore(), "nothing written")

                let imported = try await Self.run(["import", "jsonl", first] + arguments)
                #expect(imported.status == 0, "\(imported.output)")
                let second = paths.directory + "/second.jsonl"
                let again = try await Self.run(["export", "--output", second] + arguments)
                #expect(again.status == 0, "\(again.output)")
                let same =
                    try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second))
                #expect(same, "the second export is the same bytes as the first")
                #expect(try await Self.run(["check"] + arguments).status == 0)
                // The restored site answers searches: its index was made again.
                let found = try await SearchRepository(database: restored).search(
                    SearchQuery("Корея"), scope: .published(now: Date()))
                #expect(!found.results.isEmpty)
                // Into a database with content: refused.
                let twice = try await Self.run(["import", "jsonl", first] + arguments)
                #expect(twice.status != 0 && twice.output.contains("empty database"), "\(twice.output)")
            }
        }
    }
}
