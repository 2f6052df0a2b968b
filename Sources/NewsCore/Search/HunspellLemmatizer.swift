internal import CHunspell
import Foundation
import Synchronization

/// Hunspell with the Ukrainian dictionary (Debian `hunspell-uk`).
///
/// Loads the dictionary once per core (about 0.2 s each), is safe to use from any thread (a Hunspell handle is
/// not, so a call into one takes that handle's lock; a lookup takes whichever handle is free, so no thread
/// waits behind another's analysis while a core is idle) and caches the lemmas of up to `cacheLimit` word forms, so a word form costs one
/// Hunspell lookup however often it occurs. The cache is split into shards with a lock each, so threads analysing
/// texts at once seldom wait for one another.
///
/// Words are looked up in upper case first, which makes Hunspell try the lowercase, capitalised and upper case
/// entries ("києва" → "Київ", "оон" → "ООН"). What the dictionary does not link by itself is added:
/// - uk_UA lists some inflected forms of names as words of their own ("Путіна", "Путіну", "Путіним"), which
///   Hunspell gives back as their own lemma; names and such listed forms also get their ``UkrainianStemmer`` stem,
///   so that "путіна" and "путіну" meet at "путін";
/// - irregular forms of a few frequent words ("дітей" → "дитина", "може" → "могти", "очі" → "око");
/// - the perfective of a secondary imperfective verb ("відвідує" → "відвідувати", "відвідати").
public final class HunspellLemmatizer: Lemmatizer, Sendable {
    private let handles: [DictionaryHandle]
    private let cache: WordCache<[String]>
    private let next = Atomic<Int>(0)

    /// How many handles the shared analyser (``TextAnalyzer/shared``) loads, read when it is first used: one per
    /// core (at most 4) unless the program asks for fewer before. Each handle holds the whole dictionary, about
    /// 40 MB: the server, whose lookups the cache nearly always answers, takes one; imports and reindexing, which
    /// look up new words on every core at once, take one per core.
    public static let sharedHandles = Atomic<Int>(min(4, ProcessInfo.processInfo.activeProcessorCount))

    /// Loads the dictionary; nil when either file is missing or Hunspell cannot load them.
    ///
    /// - Parameters:
    ///   - cacheLimit: how many word forms the lemma cache holds at most.
    ///   - handles: how many Hunspell handles to load (one per core by default, at most 4).
    public init?(
        affixPath: String = "/usr/share/hunspell/uk_UA.aff",
        dictionaryPath: String = "/usr/share/hunspell/uk_UA.dic",
        cacheLimit: Int = 200_000,
        handles: Int = min(4, ProcessInfo.processInfo.activeProcessorCount)
    ) {
        let files = FileManager.default
        guard files.isReadableFile(atPath: affixPath), files.isReadableFile(atPath: dictionaryPath) else { return nil }
        var loaded: [DictionaryHandle] = []
        for _ in 0..<max(1, handles) {
            guard let dictionary = HunspellDictionary(affixPath: affixPath, dictionaryPath: dictionaryPath) else {
                return nil
            }
            loaded.append(DictionaryHandle(dictionary))
        }
        self.handles = loaded
        cache = WordCache(limit: cacheLimit)
    }

    /// Dictionary lemmas of a normalised lowercase word; empty when the dictionary does not know it.
    public func lemmas(of word: String) -> [String] {
        cache.value(for: word) { lookUp(word) }
    }
}

extension HunspellLemmatizer {
    /// Asks the first free handle; when every one is busy, waits for one in turn.
    private func lookUp(_ word: String) -> [String] {
        for handle in handles {
            if let lemmas = handle.dictionary.withLockIfAvailable({ $0.lemmas(of: word) }) { return lemmas }
        }
        let index = Int(UInt(bitPattern: next.wrappingAdd(1, ordering: .relaxed).newValue) % UInt(handles.count))
        return handles[index].dictionary.withLock { $0.lemmas(of: word) }
    }
}

/// One Hunspell handle with its own lock.
private final class DictionaryHandle: Sendable {
    let dictionary: Mutex<HunspellDictionary>

    init(_ dictionary: sending HunspellDictionary) { self.dictionary = Mutex(dictionary) }
}

/// An open Hunspell handle; not thread-safe (always used under its ``DictionaryHandle``'s lock).
private final class HunspellDictionary {
    /// Hunspell's limit on a word's length in bytes; longer words are never known.
    private static let maxWordBytes = 180

    private let handle: OpaquePointer

    init?(affixPath: String, dictionaryPath: String) {
        guard let handle = Hunspell_create(affixPath, dictionaryPath) else { return nil }
        self.handle = handle
        guard isKnown("і") else {
            Hunspell_destroy(handle)
            return nil
        }
    }

    deinit { Hunspell_destroy(handle) }

    func lemmas(of word: String) -> [String] {
        guard !word.isEmpty, word.utf8.count <= Self.maxWordBytes else { return [] }
        guard
            let form = [word.uppercased(), word, word.prefix(1).uppercased() + word.dropFirst()].first(where: isKnown)
        else { return [] }
        var lemmas: [String] = []
        func add(_ lemma: String) {
            if !lemma.isEmpty && !lemmas.contains(lemma) { lemmas.append(lemma) }
        }
        for stem in stems(of: form) { add(SearchTerm.clean(stem)) }
        // Known only as a compound of known words (uk_UA allows "X-Y" for any known X and Y): no lemma.
        if lemmas.isEmpty { return [] }

        if let lemma = LemmaSupplement.irregularLemmas[word] { add(lemma) }
        for lemma in lemmas {
            for perfective in LemmaSupplement.perfectiveCandidates(of: lemma) where isKnown(perfective.uppercased()) {
                add(perfective)
                break
            }
        }
        let stem = UkrainianStemmer.stem(word)
        if needsStem(word, stem: stem, lemmas: lemmas) { add(stem) }
        return lemmas
    }

    /// Whether the stem of `word` goes with its lemmas: for a word the dictionary knows only capitalised (a name,
    /// whose forms uk_UA may list on their own or mistake for another name's: "Путіна", "Буданова" → "Буданів"),
    /// and for a form listed as its own lemma in a hyphenated word ("Івано-Франківську" → "Івано-Франківську") or
    /// beside an adjective in -ський/-цький with the same stem (the city: "Краматорська" → "краматорський",
    /// "Краматорська"). Never when the stem is a common word itself (the name "Катя" must not give "кат").
    private func needsStem(_ word: String, stem: String, lemmas: [String]) -> Bool {
        guard stem != word, !lemmas.contains(stem), !isKnown(stem) else { return false }
        if !isKnown(word) { return true }
        guard lemmas.contains(word) else { return false }
        return word.contains("-")
            || lemmas.contains { lemma in
                (lemma.hasSuffix("ський") || lemma.hasSuffix("цький") || lemma.hasSuffix("зький"))
                    && UkrainianStemmer.stem(lemma) == stem
            }
    }

    private func isKnown(_ form: String) -> Bool {
        Hunspell_spell(handle, form) != 0
    }

    private func stems(of form: String) -> [String] {
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = Hunspell_stem(handle, &list, form)
        defer { if list != nil { Hunspell_free_list(handle, &list, count) } }
        guard let list, count > 0 else { return [] }
        return (0..<Int(count)).compactMap { list[$0].map { String(cString: $0) } }
    }
}
