import Foundation

/// A forgiving tokenizer for the simple HTML that news systems export: tags with attributes, text
/// with entities. It never fails: anything it can't read as a tag is text.
struct HTMLTokenizer {
    enum Token: Equatable {
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    static func tokens(_ html: String) -> [Token] {
        var tokens: [Token] = []
        var text = ""
        var index = html.startIndex
        func flushText() {
            if !text.isEmpty {
                tokens.append(.text(decodeEntities(text)))
                text = ""
            }
        }
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let close = html[index...].firstIndex(of: ">") {
                let inner = html[html.index(after: index)..<close]
                if inner.hasPrefix("!--") {
                    // Comment: skip to "-->".
                    if let end = html[index...].range(of: "-->") {
                        flushText()
                        index = end.upperBound
                        continue
                    }
                }
                if let token = parseTag(String(inner)) {
                    flushText()
                    tokens.append(token)
                    index = html.index(after: close)
                    continue
                }
            }
            text.append(character)
            index = html.index(after: index)
        }
        flushText()
        return tokens
    }

    private static func parseTag(_ inner: String) -> Token? {
        var body = Substring(inner)
        if body.hasPrefix("/") {
            let name = body.dropFirst().trimmingPrefixWhitespace().prefix { $0.isLetter || $0.isNumber }
            return name.isEmpty ? nil : .end(name: name.lowercased())
        }
        guard let first = body.first, first.isLetter else { return nil }
        let selfClosing = body.hasSuffix("/")
        if selfClosing { body = body.dropLast() }
        let name = body.prefix { $0.isLetter || $0.isNumber }
        var rest = body.dropFirst(name.count)
        var attributes: [String: String] = [:]
        while true {
            rest = rest.trimmingPrefixWhitespace()
            let key = rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != ">" }
            if key.isEmpty { break }
            rest = rest.dropFirst(key.count).trimmingPrefixWhitespace()
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst().trimmingPrefixWhitespace()
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    let valueBody = rest.dropFirst()
                    let raw = valueBody.prefix { $0 != quote }
                    value = String(raw)
                    rest = valueBody.dropFirst(raw.count + 1)
                } else {
                    let raw = rest.prefix { !$0.isWhitespace }
                    value = String(raw)
                    rest = rest.dropFirst(raw.count)
                }
            }
            attributes[key.lowercased()] = decodeEntities(value)
        }
        let lower = name.lowercased()
        let voids: Set<String> = ["br", "img", "hr", "source", "meta", "link", "input"]
        return .start(name: lower, attributes: attributes, selfClosing: selfClosing || voids.contains(lower))
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "laquo": "«",
        "raquo": "»", "mdash": "—", "ndash": "–", "hellip": "…", "rsquo": "’", "lsquo": "‘", "ldquo": "“",
        "rdquo": "”", "bdquo": "„", "shy": "\u{00AD}", "copy": "©",
    ]

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "&", let semicolon = text[index...].prefix(12).firstIndex(of: ";") {
                let entity = text[text.index(after: index)..<semicolon]
                var replacement: String?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let code = UInt32(entity.dropFirst(2), radix: 16) {
                    replacement = Unicode.Scalar(code).map { String(Character($0)) }
                } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()) {
                    replacement = Unicode.Scalar(code).map { String(Character($0)) }
                } else {
                    replacement = named[String(entity)]
                }
                if let replacement {
                    result += replacement
                    index = text.index(after: semicolon)
                    continue
                }
            }
            result.append(text[index])
            index = text.index(after: index)
        }
        return result
    }
}

extension Substring {
    fileprivate func trimmingPrefixWhitespace() -> Substring { drop { $0.isWhitespace } }
}
