import Foundation
import SQLKit

/// Work waiting in the database, for `/metrics`: what the outbox's subscribers have not had yet, and the queued jobs.
public struct Backlog: Sendable, Equatable {
    /// How far one subscriber of the change events is behind.
    public struct Lag: Sendable, Equatable {
        public var subscriber: String
        /// Events written and not yet handed to it.
        public var events: Int
        /// The age of the oldest of them, in seconds (0 when none waits).
        public var seconds: Double
    }

    public var lags: [Lag]
    /// Webhook deliveries waiting for an attempt.
    public var webhookDeliveries: Int
    /// CDN purges waiting for an attempt.
    public var cdnPurges: Int
    /// Stories scheduled and not yet published.
    public var scheduledStories: Int

    /// Reads the backlog of `database` for the outbox subscribers named `subscribers`, at `now`.
    public static func read(
        from database: Database, subscribers: [String], now: Date = Date()
    ) async throws -> Backlog {
        try await database.read { sql in
            var lags: [Lag] = []
            for subscriber in subscribers {
                let position =
                    try await sql.raw("SELECT last_id FROM event_cursors WHERE subscriber = \(bind: subscriber)")
                    .first()?.decode(column: "last_id", as: Int64.self) ?? 0
                let waiting = try await sql.raw(
                    "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM change_events WHERE id > \(bind: position)"
                ).first()
                let events = try waiting?.decode(column: "n", as: Int.self) ?? 0
                let oldest = try waiting?.decode(column: "oldest", as: Int64?.self) ?? nil
                let seconds = oldest.map { max(0, now.timeIntervalSince1970 - Double($0) / 1000) } ?? 0
                lags.append(Lag(subscriber: subscriber, events: events, seconds: seconds))
            }
            return Backlog(
                lags: lags,
                webhookDeliveries: try await Webhooks.pending(in: sql), cdnPurges: try await CDNPurges.pending(in: sql),
                scheduledStories: try await sql.raw("SELECT COUNT(*) AS n FROM articles WHERE status = 'scheduled'")
                    .first()?.decode(column: "n", as: Int.self) ?? 0)
        }
    }
}
