import PostgresNIO
import Synchronization

/// Connections leased from PostgresNIO's pool within a time limit.
///
/// With the server gone (stopped, restarting, the network cut), the pool keeps trying to connect and holds every
/// request that asks for a connection until it gives up, after a minute. A reader or a journalist must hear within
/// seconds that the site cannot answer now (a 503 with `Retry-After`), so a request that has no connection within
/// ``limit`` is refused with an error that ``Database/isUnavailable(_:)`` recognises, and leaves the pool's queue.
/// Only the wait is limited: a statement that runs long on a leased connection is not cut.
enum PostgresLease {
    /// How long a request waits for a connection: the pool's own time limit for opening one.
    static let limit: Duration = .seconds(5)

    /// Runs `body` on a connection of `client`'s pool, or throws an unavailable ``DatabaseError`` when no connection
    /// is free within `limit`; `body` then never runs.
    static func with<T: Sendable>(
        _ client: PostgresClient, within limit: Duration = limit,
        _ body: @Sendable (PostgresLeasedConnection) async throws -> T
    ) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            let state = LeaseState()
            return try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
                group.addTask {
                    try await client.withConnection { pooled in
                        let connection = PostgresLeasedConnection(pooled)
                        // Leased after the time ran out: the caller has been told so, and nothing runs.
                        guard state.lease() else { throw unavailable(limit) }
                        // Closed under the pool (the network lost): queries on it might never be answered.
                        guard !connection.isClosed else {
                            throw DatabaseError("The pooled PostgreSQL connection was closed", unavailable: true)
                        }
                        return .value(try await body(connection))
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: limit)
                    if !Task.isCancelled, state.expire() { throw unavailable(limit) }
                    return .timerDone
                }
                while let next = try await group.next() {
                    if case .value(let value) = next {
                        group.cancelAll()
                        return value
                    }
                }
                throw CancellationError()
            }
        }
    }

    private static func unavailable(_ limit: Duration) -> DatabaseError {
        DatabaseError("No PostgreSQL connection became free within \(limit)", unavailable: true)
    }

    private enum Outcome<T: Sendable>: Sendable {
        case value(T)
        case timerDone
    }

    /// Whether the work got its connection or the time ran out first: whichever comes first decides.
    private final class LeaseState: Sendable {
        private static let waiting: UInt8 = 0
        private static let leased: UInt8 = 1
        private static let expired: UInt8 = 2
        private let state = Atomic<UInt8>(waiting)

        /// The connection came: true unless the time had already run out.
        func lease() -> Bool {
            state.compareExchange(expected: Self.waiting, desired: Self.leased, ordering: .acquiringAndReleasing)
                .exchanged
        }

        /// The time ran out: true unless the connection had already come.
        func expire() -> Bool {
            state.compareExchange(expected: Self.waiting, desired: Self.expired, ordering: .acquiringAndReleasing)
                .exchanged
        }
    }
}
