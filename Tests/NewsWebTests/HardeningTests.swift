import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NewsCore
import NewsData
import NewsWeb
import SQLKit
import TestSupport
import Testing

/// Regression tests for what an attacker found (issue #8), each through the public entry points.
@Suite("Hardening")
struct HardeningTests {
    /// Path spellings the router resolves to a newsroom route, or that must never reach one unchecked.
    static func variants(of path: String) -> [String] {
        let rest = path.dropFirst()  // "admin/…"
        return [
            "/" + path, path + "/", "/." + path, path.replacingOccurrences(of: "/admin", with: "/ADMIN"),
            path.replacingOccurrences(of: "/admin", with: "/%61dmin"), "//" + rest, "/./" + rest,
            path.replacingOccurrences(of: "/admin/", with: "/admin//"),
        ]
    }

    @Test("no spelling of a newsroom path skips the session and CSRF checks", arguments: TestEngine.available)
    func pathVariants(engine: TestEngine) async throws {
        try await withWeb(engine) { web in
            let posts = buildRouter(web).routes.filter { $0.method == .post }.map { "\($0.path)" }
            let story = try #require(try await ArticleRepository(database: web.database).find(slug: referenceSlug))
            try await buildApplication(web).test(.router) { client in
                let admin = try await client.member(web.database, "admin@example.com", role: .administrator)
                for route in posts {
                    let path = route.replacingOccurrences(of: "{id}", with: "\(story.id!)")
                        .replacingOccurrences(of: "{revision}", with: "1")
                    for variant in Self.variants(of: path) {
                        // Nobody signed in, no token: never signed in, never a change.
                        let jar = CookieJar()
                        let anonymous = try await client.browse(
                            variant, jar: jar, method: .post,
                            form: ["email": "admin@example.com", "password": memberPassword, "to": "unpublished"])
                        #expect([400, 401, 403, 404].contains(anonymous.status.code), "anonymous POST \(variant)")
                        #expect(jar["shpalta_session"] == nil, "signed in through \(variant)")
                        // Signed in but without the token: refused, and the session lives on.
                        let forged = try await client.browse(
                            variant, jar: admin.jar, method: .post, form: ["to": "unpublished", "site_name": "X"])
                        // (The API's paths take a token, never a session: 401 there.)
                        let refused: Set<Int> = route.hasPrefix("/api/") ? [400, 401, 403, 404, 405] : [400, 403, 404]
                        #expect(refused.contains(forged.status.code), "forged POST \(variant)")
                    }
                }
                #expect(try await client.browse("/admin", jar: admin.jar).status == .ok)
            }
            #expect(try await ArticleRepository(database: web.database).find(id: story.id!)?.status == .published)
        }
    }

