import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// The SQL dialects Shpalta speaks. Everything not common to both lives behind a switch on this.
public enum SQLDialectKind: String, Sendable {
    case sqlite
    case postgres
}

/// One handle for the data, over SQLite or PostgreSQL.
///
/// Reads run on any connection; writes run in a transaction. On SQLite there is one writer
/// connection (guarded, so transactions never interleave) and reader connections in WAL mode, used on the
/// reading thread (``SQLiteReaders``);
/// on PostgreSQL both go through PostgresNIO's `PostgresClient` pool, each waiting at most ``PostgresLease/limit`` for a
/// connection.
public final class Database: Sendable {
    public let dialect: SQLDialectKind
    /// The full-text search of this database's engine.
    let search: any SearchEngine
    public let location: DatabaseLocation
    let logger: Logger
    private let backend: Backend
    /// Reads and transactions, counted for `/metrics`.
    public let activity = DatabaseActivity()
    /// Set by the first ``close()``; a connection closed twice crashes SQLite's driver.
    private let closed = Atomic<Bool>(false)
    /// A PostgreSQL standby that readers' pages may be read from (``withReplicaReads(_:)``).
    let replica: PostgresReplica?
    /// Whether this task's reads may go to the read replica: set for readers' pages, never for the newsroom.
    @TaskLocal static var replicaAllowed = false

    private enum Backend: Sendable {
        case sqlite(writer: SQLiteReader, readers: SQLiteReaders, lock: WriteLock)
        case postgres(client: PostgresClient, task: Task<Void, Never>, configuration: PostgresConnection.Configuration)
    }

    /// The PostgreSQL server's connection settings, for a connection of its own outside the pool (``listen(on:retry:connected:notified:)``).
    var postgresConfiguration: PostgresConnection.Configuration? {
        if case .postgres(_, _, let configuration) = backend { return configuration }
        return nil
    }

    private init(
        dialect: SQLDialectKind, location: DatabaseLocation, logger: Logger, backend: Backend,
        replica: PostgresReplica? = nil
    ) {
        self.dialect = dialect
        search = searchEngine(for: dialect)
        self.location = location
        self.logger = logger
        self.backend = backend
        self.replica = replica
    }

    /// Opens the database at `location`, checking that it is usable; errors name the file or server.
    /// - Parameters:
    ///   - location: an SQLite path or a PostgreSQL URL.
    ///   - replica: a PostgreSQL standby of `location` that readers' pages may be read from. One that cannot be reached
    ///     now is not an error: reads go to the primary until it answers.
    ///   - readers: how many idle SQLite reader connections to keep (more open while more threads read at once).
    ///   - checkpoints: when SQLite's log is copied into the database file (``SQLiteCheckpoints``).
    ///   - logger: where queries and problems are logged.
    public static func open(
        _ location: DatabaseLocation, replica: DatabaseLocation? = nil, readers: Int = 4, maxConnections: Int = 20,
        checkpoints: SQLiteCheckpoints = .standard, logger: Logger = Logger(label: "shpalta.db")
    ) async throws -> Database {
        switch (location, replica) {
        case (.sqlite(let path), nil):
            return try await openSQLite(
                path: path, readers: readers, checkpoints: checkpoints, location: location, logger: logger)
        case (.postgres(let url), nil):
            return try await openPostgres(url: url, location: location, maxConnections: maxConnections, logger: logger)
        case (.postgres(let url), .postgres(let replicaURL)?):
            let primary = try await openPostgres(
                url: url, location: location, maxConnections: maxConnections, logger: logger)
            do {
                let standbyLocation = DatabaseLocation.postgres(url: replicaURL)
                let (configuration, _) = try makeClient(
                    url: replicaURL, location: standbyLocation, maxConnections: maxConnections, logger: logger)
                let standby = PostgresReplica(
                    location: standbyLocation,
                    client: PostgresClient(configuration: configuration, backgroundLogger: logger), logger: logger)
                standby.start(primaryPosition: try await primary.read { try await PostgresReplica.position(in: $0) })
                return Database(
                    dialect: .postgres, location: location, logger: logger, backend: primary.backend, replica: standby)
            } catch {
                await primary.close()
                throw error
            }
        case (_, .some(let other)):
            throw DatabaseError(
                "A read replica needs PostgreSQL for both the database and the replica (\(location), \(other)).")
        }
    }

