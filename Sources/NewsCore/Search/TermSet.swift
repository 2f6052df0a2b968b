/// A set of terms kept by their 64-bit hashes (``TermKey``'s), in one flat table: for the words "did you mean" may
/// suggest, gathered from every story of an import or a reindex (millions of lookups).
///
/// `Set<TermKey>` hashed each key's hash again and compared the two terms' bytes on every hit, reading the term's
/// storage: a second cache miss per lookup. Here a lookup reads one slot of eight bytes. Two terms of the same hash
/// count as one, so a word could go unoffered to "did you mean" (about one pair in 2⁶⁴, and the word is still
/// searchable): never use it where a term must not be lost.
public struct TermSet: Sendable {
    /// Slots of hashes, 0 for empty; a power of two, at most half full.
    private var slots: [UInt64]
    public private(set) var count = 0

    public init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
    }

    /// Adds `key`; true when it was not there.
    @discardableResult
    public mutating func insert(_ key: TermKey) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        let hash = Self.stored(key.hash)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot == 0 {
                slots[index] = hash
                count += 1
                return true
            }
            if slot == hash { return false }
            index = (index + 1) & mask
        }
    }

    /// Whether `key` was added.
    public func contains(_ key: TermKey) -> Bool {
        let hash = Self.stored(key.hash)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { return false }
            if slot == hash { return true }
            index = (index + 1) & mask
        }
    }

    /// Empties the set, keeping its table.
    public mutating func removeAll() {
        for index in slots.indices { slots[index] = 0 }
        count = 0
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        count = 0
        let mask = slots.count - 1
        for hash in old where hash != 0 {
            var index = Int(truncatingIfNeeded: hash) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = hash
            count += 1
        }
    }

    /// The hash as stored: 0 marks an empty slot, so a hash of 0 is kept as 1.
    private static func stored(_ hash: Int) -> UInt64 {
        let value = UInt64(bitPattern: Int64(hash))
        return value == 0 ? 1 : value
    }
}
