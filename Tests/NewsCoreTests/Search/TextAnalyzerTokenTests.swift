import NewsCore
import Testing

@Suite("TextAnalyzer tokens and terms")
struct TextAnalyzerTokenTests {
    static let analyzer = TextAnalyzer.shared

    static let texts: [String] = [
        "Президент відвідав Кривий Ріг, де зустрівся з військовими 122-ї бригади.",
        "«Cпорт»: Kиїв i Львів — 3:1! Мʼясо, м’ясо та м'ясо; COVID-19 у північно-західних областях…",
        "Ки\u{0301}їв, Укра\u{00AD}їна, Мари\u{0306}на, e\u{0301}te, 👨‍👩‍👧 сім'я 🇺🇦 #Україна @user https://example.com/шлях?q=1",
        "AND ( NEAR * \"фраза\" -слово +інше ^4 col:value {a b} [x] ' ' - -- ‐ ‑ '' ``",
        "\u{0301}\u{0308} Київ\u{200D}Львів x\u{200B}y\tz\r\nабв\u{0000}где العربية ١٢٣ 中文 עברית",
        "Кошице-Свалява, а-а-а-а, -початок кінець- 'лапки' м''ясо м'-ясо Ростов-на-Дону",
    ]

    @Test(arguments: texts)
    func surfacesAreTheTextAtTheirRanges(text: String) {
        for token in Self.analyzer.tokens(text) {
            #expect(token.surface == String(text[token.range]))
            #expect(!token.terms.isEmpty, "\(token.surface) has no terms")
        }
    }

    @Test(
        arguments: texts + [
            String(repeating: "!?.,;:«»\"'()[]{}—–-…*", count: 250),
            String(repeating: "а", count: 5_000),
            String(repeating: "слово-", count: 1_000),
            String(repeating: "\u{0301}", count: 1_000),
            String(repeating: "Ж\u{0301}\u{0308}\u{0306}", count: 500),
        ])
    func termsHoldOnlyLettersDigitsApostropheAndHyphen(text: String) {
        for term in Self.analyzer.terms(text) {
            #expect(!term.isEmpty)
            #expect(term.utf8.count <= TextAnalyzer.maxTermUTF8Length)
            #expect(term.first != "-" && term.first != "'" && term.last != "-" && term.last != "'", "\(term)")
            for scalar in term.unicodeScalars {
                #expect(Self.isTermScalar(scalar), "\(term) has U+\(String(scalar.value, radix: 16))")
            }
        }
    }

    @Test(arguments: ["", " ", "\n\t", String(repeating: ".,!", count: 1_700), "\"", "*", "( )", "«»", "— –", "🙂🙂"])
    func noWordsGiveNoTerms(text: String) {
        #expect(Self.analyzer.terms(text).isEmpty)
        #expect(Self.analyzer.tokens(text).isEmpty)
    }

    /// Stopping early, or reading only the first bytes, gives the same words as reading the whole text, as far as
    /// it goes: a one-letter word is read with the word after it, which is found before it is given.
    @Test(arguments: texts)
    func stoppingEarlyGivesTheSameFirstTokens(text: String) {
        var all: [(Range<String.Index>, [String])] = []
        Self.analyzer.forEachToken(in: text) { range, terms in
            all.append((range, terms))
            return true
        }
        for count in 0...all.count {
            var first: [(Range<String.Index>, [String])] = []
            Self.analyzer.forEachToken(in: text) { range, terms in
                first.append((range, terms))
                return first.count < count
            }
            #expect(first.count == max(1, count) || (all.isEmpty && first.isEmpty))
            #expect(first.map(\.0) == all.prefix(first.count).map(\.0))
            #expect(first.map(\.1) == all.prefix(first.count).map(\.1))
        }
        for limit in stride(from: 0, through: text.utf8.count, by: 7) {
            var limited: [(Range<String.Index>, [String])] = []
            Self.analyzer.forEachToken(in: text, limit: limit) { range, terms in
                limited.append((range, terms))
                return true
            }
            #expect(limited.map(\.0) == all.prefix(limited.count).map(\.0))
            #expect(limited.map(\.1) == all.prefix(limited.count).map(\.1))
        }
    }

    @Test func ftsSyntaxWordsAreOrdinaryWords() {
        #expect(Self.analyzer.terms("AND ( NEAR * \"OR\"") == ["and", "near", "or"])
    }

    @Test func hyphenatedWordGivesWholeThenParts() {
        let tokens = Self.analyzer.tokens("потяг Кошице-Свалява")
        #expect(tokens.map(\.surface) == ["потяг", "Кошице-Свалява", "Кошице", "Свалява"])
        #expect(tokens[1].terms.contains("кошице-свалява"))
        #expect(tokens[3].terms.contains("свалява"))
        let whole = tokens[1].range
        #expect(tokens[2].range.lowerBound == whole.lowerBound && tokens[3].range.upperBound == whole.upperBound)
    }

    @Test func hyphenatedDictionaryWordGetsItsLemmaWhole() {
        let tokens = Self.analyzer.tokens("північно-західного")
        #expect(tokens.map(\.surface) == ["північно-західного", "північно", "західного"])
        #expect(tokens[0].terms == ["північно-західний"])
        #expect(tokens[2].terms == ["західний"])
    }

    @Test func joinersOnlyInsideWords() {
        let surfaces = Self.analyzer.tokens("'лапки' -початок кінець- м''ясо м'-ясо").map(\.surface)
        #expect(surfaces == ["лапки", "початок", "кінець", "м", "ясо", "м", "ясо"])
    }

