import Foundation
import NewsCore

/// A body block as read from imported HTML, before photos are resolved to media records.
public enum ImportedBlock: Equatable, Sendable {
    case block(Block)
    /// A photo by file reference, with what the HTML said about it.
    case image(source: String, alt: String, caption: String?, credit: String?)
}

/// Turns the simple HTML of news exports (`<p>`, `<h2>`, `<blockquote>` with `<cite>`, `<figure>` with
/// `<img>` and `<figcaption>`, lists, `<iframe>`, inline `<b>`/`<i>`/`<a>`) into typed blocks. Markup it
/// doesn't know is dropped and its text kept; scripts and styles are dropped whole.
public enum BodyHTML {
    /// Parses `html` into blocks.
    public static func blocks(from html: String) -> [ImportedBlock] {
        var parser = Parser(tokens: HTMLTokenizer.tokens(html))
        return parser.parseBlocks()
    }

    private struct Parser {
        let tokens: [HTMLTokenizer.Token]
        var position = 0
        var blocks: [ImportedBlock] = []

        init(tokens: [HTMLTokenizer.Token]) {
            self.tokens = tokens
        }

        mutating func parseBlocks() -> [ImportedBlock] {
            var loose: [Span] = []
            func flushLoose(_ blocks: inout [ImportedBlock]) {
                let spans = Self.tidy(loose)
                if !spans.isEmpty { blocks.append(.block(.paragraph(spans: spans))) }
                loose = []
            }
            while position < tokens.count {
                let token = tokens[position]
                position += 1
                switch token {
                case .start(let name, let attributes, _):
                    switch name {
                    case "p":
                        flushLoose(&blocks)
                        let spans = Self.tidy(inline(until: "p"))
                        if !spans.isEmpty { blocks.append(.block(.paragraph(spans: spans))) }
                    case "h1", "h2", "h3", "h4", "h5", "h6":
                        flushLoose(&blocks)
                        let text = Self.clean(inline(until: name).plainText)
                        if !text.isEmpty { blocks.append(.block(.heading(text: text))) }
                    case "blockquote":
                        flushLoose(&blocks)
                        if let quote = parseQuote() { blocks.append(quote) }
                    case "figure":
                        flushLoose(&blocks)
                        if let figure = parseFigure() { blocks.append(figure) }
                    case "img":
                        flushLoose(&blocks)
                        if let source = attributes["src"], !source.isEmpty {
                            blocks.append(
                                .image(source: source, alt: attributes["alt"] ?? "", caption: nil, credit: nil))
                        }
                    case "iframe":
                        flushLoose(&blocks)
                        skip(until: "iframe")
                        if let source = attributes["src"], Span.isSafeLink(source) {
                            blocks.append(.block(.embed(url: source)))
                        }
                    case "ul", "ol":
                        flushLoose(&blocks)
                        let items = parseList(name)
                        if !items.isEmpty { blocks.append(.block(.list(ordered: name == "ol", items: items))) }
                    case "script", "style":
                        skip(until: name)
                    default:
                        position -= 1
                        loose += inline(until: nil)
                    }
                case .text:
                    position -= 1
                    loose += inline(until: nil)
                case .end:
                    break
                }
            }
            flushLoose(&blocks)
            return blocks
        }

        static let blockTags: Set<String> = [
            "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "ul", "ol", "li", "iframe", "img",
            "figcaption", "cite", "div", "table",
        ]

        /// Reads inline content until the end tag `name` (or, for `nil`, until the next block-level tag).
        mutating func inline(until name: String?) -> [Span] {
            var spans: [Span] = []
            var bold = 0
            var italic = 0
            var links: [String?] = []
            let blockTags = Self.blockTags
            while position < tokens.count {
                let token = tokens[position]
                switch token {
                case .text(let text):
                    spans.append(Span(text, bold: bold > 0, italic: italic > 0, link: links.last { $0 != nil } ?? nil))
                case .start(let tag, let attributes, let selfClosing):
                    if name == nil, blockTags.contains(tag) { return spans }
                    if name != nil, blockTags.contains(tag), tag != "cite" || name == "p" { return spans }
                    switch tag {
                    case "b", "strong": bold += 1
                    case "i", "em": italic += 1
                    case "a":
                        let href = attributes["href"].flatMap { Span.isSafeLink($0) ? $0 : nil }
                        links.append(href)
                    case "br": spans.append(Span("\n", bold: bold > 0, italic: italic > 0))
                    case "script", "style":
                        position += 1
                        skip(until: tag)
                        continue
                    default: _ = selfClosing
                    }
                case .end(let tag):
                    if tag == name {
                        position += 1
                        return spans
                    }
                    if name == nil, blockTags.contains(tag) { return spans }
                    if name != nil, ["blockquote", "figure", "ul", "ol", "li", "figcaption"].contains(tag) {
                        return spans
                    }
                    switch tag {
                    case "b", "strong": bold = max(0, bold - 1)
                    case "i", "em": italic = max(0, italic - 1)
                    case "a": _ = links.popLast()
                    default: break
                    }
                }
                position += 1
            }
            return spans
        }

