/// One position of a text as the search index stores it (see ``TextAnalyzer/forEachIndexPosition(in:_:)``): the
/// lexemes of the position's terms, each once, joined by `/`, and those that "did you mean" may suggest. An object:
/// a word's positions are made once and handed out for each of its occurrences, a reference each.
public final class IndexPosition: Sendable {
    /// The lexemes joined by `/` ("ванна/ванний"); never empty.
    public let text: String
    /// The lexemes of 3 to 40 letters.
    public let vocabulary: [TermKey]
    /// The lexemes, each once.
    public let lexemes: [String]
    /// Bit `i` is set when lexeme `i` is one of ``CommonWords/terms`` (of the first 64).
    let commonMask: UInt64
    /// Whether any of ``lexemes`` is common: the position then pairs with the next one (``CommonWords``).
    public var hasCommon: Bool { commonMask != 0 }

    /// The position of `terms`; nil when none has a lexeme.
    init?(_ terms: [String]) {
        var lexemes: [String] = []
        for term in terms {
            let lexeme = Self.lexeme(term)
            if !lexeme.isEmpty, !lexemes.contains(where: { ByteSearch.sameBytes($0, lexeme) }) {
                lexemes.append(lexeme)
            }
        }
        guard !lexemes.isEmpty else { return nil }
        text = lexemes.joined(separator: "/")
        self.lexemes = lexemes
        var mask: UInt64 = 0
        for (index, lexeme) in lexemes.prefix(64).enumerated() where CommonWords.contains(lexeme) {
            mask |= 1 << UInt64(index)
        }
        commonMask = mask
        vocabulary = lexemes.filter { $0.utf8.count >= 3 && (3...40).contains($0.unicodeScalars.count) }.map {
            TermKey(term: $0)
        }
    }

    /// Appends to `document` the pairs of this position's common lexemes with each lexeme of `next` (the position
    /// after it), each as a term of this position: `/` and the pair (``CommonWords/pair(_:_:)``).
    public func appendPairs(with next: IndexPosition, to document: inout String) {
        guard hasCommon else { return }
        for (index, left) in lexemes.prefix(64).enumerated() where commonMask & (1 << UInt64(index)) != 0 {
            for right in next.lexemes {
                document.append("/")
                document.append(left)
                document.append(CommonWords.pairMark)
                document.append(right)
            }
        }
    }

    /// A term as both engines store it: without its apostrophes and hyphens (a term holds nothing else that is
    /// not a letter or a digit).
    public static func lexeme(_ term: String) -> String {
        guard term.utf8.contains(where: { $0 == 0x27 || $0 == 0x2D }) else { return term }
        var result = String()
        result.unicodeScalars.append(contentsOf: term.unicodeScalars.filter { $0 != "'" && $0 != "-" })
        return result
    }
}

/// A term as a set member compared byte by byte: terms are already normalised, so this is exact, and it spares
/// `String`'s Unicode-aware hashing and comparison.
public struct TermKey: Hashable, Sendable {
    public let term: String
    let hash: Int

    public init(term: String) {
        self.term = term
        hash = ByteSearch.hashBytes(term)
    }

    public static func == (lhs: TermKey, rhs: TermKey) -> Bool {
        lhs.hash == rhs.hash && ByteSearch.sameBytes(lhs.term, rhs.term)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
