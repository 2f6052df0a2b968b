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

    /// How long a session lasts at most, however often it is used.
    public static let lifetime: TimeInterval = 14 * 24 * 3600
    /// How long a session lasts without use (the editor's heartbeat counts as use).
    let idleTimeout: TimeInterval

    /// How often a session's last use is written down: not on every request.
    static let touchInterval: TimeInterval = 60

    /// Creates a repository over `database`.
    /// - Parameters:
    ///   - idleTimeout: a session unused for longer ends.
    public init(database: Database, idleTimeout: TimeInterval = 4 * 3600) {
        self.database = database
        self.idleTimeout = idleTimeout
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
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, address, last_seen_at)
                VALUES (\(bind: Self.hash(token)), \(bind: user.id ?? 0), \(bind: csrf), \(bind: now.millisecondsSince1970), \(bind: expires.millisecondsSince1970), \(bind: address.map { String($0.prefix(64)) }), \(bind: now.millisecondsSince1970))
                """
            ).run()
            try await sql.raw("DELETE FROM sessions WHERE expires_at < \(bind: now.millisecondsSince1970)").run()
        }
        return (token, Session(user: user, csrfToken: csrf, expiresAt: expires))
    }

    /// The live session for a cookie token, with its (active) user; notes that it was used.
    public func find(token: String, now: Date = Date()) async throws -> Session? {
        guard token.count <= 100 else { return nil }
        let hash = Self.hash(token)
        let idleSince = now.addingTimeInterval(-idleTimeout).millisecondsSince1970
        let found = try await database.read { sql -> (Session, Int64)? in
            guard
                let row = try await sql.raw(
                    """
                    SELECT s.csrf_token, s.expires_at, s.last_seen_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = \(bind: hash) AND s.expires_at > \(bind: now.millisecondsSince1970)
                    AND s.last_seen_at > \(bind: idleSince)
                    """
                ).first()
            else { return nil }
            var user = try UserRepository.user(from: row)
            guard !user.disabled else { return nil }
            user.rubricIDs = try await UserRepository.rubricIDs(of: user.id!, in: sql)
            let session = Session(
                user: user, csrfToken: try row.decode(column: "csrf_token", as: String.self),
                expiresAt: Date(millisecondsSince1970: try row.decode(column: "expires_at", as: Int64.self)))
            return (session, try row.decode(column: "last_seen_at", as: Int64.self))
        }
        guard let (session, lastSeen) = found else { return nil }
        if now.millisecondsSince1970 - lastSeen >= Int64(Self.touchInterval * 1000) {
            try await database.transaction { sql in
                try await sql.raw(
                    "UPDATE sessions SET last_seen_at = \(bind: now.millisecondsSince1970) WHERE token_hash = \(bind: hash)"
                ).run()
            }
        }
        return session
    }

    /// Removes sessions that expired or went unused too long.
    public func prune(now: Date = Date()) async throws {
        let idleSince = now.addingTimeInterval(-idleTimeout).millisecondsSince1970
        try await database.transaction { sql in
            try await sql.raw(
                "DELETE FROM sessions WHERE expires_at < \(bind: now.millisecondsSince1970) OR last_seen_at < \(bind: idleSince)"
            ).run()
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
