import Foundation
import NewsCore
import SQLKit

/// Webhooks and their deliveries. Webhooks are added and removed by the newsroom's use cases
/// (``Newsroom/addWebhook(url:events:by:now:)``); deliveries are queued by ``WebhookSubscriber`` in the
/// dispatcher's transaction and sent by the server in the background, which records each attempt here.
public struct Webhooks: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The webhooks in use, oldest first.
    public func all() async throws -> [Webhook] {
        try await database.read { sql in try await Self.active(in: sql) }
    }

    static func active(in sql: any SQLDatabase) async throws -> [Webhook] {
        try await sql.raw(
            "SELECT id, url, events, since_change_id, created_at, created_by FROM webhooks WHERE removed_at IS NULL ORDER BY id"
        ).all().map { row in
            Webhook(
                id: try row.decode(column: "id", as: Int64.self), url: try row.decode(column: "url", as: String.self),
                events: try row.decode(column: "events", as: String.self).split(separator: ",").compactMap {
                    Webhook.Event(rawValue: String($0))
                },
                createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)),
                createdBy: try row.decode(column: "created_by", as: Int64?.self),
                sinceChangeID: try row.decode(column: "since_change_id", as: Int64.self))
        }
    }

    /// The secret deliveries to webhook `id` are signed with.
    public func secret(of id: Int64) async throws -> String? {
        try await database.read { sql in
            try await sql.raw("SELECT secret FROM webhooks WHERE id = \(bind: id)").first()?
                .decode(column: "secret", as: String.self)
        }
    }

    /// The latest deliveries to webhook `id`, newest first.
    public func deliveries(of id: Int64, limit: Int = 50) async throws -> [WebhookDelivery] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT \(unsafeRaw: Self.columns) FROM webhook_deliveries WHERE webhook_id = \(bind: id) ORDER BY id DESC LIMIT \(bind: limit)"
            ).all().compactMap(Self.delivery(from:))
        }
    }

    /// Takes the deliveries whose attempt is due at `now` (oldest first, to webhooks still in use) for this node: each
    /// is due again only after `lease` seconds, so another node, or this one's next pass, does not send it too. The
    /// outcome (``delivered(_:status:now:)``, ``failed(_:status:error:now:firstPause:)``) replaces the lease; a node
    /// that stops in the middle leaves its deliveries to whichever node looks once the lease is over.
    public func due(now: Date, lease: TimeInterval = 300, limit: Int = 20) async throws -> [WebhookDelivery] {
        let skipLocked = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE webhook_deliveries SET next_attempt_at = \(bind: now.addingTimeInterval(lease).millisecondsSince1970)
                WHERE id IN (SELECT d.id FROM webhook_deliveries d WHERE d.next_attempt_at <= \(bind: now.millisecondsSince1970)
                AND EXISTS (SELECT 1 FROM webhooks w WHERE w.id = d.webhook_id AND w.removed_at IS NULL)
                ORDER BY d.next_attempt_at, d.id LIMIT \(bind: limit)\(unsafeRaw: skipLocked))
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).all().compactMap(Self.delivery(from:)).sorted { $0.id < $1.id }
        }
    }

    /// The receiver answered `status` (2xx) at `now`.
    public func delivered(_ id: Int64, status: Int, now: Date) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = NULL, delivered_at = \(bind: now.millisecondsSince1970), last_status = \(bind: status), last_error = NULL WHERE id = \(bind: id)"
            ).run()
        }
    }

    /// The attempt failed (`status` when the receiver answered): tried again after
    /// ``WebhookDelivery/pause(afterAttempts:)``, or given up once a day has passed since the change. Returns
    /// whether it was given up.
    @discardableResult
    public func failed(
        _ delivery: WebhookDelivery, status: Int?, error: String, now: Date, firstPause: TimeInterval = 10
    ) async throws -> Bool {
        let attempts = delivery.attempts + 1
        let next = now.addingTimeInterval(WebhookDelivery.pause(afterAttempts: attempts, first: firstPause))
        let givenUp = next.timeIntervalSince(delivery.createdAt) > WebhookDelivery.retryWindow
        try await database.transaction { sql in
            try await sql.raw(
                "UPDATE webhook_deliveries SET attempts = \(bind: attempts), next_attempt_at = \(bind: givenUp ? nil : next.millisecondsSince1970), last_status = \(bind: status), last_error = \(bind: String(error.prefix(500))) WHERE id = \(bind: delivery.id)"
            ).run()
        }
        return givenUp
    }

    /// How many deliveries wait for an attempt.
    public func pending() async throws -> Int {
        try await database.read { sql in try await Self.pending(in: sql) }
    }

    /// The deliveries waiting for an attempt, counted over `sql` (also read with the rest of the backlog).
    static func pending(in sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE next_attempt_at IS NOT NULL").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    static let columns =
        "id, webhook_id, event, payload, created_at, attempts, next_attempt_at, delivered_at, last_status, last_error"

    static func delivery(from row: any SQLRow) throws -> WebhookDelivery? {
        guard let event = Webhook.Event(rawValue: try row.decode(column: "event", as: String.self)) else { return nil }
        let date = { (column: String) in
            try row.decode(column: column, as: Int64?.self).map(Date.init(millisecondsSince1970:))
        }
        return WebhookDelivery(
            id: try row.decode(column: "id", as: Int64.self),
            webhookID: try row.decode(column: "webhook_id", as: Int64.self), event: event,
            payload: try row.decode(column: "payload", as: String.self),
            createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)),
            attempts: try row.decode(column: "attempts", as: Int.self), nextAttemptAt: try date("next_attempt_at"),
            deliveredAt: try date("delivered_at"), lastStatus: try row.decode(column: "last_status", as: Int?.self),
            lastError: try row.decode(column: "last_error", as: String?.self))
    }
}

