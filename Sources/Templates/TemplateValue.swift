/// What a theme's template reads: a tree of text, numbers, flags, lists and objects, built once per page by its
/// view model. Looking a name up is a dictionary lookup; nothing is found by reflection or dynamic casts.
public enum TemplateValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case list([TemplateValue])
    case object([String: TemplateValue])

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
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
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
        case .null: output += Array("null".utf8)
        case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
        case .int(let number): output += Array(String(number).utf8)
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
            for (index, name) in members.keys.sorted().enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeJSONString(name, to: &output)
                output.append(UInt8(ascii: ":"))
                writeJSON(members[name]!, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeJSONString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                output += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
                output += [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
