import Dispatch
import Foundation
import Hummingbird
import HummingbirdTesting
import NewsCore
import NewsData
import SQLKit
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A `shpalta serve` process for the tests of several nodes: started, read over HTTP, stopped with SIGTERM.
final class ServerProcess: @unchecked Sendable {
    let port: Int
    let base: String
    let log: String
    private let process: Process

    private init(port: Int, log: String, process: Process) {
        self.port = port
        self.base = "http://127.0.0.1:\(port)"
        self.log = log
        self.process = process
    }

    /// Starts `shpalta serve` with `arguments` on a free port and returns once it announces that it listens.
    static func start(
        _ arguments: [String], log: String, binary: String, root: String, environment: [String: String] = [:]
    ) async throws -> ServerProcess {
        let port = 22_000 + Int.random(in: 0..<9000)
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", "\(port)"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let server = ServerProcess(port: port, log: log, process: process)
        let deadline = Date().addingTimeInterval(120)
        while !server.printed.contains("Shpalta serves") {
            guard process.isRunning, Date() < deadline else {
                server.kill()
                throw ServerProcessError(message: "the server did not start: \(server.printed.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return server
    }

    /// What the server has written so far.
    var printed: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// GETs `path`: the status, the body, and the headers (by lowercased name).
    func get(_ path: String) async throws -> (status: Int, body: String, headers: [String: String]) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(from: URL(string: base + path)!)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        return (http?.statusCode ?? 0, String(decoding: data, as: UTF8.self), headers)
    }

    /// Sends `body` as JSON with `method` to `path`, with a bearer `token`: the status and the decoded answer.
    func send(_ method: String, _ path: String, token: String, json body: String) async throws -> (
        status: Int, json: [String: Any]
    ) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    /// Stops it with SIGTERM and returns its exit status. A server still running `limit` after the signal is a failure
    /// of the test, and is killed: a shutdown that hangs must not hang the suite.
    func stop(within limit: Duration = .seconds(60)) async -> Int32 {
        process.terminate()
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            Issue.record("the server did not stop within \(limit) of SIGTERM: \(printed.suffix(1500))")
            kill()
        }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }

    /// Sends SIGTERM and returns at once.
    func terminate() { process.terminate() }

    /// Whether the process still runs.
    var isRunning: Bool { process.isRunning }

    /// Kills it at once (SIGKILL), as a crash would.
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}

extension ServerProcess {
    /// The options that point a command at `database` and its photo folder `media`.
    static func options(_ database: Database, media: String) -> [String] {
        let target: String =
            switch database.location {
            case .sqlite(let path): path
            case .postgres(let url): url
            }
        return ["--database", target, "--media-dir", media]
    }

    /// Creates a story through this node's Admin API with `token` and moves it with `transition` (the JSON of
    /// the move: `{"to":"published"}`, …); its id.
    func story(title: String, slug: String, token: String, transition: String) async throws -> Int64 {
        let created = try await send(
            "POST", "/api/v1/admin/articles", token: token,
            json: #"{"title":"\#(title)","slug":"\#(slug)","lede":"Абзац."}"#)
        let id = try #require(
            ((created.json["article"] as? [String: Any])?["id"] as? NSNumber)?.int64Value, "\(created)")
        let moved = try await send("POST", "/api/v1/admin/articles/\(id)/transition", token: token, json: transition)
        try #require(moved.status == 200, "\(moved)")
        return id
    }

