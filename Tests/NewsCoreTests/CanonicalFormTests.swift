import Foundation
import NewsCore
import Testing

@Suite("Canonical form (NFC) without Foundation")
struct CanonicalFormTests {
    /// Scalars a paper's text is made of, with the ones next to them that NFC changes or combines (U+2000 and
    /// U+2001 decompose, U+2126 Ω and U+212B Å too, combining marks join the letter before them), whitespace and
    /// control characters that tidying changes, and scalars that extend a grapheme (the zero-width joiner).
    static let pool: [Unicode.Scalar] = [
        "a", "Z", "1", " ", "\t", "\n", "\r", "\u{0B}", "\u{0}", "\u{7F}", "\u{85}", "\u{A0}", "é", "ß", "ʼ", "\u{2FF}",
        "\u{300}", "\u{301}", "\u{306}", "\u{308}", "\u{340}", "\u{374}", "\u{37E}", "а", "Ї", "ї", "й", "ґ", "Ґ",
        "\u{482}", "\u{483}", "\u{489}", "\u{48A}", "\u{52F}", "\u{530}", "\u{2000}", "\u{2001}", "\u{2002}",
        "\u{200A}", "\u{200B}", "\u{200D}", "—", "«", "»", "„", "“", "’", "…", "\u{2028}", "\u{202E}", "\u{202F}",
        "\u{205F}", "\u{2060}", "₴", "€", "№", "\u{2126}", "\u{212B}", "😀", "\u{FE0F}", "\u{1100}", "\u{1161}",
    ]

    static func randomText(using generator: inout some RandomNumberGenerator) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...14, using: &generator) {
            scalars.append(pool.randomElement(using: &generator)!)
        }
        return String(scalars)
    }

    @Test("composes as Foundation does")
    func sameAsFoundation() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let text = Self.randomText(using: &generator)
            let expected = text.precomposedStringWithCanonicalMapping
            #expect(
                Array(text.composed.unicodeScalars) == Array(expected.unicodeScalars), "\(text.debugDescription)")
            if CanonicalForm.isComposed(text) {
                #expect(Array(expected.unicodeScalars) == Array(text.unicodeScalars), "\(text.debugDescription)")
            }
        }
    }

    @Test("tidying gives what composing, stripping and splitting character by character give")
    func tidySameAsCharacters() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let text = Self.randomText(using: &generator)
            let expected = ControlCharacters.strip(text.precomposedStringWithCanonicalMapping)
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(
                Array(UkrainianText.tidy(text).unicodeScalars) == Array(expected.unicodeScalars),
                "\(text.debugDescription)")
        }
    }

    @Test("a paper's text is known to be composed; decomposed letters and look-alike spaces are not")
    func examples() {
        #expect(CanonicalForm.isComposed("Львів — «Експрес»: 12 ₴, № 5… ґанок, їжак, naïve"))
        #expect(CanonicalForm.isComposed(""))
        #expect(!CanonicalForm.isComposed("Мари\u{0306}на"))
        #expect(!CanonicalForm.isComposed("a\u{2000}b"))
        #expect(!CanonicalForm.isComposed("Ω = \u{2126}"))
        #expect("Мари\u{0306}на".composed == "Марйна")
    }
}
