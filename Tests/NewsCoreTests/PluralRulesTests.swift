import NewsCore
import Testing

@Suite("Plural rules and reading time")
struct PluralRulesTests {
    static let categories: [(Int, String, String)] = [
        (0, "uk", "many"), (1, "uk", "one"), (3, "uk", "few"), (11, "uk", "many"), (21, "uk", "one"),
        (1234, "uk", "few"), (0, "en", "other"), (1, "en", "one"), (2, "en", "other"), (21, "en", "other"),
        (-1, "en", "one"), (1, "de", "one"), (5, "de", "other"),
    ]

    @Test(arguments: categories)
    func category(n: Int, language: String, expected: String) {
        #expect(PluralRules.category(n, language: language) == expected)
    }

    static let numbers: [(Int, String, String)] = [
        (0, "uk", "0"), (999, "uk", "999"), (1000, "uk", "1\u{00A0}000"), (1234, "uk", "1\u{00A0}234"),
        (1_234_567, "uk", "1\u{00A0}234\u{00A0}567"), (-12345, "uk", "-12\u{00A0}345"), (1234, "en", "1,234"),
        (100_000, "en", "100,000"), (-1234, "en", "-1,234"), (Int.min, "en", "-9,223,372,036,854,775,808"),
    ]

    @Test(arguments: numbers)
    func number(n: Int, language: String, expected: String) {
        #expect(PluralRules.number(n, language: language) == expected)
    }

    @Test("words are runs between spaces with a letter or digit in them; at 200 a minute, rounded up, at least one")
    func readingTime() {
        let words = { (text: String) in ReadingTime.minutes(lede: "", body: [.paragraph(spans: [Span(text)])]) }
        #expect(words("") == 1)
        let sentence = "Привіт, світе — це тест 2024 « »"  // 5 words: the dash and quotes alone are not words
        #expect(ReadingTime.minutes(lede: sentence, body: []) == 1)
        let twoHundred = Array(repeating: "слово", count: 200).joined(separator: " ")
        #expect(words(twoHundred) == 1)
        #expect(words(twoHundred + " ще") == 2)
        // The lede counts; photos, embeds and recommended stories do not.
        let body: [Block] = [
            .paragraph(spans: [Span(twoHundred)]), .image(mediaID: 1, caption: twoHundred, credit: nil),
            .embed(url: "https://youtube.com/watch?v=x"), .readAlso(articleID: 2),
        ]
        #expect(ReadingTime.minutes(lede: "один", body: body) == 2)
        #expect(ReadingTime.minutes(lede: "", body: body) == 1)
        let long = [Block](repeating: .heading(text: twoHundred), count: 12)
        #expect(ReadingTime.minutes(lede: "", body: long) == 12)
    }

    /// The words of `text` as Unicode's properties tell them: the runs between whitespace that hold a letter or a
    /// number. What the byte-level count must agree with.
    private static func referenceWords(_ text: String) -> Int {
        text.unicodeScalars.split(whereSeparator: \.properties.isWhitespace).filter { run in
            run.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        }.count
    }

    @Test("the word count agrees with Unicode's properties on random texts of many scripts")
    func readingTimeCountsAsUnicode() {
        // Letters, digits, spaces and punctuation of several scripts, the edges of the Cyrillic block included.
        let pieces: [String] = [
            "слово", "ґанок", "Ї", "\u{400}", "\u{52F}", "\u{530}", "\u{531}", "ԱԲ", "abc", "Z9", "٣", "中文", "😀", "—",
            "«", "»",
            "-", " ", "\u{A0}", "\u{2009}", "\n", "\t", "\u{3000}", ".", "’", "e\u{301}", "\u{10400}", "①", "½",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            let words = Self.referenceWords(text)
            // 200 copies, one a line: the minutes are exactly the words of one copy (at least one).
            let copies = Array(repeating: text, count: ReadingTime.wordsPerMinute).joined(separator: "\n")
            #expect(
                ReadingTime.minutes(lede: "", body: [.paragraph(spans: [Span(copies)])]) == max(1, words),
                "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
