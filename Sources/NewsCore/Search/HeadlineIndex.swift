/// The index terms of published headlines, in memory: what the search box's suggestions ask as the reader types
/// ("the newest headlines with these words, the last one perhaps only begun"), answered without a query.
///
/// Each story is kept with its publication time (in milliseconds) and its headline's terms, as the search index
/// stores them. The stories are held newest first, each term has the list of stories whose headline holds it, and
/// the terms are also held in byte order, so the terms a typed start begins are one run of that order.
///
/// A question is answered one of two ways, whichever reads less:
/// - the stories newest first, each tested against every word, until enough are found (a word that many headlines
///   hold is found among the first few hundred);
/// - every story of the word that the fewest headlines hold, tested against the other words, then ordered.
public struct HeadlineIndex: Sendable {
    /// A story: its place in time and its run of terms in ``pool``.
    struct Entry: Sendable {
        var id: Int64
        var publishedAt: Int64
        var start: Int32
        var count: Int32
    }

    /// The stories, each in a slot of its own; the slots of removed stories are reused.
    private var slots: [Entry] = []
    /// The slots no story holds.
    private var free: [Int32] = []
    /// The stories' slots, newest first (then by id, highest first).
    private var order: [Int32] = []
    /// Each story's slot, by its id.
    private var slotOf: [Int64: Int32] = [:]
    /// The stories' term runs, one after another; the runs of stories removed since the last compaction are unused.
    private var pool: [UInt32] = []
    /// How many of ``pool``'s terms belong to stories held now.
    private var used = 0
    /// Each term's text, by its number.
    private var words: [String] = []
    /// Each term's number, by its text.
    private var numbers: [String: UInt32] = [:]
    /// The terms' numbers in the byte order of their text.
    private var ordered: [UInt32] = []
    /// The slots of the stories whose headline has each term, by the term's number (in no order).
    private var postings: [[Int32]] = []

    /// How many stories a question tests newest first before it takes the stories of its rarest word instead.
    static let walk = 4096

    /// An empty index.
    public init() {}

    /// An index of `stories`, each an id, a publication time and its headline's terms.
    public init(_ stories: [(id: Int64, publishedAt: Int64, terms: [String])]) {
        var builder = Builder()
        builder.add(stories)
        self = builder.build()
    }

    /// Builds an index from many stories, added in batches, in any order, and put in order once at the end.
    public struct Builder: Sendable {
        private var building = HeadlineIndex()

        /// An empty index.
        public init() {}

        /// Adds `stories` (a story added before is kept as it was first added).
        public mutating func add(_ stories: [(id: Int64, publishedAt: Int64, terms: [String])]) {
            building.slots.reserveCapacity(building.slots.count + stories.count)
            for story in stories where building.slotOf[story.id] == nil {
                let slot = Int32(building.slots.count)
                let entry = building.append(story.id, story.publishedAt, story.terms, slot: slot, keepOrder: false)
                building.slots.append(entry)
                building.slotOf[story.id] = slot
            }
        }

        /// The index of the stories added.
        public func build() -> HeadlineIndex {
            var index = building
            let slots = index.slots
            index.order = Array(0..<Int32(slots.count))
            index.order.sort { HeadlineIndex.newer(slots[Int($0)], slots[Int($1)]) }
            let words = index.words
            index.ordered = Array(0..<UInt32(words.count))
            index.ordered.sort { HeadlineIndex.precedes(words[Int($0)], words[Int($1)]) }
            // Grown a story at a time, the arrays hold up to twice what they need (about 10 MB at 100,000 stories).
            index.pool = index.pool.withUnsafeBufferPointer { Array($0) }
            index.postings = index.postings.map { list in list.withUnsafeBufferPointer { Array($0) } }
            return index
        }
    }

    /// How many stories it holds.
    public var count: Int { order.count }

    /// How many distinct terms its headlines have had, and how many terms its stories hold in all.
    public var size: (terms: Int, postings: Int) { (words.count, used) }

