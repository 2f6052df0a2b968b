import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NewsCore
import NewsData
import ServiceLifecycle

/// Sends the queued webhook deliveries (``WebhookSubscriber`` queues them as changes are dispatched) in the
/// background, so that a receiver that hangs or fails never slows a publish. Each is a `POST` of its JSON body
/// with these headers (a receiver checks the signature before trusting the body):
///
/// - `Shpalta-Event`: the kind of change ("article.published", …);
/// - `Shpalta-Delivery`: the delivery's id, the same on every retry and on "send again";
/// - `Shpalta-Signature`: `t=<unix seconds>,v1=<hex>`, where `<hex>` is HMAC-SHA256, keyed with the webhook's
///   secret, of the seconds, a full stop and the body.
///
/// An answer other than 2xx, or none within ``timeout``, is retried after a growing pause for a day.
struct WebhookService: Service {
    let web: WebEnvironment
    var interval: Duration = .seconds(1)
    /// How many deliveries are sent at once.
    var concurrency = 8

    /// How long one receiver may take to answer (``AppSettings/webhookTimeout``).
    var timeout: TimeAmount { .milliseconds(Int64(web.settings.webhookTimeout * 1000)) }
    /// How many deliveries one pass claims: two rounds of ``concurrency``.
    var batch: Int { concurrency * 2 }
    /// How long a pass holds its deliveries: the two rounds, each at most the timeout, and a margin for recording the
    /// outcomes. Another node leaves them alone meanwhile; a node that dies in the middle leaves them to another
    /// node once it is over.
    var lease: TimeInterval { web.settings.webhookTimeout * 3 + 5 }

    func run() async throws {
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .disallow, timeout: .init(connect: timeout, read: timeout)))
        await repeatUntilShutdown(every: interval, atStart: true) {
            // A full batch means more may be waiting (a burst after an import): the next one goes at once.
            while !Task.isCancelled, await sendDue(with: client).claimed == batch {}
        }
        try await client.shutdown()
    }

    /// Sends a batch of the deliveries due at `now` (the wall clock by default, which paces the retries): how many
    /// it claimed, and how many of them were answered 2xx.
    @discardableResult
    func sendDue(with client: HTTPClient, now: Date = Date()) async -> (claimed: Int, taken: Int) {
        let webhooks = Webhooks(database: web.database)
        do {
            let due = try await webhooks.due(now: now, lease: lease, limit: batch)
            guard !due.isEmpty else { return (0, 0) }
            var secrets: [Int64: String] = [:]
            var addresses: [Int64: String] = [:]
            for hook in try await webhooks.all() {
                addresses[hook.id] = hook.url
                secrets[hook.id] = try await webhooks.secret(of: hook.id)
            }
            let known = secrets
            let targets = addresses
            // At most `concurrency` at once, so that one slow receiver holds one place, not the queue.
            let taken = await withTaskGroup(of: Bool.self) { group in
                var taken = 0
                var running = 0
                for delivery in due {
                    if running == concurrency, let done = await group.next() {
                        running -= 1
                        if done { taken += 1 }
                    }
                    guard let url = targets[delivery.webhookID], let secret = known[delivery.webhookID] else {
                        continue
                    }
                    running += 1
                    group.addTask {
                        await attempt(delivery, to: url, secret: secret, client: client, webhooks: webhooks)
                    }
                }
                for await done in group where done { taken += 1 }
                return taken
            }
            return (due.count, taken)
        } catch {
            web.logger.error("Webhook deliveries could not be read", metadata: ["error": "\(error)"])
            return (0, 0)
        }
    }

    /// One attempt of `delivery`; whether the receiver took it.
    private func attempt(
        _ delivery: WebhookDelivery, to url: String, secret: String, client: HTTPClient, webhooks: Webhooks
    ) async -> Bool {
        var status: Int?
        var failure = ""
        do {
            let timestamp = Int(Date().timeIntervalSince1970)
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "Shpalta-Webhooks/1")
            request.headers.add(name: "Shpalta-Event", value: delivery.event.rawValue)
            request.headers.add(name: "Shpalta-Delivery", value: delivery.publicID)
            request.headers.add(
                name: "Shpalta-Signature",
                value: "t=\(timestamp),v1=" + Self.signature(delivery.payload, timestamp: timestamp, secret: secret))
            request.body = .bytes(ByteBuffer(string: delivery.payload))
            let response = try await client.execute(request, timeout: timeout)
            status = Int(response.status.code)
            // Read (and drop) at most 64 KB of the answer, so the connection can be reused.
            _ = try? await response.body.collect(upTo: 65_536)
            if (200..<300).contains(Int(response.status.code)) {
                try await webhooks.delivered(delivery.id, status: Int(response.status.code), now: Date())
                return true
            }
            failure = "HTTP \(response.status.code)"
        } catch {
            failure = "\(error)"
        }
        do {
            if try await webhooks.failed(
                delivery, status: status, error: failure, now: Date(), firstPause: web.settings.webhookRetryPause)
            {
                web.logger.error(
                    "Gave up a webhook delivery after a day",
                    metadata: ["delivery": "\(delivery.publicID)", "url": "\(url)", "error": "\(failure)"])
            }
        } catch {
            web.logger.error("A webhook attempt could not be recorded", metadata: ["error": "\(error)"])
        }
        return false
    }

    /// HMAC-SHA256 of "<timestamp>.<body>" keyed with `secret`, in lowercase hex.
    static func signature(_ body: String, timestamp: Int, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
