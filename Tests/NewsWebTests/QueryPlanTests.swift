import Foundation
import HummingbirdTesting
import Logging
import NewsCore
import NewsData
import NewsWeb
import SQLKit
import Synchronization
import TestSupport
import Testing

/// Every query the reader's pages run uses an index for the tables that grow with the archive: no page reads
/// all articles, links, photos or events to show twenty of them (issue #9).
@Suite("Query plans of the public pages")
struct QueryPlanTests {
    /// Tables that grow with the archive; small ones (rubrics, settings, cursors) may be read whole.
    static let growing: Set<String> = [
        "articles", "article_tags", "article_authors", "media", "tags", "authors", "revisions", "change_events",
        "audit_log", "slug_redirects", "search_terms", "transitions", "sessions",
    ]

    @Test(
        "home, feeds, article, rubric, tag, author, search, redirect, RSS and sitemap pages read no growing table whole",
        arguments: TestEngine.available)
    func noFullScans(engine: TestEngine) async throws {
        let recorder = QueryRecorder()
        var logger = Logger(label: "plans") { _ in RecordingHandler(recorder: recorder) }
        logger.logLevel = .debug
        try await withWeb(engine, databaseLogger: logger, configure: { $0.pageCacheBytes = 0 }) { web in
            try await buildApplication(web).test(.router) { client in
                try await web.changes.drain()
                let news = try await client.page("/news")
                let article = try #require(news.body.feedItemIDs.first)
                let page = try await client.page(article)
                let more = try #require(news.body.moreLink)
                var urls = [
                    "/", "/news", more, more + "&partial=1", article, "/news/nemaie-takoi-statti",
                    "/search?q=%D0%9A%D0%B8%D1%97%D0%B2", "/search?q=%D0%9A%D0%B8%D1%97%D0%B2&rubric=sport&page=2",
                    // Nothing found: "did you mean" reads the words that start with the same letter.
                    "/search?q=%D0%9A%D1%94%D0%B2%D0%B0",
                    // (Not the rubric, tag and author sitemaps: listing every one of them is what they are for.)
                    "/rss.xml", "/rubric/podrobytsi/rss.xml", "/sitemap-news.xml", "/sitemap.xml",
                    "/sitemaps/articles-1.xml",
                ]
                for prefix in ["/rubric/", "/tag/", "/author/"] {
                    let link = try #require(page.body.firstLink(startingWith: prefix), "\(prefix) on \(article)")
                    urls.append(link)
                }
                recorder.reset()
                for url in urls { _ = try await client.page(url) }
                // A story with two "read also" links, as its page (here, its preview) reads them.
                let articles = ArticleRepository(database: web.database)
                let linked = try await articles.feed(limit: 3).items.map(\.id)
                var story = try #require(try await articles.detail(slug: article.slugOfPath, now: Date())).article
                story.body += linked.suffix(2).map { .readAlso(articleID: $0) }
                _ = try await articles.detail(of: story, now: Date())
            }
            let queries = Set(recorder.queries.filter { $0.uppercased().hasPrefix("SELECT") })
            #expect(queries.count >= 8)
            #expect(queries.contains { $0.contains("FROM articles a") && $0.contains("ORDER BY a.published_at DESC") })
            for query in queries {
                #expect(try await Self.fullScans(of: query, in: web.database, engine: engine).isEmpty, "\(query)")
            }
            // Stories looked up by a list of ids (the "read also" links, "Читайте також"'s candidates) are found by
            // id (their rows, or the index of their status and time by id), not by walking every published story
            // for the status and time conditions that come with the list.
            if engine == .sqlite {
                let byList = queries.filter { $0.contains("a.id IN (?") }
                #expect(!byList.isEmpty)
                for query in byList {
                    let plan = try await Self.sqlitePlan(of: query, in: web.database)
                    let byID = plan.contains {
                        $0.hasPrefix("SEARCH a USING INTEGER PRIMARY KEY")
                            || $0.hasPrefix("SEARCH a USING COVERING INDEX articles_visible (id=?")
                    }
                    #expect(byID, "\(query): \(plan)")
                }
            }
            #expect(queries.contains { $0.contains("FROM search_terms") && $0.contains(">=") })
            // The search box's tags are read by the start of their address, a range an index serves (on
            // PostgreSQL, one in the byte order the range is compared in). On a few tags the planner reaches them
            // from the stories instead, so the range is asked alone.
            let tagRange =
                engine == .sqlite
                ? "SELECT t.id FROM tags t WHERE t.slug >= ? AND t.slug < ?"
                : #"SELECT t.id FROM tags t WHERE t.slug COLLATE "C" >= $1 AND t.slug COLLATE "C" < $2"#
            #expect(try await Self.fullScans(of: tagRange, in: web.database, engine: engine).isEmpty)
            // The check itself finds a full scan where there is one.
            let unindexed =
                engine == .sqlite
                ? "SELECT a.id FROM articles a WHERE a.lede = ?" : "SELECT a.id FROM articles a WHERE a.lede = $1"
            #expect(try await Self.fullScans(of: unindexed, in: web.database, engine: engine).count == 1)
        }
    }

    /// The steps of `query`'s plan that read a growing table whole.
    static func fullScans(of query: String, in database: Database, engine: TestEngine) async throws -> [String] {
        engine == .sqlite
            ? try await sqliteFullScans(of: query, in: database) : try await postgresFullScans(of: query, in: database)
    }

