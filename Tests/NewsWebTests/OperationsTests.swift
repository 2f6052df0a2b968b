import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NewsCore
import NewsData
import NewsWeb
import SQLKit
import Synchronization
import TestSupport
import Testing

/// What an operator's tools ask of a node (issue #15): the health probes, request ids, JSON logs.
@Suite("Operations")
struct OperationsTests {
    private static func json(_ page: Page) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(page.body.utf8))
    }

    @Test(
        "/healthz answers while the process lives; /readyz only while the database answers and is migrated",
        arguments: TestEngine.available)
    func health(engine: TestEngine) async throws {
        // The probe's own limit (2 s) is for a live node; here the suites share two cores with many others.
        try await withSite(engine, demo: false, configure: { $0.readinessTimeout = .seconds(120) }) {
            client, database in
            let alive = try await client.page("/healthz")
            #expect(alive.status == .ok)
            #expect(try Self.json(alive) == ["status": "ok"])
            #expect(alive.headers[.cacheControl] == "no-store")
            #expect(alive.headers[.contentType]?.hasPrefix("application/json") == true)

            let ready = try await client.page("/readyz")
            #expect(ready.status == .ok, "\(ready.body)")
            #expect(try Self.json(ready) == ["status": "ok"])
            #expect(ready.headers[.cacheControl] == "no-store")

            // A migration the code knows but the database has not had: not ready, and the probe says which.
            let last = try #require(Schema.migrations.map(\.number).max())
            try await database.transaction { sql in
                try await sql.delete(from: "schema_migrations").where("number", .equal, last).run()
            }
            let behind = try await client.page("/readyz")
            #expect(behind.status == .serviceUnavailable)
            #expect(try Self.json(behind) == ["status": "unavailable", "reason": "migrations pending: \(last)"])
            #expect(try await client.page("/healthz").status == .ok)

            // Migrating brings it back (the migration's statements are idempotent or already there; the row is what
            // counts).
            try await database.transaction { sql in
                try await sql.insert(into: "schema_migrations").columns("number", "name", "applied_at")
                    .values(SQLBind(last), SQLBind("restored by the test"), SQLBind(0)).run()
            }
            #expect(try await client.page("/readyz").status == .ok)

            // HEAD works for probes that send it.
            let head = try await client.page("/readyz", method: .head)
            #expect(head.status == .ok)

            if engine == .sqlite {
                // The database gone: not ready, still alive.
                await database.close()
                let gone = try await client.page("/readyz")
                #expect(gone.status == .serviceUnavailable)
                #expect(try Self.json(gone) == ["status": "unavailable", "reason": "database"])
                #expect(try await client.page("/healthz").status == .ok)
            }
        }
    }

    @Test("a fresh database is not ready: every migration is pending", arguments: TestEngine.available)
    func freshDatabase(engine: TestEngine) async throws {
        try await TestDatabase.with(engine, migrate: false) { database, _ in
            let pending = try await Migrator(database: database).pendingMigrations()
            #expect(pending == Schema.migrations.map(\.number).sorted())
            try await Migrator(database: database).migrate()
            #expect(try await Migrator(database: database).pendingMigrations().isEmpty)
        }
    }

    @Test(
        "every answer carries a request id: the proxy's when it is a plain token, a new one otherwise, cache hits too",
        arguments: [TestingSetup.router, .live])
    func requestID(mode: TestingSetup) async throws {
        try await withSite(.sqlite, mode: mode) { client, _ in
            let idHeader = HTTPField.Name("X-Request-Id")!
            let token = try Regex("^[A-Za-z0-9._:-]{1,64}$")
            var seen: Set<String> = []
            // The article twice (a miss, then a hit of the page cache, in the connection's pipeline when live), the
            // home page, an error page, a probe.
            for uri in ["/news/\(referenceSlug)", "/news/\(referenceSlug)", "/", "/news/no-such-story", "/healthz"] {
                let page = try await client.page(uri)
                let id = try #require(page.headers[idHeader], "\(uri)")
                #expect(id.wholeMatch(of: token) != nil, "\(id)")
                #expect(seen.insert(id).inserted, "a new id for each request")
            }
            let given = "edge-7f3a:01.b_c"
            for uri in ["/news/\(referenceSlug)", "/admin/login", "/api/v1/articles"] {
                let page = try await client.page(uri, headers: [idHeader: given])
                #expect(page.headers[idHeader] == given, "\(uri)")
            }
            for hostile in [String(repeating: "a", count: 65), "two words", "quote\"d", "new\u{0B}line", "ід"] {
                let page = try await client.page("/news/\(referenceSlug)", headers: [idHeader: hostile])
                let id = try #require(page.headers[idHeader])
                #expect(id != hostile)
                #expect(id.wholeMatch(of: token) != nil, "\(id)")
            }
        }
    }

    @Test("JSON logs: one object a line, every field, control characters escaped")
    func jsonLogs() throws {
        let lines = Mutex<[Data]>([])
        var logger = Logger(label: "shpalta.test") { label in
            JSONLogHandler(label: label, output: .init { data in lines.withLock { $0.append(data) } })
        }
        logger[metadataKey: "request_id"] = "r-1"
        logger.info("Опубліковано\nдругий рядок", metadata: ["slug": "a\u{1B}[31mb", "count": "3"])
        logger.debug("not written at info")
        logger.warning("second")
        let written = lines.withLock { $0 }
        try #require(written.count == 2)
        let text = written.map { String(decoding: $0, as: UTF8.self) }
        #expect(text.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().allSatisfy { $0 != "\n" } }, "\(text)")
        let first = try #require(try JSONSerialization.jsonObject(with: written[0]) as? [String: Any])
        #expect(first["level"] as? String == "info")
        #expect(first["label"] as? String == "shpalta.test")
        #expect(first["message"] as? String == "Опубліковано\nдругий рядок")
        #expect(first["source"] as? String == "NewsWebTests")
        #expect(first["metadata"] as? [String: String] == ["request_id": "r-1", "slug": "a\u{1B}[31mb", "count": "3"])
        let time = try #require(first["time"] as? String)
        #expect(try Date(time, strategy: .iso8601) <= Date())
        #expect(text[0].contains("\\u001b"), "the escape character is escaped: \(text[0])")
    }

    @Test("Text logs: swift-log's line form, metadata sorted by name, the level respected")
    func textLogs() throws {
        let lines = Mutex<[Data]>([])
        var logger = Logger(label: "shpalta.test") { label in
            TextLogHandler(label: label, output: .init { data in lines.withLock { $0.append(data) } })
        }
        logger[metadataKey: "request_id"] = "r-1"
        logger.info("Опубліковано", metadata: ["slug": "novyna", "count": "3"])
        logger.debug("not written at info")
        logger[metadataKey: "request_id"] = nil
        logger.warning("second")
        let text = lines.withLock { $0 }.map { String(decoding: $0, as: UTF8.self) }
        try #require(text.count == 2)
        let stamp = #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}/#
        let first = try #require(text[0].wholeMatch(of: #/(?<stamp>\S+) (?<rest>.*)\n/#))
        #expect(first.stamp.wholeMatch(of: stamp) != nil, "\(text[0])")
        #expect(first.rest == "info shpalta.test: count=3 request_id=r-1 slug=novyna [NewsWebTests] Опубліковано")
        #expect(text[1].hasSuffix(" warning shpalta.test: [NewsWebTests] second\n"), "\(text[1])")
    }

    /// The value of the sample `name{labels}` in a Prometheus text page.
    private static func sample(_ text: String, _ name: String, _ labels: String = "") -> Double? {
        let prefix = labels.isEmpty ? name + " " : name + "{" + labels + "} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    @Test("/metrics reports the page cache, the database, the outbox and the jobs, to allowed addresses only")
    func metrics() async throws {
        try await withSite(.sqlite, mode: .live) { client, _ in
            for _ in 0..<3 { _ = try await client.page("/news/\(referenceSlug)") }
            let page = try await client.page("/metrics")
            #expect(page.status == .ok, "\(page.body)")
            #expect(page.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(page.headers[.cacheControl] == "no-store")
            let text = page.body
            #expect(text.contains("# TYPE shpalta_page_cache_hits_total counter"), "\(text)")
            let hits = try #require(Self.sample(text, "shpalta_page_cache_hits_total", #"cache="pages""#))
            let piped = try #require(Self.sample(text, "shpalta_page_cache_pipeline_hits_total", #"cache="pages""#))
            #expect(hits + piped >= 2, "two of the three requests were answered from memory")
            #expect(Self.sample(text, "shpalta_page_cache_misses_total", #"cache="pages""#) ?? 0 >= 1)
            #expect(Self.sample(text, "shpalta_page_cache_held_bytes", #"cache="pages""#) ?? 0 > 1000)
            #expect(Self.sample(text, "shpalta_page_cache_held_pages", #"cache="pages""#) ?? 0 >= 1)
            #expect(Self.sample(text, "shpalta_database_reads_total", #"engine="sqlite""#) ?? 0 > 0)
            #expect(Self.sample(text, "shpalta_database_up") == 1)
            #expect(Self.sample(text, "shpalta_outbox_lag_events", #"subscriber="audit""#) != nil, "\(text)")
            #expect(Self.sample(text, "shpalta_jobs_waiting", #"job="webhook""#) == 0)
            #expect(Self.sample(text, "shpalta_jobs_waiting", #"job="scheduled_story""#) != nil)

            // Through a proxy, even a local one: refused.
            for header in ["X-Forwarded-For", "Forwarded"] {
                let value = header == "Forwarded" ? "for=203.0.113.9" : "203.0.113.9"
                let relayed = try await client.page("/metrics", headers: [HTTPField.Name(header)!: value])
                #expect(relayed.status == .forbidden, "\(header)")
                #expect(!relayed.body.contains("shpalta_"))
            }
        }
        // An address not on the list: refused.
        try await withSite(.sqlite, demo: false, mode: .live, configure: { $0.metricsAllowed = ["10.0.0.0/8"] }) {
            client, _ in
            let page = try await client.page("/metrics")
            #expect(page.status == .forbidden)
            #expect(page.body.contains("SHPALTA_METRICS_ALLOW"))
        }
    }

    @Test("the database going away: cached pages still served, the rest 503 with Retry-After, HTML and JSON alike")
    func databaseAway() async throws {
        try await withAPI(.sqlite) { client, web, key in
            let member = try await client.member(web.database, "editor@example.com", role: .editor)
            let article = "/news/\(referenceSlug)"
            #expect(try await client.page(article).status == .ok)
            let rubric = try #require(try await client.page("/").body.captures(#"href="(/rubric/[^"]+)""#).first)

            await web.database.close()

            // Held in the page cache: still served.
            #expect(try await client.page(article).status == .ok)
            // Not held: the themed 503 page, try again in 5 seconds.
            let uncached = try await client.page(rubric)
            #expect(uncached.status == .serviceUnavailable, "\(rubric)")
            #expect(uncached.headers[.retryAfter] == "5")
            #expect(uncached.headers[.cacheControl] == "no-store")
            #expect(uncached.body.contains("Сайт тимчасово недоступний"))
            // The API: JSON with its own code.
            let api = try await client.api("/api/v1/articles?limit=3", key: key)
            #expect(api.status == .serviceUnavailable)
            #expect(api.json["code"] as? String == "unavailable")
            #expect(api.headers[.retryAfter] == "5")
            // A newsroom write: refused the same way, not a 500.
            let save = try await client.post("/admin/articles", as: member, ["title": "Нова новина"])
            #expect(save.status == .serviceUnavailable)
            #expect(try await client.page("/readyz").status == .serviceUnavailable)
            #expect(try await client.page("/healthz").status == .ok)
        }
    }
}
