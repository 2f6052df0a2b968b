import Foundation

/// Clean-up helpers for Ukrainian text typed or pasted by newsroom staff.
public enum UkrainianText {
    /// Every character used as an apostrophe in Ukrainian text: ' ’ ʼ ` ′.
    static let apostrophes: Set<Character> = ["'", "\u{2019}", "\u{02BC}", "`", "\u{2032}"]

    /// Latin letters that look like Cyrillic ones, mapped to their Cyrillic twins.
    private static let cyrillicTwins: [Character: Character] = [
        "A": "А", "a": "а", "B": "В", "C": "С", "c": "с", "E": "Е", "e": "е", "H": "Н", "I": "І", "i": "і",
        "K": "К", "M": "М", "O": "О", "o": "о", "P": "Р", "p": "р", "T": "Т", "X": "Х", "x": "х", "y": "у",
    ]

    /// Cleans messy newsroom input for display and storage.
    ///
    /// - Applies Unicode NFC.
    /// - Inside any word that contains at least one Cyrillic letter, replaces Latin look-alike letters by their
    ///   Cyrillic twins ("Cпорт" → "Спорт"). A one-letter look-alike word next to a Cyrillic word is replaced too
    ///   ("Київ i Львів" → "Київ і Львів"), unless digits or an address's punctuation touch it ("1a29db", "5a",
    ///   "x.com" stay). Other words with no Cyrillic ("Bloomberg", "DMZ", "iPhone") are untouched.
    /// - Collapses runs of whitespace to one space and trims.
    ///
    /// Apostrophes are not changed.
    public static func normalize(_ text: String) -> String {
        let segments = segments(of: text.composed)
        let words = segments.indices.filter { segments[$0].isWord }
        let cyrillicWords = Set(words.filter { segments[$0].chars.contains(where: isCyrillic) })
        var converted = cyrillicWords
        for (position, index) in words.enumerated() where !cyrillicWords.contains(index) {
            let chars = segments[index].chars
            guard chars.count == 1, cyrillicTwins[chars[0]] != nil else { continue }
            // A letter glued to digits or to an address's punctuation is part of a code or an address ("1a29db",
            // "5a", "x.com", "@x"), not a word of its own.
            let glued = [index - 1, index + 1].contains { neighbour in
                guard segments.indices.contains(neighbour), let char = segments[neighbour].chars.first else {
                    return false
                }
                return char.isNumber || ".@/_#&=:".contains(char)
            }
            if glued { continue }
            let before = position > 0 && cyrillicWords.contains(words[position - 1])
            let after = position + 1 < words.count && cyrillicWords.contains(words[position + 1])
            if before || after { converted.insert(index) }
        }

        var result = ""
        var pendingSpace = false
        for (index, segment) in segments.enumerated() {
            if segment.isSpace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            if converted.contains(index) {
                result.append(contentsOf: segment.chars.map { cyrillicTwins[$0] ?? $0 })
            } else {
                result.append(contentsOf: segment.chars)
            }
        }
        return result
    }

    /// `text` in Unicode NFC, without stray control characters, with runs of whitespace as one space and no space at
    /// either end; nothing else changes (no look-alike folding: a credit such as "x.com/EmmanuelMacron" is an
    /// address, and its Latin letters stay Latin).
    public static func tidy(_ text: String) -> String {
        guard CanonicalForm.isComposed(text) else {
            return ControlCharacters.strip(text.precomposedStringWithCanonicalMapping).split(
                whereSeparator: \.isWhitespace
            ).joined(separator: " ")
        }
        // Each character is one scalar here (``CanonicalForm``), so the same done scalar by scalar, without
        // Foundation and without breaking the text into characters.
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if ControlCharacters.isStray(scalar) && !ControlCharacters.isSeparator(scalar) { continue }
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.append(scalar)
        }
        return String(result)
    }

    /// All apostrophe variants (' ’ ʼ ` ′) turned into U+2019 ’ (for comparing names).
    public static func unifyApostrophes(_ text: String) -> String {
        String(text.map { apostrophes.contains($0) ? "\u{2019}" : $0 })
    }

    /// True for letters of the Cyrillic and Cyrillic Supplement Unicode blocks.
    static func isCyrillic(_ char: Character) -> Bool {
        guard let scalar = char.unicodeScalars.first else { return false }
        return (0x0400...0x052F).contains(scalar.value)
    }

    // MARK: - Helpers

    /// A word (letters and apostrophes), a run of whitespace, or any other single character.
    private struct Segment {
        var chars: [Character]
        let isWord: Bool
        let isSpace: Bool
    }

    private static func segments(of text: String) -> [Segment] {
        var segments: [Segment] = []
        // Stray control characters carry no text (``ControlCharacters``); those that separate are whitespace here.
        for char in text
        where !char.unicodeScalars.allSatisfy({ ControlCharacters.isStray($0) && !ControlCharacters.isSeparator($0) }) {
            let isWord = char.isLetter || apostrophes.contains(char)
            let isSpace = !isWord && char.isWhitespace
            if let last = segments.last, (isWord && last.isWord) || (isSpace && last.isSpace) {
                segments[segments.count - 1].chars.append(char)
            } else {
                segments.append(Segment(chars: [char], isWord: isWord, isSpace: isSpace))
            }
        }
        return segments
    }
}
