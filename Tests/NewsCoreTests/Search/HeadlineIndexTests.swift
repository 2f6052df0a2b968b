import NewsCore
import Testing

@Suite("Published headlines in memory, for the search box's suggestions")
struct HeadlineIndexTests {
    typealias Story = (id: Int64, publishedAt: Int64, terms: [String])

    /// What the index must answer, asked of every story in turn.
    static func expected(
        _ stories: [Int64: Story], words: [[String]], start: [String], last: [String], now: Int64, limit: Int
    ) -> [Int64] {
        guard !words.isEmpty || !start.isEmpty else { return [] }
        return stories.values.filter { story in
            story.publishedAt <= now
                && words.allSatisfy { word in word.contains(where: story.terms.contains) }
                && (start.isEmpty
                    || story.terms.contains { term in
                        last.contains(term) || start.contains { !$0.isEmpty && term.utf8.starts(with: $0.utf8) }
                    })
        }
        .sorted { $0.publishedAt != $1.publishedAt ? $0.publishedAt > $1.publishedAt : $0.id > $1.id }
        .prefix(limit).map(\.id)
    }

    @Test("newest first; every word in some form, the last one perhaps only begun; nothing not yet published")
    func answers() {
        var index = HeadlineIndex([
            (1, 100, ["путін", "відвідати", "північний", "корея"]),
            (2, 300, ["корея", "ракета"]),
            (3, 200, ["північний", "сяйво"]),
            (4, 900, ["корея", "північний"]),
        ])
        // Story 4 is published in the future (at 900): not by 500.
        #expect(index.newest(words: [], start: ["пів"], last: [], now: 500, limit: 5) == [3, 1])
        #expect(index.newest(words: [], start: ["пів"], last: [], now: 1000, limit: 5) == [4, 3, 1])
        #expect(index.newest(words: [["корея"]], start: ["пів"], last: [], now: 500, limit: 5) == [1])
        #expect(index.newest(words: [["корея"]], start: [], last: [], now: 500, limit: 1) == [2])
        // The last word as a whole term of its own that no other term starts.
        #expect(index.newest(words: [], start: ["ракети"], last: ["ракета"], now: 500, limit: 5) == [2])
        // A word no headline has; no words at all.
        #expect(index.newest(words: [["шпальтозавр"]], start: ["пів"], last: [], now: 500, limit: 5).isEmpty)
        #expect(index.newest(words: [], start: [], last: [], now: 500, limit: 5).isEmpty)
        // A new headline replaces the old; a story unpublished leaves.
        index.update(id: 3, publishedAt: 200, terms: ["південний", "сяйво"])
        #expect(index.newest(words: [], start: ["пів"], last: [], now: 500, limit: 5) == [3, 1])
        #expect(index.newest(words: [], start: ["півн"], last: [], now: 500, limit: 5) == [1])
        index.remove(id: 1)
        #expect(index.newest(words: [], start: ["півн"], last: [], now: 500, limit: 5).isEmpty)
        #expect(index.count == 3)
        index.remove(id: 1)
        #expect(index.count == 3)
    }

    @Test("answers as asking every story would, through updates, removals and both ways of answering")
    func asEveryStory() {
        var generator = SystemRandomNumberGenerator()
        let vocabulary = (0..<60).map { n in
            String("абвгґдежзик".randomElement(using: &generator)!) + "\(n % 7)" + String(repeating: "а", count: n % 3)
        }
        // Common terms ("a0" in many headlines) make questions that walk the newest stories; rare ones, questions
        // answered from one term's stories.
        func headline() -> [String] {
            (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                Bool.random(using: &generator)
                    ? vocabulary[Int.random(in: 0..<4, using: &generator)]
                    : vocabulary.randomElement(using: &generator)!
            }
        }
        var stories: [Int64: Story] = [:]
        for id in Int64(1)...3_000 {
            stories[id] = (id, Int64.random(in: 0...2_000, using: &generator), headline())
        }
        var index = HeadlineIndex(Array(stories.values))
        for round in 0..<400 {
            if round % 4 == 0 {
                let id = Int64.random(in: 1...3_200, using: &generator)
                if Bool.random(using: &generator) {
                    let story = (id, Int64.random(in: 0...2_000, using: &generator), headline())
                    stories[id] = story
                    index.update(id: story.0, publishedAt: story.1, terms: story.2)
                } else {
                    stories[id] = nil
                    index.remove(id: id)
                }
            }
            let words = (0..<Int.random(in: 0...2, using: &generator)).map { _ in
                (0..<Int.random(in: 1...2, using: &generator)).map { _ in vocabulary.randomElement(using: &generator)! }
            }
            let start =
                Bool.random(using: &generator) ? [String(vocabulary.randomElement(using: &generator)!.prefix(2))] : []
            let last = start.isEmpty ? [] : [vocabulary.randomElement(using: &generator)!]
            let now = Int64.random(in: 0...2_100, using: &generator)
            let limit = Int.random(in: 1...8, using: &generator)
            #expect(
                index.newest(words: words, start: start, last: last, now: now, limit: limit)
                    == Self.expected(stories, words: words, start: start, last: last, now: now, limit: limit),
                "\(words) \(start) \(last) \(now) \(limit)")
            #expect(index.count == stories.count)
        }
    }

    @Test("built in batches, in any order, as one at a time")
    func builder() {
        let stories: [Story] = (1...500).map { id in (Int64(id), Int64((id * 37) % 101), ["t\(id % 13)", "u\(id % 5)"])
        }
        var builder = HeadlineIndex.Builder()
        builder.add(Array(stories[250...]))
        builder.add(Array(stories[..<250]))
        let built = builder.build()
        var oneByOne = HeadlineIndex()
        for story in stories.reversed() {
            oneByOne.update(id: story.id, publishedAt: story.publishedAt, terms: story.terms)
        }
        for prefix in ["t", "t1", "u", "u3", "x"] {
            #expect(
                built.newest(words: [], start: [prefix], last: [], now: 100, limit: 20)
                    == oneByOne.newest(words: [], start: [prefix], last: [], now: 100, limit: 20))
        }
        #expect(built.count == 500)
        #expect(built.size.terms == 18)
    }
}
