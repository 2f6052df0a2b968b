/// ґ and г. The 2019 orthography lets many words be written either way: loanwords and names ("Ґданськ" and
/// "Гданськ", "Ґете" and "Гете"), and readers type "грунт" for "ґрунт" or "ганок" for "ґанок" because keyboards
/// and older texts did. The dictionary knows some words in both spellings, some in one, and reads some of the other
/// spelling as another word ("ганку" as a form of "ганка"). Both spellings must find each other, but "ґрати"
/// (bars) must not find "грати" (to play).
///
/// So a word's terms are its own lemmas (or stem) together with the lemmas of its other spelling when the
/// dictionary knows that one, all with ґ written as г; the few pairs that are different words
/// (``distinctWords``) are left apart, each keeping its own spelling.
public enum GheSpelling {
    /// Lemmas whose ґ and г spellings are different words: a word with one of these lemmas is not joined with its
    /// other spelling, and its terms keep their ґ.
    static let distinctWords: Set<String> = ["ґрати", "ґрата", "грати", "ґніт", "гніт", "ґуля", "гуля"]

    /// `terms` of `word` (its lemmas or stem) with those of its other spelling added, and ґ written as г.
    static func terms(_ terms: [String], of word: String, lemmatizer: (any Lemmatizer)?) -> [String] {
        guard word.unicodeScalars.contains(where: { $0 == "г" || $0 == "ґ" }) else { return terms }
        if terms.contains(where: distinctWords.contains) { return terms }
        var all = terms
        if let lemmatizer {
            for variant in variants(of: word) {
                let lemmas = lemmatizer.lemmas(of: variant)
                guard !lemmas.isEmpty else { continue }
                if lemmas.contains(where: distinctWords.contains) { return terms.map(fold) }
                all += lemmas
                break
            }
        }
        var folded: [String] = []
        for term in all.map(fold) where !folded.contains(term) { folded.append(term) }
        return folded
    }

    /// The other spellings to try, most likely first: a word with ґ, every ґ as г; a word with г, every г as ґ,
    /// then (for words with two or three) each г alone as ґ.
    static func variants(of word: String) -> [String] {
        var variants: [String] = []
        if word.unicodeScalars.contains("ґ") { variants.append(fold(word)) }
        let scalars = Array(word.unicodeScalars)
        let positions = scalars.indices.filter { scalars[$0] == "г" }
        guard !positions.isEmpty, positions.count <= 3 else { return variants }
        func spelled(_ changed: [Int]) -> String {
            var copy = scalars
            for index in changed { copy[index] = "ґ" }
            return String(String.UnicodeScalarView(copy))
        }
        variants.append(spelled(positions))
        if positions.count > 1 { variants += positions.map { spelled([$0]) } }
        return variants
    }

    /// `text` with ґ written as г.
    public static func fold(_ text: String) -> String {
        guard text.unicodeScalars.contains("ґ") else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "ґ" ? "г" : $0 }))
    }
}
