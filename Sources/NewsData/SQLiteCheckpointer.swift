import Dispatch
import Synchronization
import VaporCSQLite

/// When an SQLite database's write-ahead log is copied into its file (``SQLiteCheckpointer``), in pages of 4 KB.
public struct SQLiteCheckpoints: Sendable {
    /// The log's length from which a checkpoint runs in the background after a commit.
    public var backgroundPages: Int32
    /// The log's length from which the writer checkpoints itself after a commit.
    public var writerPages: Int32

    public init(backgroundPages: Int32, writerPages: Int32) {
        self.backgroundPages = backgroundPages
        self.writerPages = writerPages
    }

    /// From 8 MB in the background; the writer from 64 MB, which it reaches only while it writes without a pause.
    public static let standard = SQLiteCheckpoints(backgroundPages: 2048, writerPages: 16384)
}

/// Copies committed pages from SQLite's write-ahead log into the database file on a thread of its own, so that the
/// writer does not stop to do it.
///
/// SQLite's own rule checkpoints inside the commit that takes the log past 1,000 pages: the writer copies every page
/// the log holds and waits for two `fsync`s before its next transaction. In an import that was about 7 % of the
/// CPU of the thread that stores the batches, the thread that sets the import's pace.
///
/// Here the writer's commits are watched (`sqlite3_wal_hook`, which replaces SQLite's rule for that connection):
/// - past ``backgroundPages`` a passive checkpoint runs on this object's queue, on a connection of its own, while
///   the writer goes on;
/// - past ``writerPages`` (the log kept growing: a checkpoint cannot finish while the writer keeps adding pages, and
///   the log starts again from its beginning only after one that copied all of it) the writer checkpoints itself,
///   as SQLite would. Most pages are already copied by then, so that copies few.
///
/// A checkpoint changes nothing a reader sees and a passive one never waits for a lock, so what is stored and when
/// it is durable are as before.
final class SQLiteCheckpointer: @unchecked Sendable {
    let path: String
    /// The log's length, in pages, from which a commit asks for a checkpoint in the background.
    let backgroundPages: Int32
    /// The log's length, in pages, from which the writer checkpoints itself after its commit.
    let writerPages: Int32

    private struct State {
        var scheduled = false
        var closed = false
        /// How many commits have asked for a checkpoint so far (one that comes while a checkpoint runs asks for
        /// none of its own).
        var asked = 0

        /// Takes the turn to run a checkpoint, unless one is scheduled or the database is closed.
        mutating func claim() -> Bool {
            guard !scheduled, !closed else { return false }
            scheduled = true
            return true
        }
    }

    /// How often a checkpoint that left part of the log is tried again while no commit comes.
    static let retries = 8
    /// The wait before the first retry; each next one waits twice as long (about two minutes in all).
    static let firstRetryMilliseconds = 500

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "shpalta.sqlite.checkpoint", qos: .utility)
    /// The checkpoints' own connection, opened by the first one; used on `queue` only.
    private var connection: OpaquePointer?

    init(path: String, checkpoints: SQLiteCheckpoints) {
        self.path = path
        backgroundPages = max(1, checkpoints.backgroundPages)
        writerPages = max(backgroundPages, checkpoints.writerPages)
    }

    /// Watches the commits of `writer` (a connection to ``path``) instead of SQLite's own rule; until ``detach(from:)``.
    func attach(to writer: OpaquePointer) {
        sqlite_nio_sqlite3_wal_hook(writer, walHook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Stops watching `writer`, waits for a checkpoint under way and closes the checkpoints' connection.
    func detach(from writer: OpaquePointer) {
        sqlite_nio_sqlite3_wal_hook(writer, nil, nil)
        state.withLock { $0.closed = true }
        queue.sync {
            if let connection { sqlite_nio_sqlite3_close(connection) }
            connection = nil
        }
    }

    /// After a commit of `writer` that left `pages` pages in the log of database `name`.
    fileprivate func committed(_ writer: OpaquePointer?, name: UnsafePointer<CChar>?, pages: Int32) {
        if pages >= writerPages, let writer {
            // SQLITE_BUSY: the background checkpoint holds the checkpointer's lock. The writer waits for it to end
            // and then copies the rest itself; left to the next commit, the log grew on while the two kept meeting.
            if sqlite_nio_sqlite3_wal_checkpoint_v2(writer, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_BUSY {
                queue.sync {}
                _ = sqlite_nio_sqlite3_wal_checkpoint_v2(writer, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            return
        }
        guard pages >= backgroundPages else { return }
        let schedule = state.withLock { state in
            state.asked &+= 1
            return state.claim()
        }
        if schedule { queue.async { self.checkpoint(retry: 0) } }
    }

    /// One passive checkpoint of the whole log, on `queue`.
    ///
    /// When it leaves part of the log (commits came while it ran, or a reader still reads an older state of the
    /// database), it is tried again after a wait, unless a commit comes first, which asks for one of its own: the log
    /// of the last commits of a burst is copied without waiting for the next write. Waits double from
    /// ``firstRetryMilliseconds``, ``retries`` times.
    private func checkpoint(retry: Int) {
        let before = state.withLock { $0.asked }
        let copiedAll = copyLog()
        let seen = state.withLock { state in
            state.scheduled = false
            return state.asked
        }
        // A commit that came while it ran may have added pages after it read the log's length.
        guard !copiedAll || seen != before, retry < Self.retries else { return }
        queue.asyncAfter(deadline: .now() + .milliseconds(Self.firstRetryMilliseconds << retry)) {
            let again = self.state.withLock { state in state.asked == seen && state.claim() }
            if again { self.checkpoint(retry: retry + 1) }
        }
    }

    /// Copies what it can of the log into the database; whether that was all of it.
    private func copyLog() -> Bool {
        guard !state.withLock({ $0.closed }) else { return true }
        if connection == nil,
            let opened = try? SQLiteReader.open(
                path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, purpose: "for checkpoints")
        {
            // A connection finds the log when it first reads the database; until then a checkpoint does nothing.
            guard sqlite_nio_sqlite3_exec(opened, "SELECT count(*) FROM sqlite_schema", nil, nil, nil) == SQLITE_OK
            else {
                sqlite_nio_sqlite3_close(opened)
                return false
            }
            connection = opened
        }
        guard let connection else { return false }
        var logged: Int32 = -1
        var copied: Int32 = -1
        let result = sqlite_nio_sqlite3_wal_checkpoint_v2(
            connection, nil, SQLITE_CHECKPOINT_PASSIVE, &logged, &copied)
        return result == SQLITE_OK && copied >= logged
    }
}

/// The writer's log hook: SQLite calls it after each commit, on the writer's thread.
private func walHook(
    context: UnsafeMutableRawPointer?, writer: OpaquePointer?, name: UnsafePointer<CChar>?, pages: Int32
) -> Int32 {
    guard let context else { return SQLITE_OK }
    Unmanaged<SQLiteCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(
        writer, name: name, pages: pages)
    return SQLITE_OK
}