        mutating func skip(until name: String) {
            while position < tokens.count {
                defer { position += 1 }
                if case .end(let tag) = tokens[position], tag == name { return }
            }
        }

        mutating func parseQuote() -> ImportedBlock? {
            var paragraphs: [String] = []
            var attribution: String?
            while position < tokens.count {
                let token = tokens[position]
                position += 1
                switch token {
                case .end("blockquote"):
                    return Self.quote(paragraphs, attribution)
                case .start("cite", _, _):
                    attribution = Self.clean(inline(until: "cite").plainText)
                case .start("p", _, _):
                    paragraphs.append(Self.clean(inline(until: "p").plainText))
                case .start, .text:
                    position -= 1
                    let text = Self.clean(inline(until: "blockquote").plainText)
                    if !text.isEmpty { paragraphs.append(text) }
                    if position > 0, case .end("blockquote") = tokens[position - 1] {
                        return Self.quote(paragraphs, attribution)
                    }
                case .end:
                    break
                }
            }
            return Self.quote(paragraphs, attribution)
        }

        static func quote(_ paragraphs: [String], _ attribution: String?) -> ImportedBlock? {
            let text = paragraphs.filter { !$0.isEmpty }.joined(separator: "\n")
            guard !text.isEmpty else { return nil }
            let who = attribution.flatMap { $0.isEmpty ? nil : $0.trimmingCharacters(in: ["—", "–", "-", " "]) }
            return .block(.quote(text: text, attribution: who))
        }

        mutating func parseFigure() -> ImportedBlock? {
            var source: String?
            var alt = ""
            var caption = ""
            var credit: String?
            var embed: String?
            while position < tokens.count {
                let token = tokens[position]
                position += 1
                switch token {
                case .end("figure"):
                    position -= 1
                    position += 1
                    if let embed { return .block(.embed(url: embed)) }
                    guard let source else { return nil }
                    let text = Self.clean(caption)
                    return .image(source: source, alt: alt, caption: text.isEmpty ? nil : text, credit: credit)
                case .start("img", let attributes, _):
                    source = attributes["src"]
                    alt = attributes["alt"] ?? ""
                case .start("iframe", let attributes, _):
                    embed = attributes["src"].flatMap { Span.isSafeLink($0) ? $0 : nil }
                case .start("cite", _, _):
                    credit = Self.clean(inline(until: "cite").plainText)
                case .start("a", let attributes, _) where embed == nil && source == nil:
                    embed = attributes["href"].flatMap { Span.isSafeLink($0) ? $0 : nil }
                case .text(let text):
                    caption += text
                default:
                    break
                }
            }
            return nil
        }

        mutating func parseList(_ name: String) -> [[Span]] {
            var items: [[Span]] = []
            while position < tokens.count {
                let token = tokens[position]
                position += 1
                switch token {
                case .end(let tag) where tag == name:
                    return items
                case .start("li", _, _):
                    let spans = Self.tidy(inline(until: "li"))
                    if !spans.isEmpty { items.append(spans) }
                default:
                    break
                }
            }
            return items
        }

        /// Collapses whitespace runs, trims the ends and merges neighbouring spans with equal marks.
        static func tidy(_ spans: [Span]) -> [Span] {
            var merged: [Span] = []
            for span in spans {
                var text = collapse(span.text)
                guard !text.isEmpty else { continue }
                let previousEndsWithSpace = merged.last?.text.unicodeScalars.last == " "
                if previousEndsWithSpace, text.unicodeScalars.first == " " { text.removeFirst() }
                guard !text.isEmpty else { continue }
                if var last = merged.last, last.bold == span.bold, last.italic == span.italic, last.link == span.link {
                    last.text += text
                    merged[merged.count - 1] = last
                } else {
                    merged.append(Span(text, bold: span.bold, italic: span.italic, link: span.link))
                }
            }
            // Trim the paragraph's ends.
            while let first = merged.first {
                let trimmed = String(first.text.unicodeScalars.drop { $0.properties.isWhitespace })
                if trimmed.isEmpty {
                    merged.removeFirst()
                } else {
                    merged[0].text = trimmed
                    break
                }
            }
            while let last = merged.last {
                var scalars = last.text.unicodeScalars
                while let end = scalars.last, end.properties.isWhitespace { scalars.removeLast() }
                if scalars.isEmpty {
                    merged.removeLast()
                } else {
                    merged[merged.count - 1].text = String(scalars)
                    break
                }
            }
            return merged
        }

        /// Runs of spaces, tabs and line breaks become one space; a `<br>` ("\n" alone) is kept.
        static func collapse(_ text: String) -> String {
            if text == "\n" { return text }
            var result = String.UnicodeScalarView()
            var pendingSpace = false
            for scalar in text.unicodeScalars {
                if scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" {
                    pendingSpace = true
                    continue
                }
                if pendingSpace {
                    result.append(" ")
                    pendingSpace = false
                }
                result.append(scalar)
            }
            if pendingSpace { result.append(" ") }
            return String(result)
        }

        static func clean(_ text: String) -> String {
            text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
    }
}
