/// The character rules shared by everything that makes index terms.
///
/// A term holds only letters, decimal digits, the apostrophe `'` and the hyphen `-`, so it can go into SQLite FTS5
/// and PostgreSQL `tsvector` as a plain lexeme.
enum SearchTerm {
    /// The longest term in UTF-8 bytes (PostgreSQL refuses lexemes over 2,047 bytes; real words are far shorter).
    static let maxUTF8Length = 255

    /// The apostrophe variants met inside words: ' ` ’ ʼ ′ (see `UkrainianText.apostrophes`), plus ‘ and ʻ, which
    /// are typed for the apostrophe too.
    static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x27, 0x60, 0x2019, 0x02BC, 0x2032, 0x2018, 0x02BB: true
        default: false
        }
    }

    /// The hyphens that join the parts of a word: - (U+002D), ‐ (U+2010) and the non-breaking ‑ (U+2011).
    static func isHyphen(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0x2010, 0x2011: true
        default: false
        }
    }

    /// The soft hyphen (U+00AD): invisible, ignored inside words.
    static func isSoftHyphen(_ scalar: Unicode.Scalar) -> Bool { scalar.value == 0xAD }

    /// Letters of any script (general categories Lu, Ll, Lt, Lm, Lo).
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    /// Decimal digits of any script (general category Nd).
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.numericType == .decimal
    }

    /// True for the Cyrillic and Cyrillic Supplement blocks (as `UkrainianText.isCyrillic`).
    static func isCyrillic(_ scalar: Unicode.Scalar) -> Bool {
        (0x0400...0x052F).contains(scalar.value)
    }

    /// Lowercases `raw`, turns apostrophe variants into `'` and hyphens into `-`, drops every other character that
    /// is not a letter or a digit (stress marks, soft hyphens, punctuation), trims apostrophes and hyphens off the
    /// ends and cuts the result to ``maxUTF8Length`` bytes. May return an empty string.
    static func clean(_ raw: String) -> String {
        var result = String()
        result.reserveCapacity(raw.utf8.count)
        for scalar in raw.lowercased().unicodeScalars {
            if isApostrophe(scalar) {
                result.unicodeScalars.append("'")
            } else if isHyphen(scalar) {
                result.unicodeScalars.append("-")
            } else if isLetter(scalar) || isDigit(scalar) {
                result.unicodeScalars.append(scalar)
            }
        }
        return limited(result)
    }

    /// `term` without leading or trailing apostrophes and hyphens, cut to ``maxUTF8Length`` bytes.
    static func limited(_ term: String) -> String {
        let utf8 = term.utf8
        if utf8.count <= maxUTF8Length, let first = utf8.first, let last = utf8.last, !isJoiner(first), !isJoiner(last)
        {
            return term
        }
        var scalars: [Unicode.Scalar] = []
        var length = 0
        for scalar in term.unicodeScalars {
            length += UTF8.width(scalar)
            if length > maxUTF8Length { break }
            scalars.append(scalar)
        }
        let start = scalars.firstIndex { !isJoiner($0) } ?? scalars.endIndex
        let end = scalars.lastIndex { !isJoiner($0) }.map { $0 + 1 } ?? start
        var result = String()
        result.unicodeScalars.append(contentsOf: scalars[start..<max(start, end)])
        return result
    }

    private static func isJoiner(_ byte: UInt8) -> Bool { byte == 0x27 || byte == 0x2D }

    private static func isJoiner(_ scalar: Unicode.Scalar) -> Bool { scalar == "'" || scalar == "-" }
}
