import Synchronization

/// How busy a ``Database`` is, for `/metrics`: reads and transactions since it was opened, and those running now.
/// On SQLite, transactions running includes those waiting for the one writer; on PostgreSQL, both include those
/// waiting for a pooled connection.
public final class DatabaseActivity: Sendable {
    private let readsStarted = Atomic<Int>(0)
    private let readsEnded = Atomic<Int>(0)
    private let transactionsStarted = Atomic<Int>(0)
    private let transactionsEnded = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)

    init() {}

    /// A moment's counts.
    public struct Snapshot: Sendable, Equatable {
        public var reads: Int
        public var readsInFlight: Int
        public var transactions: Int
        public var transactionsInFlight: Int
        /// Reads and transactions that threw (a query's error, a lost connection, a refused write).
        public var failures: Int
    }

    public var snapshot: Snapshot {
        let readsEnded = readsEnded.load(ordering: .relaxed)
        let transactionsEnded = transactionsEnded.load(ordering: .relaxed)
        let reads = readsStarted.load(ordering: .relaxed)
        let transactions = transactionsStarted.load(ordering: .relaxed)
        return Snapshot(
            reads: reads, readsInFlight: max(0, reads - readsEnded), transactions: transactions,
            transactionsInFlight: max(0, transactions - transactionsEnded), failures: failures.load(ordering: .relaxed))
    }

    func read<T>(_ body: () async throws -> T) async throws -> T {
        readsStarted.add(1, ordering: .relaxed)
        defer { readsEnded.add(1, ordering: .relaxed) }
        do { return try await body() } catch {
            failures.add(1, ordering: .relaxed)
            throw error
        }
    }

    func transaction<T>(_ body: () async throws -> T) async throws -> T {
        transactionsStarted.add(1, ordering: .relaxed)
        defer { transactionsEnded.add(1, ordering: .relaxed) }
        do { return try await body() } catch {
            failures.add(1, ordering: .relaxed)
            throw error
        }
    }
}
