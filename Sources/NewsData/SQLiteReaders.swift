import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// The reading side of an SQLite database: connections used directly on the calling thread, each keeping its
/// prepared statements.
///
/// SQLiteNIO runs every query on a thread pool and hands each row back to an event loop; for the public pages,
/// whose few queries each take tens of microseconds inside SQLite, those hops and re-preparing the statement
/// cost more than the query. Here a read takes an idle connection, runs on the caller's thread, and gives the
/// connection back; the statement stays prepared for the next request. Writes still go through the one writer
/// connection (see ``Database``). Both use the SQLite library that SQLiteNIO builds, so the process has one set
/// of file locks.
///
/// In WAL mode each statement reads the latest committed state when it starts; statements are reset as soon as
/// they finish, so no connection holds an old snapshot between requests.
final class SQLiteReaders: Sendable {
    let path: String
    private let idle = Mutex<[SQLiteReader]>([])
    /// How many idle connections are kept; more are opened when more threads read at once, and closed after.
    private let keep: Int
    private let closed = Atomic<Bool>(false)

    init(path: String, keep: Int) {
        self.path = path
        self.keep = max(1, keep)
    }

    /// Opens one connection now, so that a file that cannot be read is reported when the database is opened.
    func check() throws {
        let reader = try SQLiteReader(path: path)
        give(back: reader)
    }

    /// Runs `body` with a connection of its own.
    func withReader<T>(_ body: (SQLiteReader) throws -> T) throws -> T {
        guard !closed.load(ordering: .acquiring) else {
            throw DatabaseError("The database \(path) is closed.", unavailable: true)
        }
        let reader = try idle.withLock { $0.popLast() } ?? SQLiteReader(path: path)
        defer { give(back: reader) }
        return try body(reader)
    }

    private func give(back reader: SQLiteReader) {
        let kept =
            !closed.load(ordering: .acquiring)
            && idle.withLock { idle in
                guard idle.count < keep else { return false }
                idle.append(reader)
                return true
            }
        if !kept { reader.close() }
    }

    /// Closes the idle connections; a read still running closes its own when it ends.
    func close() {
        closed.store(true, ordering: .releasing)
        for reader in idle.withLock({ idle in
            defer { idle = [] }; return idle
        }) { reader.close() }
    }
}

/// One reader connection and its prepared statements. Used by one thread at a time: ``SQLiteReaders`` hands it
/// out to one caller and takes it back.
final class SQLiteReader: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: (statement: OpaquePointer, columns: SQLiteReadRow.Columns)] = [:]
    /// Statements kept prepared; a connection that meets more distinct queries starts its cache again.
    private static let maxStatements = 128

    /// Opens a connection to `path` that waits up to 5 s for a lock; errors name the file and `purpose`.
    static func open(_ path: String, flags: Int32, purpose: String) throws -> OpaquePointer {
        var handle: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0).map { String(cString: $0) } }
            sqlite_nio_sqlite3_close(handle)
            throw DatabaseError("Cannot open \(path) \(purpose): \(message ?? "SQLite error \(status)")")
        }
        sqlite_nio_sqlite3_busy_timeout(handle, 5000)
        return handle
    }

    init(path: String) throws {
        let handle = try Self.open(path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, purpose: "for reading")
        self.handle = handle
        do {
            try SearchTokenizer.register(on: handle)
        } catch {
            sqlite_nio_sqlite3_close(handle)
            self.handle = nil
            throw error
        }
    }

    deinit { close() }

    /// What copies this connection's commits from the log into the database file (a writer's), when not SQLite's
    /// own rule.
    private var checkpointer: SQLiteCheckpointer?

    /// Leaves checkpoints after this connection's commits to `checkpointer`, until it closes.
    func checkpoint(with checkpointer: SQLiteCheckpointer) {
        guard let handle else { return }
        checkpointer.attach(to: handle)
        self.checkpointer = checkpointer
    }

    func close() {
        if let checkpointer, let handle { checkpointer.detach(from: handle) }
        checkpointer = nil
        for prepared in statements.values { sqlite_nio_sqlite3_finalize(prepared.statement) }
        statements = [:]
        if let handle { sqlite_nio_sqlite3_close(handle) }
        handle = nil
    }

    private var errorMessage: String {
        handle.flatMap { sqlite_nio_sqlite3_errmsg($0).map { String(cString: $0) } } ?? "no connection"
    }

    /// The prepared statement for `sql`, and the names of its columns.
    private func statement(for sql: String) throws -> (statement: OpaquePointer, columns: SQLiteReadRow.Columns) {
        if let prepared = statements[sql] {
            // A schema change may have given a `SELECT *` other columns: SQLite prepares it again by itself.
            if sqlite_nio_sqlite3_column_count(prepared.statement) == prepared.columns.names.count { return prepared }
            let columns = Self.columns(of: prepared.statement)
            statements[sql] = (prepared.statement, columns)
            return (prepared.statement, columns)
        }
        guard let handle else { throw DatabaseError("The connection is closed.", unavailable: true) }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(
            handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw DatabaseError(errorMessage) }
        if statements.count >= Self.maxStatements {
            for old in statements.values { sqlite_nio_sqlite3_finalize(old.statement) }
            statements = [:]
        }
        let prepared = (statement: statement, columns: Self.columns(of: statement))
        statements[sql] = prepared
        return prepared
    }

    private static func columns(of statement: OpaquePointer) -> SQLiteReadRow.Columns {
        SQLiteReadRow.Columns(
            names: (0..<sqlite_nio_sqlite3_column_count(statement)).map {
                String(cString: sqlite_nio_sqlite3_column_name(statement, $0))
            })
    }

    /// Runs `sql` with `binds`, calling `onRow` for each row.
    func run(_ sql: String, _ binds: [SQLiteData], onRow: (any SQLRow) -> Void) throws {
        let (statement, columns) = try statement(for: sql)
        // Reset at the end whatever happens: a statement left mid-way would keep its read snapshot. The bindings
        // are not cleared (each run binds every parameter again): since SQLite 3.54 clearing them makes a
        // statement with `LIMIT ?` be prepared again on its next run.
        defer { sqlite_nio_sqlite3_reset(statement) }
        try bind(binds, to: statement)
        let count = Int32(columns.names.count)
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw DatabaseError(errorMessage) }
            var values: [SQLiteData] = []
            values.reserveCapacity(Int(count))
            for index in 0..<count { values.append(Self.value(of: statement, at: index)) }
            onRow(SQLiteReadRow(columns: columns, values: values))
        }
    }

    private func bind(_ binds: [SQLiteData], to statement: OpaquePointer) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .integer(let number): status = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
            case .float(let number): status = sqlite_nio_sqlite3_bind_double(statement, index, number)
            case .null: status = sqlite_nio_sqlite3_bind_null(statement, index)
            case .text(let text):
                status = sqlite_nio_sqlite3_bind_text64(
                    statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
            case .blob(let buffer):
                status = buffer.withUnsafeReadableBytes { bytes in
                    sqlite_nio_sqlite3_bind_blob64(statement, index, bytes.baseAddress, UInt64(bytes.count), transient)
                }
            }
            guard status == SQLITE_OK else { throw DatabaseError(errorMessage) }
        }
    }

    private static func value(of statement: OpaquePointer, at index: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            guard let blob = sqlite_nio_sqlite3_column_blob(statement, index), length > 0 else {
                return .blob(ByteBuffer())
            }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: blob, count: length)))
        default: return .null
        }
    }
}

