import Foundation
import VaporCSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// A copy of a live SQLite database, taken with SQLite's online backup API: one consistent snapshot, read in one
/// pass, while the server goes on reading and writing (in WAL mode a reader does not block writers).
///
/// The copy is written next to its destination as `NAME.partial`, switched to a rollback journal (so it is one
/// self-contained file), checked with `PRAGMA quick_check`, and only then renamed into place: a backup that fails
/// part-way leaves the previous backup as it was and no half-written file under the destination's name.
public enum SQLiteBackup {
    /// Copies the database at `source` to `destination`; returns the size of the copy in bytes.
    @discardableResult
    public static func copy(from source: String, to destination: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: source) else {
            throw DatabaseError("There is no database at \(source).")
        }
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try copyAndCheck(from: source, to: partial)
            // rename(2) replaces an earlier backup in one step: at every moment the destination holds a whole copy.
            guard rename(partial, destination) == 0 else {
                throw DatabaseError(
                    "The backup could not be moved to \(destination): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            if let error = error as? DatabaseError { throw error }
            throw DatabaseError("The backup could not be written to \(destination): \(error.localizedDescription)")
        }
        return (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
    }

    private static func copyAndCheck(from source: String, to target: String) throws {
        let from = try Connection(path: source, flags: SQLITE_OPEN_READWRITE, purpose: "read")
        let to = try Connection(path: target, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, purpose: "write")
        guard let backup = sqlite_nio_sqlite3_backup_init(to.handle, "main", from.handle, "main") else {
            throw DatabaseError("The backup to \(target) cannot start: \(to.message)")
        }
        var status: Int32
        repeat {
            // All pages in one step: one snapshot. BUSY or LOCKED only while another connection holds a lock SQLite
            // cannot read past (a checkpoint's truncation); the step is tried again.
            status = sqlite_nio_sqlite3_backup_step(backup, -1)
            if status == SQLITE_BUSY || status == SQLITE_LOCKED { usleep(20_000) }
        } while status == SQLITE_OK || status == SQLITE_BUSY || status == SQLITE_LOCKED
        let finished = sqlite_nio_sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE, finished == SQLITE_OK else {
            throw DatabaseError("The backup to \(target) failed: \(to.message)")
        }
        try to.execute("PRAGMA journal_mode = DELETE")
        let check = try to.firstText("PRAGMA quick_check")
        guard check == "ok" else {
            throw DatabaseError("The copy in \(target) fails its check: \(check ?? "no answer")")
        }
    }

    /// A plain connection for the copy: no tokenizer, no prepared-statement cache.
    private final class Connection {
        let handle: OpaquePointer

        init(path: String, flags: Int32, purpose: String) throws {
            handle = try SQLiteReader.open(path, flags: flags, purpose: "to " + purpose)
        }

        deinit { sqlite_nio_sqlite3_close(handle) }

        var message: String { sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown error" }

        func execute(_ sql: String) throws {
            guard sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
                throw DatabaseError("\(sql): \(message)")
            }
        }

        func firstText(_ sql: String) throws -> String? {
            var statement: OpaquePointer?
            guard sqlite_nio_sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                throw DatabaseError("\(sql): \(message)")
            }
            defer { sqlite_nio_sqlite3_finalize(statement) }
            guard sqlite_nio_sqlite3_step(statement) == SQLITE_ROW,
                let text = sqlite_nio_sqlite3_column_text(statement, 0)
            else { return nil }
            return String(cString: text)
        }
    }
}
