import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// Webhooks (issue #11): changes reach a real receiver on loopback, signed; a failing receiver is tried again with
/// the same delivery id; a delivery queued before a shutdown goes out after the restart; a hanging receiver never
/// holds a publish. Run alone (`make test`): it waits for the server's background service.
@Suite("Webhooks")
struct WebhookTests {
    /// A partner's endpoint that records what it is sent; it can fail or hang.
    static func receiver() -> RecordingEndpoint {
        RecordingEndpoint(path: "/hook", failure: .internalServerError, success: .noContent)
    }

    /// Whether `call` carries a valid signature of its body with `secret`.
    static func isSigned(_ call: RecordingEndpoint.Call, secret: String) -> Bool {
        let parts = Dictionary(
            uniqueKeysWithValues: call.signature.split(separator: ",").compactMap { part -> (String, String)? in
                let pair = part.split(separator: "=", maxSplits: 1)
                return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
            })
        guard let timestamp = parts["t"], let signature = parts["v1"] else { return false }
        let expected = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp).\(call.body)".utf8), using: SymmetricKey(data: Data(secret.utf8))
        ).map { String(format: "%02x", $0) }.joined()
        return expected == signature
    }

    static func body(_ call: RecordingEndpoint.Call) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(call.body.utf8)) as? [String: Any]) ?? [:]
    }

    @Test(
        "a publish reaches the receiver signed; a 500 is retried with the same id; an edit and an unpublish follow",
        arguments: TestEngine.available)
    func delivered(engine: TestEngine) async throws {
        let receiver = Self.receiver()
        receiver.failNext(1)
        try await Application(router: receiver.router()).test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            try await withWeb(engine, configure: { $0.webhookRetryPause = 0.2 }) { web in
                let (hook, secret) = try await Newsroom(database: web.database).addWebhook(
                    url: "http://127.0.0.1:\(port)/hook", events: Webhook.Event.allCases, by: .commandLine)
                try await buildApplication(web).test(.live) { client in
                    let editor = try await client.member(web.database, "editor@example.com", role: .editor)
                    let id = try await PageCacheTests.publish(client, as: editor, title: "Новина для вебхука")
                    #expect(try await receiver.wait(seconds: 15) { $0.count >= 2 }, "refused once, then taken")
                    let calls = receiver.calls
                    #expect(calls.count == 2)
                    #expect(Set(calls.map(\.delivery)).count == 1, "a retry carries the same id")
                    #expect(calls.allSatisfy { $0.event == "article.published" && Self.isSigned($0, secret: secret) })
                    #expect(!Self.isSigned(calls[0], secret: "whsec_other"))
                    let body = Self.body(calls[1])
                    #expect(body["type"] as? String == "article.published")
                    let article = try #require((body["data"] as? [String: Any])?["article"] as? [String: Any])
                    #expect((article["id"] as? NSNumber)?.int64Value == id)
                    #expect((article["url"] as? String)?.hasPrefix("https://news.example/news/") == true)
                    // The receiver has answered; the sender records it a moment later.
                    var deliveries = try await Webhooks(database: web.database).deliveries(of: hook.id)
                    for _ in 0..<50 where deliveries.first?.state != .delivered {
                        try await Task.sleep(for: .milliseconds(100))
                        deliveries = try await Webhooks(database: web.database).deliveries(of: hook.id)
                    }
                    #expect(deliveries.count == 1 && deliveries[0].state == .delivered && deliveries[0].attempts == 2)
                    #expect(deliveries[0].publicID == calls[0].delivery)
                    // An edit of the published story, then unpublishing it: one delivery each.
                    let (_, lock, version) = try await client.openEditor(id, as: editor)
                    _ = try await client.post(
                        "/admin/articles/\(id)", as: editor,
                        articleFields(
                            title: "Новина для вебхука, уточнено", extra: ["version": version, "lock": lock]))
                    let (_, lock2, _) = try await client.openEditor(id, as: editor)
                    _ = try await client.post(
                        "/admin/articles/\(id)/transition", as: editor, ["to": "unpublished", "lock": lock2])
                    #expect(try await receiver.wait(seconds: 15) { $0.count >= 4 })
                    // Sent side by side, so not necessarily in order: each body says when its change happened.
                    #expect(
                        Set(receiver.calls.dropFirst(2).map(\.event)) == ["article.updated", "article.unpublished"])
                    #expect(Set(receiver.calls.map(\.delivery)).count == 3, "one id per change, never two")
                    var pending = try await Webhooks(database: web.database).pending()
                    for _ in 0..<50 where pending > 0 {
                        try await Task.sleep(for: .milliseconds(100))
                        pending = try await Webhooks(database: web.database).pending()
                    }
                    #expect(pending == 0)
                }
            }
        }
    }

    @Test("a delivery queued when the server stops is sent after the restart, once", arguments: TestEngine.available)
    func afterRestart(engine: TestEngine) async throws {
        let receiver = Self.receiver()
        try await Application(router: receiver.router()).test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            try await withWeb(engine) { web in
                _ = try await Newsroom(database: web.database).addWebhook(
                    url: "http://127.0.0.1:\(port)/hook", events: [.articlePublished], by: .commandLine)
                // Published and dispatched while no server runs (as if it stopped right after dispatching): the
                // delivery is queued, nothing is sent.
                let newsroom = Newsroom(
                    database: web.database, users: UserRepository(database: web.database, bcryptCost: 4))
                let editor = try await newsroom.addPerson(
                    email: "editor@example.com", name: "Редактор", role: .editor, password: memberPassword,
                    by: .commandLine)
                let (draft, lock) = try await newsroom.create(
                    Article(slug: "novyna-pered-zupynkoiu", title: "Новина перед зупинкою"), by: editor)
                try await newsroom.unlock(draft.id!, token: lock)
                try await newsroom.transition(draft.id!, to: .published, by: editor)
                try await web.changes.drain()
                #expect(try await Webhooks(database: web.database).pending() == 1)
                #expect(receiver.calls.isEmpty)
                // The restart: a new server over the same database.
                let restarted = try await WebEnvironment(settings: web.settings, database: web.database)
                try await buildApplication(restarted).test(.live) { _ in
                    #expect(try await receiver.wait(seconds: 15) { !$0.isEmpty })
                    try await Task.sleep(for: .milliseconds(1500))
                }
                #expect(receiver.calls.count == 1)
                #expect(try await Webhooks(database: web.database).pending() == 0)
            }
        }
    }

    @Test("a receiver that hangs holds no publish")
    func hangingReceiver() async throws {
        let receiver = Self.receiver()
        receiver.delay(.seconds(4))
        try await Application(router: receiver.router()).test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            try await withWeb(.sqlite, configure: { $0.webhookTimeout = 2 }) { web in
                _ = try await Newsroom(database: web.database).addWebhook(
                    url: "http://127.0.0.1:\(port)/hook", events: Webhook.Event.allCases, by: .commandLine)
                try await buildApplication(web).test(.live) { client in
                    let editor = try await client.member(web.database, "editor@example.com", role: .editor)
                    for index in 1...3 {
                        _ = try await PageCacheTests.publish(client, as: editor, title: "Швидка новина \(index)")
                    }
                    // Three publishes acknowledged while the receiver has not answered even the first.
                    #expect(receiver.calls.isEmpty)
                    #expect(try await client.page("/news").body.contains("Швидка новина 3"))
                    // The sender gave up waiting (2 s) and recorded it; the deliveries wait for their retry.
                    let hook = try #require(try await Webhooks(database: web.database).all().first)
                    var failed: [WebhookDelivery] = []
                    for _ in 0..<100 where failed.isEmpty {
                        try await Task.sleep(for: .milliseconds(100))
                        failed = try await Webhooks(database: web.database).deliveries(of: hook.id).filter {
                            $0.attempts > 0
                        }
                    }
                    #expect(!failed.isEmpty && failed.allSatisfy { $0.state == .pending && $0.lastStatus == nil })
                }
            }
        }
    }

    @Test(
        "administrators add a webhook (its secret shown once), see deliveries, send one again, remove it",
        arguments: TestEngine.available)
    func newsroom(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            #expect(try await client.browse("/admin/webhooks", jar: editor.jar).status == .forbidden)
            let bad = try await client.post(
                "/admin/webhooks", as: admin, pairs: [("url", "ftp://example.com"), ("events[]", "article.published")])
            #expect(bad.status == .unprocessableContent && bad.body.contains("role=\"alert\""))
            #expect(
                try await client.post(
                    "/admin/webhooks", as: admin, pairs: [("url", "https://x.example"), ("events[]", "nemaie")]
                )
                .status == .badRequest)
            let added = try await client.post(
                "/admin/webhooks", as: admin,
                pairs: [("url", "https://partner.example/hook"), ("events[]", "article.published")])
            #expect(added.status == .ok)
            let secret = try #require(added.body.captures(#"class="api-secret">(whsec_[A-Za-z0-9_-]+)<"#).first)
            let list = try await client.browse("/admin/webhooks", jar: admin.jar).body
            #expect(list.contains("https://partner.example/hook") && !list.contains(secret))
            let hook = try #require(try await Webhooks(database: database).all().first)
            #expect(hook.events == [.articlePublished])
            _ = try await PageCacheTests.publish(client, as: editor, title: "Новина для партнера")
            let delivery = try #require(try await Webhooks(database: database).deliveries(of: hook.id).first)
            let page = try await client.browse("/admin/webhooks/\(hook.id)", jar: admin.jar).body
            #expect(page.contains(delivery.publicID) && page.contains("article.published"))
            let again = try await client.post(
                "/admin/webhooks/\(hook.id)/deliveries/\(delivery.id)/redeliver", as: admin)
            #expect(again.status == .seeOther)
            let requeued = try #require(try await Webhooks(database: database).deliveries(of: hook.id).first)
            #expect(requeued.id == delivery.id && requeued.state == .pending && requeued.payload == delivery.payload)
            #expect(try await client.post("/admin/webhooks/\(hook.id)/remove", as: admin).status == .seeOther)
            #expect(try await Webhooks(database: database).all().isEmpty)
            #expect(try await client.browse("/admin/webhooks/\(hook.id)", jar: admin.jar).status == .notFound)
            let audit = try await client.browse("/admin/audit", jar: admin.jar).body
            #expect(audit.contains("додано вебхук") && audit.contains("видалено вебхук"))
        }
    }
}

extension RecordingEndpoint.Call {
    var event: String { header("Shpalta-Event") }
    var delivery: String { header("Shpalta-Delivery") }
    var signature: String { header("Shpalta-Signature") }
}
