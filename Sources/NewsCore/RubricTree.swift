/// The rubrics as a tree: which sit under which. Built from the list every page already holds, so the menu, a
/// rubric page's breadcrumbs and the stories it lists need no query of their own. A parent that is missing or a
/// loop (which the newsroom refuses to store) makes a rubric a top one.
public struct RubricTree: Sendable {
    public let rubrics: [Rubric]
    private let byID: [Int64: Rubric]
    private let children: [Int64: [Rubric]]

    /// The tree of `rubrics` (in menu order).
    public init(_ rubrics: [Rubric]) {
        self.rubrics = rubrics
        var byID: [Int64: Rubric] = [:]
        for rubric in rubrics { if let id = rubric.id { byID[id] = rubric } }
        self.byID = byID
        var children: [Int64: [Rubric]] = [:]
        for rubric in rubrics {
            if let parent = rubric.parentID, byID[parent] != nil { children[parent, default: []].append(rubric) }
        }
        self.children = children
    }

    /// The rubric with `id`.
    public subscript(id: Int64) -> Rubric? { byID[id] }

    /// The rubrics at the top, in menu order: the site's navigation.
    public var top: [Rubric] { rubrics.filter { ancestors(of: $0).isEmpty } }

    /// The rubrics directly under `rubric`, in menu order.
    public func children(of rubric: Rubric) -> [Rubric] {
        rubric.id.flatMap { children[$0] } ?? []
    }

    /// The rubrics above `rubric`, the top one first. Stops at a loop or a missing parent.
    public func ancestors(of rubric: Rubric) -> [Rubric] {
        var chain: [Rubric] = []
        var seen: Set<Int64> = rubric.id.map { [$0] } ?? []
        var next = rubric.parentID
        while let id = next, let parent = byID[id], seen.insert(id).inserted {
            chain.append(parent)
            next = parent.parentID
        }
        // A loop has no top: every rubric on it is shown as a top one.
        if let id = next, seen.contains(id), byID[id] != nil { return [] }
        return chain.reversed()
    }

    /// `rubric`'s name with those above it, as the newsroom's lists show it: "Новини › Львів".
    public func label(of rubric: Rubric) -> String {
        (ancestors(of: rubric).map(\.name) + [rubric.name]).joined(separator: " › ")
    }

    /// The top rubric `rubric` sits under (itself when it is a top one).
    public func root(of rubric: Rubric) -> Rubric { ancestors(of: rubric).first ?? rubric }

    /// `rubric`'s id and those of every rubric under it, at any depth: the stories its page lists.
    public func family(of rubric: Rubric) -> [Int64] {
        guard let id = rubric.id else { return [] }
        var ids: [Int64] = [id]
        var seen: Set<Int64> = [id]
        var index = 0
        while index < ids.count {
            for child in children[ids[index]] ?? [] {
                if let childID = child.id, seen.insert(childID).inserted { ids.append(childID) }
            }
            index += 1
        }
        return ids
    }

    /// Whether some rubric sits, through its parents, under itself.
    public var hasLoop: Bool { rubrics.contains { $0.id.map { makesLoop($0, under: byID[$0]?.parentID) } ?? false } }

    /// Whether setting `parentID` as the parent of the rubric with `id` would make a loop.
    public func makesLoop(_ id: Int64, under parentID: Int64?) -> Bool {
        var next = parentID
        var steps = 0
        while let current = next, steps <= rubrics.count {
            if current == id { return true }
            next = byID[current]?.parentID
            steps += 1
        }
        return false
    }
}