    private static func openSQLite(
        path: String, readers: Int, checkpoints: SQLiteCheckpoints, location: DatabaseLocation, logger: Logger
    ) async throws -> Database {
        let fileManager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !fileManager.fileExists(atPath: directory) {
            do {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw DatabaseError(
                    "Cannot create the directory for the database file \(path): \(error.localizedDescription)")
            }
        }
        if fileManager.fileExists(atPath: path), !fileManager.isReadableFile(atPath: path) {
            throw DatabaseError("The database file \(path) is not readable (check its permissions).")
        }
        var opened: [SQLiteConnection] = []
        do {
            let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            opened.append(writer)
            let sql = writer.sql()
            try await sql.raw("PRAGMA busy_timeout = 5000").run()
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA synchronous = NORMAL").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            // Take the write lock once so that a file locked by another process is reported now.
            try await sql.raw("BEGIN IMMEDIATE").run()
            try await sql.raw("COMMIT").run()
            let readerConnections = SQLiteReaders(path: path, keep: readers)
            try readerConnections.check()
            // Writes run on a connection of the same kind as the readers (on the calling thread, statements kept
            // prepared): an import's hundreds of statements a second no longer each go through a thread pool.
            let direct = try SQLiteReader(path: path)
            // A transaction's changed pages stay in memory until it commits: an import's batch changes tens of
            // megabytes, and with SQLite's 2 MB cache it wrote pages to the log twice (measured: 3 % of a WordPress
            // import). The readers keep the default.
            for pragma in ["PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON", "PRAGMA cache_size = -32768"] {
                try direct.run(pragma, [], onRow: { _ in })
            }
            direct.checkpoint(with: SQLiteCheckpointer(path: path, checkpoints: checkpoints))
            try? await writer.close()
            opened.removeAll()
            return Database(
                dialect: .sqlite, location: location, logger: logger,
                backend: .sqlite(writer: direct, readers: readerConnections, lock: WriteLock())
            )
        } catch {
            for connection in opened { try? await connection.close() }
            throw DatabaseError("Cannot open the SQLite database \(path): \(Self.reason(error))")
        }
    }

    private static func openPostgres(url: String, location: DatabaseLocation, maxConnections: Int, logger: Logger)
        async throws -> Database
    {
        let (clientConfiguration, core) = try makeClient(
            url: url, location: location, maxConnections: maxConnections, logger: logger)
        // One direct connection first: an unreachable server or a wrong password is reported now, once,
        // instead of the pool retrying in the background.
        do {
            let probe = try await PostgresConnection.connect(
                configuration: core, id: 0, logger: logger)
            try await probe.close()
        } catch {
            throw DatabaseError("Cannot connect to the PostgreSQL database \(location): \(Self.reason(error))")
        }
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        let task = Task { await client.run() }
        return Database(
            dialect: .postgres, location: location, logger: logger,
            backend: .postgres(client: client, task: task, configuration: core))
    }

