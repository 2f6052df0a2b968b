import Foundation
import Synchronization
import Testing

@testable import NewsCore

@Suite("The word cache")
struct WordCacheTests {
    @Test(
        "a word is made once, found by its bytes whether given as a string or a slice, and kept apart from look-alikes")
    func exact() {
        let cache = WordCache<Int>(limit: 100, shards: 4)
        let made = Mutex(0)
        func value(_ word: Substring) -> Int {
            cache.value(for: word) {
                made.withLock { $0 += 1 }
                return word.utf8.count
            }
        }
        let text = "Київ, Київ і «київ»"
        let words = text.split(whereSeparator: { !$0.isLetter })
        #expect(words.map(value) == [8, 8, 2, 8])
        #expect(made.withLock { $0 } == 3)  // "Київ" once, "і", "київ"
        #expect(cache.value(for: "Київ") { -1 } == 8)
        // The same letters in another normal form are other bytes: another word.
        let decomposed = "Киї\u{0306}в".decomposedStringWithCanonicalMapping
        #expect(cache.value(for: decomposed) { -2 } == -2)
    }

    @Test("it holds at most its limit: the oldest words are made again, the words in use stay")
    func bounded() {
        let cache = CountingCache(WordCache<String>(limit: 20, shards: 1))
        for index in 0..<100 {
            _ = cache.value("слово\(index)")
            _ = cache.value("часте")  // used all the time: never made again
        }
        #expect(cache.made == 101)
        _ = cache.value("слово0")  // long gone
        #expect(cache.made == 102)
        _ = cache.value("слово99")  // recent
        #expect(cache.made == 102)
    }

    @Test("ten thousand words through a small cache: each lookup gives its own word's value, the recent ones stay")
    func manyWords() {
        let cache = CountingCache(WordCache<String>(limit: 64, shards: 2))
        // Words of every length around the hash's 8-byte steps, Cyrillic and Latin, many sharing their first bytes.
        let words = (0..<10_000).map { index in
            String(repeating: index % 2 == 0 ? "ж" : "q", count: index % 19) + String(index)
        }
        for word in words { #expect(cache.value(word) == word.uppercased()) }
        #expect(cache.made == words.count)
        for word in words.suffix(8) { #expect(cache.value(word) == word.uppercased()) }
        #expect(cache.made == words.count)
    }

    @Test("threads share it safely")
    func concurrent() async {
        let cache = WordCache<String>(limit: 1000)
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<8 {
                group.addTask {
                    for index in 0..<2000 {
                        let word = "w\((index * 7 + thread) % 1500)"
                        #expect(cache.value(for: word) { word.uppercased() } == word.uppercased())
                    }
                }
            }
        }
    }
}

/// A word cache whose values are the words in capitals, counting how many it had to make.
private final class CountingCache: Sendable {
    let cache: WordCache<String>
    private let count = Mutex(0)

    init(_ cache: WordCache<String>) { self.cache = cache }

    var made: Int { count.withLock { $0 } }

    func value(_ word: String) -> String {
        cache.value(for: word) {
            count.withLock { $0 += 1 }
            return word.uppercased()
        }
    }
}
