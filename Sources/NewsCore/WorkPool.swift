import Dispatch
import Synchronization

/// A few threads of its own for CPU-heavy work that readers must not wait behind, with a bounded queue.
///
/// Swift's cooperative pool has one thread per core: a password hash (bcrypt, a quarter of a second) or a
/// long text analysis run there stalls every request scheduled behind it. Work sent here runs on the pool's own
/// threads, at most `threads` at once; when `maxWaiting` jobs already wait, ``run(_:)`` refuses at once with
/// ``Busy`` instead of queueing without end.
public final class WorkPool: Sendable {
    /// Thrown when the queue is full; the caller answers 429 or 503.
    public struct Busy: Error, Equatable {}

    private let queues: [DispatchQueue]
    /// Jobs sent to each queue and not finished.
    private let pending: Mutex<[Int]>
    private let capacity: Int

    /// Creates a pool.
    /// - Parameters:
    ///   - name: shows in thread names.
    ///   - threads: how many jobs run at once.
    ///   - maxWaiting: how many more may wait; beyond that, ``run(_:)`` throws ``Busy``.
    public init(name: String, threads: Int, maxWaiting: Int) {
        let count = max(1, threads)
        queues = (0..<count).map { DispatchQueue(label: "shpalta.\(name).\($0)", qos: .userInitiated) }
        pending = Mutex(Array(repeating: 0, count: count))
        capacity = count + max(0, maxWaiting)
    }

    /// Runs `job` on one of the pool's threads and returns its result.
    /// - Parameters:
    ///   - queueing: when true, the job waits for a thread however full the queue is (for work nobody outside
    ///     can cause, such as an administrator setting a password); by default a full pool refuses.
    public func run<T: Sendable>(queueing: Bool = false, _ job: @escaping @Sendable () throws -> T) async throws -> T {
        // The queue with the fewest jobs, unless the pool is full.
        let index = try pending.withLock { counts -> Int in
            guard queueing || counts.reduce(0, +) < capacity else { throw Busy() }
            let index = counts.indices.min { counts[$0] < counts[$1] }!
            counts[index] += 1
            return index
        }
        defer { pending.withLock { $0[index] -= 1 } }
        return try await withCheckedThrowingContinuation { continuation in
            queues[index].async { continuation.resume(with: Result { try job() }) }
        }
    }

    /// Jobs running or waiting now.
    public var load: Int { pending.withLock { $0.reduce(0, +) } }
}
