import Testing

@testable import NewsImport

/// White space in imported text is collapsed byte by byte; the answer is the one a scalar-by-scalar reading gives.
@Suite("White space in imported text")
struct WhiteSpaceTests {
    /// The rule as first written: runs of space, tab, CR, LF and no-break space become one space.
    static func reference(_ text: String) -> String {
        if text == "\n" { return text }
        var result = String.UnicodeScalarView()
        var pending = false
        for scalar in text.unicodeScalars {
            if [" ", "\t", "\r", "\n", "\u{A0}"].contains(scalar) {
                pending = true
                continue
            }
            if pending {
                result.append(" ")
                pending = false
            }
            result.append(scalar)
        }
        if pending { result.append(" ") }
        return String(result)
    }

    @Test("collapse agrees with the scalar rule on random text")
    func collapse() {
        let pieces = [" ", "\t", "\r\n", "\n", "\u{A0}", "\u{C2}", "Â", "a", "Київ", "😀", "e\u{301}", "\u{2009}"]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0..<12, using: &random)).map { _ in pieces.randomElement(using: &random)! }
                .joined()
            #expect(BodyHTML.collapse(text) == Self.reference(text), "\(text.unicodeScalars.map(\.value))")
        }
        #expect(BodyHTML.collapse("\n") == "\n")
        #expect(BodyHTML.collapse(" a \u{A0}\u{A0} b\t") == " a b ")
    }
}
