/// A word found in a text: where it is and, for a hyphenated word, where its parts are.
struct WordSpan {
    /// The whole word.
    var range: Range<String.Index>
    /// The parts of a hyphenated word, in order; empty for a word without hyphens.
    var parts: [Range<String.Index>]
}

/// Splits text into words for search.
///
/// A word is a run of letters and digits; an apostrophe (' ’ ʼ ` ′ ‘ ʻ) or a hyphen (- ‐ ‑) between two such
/// characters joins them into one word, and a soft hyphen between them is skipped. Everything else (spaces,
/// punctuation, quotes, dashes, emoji, symbols) separates words. Works on grapheme clusters, so every range starts
/// and ends on a `Character` boundary.
enum WordScanner {
    private enum Kind {
        case word, apostrophe, hyphen, ignorable, separator
    }

    /// The words of `text`, in order; with `limit`, only those that start within its first `limit` UTF-8 bytes.
    static func words(in text: String, limit: Int? = nil) -> [WordSpan] {
        var spans: [WordSpan] = []
        var wordStart: String.Index?
        var partStart = text.startIndex
        var wordEnd = text.startIndex
        var parts: [Range<String.Index>] = []
        var pending: Kind?
        var index = text.startIndex
        let utf8 = text.utf8

        func finishWord() {
            guard let start = wordStart else { return }
            if !parts.isEmpty { parts.append(partStart..<wordEnd) }
            spans.append(WordSpan(range: start..<wordEnd, parts: parts))
            wordStart = nil
            parts = []
            pending = nil
        }

        let stop = limit.map { utf8.index(text.startIndex, offsetBy: $0, limitedBy: text.endIndex) ?? text.endIndex }
        for character in text {
            if let stop, index >= stop, wordStart == nil { break }
            let next = utf8.index(index, offsetBy: character.utf8.count)
            switch kind(of: character) {
            case .word:
                if wordStart == nil {
                    wordStart = index
                    partStart = index
                } else if pending == .hyphen {
                    parts.append(partStart..<wordEnd)
                    partStart = index
                }
                pending = nil
                wordEnd = next
            case let joiner:
                if joiner != .separator, wordStart != nil, pending == nil {
                    pending = joiner
                } else {
                    finishWord()
                }
            }
            index = next
        }
        finishWord()
        return spans
    }

    private static func kind(of character: Character) -> Kind {
        let scalar = character.unicodeScalars.first ?? " "
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x0400...0x045F, 0x0490, 0x0491: return .word
        default: break
        }
        if SearchTerm.isApostrophe(scalar) { return .apostrophe }
        if SearchTerm.isHyphen(scalar) { return .hyphen }
        if SearchTerm.isSoftHyphen(scalar) { return .ignorable }
        if scalar.isASCII { return .separator }
        return SearchTerm.isLetter(scalar) || SearchTerm.isDigit(scalar) ? .word : .separator
    }
}
