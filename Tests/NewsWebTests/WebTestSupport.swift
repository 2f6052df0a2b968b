import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NewsCore
import NewsData
import NewsImport
import NewsWeb
import TestSupport

/// 22 January 2026, 20:00 in Kyiv: the evening the reference feed was captured.
let referenceEvening = Date(timeIntervalSince1970: 1_769_104_800)

let referenceSlug = "putin-vpershe-za-24-roky-vidviduie-pivnichnu-koreiu-vidomi-ofitsiina-i-taiemna-tsili-vizytu"

/// A response read whole, for assertions.
struct Page {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String
}

/// Runs `body` against the real router over a fresh database on `engine`, filled with the demo content;
/// `configure` changes the settings first, and `mode` chooses the in-process router or a live server.
func withSite(
    _ engine: TestEngine, now: Date = referenceEvening, demo: Bool = true, mode: TestingSetup = .router,
    configure: @Sendable (inout AppSettings) -> Void = { _ in },
    _ body: @Sendable (any TestClientProtocol, Database) async throws -> Void
) async throws {
    try await withWeb(engine, now: now, demo: demo, configure: configure) { web in
        try await buildApplication(web).test(mode) { client in try await body(client, web.database) }
    }
}

/// Runs `body` with the web environment of a fresh database on `engine` (see ``withSite``).
func withWeb(
    _ engine: TestEngine, now: Date = referenceEvening, demo: Bool = true, databaseLogger: Logger? = nil,
    configure: @Sendable (inout AppSettings) -> Void = { _ in },
    _ body: @Sendable (WebEnvironment) async throws -> Void
) async throws {
    try await TestDatabase.with(engine, logger: databaseLogger) { database, paths in
        if demo {
            try await DemoLoader(
                database: database, mediaDirectory: paths.media, demoDirectory: Repository.demo, corpus: nil,
                logger: Logger(label: "test")
            ).loadIfEmpty()
        }
        var settings = AppSettings(
            host: "127.0.0.1", port: 0, siteName: "Тест", baseURL: "https://news.example",
            themeDirectory: Repository.theme,
            defaultThemeDirectory: Repository.theme, mediaDirectory: paths.media, clock: { now })
        settings.bcryptCost = 4
        settings.makesRenditions = false
        // Each site its own pools: the suites run side by side and must not fill one another's queues.
        settings.passwordHashing = WorkPool(name: "test-bcrypt", threads: 2, maxWaiting: 1000)
        settings.phraseVerifier = WorkPool(name: "test-phrase", threads: 2, maxWaiting: 1000)
        // A live test's client holds one connection for the whole test; on a busy machine the pause
        // between two of its requests can pass the production limits, so tests allow minutes.
        settings.connections = ConnectionLimits(
            headerTimeout: .seconds(300), keepAliveTimeout: .seconds(300), bodyIdleTimeout: .seconds(300))
        configure(&settings)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        try await body(try await WebEnvironment(settings: settings, database: database, logger: logger))
    }
}

extension TestClientProtocol {
    /// GETs `uri` and reads the whole response.
    func page(_ uri: String, headers: HTTPFields = [:], method: HTTPRequest.Method = .get) async throws -> Page {
        try await execute(uri: uri, method: method, headers: headers) { response in
            Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }
}

extension String {
    /// The offsets of `needles` in this text, in order; `nil` for a missing one.
    func positions(of needles: [String]) -> [String.Index?] {
        needles.map { range(of: $0)?.lowerBound }
    }

    /// Every match of a simple regular expression's first capture group.
    func captures(_ pattern: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let text = self as NSString
        return regex.matches(in: self, range: NSRange(location: 0, length: text.length)).map {
            text.substring(with: $0.range(at: 1))
        }
    }

    /// The feed items (their article URLs) on a page or fragment.
    var feedItemIDs: [String] { Self.itemIDs(in: firstFeed(after: #"<ol class="feed"#)) }

    /// The items of the latest news in the column beside a story or a listing.
    var sideItemIDs: [String] { Self.itemIDs(in: firstFeed(after: #"class="latest side"#)) }

    /// The first feed list after `marker` (the page's first when it is the list's own tag).
    private func firstFeed(after marker: String) -> String {
        guard let start = range(of: marker), let list = self[start.lowerBound...].range(of: #"<ol class="feed"#),
            let end = self[list.upperBound...].range(of: "</ol>")
        else { return "" }
        return String(self[list.lowerBound..<end.upperBound])
    }

    private static func itemIDs(in html: String) -> [String] { html.captures(#"<li[^>]*data-id="([^"]+)""#) }

    /// The "show more" link's href, HTML-unescaped.
    var moreLink: String? {
        captures(#"<a class="more"[^>]*href="([^"]+)""#).first?.replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// A browser-like cookie jar for the test client.
final class CookieJar: @unchecked Sendable {
    private var cookies: [String: String] = [:]
    private let lock = NSLock()

    /// Takes the cookies a response sets (an empty value or Max-Age=0 deletes).
    func take(_ headers: HTTPFields) {
        lock.lock()
        defer { lock.unlock() }
        for field in headers[values: .setCookie] {
            let pair = field.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            let value = String(parts[1])
            if value.isEmpty || field.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    subscript(name: String) -> String? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return cookies[name]
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            cookies[name] = newValue
        }
    }

    var header: HTTPFields {
        lock.lock()
        defer { lock.unlock() }
        guard !cookies.isEmpty else { return [:] }
        return [.cookie: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
    }
}

extension TestClientProtocol {
    /// A request that sends and keeps cookies like a browser. `pairs` are form fields after `form`'s, for names a
    /// form repeats (`id[]`).
    func browse(
        _ uri: String, jar: CookieJar, method: HTTPRequest.Method = .get, form: [String: String]? = nil,
        pairs: [(String, String)] = [], headers: HTTPFields = [:]
    ) async throws -> Page {
        var all = jar.header
        for field in headers { all.append(field) }
        var body: ByteBuffer?
        if form != nil || !pairs.isEmpty {
            all[.contentType] = "application/x-www-form-urlencoded"
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let fields = (form ?? [:]).map { ($0.key, $0.value) } + pairs
            let encoded = fields.map {
                "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")="
                    + "\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
            }.joined(separator: "&")
            body = ByteBuffer(string: encoded)
        }
        return try await execute(uri: uri, method: method, headers: all, body: body) { response in
            jar.take(response.headers)
            return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }
}
