/// One piece of an article's body. Bodies are lists of typed blocks, never raw HTML, so that every
/// theme, feed and API renders them safely.
public enum Block: Sendable, Equatable, Codable {
    /// A paragraph of text with inline marks.
    case paragraph(spans: [Span])
    /// A subheading (H2 on the page).
    case heading(text: String)
    /// A quotation, optionally attributed.
    case quote(text: String, attribution: String?)
    /// A photo from the media library; `caption`/`credit` override the media's own.
    case image(mediaID: Int64, caption: String?, credit: String?)
    /// An external page or video, shown as a safe link or an iframe from an allow-list.
    case embed(url: String)
    /// A bulleted or numbered list.
    case list(ordered: Bool, items: [[Span]])
    /// A "read also" link to another article.
    case readAlso(articleID: Int64)
    /// Imported markup that has no block of its own (a table, preformatted text…), kept as ``SafeHTML`` and shown
    /// to editors flagged, so nothing of an import is dropped unseen.
    case raw(html: String)

    /// The plain text of the block (for search, excerpts and tests).
    public var plainText: String {
        switch self {
        case .paragraph(let spans): spans.plainText
        case .heading(let text): text
        case .quote(let text, let attribution): [text, attribution ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        case .image(_, let caption, let credit):
            [caption ?? "", credit ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
        case .embed(let url): url
        case .list(_, let items): items.map(\.plainText).joined(separator: "\n")
        case .readAlso: ""
        case .raw(let html): MarkupTree.with(fragment: html) { $0.map(\.textContent).joined() }
        }
    }
}

/// A run of text inside a paragraph or list item, with its marks.
public struct Span: Sendable, Equatable, Codable {
    public var text: String
    public var bold: Bool
    public var italic: Bool
    /// Target of a link around the text (http, https or mailto only; checked on input).
    public var link: String?

    /// Creates a span.
    public init(_ text: String, bold: Bool = false, italic: Bool = false, link: String? = nil) {
        self.text = text
        self.bold = bold
        self.italic = italic
        self.link = link
    }

    private enum CodingKeys: String, CodingKey {
        case text, bold, italic, link
    }

    /// Decodes a span; missing marks mean "not set", so editors may send only what they use.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decode(String.self, forKey: .text)
        bold = try container.decodeIfPresent(Bool.self, forKey: .bold) ?? false
        italic = try container.decodeIfPresent(Bool.self, forKey: .italic) ?? false
        link = try container.decodeIfPresent(String.self, forKey: .link).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether `url` may be used as a link target: absolute http(s)/mailto or a site-relative path.
    public static func isSafeLink(_ url: String) -> Bool {
        // Browsers read a backslash as "/": "/\\evil.example" would be a link to another site.
        guard !url.contains("\\") else { return false }
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") { return true }
        return lower.hasPrefix("/") && !lower.hasPrefix("//")
    }
}

extension [Span] {
    /// The spans' text joined without marks.
    public var plainText: String { map(\.text).joined() }
}
