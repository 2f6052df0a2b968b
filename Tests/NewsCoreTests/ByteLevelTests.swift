import Foundation
import NewsCore
import Testing

/// The byte-level shortcuts that replace slower standard-library calls give the same answers.
@Suite("Byte-level shortcuts")
struct ByteLevelTests {
    @Test("a stray control character is exactly a Cc scalar other than tab and line breaks, for every scalar")
    func strayScalars() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected =
                scalar.properties.generalCategory == .control && scalar != "\t" && scalar != "\n" && scalar != "\r"
            if ControlCharacters.isStray(scalar) != expected {
                Issue.record("U+\(String(value, radix: 16))")
                return
            }
        }
    }

    @Test("strip finds strays the byte scan lets through, and leaves other text as it is")
    func strip() {
        #expect(ControlCharacters.strip("a\u{0B}b\u{0}c\u{85}d\u{9F}e") == "a bc de", "NEL separates")
        #expect(ControlCharacters.strip("«Львів» ©\u{A0}2024\tрік\r\n") == "«Львів» ©\u{A0}2024\tрік\r\n")
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let scalars = (0..<Int.random(in: 0..<40, using: &random)).compactMap { _ in
                Unicode.Scalar(
                    [UInt32.random(in: 0..<0x100, using: &random), UInt32.random(in: 0x400..<0x500, using: &random)][
                        Int.random(in: 0...1, using: &random)])
            }
            let text = String(String.UnicodeScalarView(scalars))
            let stripped = ControlCharacters.strip(text)
            #expect(!stripped.unicodeScalars.contains(where: ControlCharacters.isStray))
            if !text.unicodeScalars.contains(where: ControlCharacters.isStray) { #expect(stripped == text) }
        }
        // One stray in clean text, at every place of the byte scan's eight-byte words and of their tail.
        let clean = Array("Ґрунт і ганок, tab\tта рядок\n — «Львів» ©2024 ")
        let strays: [Unicode.Scalar] = ["\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}", "\u{0B}"]
        for length in 0..<clean.count {
            for place in 0...length {
                let stray = strays[(length + place) % strays.count]
                var text = String(clean[..<length])
                text.insert(Character(stray), at: text.index(text.startIndex, offsetBy: place))
                let stripped = ControlCharacters.strip(text)
                #expect(!stripped.unicodeScalars.contains(where: ControlCharacters.isStray), "\(length), \(place)")
                #expect(ControlCharacters.strip(String(clean[..<length])) == String(clean[..<length]))
            }
        }
    }

    @Test("containsBytes agrees with a plain search, at the edges too")
    func containsBytes() {
        let body = "<p>Текст</p>\n<!-- wp:paragraph -->"
        #expect(body.containsBytes("<!-- wp:"))
        #expect(body.containsBytes("<p>") && body.containsBytes("-->") && body.containsBytes(""))
        #expect(!body.containsBytes("<!-- wp:image") && !"".containsBytes("a") && !"ab".containsBytes("abc"))
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let alphabet = Array("ab<!-ї")
            let text = String((0..<Int.random(in: 0..<30, using: &random)).map { _ in alphabet.randomElement()! })
            let pattern = String((0..<Int.random(in: 0..<4, using: &random)).map { _ in alphabet.randomElement()! })
            #expect(text.containsBytes(pattern) == (pattern.isEmpty || text.contains(pattern)), "\(text) / \(pattern)")
        }
    }

    @Test("sameBytes and hashBytes agree with equality of normalised strings")
    func sameBytes() {
        let words = ["", "a", "київ", "києва", "ґанок", "ганок", "e\u{301}", "é", "😀", "київ "]
        for a in words {
            for b in words {
                #expect(ByteSearch.sameBytes(a, b) == (Array(a.utf8) == Array(b.utf8)), "\(a) / \(b)")
                if ByteSearch.sameBytes(a, b) { #expect(ByteSearch.hashBytes(a) == ByteSearch.hashBytes(b)) }
            }
        }
        #expect(!ByteSearch.sameBytes("e\u{301}", "é"), "bytes, not canonical equivalence")
    }
}
