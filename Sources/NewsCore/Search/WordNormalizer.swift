/// The kinds of characters a normalised word is made of.
struct WordScript: OptionSet {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }

    static let cyrillic = WordScript(rawValue: 1)
    static let latin = WordScript(rawValue: 2)
    static let digits = WordScript(rawValue: 4)
    static let otherLetters = WordScript(rawValue: 8)

    /// What `word` (already normalised) is made of; apostrophes and hyphens do not count.
    init(of word: some StringProtocol) {
        var script: WordScript = []
        for scalar in word.unicodeScalars {
            switch scalar.value {
            case 0x61...0x7A: script.insert(.latin)
            case 0x30...0x39: script.insert(.digits)
            case 0x27, 0x2D: break
            case 0x0400...0x052F: script.insert(.cyrillic)
            default: script.insert(SearchTerm.isDigit(scalar) ? .digits : .otherLetters)
            }
        }
        self = script
    }
}

/// Turns a word as written into the form search works with.
enum WordNormalizer {
    /// The search form of `surface`: Unicode NFC, Latin look-alike letters inside words with Cyrillic letters mapped
    /// to Cyrillic (by `UkrainianText.normalize`: "Cпорт" → "спорт"), lowercase, every apostrophe as `'`, every
    /// hyphen as `-`, soft hyphens and combining marks (stress marks) dropped.
    static func normalize(_ surface: Substring) -> String {
        var hasCyrillic = false
        var hasLatin = false
        for scalar in surface.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A: hasLatin = true
            case 0x0400...0x045F, 0x0490, 0x0491: hasCyrillic = true
            case 0x30...0x39, 0x27, 0x60, 0x2D, 0xAD, 0x2010, 0x2011, 0x2018, 0x2019, 0x02BB, 0x02BC, 0x2032: break
            default: return SearchTerm.clean(UkrainianText.normalize(String(surface)))
            }
        }
        if hasCyrillic && hasLatin { return SearchTerm.clean(UkrainianText.normalize(String(surface))) }

        // Fast path: ASCII and the basic Cyrillic letters are already NFC, and lowercase by a fixed offset. Every
        // mapping keeps or shortens a letter's UTF-8, so the result is written in place, in the input's length.
        return String(unsafeUninitializedCapacity: surface.utf8.count) { buffer in
            var count = 0
            func write(_ value: UInt32) {
                if value < 0x80 {
                    buffer[count] = UInt8(value)
                    count += 1
                } else if value < 0x800 {
                    buffer[count] = UInt8(0xC0 | (value >> 6))
                    buffer[count + 1] = UInt8(0x80 | (value & 0x3F))
                    count += 2
                } else if value < 0x10000 {
                    buffer[count] = UInt8(0xE0 | (value >> 12))
                    buffer[count + 1] = UInt8(0x80 | ((value >> 6) & 0x3F))
                    buffer[count + 2] = UInt8(0x80 | (value & 0x3F))
                    count += 3
                } else {
                    buffer[count] = UInt8(0xF0 | (value >> 18))
                    buffer[count + 1] = UInt8(0x80 | ((value >> 12) & 0x3F))
                    buffer[count + 2] = UInt8(0x80 | ((value >> 6) & 0x3F))
                    buffer[count + 3] = UInt8(0x80 | (value & 0x3F))
                    count += 4
                }
            }
            for scalar in surface.unicodeScalars {
                let value = scalar.value
                switch value {
                case 0x41...0x5A: write(value + 0x20)
                case 0x0410...0x042F: write(value + 0x20)
                case 0x0400...0x040F: write(value + 0x50)
                case 0x0490: write(0x0491)
                case 0xAD: continue
                case 0x2D, 0x2010, 0x2011: write(0x2D)
                case 0x60, 0x2018, 0x2019, 0x02BB, 0x02BC, 0x2032: write(0x27)
                default: write(value)
                }
            }
            return count
        }
    }

    /// The Cyrillic twin of a one-letter Latin word ("i" → "і", "C" → "с"), as `UkrainianText.normalize` maps such a
    /// word when it stands next to a Cyrillic word; nil when the letter has no twin.
    static func cyrillicTwin(ofLetter letter: Substring) -> String? {
        guard letter.utf8.count == 1, let byte = letter.utf8.first,
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        else { return nil }
        let mapped = UkrainianText.normalize("ж " + letter).dropFirst(2)
        guard mapped != letter else { return nil }
        return normalize(mapped)
    }
}
