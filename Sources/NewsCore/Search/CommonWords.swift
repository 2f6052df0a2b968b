/// The most common words of Ukrainian text as index terms: prepositions, conjunctions, particles and pronouns, which
/// stand in nearly every story.
///
/// A phrase with one of them ("інший для організації") would make the index read that word's positions in every
/// story. So the index also holds, at each position with a common term, the pairs of that term with each term of the
/// next position, each as a term of its own (a "common gram", as Lucene's `CommonGramsFilter` makes), and a phrase is
/// asked through those pairs, whose lists are short (``SearchIndex`` writes them, each engine asks them).
public enum CommonWords {
    /// The terms, as the analyser gives them (lemmas, lowercase).
    public static let terms: Set<String> = [
        "а", "або", "але", "б", "без", "би", "бо", "в", "вже", "від", "він", "вона", "вони", "для", "до", "є", "ж",
        "же", "з", "за", "зі", "і", "із", "її", "й", "його", "на", "не", "ні", "під", "по", "при", "про", "та", "так",
        "то", "той", "у", "це", "цей", "через", "чи", "що", "ще", "як",
    ]

    /// Whether `term` is one of ``terms``.
    public static func contains(_ term: String) -> Bool { keys.contains(TermKey(term: term)) }

    private static let keys = Set(terms.map { TermKey(term: $0) })

    /// The character between the two terms of a pair: a private-use one, which no term holds (terms are letters and
    /// digits) and which both engines keep inside a term.
    public static let pairMark: Character = "\u{E001}"

    /// The term of two neighbouring terms.
    public static func pair(_ left: String, _ right: String) -> String { left + String(pairMark) + right }
}

extension CommonWords {
    /// A phrase (each word a group of alternative terms) as the index answers it: the groups of consecutive positions
    /// to ask side by side, where a word that is common everywhere (every term of its group is one of ``terms``) is
    /// asked through its pairs with the next word (see ``pair(_:_:)``), so its own long list is never read.
    ///
    /// Unit `i` stands at the phrase's position `i`: the pair of words `i` and `i + 1` when word `i` is common and not
    /// the last, word `i` otherwise; the last word is left out when the pair before it holds it. A phrase without
    /// a common word is returned as it is.
    public static func phraseUnits(_ phrase: [[String]]) -> [[String]] {
        guard phrase.count > 1 else { return phrase }
        let common = phrase.map { group in !group.isEmpty && group.allSatisfy(contains) }
        guard common.contains(true) else { return phrase }
        var units: [[String]] = []
        for index in phrase.indices {
            let isLast = index + 1 == phrase.count
            if common[index], !isLast {
                units.append(phrase[index].flatMap { left in phrase[index + 1].map { pair(left, $0) } })
            } else if isLast, common[index - 1] {
                break  // the last word, held by the pair before it
            } else {
                units.append(phrase[index])
            }
        }
        return units
    }
}
