import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A pooled PostgreSQL connection as a piece of work holds it: statements go to it only while it is open.
///
/// PostgresNIO (1.33) never answers a statement written to a connection that has already closed (the server gone,
/// the network cut): the statement's result is never completed, and its task waits forever, deaf to cancellation.
/// A request then never answers, and a service never stops. A connection can close at any moment between two
/// statements, so ``sql`` checks it on the connection's own event loop and, while it is still open, writes the
/// statement from there, before anything else on that loop can close it: once written, a closing connection fails
/// the statement as it should. A closed one fails it at once with an unavailable ``DatabaseError``.
struct PostgresLeasedConnection: Sendable {
    private let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// Whether the connection has closed under the pool.
    var isClosed: Bool { connection.isClosed }

    /// The connection for SQLKit's statements.
    var sql: any SQLDatabase { OpenConnectionSQL(connection: connection, base: connection.sql()) }

    /// Closes the connection (one the network lost in the middle of a transaction), so that it is never used again.
    func close() { _ = connection.close() as EventLoopFuture<Void> }
}

/// SQLKit's view of one connection that sends a statement only while the connection is open; see
/// ``PostgresLeasedConnection``.
private struct OpenConnectionSQL: SQLDatabase {
    let connection: PostgresConnection
    let base: any SQLDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        let loop = connection.eventLoop
        return loop.flatSubmit { [connection, base] in
            // On the connection's loop nothing can close it between this check and the statement's write.
            guard !connection.isClosed else {
                return loop.makeFailedFuture(
                    DatabaseError("The PostgreSQL connection was closed before the statement", unavailable: true))
            }
            return base.execute(sql: query, onRow)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let future: EventLoopFuture<Void> = execute(sql: query, onRow)
        try await future.get()
    }
}
