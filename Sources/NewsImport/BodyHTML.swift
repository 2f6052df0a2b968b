import Foundation
import NewsCore

/// A body block as read from imported HTML, before photos are resolved to media records.
public enum ImportedBlock: Equatable, Sendable {
    case block(Block)
    /// A photo by file reference, with what the HTML said about it.
    case image(source: String, alt: String, caption: String?, credit: String?)
}

/// What a body became, and what the conversion had to leave out or keep as HTML (for the import's report).
public struct BodyConversion: Equatable, Sendable {
    public var blocks: [ImportedBlock] = []
    /// One line per kind of thing removed or kept as HTML ("removed <script>"), each once, in order of first sight.
    public var notes: [String] = []
}

/// Turns the HTML of imported articles into typed blocks, read by libxml2's HTML parser (``MarkupTree``) so that
/// any markup, however broken, is read as a browser reads it, in one pass over a finite tree: paragraphs
/// (WordPress's bare text with blank lines too, with `autop`), headings, quotes, lists, photos with captions and
/// credits, galleries, embeds (YouTube, Facebook, X, Telegram, Instagram and any iframe, which the page shows as
/// a player or a link) and inline bold, italic and links. Tables and other markup without a block of their own
/// are kept as a raw block of ``SafeHTML``. Scripts, styles and event handlers are removed, and said so.
public enum BodyHTML {
    /// Parses `html` into blocks.
    public static func blocks(from html: String, autop: Bool = false) -> [ImportedBlock] {
        convert(html, autop: autop).blocks
    }

    /// Parses `html` into blocks, with notes on what was removed or kept as HTML.
    /// - Parameter autop: read blank lines as paragraph breaks and single line breaks as `<br>`, as WordPress shows
    ///   a post written in its classic editor; a line holding only an address becomes an embed.
    public static func convert(_ html: String, autop: Bool = false) -> BodyConversion {
        MarkupTree.with(fragment: html) { nodes in
            var converter = Converter(autop: autop)
            for node in nodes { converter.visit(node, depth: 0) }
            converter.flush()
            return BodyConversion(blocks: converter.blocks, notes: converter.notes)
        }
    }

    /// Deeper than this, the rest of a branch is read as plain text.
    static let maxDepth = 200

    struct Converter {
        let autop: Bool
        var blocks: [ImportedBlock] = []
        var notes: [String] = []
        /// The paragraph being read.
        var spans: [Span] = []
        var bold = 0
        var italic = 0
        var links: [String?] = []

        init(autop: Bool) {
            self.autop = autop
        }

        mutating func note(_ text: String) {
            if !notes.contains(text) { notes.append(text) }
        }

        /// Ends the paragraph being read.
        mutating func flush() {
            let tidied = BodyHTML.tidy(spans)
            if !tidied.isEmpty { blocks.append(.block(.paragraph(spans: tidied))) }
            spans = []
        }

        mutating func add(_ text: String) {
            guard !text.isEmpty else { return }
            spans.append(Span(text, bold: bold > 0, italic: italic > 0, link: links.last { $0 != nil } ?? nil))
        }

        /// Text at the current place; with `autop`, blank lines end paragraphs and a line break is a `<br>`.
        mutating func addText(_ text: String) {
            guard autop, text.utf8.contains(UInt8(ascii: "\n")) else { return add(text) }
            let parts = BodyHTML.paragraphs(text)
            for (index, part) in parts.enumerated() {
                if index > 0 { flush() }
                let trimmed = part.trimmingWhitespace()
                if spans.isEmpty, BodyHTML.isBareAddress(trimmed) {
                    blocks.append(.block(.embed(url: trimmed)))
                    continue
                }
                let lines = part.split(separator: "\n", omittingEmptySubsequences: false)
                for (number, line) in lines.enumerated() {
                    if number > 0, !spans.isEmpty, number < lines.count - 1 || !line.isEmpty { add("\n") }
                    add(String(line))
                }
            }
        }

