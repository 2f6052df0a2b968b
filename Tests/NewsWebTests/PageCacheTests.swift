import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import NewsCore
import NewsData
import NewsImport
import NewsWeb
import TestSupport
import Testing

/// The page cache serves the reader's pages from memory and never a stale one (issue #9).
@Suite("Page cache")
struct PageCacheTests {
    /// Publishes a new story through the newsroom as `editor`; returns its id.
    static func publish(
        _ client: any TestClientProtocol, as editor: Member, title: String, tags: String = "Київ, Нова мітка"
    ) async throws -> Int64 {
        let id = try await client.createDraft(title, as: editor, extra: ["tags": tags])
        let moved = try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "published"])
        #expect(moved.headers[.location]?.hasSuffix("notice=moved") == true)
        return id
    }

    @Test(
        "every public page shows a change on the very next request (router; live server, hits from the pipeline)",
        arguments: TestEngine.available, [false, true])
    func neverStale(engine: TestEngine, live: Bool) async throws {
        try await withSite(engine, mode: live ? .live : .router) { client, database in
            let editor = try await client.member(database, "e@example.com", role: .editor, name: "Редактор")
            let id = try await Self.publish(client, as: editor, title: "Перша версія заголовка")
            let article = try #require(try await ArticleRepository(database: database).find(id: id))
            let detail = try await ArticleRepository(database: database).detail(of: article, now: referenceEvening)
            let pages = [
                "/", "/news", "/news/\(article.slug)", "/rubric/\(detail.rubric!.slug)",
                "/tag/\(detail.tags[0].slug)", "/author/\(detail.bylines[0].slug)",
            ]
            // Warm: each page twice (the second from memory).
            for page in pages {
                #expect(try await client.page(page).body.contains("Перша версія заголовка"), "\(page)")
                #expect(try await client.page(page).body.contains("Перша версія заголовка"), "\(page) cached")
            }
            // The editor changes the headline and the address.
            let (_, lock, version) = try await client.openEditor(id, as: editor)
            let saved = try await client.post(
                "/admin/articles/\(id)", as: editor,
                articleFields(
                    title: "Друга версія заголовка",
                    extra: ["version": version, "lock": lock, "slug": "druha-versiia", "tags": "Київ, Нова мітка"]))
            #expect(saved.status == .seeOther)
            for page in pages where page != "/news/\(article.slug)" {
                let body = try await client.page(page).body
                #expect(body.contains("Друга версія заголовка") && !body.contains("Перша версія заголовка"), "\(page)")
            }
            let old = try await client.page("/news/\(article.slug)")
            #expect(old.status == .movedPermanently && old.headers[.location] == "/news/druha-versiia")
            #expect(try await client.page("/news/druha-versiia").body.contains("Друга версія заголовка"))
            // Unpublished: gone from every page at once.
            let (_, lock2, _) = try await client.openEditor(id, as: editor)
            _ = try await client.post(
                "/admin/articles/\(id)/transition", as: editor, ["to": "unpublished", "lock": lock2])
            #expect(try await client.page("/news/druha-versiia").status == .gone)
            for page in pages.prefix(2) {
                #expect(try await !client.page(page).body.contains("Друга версія заголовка"), "\(page)")
            }
        }
    }

    @Test("50 simultaneous misses for one page cause one render")
    func coalescing() async throws {
        try await withWeb(.sqlite) { web in
            let cache = try #require(web.pageCache)
            _ = cache.takeStatistics()
            try await buildApplication(web).test(.router) { client in
                let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<50 { group.addTask { try await client.page("/news/\(referenceSlug)").body } }
                    var bodies: [String] = []
                    for try await body in group { bodies.append(body) }
                    return bodies
                }
                #expect(bodies.count == 50 && Set(bodies).count == 1 && bodies[0].contains("<article"))
            }
            let statistics = cache.takeStatistics()
            #expect(statistics.renders == 1)
            #expect(statistics.hits + statistics.misses == 50)
        }
    }

    @Test(
        "pages come gzipped to clients that accept it; HEAD and conditional GETs from memory",
        arguments: [false, true])
    func encodings(live: Bool) async throws {
        try await withSite(.sqlite, mode: live ? .live : .router) { client, _ in
            let plain = try await client.page("/news/\(referenceSlug)")
            let etag = try #require(plain.headers[.eTag])
            let zipped = try await client.execute(
                uri: "/news/\(referenceSlug)", method: .get, headers: [.acceptEncoding: "gzip, deflate, br"]
            ) { $0 }
            #expect(zipped.headers[.contentEncoding] == "gzip")
            var body = zipped.body
            #expect(body.readableBytes * 3 < plain.body.utf8.count)
            let unzipped = try body.decompress(with: .gzip())
            #expect(String(buffer: unzipped) == plain.body)
            #expect(zipped.headers[.vary] == "Accept-Encoding")
            let head = try await client.page("/news/\(referenceSlug)", method: .head)
            #expect(
                head.status == .ok && head.body.isEmpty && head.headers[.contentLength] == String(plain.body.utf8.count)
            )
            let again = try await client.page("/news/\(referenceSlug)", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.body.isEmpty)
            // Newsroom pages and errors are never served from the cache.
            #expect(try await client.page("/news/nemaie-takoi-statti").status == .notFound)
        }
    }

    @Test("hits are answered in the connection's pipeline, and pipelined requests still in order")
    func pipelinedOrder() async throws {
        try await withWeb(.sqlite) { web in
            let cache = try #require(web.pageCache)
            try await buildApplication(web).test(.live) { client in
                try await web.changes.drain()
                let port = try #require(client.port)
                _ = try await client.page("/news")
                _ = cache.takeStatistics()
                let hit = try await client.page("/news")
                #expect(hit.status == .ok && hit.body.contains("<ol class=\"feed\">"))
                #expect(hit.headers[.date] != nil && hit.headers[.server] == "Shpalta")
                #expect(cache.takeStatistics().pipelineHits == 1)
                let requests =
                    "GET /search?q=%D0%9A%D0%B8%D1%97%D0%B2 HTTP/1.1\r\nHost: news.example\r\n\r\n"
                    + "GET /news HTTP/1.1\r\nHost: news.example\r\n\r\n"
                    + "GET /news HTTP/1.1\r\nHost: news.example\r\nConnection: close\r\n\r\n"
                let collector = try await RawCollector.exchange(requests, port: port)
                let text = collector.text
                let canonical = text.ranges(of: "<link rel=\"canonical\" href=\"https://news.example").map {
                    String(text[$0.upperBound...].prefix { $0 != "\"" })
                }
                #expect(canonical == ["/search", "/news", "/news"])
                #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 4)
                // While the search was being answered, the cached page waited its turn (not answered first).
                #expect(cache.takeStatistics().pipelineHits == 0)
            }
        }
    }

    @Test("an answer written by the pipeline has the application's status, fields and body, plain and gzipped")
    func pipelineAnswersMatch() async throws {
        try await withWeb(.sqlite) { web in
            let cache = try #require(web.pageCache)
            try await buildApplication(web).test(.live) { client in
                try await web.changes.drain()
                let port = try #require(client.port)
                _ = try await client.page("/news")
                for encoding in ["", "Accept-Encoding: gzip\r\n"] {
                    // The first /news is a hit answered in the pipeline; the second waits behind a search, so the
                    // application's cache middleware answers it from the same page.
                    let get = "GET /news HTTP/1.1\r\nHost: news.example\r\n\(encoding)"
                    let requests =
                        get + "\r\n" + "GET /search?q=x HTTP/1.1\r\nHost: news.example\r\n\r\n"
                        + get + "Connection: close\r\n\r\n"
                    _ = cache.takeStatistics()
                    let collector = try await RawCollector.exchange(requests, port: port)
                    #expect(cache.takeStatistics().pipelineHits == 1)
                    let answers = collector.answers
                    try #require(answers.count == 3)
                    let (piped, applied) = (answers[0], answers[2])
                    #expect(piped.status == "HTTP/1.1 200 OK" && applied.status == piped.status)
                    var same = applied.fields
                    same["connection"] = nil
                    same["date"] = piped.fields["date"]
                    // Each answer has its own request id.
                    #expect(piped.fields["x-request-id"] != nil && piped.fields["x-request-id"] != same["x-request-id"])
                    same["x-request-id"] = piped.fields["x-request-id"]
                    #expect(piped.fields == same)
                    #expect(piped.body == applied.body && piped.body.readableBytes > 1000)
                    #expect(piped.fields["content-encoding"] == (encoding.isEmpty ? nil : "gzip"))
                }
            }
        }
    }

    @Test("answers written by the pipeline leave the next answers on the connection whole, a HEAD's among them")
    func pipelineKeepsTheConnectionInStep() async throws {
        // NIO's response encoder learns each request's method from the decoder, to leave out the body of a HEAD's
        // answer; the answers the pipeline writes itself must not leave it a method behind (it then took a GET
        // for the HEAD before it, and sent the GET's answer without its body), nor a method kept per hit
        // (`make soak` saw the memory grow by 16 bytes a hit).
        try await withWeb(.sqlite) { web in
            try await buildApplication(web).test(.live) { client in
                try await web.changes.drain()
                let port = try #require(client.port)
                _ = try await client.page("/news")
                let requests =
                    "GET /news HTTP/1.1\r\nHost: news.example\r\n\r\n"
                    + "HEAD /search?q=x HTTP/1.1\r\nHost: news.example\r\n\r\n"
                    + "HEAD /nemaie-takoi-storinky HTTP/1.1\r\nHost: news.example\r\n\r\n"
                    + "HEAD /admin/logout HTTP/1.1\r\nHost: news.example\r\n\r\n"
                    + "POST /news HTTP/1.1\r\nHost: news.example\r\nContent-Length: 0\r\n\r\n"
                    + "GET /search?q=y HTTP/1.1\r\nHost: news.example\r\nConnection: close\r\n\r\n"
                let received = try await RawCollector.exchange(requests, port: port)
                let answers = received.answers(bodiless: [1, 2, 3])
                try #require(answers.count == 6, "\(received.text.prefix(3000))")
                // The answers' codes, whatever their reason phrases.
                #expect(
                    answers.map { $0.status.split(separator: " ").dropFirst().first ?? "" } == [
                        "200", "200", "404", "404", "404", "200",
                    ])
                #expect(String(buffer: answers[0].body).contains("<ol class=\"feed\">"))
                #expect(answers[1].fields["content-length"] != nil, "a HEAD's answer says how long the GET's would be")
                #expect(
                    String(buffer: answers[4].body).contains("</html>"), "the answer to a POST nobody takes is a page")
                let last = answers[5]
                #expect(
                    last.body.readableBytes == Int(last.fields["content-length"] ?? "") ?? -1
                        && String(buffer: last.body).contains("</html>"), "the GET after the HEAD has its whole body")
            }
        }
    }

    @Test("a flood of never-seen URLs neither pushes out the hot pages nor exceeds the bound")
    func cacheBustingFlood() async throws {
        try await withWeb(.sqlite, configure: { $0.pageCacheBytes = 500_000 }) { web in
            let cache = try #require(web.pageCache)
            try await buildApplication(web).test(.router) { client in
                // The server's dispatcher first catches up on the demo import's events; a render that overlaps an
                // eviction is not stored, so let it finish.
                try await web.changes.drain()
                _ = try await client.page("/")
                _ = try await client.page("/")
                #expect(cache.contains("uk /"))
                for index in 0..<150 { _ = try await client.page("/news?utm=\(index)") }
                #expect(cache.contains("uk /"), "\(cache.takeStatistics())")
                #expect(cache.bytes <= 500_000)
                #expect(!cache.contains("uk /news?utm=0"))
            }
        }
    }

    @Test("a story scheduled for later appears on the cached pages at its time", arguments: TestEngine.available)
    func scheduledOnTime(engine: TestEngine) async throws {
        let clock = TestClock(referenceEvening)
        try await withWeb(engine, configure: { settings in settings.clock = { clock.now } }) { web in
            try await buildApplication(web).test(.router) { client in
                let editor = try await client.member(web.database, "e@example.com", role: .editor)
                let created = try await client.post(
                    "/admin/articles", as: editor, articleFields(title: "Заплановано на десяту"))
                let id = try #require(articleID(fromLocation: created.headers[.location]))
                let at = LocalDateTimeText.format(referenceEvening.addingTimeInterval(3600))
                let scheduled = try await client.post(
                    "/admin/articles/\(id)/transition", as: editor, ["to": "scheduled", "publish_at": at])
                #expect(scheduled.status == .seeOther, "\(scheduled.status)")
                #expect(try await ArticleRepository(database: web.database).find(id: id)?.status == .scheduled)
                #expect(try await !client.page("/").body.contains("Заплановано на десяту"))
                clock.now = referenceEvening.addingTimeInterval(3600 + 1)
                await PublishScheduler(
                    database: web.database, clock: { clock.now }, logger: Logger(label: "test"),
                    dispatcher: web.changes
                ).publishDue(atStart: false)
                #expect(try await client.page("/").body.contains("Заплановано на десяту"))
            }
        }
    }

    @Test("cached pages expire at the site's midnight, when today's \"14:05\" becomes \"22.01\"")
    func midnight() async throws {
        let clock = TestClock(referenceEvening)  // 20:00 in Kyiv on 22 January 2026
        try await withWeb(.sqlite, configure: { settings in settings.clock = { clock.now } }) { web in
            try await buildApplication(web).test(.router) { client in
                let editor = try await client.member(web.database, "e@example.com", role: .editor)
                let id = try await client.createDraft("Новина цього вечора", as: editor)
                _ = try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "published"])
                let evening = try await client.page("/news")
                #expect(evening.headers[.expires] == "Thu, 22 Jan 2026 22:00:00 GMT", "Kyiv's midnight, in GMT")
                #expect(evening.body.contains(">20:00</time>"), "today's story shows its time")
                let key = "uk /news"
                #expect(web.pageCache?.contains(key) == true)
                clock.now = referenceEvening.addingTimeInterval(4 * 3600 - 1)
                #expect(web.pageCache?.contains(key) == true, "still today")
                clock.now = referenceEvening.addingTimeInterval(4 * 3600)
                #expect(web.pageCache?.contains(key) == false, "expired at midnight")
                let night = try await client.page("/news")
                #expect(night.body.contains(">22.01</time>") && !night.body.contains(">20:00</time>"))
                #expect(night.headers[.expires] == "Fri, 23 Jan 2026 22:00:00 GMT")
            }
        }
    }
}

