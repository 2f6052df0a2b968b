import Foundation

extension String {
    /// The text in Unicode NFC (canonical composition), as Foundation's `precomposedStringWithCanonicalMapping` makes
    /// it, without going through `NSString` for the text of a Ukrainian or English story, which is almost always in
    /// NFC already: the text itself when ``CanonicalForm/isComposed(_:)`` says so.
    public var composed: String {
        CanonicalForm.isComposed(self) ? self : precomposedStringWithCanonicalMapping
    }
}

/// A quick test that a text is in NFC, for the characters a paper's text is made of.
public enum CanonicalForm {
    /// True when every scalar of `text` is one that NFC leaves alone wherever it stands: below U+0300 (ASCII,
    /// Latin-1, Latin Extended, spacing modifier letters), Cyrillic but for its combining marks (U+0400–U+0482,
    /// U+048A–U+052F), and the punctuation of news text (the spaces U+2002–U+200A, dashes, quotes, the ellipsis and
    /// the rest of U+2010–U+2029, U+202F–U+205F), currency signs (U+20A0–U+20BF) and №. None of them has a canonical
    /// decomposition, none combines with a neighbour and none extends a grapheme, so such a text is in NFC and each of
    /// its characters is one scalar (but CR LF). False says nothing: the text needs the full check.
    public static func isComposed(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let lead = bytes[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                guard index + 1 < count else { return false }
                let second = bytes[index + 1]
                switch lead {
                case 0xC2...0xCB, 0xD0, 0xD1, 0xD3:
                    index += 2
                case 0xD2:
                    // U+0483–U+0489: Cyrillic combining marks.
                    guard !(0x83...0x89).contains(second) else { return false }
                    index += 2
                case 0xD4:
                    guard second <= 0xAF else { return false }
                    index += 2
                case 0xE2:
                    guard index + 2 < count, isPunctuation(second, bytes[index + 2]) else { return false }
                    index += 3
                default:
                    return false
                }
            }
            return true
        }
    }

    /// Whether U+2000–U+2FFF written as E2 `second` `third` is one of the punctuation marks ``isComposed(_:)`` allows.
    private static func isPunctuation(_ second: UInt8, _ third: UInt8) -> Bool {
        switch second {
        // U+2002–U+200A, U+2010–U+2029, U+202F–U+203F (not U+2000 and U+2001, which decompose, nor the zero-width and
        // direction marks).
        case 0x80: (0x82...0x8A).contains(third) || (0x90...0xA9).contains(third) || third >= 0xAF
        // U+2040–U+205F.
        case 0x81: third <= 0x9F
        // U+20A0–U+20BF.
        case 0x82: third >= 0xA0
        // U+2116 №.
        case 0x84: third == 0x96
        default: false
        }
    }
}