    /// The pool settings for the PostgreSQL server at `url`, and its connection settings.
    private static func makeClient(url: String, location: DatabaseLocation, maxConnections: Int, logger: Logger)
        throws -> (client: PostgresClient.Configuration, connection: PostgresConnection.Configuration)
    {
        let configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw DatabaseError("The PostgreSQL URL \(location) is not valid: \(error)")
        }
        let core = configuration.coreConfiguration
        var clientConfiguration: PostgresClient.Configuration
        if let socket = core.unixSocketPath {
            clientConfiguration = PostgresClient.Configuration(
                unixSocketPath: socket, username: core.username, password: core.password, database: core.database)
        } else {
            clientConfiguration = PostgresClient.Configuration(
                host: core.host ?? "localhost", port: core.port ?? 5432, username: core.username,
                password: core.password, database: core.database, tls: .disable)
        }
        clientConfiguration.options.minimumConnections = 0
        clientConfiguration.options.maximumConnections = maxConnections
        clientConfiguration.options.connectTimeout = .seconds(5)
        return (clientConfiguration, core)
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? SQLiteError { return error.message }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)" + (error.underlying.map { " (\($0))" } ?? "")
        }
        return String(describing: error)
    }

    /// Runs `body` with a connection for reading.
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await activity.read {
            switch backend {
            case .sqlite(_, let readers, _):
                return try await body(SQLiteReadDatabase(readers: readers, logger: logger))
            case .postgres(let client, _, _):
                return try await onPostgres(client) { connection in try await body(connection.sql) }
            }
        }
    }

    /// Runs `body` on a connection of the read replica when this task may read from it and it has caught up (see
    /// ``PostgresReplica``), else, or when it cannot be reached, on one of `primary`.
    private func onPostgres<T: Sendable>(
        _ primary: PostgresClient, _ body: @Sendable (PostgresLeasedConnection) async throws -> T
    ) async throws -> T {
        if let replica, Self.replicaAllowed {
            if replica.isCaughtUp {
                do {
                    let answer = try await PostgresLease.with(replica.client, within: PostgresReplica.leaseLimit, body)
                    replica.count(answered: true)
                    return answer
                } catch  where Self.isUnavailable(error) && !Task.isCancelled {
                    replica.lost()
                }
            }
            replica.count(answered: false)
        }
        return try await PostgresLease.with(primary, body)
    }

    /// Runs `operation` with its reads allowed to go to the read replica, if there is one: for readers' pages, which
    /// go into the page cache only as fresh as this node's caches (a journalist's own writes are read from the primary).
    public static func withReplicaReads<T>(_ operation: () async throws -> T) async rethrows -> T {
        try await $replicaAllowed.withValue(true, operation: operation)
    }

    /// How the read replica is used, for `/metrics`; `nil` without one.
    public var replicaStatus: ReplicaStatus? { replica?.status }

    /// Where the read replica is, if there is one.
    public var replicaLocation: DatabaseLocation? { replica?.location }

    /// Raises the primary's log position the read replica must have replayed before it answers again to where the
    /// primary is now (read through `sql`, a transaction on the primary): called before this node's caches act on
    /// change events, so that a page rendered after them is never read from a replica that has not seen them.
    func replicaMustCatchUp(in sql: any SQLDatabase) async throws {
        guard let replica else { return }
        replica.require(try await PostgresReplica.position(in: sql))
    }

    /// Runs `body` with a connection for reading where PostgreSQL's planner must use an index whenever it can.
    ///
    /// For full-text searches: the planner does not count reading each row's search vector from TOAST storage, so
    /// for a common word it would scan the whole table and read every vector instead of taking the matches from
    /// the GIN index. SQLite reads as ``read(_:)`` does.
    public func readUsingIndexes<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws
        -> T
    {
        switch backend {
        case .sqlite:
            return try await read(body)
        case .postgres(let client, _, _):
            return try await activity.read {
                try await onPostgres(client) { connection in
                    try await Self.inTransaction(
                        connection.sql, begin: "BEGIN READ ONLY", settings: ["SET LOCAL enable_seqscan = off"],
                        abandon: { connection.close() }, body)
                }
            }
        }
    }

    /// Runs `body` in a transaction: everything it writes is stored, or (when it throws) nothing.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await activity.transaction {
            switch backend {
            case .sqlite(let writer, _, let lock):
                return try await lock.withLock {
                    try await Self.inTransaction(
                        SQLiteReadDatabase(writer: writer, logger: logger), begin: "BEGIN IMMEDIATE", body)
                }
            case .postgres(let client, _, _):
                return try await PostgresLease.with(client) { connection in
                    try await Self.inTransaction(
                        connection.sql, begin: "BEGIN", abandon: { connection.close() }, body)
                }
            }
        }
    }

    /// Runs `body` on `sql` in a transaction started with `begin`, after `settings` (PostgreSQL's `SET LOCAL`,
    /// which end with the transaction and so never stay on a pooled connection); rolls back when anything throws.
    /// `abandon` closes a PostgreSQL connection whose rollback gets no answer within 5 seconds (one the network lost
    /// in the middle of the transaction: the server rolls it back itself), so that it is never used again.
    private static func inTransaction<T: Sendable>(
        _ sql: any SQLDatabase, begin: SQLQueryString, settings: [SQLQueryString] = [],
        abandon: (@Sendable () -> Void)? = nil, _ body: @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await sql.raw(begin).run()
        do {
            for setting in settings { try await sql.raw(setting).run() }
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            // The rollback runs even when this task was cancelled (a request whose client left, a service stopping
            // at shutdown): a cancelled ROLLBACK would leave the connection inside the transaction, and every later
            // write on it would fail. A task of its own does not inherit the cancellation.
            let rollback = Task<Void, Never> { try? await sql.raw("ROLLBACK").run() }
            if let abandon {
                if await Deadline.run(within: .seconds(5), { await rollback.value }) == nil { abandon() }
            } else {
                await rollback.value
            }
            throw error
        }
    }

    /// Closes every connection, once: later calls do nothing.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await replica?.close()
        switch backend {
        case .sqlite(let writer, let readers, _):
            readers.close()
            writer.close()
        case .postgres(_, let task, _):
            task.cancel()
            // PostgresNIO's pool (1.33) at times never finishes after its cancellation, with every connection
            // already closed: seen when the pool sat idle for minutes beside a busy server. A shutdown must not
            // hang on it, so the wait is bounded; what is left holds no connection.
            if await Deadline.run(within: .seconds(10), { await task.value }) == nil {
                logger.warning("The PostgreSQL pool did not finish within 10 s of closing; left behind")
            }
        }
    }
}

