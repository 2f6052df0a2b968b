import Foundation

/// The credit papers write at the end of a caption ("Мітинг на площі Ринок. Фото: Іван Петренко"): it is the
/// photo's credit, kept as written, and the caption is what comes before it.
enum CaptionCredit {
    /// Words that start a credit, compared in lower case, longest first.
    static let markers = [
        "джерело фото", "фото з", "фотографія", "світлина", "фото", "photo", "foto", "джерело", "source", "©",
    ]

    /// `text` as caption and credit; the credit is `nil` when the text names none.
    static func split(_ text: String) -> (caption: String, credit: String?) {
        let lower = text.lowercased()
        var best: String.Index?
        for marker in markers {
            var search = lower.startIndex..<lower.endIndex
            while let found = lower.range(of: marker, range: search) {
                search = found.upperBound..<lower.endIndex
                guard startsWord(lower, at: found.lowerBound), isCredit(lower, after: found.upperBound, marker: marker)
                else { continue }
                if best.map({ found.lowerBound > $0 }) ?? true { best = found.lowerBound }
            }
        }
        guard let start = best else { return (text, nil) }
        let offset = lower.distance(from: lower.startIndex, to: start)
        // Lower case can differ in length (rare letters); then the text is left whole.
        guard lower.count == text.count else { return (text, nil) }
        let index = text.index(text.startIndex, offsetBy: offset)
        let credit = text[index...].trimmingCharacters(in: [" ", ")", "]"])
        var caption = String(text[..<index])
        while let last = caption.last,
            last == " " || last == "|" || last == "/" || last == "(" || last == "—"
                || last == "–" || last == "-" || last == "["
        {
            caption.removeLast()
        }
        return (caption, credit.isEmpty ? nil : credit)
    }

    /// Whether the marker at `index` begins a word.
    private static func startsWord(_ text: String, at index: String.Index) -> Bool {
        guard index > text.startIndex else { return true }
        let before = text[text.index(before: index)]
        return !before.isLetter && !before.isNumber
    }

    /// Whether a credit follows the marker: "©" then a name, or a word marker then ":" (or a dash) and a name.
    private static func isCredit(_ text: String, after index: String.Index, marker: String) -> Bool {
        let rest = text[index...].drop { $0 == " " }
        if marker == "©" { return rest.contains { $0.isLetter } }
        guard let first = rest.first, first == ":" || first == "—" || first == "–" || first == "-" else {
            return false
        }
        return rest.dropFirst().contains { $0.isLetter || $0.isNumber }
    }
}