    @Test func numbersAreKept() {
        #expect(
            Self.analyzer.terms("24 лютого 2024 року, 122 бригада, 3,5 %") == [
                "24", "лютий", "2024", "рок", "рік", "122", "бригада", "3", "5",
            ])
    }

    @Test func apostrophesBecomeOne() {
        for word in ["м'ясо", "м’ясо", "мʼясо", "м`ясо", "м′ясо", "м‘ясо"] {
            #expect(Self.analyzer.terms(word) == ["м'ясо"], "\(word)")
        }
    }

    @Test func homoglyphsAndLoneLettersBecomeCyrillic() {
        #expect(Self.analyzer.terms("Cпорт") == ["спорт"])
        #expect(Self.analyzer.terms("Київ i Львів") == Self.analyzer.terms("Київ і Львів"))
        #expect(Self.analyzer.terms("Apple i Samsung") == ["appl", "i", "samsung"])
    }

    @Test func stressMarksAndSoftHyphensAreIgnored() {
        #expect(Self.analyzer.terms("Ки\u{0301}їв") == Self.analyzer.terms("Київ"))
        #expect(Self.analyzer.terms("Укра\u{00AD}їна") == Self.analyzer.terms("Україна"))
        #expect(Self.analyzer.terms("Мари\u{0306}на") == Self.analyzer.terms("Марйна"))
    }

    @Test func englishAndMixedWords() {
        #expect(Self.analyzer.terms("Missiles Bloomberg's iPhone") == ["missil", "bloomberg", "iphon"])
        #expect(Self.analyzer.terms("F-16 5G Су27") == ["f-16", "f", "16", "5g", "су27"])
    }

    @Test func longWordsAreCut() throws {
        let terms = Self.analyzer.terms(String(repeating: "ж", count: 5_000))
        let term = try #require(terms.first)
        #expect(terms.count == 1)
        #expect(term.utf8.count <= TextAnalyzer.maxTermUTF8Length)
    }

    @Test func termsFollowTokens() {
        let text = Self.texts[0]
        #expect(Self.analyzer.terms(text) == Self.analyzer.tokens(text).flatMap(\.terms))
    }

    @Test func concurrentUseGivesTheSameTerms() async {
        let texts = Self.texts
        let expected = texts.map { Self.analyzer.terms($0) }
        let results = await withTaskGroup(of: (Int, [String]).self) { group in
            for round in 0..<64 {
                let index = round % texts.count
                group.addTask { (index, TextAnalyzer.shared.terms(texts[index])) }
            }
            var results: [(Int, [String])] = []
            for await result in group { results.append(result) }
            return results
        }
        for (index, terms) in results { #expect(terms == expected[index]) }
    }

    private static func isTermScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "'" || scalar == "-" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }
}

@Suite("TextAnalyzer without a dictionary")
struct StemmingTextAnalyzerTests {
    static let analyzer = TextAnalyzer(lemmatizer: nil)

    @Test(arguments: [
        ("Путін", "Зустріч з Путіним"), ("Зеленського", "Зеленський"), ("Ковальська", "Ковальської"),
        ("Свалява", "Свалявою"), ("українськими", "українська"), ("Свалява", "Потяг Кошице-Свалявою"),
        ("м'ясо", "м’ясо"), ("Cпорт", "спорт"), ("sanctions", "sanction"),
    ])
    func stemsMatch(query: String, document: String) {
        #expect(Self.analyzer.matches(query: query, document: document))
    }

    @Test(arguments: [("кит", "китаєць"), ("лис", "лист"), ("мир", "миритися"), ("24", "2024")])
    func prefixesDoNotMatch(query: String, document: String) {
        #expect(!Self.analyzer.matches(query: query, document: document))
    }
}

@Suite("TextAnalyzer with a given lemmatizer")
struct LemmatizerTextAnalyzerTests {
    /// Knows two words only.
    struct TinyLemmatizer: Lemmatizer {
        func lemmas(of word: String) -> [String] {
            ["людей": ["люди"], "люди": ["люди"], "ішов": ["іти", "йти"]][word] ?? []
        }
    }

    static let analyzer = TextAnalyzer(lemmatizer: TinyLemmatizer())

    @Test func usesLemmasThenStemsUnknownWords() {
        #expect(Self.analyzer.terms("Людей ішов Путіна") == ["люди", "іти", "йти", "путін"])
        #expect(Self.analyzer.matches(query: "люди", document: "Сотні людей"))
    }
}

@Suite("HunspellLemmatizer")
struct HunspellLemmatizerTests {
    @Test func missingFilesGiveNil() {
        #expect(HunspellLemmatizer(affixPath: "/nonexistent.aff", dictionaryPath: "/nonexistent.dic") == nil)
    }

    @Test func lemmasOfLowercaseWords() throws {
        let lemmatizer = try #require(HunspellLemmatizer())
        #expect(lemmatizer.lemmas(of: "києва").first == "київ")
        #expect(lemmatizer.lemmas(of: "ночі") == ["ніч"])
        #expect(lemmatizer.lemmas(of: "оон") == ["оон"])
        #expect(lemmatizer.lemmas(of: "путіна").contains("путін"))
        #expect(lemmatizer.lemmas(of: "відвідує") == ["відвідувати", "відвідати"])
        #expect(lemmatizer.lemmas(of: "дітей").contains("дитина"))
        #expect(lemmatizer.lemmas(of: "кваквакряк").isEmpty)
        #expect(lemmatizer.lemmas(of: "").isEmpty)
    }

    @Test func tinyCacheStillAnswers() throws {
        let lemmatizer = try #require(HunspellLemmatizer(cacheLimit: 2))
        for _ in 0..<3 {
            for (word, lemma) in [("києва", "київ"), ("ночі", "ніч"), ("солі", "сіль"), ("печі", "піч")] {
                #expect(lemmatizer.lemmas(of: word).contains(lemma))
            }
        }
    }
}
