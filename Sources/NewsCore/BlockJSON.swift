import Foundation

extension Block {
    /// The blocks of a body as stored (the JSON `JSONEncoder` writes for `[Block]`).
    ///
    /// Every public article page reads one body, and `JSONDecoder` took a tenth of the page's time for it (64 µs
    /// for 6 KB: the synthesised decoding of an enum with associated values makes nested containers and lists
    /// every key). The stored form is read here in one pass over its bytes instead; anything this reader does not
    /// expect (a number with a fraction, a key twice, a block it does not know) goes to `JSONDecoder`, so the
    /// result, or the error, is always the one `JSONDecoder` gives.
    public static func decodeBody(_ json: String) throws -> [Block] {
        if let blocks = BodyReader.blocks(of: json) { return blocks }
        return try JSONDecoder().decode([Block].self, from: Data(json.utf8))
    }
}

extension Block {
    /// The first whole blocks of a body of which only the start was read (`json` cut anywhere, even inside a block):
    /// what a search result's snippet needs, without reading a long story whole. The blocks up to the first that
    /// is cut, or that this reader does not know, are given.
    public static func decodeLeadingBlocks(_ json: String) -> [Block] {
        BodyReader.leadingBlocks(of: json)
    }
}

/// A strict reader of the JSON subset that stored bodies use; `nil` for anything else.
enum BodyReader {
    static func leadingBlocks(of json: String) -> [Block] {
        var json = json
        return json.withUTF8 { bytes in
            var parser = JSONBytes(bytes: bytes)
            var blocks: [Block] = []
            for item in parser.leadingArrayItems() {
                guard let block = block(item) else { break }
                blocks.append(block)
            }
            return blocks
        }
    }

    static func blocks(of json: String) -> [Block]? {
        var json = json
        return json.withUTF8 { bytes in
            var parser = JSONBytes(bytes: bytes)
            guard let value = parser.document() else { return nil }
            guard case .array(let items) = value else { return nil }
            var blocks: [Block] = []
            blocks.reserveCapacity(items.count)
            for item in items {
                guard let block = block(item) else { return nil }
                blocks.append(block)
            }
            return blocks
        }
    }

    private static func block(_ value: JSONBytes.Value) -> Block? {
        guard case .object(let outer) = value, outer.count == 1, case .object(let fields) = outer[0].value,
            let payload = Payload(fields)
        else { return nil }
        switch outer[0].name {
        case "paragraph":
            return payload.spans("spans").map { .paragraph(spans: $0) }
        case "heading":
            return payload.string("text").map { .heading(text: $0) }
        case "quote":
            guard let text = payload.string("text"), let attribution = payload.optionalString("attribution") else {
                return nil
            }
            return .quote(text: text, attribution: attribution)
        case "image":
            guard let id = payload.integer("mediaID"), let caption = payload.optionalString("caption"),
                let credit = payload.optionalString("credit")
            else { return nil }
            return .image(mediaID: id, caption: caption, credit: credit)
        case "embed":
            return payload.string("url").map { .embed(url: $0) }
        case "list":
            guard let ordered = payload.bool("ordered"), case .array(let rows)? = payload["items"] else { return nil }
            var items: [[Span]] = []
            for row in rows {
                guard let spans = Payload.spans(row) else { return nil }
                items.append(spans)
            }
            return .list(ordered: ordered, items: items)
        case "readAlso":
            return payload.integer("articleID").map { .readAlso(articleID: $0) }
        case "raw":
            return payload.string("html").map { .raw(html: $0) }
        default:
            return nil
        }
    }

    /// An object's members by name; `nil` when a name comes twice.
    private struct Payload {
        let members: [(name: String, value: JSONBytes.Value)]

        init?(_ members: [(name: String, value: JSONBytes.Value)]) {
            for (index, member) in members.enumerated()
            where members[..<index].contains(where: { $0.name == member.name }) {
                return nil
            }
            self.members = members
        }

        subscript(name: String) -> JSONBytes.Value? { members.first { $0.name == name }?.value }

        func string(_ name: String) -> String? {
            if case .string(let text)? = self[name] { return text }
            return nil
        }

        /// `.some(nil)` for a member that is absent or `null`; `nil` for one of another type.
        func optionalString(_ name: String) -> String?? {
            switch self[name] {
            case nil, .null?: return .some(nil)
            case .string(let text)?: return .some(text)
            default: return nil
            }
        }

        func optionalBool(_ name: String) -> Bool?? {
            switch self[name] {
            case nil, .null?: return .some(nil)
            case .bool(let flag)?: return .some(flag)
            default: return nil
            }
        }

