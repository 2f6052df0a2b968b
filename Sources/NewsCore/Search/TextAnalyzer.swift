import Synchronization

/// The one analyser used for indexing and for queries.
///
/// Text is split into words (letters and digits, joined by inner apostrophes and hyphens; see ``tokens(_:)``);
/// each word is normalised (NFC, Latin look-alikes in Cyrillic words mapped to Cyrillic, lowercase, one apostrophe
/// `'`, stress marks dropped) and turned into index terms:
/// - a Cyrillic word: its dictionary lemmas, or its ``UkrainianStemmer`` stem when the dictionary does not know it
///   (ґ and г: see ``GheSpelling``);
/// - a Latin word: its ``EnglishStemmer`` stem;
/// - a number, or a word mixing scripts or letters and digits: the normalised word itself.
public struct TextAnalyzer: Sendable {
    /// The longest term in UTF-8 bytes; longer words are cut.
    public static let maxTermUTF8Length = SearchTerm.maxUTF8Length

    /// The version of the terms this analyser makes. An index made by another version is rebuilt when the server
    /// starts (`SearchRepository.needsIndexing`). Raise it with every change to the terms, and add a migration
    /// that records the previous version for databases that have articles (as migration 20 records 1).
    /// - 2: ґ and г (``GheSpelling``).
    public static let version = 2

    /// The shared analyser: Hunspell when the dictionary is installed, stemmers only otherwise.
    public static let shared = TextAnalyzer(
        lemmatizer: HunspellLemmatizer(handles: HunspellLemmatizer.sharedHandles.load(ordering: .relaxed)))

    private let lemmatizer: (any Lemmatizer)?
    /// The analysis of each word as written, for the words met most recently: a text's words repeat, and so do a
    /// paper's, so most words are analysed once however often they occur.
    private let analyses: WordCache<WordAnalysis>

    /// Creates an analyser; without a lemmatizer every Cyrillic word is stemmed.
    ///
    /// - Parameter cacheLimit: how many words as written the analyser keeps the analysis of.
    public init(lemmatizer: (any Lemmatizer)?, cacheLimit: Int = 100_000) {
        self.lemmatizer = lemmatizer
        analyses = WordCache(limit: cacheLimit)
    }

    /// The same analyser with a cache of its own, of `limit` words: for a one-off pass over many texts (reading every
    /// headline into memory) that should not leave the shared cache full of its words.
    public func withOwnCache(limit: Int) -> TextAnalyzer {
        TextAnalyzer(lemmatizer: lemmatizer, cacheLimit: limit)
    }

    /// The words of `text` with their terms, in order.
    ///
    /// A hyphenated word ("Кошице-Свалява") gives a token for the whole word, then one for each part. Punctuation,
    /// quotes, dashes, emoji and other symbols separate words and give no tokens.
    public func tokens(_ text: String) -> [AnalyzedToken] {
        var tokens: [AnalyzedToken] = []
        forEachToken(in: text) { token in
            tokens.append(token)
            return true
        }
        return tokens
    }

    /// Calls `body` with the tokens of `text` as ``tokens(_:)`` gives them, until it returns false: a search can
    /// stop reading a long text once it has what it wanted.
    ///
    /// - Parameter limit: read only the words that start within the first `limit` UTF-8 bytes of `text`.
    public func forEachToken(in text: String, limit: Int? = nil, _ body: (AnalyzedToken) -> Bool) {
        forEachToken(in: text, limit: limit) { range, terms in
            body(AnalyzedToken(surface: String(text[range]), range: range, terms: terms))
        }
    }

    /// Calls `body` with the range and terms of each token of `text`, as ``forEachToken(in:limit:_:)-swift.method``
    /// gives them but without copying each word (what a snippet needs).
    public func forEachToken(
        in text: String, limit: Int? = nil, _ body: (_ range: Range<String.Index>, _ terms: [String]) -> Bool
    ) {
        forEachWord(in: text, limit: limit) { word in
            guard body(word.range, word.terms) else { return false }
            for part in word.parts where !body(part.range, part.terms) {
                return false
            }
            return true
        }
    }

    /// Calls `body` with the range of each word of `text`, in order, until it returns false: the words as
    /// ``forEachToken(in:limit:_:)-swift.method`` finds them, without their parts and without analysing them (what
    /// a snippet of a text's start needs, where nothing is marked).
    ///
    /// - Parameter limit: read only the words that start within the first `limit` UTF-8 bytes of `text`.
    public static func forEachWordRange(
        in text: String, limit: Int? = nil, _ body: (_ range: Range<String.Index>) -> Bool
    ) {
        WordScanner.forEachWord(in: text, limit: limit) { body($0.range) }
    }