/// An async mutual-exclusion lock that keeps SQLite write transactions from interleaving.
actor WriteLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

extension Database {
    /// Runs `body` inside a savepoint of the caller's transaction: when it throws, only its own writes
    /// are undone and the transaction goes on.
    public static func savepoint<T: Sendable>(
        _ name: String, in sql: any SQLDatabase, _ body: () async throws -> T
    ) async throws -> T {
        try await sql.raw("SAVEPOINT \(ident: name)").run()
        do {
            let result = try await body()
            try await sql.raw("RELEASE SAVEPOINT \(ident: name)").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK TO SAVEPOINT \(ident: name)").run()
            try? await sql.raw("RELEASE SAVEPOINT \(ident: name)").run()
            throw error
        }
    }

    /// Whether `slug` is used by an article (other than `excluding`), inside a transaction.
    public static func articleSlugTaken(_ slug: String, excluding id: Int64?, in sql: any SQLDatabase) async throws
        -> Bool
    {
        try await sql.raw("SELECT 1 AS one FROM articles WHERE slug = \(bind: slug) AND id <> \(bind: id ?? 0)").first()
            != nil
    }

    /// The ids and slugs of the articles imported from `sourceIDs`, by source, inside a transaction (one query per
    /// few thousand).
    public static func articleIDs(sourceIDs: [String], in sql: any SQLDatabase) async throws -> [String: (
        id: Int64, slug: String
    )] {
        var found: [String: (id: Int64, slug: String)] = [:]
        for chunk in Set(sourceIDs).sorted().chunks(of: ArticleRepository.rowsPerStatement) {
            let list = SQLGroupExpression(SQLList(chunk.map { SQLBind($0) }))
            for row in try await sql.raw("SELECT id, slug, source_id FROM articles WHERE source_id IN \(list)").all() {
                found[try row.decode(column: "source_id", as: String.self)] = (
                    try row.decode(column: "id", as: Int64.self), try row.decode(column: "slug", as: String.self)
                )
            }
        }
        return found
    }

    /// Which of `slugs` articles use, inside a transaction.
    public static func takenSlugs(_ slugs: Set<String>, in sql: any SQLDatabase) async throws -> Set<String> {
        var taken = Set<String>()
        for chunk in slugs.sorted().chunks(of: ArticleRepository.rowsPerStatement) {
            let list = SQLGroupExpression(SQLList(chunk.map { SQLBind($0) }))
            for row in try await sql.raw("SELECT slug FROM articles WHERE slug IN \(list)").all() {
                taken.insert(try row.decode(column: "slug", as: String.self))
            }
        }
        return taken
    }

    /// The id of the article imported from `sourceID`, inside a transaction.
    public static func articleID(sourceID: String, in sql: any SQLDatabase) async throws -> (id: Int64, slug: String)? {
        try await articleIDs(sourceIDs: [sourceID], in: sql)[sourceID]
    }

    /// The highest rubric position in use, inside a transaction.
    public static func maxRubricPosition(in sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COALESCE(MAX(position), -1) AS p FROM rubrics").first()?.decode(
            column: "p", as: Int.self) ?? -1
    }
}