/// Queues a delivery to each webhook that asked for a change's kind, in the dispatcher's transaction: a change is
/// queued once per webhook (and never twice: one row per webhook and change), and nothing is lost if the server
/// stops before sending it.
public struct WebhookSubscriber: ChangeSubscriber {
    public let name = "webhooks"
    /// The site's address, for the links in the payloads.
    let base: String

    public init(base: String) {
        self.base = base
    }

    public func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        let kinds = events.map { Webhook.Event.of($0) }
        guard kinds.contains(where: { $0 != nil }) else { return }
        let hooks = try await Webhooks.active(in: sql)
        guard !hooks.isEmpty else { return }
        for (change, kind) in zip(events, kinds) {
            guard let kind, let changeID = change.id else { continue }
            let targets = hooks.filter { $0.events.contains(kind) && changeID > $0.sinceChangeID }
            guard !targets.isEmpty, let payload = try await payload(change, kind: kind, in: sql) else { continue }
            // Queued now by the wall clock, which paces the attempts and the day of retries.
            let queued = Date().millisecondsSince1970
            for hook in targets {
                try await sql.raw(
                    "INSERT INTO webhook_deliveries (webhook_id, change_id, event, payload, created_at, next_attempt_at) VALUES (\(bind: hook.id), \(bind: changeID), \(bind: kind.rawValue), \(bind: payload), \(bind: queued), \(bind: queued)) ON CONFLICT (webhook_id, change_id) DO NOTHING"
                ).run()
            }
        }
    }

    /// The JSON body for `change`: `{"id", "type", "created_at", "data": {"article" | "media": …}}`; nil when what
    /// it names is gone.
    func payload(_ change: ChangeEvent, kind: Webhook.Event, in sql: any SQLDatabase) async throws -> String? {
        var data: [String: Any] = [:]
        if kind == .mediaAdded {
            guard let file = change.subject,
                let row = try await sql.raw("SELECT \(Columns.media) FROM media m WHERE m.file = \(bind: file)")
                    .first(),
                let media = try row.media()
            else { return nil }
            data["media"] = [
                "id": media.id ?? 0, "url": base + "/media/" + media.file, "alt": media.alt,
                "credit": media.credit ?? "", "caption": media.caption ?? "", "width": media.width,
                "height": media.height, "mime_type": media.mimeType,
            ]
        } else {
            guard let id = change.articleID,
                let row = try await sql.raw(
                    "SELECT id, slug, title, status, published_at, updated_at FROM articles WHERE id = \(bind: id)"
                ).first()
            else { return nil }
            let slug = try change.newSlug ?? row.decode(column: "slug", as: String.self)
            var article: [String: Any] = [
                "id": id, "slug": slug, "url": base + "/news/" + slug,
                "title": try row.decode(column: "title", as: String.self),
                "status": (change.newStatus ?? .draft).rawValue,
                "api_url": base + "/api/v1/articles/\(id)",
            ]
            if let published = try row.decode(column: "published_at", as: Int64?.self) {
                article["published_at"] = Self.time(Date(millisecondsSince1970: published))
            }
            if let old = change.oldSlug, old != slug { article["previous_slug"] = old }
            data["article"] = article
        }
        let body: [String: Any] = [
            "id": "whe_\(change.id ?? 0)", "type": kind.rawValue, "created_at": Self.time(change.at), "data": data,
        ]
        return String(
            decoding: try JSONSerialization.data(
                withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]),
            as: UTF8.self)
    }

    static func time(_ date: Date) -> String { date.formatted(.iso8601) }
}
