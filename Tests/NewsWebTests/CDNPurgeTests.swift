import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// Purging a CDN (issue #10): a change's surrogate keys reach the purge address set in the site's settings, in
/// the background, retried after a failure, and a slow CDN never slows a publish. Run alone (`make test`): it
/// waits for the server's background service.
@Suite("CDN purges")
struct CDNPurgeTests {
    /// A CDN's purge endpoint that records what it is sent; it can fail or be slow.
    static func fakeCDN() -> RecordingEndpoint { RecordingEndpoint(path: "/purge", failure: .serviceUnavailable) }

    @Test("a publish reaches the CDN's purge address with its keys and the token; a failure is retried")
    func purges() async throws {
        let cdn = Self.fakeCDN()
        try await Application(router: cdn.router()).test(.live) { cdnClient in
            let port = try #require(cdnClient.port)
            try await withSite(.sqlite, mode: .live) { client, database in
                let admin = try await client.member(database, "admin@example.com", role: .administrator)
                let saved = try await client.post(
                    "/admin/settings", as: admin,
                    [
                        "site_name": "Експрес", "cta_text": "", "cta_url": "", "feeds_content": "full",
                        "cdn_purge_url": "http://127.0.0.1:\(port)/purge", "cdn_purge_token": "sekret",
                    ])
                #expect(saved.status == .seeOther)
                // The settings change itself purges everything ("site").
                #expect(
                    try await cdn.wait(seconds: 5) { $0.contains { $0.keys.split(separator: " ").contains("site") } })
                let form = try await client.browse("/admin/settings", jar: admin.jar).body
                #expect(!form.contains("sekret"), "the token is never shown again")
                cdn.failNext(1)
                let id = try await client.createDraft("Новина для CDN", as: admin)
                _ = try await client.post("/admin/articles/\(id)/transition", as: admin, ["to": "published"])
                let arrived = try await cdn.wait(seconds: 10) { calls in
                    calls.filter { $0.keys.split(separator: " ").contains("article-\(id)") }.count >= 2
                }
                #expect(arrived, "refused once, then sent again")
                let call = try #require(cdn.calls.last { $0.keys.contains("article-\(id)") })
                #expect(call.keys.split(separator: " ").contains("feed"))
                #expect(call.authorization == "Bearer sekret")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(call.body.utf8)) as? [String: Any])
                #expect((body["surrogate_keys"] as? [String])?.contains("article-\(id)") == true)
                // The service removes a purge from the queue once the CDN has answered, a moment after the CDN has the
                // call.
                var pending = try await CDNPurges(database: database).pending()
                for _ in 0..<50 where pending > 0 {
                    try await Task.sleep(for: .milliseconds(100))
                    pending = try await CDNPurges(database: database).pending()
                }
                #expect(pending == 0)
            }
        }
    }

    @Test("a slow CDN never slows a publish")
    func slowCDN() async throws {
        let cdn = Self.fakeCDN()
        cdn.delay(.seconds(5))
        try await Application(router: cdn.router()).test(.live) { cdnClient in
            let port = try #require(cdnClient.port)
            try await withSite(.sqlite, mode: .live) { client, database in
                let admin = try await client.member(database, "admin@example.com", role: .administrator)
                _ = try await client.post(
                    "/admin/settings", as: admin,
                    [
                        "site_name": "Експрес", "cta_text": "", "cta_url": "", "feeds_content": "full",
                        "cdn_purge_url": "http://127.0.0.1:\(port)/purge",
                    ])
                let id = try await client.createDraft("Новина при повільному CDN", as: admin)
                let started = ContinuousClock.now
                let published = try await client.post(
                    "/admin/articles/\(id)/transition", as: admin, ["to": "published"])
                let took = ContinuousClock.now - started
                #expect(published.status == .seeOther)
                #expect(took < .seconds(3), "the publish took \(took) while the CDN takes 5 s to answer")
                #expect(try await client.page("/").body.contains("Новина при повільному CDN"))
            }
        }
    }
}

extension RecordingEndpoint.Call {
    /// The surrogate keys a purge names.
    var keys: String { header("Surrogate-Key") }
    var authorization: String? { headers[.authorization] }
}
