/// What a theme's template reads: a tree of text, numbers, flags, lists and objects, built once per page by its
/// view model. Looking a name up is a dictionary lookup; nothing is found by reflection or dynamic casts.
public enum TemplateValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case list([TemplateValue])
    case object(TemplateObject)

    /// The member `name` of an object; `nil` for anything else or a missing member. Setting a member of
    /// something that is not an object makes it an object.
    public subscript(name: String) -> TemplateValue? {
        get {
            if case .object(let members) = self { return members[name] }
            return nil
        }
        set {
            guard case .object(var members) = self else {
                self = .object(newValue.map { [name: $0] } ?? [:])
                return
            }
            // Let go of the enum's reference first, so that the dictionary is changed in place, not copied.
            self = .null
            members[name] = newValue
            self = .object(members)
        }
    }

    /// Whether a section over this value renders nothing (and an inverted one renders).
    public var isFalsy: Bool {
        switch self {
        case .null: true
        case .bool(let value): !value
        case .list(let items): items.isEmpty
        case .int, .string, .object: false
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(TemplateObject(elements))
    }
}

/// An object's members, in the order they were set.
///
/// A page builds a few hundred small objects (a feed entry, its date, its photo) and the renderer looks names up
/// in them a few thousand times; for members this few, comparing the names in order costs less than hashing
/// them, and building the object allocates two arrays instead of a hash table. Objects with many members (a
/// theme's texts) also keep their positions by name.
public struct TemplateObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private struct Member: Sendable {
        let name: String
        var value: TemplateValue
    }

    /// One array, so that copying an object (as rendering does, level by level) retains one buffer.
    private var members: [Member] = []
    private var positions: [String: Int]?
    /// From this many members on, names are looked up in ``positions``.
    private static let indexedFrom = 16

    public init() {}

    /// The members of `elements`; of two with one name, the last.
    public init(_ elements: some Collection<(String, TemplateValue)>) {
        members.reserveCapacity(elements.count)
        for (name, value) in elements { self[name] = value }
    }

    public init(_ members: [String: TemplateValue]) {
        self.init(members.map { ($0.key, $0.value) })
    }

    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self.init(elements)
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    /// The members' names, in the order they were set.
    public var names: [String] { members.map(\.name) }

    /// The members ordered by name.
    public var sortedByName: [(name: String, value: TemplateValue)] {
        members.sorted { $0.name < $1.name }.map { ($0.name, $0.value) }
    }

    /// The members as a dictionary.
    public var dictionary: [String: TemplateValue] {
        Dictionary(members.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    private func position(of name: String) -> Int? {
        if let positions { return positions[name] }
        // Names of another length are passed over without comparing their text.
        let length = name.utf8.count
        for index in members.indices where members[index].name.utf8.count == length && members[index].name == name {
            return index
        }
        return nil
    }

    /// The member `name`; setting `nil` removes it.
    public subscript(name: String) -> TemplateValue? {
        get { position(of: name).map { members[$0].value } }
        set {
            if let at = position(of: name) {
                if let newValue {
                    members[at].value = newValue
                } else {
                    members.remove(at: at)
                    if positions != nil { index() }
                }
            } else if let newValue {
                members.append(Member(name: name, value: newValue))
                if positions != nil {
                    positions?[name] = members.count - 1
                } else if members.count >= Self.indexedFrom {
                    index()
                }
            }
        }
    }

    private mutating func index() {
        positions =
            members.count >= Self.indexedFrom
            ? Dictionary(members.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { _, last in last }) : nil
    }

    /// Sets every member of `other` (replacing those of the same name).
    public mutating func merge(_ other: TemplateObject) {
        for member in other.members { self[member.name] = member.value }
    }

    /// Equal when both have the same members, in whatever order.
    public static func == (left: TemplateObject, right: TemplateObject) -> Bool {
        left.count == right.count && left.members.allSatisfy { right[$0.name] == $0.value }
    }
}

extension TemplateValue {
    /// Text, or `null` when there is none (a section over it then renders nothing).
    public init(_ text: String?) { self = text.map { .string($0) } ?? .null }

}

extension TemplateValue {
    /// The value as JSON text, written in one pass: objects with their members in key order, and `<`, `>` and `&`
    /// written as `\u003c`, `\u003e` and `\u0026` (so the text can sit in an HTML `<script>` block). The same JSON
    /// as `JSONEncoder` with sorted keys makes, at a tenth of its cost.
    public var json: String {
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        Self.writeJSON(self, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func writeJSON(_ value: TemplateValue, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): output.append(contentsOf: String(number).utf8)
        case .string(let text): writeJSONString(text, to: &output)
        case .list(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeJSON(item, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.sortedByName.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeJSONString(member.name, to: &output)
                output.append(UInt8(ascii: ":"))
                writeJSON(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// `text` as a JSON string; the runs between characters that need escaping are copied whole.
    private static func writeJSONString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                let escape: UInt8
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): escape = byte
                case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
                case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
                case UInt8(ascii: "\t"): escape = UInt8(ascii: "t")
                case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"): escape = UInt8(ascii: "u")
                default: continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(UInt8(ascii: "\\"))
                output.append(escape)
                if escape == UInt8(ascii: "u") {
                    output.append(contentsOf: [
                        UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                    ])
                }
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }
}
