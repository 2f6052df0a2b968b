import Synchronization

/// A bounded cache of what was worked out for a word, safe to use from any thread.
///
/// It is split into shards with a lock each, so threads analysing texts at once seldom wait for one another. Each
/// shard keeps two generations: when the newer one is full it becomes the older one and the previous older one is
/// dropped; a word found in the older generation moves to the newer one. So it never holds more than `limit` words,
/// and the words in use stay.
final class WordCache<Value: Sendable>: Sendable {
    private let shards: [WordCacheShard<Value>]

    /// A cache of at most `limit` words.
    init(limit: Int, shards count: Int = 16) {
        shards = (0..<max(1, count)).map { _ in WordCacheShard(limit: max(2, limit / max(1, count))) }
    }

    /// The value for `word` (compared byte for byte), made by `make` and kept when it is not held yet.
    func value(for word: String, make: () -> Value) -> Value {
        let key = WordKey(word: word)
        let shard = shards[Int(UInt(bitPattern: key.hash) % UInt(shards.count))]
        if let cached = shard.generations.withLock({ $0.value(for: key) }) { return cached }
        let value = make()
        shard.generations.withLock { $0.store(value, for: key) }
        return value
    }
}

/// One shard of a ``WordCache``, with its own lock.
private final class WordCacheShard<Value: Sendable>: Sendable {
    let generations: Mutex<Generations<Value>>

    init(limit: Int) { generations = Mutex(Generations(limit: limit)) }
}

/// The two generations of a shard.
private struct Generations<Value> {
    private let generationLimit: Int
    private var newer: [WordKey: Value] = [:]
    private var older: [WordKey: Value] = [:]

    init(limit: Int) { generationLimit = max(1, limit / 2) }

    mutating func value(for key: WordKey) -> Value? {
        if let value = newer[key] { return value }
        guard let value = older.removeValue(forKey: key) else { return nil }
        store(value, for: key)
        return value
    }

    mutating func store(_ value: Value, for key: WordKey) {
        if newer.count >= generationLimit {
            older = newer
            newer = [:]
        }
        newer[key] = value
    }
}

/// A word as a dictionary key compared byte by byte: exact for the words it is used with (as written, or already
/// NFC), and it spares `String`'s Unicode-aware hashing and comparison. Its bytes are hashed once (the shard and the
/// dictionary both use that hash).
private struct WordKey: Hashable {
    let word: String
    let hash: Int

    init(word: String) {
        self.word = word
        hash = ByteSearch.hashBytes(word)
    }

    static func == (lhs: WordKey, rhs: WordKey) -> Bool {
        lhs.hash == rhs.hash && ByteSearch.sameBytes(lhs.word, rhs.word)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
