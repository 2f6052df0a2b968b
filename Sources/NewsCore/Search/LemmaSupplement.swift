/// What the uk_UA Hunspell dictionary does not link by itself, added to its lemmas.
enum LemmaSupplement {
    /// Irregular forms of frequent words that uk_UA lists as words of their own (Hunspell gives "дітей" back as its
    /// own lemma), mapped to their lemma.
    static let irregularLemmas: [String: String] = {
        var lemmas: [String: String] = [:]
        let paradigms: [String: [String]] = [
            "дитина": ["діти", "дітей", "дітям", "дітьми", "дітях"],
            "люди": ["людей", "людям", "людьми", "людях"],
            "мати": ["матері", "матір", "матір'ю", "матерів", "матерям", "матерями", "матерях"],
            "могти": ["можу", "можеш", "може", "можемо", "можете", "можуть", "міг", "могла", "могло", "могли"],
            "бути": [
                "є", "був", "була", "було", "були", "буду", "будеш", "буде", "будемо", "будете", "будуть",
            ],
            "око": ["очі", "очей", "очам", "очима", "очах"],
        ]
        for (lemma, forms) in paradigms {
            for form in forms { lemmas[form] = lemma }
        }
        return lemmas
    }()

    /// Verb prefixes that make a perfective verb whose secondary imperfective ends in -увати/-ювати
    /// ("відвідати" → "відвідувати", "обстріляти" → "обстрілювати").
    private static let verbPrefixes = [
        "в", "ви", "від", "віді", "до", "за", "з", "зі", "на", "над", "о", "об", "обі", "пере", "під", "піді", "по",
        "при", "про", "роз", "розі", "с", "у",
    ]

    /// Candidate perfective lemmas of a secondary imperfective verb lemma, longest first: "відвідувати" →
    /// "відвідати", "обстрілювати" → "обстріляти", "використовувати" → "використати". Only for prefixed verbs (so
    /// not "купувати" → "купати"); the caller keeps the ones the dictionary knows.
    static func perfectiveCandidates(of lemma: String) -> [String] {
        let replacements: [(String, String)] = [("овувати", "ати"), ("увати", "ати"), ("ювати", "яти")]
        var candidates: [String] = []
        for (suffix, replacement) in replacements where lemma.hasSuffix(suffix) {
            let candidate = String(lemma.dropLast(suffix.count)) + replacement
            guard let prefix = verbPrefixes.first(where: { candidate.hasPrefix($0) }),
                candidate.count - prefix.count - replacement.count >= 2
            else { continue }
            candidates.append(candidate)
        }
        return candidates
    }
}