        mutating func visit(_ node: MarkupNode, depth: Int) {
            switch node.kind {
            case .other:
                return
            case .text:
                addText(node.text)
                return
            case .element:
                break
            }
            if depth >= BodyHTML.maxDepth {
                note("markup nested deeper than \(BodyHTML.maxDepth) levels kept as its text")
                add(node.textContent)
                return
            }
            if node.attributeNames.contains(where: { $0.hasPrefix("on") }) { note("removed event handler attributes") }
            let name = node.name
            switch name {
            case "b", "strong":
                bold += 1
                visitChildren(node, depth)
                bold -= 1
            case "i", "em":
                italic += 1
                visitChildren(node, depth)
                italic -= 1
            case "a":
                links.append(node.attribute("href").map(BodyHTML.trimmed).flatMap { Span.isSafeLink($0) ? $0 : nil })
                visitChildren(node, depth)
                links.removeLast()
            case "br":
                add("\n")
            case "p":
                flush()
                visitChildren(node, depth)
                flush()
            case "h1", "h2", "h3", "h4", "h5", "h6":
                flush()
                let text = BodyHTML.clean(node.textContent)
                if !text.isEmpty { blocks.append(.block(.heading(text: text))) }
                images(in: node)
            case "blockquote":
                flush()
                quote(node)
            case "ul", "ol":
                flush()
                list(node, depth: depth)
            case "figure":
                flush()
                figure(node, depth: depth)
            case "img":
                flush()
                image(node, caption: nil, credit: nil)
            case "iframe":
                flush()
                embed(node.attribute("src"))
            case "video", "audio":
                flush()
                let source = node.attribute("src") ?? node.first { $0.name == "source" }?.attribute("src")
                embed(source)
            case "script":
                if let post = node.attribute("data-telegram-post"), !post.isEmpty {
                    flush()
                    embed("https://t.me/" + post)
                } else {
                    note("removed <script>")
                }
            case "style":
                note("removed <style>")
            case "input", "select", "textarea", "button":
                note("removed form controls")
            case "noscript", "template", "head", "title", "meta", "link", "object", "embed", "svg", "math", "canvas",
                "map":
                note("removed <\(name)>")
            case "table", "pre", "dl", "hr", "details":
                flush()
                raw(node)
            case "div" where node.hasClass("wp-caption"):
                flush()
                captioned(node, depth: depth)
            case "div" where node.hasClass("gallery") || node.hasClass("tiled-gallery"):
                flush()
                gallery(node, caption: nil)
            case "div" where node.hasClass(prefix: "fb-") && node.attribute("data-href") != nil:
                flush()
                embed(node.attribute("data-href"))
            case "div", "section", "article", "main", "header", "footer", "aside", "center", "nav", "address", "body",
                "html", "form", "fieldset", "figcaption", "li", "dd", "dt", "caption":
                flush()
                visitChildren(node, depth)
                flush()
            default:
                visitChildren(node, depth)
            }
        }

        mutating func visitChildren(_ node: MarkupNode, _ depth: Int) {
            for child in node.children { visit(child, depth: depth + 1) }
        }

        mutating func embed(_ address: String?) {
            guard let address = address.map(BodyHTML.trimmed), !address.isEmpty else { return }
            let url = address.hasPrefix("//") ? "https:" + address : address
            let lower = url.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
                note("removed an embed without a web address")
                return
            }
            blocks.append(.block(.embed(url: url)))
        }

        mutating func image(_ node: MarkupNode, caption: String?, credit: String?) {
            guard let source = (node.attribute("src") ?? node.attribute("data-src")).map(BodyHTML.trimmed),
                !source.isEmpty
            else {
                note("removed an image without an address")
                return
            }
            blocks.append(
                .image(
                    source: source, alt: BodyHTML.clean(node.attribute("alt") ?? ""), caption: caption, credit: credit))
        }

        /// Images inside an element read for its text only (a heading, a quote) follow it.
        mutating func images(in node: MarkupNode) {
            for image in node.all(where: { $0.name == "img" }) { self.image(image, caption: nil, credit: nil) }
        }

        mutating func raw(_ node: MarkupNode) {
            let html = SafeHTML.html(of: node)
            if node.name == "hr" {
                blocks.append(.block(.raw(html: "<hr>")))
                return
            }
            guard !BodyHTML.clean(node.textContent).isEmpty else { return }
            note("kept <\(node.name)> as HTML for an editor to check")
            blocks.append(.block(.raw(html: html)))
        }

