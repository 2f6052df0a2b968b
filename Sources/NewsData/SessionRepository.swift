import Crypto
import Foundation
import NewsCore
import SQLKit

/// A signed-in newsroom session, as the server sees it.
public struct Session: Sendable, Equatable {
    public var user: User
    /// The token every state-changing form must carry.
    public var csrfToken: String
    public var expiresAt: Date
}

/// Sessions live in the database, so they survive restarts and any node can serve any request. Only a
/// hash of each session token is stored.
public struct SessionRepository: Sendable {
    let database: Database

    /// How long a session lasts without use.
    public static let lifetime: TimeInterval = 14 * 24 * 3600

    /// Creates a repository over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// Starts a session for `user`; returns the token for the cookie and the session.
    public func start(for user: User, address: String?, now: Date = Date()) async throws -> (
        token: String, session: Session
    ) {
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let expires = now.addingTimeInterval(Self.lifetime)
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, address)
                VALUES (\(bind: Self.hash(token)), \(bind: user.id ?? 0), \(bind: csrf), \(bind: now.millisecondsSince1970), \(bind: expires.millisecondsSince1970), \(bind: address))
                """
            ).run()
            try await sql.raw("DELETE FROM sessions WHERE expires_at < \(bind: now.millisecondsSince1970)").run()
        }
        return (token, Session(user: user, csrfToken: csrf, expiresAt: expires))
    }

    /// The live session for a cookie token, with its (active) user.
    public func find(token: String, now: Date = Date()) async throws -> Session? {
        guard token.count <= 100 else { return nil }
        return try await database.read { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT s.csrf_token, s.expires_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = \(bind: Self.hash(token)) AND s.expires_at > \(bind: now.millisecondsSince1970)
                    """
                ).first()
            else { return nil }
            var user = try UserRepository.user(from: row)
            guard !user.disabled else { return nil }
            user.rubricIDs = try await UserRepository.rubricIDs(of: user.id!, in: sql)
            return Session(
                user: user, csrfToken: try row.decode(column: "csrf_token", as: String.self),
                expiresAt: Date(millisecondsSince1970: try row.decode(column: "expires_at", as: Int64.self)))
        }
    }

    /// Ends the session with `token`.
    public func end(token: String) async throws {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: Self.hash(token))").run()
        }
    }

    /// 32 random bytes, base64url.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Records sign-ins and publishing actions: who did what, when, from where.
public struct AuditLog: Sendable {
    let database: Database

    /// Creates a log over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// One entry of the log.
    public struct Entry: Sendable, Equatable {
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
            try await sql.raw(
                "INSERT INTO audit_log (at, user_id, action, subject, address) VALUES (\(bind: now.millisecondsSince1970), \(bind: user), \(bind: action), \(bind: subject), \(bind: address))"
            ).run()
        }
    }

    /// The latest entries, newest first.
    public func latest(limit: Int = 100) async throws -> [Entry] {
        try await database.read { sql in
            try await sql.raw("SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT \(bind: limit)").all().map {
                Entry(
                    at: Date(millisecondsSince1970: try $0.decode(column: "at", as: Int64.self)),
                    userID: try $0.optionalInt64("user_id"), action: try $0.decode(column: "action", as: String.self),
                    subject: try $0.optionalString("subject"), address: try $0.optionalString("address"))
            }
        }
    }
}

/// Slows down password guessing: too many failed sign-ins for one account or from one address within
/// a window lock further attempts out until the window passes.
public struct LoginThrottle: Sendable {
    let database: Database
    public static let window: TimeInterval = 15 * 60
    public static let maxFailuresPerAccount = 5
    public static let maxFailuresPerAddress = 20

    /// Creates a throttle over `database`.
    public init(database: Database) {
        self.database = database
    }

    /// Whether another attempt for `email` from `address` must wait.
    public func isLocked(email: String, address: String, now: Date = Date()) async throws -> Bool {
        let since = now.addingTimeInterval(-Self.window).millisecondsSince1970
        return try await database.read { sql in
            let byAccount =
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM login_attempts WHERE email = \(bind: email) AND at > \(bind: since) AND succeeded = \(bind: false)"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            if byAccount >= Self.maxFailuresPerAccount { return true }
            let byAddress =
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM login_attempts WHERE address = \(bind: address) AND at > \(bind: since) AND succeeded = \(bind: false)"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            return byAddress >= Self.maxFailuresPerAddress
        }
    }

    /// Records an attempt. A success clears the account's failures.
    public func record(email: String, address: String, succeeded: Bool, now: Date = Date()) async throws {
        try await database.transaction { sql in
            if succeeded {
                try await sql.raw("DELETE FROM login_attempts WHERE email = \(bind: email)").run()
            }
            try await sql.raw(
                "INSERT INTO login_attempts (email, address, at, succeeded) VALUES (\(bind: email), \(bind: address), \(bind: now.millisecondsSince1970), \(bind: succeeded))"
            ).run()
            try await sql.raw(
                "DELETE FROM login_attempts WHERE at < \(bind: now.addingTimeInterval(-Self.window * 4).millisecondsSince1970)"
            ).run()
        }
    }
}
