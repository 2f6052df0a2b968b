import Synchronization

/// A count of things in progress with a ceiling: ``enter()`` says no once `limit` are in, instead of waiting.
public final class ConcurrencyLimit: Sendable {
    private let count = Mutex(0)
    private let limit: Int

    /// Creates a limit of `limit` at once.
    public init(_ limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a place if one is free; pair every `true` with one ``leave()``.
    public func enter() -> Bool {
        count.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    /// Gives a place back.
    public func leave() {
        count.withLock { $0 -= 1 }
    }
}
