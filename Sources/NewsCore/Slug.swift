import Foundation

/// URL slugs and Ukrainian-to-Latin transliteration.
public enum Slug {
    /// Latin spelling of one Cyrillic letter: `medial` inside a word, `initial` at the start of a word.
    private struct Latin: Sendable {
        let initial: String
        let medial: String

        init(_ both: String) {
            initial = both
            medial = both
        }

        init(initial: String, medial: String) {
            self.initial = initial
            self.medial = medial
        }
    }

    /// The KMU 2010 table (lowercase), plus a few Russian letters so that Russian names don't vanish.
    private static let table: [Character: Latin] = [
        "а": Latin("a"), "б": Latin("b"), "в": Latin("v"), "г": Latin("h"), "ґ": Latin("g"), "д": Latin("d"),
        "е": Latin("e"), "є": Latin(initial: "ye", medial: "ie"), "ж": Latin("zh"), "з": Latin("z"),
        "и": Latin("y"), "і": Latin("i"), "ї": Latin(initial: "yi", medial: "i"),
        "й": Latin(initial: "y", medial: "i"),
        "к": Latin("k"), "л": Latin("l"), "м": Latin("m"), "н": Latin("n"), "о": Latin("o"), "п": Latin("p"),
        "р": Latin("r"), "с": Latin("s"), "т": Latin("t"), "у": Latin("u"), "ф": Latin("f"), "х": Latin("kh"),
        "ц": Latin("ts"), "ч": Latin("ch"), "ш": Latin("sh"), "щ": Latin("shch"), "ь": Latin(""),
        "ю": Latin(initial: "yu", medial: "iu"), "я": Latin(initial: "ya", medial: "ia"),
        // Russian letters.
        "ё": Latin(initial: "yo", medial: "io"), "ы": Latin("y"), "э": Latin("e"), "ъ": Latin(""),
    ]