    /// All index terms of a text, in order (what goes into the full-text index).
    public func terms(_ text: String) -> [String] {
        var terms: [String] = []
        terms.reserveCapacity(text.utf8.count / 8)
        forEachWord(in: text) { word in
            terms.append(contentsOf: word.terms)
            for part in word.parts { terms.append(contentsOf: part.terms) }
            return true
        }
        return terms
    }

    /// What the index terms of a word start with when a reader has typed `word` so far (a search box's suggestions):
    /// the word normalised as terms are (lowercase, Latin look-alikes in Cyrillic words as Cyrillic, one
    /// apostrophe), with ґ as г, and as typed too when it has ґ (words such as "ґрати" keep theirs).
    public func prefixes(of word: String) -> [String] {
        let normalized = SearchTerm.limited(WordNormalizer.normalize(Substring(word)))
        guard !normalized.isEmpty else { return [] }
        let folded = GheSpelling.fold(normalized)
        return folded == normalized ? [normalized] : [folded, normalized]
    }

    /// Calls `body` with the terms of each word of `text` in order, as a query reads words: a hyphenated word by its
    /// parts ("Івано-Франківськ" as "Івано", "Франківськ"), other words whole. Stops as soon as `body` returns false,
    /// so a search can stop reading a long text at the first place it wanted.
    public func forEachQueryWord(in text: String, _ body: ([String]) -> Bool) {
        forEachWord(in: text) { word in
            guard !word.parts.isEmpty else { return body(word.terms) }
            for part in word.parts where !body(part.terms) { return false }
            return true
        }
    }

    /// Whether every word of `query` has a term that `document` has (the match rule search uses).
    ///
    /// A hyphenated query word also matches when each of its parts does ("Кошице-Свалява" finds "Кошице — Свалява").
    /// A query without words matches nothing.
    public func matches(query: String, document: String) -> Bool {
        let documentTerms = Set(terms(document))
        var hasWords = false
        var allFound = true
        forEachWord(in: query) { word in
            hasWords = true
            if word.terms.contains(where: documentTerms.contains) { return true }
            allFound =
                !word.parts.isEmpty
                && word.parts.allSatisfy { $0.terms.contains(where: documentTerms.contains) }
            return allFound
        }
        return hasWords && allFound
    }

    // MARK: - Words

    /// A word's range and terms.
    struct Word {
        var range: Range<String.Index>
        var terms: [String]
        /// The parts of a hyphenated word; empty otherwise.
        var parts: [Word] = []
    }

    /// Calls `body` with every word of `text` that has terms, in order, until it returns false.
    func forEachWord(in text: String, limit: Int? = nil, _ body: (Word) -> Bool) {
        forEachAnalysis(in: text, limit: limit) { analysis, span in
            guard let word = analysis.word(at: span) else { return true }
            return body(word)
        }
    }

    /// Calls `body` with each position of `text` that has terms, in order, as the search index stores it: a word's
    /// terms at one position; a hyphenated word's parts each at a position of their own (as a query reads them), the
    /// terms of the whole word at its first part's. A phrase is then a run of positions. Each position's lexemes are
    /// made once per word as written (``IndexPosition``), not again where the word occurs.
    public func forEachIndexPosition(in text: String, _ body: (IndexPosition) -> Void) {
        forEachAnalysis(in: text, limit: nil) { analysis, _ in
            for position in analysis.positions { body(position) }
            return true
        }
    }

    /// Calls `body` with the analysis of each word of `text` and its span, in order, until it returns false.
    private func forEachAnalysis(in text: String, limit: Int?, _ body: (WordAnalysis, WordSpan) -> Bool) {
        var text = text
        text.makeContiguousUTF8()  // a no-op for native strings; keeps the scanner's UTF-8 index steps O(1)
        // Each word is analysed once the next is found (a one-letter word depends on both its neighbours), and the
        // text is read no further than the word after the last one `body` takes.
        func analyse(_ span: WordSpan, after previous: WordSpan?, before next: WordSpan?) -> Bool {
            let surface = text[span.range]
            let analysis: WordAnalysis
            if let twin = WordNormalizer.cyrillicTwin(ofLetter: surface),
                isCyrillic(previous, in: text) || isCyrillic(next, in: text)
            {
                // A one-letter word depends on its neighbours; it is not kept.
                analysis = WordAnalysis(self.word(twin, span: span), span: span)
            } else {
                // Everything else depends on the word as written alone.
                analysis = analyses.value(for: surface) {
                    WordAnalysis(self.word(WordNormalizer.normalize(surface), span: span), span: span)
                }
            }
            return body(analysis, span)
        }
        var previous: WordSpan?
        var current: WordSpan?
        var stopped = false
        WordScanner.forEachWord(in: text, limit: limit) { next in
            if let current {
                guard analyse(current, after: previous, before: next) else {
                    stopped = true
                    return false
                }
                previous = current
            }
            current = next
            return true
        }
        if !stopped, let current { _ = analyse(current, after: previous, before: nil) }
    }

