import Foundation

/// Ukrainian plural categories (CLDR rules): one (1, 21, 31…, not 11), few (2–4, 22–24…, not 12–14),
/// many (everything else).
public enum PluralCategory: String, Sendable {
    /// 1, 21, 31, 101… but not 11, 111…
    case one
    /// 2–4, 22–24, 102–104… but not 12–14, 112–114…
    case few
    /// Everything else: 0, 5–20, 25–30, 111…
    case many
}

/// Chooses the Ukrainian plural form for a count ("1 новина", "2 новини", "5 новин").
public enum UkrainianPlural {
    /// The CLDR plural category of `n`; negative numbers use their absolute value.
    public static func category(_ n: Int) -> PluralCategory {
        let magnitude = n.magnitude
        let lastDigit = magnitude % 10
        let lastTwoDigits = magnitude % 100
        if lastDigit == 1 && lastTwoDigits != 11 { return .one }
        if (2...4).contains(lastDigit) && !(12...14).contains(lastTwoDigits) { return .few }
        return .many
    }

    /// The form of a word that goes with `n`,
    /// e.g. `choose(5, one: "новина", few: "новини", many: "новин")` → "новин".
    public static func choose(_ n: Int, one: String, few: String, many: String) -> String {
        switch category(n) {
        case .one: one
        case .few: few
        case .many: many
        }
    }
}