    @Test("40 concurrent wrong passwords: exactly the limit is checked", arguments: TestEngine.available)
    func throttleRace(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            _ = try await Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
                .addPerson(
                    email: "ed@example.com", name: "Ed", role: .editor, password: memberPassword, by: .commandLine)
            let jar = CookieJar()
            let form = try await client.browse("/admin/login", jar: jar)
            let token = try #require(form.body.captures(#"name="_csrf" value="([^"]+)""#).first)
            let codes = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await client.browse(
                            "/admin/login", jar: jar, method: .post,
                            form: ["_csrf": token, "email": "ed@example.com", "password": "wrong password!"]
                        ).status.code
                    }
                }
                var codes: [Int] = []
                for try await code in group { codes.append(code) }
                return codes
            }
            let limit = LoginThrottle.Limits().perAccountAndAddress
            #expect(codes.filter { $0 == 401 }.count == limit)
            #expect(codes.filter { $0 == 429 }.count == 40 - limit)
            // One audit entry for the refusals, not one each; the failures each have theirs.
            let audit = try await AuditLog(database: database).latest(limit: 200)
            #expect(audit.filter { $0.action == "login_throttled" }.count == 1)
            #expect(audit.filter { $0.action == "login_failed" }.count == limit)
        }
    }

    @Test(
        "a locked-out pair leaves the account open from other addresses; forwarded addresses only from trusted proxies",
        arguments: TestEngine.available)
    func lockoutByPair(engine: TestEngine) async throws {
        try await withSite(
            engine, demo: false, mode: .live, configure: { $0.trustedProxies = ["127.0.0.1"] }
        ) { client, database in
            _ = try await Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
                .addPerson(
                    email: "ed@example.com", name: "Ed", role: .editor, password: memberPassword, by: .commandLine)
            func attempt(from address: String, password: String) async throws -> HTTPResponse.Status {
                let jar = CookieJar()
                let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: address]
                let form = try await client.browse("/admin/login", jar: jar, headers: headers)
                let token = try #require(form.body.captures(#"name="_csrf" value="([^"]+)""#).first)
                return try await client.browse(
                    "/admin/login", jar: jar, method: .post,
                    form: ["_csrf": token, "email": "ed@example.com", "password": password], headers: headers
                ).status
            }
            for _ in 0..<5 {
                #expect(try await attempt(from: "203.0.113.9", password: "wrong password!") == .unauthorized)
            }
            #expect(try await attempt(from: "203.0.113.9", password: memberPassword) == .tooManyRequests)
            #expect(try await attempt(from: "198.51.100.7", password: memberPassword) == .seeOther)
        }
        // A peer that is not a trusted proxy cannot choose its address by the header.
        try await withSite(engine, demo: false, mode: .live) { client, database in
            _ = try await Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
                .addPerson(
                    email: "ed@example.com", name: "Ed", role: .editor, password: memberPassword, by: .commandLine)
            for index in 0..<6 {
                let jar = CookieJar()
                let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.\(index)"]
                let form = try await client.browse("/admin/login", jar: jar, headers: headers)
                let token = try #require(form.body.captures(#"name="_csrf" value="([^"]+)""#).first)
                let status = try await client.browse(
                    "/admin/login", jar: jar, method: .post,
                    form: ["_csrf": token, "email": "ed@example.com", "password": "wrong password!"], headers: headers
                ).status
                #expect(status == (index < 5 ? .unauthorized : .tooManyRequests))
            }
        }
    }

    @Test("sign-ins beyond the password threads' queue are refused with 429, and pages stay fast")
    func passwordPoolBusy() async throws {
        let pool = WorkPool(name: "test-bcrypt", threads: 1, maxWaiting: 1)
        try await withSite(
            .sqlite, demo: false,
            configure: {
                $0.passwordHashing = pool; $0.bcryptCost = 10
            }
        ) {
            client, database in
            _ = try await Newsroom(
                database: database, users: UserRepository(database: database, bcryptCost: 10, hashing: pool)
            ).addPerson(
                email: "ed@example.com", name: "Ed", role: .editor, password: memberPassword, by: .commandLine)
            let jar = CookieJar()
            let form = try await client.browse("/admin/login", jar: jar)
            let token = try #require(form.body.captures(#"name="_csrf" value="([^"]+)""#).first)
            let codes = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<12 {
                    group.addTask {
                        let page = try await client.browse(
                            "/admin/login", jar: jar, method: .post,
                            form: ["_csrf": token, "email": "user\(index)@example.com", "password": "wrong password!"])
                        return (page.status.code, page.body)
                    }
                }
                var codes: [(Int, String)] = []
                for try await code in group { codes.append(code) }
                return codes
            }
            let busy = codes.filter { $0.0 == 429 }
            #expect(!busy.isEmpty)
            #expect(busy.allSatisfy { $0.1.contains("Вхід зараз перевантажений") })
            #expect(codes.allSatisfy { $0.0 == 429 || $0.0 == 401 })
        }
    }

    @Test("the audit log stores bounded subjects and is paged", arguments: TestEngine.available)
    func auditBounded(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let jar = CookieJar()
            let form = try await client.browse("/admin/login", jar: jar)
            let token = try #require(form.body.captures(#"name="_csrf" value="([^"]+)""#).first)
            let huge = String(repeating: "щ", count: 1000) + "@example.com"
            let big = try await client.browse(
                "/admin/login", jar: jar, method: .post, form: ["_csrf": token, "email": huge, "password": "x"])
            #expect(big.status == .unauthorized)
            let longest = try await database.read { sql in
                try await sql.raw("SELECT MAX(LENGTH(subject)) AS n FROM audit_log").first()?.decode(
                    column: "n", as: Int.self)
            }
            #expect((longest ?? 0) <= AuditLog.maxSubjectLength)
            // A sign-in form over its small limit is refused whole.
            let again = try await client.browse("/admin/login", jar: jar)
            let fresh = try #require(again.body.captures(#"name="_csrf" value="([^"]+)""#).first)
            let flood = try await client.browse(
                "/admin/login", jar: jar, method: .post,
                form: ["_csrf": fresh, "email": String(repeating: "a", count: 20_000), "password": "x"])
            #expect(flood.status == .contentTooLarge)
            // Paged: 100 a page, with a link to older ones.
            for index in 0..<150 {
                try await AuditLog(database: database).record("logout", user: nil, subject: "n\(index)", address: nil)
            }
            let first = try await client.browse("/admin/audit", jar: admin.jar)
            #expect(first.body.components(separatedBy: "<tr><td>").count - 1 == 100)
            let older = try #require(first.body.moreLink)
            let second = try await client.browse(older, jar: admin.jar)
            #expect(second.status == .ok && second.body.contains("n0<"))
            #expect(!first.body.contains("n0<"))
            // Retention: entries older than it go.
            try await AuditLog(database: database, retention: 60).prune(now: Date().addingTimeInterval(3600))
            #expect(try await AuditLog(database: database).latest().isEmpty)
        }
    }

    @Test(
        "uploads in progress are bounded: beyond four at once, the next is refused as busy; those cut off store nothing"
    )
    func uploadsBounded() async throws {
        try await withSite(.sqlite, demo: false, mode: .live) { client, database in
            let journalist = try await client.member(database, "j@example.com", role: .journalist)
            let port = try #require(client.port)
            let cookie = journalist.jar.header[.cookie] ?? ""
            // Four uploads that announce 10 MB and send 1 KB: each holds its place while its body streams.
            let head =
                "POST /admin/media?alt=x&credit=y HTTP/1.1\r\nHost: news.example\r\nCookie: \(cookie)\r\n"
                + "X-CSRF-Token: \(journalist.csrf)\r\nContent-Type: image/jpeg\r\nContent-Length: 10000000\r\n\r\n"
                + String(repeating: "x", count: 1024)
            let held = try await SlowClientTests.open(4, to: port, sending: head)
            var headers = journalist.jar.header
            headers[HTTPField.Name("X-CSRF-Token")!] = journalist.csrf
            headers[.contentType] = "image/png"
            var status: HTTPResponse.Status = .ok
            // Until the four have taken their places (up to 15 s: the suite's other tests run at the same time, and
            // its flood of sign-ins keeps both cores busy hashing passwords for seconds).
            for _ in 0..<750 {
                status = try await client.execute(
                    uri: "/admin/media?alt=x&credit=y", method: .post, headers: headers,
                    body: ByteBuffer(string: "not yet a photo")
                ) { $0.status }
                if status == .serviceUnavailable { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(status == .serviceUnavailable)
            for channel in held { try await channel.close() }
            // With the places free again, an upload is read (and refused for what it is, not for being busy).
            var after: HTTPResponse.Status = .serviceUnavailable
            for _ in 0..<100 where after == .serviceUnavailable {
                after = try await client.execute(
                    uri: "/admin/media?alt=x&credit=y", method: .post, headers: headers,
                    body: ByteBuffer(string: "not yet a photo")
                ) { $0.status }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(after == .unsupportedMediaType)
            // The four cut off mid-way stored nothing.
            #expect(try await MediaRepository(database: database).count() == 0)
        }
    }

    @Test("hostile X-Forwarded-For and Accept-Encoding headers end in an answer")
    func hostileHeaders() async throws {
        try await withSite(.sqlite, mode: .live, configure: { $0.trustedProxies = ["127.0.0.1", "10.0.0.0/8", "::1"] })
        {
            client, _ in
            var generator = SystemRandomNumberGenerator()
            let alphabet = Array("0123456789abcdef.:,; =q*/[]%gzip \t")
            for round in 0..<40 {
                let length = round < 20 ? Int.random(in: 0...200, using: &generator) : 8_000
                let noise = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
                let headers: HTTPFields = [
                    HTTPField.Name("X-Forwarded-For")!: noise, .acceptEncoding: noise,
                ]
                let page = try await client.page("/", headers: headers)
                #expect(page.status == .ok)
            }
            // Every hop a trusted proxy: the socket's address stays the client's.
            let trusted = try await client.page(
                "/", headers: [HTTPField.Name("X-Forwarded-For")!: "10.1.2.3, 10.4.5.6, 127.0.0.1"])
            #expect(trusted.status == .ok)
        }
    }

    @Test("sessions end after the idle timeout", arguments: TestEngine.available)
    func sessionIdle(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let user = try await Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
                .addPerson(
                    email: "ed@example.com", name: "Ed", role: .editor, password: memberPassword, by: .commandLine)
            let sessions = SessionRepository(database: database, idleTimeout: 600)
            let start = Date()
            let (token, _) = try await sessions.start(for: user, address: "127.0.0.1", now: start)
            #expect(try await sessions.find(token: token, now: start.addingTimeInterval(500)) != nil)
            // Used at +500 s, so alive at +1000 s; then unused for longer than the timeout.
            #expect(try await sessions.find(token: token, now: start.addingTimeInterval(1000)) != nil)
            #expect(try await sessions.find(token: token, now: start.addingTimeInterval(1700)) == nil)
        }
    }
}

/// Phrase searches cost bounded work, off the threads that serve pages (issue #8, item 1).
@Suite("Phrase search cost")
struct PhraseSearchCostTests {
    @Test("with the phrase threads all busy, a phrase search is refused at once and pages are served")
    func busyVerifier() async throws {
        let pool = WorkPool(name: "test-phrase", threads: 1, maxWaiting: 0)
        // Occupy the pool's only thread (never a cooperative one) until the test lets go.
        let gate = DispatchSemaphore(value: 0)
        let blocker = Task { try await pool.run { gate.wait() } }
        while pool.load < 1 { try await Task.sleep(for: .milliseconds(5)) }
        // A phrase whose words have so many combinations of terms that SQLite's index cannot ask it as phrases, so
        // its candidates' texts are checked. (Other phrases are index questions and need no phrase thread.)
        let text = "\"стали стали стали стали стали стали стали\""
        #expect(SearchQuery(text).phrases.first.map { $0.reduce(1) { $0 * $1.count } } ?? 0 > 64)
        try await withSite(.sqlite, configure: { $0.phraseVerifier = pool }) { client, _ in
            let phrase = try await client.page(
                "/search?q=" + text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(phrase.status == .serviceUnavailable)
            #expect(phrase.headers[.retryAfter] == "5")
            #expect(try await client.page("/").status == .ok)
            // Searches without quotes need no phrase check.
            #expect(try await client.page("/search?q=%D0%9F%D1%83%D1%82%D1%96%D0%BD").status == .ok)
        }
        gate.signal()
        _ = try await blocker.value
    }

    @Test("a long phrase is checked as its first words; the rest are only required")
    func longPhrase() {
        let words = (1...60).map { "слово\($0)" }.joined(separator: " ")
        let query = SearchQuery("\"" + words + "\"")
        #expect(query.phrases.count == 1)
        #expect(query.phrases[0].count == SearchQuery.maxPhraseWords)
        #expect(query.required.count >= 16)
    }
}
