import NewsData

/// A line of an import file that could not be taken as it was.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number in the file.
    public var line: Int
    /// The field at fault, when one is.
    public var field: String?
    public var message: String
    /// Whether the line was skipped (an error) or imported with something left out (a warning).
    public var skipped: Bool
    /// What `line` counts: "line" in a JSON Lines file, "item" (a post's id) in a WordPress export.
    public var unit = "line"

    public var description: String {
        let place = field.map { "\(unit) \(line), field \"\($0)\"" } ?? "\(unit) \(line)"
        return "\(place): \(message)\(skipped ? " (\(unit) skipped)" : "")"
    }
}

/// What an import did.
public struct ImportReport: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    /// Stories already stored as the file has them (nothing was written for them).
    public var unchanged = 0
    /// Each imported story's old address and its slug here (WordPress imports).
    public var addresses: [ImportedAddress] = []
    public var problems: [ImportProblem] = []
    /// New stories stored with the rest of their batch in a few statements; the others went one at a time (slower:
    /// a story already stored, or a batch the newsroom refused as a whole).
    public var storedTogether = 0

    mutating func count(_ change: ImportChange, together: Bool = false) {
        if together { storedTogether += 1 }
        switch change {
        case .created: created += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        }
    }

    /// "120 new, 3 updated, 0 unchanged, 2 skipped, 5 warnings".
    public var counts: String {
        "\(created) new, \(updated) updated, \(unchanged) unchanged, \(skipped) skipped, \(problems.count - skipped) warnings"
    }

    /// Lines skipped because of errors.
    public var skipped: Int { problems.filter(\.skipped).count }
}

/// How far an import is: the bytes of the file read, and what has been done so far.
public struct ImportProgress: Sendable {
    public var bytesRead: Int
    public var totalBytes: Int
    public var report: ImportReport
}
