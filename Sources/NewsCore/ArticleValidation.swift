import Foundation

/// A problem with one field of a form, named by its localisation key.
public struct FieldError: Sendable, Equatable, Error {
    /// The form field ("title", "slug", "body", …).
    public var field: String
    /// The localisation key of the message ("error_title_empty", …).
    public var key: String

    /// Creates an error.
    public init(field: String, key: String) {
        self.field = field
        self.key = key
    }
}

/// The limits of an article that a newsroom form must respect, checked on the server before anything is
/// stored.
public enum ArticleValidation {
    public static let maxTitle = 300
    public static let maxLede = 3000
    public static let maxTeaser = 600
    public static let maxSEOTitle = 120
    public static let maxSEODescription = 300
    public static let maxNote = 5000
    public static let maxBlocks = 400
    public static let maxBlockText = 20000
    /// How many stories an editor may pin to "Читайте також".
    public static let maxPinnedRelated = 5
    /// The longest markup of a raw block (a table of a few hundred rows).
    public static let maxRawHTML = 100_000

    /// Every problem with `article`'s own fields (references to media and articles are checked by the
    /// data layer, which can see them).
    public static func problems(_ article: Article) -> [FieldError] {
        var errors: [FieldError] = []
        let title = article.title.trimmingWhitespace()
        if title.isEmpty { errors.append(FieldError(field: "title", key: "error_title_empty")) }
        if title.isLonger(than: maxTitle) { errors.append(FieldError(field: "title", key: "error_title_long")) }
        if !Slug.isValid(article.slug) {
            errors.append(FieldError(field: "slug", key: "error_slug_invalid"))
        } else if Slug.reserved.contains(article.slug) {
            errors.append(FieldError(field: "slug", key: "error_slug_reserved"))
        }
        if article.lede.isLonger(than: maxLede) { errors.append(FieldError(field: "lede", key: "error_lede_long")) }
        if (article.teaser ?? "").isLonger(than: maxTeaser) {
            errors.append(FieldError(field: "teaser", key: "error_teaser_long"))
        }
        if (article.seoTitle ?? "").isLonger(than: maxSEOTitle) {
            errors.append(FieldError(field: "seo_title", key: "error_seo_title_long"))
        }
        if (article.seoDescription ?? "").isLonger(than: maxSEODescription) {
            errors.append(FieldError(field: "seo_description", key: "error_seo_description_long"))
        }
        if (article.editorialNote ?? "").isLonger(than: maxNote) {
            errors.append(FieldError(field: "note", key: "error_note_long"))
        }
        let pins = article.pinnedRelated ?? []
        if pins.count > maxPinnedRelated || Set(pins).count < pins.count {
            errors.append(FieldError(field: "related", key: "error_related_too_many"))
        }
        if article.body.count > maxBlocks {
            errors.append(FieldError(field: "body", key: "error_body_too_many_blocks"))
        }
        for block in article.body where block.plainText.isLonger(than: maxBlockText) {
            errors.append(FieldError(field: "body", key: "error_body_block_long"))
            break
        }
        for block in article.body {
            switch block {
            case .paragraph(let spans):
                if spans.contains(where: { $0.link.map { !Span.isSafeLink($0) } ?? false }) {
                    errors.append(FieldError(field: "body", key: "error_body_bad_link"))
                }
            case .list(_, let items):
                if items.joined().contains(where: { $0.link.map { !Span.isSafeLink($0) } ?? false }) {
                    errors.append(FieldError(field: "body", key: "error_body_bad_link"))
                }
            case .embed(let url):
                let lower = url.lowercased()
                if !(lower.hasPrefix("https://") || lower.hasPrefix("http://")) || url.count > 2000 {
                    errors.append(FieldError(field: "body", key: "error_body_bad_embed"))
                }
            case .raw(let html):
                if html.utf8.count > maxRawHTML {
                    errors.append(FieldError(field: "body", key: "error_body_block_long"))
                }
            default:
                break
            }
        }
        var seen = Set<String>()
        return errors.filter { seen.insert($0.field + $0.key).inserted }
    }
}

extension String {
    /// Whether the text has more than `limit` characters (as a reader counts them), counted only when its UTF-8
    /// bytes could be that many: counting characters walks every grapheme boundary, and most texts are far shorter.
    func isLonger(than limit: Int) -> Bool {
        utf8.count > limit && count > limit
    }
}
