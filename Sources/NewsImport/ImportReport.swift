/// A line of an import file that could not be taken as it was.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number in the file.
    public var line: Int
    /// The field at fault, when one is.
    public var field: String?
    public var message: String
    /// Whether the line was skipped (an error) or imported with something left out (a warning).
    public var skipped: Bool

    public var description: String {
        let place = field.map { "line \(line), field \"\($0)\"" } ?? "line \(line)"
        return "\(place): \(message)\(skipped ? " (line skipped)" : "")"
    }
}

/// What an import did.
public struct ImportReport: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var problems: [ImportProblem] = []

    /// Lines skipped because of errors.
    public var skipped: Int { problems.filter(\.skipped).count }
}
