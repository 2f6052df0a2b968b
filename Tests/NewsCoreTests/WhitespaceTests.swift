import Foundation
import NewsCore
import Testing

@Suite("Trimming whitespace")
struct WhitespaceTests {
    /// Every character Foundation's `.whitespacesAndNewlines` holds (the zero-width space too), and some that look
    /// like space but are not whitespace (the zero-width joiner, the byte-order mark).
    static let spaces: [Unicode.Scalar] = [
        "\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2005}", "\u{200A}",
        "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{200B}",
    ]
    static let others: [Unicode.Scalar] = [
        "a", "ї", "Ґ", "\u{301}", "\u{200D}", "\u{FEFF}", "😀", "-", "1", "'", "\u{0}",
    ]

    @Test("leaves what Foundation's trimming leaves")
    func sameAsFoundation() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...12, using: &generator)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length {
                let pool = Bool.random(using: &generator) ? Self.spaces : Self.others
                scalars.append(pool.randomElement(using: &generator)!)
            }
            let text = String(scalars)
            #expect(
                text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines),
                "\(text.debugDescription)")
        }
    }

    @Test("examples")
    func examples() {
        #expect("  Заголовок\n".trimmingWhitespace() == "Заголовок")
        #expect("\u{A0}\u{3000}".trimmingWhitespace() == "")
        #expect("".trimmingWhitespace() == "")
        #expect("без пробілів".trimmingWhitespace() == "без пробілів")
        // A combining mark after a space stays: only whole whitespace characters go.
        #expect(" \u{301}а ".trimmingWhitespace().unicodeScalars.map(\.value) == [0x301, 0x430])
        #expect("\u{200B}текст\u{FEFF}".trimmingWhitespace() == "текст\u{FEFF}")
    }
}
