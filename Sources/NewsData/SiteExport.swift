import Foundation
import SQLKit

/// Writes the site as JSON Lines (``SiteArchive``), a section at a time, rows in batches, so memory stays flat on a
/// large archive.
public struct SiteExport: Sendable {
    let database: Database
    let mediaStore: (any MediaStore)?
    let passwordHashes: Bool

    /// - Parameters:
    ///   - mediaStore: where photo files are read from, to be written into the `media` records; `nil` leaves them
    ///     out.
    ///   - passwordHashes: whether people's password hashes are written (then they can sign in after a restore).
    public init(database: Database, mediaStore: (any MediaStore)?, passwordHashes: Bool = false) {
        self.database = database
        self.mediaStore = mediaStore
        self.passwordHashes = passwordHashes
    }

    /// Rows read per query.
    static let batch = 500

    /// Writes every record through `write` (one line each, ending in a new line); returns how many of each type.
    @discardableResult
    public func write(_ write: (Data) throws -> Void) async throws -> [String: Int] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let dialect = database.dialect
        var counts: [String: Int] = [:]
        for section in SiteArchive.sections {
            let columns = try await database.read { sql in
                try await SiteArchive.columns(of: section.table, in: sql, dialect: dialect)
            }.filter { passwordHashes || section.table != "users" || $0.name != "password_hash" }
            let hasID = columns.contains { $0.name == "id" }
            var after: Int64? = nil
            var offset = 0
            while true {
                let query = Self.query(section.table, columns, dialect: dialect, after: after, offset: offset)
                let rows = try await database.read { sql in
                    try await sql.raw(query)
                        .all().map { row in
                            try columns.map { column -> ArchiveValue in try Self.value(of: column, in: row) }
                        }
                }
                for values in rows {
                    var record: [String: ArchiveValue] = ["type": .text(section.type)]
                    for (column, value) in zip(columns, values) { record[column.name] = value }
                    if section.table == "media", let mediaStore, case .text(let file)? = record["file"],
                        let data = try mediaStore.get(file)
                    {
                        record[SiteArchive.fileField] = .text(data.base64EncodedString())
                    }
                    var line = try encoder.encode(record)
                    line.append(UInt8(ascii: "\n"))
                    try write(line)
                }
                counts[section.type, default: 0] += rows.count
                if rows.count < Self.batch { break }
                if hasID, let index = columns.firstIndex(where: { $0.name == "id" }),
                    case .integer(let last) = rows[rows.count - 1][index]
                {
                    after = last
                } else {
                    offset += rows.count
                }
            }
        }
        return counts
    }

    /// One batch of `table`'s rows in their stable order: by id (after `after`), or by every column.
    static func query(
        _ table: String, _ columns: [SiteArchive.Column], dialect: SQLDialectKind, after: Int64?, offset: Int
    ) -> SQLQueryString {
        let list = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        if columns.contains(where: { $0.name == "id" }) {
            return
                "SELECT \(unsafeRaw: list) FROM \(ident: table) WHERE id > \(bind: after ?? Int64.min) ORDER BY id LIMIT \(bind: batch)"
        }
        // Text in code-point order on both engines (PostgreSQL's default collation follows the locale).
        let order = columns.map { column in
            column.kind == .text && dialect == .postgres ? "\"\(column.name)\" COLLATE \"C\"" : "\"\(column.name)\""
        }.joined(separator: ", ")
        return
            "SELECT \(unsafeRaw: list) FROM \(ident: table) ORDER BY \(unsafeRaw: order) LIMIT \(bind: batch) OFFSET \(bind: offset)"
    }

    static func value(of column: SiteArchive.Column, in row: any SQLRow) throws -> ArchiveValue {
        switch column.kind {
        case .integer:
            return try row.decode(column: column.name, as: Int64?.self).map(ArchiveValue.integer) ?? .null
        case .real:
            return try row.decode(column: column.name, as: Double?.self).map(ArchiveValue.real) ?? .null
        case .boolean:
            return try row.decode(column: column.name, as: Bool?.self).map { .integer($0 ? 1 : 0) } ?? .null
        case .text:
            return try row.decode(column: column.name, as: String?.self).map(ArchiveValue.text) ?? .null
        }
    }
}
