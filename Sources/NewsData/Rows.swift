import Foundation
import NewsCore
import SQLKit

/// Column lists and row decoding shared by the repositories.
enum Columns {
    static let media: SQLQueryString =
        "m.id AS m_id, m.file AS m_file, m.mime_type AS m_mime_type, m.width AS m_width, m.height AS m_height, m.caption AS m_caption, m.credit AS m_credit, m.credit_url AS m_credit_url, m.alt AS m_alt, m.source_url AS m_source_url, m.focal_x AS m_focal_x, m.focal_y AS m_focal_y, m.renditions AS m_renditions, m.colour AS m_colour"
    static let rubric: SQLQueryString =
        "r.id AS r_id, r.slug AS r_slug, r.name AS r_name, r.position AS r_position, r.parent_id AS r_parent_id, r.description AS r_description"
    /// Everything an `Article` is read from (not `a.*`: on PostgreSQL that would also fetch the search vectors,
    /// about ten times the size of the rest).
    static let article: SQLQueryString =
        "a.id, a.slug, a.title, a.seo_title, a.seo_description, a.lede, a.teaser, a.body, a.rubric_id, a.cover_media_id, a.status, a.published_at, a.updated_at, a.created_at, a.featured, a.breaking, a.editorial_note, a.source_id, a.created_by, a.version, a.corrections, a.related_pins"
    static let summary: SQLQueryString =
        "a.id, a.slug, a.title, a.teaser, a.lede, a.published_at, a.featured, a.breaking, " + rubric + ", " + media
    /// A story as a list of headlines shows it (no teaser, no photo).
    static let headline: SQLQueryString = "a.id, a.slug, a.title, a.published_at, a.featured, a.breaking, " + rubric
}

extension SQLRow {
    func optionalInt64(_ column: String) throws -> Int64? {
        try decodeNil(column: column) ? nil : decode(column: column, as: Int64.self)
    }

    func optionalString(_ column: String) throws -> String? {
        try decodeNil(column: column) ? nil : decode(column: column, as: String.self)
    }

    func bool(_ column: String) throws -> Bool {
        // SQLite stores booleans as integers.
        if let value = try? decode(column: column, as: Bool.self) { return value }
        return try decode(column: column, as: Int.self) != 0
    }

    /// Decodes `m_*` columns into a media record, `nil` when there is none.
    func media(prefix: String = "m_") throws -> Media? {
        guard let id = try optionalInt64(prefix + "id") else { return nil }
        var media = Media(
            id: id, file: try decode(column: prefix + "file", as: String.self),
            mimeType: try decode(column: prefix + "mime_type", as: String.self),
            width: try decode(column: prefix + "width", as: Int.self),
            height: try decode(column: prefix + "height", as: Int.self),
            caption: try optionalString(prefix + "caption"), credit: try optionalString(prefix + "credit"),
            creditURL: try optionalString(prefix + "credit_url"),
            alt: try decode(column: prefix + "alt", as: String.self),
            sourceURL: try optionalString(prefix + "source_url"))
        media.focus = FocalPoint(
            x: try decode(column: prefix + "focal_x", as: Double.self),
            y: try decode(column: prefix + "focal_y", as: Double.self))
        media.renditions = Rendition.decode(try optionalString(prefix + "renditions") ?? "")
        media.colour = try optionalString(prefix + "colour")
        return media
    }

    /// Decodes the `id`, `slug` and `name` columns of a tag.
    func tag() throws -> Tag {
        Tag(
            id: try decode(column: "id", as: Int64.self), slug: try decode(column: "slug", as: String.self),
            name: try decode(column: "name", as: String.self))
    }

    /// Decodes `r_*` columns into a rubric, `nil` when there is none.
    func rubric(prefix: String = "r_") throws -> Rubric? {
        guard let id = try optionalInt64(prefix + "id") else { return nil }
        return Rubric(
            id: id, slug: try decode(column: prefix + "slug", as: String.self),
            name: try decode(column: prefix + "name", as: String.self),
            position: try decode(column: prefix + "position", as: Int.self),
            parentID: try optionalInt64(prefix + "parent_id"),
            description: try optionalString(prefix + "description") ?? "")
    }

    /// Decodes the columns of `Columns.summary`.
    func summary() throws -> ArticleSummary {
        let teaser = try optionalString("teaser") ?? ""
        return ArticleSummary(
            id: try decode(column: "id", as: Int64.self), slug: try decode(column: "slug", as: String.self),
            title: try decode(column: "title", as: String.self),
            teaser: teaser.isEmpty ? try decode(column: "lede", as: String.self) : teaser,
            publishedAt: Date(millisecondsSince1970: try decode(column: "published_at", as: Int64.self)),
            featured: try bool("featured"), breaking: try bool("breaking"), rubric: try rubric(), cover: try media())
    }

    /// A row of ``Columns/headline``: a summary without teaser or photo.
    func headline() throws -> ArticleSummary {
        ArticleSummary(
            id: try decode(column: "id", as: Int64.self), slug: try decode(column: "slug", as: String.self),
            title: try decode(column: "title", as: String.self), teaser: "",
            publishedAt: Date(millisecondsSince1970: try decode(column: "published_at", as: Int64.self)),
            featured: try bool("featured"), breaking: try bool("breaking"), rubric: try rubric(), cover: nil)
    }
}
