import Foundation
import NewsCore
import SQLKit

/// Records sign-ins, publishing and administration: who did what, when, from where.
///
/// What an entry stores is bounded (a subject of at most ``maxSubjectLength`` characters, an address of at most
/// 64), so that nobody can grow the log by posting long values; entries older than the retention are pruned.
public struct AuditLog: Sendable {
    let database: Database
    /// How long entries are kept.
    let retention: TimeInterval

    /// The longest subject stored; longer ones are cut and marked with "…".
    public static let maxSubjectLength = 200

    /// Creates a log over `database`.
    /// - Parameters:
    ///   - retention: entries older than this are removed by ``prune(now:)``.
    public init(database: Database, retention: TimeInterval = 365 * 24 * 3600) {
        self.database = database
        self.retention = retention
    }

    /// One entry of the log.
    public struct Entry: Sendable, Equatable {
        public var id: Int64
        public var at: Date
        public var userID: Int64?
        public var action: String
        public var subject: String?
        public var address: String?
    }

    /// Adds an entry.
    public func record(_ action: String, user: Int64?, subject: String? = nil, address: String?, now: Date = Date())
        async throws
    {
        try await database.transaction { sql in
            try await Self.record(action, user: user, subject: subject, address: address, now: now, in: sql)
        }
    }

    /// Adds an entry inside the caller's transaction.
    public static func record(
        _ action: String, user: Int64?, subject: String?, address: String?, now: Date, in sql: any SQLDatabase
    ) async throws {
        try await sql.raw(
            "INSERT INTO audit_log (at, user_id, action, subject, address) VALUES (\(bind: now.millisecondsSince1970), \(bind: user), \(bind: action), \(bind: subject.map(bounded)), \(bind: address.map { String($0.prefix(64)) }))"
        ).run()
    }

    /// `subject` cut to ``maxSubjectLength`` characters.
    static func bounded(_ subject: String) -> String {
        subject.count <= maxSubjectLength ? subject : String(subject.prefix(maxSubjectLength - 1)) + "…"
    }

    /// The latest entries, newest first; `before` (an entry's id) gives the next page.
    public func latest(limit: Int = 100, before: Int64? = nil) async throws -> [Entry] {
        try await database.read { sql in
            try await sql.raw(
                "SELECT * FROM audit_log WHERE id < \(bind: before ?? Int64.max) ORDER BY id DESC LIMIT \(bind: limit)"
            ).all().map {
                Entry(
                    id: try $0.decode(column: "id", as: Int64.self),
                    at: Date(millisecondsSince1970: try $0.decode(column: "at", as: Int64.self)),
                    userID: try $0.optionalInt64("user_id"), action: try $0.decode(column: "action", as: String.self),
                    subject: try $0.optionalString("subject"), address: try $0.optionalString("address"))
            }
        }
    }

    /// Removes the entries older than the retention.
    public func prune(now: Date = Date()) async throws {
        let cutoff = now.addingTimeInterval(-retention).millisecondsSince1970
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM audit_log WHERE at < \(bind: cutoff)").run()
        }
    }
}
