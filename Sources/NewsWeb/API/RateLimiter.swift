import Foundation
import Synchronization

/// Requests a minute per key, as token buckets: a key may spend its whole minute's allowance at once, then gets
/// one more request every `60 / perMinute` seconds. In memory, per node.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var at: Date
    }

    let perMinute: Int
    private let clock: @Sendable () -> Date
    private let buckets = Mutex<[Int64: Bucket]>([:])

    /// Creates a limiter allowing `perMinute` requests a minute to each key.
    init(perMinute: Int, clock: @escaping @Sendable () -> Date = Date.init) {
        self.perMinute = max(1, perMinute)
        self.clock = clock
    }

    /// Takes one request from `key`'s allowance: nil when it may go on, else the seconds to wait.
    func take(_ key: Int64) -> Int? {
        let now = clock()
        let capacity = Double(perMinute)
        let rate = capacity / 60
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, at: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.at)) * rate)
            bucket.at = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}
