import Foundation
import NewsCore
import SQLKit

/// What an Admin API create sent with an `Idempotency-Key` made, so that a retry (the network failed before the
/// answer arrived) is answered with the same story instead of making a second. Kept for a day.
public struct IdempotencyKeys: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// What a request with a key finds.
    public enum Claim: Sendable, Equatable {
        /// The first with this key: go on, then ``finish(_:key:article:)`` or ``release(_:key:)``.
        case claimed
        /// The same request was made before: its story.
        case replay(articleID: Int64)
        /// The key was used for a different request, or the first is still running.
        case conflict
    }

    /// How long a key is remembered.
    public static let lifetime: TimeInterval = 24 * 3600

    /// Claims `key` of API key `owner` for the request whose body hashes to `hash`.
    public func claim(_ owner: Int64, key: String, hash: String, now: Date) async throws -> Claim {
        try await database.transaction { sql in
            try await sql.raw(
                "DELETE FROM idempotency_keys WHERE api_key_id = \(bind: owner) AND idempotency_key = \(bind: key) AND created_at < \(bind: now.addingTimeInterval(-Self.lifetime).millisecondsSince1970)"
            ).run()
            let inserted = try await sql.raw(
                "INSERT INTO idempotency_keys (api_key_id, idempotency_key, request_hash, created_at) VALUES (\(bind: owner), \(bind: key), \(bind: hash), \(bind: now.millisecondsSince1970)) ON CONFLICT (api_key_id, idempotency_key) DO NOTHING RETURNING api_key_id"
            ).first()
            if inserted != nil { return .claimed }
            guard
                let row = try await sql.raw(
                    "SELECT request_hash, article_id FROM idempotency_keys WHERE api_key_id = \(bind: owner) AND idempotency_key = \(bind: key)"
                ).first(), try row.decode(column: "request_hash", as: String.self) == hash,
                let article = try row.decode(column: "article_id", as: Int64?.self)
            else { return .conflict }
            return .replay(articleID: article)
        }
    }

    /// The claimed request made `article`.
    public func finish(_ owner: Int64, key: String, article: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                "UPDATE idempotency_keys SET article_id = \(bind: article) WHERE api_key_id = \(bind: owner) AND idempotency_key = \(bind: key)"
            ).run()
        }
    }

    /// The claimed request failed: the key may be used again.
    public func release(_ owner: Int64, key: String) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                "DELETE FROM idempotency_keys WHERE api_key_id = \(bind: owner) AND idempotency_key = \(bind: key) AND article_id IS NULL"
            ).run()
        }
    }

    /// Forgets keys older than a day (housekeeping).
    public func prune(now: Date) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                "DELETE FROM idempotency_keys WHERE created_at < \(bind: now.addingTimeInterval(-Self.lifetime).millisecondsSince1970)"
            ).run()
        }
    }
}
