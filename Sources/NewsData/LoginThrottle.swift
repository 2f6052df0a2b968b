import Foundation
import NewsCore
import SQLKit

/// Slows down password guessing without letting anyone lock a member out.
///
/// Attempts are counted per pair of account and address, and per address, each in one row that is raised
/// atomically (an upsert) *before* the password is checked, so concurrent attempts cannot all slip under the
/// limit. A pair over its limit is refused until its window passes; the same account from another address is
/// not. The address limit is higher: behind a proxy that is not trusted, every reader shares one address.
public struct LoginThrottle: Sendable {
    /// How many attempts are allowed, and for how long they count.
    public struct Limits: Sendable, Equatable {
        /// Failed attempts allowed per account from one address within the window.
        public var perAccountAndAddress: Int
        /// Failed attempts allowed from one address within the window, whatever the account.
        public var perAddress: Int
        /// How long failures count.
        public var window: TimeInterval

        /// Creates limits.
        public init(perAccountAndAddress: Int = 5, perAddress: Int = 50, window: TimeInterval = 15 * 60) {
            self.perAccountAndAddress = perAccountAndAddress
            self.perAddress = perAddress
            self.window = window
        }
    }

    /// What ``begin(email:address:now:)`` decided.
    public enum Decision: Sendable, Equatable {
        /// Check the password, then call ``finish(email:address:succeeded:now:)``.
        case allowed
        /// Refused; `first` is true for the first refusal of the window (worth one audit entry, not one each).
        case refused(first: Bool)
    }

    let database: Database
    let limits: Limits

    /// Creates a throttle over `database`.
    public init(database: Database, limits: Limits = Limits()) {
        self.database = database
        self.limits = limits
    }

    static func pairKey(_ email: String, _ address: String) -> String {
        "pair:" + String(email.prefix(320)) + "|" + String(address.prefix(64))
    }

    static func addressKey(_ address: String) -> String { "address:" + String(address.prefix(64)) }

    /// Counts an attempt for `email` from `address`, and says whether its password may be checked.
    public func begin(email: String, address: String, now: Date = Date()) async throws -> Decision {
        let windowStart = now.addingTimeInterval(-limits.window).millisecondsSince1970
        let stamp = now.millisecondsSince1970
        let keys = [
            (Self.pairKey(email, address), limits.perAccountAndAddress), (Self.addressKey(address), limits.perAddress),
        ]
        return try await database.transaction { sql in
            var over: String?
            for (key, limit) in keys {
                let attempts =
                    try await sql.raw(
                        """
                        INSERT INTO login_counters (key, window_start, attempts, refused) VALUES (\(bind: key), \(bind: stamp), 1, 0)
                        ON CONFLICT (key) DO UPDATE SET
                        attempts = CASE WHEN login_counters.window_start < \(bind: windowStart) THEN 1 ELSE login_counters.attempts + 1 END,
                        refused = CASE WHEN login_counters.window_start < \(bind: windowStart) THEN 0 ELSE login_counters.refused END,
                        window_start = CASE WHEN login_counters.window_start < \(bind: windowStart) THEN \(bind: stamp) ELSE login_counters.window_start END
                        RETURNING attempts
                        """
                    ).first()?.decode(column: "attempts", as: Int.self) ?? 1
                if attempts > limit, over == nil { over = key }
            }
            guard let over else { return .allowed }
            // A refused attempt is not a failure of the password: take it back from every counter, and count
            // the refusal instead.
            for (key, _) in keys {
                try await sql.raw("UPDATE login_counters SET attempts = attempts - 1 WHERE key = \(bind: key)").run()
            }
            let refused =
                try await sql.raw(
                    "UPDATE login_counters SET refused = refused + 1 WHERE key = \(bind: over) RETURNING refused"
                ).first()?.decode(column: "refused", as: Int.self) ?? 1
            return .refused(first: refused == 1)
        }
    }

    /// Settles an allowed attempt: a failure stays counted; a success clears the pair and takes the attempt
    /// back from the address; `succeeded == nil` (the password was never checked) takes it back from both.
    public func finish(email: String, address: String, succeeded: Bool?, now: Date = Date()) async throws {
        guard succeeded != false else { return }
        let pair = Self.pairKey(email, address)
        try await database.transaction { sql in
            if succeeded == true {
                try await sql.raw("DELETE FROM login_counters WHERE key = \(bind: pair)").run()
            } else {
                try await sql.raw(
                    "UPDATE login_counters SET attempts = attempts - 1 WHERE key = \(bind: pair) AND attempts > 0"
                ).run()
            }
            try await sql.raw(
                "UPDATE login_counters SET attempts = attempts - 1 WHERE key = \(bind: Self.addressKey(address)) AND attempts > 0"
            ).run()
        }
    }

    /// Removes counters whose window has passed.
    public func prune(now: Date = Date()) async throws {
        let windowStart = now.addingTimeInterval(-limits.window).millisecondsSince1970
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM login_counters WHERE window_start < \(bind: windowStart)").run()
        }
    }
}
