import Foundation
import NewsCore

/// WordPress's shortcodes in a post's text, turned into the HTML WordPress would show for them: `[caption]` into a
/// figure with its caption, `[gallery]` into a gallery of the attachments it names, `[embed]`, `[video]` and
/// `[audio]` into embeds. Any other shortcode (a contact form, a plugin's widget) is taken out, its enclosed text
/// kept, and named in the notes; one that is never closed (`[caption` without `]`) is left as text and named too.
/// The scan always moves forward, so it ends on any text.
struct WordPressShortcodes {
    /// The attachments a gallery may name, by id.
    let attachments: [Int: WXRAttachment]
    /// The post's own attachments (a gallery without `ids` shows them).
    let attached: [WXRAttachment]

    func expand(_ text: String) -> (html: String, notes: [String]) {
        var notes: [String] = []
        func note(_ text: String) { if !notes.contains(text) { notes.append(text) } }
        guard text.utf8.contains(UInt8(ascii: "[")) else { return (text, []) }
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            output += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let tag = Self.tag(at: after) else {
                output += "["
                rest = after
                continue
            }
            guard let close = after.prefix(4000).firstIndex(of: "]") else {
                note("broken shortcode [\(tag.name) left as text")
                output += "["
                rest = after
                continue
            }
            let attributes = Self.attributes(after[after.index(after.startIndex, offsetBy: tag.length)..<close])
            var next = after[after.index(after: close)...]
            if tag.closing {
                // An end tag whose start was not seen (or was not one we read): taken out.
                rest = next
                continue
            }
            // The enclosed content, when the shortcode is closed by its end tag.
            var content: Substring?
            if let end = next.utf8.firstRange(of: ("[/" + tag.name + "]").utf8) {
                content = Substring(next.utf8[..<end.lowerBound])
                next = Substring(next.utf8[end.upperBound...])
            }
            switch tag.name {
            case "caption", "wp_caption":
                if let content {
                    output += caption(String(content), attributes: attributes)
                } else {
                    note("removed [\(tag.name)] without its closing [/\(tag.name)]; the text after it is kept")
                }
            case "gallery":
                output += gallery(attributes)
            case "embed":
                let url = (content.map(String.init) ?? attributes["src"] ?? "")
                    .trimmingWhitespace()
                output += Self.embed(url)
            case "video", "audio":
                let url = attributes["src"] ?? attributes["mp4"] ?? attributes["mp3"] ?? attributes["url"] ?? ""
                output += Self.embed(url)
            case "youtube":
                output += Self.embed(
                    (content.map(String.init) ?? attributes["id"] ?? "").trimmingCharacters(in: .whitespaces))
            default:
                note("removed shortcode [\(tag.name)]")
                if let content { output += content }
            }
            rest = next
        }
        output += rest
        return (output, notes)
    }

    /// `[caption]<img …> Text[/caption]` (or the older `caption="Text"`): the image, then the text as its caption.
    private func caption(_ content: String, attributes: [String: String]) -> String {
        var image = ""
        var text = content
        if let start = content.range(of: "<img", options: .caseInsensitive),
            let end = content[start.upperBound...].firstIndex(of: ">")
        {
            var imageStart = start.lowerBound
            var imageEnd = content.index(after: end)
            // A link around the image goes with it.
            if let link = content[..<start.lowerBound].range(of: "<a ", options: [.caseInsensitive, .backwards]),
                content[link.lowerBound..<start.lowerBound].firstIndex(of: ">") != nil,
                let linkEnd = content[imageEnd...].range(of: "</a>", options: .caseInsensitive)
            {
                imageStart = link.lowerBound
                imageEnd = linkEnd.upperBound
            }
            image = String(content[imageStart..<imageEnd])
            text = String(content[..<imageStart]) + String(content[imageEnd...])
        }
        if let given = attributes["caption"], text.trimmingWhitespace().isEmpty {
            text = given
        }
        return "<figure>" + image + "<figcaption>" + text + "</figcaption></figure>"
    }

    private func gallery(_ attributes: [String: String]) -> String {
        let ids = (attributes["ids"] ?? attributes["include"] ?? "").split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let photos = ids.isEmpty ? attached : ids.compactMap { attachments[$0] }
        guard !photos.isEmpty else { return "" }
        var html = "<figure class=\"wp-block-gallery\">"
        for photo in photos {
            html += "<figure><img src=\"" + Self.escape(photo.url) + "\" alt=\"" + Self.escape(photo.alt) + "\">"
            if !photo.caption.isEmpty { html += "<figcaption>" + Self.escape(photo.caption) + "</figcaption>" }
            html += "</figure>"
        }
        return html + "</figure>"
    }

    private static func embed(_ url: String) -> String {
        guard !url.isEmpty else { return "" }
        return "<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">" + escape(url)
            + "</div></figure>"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A shortcode's name right after "[" ("caption", or "/caption" for an end tag), or `nil` for brackets that are
    /// text ("[1]", "[Фото]", "[[escaped]]").
    static func tag(at text: Substring) -> (name: String, closing: Bool, length: Int)? {
        var index = text.startIndex
        var closing = false
        if index < text.endIndex, text[index] == "/" {
            closing = true
            index = text.index(after: index)
        }
        var name = ""
        while index < text.endIndex, name.count < 50 {
            let character = text[index]
            guard character.isASCII, character.isLetter || character.isNumber || character == "_" || character == "-"
            else { break }
            name.append(character)
            index = text.index(after: index)
        }
        guard let first = name.first, first.isLetter, index < text.endIndex else { return nil }
        let next = text[index]
        guard next == "]" || next == " " || next == "\n" || next == "\t" || (!closing && next == "=") else {
            return nil
        }
        return (name.lowercased(), closing, text.distance(from: text.startIndex, to: index))
    }

    /// `ids="5,6" align="aligncenter" width=800` as a dictionary.
    static func attributes(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = text
        while true {
            rest = rest.drop { $0.isWhitespace }
            guard !rest.isEmpty else { break }
            let name = rest.prefix { !$0.isWhitespace && $0 != "=" }
            guard !name.isEmpty else { break }
            rest = rest.dropFirst(name.count).drop { $0.isWhitespace }
            // A name without a value ("[gallery link ids=…]"): the next word is read as the next name.
            guard rest.first == "=" else { continue }
            rest = rest.dropFirst().drop { $0.isWhitespace }
            var value: Substring
            if let quote = rest.first, quote == "\"" || quote == "'" || quote == "“" || quote == "”" {
                rest = rest.dropFirst()
                value = rest.prefix { $0 != quote && $0 != "”" && $0 != "“" }
                rest = rest.dropFirst(value.count + (value.count < rest.count ? 1 : 0))
            } else {
                value = rest.prefix { !$0.isWhitespace }
                rest = rest.dropFirst(value.count)
            }
            result[name.lowercased()] = String(value)
        }
        return result
    }
}

/// A photo the export lists as an attachment.
struct WXRAttachment: Sendable, Equatable {
    var id: Int
    var url: String
    var parent: Int
    var alt: String
    var caption: String
}