/// SQLite's "copy the value now" destructor.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A row read by ``SQLiteReader``: its values, and the column names shared by all rows of the query.
struct SQLiteReadRow: SQLRow {
    /// A query's column names, kept with its prepared statement.
    final class Columns: Sendable {
        let names: [String]
        let index: [String: Int]
        /// The column after the one last found: repositories read a row's columns mostly in the order the query
        /// names them, so the next name is usually here and is found by one comparison instead of a hash. (Only
        /// a guess, always checked; atomic because rows of one statement may be read on several threads.)
        private let next = Atomic<Int>(0)

        /// Columns whose name an earlier column has: the first of two equal names wins, as in SQLiteNIO.
        private let shadowed: [Bool]

        init(names: [String]) {
            self.names = names
            let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            self.index = index
            self.shadowed = names.indices.map { index[names[$0]] != $0 }
        }

        func position(of name: String) -> Int? {
            let guess = next.load(ordering: .relaxed)
            let found: Int
            if guess < names.count, !shadowed[guess], names[guess] == name {
                found = guess
            } else if guess > 0, guess <= names.count, !shadowed[guess - 1], names[guess - 1] == name {
                // The column just read, read again: an optional value is asked whether it is null, then read.
                found = guess - 1
            } else {
                guard let position = index[name] else { return nil }
                found = position
            }
            next.store(found + 1, ordering: .relaxed)
            return found
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.index[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.position(of: column) else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let index = columns.position(of: column) else {
            throw DatabaseError("No column \(column) in the result.")
        }
        let value = values[index]
        // The types the repositories read, without a decoder; anything else as SQLiteKit decodes it.
        switch value {
        // (A type compared with `==` is that type, so the bit casts below only change the static type.)
        case .integer(let number):
            if D.self == Int64.self { return unsafeBitCast(Int64(number), to: D.self) }
            if D.self == Int.self { return unsafeBitCast(number, to: D.self) }
            if D.self == Bool.self { return unsafeBitCast(number != 0, to: D.self) }
            if D.self == Double.self { return unsafeBitCast(Double(number), to: D.self) }
        case .text(let text):
            if D.self == String.self { return unsafeBitCast(text, to: D.self) }
        case .float(let number):
            if D.self == Double.self { return unsafeBitCast(number, to: D.self) }
        case .null, .blob: break
        }
        return try SQLiteDataDecoder().decode(D.self, from: value)
    }
}

/// The ``SQLDatabase`` face of ``SQLiteReaders``: SQLKit queries serialised in SQLite's dialect and run on a reader
/// connection, or on the one writer connection inside a write transaction (``Database/transaction(_:)``, which
/// holds the write lock, so one task at a time uses it).
struct SQLiteReadDatabase: SQLDatabase {
    enum Source {
        case readers(SQLiteReaders)
        case writer(SQLiteReader)
    }

    let source: Source
    let logger: Logger

    init(readers: SQLiteReaders, logger: Logger) {
        self.source = .readers(readers)
        self.logger = logger
    }

    init(writer: SQLiteReader, logger: Logger) {
        self.source = .writer(writer)
        self.logger = logger
    }

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        let encoder = SQLiteDataEncoder()
        let values = try binds.map { try encoder.encode($0) }
        // As SQLiteKit logs a query (the same message and metadata), at debug level.
        logger.debug(
            "Executing query", metadata: ["sql": .string(sql), "binds": .array(values.map { .string("\($0)") })])
        switch source {
        case .readers(let readers): try readers.withReader { try $0.run(sql, values, onRow: onRow) }
        case .writer(let writer): try writer.run(sql, values, onRow: onRow)
        }
    }
}