    /// A word's analysis without its place in a text, as the cache keeps it (an object: a lookup copies one
    /// reference, not its arrays).
    final class WordAnalysis: Sendable {
        /// The word's terms; nil when it has none.
        let terms: [String]?
        /// The terms of the parts of a hyphenated word that have any, each with the part's position in the word.
        let parts: [(index: Int, terms: [String])]
        /// The word's positions in the search index: a word's terms at one position; a hyphenated word's parts each
        /// at a position of their own, the terms of the whole word at its first part's.
        let positions: [IndexPosition]

        init(_ word: Word?, span: WordSpan) {
            terms = word?.terms
            parts = (word?.parts ?? []).compactMap { part in
                span.parts.firstIndex(of: part.range).map { (index: $0, terms: part.terms) }
            }
            if let word {
                let first = word.parts.first.map { word.terms + $0.terms } ?? word.terms
                positions = ([first] + word.parts.dropFirst().map(\.terms)).compactMap(IndexPosition.init)
            } else {
                positions = []
            }
        }

        /// The word at `span` (a span of the same word as written, so its parts are the same).
        func word(at span: WordSpan) -> Word? {
            guard let terms else { return nil }
            return Word(
                range: span.range,
                terms: terms,
                parts: parts.compactMap { part in
                    span.parts.indices.contains(part.index)
                        ? Word(range: span.parts[part.index], terms: part.terms) : nil
                })
        }
    }

    /// Whether the word at `span` has a Cyrillic letter (false for no word: the text's start or end).
    private func isCyrillic(_ span: WordSpan?, in text: String) -> Bool {
        guard let span else { return false }
        return text[span.range].unicodeScalars.contains(where: SearchTerm.isCyrillic)
    }

    /// The word with its terms and parts; nil when nothing of it is left after normalisation.
    private func word(_ normalized: String, span: WordSpan) -> Word? {
        guard !span.parts.isEmpty else {
            let terms = terms(of: normalized, isLinkingPart: false)
            return terms.isEmpty ? nil : Word(range: span.range, terms: terms)
        }
        let pieces = normalized.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == span.parts.count, !pieces.contains(where: \.isEmpty) else {
            // Not expected (normalisation keeps every hyphen and letter); index the word without its parts.
            let terms = terms(of: normalized.replacing("-", with: ""), isLinkingPart: false)
            return terms.isEmpty ? nil : Word(range: span.range, terms: terms)
        }
        var parts: [Word] = []
        for (index, piece) in pieces.enumerated() {
            let terms = terms(of: piece, isLinkingPart: index < pieces.count - 1)
            parts.append(Word(range: span.parts[index], terms: terms))
        }
        let whole = wholeTerms(normalized, pieces: pieces, parts: parts)
        let term = SearchTerm.limited(normalized)
        guard !whole.isEmpty || !term.isEmpty else { return nil }
        return Word(range: span.range, terms: whole.isEmpty ? [term] : whole, parts: parts.filter { !$0.terms.isEmpty })
    }

    /// Terms of a hyphenated word as a whole: its lemmas when the dictionary knows it ("північно-західного" →
    /// "північно-західний"), otherwise the parts as written with the last part's terms ("кошице-свалява").
    private func wholeTerms(_ normalized: String, pieces: [Substring], parts: [Word]) -> [String] {
        if WordScript(of: normalized) == .cyrillic, let lemmas = lemmatizer?.lemmas(of: normalized), !lemmas.isEmpty {
            return GheSpelling.terms(lemmas, of: normalized, lemmatizer: nil)
        }
        let prefix = GheSpelling.fold(pieces.dropLast().joined(separator: "-") + "-")
        return parts[parts.count - 1].terms.map { SearchTerm.limited(prefix + $0) }
    }

    /// Terms of a word without hyphens.
    ///
    /// A part before a hyphen that the dictionary does not know and that ends in "о" or "е" is a linking form
    /// ("Івано-", "науково-"), kept as written rather than stemmed.
    private func terms(of word: some StringProtocol, isLinkingPart: Bool) -> [String] {
        guard !word.isEmpty else { return [] }
        let word = String(word)
        let script = WordScript(of: word)
        if script == .cyrillic {
            let own: [String]
            if let lemmas = lemmatizer?.lemmas(of: word), !lemmas.isEmpty {
                own = lemmas
            } else if isLinkingPart, let last = word.unicodeScalars.last, last == "о" || last == "е" {
                own = [SearchTerm.limited(word)]
            } else {
                own = [SearchTerm.limited(UkrainianStemmer.stem(word))]
            }
            return GheSpelling.terms(own, of: word, lemmatizer: lemmatizer)
        }
        if script == .latin { return [SearchTerm.limited(EnglishStemmer.stem(word))] }
        let term = SearchTerm.limited(word)
        return term.isEmpty ? [] : [term]
    }
}