    /// Adds the story `id`, or replaces what is held for it.
    public mutating func update(id: Int64, publishedAt: Int64, terms: [String]) {
        remove(id: id)
        let slot = free.popLast() ?? Int32(slots.count)
        let entry = append(id, publishedAt, terms, slot: slot, keepOrder: true)
        if Int(slot) == slots.count { slots.append(entry) } else { slots[Int(slot)] = entry }
        order.insert(slot, at: place(of: entry))
        slotOf[id] = slot
    }

    /// Forgets the story `id` (nothing when it is not held).
    public mutating func remove(id: Int64) {
        guard let slot = slotOf.removeValue(forKey: id) else { return }
        let entry = slots[Int(slot)]
        let index = place(of: entry)
        if index < order.count, order[index] == slot { order.remove(at: index) }
        for term in pool[Int(entry.start)..<Int(entry.start + entry.count)] {
            if let at = postings[Int(term)].firstIndex(of: slot) {
                postings[Int(term)].swapAt(at, postings[Int(term)].count - 1)
                postings[Int(term)].removeLast()
            }
        }
        slots[Int(slot)].count = 0
        free.append(slot)
        used -= Int(entry.count)
        if pool.count > 4096, pool.count > 2 * used { compact() }
    }

    /// The ids of the newest stories, published at `now` or before, whose headline has, for each of `words`, one of
    /// its terms, and, when `start` is not empty, a term that begins with one of `start` or is one of `last`; at
    /// most `limit`. Nothing when there is no word at all.
    public func newest(words: [[String]], start: [String], last: [String], now: Int64, limit: Int) -> [Int64] {
        guard limit > 0 else { return [] }
        var groups: [TermGroup] = []
        for word in words {
            groups.append(group(exactly: word))
        }
        if !start.isEmpty { groups.append(group(beginning: start, exactly: last)) }
        guard !groups.isEmpty, groups.allSatisfy({ $0.stories > 0 }) else { return [] }
        let rarest = groups.indices.min { groups[$0].stories < groups[$1].stories }!
        let test = Matcher(groups)
        return pool.withUnsafeBufferPointer { pool in
            // Newest first costs about `limit` stories for each one that has every word (taking the words as
            // independent: a share of `stories / count` of the headlines has each); the rarest word's stories cost
            // one each.
            let share = groups.reduce(1.0) { $0 * min(1, Double($1.stories) / Double(max(1, order.count))) }
            if Double(limit) < share * Double(groups[rarest].stories) {
                var found: [Int64] = []
                var index = firstPublished(by: now)
                let end = min(order.count, index + Self.walk)
                while index < end {
                    let entry = slots[Int(order[index])]
                    if test.matches(entry, in: pool) {
                        found.append(entry.id)
                        if found.count == limit { return found }
                    }
                    index += 1
                }
                if end == order.count { return found }
            }
            var candidates: [Entry] = []
            for term in groups[rarest].terms {
                for slot in postings[Int(term)] {
                    let entry = slots[Int(slot)]
                    if entry.publishedAt <= now, test.matches(entry, in: pool) { candidates.append(entry) }
                }
            }
            candidates.sort(by: Self.newer)
            var found: [Int64] = []
            // A story whose headline has two of the rarest word's terms is among the candidates twice, side by side.
            for entry in candidates where found.last != entry.id {
                found.append(entry.id)
                if found.count == limit { break }
            }
            return found
        }
    }

    /// The words of a question as one flat run of bit sets, one after another, for testing stories quickly.
    struct Matcher {
        let bits: [UInt64]
        let stride: Int
        let groups: Int

        init(_ groups: [TermGroup]) {
            stride = groups.first?.bits.count ?? 0
            self.groups = groups.count
            bits = groups.flatMap(\.bits)
        }

