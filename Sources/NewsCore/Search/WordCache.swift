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
        let hash = WordHash.hash(bytes)
        // The shard by the hash's high bits: the tables use the low ones.
        let shard = shards[Int((UInt(bitPattern: hash) >> 40) % UInt(shards.count))]
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

/// The two generations of a shard.
private struct Generations<Value: Sendable> {
    private let generationLimit: Int
    private var newer: WordTable<Value>
    private var older: WordTable<Value>

    init(limit: Int) {
        generationLimit = max(1, limit / 2)
        newer = WordTable(holding: generationLimit)
        older = WordTable(holding: 0)
    }

    mutating func value(hash: Int, bytes: UnsafeRawBufferPointer) -> Value? {
        if let value = newer.value(hash: hash, bytes: bytes) { return value }
        // A word of the older generation is still in use: it moves to the newer one (its old slot goes with the
        // older generation).
        guard let value = older.value(hash: hash, bytes: bytes) else { return nil }
        store(value, for: String(decoding: bytes, as: UTF8.self), hash: hash)
        return value
    }

    mutating func store(_ value: Value, for word: String, hash: Int) {
        if newer.count >= generationLimit {
            older = newer
            newer = WordTable(holding: generationLimit)
        }
        newer.insert(value, for: word, hash: hash)
    }
}

/// A table of words by the hash of their bytes, open addressing with linear probing at most half full: a lookup
/// reads hashes from one array and compares a word's bytes only when the hashes are equal.
private struct WordTable<Value: Sendable> {
    private var hashes: [Int]
    private var words: [String]
    private var values: [Value?]
    private let mask: Int
    private(set) var count = 0

    /// Probes a lookup makes at most: past them a word counts as absent (and is not kept), so even words made to
    /// collide cost a bounded time.
    private static var maxProbes: Int { 32 }

    init(holding limit: Int) {
        var capacity = 8
        while capacity < limit * 2 { capacity <<= 1 }
        hashes = Array(repeating: 0, count: capacity)
        words = Array(repeating: "", count: capacity)
        values = Array(repeating: nil, count: capacity)
        mask = capacity - 1
    }

    /// Hashes are never 0 here: 0 marks an empty slot.
    private static func stored(_ hash: Int) -> Int { hash == 0 ? 1 : hash }

    func value(hash: Int, bytes: UnsafeRawBufferPointer) -> Value? {
        let hash = Self.stored(hash)
        var slot = hash & mask
        for _ in 0..<Self.maxProbes {
            let found = hashes[slot]
            if found == 0 { return nil }
            if found == hash, Self.same(words[slot], bytes) { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    mutating func insert(_ value: Value, for word: String, hash: Int) {
        let hash = Self.stored(hash)
        var slot = hash & mask
        for _ in 0..<Self.maxProbes {
            let found = hashes[slot]
            if found == 0 {
                hashes[slot] = hash
                words[slot] = word
                values[slot] = value
                count += 1
                return
            }
            if found == hash, ByteSearch.sameBytes(words[slot], word) {
                values[slot] = value
                return
            }
            slot = (slot + 1) & mask
        }
    }

    private static func same(_ word: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        word.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == bytes.count
                && (stored.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        } ?? false
    }
}

/// A fast hash of a word's bytes, seeded per process (as `Hasher` is): eight bytes a step, then mixed.
enum WordHash {
    private static let seed: UInt64 = {
        var hasher = Hasher()
        hasher.combine(0x5368_7061_6C74_61)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }()

    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= bytes.count {
            let chunk = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash = (hash ^ (chunk &* 0xBF58_476D_1CE4_E5B9)).rotateLeft(27) &* 0x94D0_49BB_1331_11EB
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for index in offset..<bytes.count { tail = tail << 8 | UInt64(bytes[index]) }
            hash = (hash ^ (tail &* 0xBF58_476D_1CE4_E5B9)).rotateLeft(27) &* 0x94D0_49BB_1331_11EB
        }
        // Finish as SplitMix64 does, so every input bit reaches the low bits the table uses.
        hash ^= hash >> 30
        hash &*= 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 27
        hash &*= 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        return Int(bitPattern: UInt(hash))
    }
}

extension UInt64 {
    fileprivate func rotateLeft(_ count: UInt64) -> UInt64 { self << count | self >> (64 - count) }
}
