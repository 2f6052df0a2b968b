import NewsCore
import TestSupport
import Testing

/// The query/document pairs of ``SearchPairs`` through the shared analyser (Hunspell with uk_UA).
@Suite("TextAnalyzer matches")
struct TextAnalyzerMatchTests {
    static let analyzer = TextAnalyzer.shared

    @Test func pairCount() {
        let positives = [
            SearchPairs.nouns, SearchPairs.names, SearchPairs.places, SearchPairs.adjectives, SearchPairs.verbs,
            SearchPairs.alternations, SearchPairs.homoglyphs, SearchPairs.apostrophes, SearchPairs.hyphenated,
            SearchPairs.numbers, SearchPairs.english,
        ].joined()
        #expect(positives.count + SearchPairs.negatives.count >= 150)
        #expect(SearchPairs.negatives.count >= 40)
    }

    @Test func dictionaryIsInstalled() {
        #expect(HunspellLemmatizer() != nil, "install hunspell-uk: /usr/share/hunspell/uk_UA.aff and .dic")
    }

    @Test(arguments: SearchPairs.nouns)
    func nouns(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.names)
    func names(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.places)
    func places(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.adjectives)
    func adjectives(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.verbs)
    func verbs(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.alternations)
    func alternations(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.homoglyphs)
    func homoglyphs(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.apostrophes)
    func apostrophes(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.hyphenated)
    func hyphenated(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.numbers)
    func numbers(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.english)
    func english(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.ghe)
    func ghe(query: String, document: String) { expectMatch(query, document) }

    @Test(arguments: SearchPairs.gheNegatives)
    func gheNegatives(query: String, document: String) {
        let analyzer = Self.analyzer
        #expect(
            !analyzer.matches(query: query, document: document),
            "query terms \(analyzer.terms(query)), document terms \(analyzer.terms(document))")
    }

    @Test(arguments: SearchPairs.negatives)
    func negatives(query: String, document: String) {
        let analyzer = Self.analyzer
        #expect(
            !analyzer.matches(query: query, document: document),
            "query terms \(analyzer.terms(query)), document terms \(analyzer.terms(document))"
        )
    }

    /// Matching goes both ways for single words of the same lemma.
    @Test(arguments: [("Києва", "Києві"), ("Путіна", "Путіну"), ("м’ясо", "м'ясо"), ("Розі", "Ріг")])
    func symmetric(first: String, second: String) {
        #expect(Self.analyzer.matches(query: first, document: second))
        #expect(Self.analyzer.matches(query: second, document: first))
    }

    @Test func everyQueryWordMustBeFound() {
        let document = "Президент відвідав Кривий Ріг і зустрівся з військовими"
        #expect(Self.analyzer.matches(query: "Кривому Розі президент", document: document))
        #expect(!Self.analyzer.matches(query: "Кривому Розі прем'єр", document: document))
    }

    @Test(arguments: ["", "   ", "«»", "— – …", "\"", "*", "👍🏻🇺🇦"])
    func queryWithoutWordsMatchesNothing(query: String) {
        #expect(!Self.analyzer.matches(query: query, document: "Київ і Львів"))
    }

    private func expectMatch(_ query: String, _ document: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let analyzer = Self.analyzer
        #expect(
            analyzer.matches(query: query, document: document),
            "query terms \(analyzer.terms(query)), document terms \(analyzer.terms(document))",
            sourceLocation: sourceLocation
        )
    }
}
