import Logging
import PostgresNIO
import SQLKit

extension Database {
    /// The PostgreSQL channel that every transaction recording a change event notifies (``ChangeLog``).
    static let changeChannel = "shpalta_changes"

    /// Whether this database can tell other processes' committed changes as they happen (PostgreSQL's LISTEN).
    public var notifiesChanges: Bool { postgresConfiguration != nil }

    /// Follows the change notifications of every process writing to this PostgreSQL database, on a connection of
    /// its own, until the task is cancelled: `notified` runs after each commit that recorded change events (one
    /// notification a transaction), `listening` with `true` once the connection listens and `false` when it is
    /// lost. A lost connection is opened again after `retry`. On SQLite it returns at once: nothing notifies there,
    /// and other processes' changes are found by polling.
    public func followChanges(
        retry: Duration = .seconds(1), listening: @Sendable (Bool) -> Void, notified: @Sendable () -> Void
    ) async {
        guard let configuration = postgresConfiguration else { return }
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 1, logger: logger)
                do {
                    try await connection.listen(on: Self.changeChannel) { notifications in
                        listening(true)
                        for try await _ in notifications { notified() }
                    }
                } catch {
                    if !Task.isCancelled {
                        logger.warning("The change notifications stopped", metadata: ["error": "\(error)"])
                    }
                }
                listening(false)
                try? await connection.close()
            } catch {
                listening(false)
                if !Task.isCancelled {
                    logger.warning("Cannot listen for change notifications", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: retry)
        }
    }
}

extension ChangeLog {
    /// Tells the processes that listen (``Database/followChanges(retry:listening:notified:)``) that the transaction
    /// of `sql` records change events; PostgreSQL delivers it when the transaction commits, once however many events
    /// it holds. Nothing on SQLite.
    static func notifyListeners(in sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_notify(\(bind: Database.changeChannel), '')").run()
    }
}
