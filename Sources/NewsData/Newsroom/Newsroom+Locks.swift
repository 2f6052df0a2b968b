import Foundation
import NewsCore
import SQLKit

// Edit locks: one tab edits a story at a time, with an explicit takeover.
extension Newsroom {
    /// Opens the story for editing in one tab: takes the lock when it is free, stale or already this
    /// user's; otherwise reports who holds it, unless `takeOver` is set.
    public func lock(_ id: Int64, by user: User, takeOver: Bool = false, now: Date = Date()) async throws -> LockState {
        try await database.transaction { sql in
            let token = SessionRepository.randomToken()
            let stamp = now.millisecondsSince1970
            if let row = try await sql.raw(
                "SELECT l.user_id, l.acquired_at, l.seen_at, u.name FROM article_locks l JOIN users u ON u.id = l.user_id WHERE l.article_id = \(bind: id)"
            ).first() {
                let holder = try row.decode(column: "user_id", as: Int64.self)
                let seen = Date(millisecondsSince1970: try row.decode(column: "seen_at", as: Int64.self))
                let isStale = now.timeIntervalSince(seen) > Self.lockTimeout
                if holder != user.id, !isStale, !takeOver {
                    return .heldByOther(
                        name: try row.decode(column: "name", as: String.self),
                        since: Date(millisecondsSince1970: try row.decode(column: "acquired_at", as: Int64.self)))
                }
                try await sql.raw(
                    "UPDATE article_locks SET user_id = \(bind: user.id!), token = \(bind: token), acquired_at = \(bind: stamp), seen_at = \(bind: stamp), taken_from = \(bind: holder == user.id ? nil : holder) WHERE article_id = \(bind: id)"
                ).run()
                if holder != user.id, !isStale {
                    try await sql.raw(
                        "INSERT INTO audit_log (at, user_id, action, subject) VALUES (\(bind: stamp), \(bind: user.id), 'lock_taken_over', \(bind: "article \(id)"))"
                    ).run()
                }
            } else {
                try await sql.raw(
                    "INSERT INTO article_locks (article_id, user_id, token, acquired_at, seen_at) VALUES (\(bind: id), \(bind: user.id!), \(bind: token), \(bind: stamp), \(bind: stamp))"
                ).run()
            }
            return .held(token: token)
        }
    }

    /// Who else holds the story's lock now, without taking it: `nil` when it is free, stale or `user`'s own.
    public func lockHolder(_ id: Int64, other user: User, now: Date = Date()) async throws -> LockState? {
        try await database.read { sql in
            guard
                let row = try await sql.raw(
                    "SELECT l.user_id, l.acquired_at, l.seen_at, u.name FROM article_locks l JOIN users u ON u.id = l.user_id WHERE l.article_id = \(bind: id)"
                ).first(),
                try row.decode(column: "user_id", as: Int64.self) != user.id,
                now.timeIntervalSince(Date(millisecondsSince1970: try row.decode(column: "seen_at", as: Int64.self)))
                    <= Self.lockTimeout
            else { return nil }
            return .heldByOther(
                name: try row.decode(column: "name", as: String.self),
                since: Date(millisecondsSince1970: try row.decode(column: "acquired_at", as: Int64.self)))
        }
    }

    /// Confirms that a tab still edits the story; tells it when the lock was taken over.
    public func heartbeat(_ id: Int64, token: String, now: Date = Date()) async throws -> LockState {
        try await database.transaction { sql in
            do {
                try await Self.checkLock(id, token: token, in: sql)
            } catch let error as NewsroomError {
                if case .lockLost(let name, let at) = error { return .lost(takenBy: name, at: at) }
                throw error
            }
            try await sql.raw(
                "UPDATE article_locks SET seen_at = \(bind: now.millisecondsSince1970) WHERE article_id = \(bind: id) AND token = \(bind: token)"
            ).run()
            return .held(token: token)
        }
    }

    /// Lets go of the lock (when the editor is closed).
    public func unlock(_ id: Int64, token: String) async throws {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM article_locks WHERE article_id = \(bind: id) AND token = \(bind: token)")
                .run()
        }
    }

    static func checkLock(_ id: Int64, token: String, in sql: any SQLDatabase) async throws {
        guard
            let row = try await sql.raw(
                "SELECT l.token, l.acquired_at, u.name FROM article_locks l JOIN users u ON u.id = l.user_id WHERE l.article_id = \(bind: id)"
            ).first()
        else {
            // Nobody holds it (released or expired and cleaned): the tab must open the story again.
            throw NewsroomError.lockLost(takenBy: "", at: Date())
        }
        guard try row.decode(column: "token", as: String.self) == token else {
            throw NewsroomError.lockLost(
                takenBy: try row.decode(column: "name", as: String.self),
                at: Date(millisecondsSince1970: try row.decode(column: "acquired_at", as: Int64.self)))
        }
    }
}