        mutating func quote(_ node: MarkupNode) {
            if node.hasClass("twitter-tweet") {
                let links = node.all(where: { $0.name == "a" }).compactMap { $0.attribute("href") }
                return embed(links.last { $0.contains("/status/") } ?? links.last)
            }
            if node.hasClass("instagram-media") {
                return embed(
                    node.attribute("data-instgrm-permalink")
                        ?? node.first { $0.name == "a" && $0.attribute("href") != nil }?.attribute("href"))
            }
            if node.hasClass("tiktok-embed") { return embed(node.attribute("cite")) }
            var parts: [String] = []
            var attribution: String?
            var loose = ""
            for child in node.children {
                if child.kind == .element, child.name == "cite" || child.name == "footer" {
                    attribution = BodyHTML.clean(child.textContent)
                } else if child.kind == .element, BodyHTML.blockLevel.contains(child.name) {
                    parts.append(loose)
                    loose = ""
                    if let cite = child.first(where: { $0.name == "cite" }), child.name == "p" {
                        let text = BodyHTML.clean(child.textContent)
                        let who = BodyHTML.clean(cite.textContent)
                        if !who.isEmpty, text.hasSuffix(who) {
                            attribution = who
                            parts.append(String(text.dropLast(who.count)))
                            continue
                        }
                    }
                    parts.append(child.textContent)
                } else {
                    loose += child.kind == .text ? child.text : child.textContent
                }
            }
            parts.append(loose)
            let text = parts.map(BodyHTML.clean).filter { !$0.isEmpty }.joined(separator: "\n")
            if !text.isEmpty {
                let who = attribution.flatMap { BodyHTML.attribution($0) }
                blocks.append(.block(.quote(text: text, attribution: who)))
            }
            images(in: node)
        }

        mutating func list(_ node: MarkupNode, depth: Int) {
            var items: [[Span]] = []
            var after: [ImportedBlock] = []
            for child in node.children where child.kind == .element {
                var item = Converter(autop: false)
                item.visit(child, depth: depth + 1)
                item.flush()
                var spans: [Span] = []
                for block in item.blocks {
                    switch block {
                    case .block(.paragraph(let paragraph)):
                        if !spans.isEmpty { spans.append(Span(" ")) }
                        spans += paragraph
                    case .block(.list(_, let nested)):
                        if !spans.isEmpty { items.append(BodyHTML.tidy(spans)) }
                        spans = []
                        items += nested
                    case .block(.heading(let text)):
                        if !spans.isEmpty { spans.append(Span(" ")) }
                        spans.append(Span(text))
                    default:
                        after.append(block)
                    }
                }
                for note in item.notes { self.note(note) }
                let tidied = BodyHTML.tidy(spans)
                if !tidied.isEmpty { items.append(tidied) }
            }
            if !items.isEmpty { blocks.append(.block(.list(ordered: node.name == "ol", items: items))) }
            blocks += after
        }

        mutating func figure(_ node: MarkupNode, depth: Int) {
            if node.hasClass(prefix: "wp-block-embed") || node.hasClass("embed") {
                let wrapper = node.first { $0.hasClass("wp-block-embed__wrapper") }.map {
                    BodyHTML.clean($0.textContent)
                }
                let address =
                    node.first { $0.name == "iframe" }?.attribute("src")
                    ?? (wrapper.flatMap { BodyHTML.isBareAddress($0) ? $0 : nil })
                    ?? node.first { $0.name == "a" }?.attribute("href")
                return embed(address)
            }
            let caption = node.children.first { $0.name == "figcaption" }
            let pictures = node.all(where: { $0.name == "img" })
            if node.hasClass("wp-block-gallery") || pictures.count > 1 {
                return gallery(node, caption: caption.map { BodyHTML.clean($0.textContent) })
            }
            if let picture = pictures.first {
                let (text, credit) = BodyHTML.captionAndCredit(caption)
                return image(picture, caption: text, credit: credit)
            }
            if node.first(where: { $0.name == "table" }) != nil { return raw(node) }
            if let quote = node.first(where: { $0.name == "blockquote" }) {
                self.quote(quote)
                return
            }
            if let frame = node.first(where: { $0.name == "iframe" || $0.name == "video" || $0.name == "audio" }) {
                return visit(frame, depth: depth + 1)
            }
            visitChildren(node, depth)
            flush()
        }

        /// WordPress's classic caption as rendered: `<div class="wp-caption"><img><p class="wp-caption-text">`.
        mutating func captioned(_ node: MarkupNode, depth: Int) {
            guard let picture = node.first(where: { $0.name == "img" }) else {
                visitChildren(node, depth)
                return flush()
            }
            let caption = node.first { $0.hasClass("wp-caption-text") || $0.hasClass("wp-caption-dd") }
            let (text, credit) = BodyHTML.captionAndCredit(caption)
            image(picture, caption: text, credit: credit)
        }

