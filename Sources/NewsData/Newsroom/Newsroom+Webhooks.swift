import Foundation
import NewsCore
import SQLKit

// Webhooks: administrators add an address and the kinds of change it hears of, remove it, and send a delivery
// again. None of it shows on a page.
extension Newsroom {
    /// Adds a webhook for `events` at `url`; returns it with the secret its deliveries are signed with (shown once).
    public func addWebhook(url: String, events: [Webhook.Event], by requester: Requester, now: Date = Date())
        async throws -> (webhook: Webhook, secret: String)
    {
        try requester.require(.manageSettings)
        let url = url.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldError] = []
        if !Webhook.isValidURL(url) { problems.append(FieldError(field: "url", key: "error_webhook_url")) }
        if events.isEmpty { problems.append(FieldError(field: "events", key: "error_webhook_events")) }
        guard problems.isEmpty else { throw NewsroomError.invalid(problems) }
        let secret = "whsec_" + SessionRepository.randomToken()
        let kinds = Webhook.Event.allCases.filter(events.contains)
        let (id, since) = try await database.transaction { sql -> (Int64, Int64) in
            // It hears of what changes from now on, not of the outbox's past.
            let since =
                try await sql.raw("SELECT MAX(id) AS last FROM change_events").first()?
                .decode(column: "last", as: Int64?.self) ?? 0
            guard
                let row = try await sql.insert(into: "webhooks")
                    .columns("url", "events", "secret", "since_change_id", "created_by", "created_at")
                    .values(
                        SQLBind(url), SQLBind(kinds.map(\.rawValue).joined(separator: ",")), SQLBind(secret),
                        SQLBind(since), SQLBind(requester.user?.id), SQLBind(now.millisecondsSince1970)
                    )
                    .returning("id").first()
            else { throw DatabaseError("The database did not return the new webhook's id.") }
            let id = try row.decode(column: "id", as: Int64.self)
            try await ChangeLog.record(
                ChangeEvent(
                    action: .webhookAdded, source: requester.source, userID: requester.user?.id,
                    subject: "webhook \(id) \(url)", address: requester.address, at: now), in: sql)
            return (id, since)
        }
        let webhook = Webhook(
            id: id, url: url, events: kinds, createdAt: now, createdBy: requester.user?.id, sinceChangeID: since)
        return (webhook, secret)
    }

    /// Removes webhook `id`: nothing more is queued or sent to it (its deliveries stay, for the record).
    public func removeWebhook(id: Int64, by requester: Requester, now: Date = Date()) async throws {
        try requester.require(.manageSettings)
        try await database.transaction { sql in
            guard
                let row = try await sql.raw("SELECT url FROM webhooks WHERE id = \(bind: id) AND removed_at IS NULL")
                    .first()
            else { throw NewsroomError.notFound }
            try await sql.raw(
                "UPDATE webhooks SET removed_at = \(bind: now.millisecondsSince1970) WHERE id = \(bind: id)"
            ).run()
            try await ChangeLog.record(
                ChangeEvent(
                    action: .webhookRemoved, source: requester.source, userID: requester.user?.id,
                    subject: "webhook \(id) \(try row.decode(column: "url", as: String.self))",
                    address: requester.address, at: now), in: sql)
        }
    }

    /// Sends delivery `id` again, now, with the same id and body (delivered or given up, it is queued anew).
    public func redeliver(_ id: Int64, by requester: Requester, now: Date = Date()) async throws {
        try requester.require(.manageSettings)
        try await database.transaction { sql in
            guard
                try await sql.raw(
                    "SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = \(bind: id) AND w.removed_at IS NULL"
                ).first() != nil
            else { throw NewsroomError.notFound }
            // A new day of retries from now: `created_at` is when the window starts.
            try await sql.raw(
                "UPDATE webhook_deliveries SET next_attempt_at = \(bind: now.millisecondsSince1970), delivered_at = NULL, created_at = \(bind: now.millisecondsSince1970), attempts = 0 WHERE id = \(bind: id)"
            ).run()
            try await ChangeLog.record(
                ChangeEvent(
                    action: .webhookRedelivered, source: requester.source, userID: requester.user?.id,
                    subject: "whd_\(id)", address: requester.address, at: now), in: sql)
        }
    }
}
