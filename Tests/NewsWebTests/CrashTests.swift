import Dispatch
import Foundation
import NewsCore
import NewsData
import SQLKit
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` on a server in the middle of its writes (issue #15), in the commands' suite: one process start at a time.
extension CommandTests {
    @Test(
        "kill -9 in the middle of publishes and an import: every acknowledged write survives, and the database checks out",
        arguments: TestEngine.available)
    func killedInTheMiddle(engine: TestEngine) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build shpalta first")
        try await TestDatabase.with(engine) { database, paths in
            let common = ServerProcess.options(database, media: paths.media)
            let (_, token) = try await ServerProcess.editorToken(database)
            let corpus = (1...1000).map { number in
                #"{"id": \#(number), "title": "Імпортована новина \#(number)", "body": "Текст \#(number).", "published_at": "2024-06-18T10:15:00+03:00"}"#
            }.joined(separator: "\n")
            try corpus.write(toFile: paths.directory + "/in.jsonl", atomically: true, encoding: .utf8)

            let server = try await ServerProcess.start(
                common, log: paths.directory + "/server.log", binary: Self.binary, root: Repository.root,
                environment: ["SHPALTA_API_RATE_LIMIT": "1000000"])
            // An import in another process at the same time.
            let importer = Process()
            importer.executableURL = URL(fileURLWithPath: Self.binary)
            importer.arguments = ["import", "jsonl", paths.directory + "/in.jsonl"] + common
            importer.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
            importer.standardOutput = FileHandle.nullDevice
            importer.standardError = FileHandle.nullDevice
            try importer.run()

            // Four writers publish through the Admin API; a publish counts once its answer has arrived.
            let tally = Tally()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        while case let number = tally.attempts.add(1, ordering: .relaxed).newValue, number <= 1000 {
                            do {
                                let created = try await server.send(
                                    "POST", "/api/v1/admin/articles", token: token,
                                    json: #"{"title":"Новина під навантаженням \#(number)","lede":"Абзац."}"#)
                                guard created.status == 201,
                                    let id = ((created.json["article"] as? [String: Any])?["id"] as? NSNumber)?
                                        .int64Value
                                else { continue }
                                let moved = try await server.send(
                                    "POST", "/api/v1/admin/articles/\(id)/transition", token: token,
                                    json: #"{"to":"published"}"#)
                                if moved.status == 200 { tally.acknowledged.withLock { $0.append(id) } }
                            } catch {
                                return  // the server is gone
                            }
                        }
                    }
                }
                // Killed part-way: after 150 publishes were acknowledged, with others in flight.
                let deadline = Date().addingTimeInterval(120)
                while tally.acknowledged.withLock({ $0.count }) < 150, Date() < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                server.kill()
                if importer.isRunning { kill(importer.processIdentifier, SIGKILL) }
                try await group.waitForAll()
            }
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    importer.waitUntilExit()
                    continuation.resume()
                }
            }
            let published = tally.acknowledged.withLock { $0 }
            #expect(published.count >= 150, "\(published.count) publishes acknowledged before the kill")

            // Started again: every acknowledged publish is there, and the database checks out.
            let again = try await ServerProcess.start(
                common, log: paths.directory + "/again.log", binary: Self.binary, root: Repository.root)
            do {
                let states = try await database.read { sql in
                    try await sql.raw("SELECT id, status FROM articles").all().map {
                        (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "status", as: String.self))
                    }
                }
                let status = Dictionary(uniqueKeysWithValues: states)
                let lost = published.filter { status[$0] != "published" }
                #expect(lost.isEmpty, "acknowledged but not published after the restart: \(lost)")
                #expect(try await IntegrityCheck(database: database).run() == [])
                let check = try await Self.run(["check"] + common)
                #expect(check.status == 0, "\(check.output)")
                let slug = try await database.read { sql in
                    try await sql.raw("SELECT slug FROM articles WHERE id = \(bind: published.last ?? 0)").first()?
                        .decode(column: "slug", as: String.self)
                }
                #expect(try await again.get("/news/\(slug ?? "")").status == 200)
                #expect(await again.stop() == 0)
            } catch {
                again.kill()
                throw error
            }
        }
    }
}

/// What the writers of ``CommandTests/killedInTheMiddle(engine:)`` share.
private final class Tally: Sendable {
    let acknowledged = Mutex<[Int64]>([])
    let attempts = Atomic<Int>(0)
}