        /// Every photo of a gallery as a photo block, each with its own caption; the gallery's caption goes to the
        /// first photo that has none.
        mutating func gallery(_ node: MarkupNode, caption: String?) {
            var pending = caption.flatMap { $0.isEmpty ? nil : $0 }
            let items = node.all(where: {
                ($0.name == "figure" && $0 != node) || $0.hasClass("gallery-item")
            })
            if items.isEmpty {
                for picture in node.all(where: { $0.name == "img" }) {
                    image(picture, caption: pending, credit: nil)
                    pending = nil
                }
                return
            }
            for item in items {
                guard let picture = item.first(where: { $0.name == "img" }) else { continue }
                let own = item.children.first { $0.name == "figcaption" || $0.hasClass("gallery-caption") }
                var (text, credit) = BodyHTML.captionAndCredit(own)
                if text == nil, credit == nil {
                    text = pending
                    pending = nil
                }
                image(picture, caption: text, credit: credit)
            }
        }
    }

    /// Elements that start a new line of a quote.
    static let blockLevel: Set<String> = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "section", "article", "figure", "table",
        "pre",
    ]

    /// The caption's text and the credit in it: a `<cite>`, or a trailing "Фото: …" (kept as written).
    static func captionAndCredit(_ caption: MarkupNode?) -> (String?, String?) {
        guard let caption else { return (nil, nil) }
        if let cite = caption.first(where: { $0.name == "cite" }) {
            let credit = clean(cite.textContent)
            let whole = clean(caption.textContent)
            let text = whole.hasSuffix(credit) ? String(whole.dropLast(credit.count)) : whole
            return (nonEmpty(clean(text)), nonEmpty(credit))
        }
        let (text, credit) = CaptionCredit.split(clean(caption.textContent))
        return (nonEmpty(text), credit)
    }

    static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

    static func trimmed(_ text: String) -> String { text.trimmingWhitespace() }

    /// Whether `text` is one web address and nothing else.
    static func isBareAddress(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && text.count > 10
            && !text.contains(where: \.isWhitespace)
    }

    /// Text split at blank lines (a line of only whitespace between two others). The first and last parts may be
    /// the ends of lines that continue in the elements around the text.
    static func paragraphs(_ text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var parts: [String] = []
        var current: [Substring] = []
        var boundary = false
        for (index, line) in lines.enumerated() {
            if index > 0, index < lines.count - 1, line.allSatisfy(\.isWhitespace) {
                boundary = true
                continue
            }
            if boundary {
                parts.append(current.joined(separator: "\n"))
                current = []
                boundary = false
            }
            current.append(line)
        }
        parts.append(current.joined(separator: "\n"))
        return parts
    }

    /// An attribution without the dash before it.
    static func attribution(_ text: String) -> String? {
        let who = text.trimmingCharacters(in: CharacterSet(charactersIn: "—–- ").union(.whitespaces))
        return who.isEmpty ? nil : who
    }

    /// Collapses whitespace runs, trims the ends and merges neighbouring spans with equal marks.
    static func tidy(_ spans: [Span]) -> [Span] {
        var merged: [Span] = []
        for span in spans {
            var text = collapse(span.text)
            guard !text.isEmpty else { continue }
            let previousEndsWithSpace = merged.last.map { $0.text.hasSuffix(" ") || $0.text == "\n" } ?? true
            if previousEndsWithSpace, text.unicodeScalars.first == " " { text.removeFirst() }
            guard !text.isEmpty else { continue }
            if text == "\n", let last = merged.last, last.text.hasSuffix(" ") {
                merged[merged.count - 1].text.removeLast()
                if merged[merged.count - 1].text.isEmpty { merged.removeLast() }
            }
            if var last = merged.last, last.bold == span.bold, last.italic == span.italic, last.link == span.link,
                text != "\n", last.text != "\n"
            {
                last.text += text
                merged[merged.count - 1] = last
            } else {
                merged.append(Span(text, bold: span.bold, italic: span.italic, link: span.link))
            }
        }
        // Trim the paragraph's ends (line breaks included).
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
        // Byte by byte: the white space is ASCII or U+00A0 (C2 A0), and the result is never longer than the text.
        var text = text
        return text.withUTF8 { utf8 in
            String(unsafeUninitializedCapacity: utf8.count) { output in
                var count = 0
                var pendingSpace = false
                var index = 0
                while index < utf8.count {
                    let byte = utf8[index]
                    if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
                        pendingSpace = true
                        index += 1
                        continue
                    }
                    if byte == 0xC2, index + 1 < utf8.count, utf8[index + 1] == 0xA0 {
                        pendingSpace = true
                        index += 2
                        continue
                    }
                    if pendingSpace {
                        output[count] = 0x20
                        count += 1
                        pendingSpace = false
                    }
                    output[count] = byte
                    count += 1
                    index += 1
                }
                if pendingSpace {
                    output[count] = 0x20
                    count += 1
                }
                return count
            }
        }
    }

    static func clean(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
