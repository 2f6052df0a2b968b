/// A readable difference between two texts, word by word (longest common subsequence).
public enum TextDiff {
    /// One run of the result.
    public enum Change: Sendable, Equatable {
        case same(String)
        case added(String)
        case removed(String)
    }

    /// The changes turning `old` into `new`, with neighbouring runs of one kind merged.
    public static func words(_ old: String, _ new: String) -> [Change] {
        let a = tokens(old)
        let b = tokens(new)
        // Texts of news size; guard against pathological inputs by falling back to whole-text change.
        guard a.count * b.count <= 4_000_000 else {
            return old == new ? [.same(old)] : [.removed(old), .added(new)].filter { !$0.isEmpty }
        }
        var lengths = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var changes: [Change] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                changes.append(.same(a[i]))
                i += 1
                j += 1
            } else if j < b.count, i == a.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                changes.append(.added(b[j]))
                j += 1
            } else {
                changes.append(.removed(a[i]))
                i += 1
            }
        }
        return merge(changes)
    }

    /// Words and the whitespace after them, so that joining the tokens gives the text back.
    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inSpace = false
        for character in text {
            if character.isWhitespace {
                inSpace = true
                current.append(character)
            } else {
                if inSpace {
                    result.append(current)
                    current = ""
                    inSpace = false
                }
                current.append(character)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    static func merge(_ changes: [Change]) -> [Change] {
        var merged: [Change] = []
        for change in changes {
            switch (merged.last, change) {
            case (.same(let a)?, .same(let b)): merged[merged.count - 1] = .same(a + b)
            case (.added(let a)?, .added(let b)): merged[merged.count - 1] = .added(a + b)
            case (.removed(let a)?, .removed(let b)): merged[merged.count - 1] = .removed(a + b)
            default: merged.append(change)
            }
        }
        return merged
    }
}

extension TextDiff.Change {
    var isEmpty: Bool {
        switch self {
        case .same(let text), .added(let text), .removed(let text): text.isEmpty
        }
    }

    /// Whether the run differs between the versions.
    public var isChange: Bool {
        if case .same = self { return false }
        return true
    }
}