    /// An editor of `database` and a token of theirs for the Admin API.
    static func editorToken(_ database: Database) async throws -> (newsroom: Newsroom, token: String) {
        let newsroom = Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
        let editor = try await newsroom.addPerson(
            email: "e@example.com", name: "Редактор", role: .editor, password: "password-123", by: .commandLine)
        return (newsroom, try await newsroom.createAPIToken(name: "тест", days: 1, for: editor).secret)
    }
}

struct ServerProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Several `shpalta serve` nodes over one database (issue #15). The suite runs on its own (`make test-swift`), one
/// test at a time: it measures a second on a machine that must not be busy with the other suites.
@Suite("Several nodes", .serialized)
struct ClusterTests {
    @Test(
        "two nodes over one database: a publish on one shows on both within a second, a scheduled story is published once",
        arguments: TestEngine.available)
    func twoNodes(engine: TestEngine) async throws {
        let binary = CommandTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build shpalta first")
        try await TestDatabase.with(engine) { database, paths in
            let common = ServerProcess.options(database, media: paths.media)
            // The editor's token for node A's Admin API, made before the nodes start: while they run, the test
            // writes only through them.
            let (newsroom, token) = try await ServerProcess.editorToken(database)
            let a = try await ServerProcess.start(
                common + ["--demo"], log: paths.directory + "/a.log", binary: binary, root: Repository.root)
            var b: ServerProcess?
            do {
                let second = try await ServerProcess.start(
                    common, log: paths.directory + "/b.log", binary: binary, root: Repository.root)
                b = second
                let nodes = [a, second]
                // Both nodes hold /news in their page caches.
                for node in nodes {
                    for _ in 0..<2 { #expect(try await node.get("/news").status == 200) }
                }

                // Published on node A: on both nodes' /news within a second of the answer.
                for round in 1...3 {
                    let slug = "klaster-\(round)"
                    _ = try await a.story(
                        title: "Новина кластера \(round)", slug: slug, token: token, transition: #"{"to":"published"}"#)
                    let published = Date()
                    for (index, node) in nodes.enumerated() {
                        var shown = false
                        while !shown, Date().timeIntervalSince(published) < 3 {
                            shown = try await node.get("/news").body.contains("/news/\(slug)")
                            if !shown { try await Task.sleep(for: .milliseconds(25)) }
                        }
                        let seconds = Date().timeIntervalSince(published)
                        #expect(shown && seconds <= 1, "node \(index): round \(round) shown after \(seconds) s")
                    }
                }

                // Scheduled for a moment from now: both nodes' schedulers look for it; it is published once.
                let at = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))
                let id = try await a.story(
                    title: "За розкладом", slug: "za-rozkladom", token: token,
                    transition: #"{"to":"scheduled","publish_at":"\#(at)"}"#)
                let deadline = Date().addingTimeInterval(15)
                for node in nodes {
                    while try await !node.get("/news").body.contains("/news/za-rozkladom"), Date() < deadline {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                for node in nodes { #expect(try await node.get("/news/za-rozkladom").status == 200) }
                try await Task.sleep(for: .seconds(2))  // both schedulers have had another look
                let onSchedule = try await database.read { sql in
                    try await sql.raw(
                        "SELECT COUNT(*) AS n FROM change_events WHERE article_id = \(bind: id) AND action = 'published_on_schedule'"
                    ).first()?.decode(column: "n", as: Int.self)
                }
                #expect(onSchedule == 1, "published on schedule once, not once per node")
                #expect(try await newsroom.transitions(of: id).filter { $0.to == .published }.count == 1)

                for node in nodes { #expect(await node.stop() == 0) }
            } catch {
                a.kill()
                b?.kill()
                throw error
            }
        }
    }

    @Test(
        "PostgreSQL going away under a node: cached pages served, the rest refused with 503 within seconds, nothing acknowledged lost, all back once it returns",
        .enabled(if: TestEngine.postgresURL != nil))
    func postgresOutage() async throws {
        let binary = CommandTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build shpalta first")
        try await TestDatabase.with(.postgres) { database, paths in
            guard case .postgres(let url) = database.location, var parts = URLComponents(string: url) else {
                Issue.record("not a PostgreSQL database")
                return
            }
            // The node reaches the database only through a relay the test can cut.
            let proxy = try await TCPProxy.start(to: parts.host ?? "127.0.0.1", port: parts.port ?? 5432)
            parts.port = proxy.port
            let (_, token) = try await ServerProcess.editorToken(database)
            let node = try await ServerProcess.start(
                ["--database", parts.string!, "--media-dir", paths.media, "--demo"], log: paths.directory + "/node.log",
                binary: binary, root: Repository.root)
            do {
                let home = try await node.get("/")
                #expect(home.status == 200)
                let rubric = try #require(home.body.captures(#"href="(/rubric/[^"]+)""#).first)
                _ = try await node.story(
                    title: "До збою", slug: "do-zboiu", token: token, transition: #"{"to":"published"}"#)
                for path in ["/news/do-zboiu", "/news"] {
                    for _ in 0..<2 { #expect(try await node.get(path).status == 200, "\(path)") }
                }

                try await proxy.cut()
                // Held in the page cache: still served.
                #expect(try await node.get("/news/do-zboiu").status == 200)
                // Not held: a 503 after the 5 s wait for a connection, not after the pool's minute of retrying (nor
                // after a second wait, for the error page's navigation).
                var started = Date()
                let uncached = try await node.get(rubric)
                #expect(uncached.status == 503, "\(rubric)")
                #expect(uncached.headers["retry-after"] == "5")
                #expect(uncached.body.contains("Сайт тимчасово недоступний"))
                #expect(Date().timeIntervalSince(started) < 8, "answered in \(Date().timeIntervalSince(started)) s")
                // A write through the Admin API: refused the same way, and not stored.
                started = Date()
                let refused = try await node.send(
                    "POST", "/api/v1/admin/articles", token: token, json: #"{"title":"Під час збою","lede":"Абзац."}"#)
                #expect(refused.status == 503, "\(refused)")
                #expect(refused.json["code"] as? String == "unavailable")
                #expect(Date().timeIntervalSince(started) < 8, "answered in \(Date().timeIntervalSince(started)) s")
                #expect(try await node.get("/readyz").status == 503)
                #expect(try await node.get("/healthz").status == 200)

                // Back: pages and writes work again within seconds, and the node's caches follow changes again.
                try await proxy.restore()
                let restored = Date()
                var back = false
                while !back, Date().timeIntervalSince(restored) < 30 {
                    back = try await node.get(rubric).status == 200
                    if !back { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(back, "pages answer again after \(Date().timeIntervalSince(restored)) s")
                #expect(try await node.get("/readyz").status == 200)
                _ = try await node.story(
                    title: "Після збою", slug: "pislia-zboiu", token: token, transition: #"{"to":"published"}"#)
                var shown = false
                let published = Date()
                while !shown, Date().timeIntervalSince(published) < 5 {
                    shown = try await node.get("/news").body.contains("/news/pislia-zboiu")
                    if !shown { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(shown, "the story published after the outage is on the cached /news")
                let titles = try await database.read { sql in
                    try await sql.raw("SELECT title FROM articles WHERE title LIKE '%збою'").all().map {
                        try $0.decode(column: "title", as: String.self)
                    }
                }
                #expect(Set(titles) == ["До збою", "Після збою"], "\(titles)")
                #expect(await node.stop() == 0)
            } catch {
                node.kill()
                try? await proxy.stop()
                throw error
            }
            try await proxy.stop()
        }
    }

    @Test(
        "a node killed in the middle of a webhook delivery leaves it to the other node once its claim runs out",
        arguments: TestEngine.available)
    func killedMidJob(engine: TestEngine) async throws {
        let binary = CommandTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build shpalta first")
        // The receiver holds the first call longer than node A lives; later ones are answered at once.
        let receiver = WebhookTests.receiver()
        receiver.delay(.seconds(3))
        try await Application(router: receiver.router()).test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            try await TestDatabase.with(engine) { database, paths in
                let common = ServerProcess.options(database, media: paths.media)
                let (newsroom, token) = try await ServerProcess.editorToken(database)
                let (hook, _) = try await newsroom.addWebhook(
                    url: "http://127.0.0.1:\(port)/hook", events: Webhook.Event.allCases, by: .commandLine)
                // A receiver gets 2 s to answer, so a claim lasts 3 × 2 + 5 = 11 s.
                let environment = ["SHPALTA_WEBHOOK_TIMEOUT": "2"]
                let a = try await ServerProcess.start(
                    common, log: paths.directory + "/a.log", binary: binary, root: Repository.root,
                    environment: environment)
                var b: ServerProcess?
                do {
                    _ = try await a.story(
                        title: "Новина для вебхука", slug: "vebhuk", token: token, transition: #"{"to":"published"}"#)

                    // Node A has claimed the delivery and is sending it: killed before the answer comes.
                    let deadline = Date().addingTimeInterval(20)
                    while receiver.arrived == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
                    try #require(receiver.arrived == 1, "node A sent the delivery")
                    a.kill()
                    let killed = Date()
                    receiver.delay(.zero)
                    let webhooks = Webhooks(database: database)
                    let held = try #require(try await webhooks.deliveries(of: hook.id).first)
                    #expect(held.state == .pending && held.attempts == 0, "the claim is all that A left")

                    let second = try await ServerProcess.start(
                        common, log: paths.directory + "/b.log", binary: binary, root: Repository.root,
                        environment: environment)
                    b = second
                    var delivered: WebhookDelivery?
                    while delivered == nil, Date().timeIntervalSince(killed) < 60 {
                        try await Task.sleep(for: .milliseconds(200))
                        delivered = try await webhooks.deliveries(of: hook.id).first { $0.state == .delivered }
                    }
                    let done = try #require(delivered, "node B delivered it: \(second.printed.suffix(1500))")
                    #expect(done.id == held.id && done.attempts == 1 && done.lastStatus == 204)
                    #expect(try await webhooks.deliveries(of: hook.id).count == 1, "one delivery, not a second one")
                    // Node B sent the same delivery: the receiver can tell it from a new one by its id.
                    #expect(try await receiver.wait(seconds: 5) { $0.count >= 1 })
                    let ids = Set(receiver.calls.map(\.delivery))
                    #expect(ids == [held.publicID], "\(ids)")
                    #expect(await second.stop() == 0)
                } catch {
                    a.kill()
                    b?.kill()
                    throw error
                }
            }
        }
    }
}
