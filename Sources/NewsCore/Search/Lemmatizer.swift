/// Finds the dictionary forms (lemmas) of words for search.
public protocol Lemmatizer: Sendable {
    /// Dictionary lemmas of a normalised lowercase word; empty when the dictionary does not know it.
    ///
    /// The word is lowercase, NFC, with the apostrophe `'` and the hyphen `-`; lemmas are returned the same way.
    func lemmas(of word: String) -> [String]
}