    /// Latin letters that don't decompose into a base letter plus diacritics.
    private static let foldedLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    ]

    /// Transliterates Ukrainian text to Latin by the official KMU 2010 table (Cabinet of Ministers resolution
    /// No. 55, 27.01.2010), keeping letter case and all non-Cyrillic characters.
    ///
    /// A letter is word-initial at the start of the string or after any non-letter; an apostrophe between a letter
    /// and a Cyrillic letter is dropped and does not start a new word. "зг" becomes "zgh". An uppercase letter
    /// next to another uppercase letter is spelled in capitals ("ЩУКА" → "SHCHUKA"), otherwise only its first
    /// Latin letter is a capital ("Щука" → "Shchuka").
    public static func transliterate(_ text: String) -> String {
        let chars = Array(text)
        var result = ""
        result.reserveCapacity(chars.count)
        for (index, char) in chars.enumerated() {
            if UkrainianText.apostrophes.contains(char) {
                if !isWordApostrophe(at: index, in: chars) { result.append(char) }
                continue
            }
            let lowered = char.lowercased()
            guard lowered.count == 1, let lower = lowered.first, let latin = table[lower] else {
                result.append(char)
                continue
            }
            var spelling = isWordInitial(at: index, in: chars) ? latin.initial : latin.medial
            if lower == "г" && index > 0 && chars[index - 1].lowercased() == "з" {
                spelling = "gh"
            }
            if !char.isUppercase || spelling.isEmpty {
                result += spelling
            } else if spelling.count == 1 || hasUppercaseNeighbour(at: index, in: chars) {
                result += spelling.uppercased()
            } else {
                result += spelling.prefix(1).uppercased() + spelling.dropFirst()
            }
        }
        return result
    }

    /// A URL slug made from a title.
    ///
    /// Normalizes the text (see ``UkrainianText/normalize(_:)``), transliterates, lowercases, folds other-language
    /// diacritics (é → e) and drops apostrophes; every run of characters other than a-z/0-9 becomes one hyphen,
    /// with no leading or trailing hyphen. A slug longer than `maxLength` is cut on a hyphen boundary where
    /// possible. May return "" (e.g. for a title of only punctuation).
    public static func make(from title: String, maxLength: Int = 80) -> String {
        // A slug already (as an import's stories and terms mostly bring): nothing above would change it.
        if title.utf8.count <= maxLength, isValid(title) { return title }
        let latin = transliterate(UkrainianText.normalize(title)).lowercased()
        var slug = ""
        var pendingHyphen = false
        for scalar in (latin.utf8.allSatisfy { $0 < 0x80 } ? latin : latin.decomposedStringWithCanonicalMapping)
            .unicodeScalars
        {
            let isMark = scalar.properties.generalCategory == .nonspacingMark
            if isMark || UkrainianText.apostrophes.contains(Character(scalar)) { continue }
            let folded = foldedLetters[scalar] ?? String(scalar)
            if folded.unicodeScalars.allSatisfy(isSlugScalar) {
                if pendingHyphen && !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug += folded
            } else {
                pendingHyphen = true
            }
        }
        return truncated(slug, to: maxLength)
    }

    /// True when `slug` matches `^[a-z0-9]+(-[a-z0-9]+)*$` and is 1...120 characters.
    public static func isValid(_ slug: String) -> Bool {
        guard (1...120).contains(slug.unicodeScalars.count) else { return false }
        return slug.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy(isSlugScalar)
        }
    }

    /// Slugs that can't be used for articles, rubrics, tags or authors because they clash with site paths.
    public static let reserved: Set<String> = [
        "admin", "api", "news", "rubric", "tag", "author", "search", "static", "media", "login", "logout", "feed",
        "rss", "sitemap", "sitemap-xml", "robots-txt", "page", "preview", "assets", "favicon-ico", "health",
    ]

    /// `base` if not in `taken`, else `base-2`, `base-3`, … (the first free one).
    public static func uniqued(_ base: String, taken: (String) throws -> Bool) rethrows -> String {
        guard try taken(base) else { return base }
        var number = 2
        while try taken("\(base)-\(number)") {
            number += 1
        }
        return "\(base)-\(number)"
    }

    // MARK: - Helpers

    /// True for the ASCII characters a-z and 0-9.
    private static func isSlugScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// Cuts a slug to at most `maxLength` characters, on a hyphen if there is one, never ending with a hyphen.
    private static func truncated(_ slug: String, to maxLength: Int) -> String {
        guard maxLength > 0 else { return "" }
        guard slug.count > maxLength else { return slug }
        var cut = slug.prefix(maxLength)
        if slug[cut.endIndex] != "-", let lastHyphen = cut.lastIndex(of: "-") {
            cut = cut[..<lastHyphen]
        }
        while cut.last == "-" {
            cut = cut.dropLast()
        }
        return String(cut)
    }

    /// True when the apostrophe at `index` sits between a letter and a Cyrillic letter, as in "Мар'яна".
    private static func isWordApostrophe(at index: Int, in chars: [Character]) -> Bool {
        index > 0 && index + 1 < chars.count && isLetter(chars[index - 1])
            && UkrainianText.isCyrillic(chars[index + 1])
    }

    /// True at the start of the text or after a non-letter; an in-word apostrophe doesn't start a word.
    private static func isWordInitial(at index: Int, in chars: [Character]) -> Bool {
        guard index > 0 else { return true }
        let previous = chars[index - 1]
        if UkrainianText.apostrophes.contains(previous) {
            return !isWordApostrophe(at: index - 1, in: chars)
        }
        return !previous.isLetter
    }

    /// True when the nearest letter before or after `index` (skipping apostrophes) is uppercase.
    private static func hasUppercaseNeighbour(at index: Int, in chars: [Character]) -> Bool {
        for step in [-1, 1] {
            var neighbour = index + step
            while chars.indices.contains(neighbour) && UkrainianText.apostrophes.contains(chars[neighbour]) {
                neighbour += step
            }
            if chars.indices.contains(neighbour) && isLetter(chars[neighbour]) && chars[neighbour].isUppercase {
                return true
            }
        }
        return false
    }

    /// A letter that is not an apostrophe (U+02BC ʼ counts as a letter in Unicode).
    private static func isLetter(_ char: Character) -> Bool {
        char.isLetter && !UkrainianText.apostrophes.contains(char)
    }
}
