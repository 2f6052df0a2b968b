import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// A PostgreSQL standby that readers' pages may be read from instead of the primary (`SHPALTA_DATABASE_REPLICA`).
///
/// A standby replays the primary's write-ahead log a little behind it. A page rendered from a standby that has not
/// yet replayed a change would go into the page cache after the change evicted it, and stay there stale. So the
/// standby answers only while it has replayed the primary's log up to ``required``: the primary's position when this
/// node last took in change events, raised before its caches are emptied (``ChangeDispatcher``). Until then, and
/// whenever the standby cannot be reached, reads go to the primary. Its replayed position is looked at every
/// ``interval``.
final class PostgresReplica: Sendable {
    let location: DatabaseLocation
    let client: PostgresClient
    /// How long a read waits for one of its connections before it goes to the primary instead.
    static let leaseLimit: Duration = .seconds(1)
    /// How often its replayed position is read.
    static let interval: Duration = .milliseconds(50)
    private let logger: Logger
    private let tasks: Mutex<[Task<Void, Never>]>
    /// The primary's log position (bytes) it must have replayed; the largest ever required.
    private let required = Atomic<Int64>(.max)
    /// Its replayed position when last read; -1 when it could not be read.
    private let replayed = Atomic<Int64>(-1)
    private let replicaReads = Atomic<Int>(0)
    private let primaryReads = Atomic<Int>(0)

    init(location: DatabaseLocation, client: PostgresClient, logger: Logger) {
        self.location = location
        self.client = client
        self.logger = logger
        tasks = Mutex([])
    }

    /// Starts its pool and the watch over its replayed position; `primaryPosition` is the primary's position now,
    /// which it must reach before it answers at all.
    func start(primaryPosition: Int64) {
        require(primaryPosition)
        let client = client
        let run = Task { await client.run() }
        let watch = Task { [self] in await watchPosition() }
        tasks.withLock { $0 = [run, watch] }
    }

    /// Raises the position it must have replayed to `position` (never lowers it).
    func require(_ position: Int64) {
        var current = required.load(ordering: .acquiring)
        while current == .max || position > current {
            let (exchanged, original) = required.compareExchange(
                expected: current, desired: position, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }

    /// Whether it has replayed everything this node's caches have been told of.
    var isCaughtUp: Bool {
        let replayed = replayed.load(ordering: .acquiring)
        return replayed >= 0 && replayed >= required.load(ordering: .acquiring)
    }

    /// Counts a read it answered, or one that went to the primary instead.
    func count(answered: Bool) {
        if answered {
            replicaReads.add(1, ordering: .relaxed)
        } else {
            primaryReads.add(1, ordering: .relaxed)
        }
    }

    /// A read found it gone: reads go to the primary until its position can be read again.
    func lost() {
        replayed.store(-1, ordering: .releasing)
    }

    /// The figures for `/metrics`.
    var status: ReplicaStatus {
        let replayed = replayed.load(ordering: .acquiring)
        let required = required.load(ordering: .acquiring)
        return ReplicaStatus(
            reads: replicaReads.load(ordering: .relaxed), readsOnPrimary: primaryReads.load(ordering: .relaxed),
            reachable: replayed >= 0,
            behindBytes: replayed >= 0 && required != .max ? max(0, required - replayed) : 0)
    }

    /// Stops the watch and closes its connections.
    func close() async {
        let tasks = self.tasks.withLock { $0 }
        for task in tasks { task.cancel() }
        for task in tasks { _ = await Deadline.run(within: .seconds(10)) { await task.value } }
    }

    /// The SQL of a position: a standby's replayed one, or the current one of a server that is not a standby.
    static let positionQuery: SQLQueryString = """
        SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END
            - '0/0'::pg_lsn)::bigint AS position
        """

    /// Reads the position of the server behind `sql`.
    static func position(in sql: any SQLDatabase) async throws -> Int64 {
        try await sql.raw(positionQuery).first()?.decode(column: "position", as: Int64?.self) ?? -1
    }

    private func watchPosition() async {
        var reachable = true
        while !Task.isCancelled {
            do {
                let position = try await PostgresLease.with(client, within: Self.leaseLimit) { connection in
                    try await Self.position(in: connection.sql)
                }
                replayed.store(position, ordering: .releasing)
                if !reachable {
                    reachable = true
                    logger.info("The read replica answers again", metadata: ["replica": "\(location)"])
                }
            } catch {
                replayed.store(-1, ordering: .releasing)
                if reachable, !Task.isCancelled {
                    reachable = false
                    logger.warning(
                        "The read replica cannot be reached; readers' pages are read from the primary",
                        metadata: ["replica": "\(location)", "error": "\(error)"])
                }
            }
            try? await Task.sleep(for: Self.interval)
        }
    }
}

/// How a read replica is used, for `/metrics`.
public struct ReplicaStatus: Sendable, Equatable {
    /// Reads it answered.
    public var reads: Int
    /// Reads that could have gone to it and went to the primary: it was behind or could not be reached.
    public var readsOnPrimary: Int
    /// Whether its position could be read when last looked at.
    public var reachable: Bool
    /// How many bytes of the primary's log it still has to replay to answer.
    public var behindBytes: Int64
}
