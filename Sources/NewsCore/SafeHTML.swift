import Foundation

/// The HTML a raw block may hold: tables, preformatted text, definition lists and simple text marks, with no
/// script, style, event handler, form, frame or foreign address but a checked link. Everything else is unwrapped
/// (its text kept) or, for what carries no text a reader sees, taken out.
///
/// It is applied on every save, so a raw block written by the importer, the editor or the API holds only this.
/// Cleaning clean HTML returns it unchanged.
public enum SafeHTML {
    /// `html` cleaned.
    ///
    /// The parser repairs structure (a paragraph around loose text, cells closed, a list item moved), so what one
    /// pass writes may be read differently again; passes repeat until the text stops changing. Markup that would
    /// still change after a few passes is kept as its text.
    public static func clean(_ html: String) -> String {
        var current = pass(html)
        for _ in 0..<4 {
            let next = pass(current)
            if next == current { return current }
            current = next
        }
        let text = MarkupTree.with(fragment: current) { $0.map(\.textContent).joined() }
        let paragraph = "<p>" + escape(text.trimmingCharacters(in: .whitespacesAndNewlines)) + "</p>"
        return pass(paragraph) == paragraph ? paragraph : ""
    }

    private static func pass(_ html: String) -> String {
        MarkupTree.with(fragment: html) { nodes in
            var writer = Writer()
            for node in nodes { writer.write(node, depth: 0) }
            return writer.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The safe form of `node` (for callers that already hold a tree).
    public static func html(of node: MarkupNode) -> String {
        var writer = Writer()
        writer.write(node, depth: 0)
        return clean(writer.output)
    }

    /// Elements kept, with the attributes each may keep.
    static let allowed: [String: Set<String>] = [
        "table": [], "thead": [], "tbody": [], "tfoot": [], "tr": [], "td": ["colspan", "rowspan"],
        "th": ["colspan", "rowspan", "scope"], "caption": [], "p": [], "br": [], "b": [], "strong": [], "i": [],
        "em": [], "u": [], "s": [], "sub": [], "sup": [], "small": [], "mark": [], "code": [], "pre": [], "kbd": [],
        "abbr": ["title"], "a": ["href", "title"], "ul": [], "ol": [], "li": [], "dl": [], "dt": [], "dd": [],
        "h2": [], "h3": [], "h4": [], "blockquote": [], "hr": [], "figure": [], "figcaption": [], "div": [],
        "span": [], "cite": [], "q": [], "del": [], "ins": [], "time": [],
    ]

    /// Elements with no content: written without an end tag.
    static let void: Set<String> = ["br", "hr"]

    /// Deeper than this, the rest of a branch is kept as its text.
    static let maxDepth = 64

    struct Writer {
        var output = ""

        mutating func write(_ node: MarkupNode, depth: Int) {
            switch node.kind {
            case .text:
                output += SafeHTML.escape(node.text)
            case .other:
                return
            case .element:
                let name = node.name
                if MarkupNode.invisible.contains(name) { return }
                if depth >= SafeHTML.maxDepth {
                    output += SafeHTML.escape(node.textContent)
                    return
                }
                guard let attributes = SafeHTML.allowed[name] else {
                    for child in node.children { write(child, depth: depth + 1) }
                    return
                }
                output += "<" + name
                for attribute in node.attributeNames where attributes.contains(attribute) {
                    guard let value = node.attribute(attribute), let safe = SafeHTML.value(attribute, value) else {
                        continue
                    }
                    output += " " + attribute + "=\"" + SafeHTML.escape(safe, quote: true) + "\""
                }
                output += ">"
                if SafeHTML.void.contains(name) { return }
                for child in node.children { write(child, depth: depth + 1) }
                output += "</" + name + ">"
            }
        }
    }

    /// An attribute's value when it is safe to keep.
    static func value(_ attribute: String, _ value: String) -> String? {
        switch attribute {
        case "href":
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            return Span.isSafeLink(trimmed) ? trimmed : nil
        case "colspan", "rowspan":
            guard let number = Int(value.trimmingCharacters(in: .whitespaces)), (1...100).contains(number) else {
                return nil
            }
            return String(number)
        case "scope":
            return ["row", "col", "rowgroup", "colgroup"].contains(value) ? value : nil
        default:
            return value
        }
    }

    /// `text` with `&`, `<` and `>` (and, in attributes, `"`) written as entities.
    public static func escape(_ text: String, quote: Bool = false) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || (quote && $0 == 0x22) }) else {
            return text
        }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quote: result += "&quot;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}

extension Article {
    /// The article with every raw block's HTML cleaned (``SafeHTML``); raw blocks left empty are removed.
    public func withSafeRawHTML() -> Article {
        guard body.contains(where: { if case .raw = $0 { true } else { false } }) else { return self }
        var article = self
        article.body = body.compactMap { block in
            guard case .raw(let html) = block else { return block }
            let clean = SafeHTML.clean(html)
            return clean.isEmpty ? nil : .raw(html: clean)
        }
        return article
    }
}
