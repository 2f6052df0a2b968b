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
        // A feed page decodes a few dozen photos: their column names are made once.
        let name = prefix == "m_" ? MediaColumnNames.standard : MediaColumnNames(prefix: prefix)
        guard let id = try optionalInt64(name.id) else { return nil }
        var media = Media(
            id: id, file: try decode(column: name.file, as: String.self),
            mimeType: try decode(column: name.mimeType, as: String.self),
            width: try decode(column: name.width, as: Int.self),
            height: try decode(column: name.height, as: Int.self),
            caption: try optionalString(name.caption), credit: try optionalString(name.credit),
            creditURL: try optionalString(name.creditURL),
            alt: try decode(column: name.alt, as: String.self),
            sourceURL: try optionalString(name.sourceURL))
        media.focus = FocalPoint(
            x: try decode(column: name.focalX, as: Double.self),
            y: try decode(column: name.focalY, as: Double.self))
        media.renditions = Rendition.decode(try optionalString(name.renditions) ?? "")
        media.colour = try optionalString(name.colour)
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
        let name = prefix == "r_" ? RubricColumnNames.standard : RubricColumnNames(prefix: prefix)
        guard let id = try optionalInt64(name.id) else { return nil }
        return Rubric(
            id: id, slug: try decode(column: name.slug, as: String.self),
            name: try decode(column: name.name, as: String.self),
            position: try decode(column: name.position, as: Int.self),
            parentID: try optionalInt64(name.parentID),
            description: try optionalString(name.description) ?? "")
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

/// The names of a media record's columns under a prefix (``Columns/media``: `m_`).
private struct MediaColumnNames {
    static let standard = MediaColumnNames(prefix: "m_")

    let id, file, mimeType, width, height, caption, credit, creditURL, alt, sourceURL, focalX, focalY, renditions,
        colour: String

    init(prefix: String) {
        (id, file, mimeType, width, height) = (
            prefix + "id", prefix + "file", prefix + "mime_type", prefix + "width", prefix + "height"
        )
        (caption, credit, creditURL, alt, sourceURL) = (
            prefix + "caption", prefix + "credit", prefix + "credit_url", prefix + "alt", prefix + "source_url"
        )
        (focalX, focalY, renditions, colour) = (
            prefix + "focal_x", prefix + "focal_y", prefix + "renditions", prefix + "colour"
        )
    }
}

/// The names of a rubric's columns under a prefix (``Columns/rubric``: `r_`).
private struct RubricColumnNames {
    static let standard = RubricColumnNames(prefix: "r_")

    let id, slug, name, position, parentID, description: String

    init(prefix: String) {
        (id, slug, name, position, parentID, description) = (
            prefix + "id", prefix + "slug", prefix + "name", prefix + "position", prefix + "parent_id",
            prefix + "description"
        )
    }
}
