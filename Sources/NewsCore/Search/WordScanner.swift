/// A word found in a text: where it is and, for a hyphenated word, where its parts are.
struct WordSpan: Equatable {
    /// The whole word.
    var range: Range<String.Index>
    /// The parts of a hyphenated word, in order; empty for a word without hyphens.
    var parts: [Range<String.Index>]
}

/// Splits text into words for search.
///
/// A word is a run of letters and digits; an apostrophe (' ’ ʼ ` ′ ‘ ʻ) or a hyphen (- ‐ ‑) between two such
/// characters joins them into one word, and a soft hyphen between them is skipped. Everything else (spaces,
/// punctuation, quotes, dashes, emoji, symbols) separates words.
///
/// Reads the text's UTF-8 bytes, one Unicode scalar at a time. A combining mark (a stress mark, a variation
/// selector), a joiner or an emoji modifier belongs to the character before it, as in a grapheme cluster, so a word
/// ends after its marks and every range starts and ends between characters.
enum WordScanner {
    private enum Kind {
        case word, apostrophe, hyphen, ignorable, separator, mark
    }

    /// Calls `body` with each word of `text`, in order, until it returns false (the text is read only as far as the
    /// words asked for); with `limit`, only the words that start within its first `limit` UTF-8 bytes.
    static func forEachWord(in text: String, limit: Int? = nil, _ body: (WordSpan) -> Bool) {
        var text = text
        text.makeContiguousUTF8()
        let utf8 = text.utf8
        let base = utf8.startIndex
        text.withUTF8 { bytes in
            var stopped = false
            var wordStart: Int?
            var partStart = 0
            var wordEnd = 0
            var parts: [Range<Int>] = []
            var pending: Kind?
            let stop = limit.map { max(0, $0) } ?? Int.max

            func index(_ offset: Int) -> String.Index { utf8.index(base, offsetBy: offset) }

            func finishWord() {
                guard let start = wordStart else { return }
                if !parts.isEmpty { parts.append(partStart..<wordEnd) }
                stopped = !body(
                    WordSpan(
                        range: index(start)..<index(wordEnd),
                        parts: parts.map { index($0.lowerBound)..<index($0.upperBound) }))
                wordStart = nil
                parts = []
                pending = nil
            }

            var offset = 0
            let count = bytes.count
            while offset < count, !stopped {
                let (scalar, length) = decode(bytes, at: offset)
                let next = offset + length
                let kind = kind(of: scalar)
                if kind == .mark {
                    // Part of the character before: it extends a word that character ended.
                    if wordStart != nil, pending == nil, wordEnd == offset { wordEnd = next }
                    offset = next
                    continue
                }
                if offset >= stop, wordStart == nil { break }
                switch kind {
                case .word:
                    if wordStart == nil {
                        wordStart = offset
                        partStart = offset
                    } else if pending == .hyphen {
                        parts.append(partStart..<wordEnd)
                        partStart = offset
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
                offset = next
            }
            if !stopped { finishWord() }
        }
    }

    /// The scalar at `offset` of valid UTF-8 and its length in bytes.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[offset])
        let value: UInt32
        let length: Int
        switch lead {
        case 0..<0x80:
            return (Unicode.Scalar(UInt8(lead)), 1)
        case 0xC0..<0xE0:
            value = (lead & 0x1F) << 6 | UInt32(bytes[offset + 1] & 0x3F)
            length = 2
        case 0xE0..<0xF0:
            value = (lead & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6 | UInt32(bytes[offset + 2] & 0x3F)
            length = 3
        default:
            value =
                (lead & 0x07) << 18 | UInt32(bytes[offset + 1] & 0x3F) << 12 | UInt32(bytes[offset + 2] & 0x3F) << 6
                | UInt32(bytes[offset + 3] & 0x3F)
            length = 4
        }
        return (Unicode.Scalar(value) ?? " ", length)
    }

    private static func kind(of scalar: Unicode.Scalar) -> Kind {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x0400...0x045F, 0x0490, 0x0491: return .word
        case 0..<0x80: return scalar == "'" || scalar == "`" ? .apostrophe : scalar == "-" ? .hyphen : .separator
        default: break
        }
        if SearchTerm.isApostrophe(scalar) { return .apostrophe }
        if SearchTerm.isHyphen(scalar) { return .hyphen }
        if SearchTerm.isSoftHyphen(scalar) { return .ignorable }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: return .mark
        default: break
        }
        // The zero-width joiner and emoji modifiers join the character before them.
        if scalar.value == 0x200D || (0x1F3FB...0x1F3FF).contains(scalar.value) { return .mark }
        return SearchTerm.isLetter(scalar) || SearchTerm.isDigit(scalar) ? .word : .separator
    }
}