/// A clock a test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// `datetime-local` values in Kyiv time, as the editor's form sends them.
enum LocalDateTimeText {
    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Kyiv")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}

/// A write by another process (here: the importer, outside the server's requests) reaches the cached pages
/// within a second, through the dispatcher's polling. Run alone (`make test`), as its time is measured.
@Suite("Page cache timing")
struct PageCacheTimingTests {
    @Test("an import while the server runs shows on the cached home page within a second")
    func otherProcess() async throws {
        try await withWeb(.sqlite) { web in
            try await buildApplication(web).test(.live) { client in
                #expect(try await !client.page("/").body.contains("Імпортовано під час роботи"))
                _ = try await client.page("/")
                let line =
                    #"{"id": "live-1", "title": "Імпортовано під час роботи", "published_at": "2026-01-22T19:59:00+02:00", "body_html": "<p>Текст</p>"}"#
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID()).jsonl").path
                try line.write(toFile: file, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(atPath: file) }
                _ = try await JSONLImporter(database: web.database, mediaStore: web.mediaStore).importFile(at: file)
                let started = ContinuousClock.now
                var shown = false
                while !shown, ContinuousClock.now - started < .seconds(5) {
                    shown = try await client.page("/").body.contains("Імпортовано під час роботи")
                    if !shown { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(shown)
                #expect(ContinuousClock.now - started < .seconds(1))
            }
        }
    }
}

/// Collects what a raw connection receives.
final class RawCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private var received = ByteBuffer()
    private let lock = NSLock()

