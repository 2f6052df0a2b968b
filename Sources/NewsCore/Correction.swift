import Foundation

/// A correction an editor added to a published story: shown at the top of the story, dated ("Виправлення,
/// 22 січня: …"), never edited or removed afterwards, and kept in the story's versions.
public struct Correction: Sendable, Equatable, Codable {
    /// When it was added.
    public var at: Date
    public var text: String

    public init(at: Date, text: String) {
        self.at = at
        self.text = text
    }

    /// The longest note, in characters.
    public static let maxLength = 1000

    /// The stored form of a story's corrections (a JSON list of `{"at": milliseconds, "text": …}`); empty: "[]".
    public static func encode(_ corrections: [Correction]) -> String {
        let list = corrections.map { Stored(at: $0.at.millisecondsSince1970, text: $0.text) }
        guard !list.isEmpty, let data = try? JSONEncoder().encode(list) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The corrections of a stored list; an empty or unreadable one has none.
    public static func decode(_ text: String) -> [Correction] {
        guard text != "[]", let list = try? JSONDecoder().decode([Stored].self, from: Data(text.utf8)) else {
            return []
        }
        return list.map { Correction(at: Date(millisecondsSince1970: $0.at), text: $0.text) }
    }

    private struct Stored: Codable {
        var at: Int64
        var text: String
    }
}
