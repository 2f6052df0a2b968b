import Foundation

/// A `LIKE` pattern that finds `text` anywhere, with `%`, `_` and `\` in it taken literally (the query says
/// `ESCAPE '\'`).
enum LikePattern {
    static func containing(_ text: String) -> String {
        "%"
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
