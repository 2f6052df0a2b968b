import Dispatch
import Foundation
import NewsData
import SQLKit
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every `shpalta` command exits 0, run after run (issue #8, item 13: `migrate` closed the database twice and
/// died with a segmentation fault in 2 runs of 5).
/// The suite runs one test at a time: Foundation's `Process.run()` on Linux is not safe to call from two threads at
/// once (it crashed copying the environment when the serve test started while another test launched a command).
@Suite("Commands exit cleanly", .serialized)
struct CommandTests {
    static var binary: String { Repository.root + "/.build/debug/shpalta" }

    /// Runs the command with `arguments`, feeding `input`; returns its exit status and what it printed. The
    /// process is waited for on a thread of its own, never on one of the test runner's.
    static func run(_ arguments: [String], input: String = "") async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(arguments, input: input) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], input: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        let watchdog = Self.killIfRunning(process, after: 300)
        defer { watchdog.cancel() }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Kills `process` with SIGKILL if it still runs `seconds` from now, unless the returned item is cancelled first:
    /// a command that hangs then fails its test, with what it printed, instead of hanging the whole run.
    static func killIfRunning(_ process: Process, after seconds: Double) -> DispatchWorkItem {
        let item = DispatchWorkItem {
            if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
        return item
    }

    @Test(
        "each command 20 times in a row exits with 0", .serialized,
        arguments: ["migrate", "reindex", "import", "user add", "user reset-password", "user disable"])
    func twentyRuns(command: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build shpalta first")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shpalta-cli-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = ["--database", directory + "/cli.sqlite", "--media-dir", directory + "/media"]
        let corpus = directory + "/in.jsonl"
        try #"{"id": 1, "title": "Перша новина", "published_at": "2024-06-18T10:15:00+03:00"}"#.write(
            toFile: corpus, atomically: true, encoding: .utf8)
        if command.hasPrefix("user"), command != "user add" {
            let setup = try await Self.run(
                [
                    "user", "add", "--email", "olena@example.com", "--name", "Олена", "--role", "journalist",
                    "--password-stdin",
                ] + database, input: "a long secret\n")
            try #require(setup.status == 0, "\(setup.output)")
        }
        for run in 1...20 {
            let arguments: [String]
            var input = ""
            switch command {
            case "import": arguments = ["import", "jsonl", corpus]
            case "user add":
                arguments = [
                    "user", "add", "--email", "u\(run)@example.com", "--name", "Користувач \(run)", "--role",
                    "contributor", "--password-stdin",
                ]
                input = "a long secret \(run)\n"
            case "user reset-password":
                arguments = ["user", "reset-password", "--email", "olena@example.com", "--password-stdin"]
                input = "another long secret \(run)\n"
            case "user disable": arguments = ["user", "disable", "--email", "olena@example.com"]
            default: arguments = [command]
            }
            let result = try await Self.run(arguments + database, input: input)
            #expect(result.status == 0, "run \(run) of \(command): \(result.output)")
            if result.status != 0 { break }
        }
    }

    @Test("serve prepares a fresh database before it listens, and a SIGTERM stops it with exit status 0")
    func serveStartsAndStops() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build shpalta first")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shpalta-serve-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = 20_000 + Int.random(in: 0..<5000)
        let (status, output) = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        let process = Process()
                        process.executableURL = URL(fileURLWithPath: Self.binary)
                        process.arguments = [
                            "serve", "--port", "\(port)", "--database", directory + "/serve.sqlite", "--media-dir",
                            directory + "/media", "--demo",
                        ]
                        process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
                        let stdout = Pipe()
                        process.standardOutput = stdout
                        process.standardError = stdout
                        try process.run()
                        defer { if process.isRunning { process.terminate() } }
                        let watchdog = Self.killIfRunning(process, after: 180)
                        defer { watchdog.cancel() }
                        // The announcement comes once the server listens, after migrations and the demo.
                        var printed = Data()
                        let deadline = Date().addingTimeInterval(60)
                        while !String(decoding: printed, as: UTF8.self).contains("Shpalta serves"), Date() < deadline {
                            printed.append(stdout.fileHandleForReading.availableData)
                        }
                        func curl(_ arguments: [String]) throws -> String {
                            let curl = Process()
                            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                            curl.arguments = ["-s"] + arguments
                            let answer = Pipe()
                            curl.standardOutput = answer
                            try curl.run()
                            let text = String(
                                decoding: answer.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                            curl.waitUntilExit()
                            return text
                        }
                        let base = "http://127.0.0.1:\(port)"
                        let code = try curl(["-o", "/dev/null", "-w", "%{http_code}", base + "/"])
                        // The request metrics swift-metrics records, by route: only a served process records them.
                        let metrics = try curl([base + "/metrics"])
                        let recorded =
                            metrics.contains(
                                #"hb_requests{http_route="/",http_request_method="GET",http_response_status_code="200"} 1"#
                            )
                            && metrics.contains("http_server_request_duration_bucket")
                        process.terminate()
                        printed.append(stdout.fileHandleForReading.readDataToEndOfFile())
                        process.waitUntilExit()
                        let text = String(decoding: printed, as: UTF8.self)
                        return (
                            process.terminationStatus,
                            text + (code == "200" ? "" : "\nhome page: \(code)")
                                + (recorded ? "" : "\nmetrics without the home page's request: \(metrics)")
                        )
                    })
            }
        }
        #expect(status == 0, "\(output)")
        #expect(output.contains("Applied migration") && output.contains("Shpalta serves"))
        #expect(!output.contains("home page:") && !output.contains("Error"), "\(output)")
        #expect(!output.contains("metrics without"), "\(output)")
    }

    @Test(
        "import wordpress killed with SIGKILL part-way leaves whole batches only, and running it again finishes, once",
        arguments: TestEngine.available)
    func importKilled(engine: TestEngine) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build shpalta first")
        try await TestDatabase.with(engine) { database, paths in
            // An export of 1,500 posts with the head of a real one.
            let total = 1500
            let fixture = try String(
                contentsOfFile: Repository.root + "/Tests/NewsImportTests/Fixtures/wordpress-dated.xml", encoding: .utf8
            )
            var export = String(fixture[..<fixture.range(of: "<item>")!.lowerBound])
            let paragraph = String(repeating: "Міська рада ухвалила рішення про ремонт доріг у Сихові. ", count: 12)
            for id in 1...total {
                export += """
                    <item><title><![CDATA[Новина номер \(id)]]></title><link>http://gazeta.example/?p=\(id)</link>
                    <dc:creator><![CDATA[olena]]></dc:creator><guid isPermaLink="false">http://gazeta.example/?p=\(id)</guid>
                    <content:encoded><![CDATA[<p>\(paragraph)</p>\n\n<p>Абзац \(id).</p>]]></content:encoded>
                    <excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>\(id)</wp:post_id>
                    <wp:post_date><![CDATA[2024-05-06 09:30:00]]></wp:post_date>
                    <wp:post_date_gmt><![CDATA[2024-05-06 06:30:00]]></wp:post_date_gmt>
                    <wp:post_name><![CDATA[novyna-\(id)]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>
                    <wp:post_type><![CDATA[post]]></wp:post_type><wp:post_password><![CDATA[]]></wp:post_password>
                    <wp:is_sticky>0</wp:is_sticky><category domain="post_tag" nicename="dorohy"><![CDATA[дороги]]></category></item>

                    """
            }
            export += "</channel>\n</rss>\n"
            let file = paths.directory + "/export.xml"
            try export.write(toFile: file, atomically: true, encoding: .utf8)
            let target: String =
                switch database.location {
                case .sqlite(let path): path
                case .postgres(let url): url
                }
            let arguments = ["import", "wordpress", file, "--database", target, "--media-store", paths.media]
            func count(_ query: String) async throws -> Int {
                try await database.read { sql in
                    Int(try await sql.raw("\(unsafeRaw: query)").first()?.decode(column: "n", as: Int64.self) ?? 0)
                }
            }

            // The first run is killed as soon as a batch is stored.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(300)
            while try await count("SELECT COUNT(*) AS n FROM articles") == 0, process.isRunning, Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(process.processIdentifier, SIGKILL)
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    process.waitUntilExit()
                    continuation.resume()
                }
            }
            #expect(process.terminationReason == .uncaughtSignal, "killed, not finished")
            let stored = try await count("SELECT COUNT(*) AS n FROM articles")
            #expect(stored > 0 && stored < total, "killed part-way: \(stored) of \(total)")
            #expect(stored % 200 == 0, "whole batches of 200 only: \(stored)")
            #expect(
                try await count(
                    "SELECT COUNT(*) AS n FROM articles a WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.article_id = a.id) OR NOT EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id)"
                ) == 0, "every story stored is whole: its revision and its tag")
            if case .sqlite = database.location {
                let check = try await database.read { sql in
                    try await sql.raw("PRAGMA integrity_check").first()?.decode(
                        column: "integrity_check", as: String.self)
                }
                #expect(check == "ok")
            }

            // Run again: the rest is imported, nothing twice.
            let again = try await Self.run(arguments)
            #expect(again.status == 0, "\(again.output)")
            #expect(try await count("SELECT COUNT(*) AS n FROM articles") == total)
            #expect(try await count("SELECT COUNT(DISTINCT source_id) AS n FROM articles") == total)
            #expect(try await count("SELECT COUNT(*) AS n FROM revisions") == total, "one revision each")
            let last = try await Self.run(arguments)
            #expect(last.status == 0, "\(last.output)")
            #expect(try await count("SELECT COUNT(*) AS n FROM revisions") == total, "a third run writes nothing")
        }
    }
}
