import Foundation

/// The plural rules of the site's languages (CLDR): which form of a counted word goes with a number, and how the
/// number is written.
public enum PluralRules {
    /// The CLDR category of `n` in `language`: Ukrainian has one, few and many (``UkrainianPlural``); English,
    /// and any language without rules here, one and other.
    public static func category(_ n: Int, language: String) -> String {
        switch language {
        case "uk": UkrainianPlural.category(n).rawValue
        default: n.magnitude == 1 ? "one" : "other"
        }
    }

    /// `n` with its thousands grouped as `language` writes them: "1 234" (a no-break space) in Ukrainian, "1,234"
    /// in English.
    public static func number(_ n: Int, language: String) -> String {
        let digits = String(n.magnitude)
        guard digits.count > 3 else { return n < 0 ? "-" + digits : digits }
        let separator: Character = language == "uk" ? "\u{00A0}" : ","
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(separator) }
            grouped.append(digit)
        }
        return n < 0 ? "-" + grouped : grouped
    }
}