        func bool(_ name: String) -> Bool? {
            if case .bool(let flag)? = self[name] { return flag }
            return nil
        }

        func integer(_ name: String) -> Int64? {
            if case .integer(let number)? = self[name] { return number }
            return nil
        }

        func spans(_ name: String) -> [Span]? { self[name].flatMap(Self.spans) }

        static func spans(_ value: JSONBytes.Value) -> [Span]? {
            guard case .array(let items) = value else { return nil }
            var spans: [Span] = []
            spans.reserveCapacity(items.count)
            for item in items {
                guard case .object(let members) = item, let span = Payload(members), let text = span.string("text"),
                    let bold = span.optionalBool("bold"), let italic = span.optionalBool("italic"),
                    let link = span.optionalString("link")
                else { return nil }
                // As `Span.init(from:)`: absent marks are unset, an empty link is none.
                spans.append(
                    Span(
                        text, bold: bold ?? false, italic: italic ?? false, link: link.flatMap { $0.isEmpty ? nil : $0 }
                    ))
            }
            return spans
        }
    }
}

/// JSON values read from UTF-8 bytes: every step consumes at least one byte or fails, nesting is bounded, and
/// numbers are integers only (a stored body has no others).
struct JSONBytes {
    indirect enum Value {
        case null
        case bool(Bool)
        case integer(Int64)
        case string(String)
        case array([Value])
        case object([(name: String, value: Value)])
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    static let maxDepth = 64

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// One value and nothing after it but white space.
    mutating func document() -> Value? {
        guard let value = value(depth: 0) else { return nil }
        skipSpace()
        return position == bytes.count ? value : nil
    }

    /// The whole items at the start of an array, however the bytes end after them (cut, or not JSON).
    mutating func leadingArrayItems() -> [Value] {
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { return [] }
        position += 1
        var items: [Value] = []
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] != UInt8(ascii: "]"), let item = value(depth: 1) else {
                return items
            }
            items.append(item)
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return items }
            position += 1
        }
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func literal(_ word: StaticString, _ value: Value) -> Value? {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return nil }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return nil }
        position += count
        return value
    }

    private mutating func value(depth: Int) -> Value? {
        skipSpace()
        guard position < bytes.count, depth < Self.maxDepth else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map { .string($0) }
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer()
        default: return nil
        }
    }

    private mutating func array(depth: Int) -> Value? {
        position += 1
        var items: [Value] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            guard let item = value(depth: depth + 1) else { return nil }
            items.append(item)
            skipSpace()
            guard position < bytes.count else { return nil }
            let separator = bytes[position]
            position += 1
            if separator == UInt8(ascii: "]") { return .array(items) }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
    }

    private mutating func object(depth: Int) -> Value? {
        position += 1
        var members: [(name: String, value: Value)] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let name = string() else { return nil }
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            guard let member = value(depth: depth + 1) else { return nil }
            members.append((name, member))
            skipSpace()
            guard position < bytes.count else { return nil }
            let separator = bytes[position]
            position += 1
            if separator == UInt8(ascii: "}") { return .object(members) }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
    }

    /// An integer as JSON writes it (no leading zeros, no fraction or exponent) that fits in 64 bits.
    private mutating func integer() -> Value? {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
            position += 1
        }
        let digits = position - digitsStart
        guard digits > 0, digits <= 19, !(digits > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else { return nil }
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) {
            return nil
        }
        var number: Int64 = 0
        for index in digitsStart..<position {
            let (times, overflow) = number.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            number = sum
        }
        return .integer(bytes[start] == UInt8(ascii: "-") ? -number : number)
    }

    /// A string; the runs without escapes are copied whole. `nil` for control characters, bad escapes, lone
    /// surrogates or bytes that are not UTF-8.
    private mutating func string() -> String? {
        position += 1
        var text: [UInt8] = []
        var escaped = false
        var runStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                // Most strings have no escape: made straight from the bytes.
                if text.isEmpty && !escaped { return String(validating: run, as: UTF8.self) }
                text.append(contentsOf: run)
                return String(validating: text, as: UTF8.self)
            }
            if byte < 0x20 { return nil }
            guard byte == UInt8(ascii: "\\") else {
                position += 1
                continue
            }
            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            escaped = true
            position += 1
            guard position < bytes.count else { return nil }
            let code = bytes[position]
            position += 1
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(code)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if (0xD800...0xDBFF).contains(scalar) {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    else { return nil }
                    position += 2
                    guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                text.append(contentsOf: String(Character(unicode)).utf8)
            default: return nil
            }
            runStart = position
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        return value
    }
}
