extension Block {
    /// A body as stored: the JSON that `JSONEncoder` writes for `[Block]` (the same members; "/" is not escaped),
    /// which ``decodeBody(_:)`` and `JSONDecoder` read back. Written in one pass: `JSONEncoder` builds a tree of
    /// values for the synthesised encoding and cost every story an import stores twice (the story and its revision).
    public static func encodeBody(_ blocks: [Block]) -> String {
        var writer = BodyWriter()
        writer.body(blocks)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// Writes bodies as JSON, byte by byte.
struct BodyWriter {
    var bytes: [UInt8] = []

    mutating func body(_ blocks: [Block]) {
        bytes.reserveCapacity(256 * max(1, blocks.count))
        list(blocks) { writer, block in writer.block(block) }
    }

    private mutating func block(_ block: Block) {
        switch block {
        case .paragraph(let spans):
            open("paragraph")
            key("spans", first: true)
            self.spans(spans)
        case .heading(let text):
            open("heading")
            member("text", text, first: true)
        case .quote(let text, let attribution):
            open("quote")
            member("text", text, first: true)
            if let attribution { member("attribution", attribution) }
        case .image(let mediaID, let caption, let credit):
            open("image")
            key("mediaID", first: true)
            raw(String(mediaID))
            if let caption { member("caption", caption) }
            if let credit { member("credit", credit) }
        case .embed(let url):
            open("embed")
            member("url", url, first: true)
        case .list(let ordered, let items):
            open("list")
            key("ordered", first: true)
            raw(ordered ? "true" : "false")
            key("items")
            list(items) { writer, spans in writer.spans(spans) }
        case .readAlso(let articleID):
            open("readAlso")
            key("articleID", first: true)
            raw(String(articleID))
        case .raw(let html):
            open("raw")
            member("html", html, first: true)
        }
        raw("}}")
    }

    private mutating func spans(_ spans: [Span]) {
        list(spans) { writer, span in
            writer.raw("{")
            writer.member("text", span.text, first: true)
            writer.key("bold")
            writer.raw(span.bold ? "true" : "false")
            writer.key("italic")
            writer.raw(span.italic ? "true" : "false")
            if let link = span.link { writer.member("link", link) }
            writer.raw("}")
        }
    }

    private mutating func list<T>(_ items: [T], _ write: (inout BodyWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `{"name":{`: a block's case and the start of its members.
    private mutating func open(_ name: String) {
        raw("{")
        string(name)
        raw(":{")
    }

    private mutating func key(_ name: String, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func member(_ name: String, _ value: String, first: Bool = false) {
        key(name, first: first)
        string(value)
    }

    private mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else as it is (copied in runs).
    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        let backslash = UInt8(ascii: "\\")
        switch byte {
        case 0x22, 0x5C: bytes.append(contentsOf: [backslash, byte])
        case 0x0A: bytes.append(contentsOf: [backslash, UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [backslash, UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [backslash, UInt8(ascii: "t")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}
