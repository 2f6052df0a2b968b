/// Suffix stemmer for Ukrainian words the dictionary does not know (names, places, new words):
/// "Путіна", "Путіну", "Путіним", "Путіні" → "путін"; "Зеленського", "Зеленська" → "зеленськ".
///
/// Conservative on purpose, because a stem that is too short merges different words ("кит" and "китаєць"):
/// - only one ending is stripped: a case ending of nouns and adjectives (no verb endings, no suffixes);
/// - the stem keeps at least 3 letters and a vowel;
/// - words of up to 4 letters lose at most a one-letter ending, and words of 3 letters are left alone;
/// - words with digits or with letters other than Cyrillic are only lowercased;
/// - in a hyphenated word only the last part is stemmed ("івано-франківську" → "івано-франківськ").
public enum UkrainianStemmer {
    /// Case endings, longest first (the first one that matches is the only one tried).
    private static let endings: [[Unicode.Scalar]] = endingList.map { Array($0.unicodeScalars) }.sorted {
        $0.count > $1.count
    }

    private static let endingList: [String] = [
        "ього", "ьому", "ієві",
        "ого", "ому", "ими", "ами", "ями", "ові", "еві", "єві", "ією", "ієм",
        "ий", "ій", "ой", "ої", "ою", "ею", "єю", "их", "им", "ах", "ях", "ам", "ям", "ів", "їв", "ом", "ем", "єм",
        "ія", "ії", "ію", "іям", "іях", "іями",
        "а", "я", "у", "ю", "і", "ї", "и", "е", "є", "о", "ь",
    ]

    private static let vowels: Set<Unicode.Scalar> = ["а", "е", "є", "и", "і", "ї", "о", "у", "ю", "я"]

    /// The stem of `word`, lowercase; the lowercased word itself when no ending can be stripped safely.
    public static func stem(_ word: String) -> String {
        let lower = word.lowercased()
        let lastPart = lower.lastIndex(of: "-").map { lower[lower.index(after: $0)...] } ?? lower[...]
        let scalars = Array(lastPart.unicodeScalars)
        guard scalars.allSatisfy({ $0 == "'" || SearchTerm.isCyrillic($0) && SearchTerm.isLetter($0) }) else {
            return lower
        }
        let letters = scalars.count { $0 != "'" }
        guard letters > 3, let ending = endings.first(where: { scalars.ends(with: $0) }) else { return lower }
        if letters <= 4 && ending.count > 1 { return lower }
        var stem = scalars.dropLast(ending.count)
        while stem.last == "'" { stem.removeLast() }
        guard letters - ending.count >= 3, stem.contains(where: vowels.contains) else { return lower }

        var result = String(lower[..<lastPart.startIndex])
        result.unicodeScalars.append(contentsOf: stem)
        return result
    }
}

extension Array where Element == Unicode.Scalar {
    /// Whether the array ends with `suffix`.
    fileprivate func ends(with suffix: [Unicode.Scalar]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
