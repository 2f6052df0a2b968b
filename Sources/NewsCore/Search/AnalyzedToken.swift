/// One word of a text as search sees it.
///
/// A hyphenated word ("північно-західний", "COVID-19") gives a token for the whole word followed by one token for
/// each of its parts; the parts' ranges lie inside the whole word's range.
public struct AnalyzedToken: Sendable, Equatable {
    /// The word exactly as in the text (for highlighting).
    public var surface: String
    /// Where the word is in the analysed text.
    public var range: Range<String.Index>
    /// Index terms: dictionary lemmas (lowercased, normalised) or a stem; never empty for a word.
    ///
    /// Terms hold only letters, digits, the apostrophe `'` and the hyphen `-`, and are at most
    /// ``TextAnalyzer/maxTermUTF8Length`` bytes long.
    public var terms: [String]

    /// Creates a token.
    public init(surface: String, range: Range<String.Index>, terms: [String]) {
        self.surface = surface
        self.range = range
        self.terms = terms
    }
}
