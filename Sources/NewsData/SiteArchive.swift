import Foundation
import SQLKit

/// The whole site as JSON Lines (`shpalta export`, read back by `shpalta import jsonl`): one record a line, each an
/// object with its `type` and the row's columns, in a stable order: settings, rubrics, tags, photos (with their
/// original files), authors, people, the rubrics editors answer for, stories, their tags, bylines and photos,
/// revisions, workflow transitions, redirects of old slugs and old addresses.
///
/// Keys are sorted, booleans written as 0 and 1, and rows ordered by their key (text in code-point order on both
/// engines), so an export of the same content is the same bytes from SQLite or PostgreSQL. What the server derives
/// (the search index), what is operational (sessions, the outbox, queues, counters, the audit log) and secrets
/// (API keys, webhooks) are not in it; passwords' hashes only when asked.
public enum SiteArchive {
    /// A record type and its table.
    struct Section: Sendable {
        let type: String
        let table: String
    }

    /// The sections, in the order they are written and must be read back (each refers only to earlier ones).
    static let sections: [Section] = [
        Section(type: "setting", table: "settings"), Section(type: "rubric", table: "rubrics"),
        Section(type: "tag", table: "tags"), Section(type: "media", table: "media"),
        Section(type: "author", table: "authors"), Section(type: "person", table: "users"),
        Section(type: "editor_rubric", table: "editor_rubrics"), Section(type: "article", table: "articles"),
        Section(type: "article_tag", table: "article_tags"), Section(type: "article_author", table: "article_authors"),
        Section(type: "article_media", table: "article_media"), Section(type: "revision", table: "revisions"),
        Section(type: "transition", table: "transitions"), Section(type: "redirect", table: "slug_redirects"),
        Section(type: "legacy_url", table: "legacy_urls"),
    ]

    /// Columns the server derives from others (the search index's), never exported.
    static let derived: Set<String> = ["search_key", "search_vector", "search_head", "search_title", "search_pairs"]

    /// The field of a `media` record holding its original file, base64-encoded.
    static let fileField = "file_data"

    /// How a column's values are written.
    enum Kind: Sendable {
        case integer, real, boolean, text
    }

    /// A column of a table, as the database describes it.
    struct Column: Sendable {
        let name: String
        let kind: Kind
    }

    /// The exported columns of `table`, sorted by name.
    static func columns(of table: String, in sql: any SQLDatabase, dialect: SQLDialectKind) async throws -> [Column] {
        let rows: [(String, String)]
        switch dialect {
        case .sqlite:
            rows = try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: table))").all().map {
                (try $0.decode(column: "name", as: String.self), try $0.decode(column: "type", as: String.self))
            }
        case .postgres:
            rows = try await sql.raw(
                "SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)"
            ).all().map {
                (try $0.decode(column: "name", as: String.self), try $0.decode(column: "type", as: String.self))
            }
        }
        guard !rows.isEmpty else {
            throw DatabaseError("The table \(table) does not exist: migrate the database first.")
        }
        return rows.filter { !derived.contains($0.0) }.map { name, type in
            let type = type.lowercased()
            let kind: Kind =
                if type == "boolean" {
                    .boolean
                } else if type.contains("int") {
                    .integer
                } else if type.contains("real") || type.contains("double") || type.contains("numeric") {
                    .real
                } else {
                    .text
                }
            return Column(name: name, kind: kind)
        }.sorted { $0.name < $1.name }
    }
}

/// A value of an exported column.
enum ArchiveValue: Codable, Equatable, Sendable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let number = try? container.decode(Int64.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            self = .real(number)
        } else if let flag = try? container.decode(Bool.self) {
            self = .integer(flag ? 1 : 0)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let number): try container.encode(number)
        case .real(let number): try container.encode(number)
        case .text(let text): try container.encode(text)
        case .null: try container.encodeNil()
        }
    }
}
