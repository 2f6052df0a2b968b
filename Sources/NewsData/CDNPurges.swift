import Foundation
import NewsCore
import SQLKit

/// Purges for a CDN in front of the site: a change event's surrogate keys are queued (``CDNPurgeSubscriber``, in
/// the dispatcher's transaction) and sent by the server in the background with retries (`CDNPurgeService`).
public struct CDNPurges: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Setting keys: where purges go, and the token sent with them (`Authorization: Bearer …`).
    public enum Key {
        public static let url = "cdn.purge_url"
        public static let token = "cdn.purge_token"
    }

    /// Attempts before a purge is given up (the page expires from the CDN by its `max-age` anyway).
    public static let maxAttempts = 10

    /// A queued purge.
    public struct Purge: Sendable, Equatable {
        public var id: Int64
        /// Surrogate keys; "site" means everything.
        public var keys: [String]
        public var attempts: Int
    }

    /// Takes the purges due at `now` (oldest first) for this node: each is due again only after `lease` seconds, so
    /// another node does not send it too, and one whose node stopped in the middle is sent once the lease is over.
    public func due(now: Date, lease: TimeInterval = 300, limit: Int = 20) async throws -> [Purge] {
        let skipLocked = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE cdn_purges SET next_attempt_at = \(bind: now.addingTimeInterval(lease).millisecondsSince1970)
                WHERE id IN (SELECT id FROM cdn_purges WHERE next_attempt_at <= \(bind: now.millisecondsSince1970)
                ORDER BY id LIMIT \(bind: limit)\(unsafeRaw: skipLocked))
                RETURNING id, keys, attempts
                """
            ).all().map {
                Purge(
                    id: try $0.decode(column: "id", as: Int64.self),
                    keys: try $0.decode(column: "keys", as: String.self).split(separator: " ").map(String.init),
                    attempts: try $0.decode(column: "attempts", as: Int.self))
            }.sorted { $0.id < $1.id }
        }
    }

    /// The purge reached the CDN.
    public func done(_ id: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM cdn_purges WHERE id = \(bind: id)").run()
        }
    }

    /// The purge failed with `error`: tried again after a pause that doubles each time (at most ten minutes), or
    /// dropped after ``maxAttempts``. Returns whether it was dropped.
    @discardableResult
    public func failed(_ purge: Purge, error: String, now: Date) async throws -> Bool {
        let attempts = purge.attempts + 1
        return try await database.transaction { sql in
            if attempts >= Self.maxAttempts {
                try await sql.raw("DELETE FROM cdn_purges WHERE id = \(bind: purge.id)").run()
                return true
            }
            let pause = min(600.0, pow(2, Double(attempts)))
            try await sql.raw(
                """
                UPDATE cdn_purges SET attempts = \(bind: attempts), last_error = \(bind: String(error.prefix(500))),
                next_attempt_at = \(bind: now.addingTimeInterval(pause).millisecondsSince1970) WHERE id = \(bind: purge.id)
                """
            ).run()
            return false
        }
    }

    /// Purges waiting (for tests and operators).
    public func pending() async throws -> Int {
        try await database.read { sql in try await Self.pending(in: sql) }
    }

    /// The purges waiting for an attempt, counted over `sql` (also read with the rest of the backlog).
    static func pending(in sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM cdn_purges").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

/// Queues the surrogate keys of each pass's events for the CDN, when a purge address is set.
public struct CDNPurgeSubscriber: ChangeSubscriber {
    public let name = "cdn-purge"

    public init() {}

    public func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        let configured = try await sql.raw(
            "SELECT value FROM settings WHERE key = \(bind: CDNPurges.Key.url)"
        ).first()?.decode(column: "value", as: String.self)
        guard let configured, !configured.isEmpty else { return }
        var keys: [String] = []
        for key in events.flatMap(\.keys) where !keys.contains(key) { keys.append(key) }
        guard !keys.isEmpty else { return }
        // Network time, not the site's: retries are paced by the clock on the wall.
        let now = Date().millisecondsSince1970
        try await sql.raw(
            "INSERT INTO cdn_purges (keys, created_at, next_attempt_at) VALUES (\(bind: keys.joined(separator: " ")), \(bind: now), \(bind: now))"
        ).run()
    }
}
