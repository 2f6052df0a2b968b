import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bounded cache of what was worked out for a word, safe to use from any thread.
///
/// Words are compared byte for byte (exact for the words it is used with: as written, or already NFC), and a lookup
/// reads the word's bytes where they are, so a word already held costs no copy. It is split into shards with a lock
/// each, so threads analysing texts at once seldom wait for one another. Each shard keeps two generations: when the
/// newer one is full it becomes the older one and the previous older one is dropped; a word found in the older
/// generation moves to the newer one. So it never holds more than `limit` words, and the words in use stay.
final class WordCache<Value: Sendable>: Sendable {
    private let shards: [WordCacheShard<Value>]

    /// A cache of at most `limit` words.
    init(limit: Int, shards count: Int = 16) {
        shards = (0..<max(1, count)).map { _ in WordCacheShard(limit: max(2, limit / max(1, count))) }
    }

    /// The value for `word`, made by `make` and kept when it is not held yet.
    func value(for word: Substring, make: () -> Value) -> Value {
        if let found = word.utf8.withContiguousStorageIfAvailable({ value(for: UnsafeRawBufferPointer($0), make) }) {
            return found
        }
        return value(for: String(word), make: make)
    }

    /// The value for `word`, made by `make` and kept when it is not held yet.
    func value(for word: String, make: () -> Value) -> Value {
        var word = word
        return word.withUTF8 { value(for: UnsafeRawBufferPointer($0), make) }
    }

    private func value(for bytes: UnsafeRawBufferPointer, _ make: () -> Value) -> Value {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        let hash = hasher.finalize()
        let shard = shards[Int(UInt(bitPattern: hash) % UInt(shards.count))]
        if let cached = shard.generations.withLock({ $0.value(hash: hash, bytes: bytes) }) { return cached }
        let value = make()
        let key = String(decoding: bytes, as: UTF8.self)
        shard.generations.withLock { $0.store(value, for: key, hash: hash) }
        return value
    }
}

/// One shard of a ``WordCache``, with its own lock.
private final class WordCacheShard<Value: Sendable>: Sendable {
    let generations: Mutex<Generations<Value>>

    init(limit: Int) { generations = Mutex(Generations(limit: limit)) }
}

/// The two generations of a shard: words by the hash of their bytes (words with the same hash share a bucket).
private struct Generations<Value: Sendable> {
    typealias Entry = (word: String, value: Value)

    private let generationLimit: Int
    private var newer: [Int: [Entry]] = [:]
    private var newerCount = 0
    private var older: [Int: [Entry]] = [:]

    init(limit: Int) { generationLimit = max(1, limit / 2) }

    mutating func value(hash: Int, bytes: UnsafeRawBufferPointer) -> Value? {
        if let bucket = newer[hash], let entry = bucket.first(where: { Self.same($0.word, bytes) }) {
            return entry.value
        }
        guard var bucket = older[hash], let index = bucket.firstIndex(where: { Self.same($0.word, bytes) }) else {
            return nil
        }
        let entry = bucket.remove(at: index)
        older[hash] = bucket.isEmpty ? nil : bucket
        store(entry.value, for: entry.word, hash: hash)
        return entry.value
    }

    mutating func store(_ value: Value, for word: String, hash: Int) {
        if newerCount >= generationLimit {
            older = newer
            newer = [:]
            newerCount = 0
        }
        var bucket = newer[hash] ?? []
        if let index = bucket.firstIndex(where: { ByteSearch.sameBytes($0.word, word) }) {
            bucket[index].value = value
        } else {
            bucket.append((word, value))
            newerCount += 1
        }
        newer[hash] = bucket
    }

    private static func same(_ word: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var word = word
        return word.withUTF8 { stored in
            stored.count == bytes.count
                && (stored.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }
}
