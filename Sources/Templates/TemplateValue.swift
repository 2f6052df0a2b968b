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

/// JSON as the value's shape gives it (objects with their keys, lists, text, numbers, flags, `null`): for data a
/// page carries as JSON, such as its schema.org description.
extension TemplateValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .int(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for (name, value) in members { try container.encode(value, forKey: MemberKey(name)) }
        }
    }

    private struct MemberKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