    var text: String { lock.withLock { String(buffer: received) } }

    /// Sends `requests` as they are on one connection to `port` and collects everything until the server closes it.
    static func exchange(_ requests: String, port: Int) async throws -> RawCollector {
        let (channel, collector) = try await connect(port: port)
        try await channel.writeAndFlush(ByteBuffer(string: requests))
        try await channel.closeFuture.get()
        return collector
    }

    /// A connection to `port` whose received bytes the returned collector keeps, for requests sent in pieces.
    static func connect(port: Int) async throws -> (any Channel, RawCollector) {
        let collector = RawCollector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return (channel, collector)
    }
    var bytes: ByteBuffer { lock.withLock { received } }

    /// The answers received, each as its status line, its header fields (names lowercased) and its body.
    var answers: [(status: String, fields: [String: String], body: ByteBuffer)] { answers(bodiless: []) }

    /// The answers received; those at the places in `bodiless` (answers to HEAD requests) have no body, whatever
    /// their `Content-Length` says.
    func answers(bodiless: Set<Int>) -> [(status: String, fields: [String: String], body: ByteBuffer)] {
        var rest = bytes
        var answers: [(String, [String: String], ByteBuffer)] = []
        let end = Array("\r\n\r\n".utf8)
        while rest.readableBytes > 0,
            let split = rest.readableBytesView.firstRange(of: end).map({ $0.lowerBound - rest.readerIndex })
        {
            let head = rest.readString(length: split)!
            rest.moveReaderIndex(forwardBy: 4)
            var lines = head.components(separatedBy: "\r\n")
            let status = lines.removeFirst()
            var fields: [String: String] = [:]
            for line in lines {
                let parts = line.split(separator: ":", maxSplits: 1)
                fields[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
            }
            let length = bodiless.contains(answers.count) ? 0 : Int(fields["content-length"] ?? "0") ?? 0
            answers.append((status, fields, rest.readSlice(length: length) ?? ByteBuffer()))
        }
        return answers
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        lock.withLock { _ = received.writeBuffer(&buffer) }
    }
}