        /// Whether the story's headline has a term of every word.
        func matches(_ entry: Entry, in pool: UnsafeBufferPointer<UInt32>) -> Bool {
            bits.withUnsafeBufferPointer { bits in
                let terms = UnsafeBufferPointer(rebasing: pool[Int(entry.start)..<Int(entry.start + entry.count)])
                var base = 0
                for _ in 0..<groups {
                    var found = false
                    for term in terms where bits[base + Int(term >> 6)] & (UInt64(1) << UInt64(term & 63)) != 0 {
                        found = true
                        break
                    }
                    if !found { return false }
                    base += stride
                }
                return true
            }
        }
    }

    /// The terms of one word of a question, as a set to test stories against, and how many stories hold them.
    struct TermGroup {
        var terms: [UInt32] = []
        var bits: [UInt64]
        var stories = 0

        init(size: Int) { bits = Array(repeating: 0, count: (size + 63) / 64) }

        mutating func add(_ term: UInt32, stories count: Int) {
            let (word, bit) = (Int(term) >> 6, UInt64(1) << UInt64(term & 63))
            guard bits[word] & bit == 0 else { return }
            bits[word] |= bit
            terms.append(term)
            stories += count
        }

    }

    private func group(exactly terms: [String]) -> TermGroup {
        var group = TermGroup(size: words.count)
        for term in terms {
            if let number = numbers[term] { group.add(number, stories: postings[Int(number)].count) }
        }
        return group
    }

    private func group(beginning starts: [String], exactly terms: [String]) -> TermGroup {
        var group = self.group(exactly: terms)
        for start in starts where !start.isEmpty {
            var index = lowerBound(start)
            while index < ordered.count, words[Int(ordered[index])].utf8.starts(with: start.utf8) {
                group.add(ordered[index], stories: postings[Int(ordered[index])].count)
                index += 1
            }
        }
        return group
    }

    /// The place in ``order`` of the first story published at `now` or before.
    private func firstPublished(by now: Int64) -> Int {
        order.partitionPoint { slots[Int($0)].publishedAt > now }
    }

    /// Where `entry` is, or belongs, in ``order``.
    private func place(of entry: Entry) -> Int {
        order.partitionPoint { Self.newer(slots[Int($0)], entry) }
    }

    /// The first place in ``ordered`` whose term is not before `text`.
    private func lowerBound(_ text: String) -> Int {
        ordered.partitionPoint { Self.precedes(words[Int($0)], text) }
    }

    /// Numbers `terms` (each once), adding the new ones, and appends them to the pool and their postings.
    private mutating func append(
        _ id: Int64, _ publishedAt: Int64, _ terms: [String], slot: Int32, keepOrder: Bool
    ) -> Entry {
        let start = pool.count
        for term in terms where !term.isEmpty {
            let number: UInt32
            if let known = numbers[term] {
                number = known
                if pool[start...].contains(number) { continue }
            } else {
                number = UInt32(words.count)
                if keepOrder { ordered.insert(number, at: lowerBound(term)) }
                words.append(term)
                numbers[term] = number
                postings.append([])
            }
            pool.append(number)
            postings[Int(number)].append(slot)
        }
        used += pool.count - start
        return Entry(id: id, publishedAt: publishedAt, start: Int32(start), count: Int32(pool.count - start))
    }

    /// Copies the held stories' runs into a pool of their own, without the runs of removed stories.
    private mutating func compact() {
        var fresh: [UInt32] = []
        fresh.reserveCapacity(used)
        for slot in order {
            let entry = slots[Int(slot)]
            slots[Int(slot)].start = Int32(fresh.count)
            fresh.append(contentsOf: pool[Int(entry.start)..<Int(entry.start + entry.count)])
        }
        pool = fresh
    }

    /// Newest first, then the highest id.
    private static func newer(_ a: Entry, _ b: Entry) -> Bool {
        a.publishedAt != b.publishedAt ? a.publishedAt > b.publishedAt : a.id > b.id
    }

    /// Byte order (what both engines' prefix queries follow).
    private static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