    /// PostgreSQL's generic plan of `query` (the one for any values of its parameters) with sequential scans
    /// priced out: a "Seq Scan" of a growing table left in it means no index can serve the query. (On the few
    /// rows of a test database the planner would rightly scan every small table; on the archive it must not
    /// have to.)
    static func postgresFullScans(of query: String, in database: Database) async throws -> [String] {
        let parameters = Set(query.matches(of: /\$([0-9]+)/).compactMap { Int($0.1) }).max() ?? 0
        let plan = try await database.readUsingIndexes { sql in
            try await sql.raw("SET LOCAL plan_cache_mode = force_generic_plan").run()
            try await sql.raw("PREPARE plan_check AS \(unsafeRaw: query)").run()
            let arguments =
                parameters == 0 ? "" : "(" + Array(repeating: "NULL", count: parameters).joined(separator: ", ") + ")"
            let steps = try await sql.raw("EXPLAIN EXECUTE plan_check\(unsafeRaw: arguments)").all().map {
                try $0.decode(column: "QUERY PLAN", as: String.self)
            }
            try await sql.raw("DEALLOCATE plan_check").run()
            return steps
        }
        return postgresFullScans(inPlan: plan)
    }

    /// The steps of a PostgreSQL plan that read a growing table whole: a "Seq Scan", or an index scan with no
    /// "Index Cond" (with sequential scans priced out, the planner walks a whole index and filters every entry
    /// when no index can serve the condition); a bitmap index scan counts for the table of the heap scan above it.
    static func postgresFullScans(inPlan plan: [String]) -> [String] {
        var found: [String] = []
        var heapTable = ""
        for (index, step) in plan.enumerated() {
            guard let range = step.range(of: " on ") else { continue }
            let named = String(step[range.upperBound...].prefix { !$0.isWhitespace })
            if step.contains("Bitmap Heap Scan on ") { heapTable = named }
            let isSeqScan = step.contains("Seq Scan on ")
            let isIndexScan = step.contains("Index Scan") || step.contains("Index Only Scan")
            guard isSeqScan || isIndexScan else { continue }
            let table = step.contains("Bitmap Index Scan on ") ? heapTable : named
            guard growing.contains(table) else { continue }
            // The step's details are the lines after it, up to the next step.
            let details = plan[(index + 1)...].prefix { !$0.contains("->") }
            if isSeqScan || !details.contains(where: { $0.contains("Index Cond:") }) {
                found.append(step.trimmingCharacters(in: .whitespaces))
            }
        }
        return found
    }

    /// SQLite's plan of `query`: "SCAN t" of a growing table without an index.
    static func sqliteFullScans(of query: String, in database: Database) async throws -> [String] {
        let plan = try await sqlitePlan(of: query, in: database)
        let aliases = Self.aliases(in: query)
        return plan.filter { step in
            // "SCAN a" reads table a whole; "SCAN a USING INDEX …" walks an index in order (bounded by LIMIT).
            guard step.hasPrefix("SCAN "), !step.contains("USING") else { return false }
            let name = String(step.dropFirst(5).prefix { !$0.isWhitespace })
            return growing.contains(aliases[name] ?? name)
        }
    }

    /// The steps of SQLite's plan of `query`.
    static func sqlitePlan(of query: String, in database: Database) async throws -> [String] {
        try await database.read { sql in
            try await sql.raw("EXPLAIN QUERY PLAN \(unsafeRaw: query)").all().map {
                try $0.decode(column: "detail", as: String.self)
            }
        }
    }

    /// `alias → table` for the `FROM`/`JOIN` clauses of `query` ("articles a" → a: articles).
    static func aliases(in query: String) -> [String: String] {
        let words = query.replacingOccurrences(of: "(", with: " ( ").split(whereSeparator: \.isWhitespace).map(
            String.init)
        var result: [String: String] = [:]
        for (index, word) in words.enumerated() where ["FROM", "JOIN"].contains(word.uppercased()) {
            guard index + 1 < words.count else { continue }
            let table = words[index + 1]
            result[table] = table
            if index + 2 < words.count {
                let next = words[index + 2]
                let alias = next.uppercased() == "AS" && index + 3 < words.count ? words[index + 3] : next
                if alias.allSatisfy({ $0.isLetter || $0 == "_" }),
                    !["WHERE", "JOIN", "LEFT", "ON", "ORDER", "GROUP", "LIMIT", "UNION", "INNER"].contains(
                        alias.uppercased())
                {
                    result[alias] = table
                }
            }
        }
        return result
    }
}

/// The SQL of every query the database logs.
final class QueryRecorder: Sendable {
    private let recorded = Mutex<[String]>([])

    var queries: [String] { recorded.withLock { $0 } }

    func record(_ sql: String) { recorded.withLock { $0.append(sql) } }

    func reset() { recorded.withLock { $0.removeAll() } }
}

struct RecordingHandler: LogHandler {
    let recorder: QueryRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if case .string(let sql)? = event.metadata?["sql"] { recorder.record(sql) }
    }
}

extension String {
    /// The last segment of a path ("/news/some-story" → "some-story").
    var slugOfPath: String { String(split(separator: "/").last ?? "") }

    /// The first `href` on the page that starts with `prefix`.
    func firstLink(startingWith prefix: String) -> String? {
        guard let range = range(of: "href=\"\(prefix)") else { return nil }
        let rest = self[range.lowerBound...].dropFirst("href=\"".count)
        return String(rest.prefix { $0 != "\"" })
    }
}
