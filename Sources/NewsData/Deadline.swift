import Synchronization

/// Runs work with a time limit that does not depend on the work noticing cancellation: `/readyz`'s look at the
/// database, and closing a PostgreSQL pool (``Database/close()``).
public enum Deadline {
    /// The result of `body`, or `nil` when it has not finished within `limit`.
    ///
    /// The answer comes at the limit even when `body` ignores cancellation (a database call stuck on a network that
    /// no longer answers): it is cancelled and left to finish on its own, and its late result is dropped.
    public static func run<T: Sendable>(within limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
        await withCheckedContinuation { continuation in
            let answer = Answer(continuation)
            let work = Task { answer.resume(with: await body()) }
            Task {
                try? await Task.sleep(for: limit)
                work.cancel()
                answer.resume(with: nil)
            }
        }
    }

    /// A continuation resumed once, by whichever of the work and the timer comes first.
    private final class Answer<T: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<T?, Never>?>

        init(_ continuation: CheckedContinuation<T?, Never>) {
            self.continuation = Mutex(continuation)
        }

        func resume(with value: T?) {
            continuation.withLock { $0.take() }?.resume(returning: value)
        }
    }
}
