import Foundation
import NewsCore
import SQLKit

/// One record of a site export, as read from its line.
public struct ArchiveRecord: Sendable, Decodable {
    /// The line it came from, for errors.
    public var line = 0
    public let type: String
    let fields: [String: ArchiveValue]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        var fields = try container.decode([String: ArchiveValue].self)
        guard case .text(let type)? = fields.removeValue(forKey: "type") else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "no type")
        }
        self.type = type
        self.fields = fields
    }
}

/// Reading back a site export (``SiteArchive``) into an empty database.
extension Newsroom {
    /// Checks `records` without writing anything: known types and fields, values of the columns' kinds, in the
    /// archive's order. The error names the line and the field.
    public func checkArchive(_ records: [ArchiveRecord], after previous: String?) async throws -> String? {
        let dialect = database.dialect
        let catalog = try await database.read { sql in try await Self.catalog(in: sql, dialect: dialect) }
        var last = previous.flatMap { type in SiteArchive.sections.firstIndex { $0.type == type } } ?? 0
        for record in records {
            guard let index = SiteArchive.sections.firstIndex(where: { $0.type == record.type }) else {
                throw DatabaseError.archive(record.line, "unknown record type \"\(record.type)\"")
            }
            guard index >= last else {
                throw DatabaseError.archive(
                    record.line, "a \(record.type) record after \(SiteArchive.sections[last].type) records")
            }
            last = index
            let columns = catalog[SiteArchive.sections[index].table] ?? [:]
            for (field, value) in record.fields where field != SiteArchive.fileField {
                guard let kind = columns[field] else {
                    throw DatabaseError.archive(record.line, "unknown field \"\(field)\" of a \(record.type)")
                }
                switch (kind, value) {
                case (_, .null), (.text, .text), (.integer, .integer), (.boolean, .integer), (.real, .real),
                    (.real, .integer):
                    break
                default:
                    throw DatabaseError.archive(record.line, "the field \"\(field)\" has a value of another kind")
                }
            }
        }
        return SiteArchive.sections[last].type
    }

    /// Whether the database holds no content yet: an export is read back only into an empty one.
    public func isEmptyForRestore() async throws -> Bool {
        try await database.read { sql in
            for table in ["articles", "rubrics", "tags", "authors", "media", "users"] {
                let any =
                    try await sql.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM \(ident: table) LIMIT 1) t").first()?
                    .decode(column: "n", as: Int.self) ?? 0
                if any > 0 { return false }
            }
            return true
        }
    }

    /// Writes `records` (checked by ``checkArchive(_:after:)``) in one transaction, photo files to `mediaStore`.
    /// Rubrics' parents are set by ``finishRestore(rubricParents:now:)``, once every rubric is in; people without a
    /// password hash get an unusable one (they sign in after `shpalta user reset-password`).
    public func restore(
        _ records: [ArchiveRecord], mediaStore: any MediaStore, rubricParents: inout [(Int64, Int64)]
    ) async throws {
        let dialect = database.dialect
        var parents: [(Int64, Int64)] = []
        var prepared: [(table: String, fields: [(String, ArchiveValue)])] = []
        for record in records {
            guard let section = SiteArchive.sections.first(where: { $0.type == record.type }) else { continue }
            var fields = record.fields
            if case .text(let encoded)? = fields.removeValue(forKey: SiteArchive.fileField),
                case .text(let file)? = fields["file"], DirectoryMediaStore.isSafeName(file)
            {
                guard let data = Data(base64Encoded: encoded) else {
                    throw DatabaseError.archive(record.line, "the photo file is not valid base64")
                }
                if !mediaStore.contains(file) { try mediaStore.put(data, name: file) }
            }
            if section.table == "rubrics", case .integer(let parent)? = fields["parent_id"],
                case .integer(let id)? = fields["id"]
            {
                parents.append((id, parent))
                fields["parent_id"] = .null
            }
            if section.table == "users", fields["password_hash"] == nil {
                fields["password_hash"] = .text(try await users.hash(UUID().uuidString + UUID().uuidString))
            }
            prepared.append((section.table, fields.sorted { $0.key < $1.key }))
        }
        let rows = prepared
        try await database.transaction { sql in
            let catalog = try await Self.catalog(in: sql, dialect: dialect)
            for (table, fields) in rows {
                let kinds = catalog[table] ?? [:]
                let names = fields.map { "\"\($0.0)\"" }.joined(separator: ", ")
                let values = SQLList(fields.map { name, value in Self.bind(value, as: kinds[name] ?? .text) })
                try await sql.raw("INSERT INTO \(ident: table) (\(unsafeRaw: names)) VALUES (\(values))").run()
            }
        }
        rubricParents += parents
    }

    /// Ends a restore: the rubrics' parents, the id sequences (PostgreSQL), and the event that empties every cache.
    public func finishRestore(rubricParents: [(Int64, Int64)], now: Date = Date()) async throws {
        let dialect = database.dialect
        try await database.transaction { sql in
            for (id, parent) in rubricParents {
                try await sql.raw("UPDATE rubrics SET parent_id = \(bind: parent) WHERE id = \(bind: id)").run()
            }
            if dialect == .postgres {
                for section in SiteArchive.sections {
                    let hasID =
                        try await sql.raw(
                            "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: section.table) AND column_name = 'id'"
                        ).first()?.decode(column: "n", as: Int.self) ?? 0
                    guard hasID > 0 else { continue }
                    try await sql.raw(
                        "SELECT setval(pg_get_serial_sequence(\(bind: section.table), 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM \(ident: section.table)"
                    ).run()
                }
            }
            try await ChangeLog.record(
                ChangeEvent(
                    action: .siteRestored, source: .import, userID: nil, subject: "site export", address: "cli",
                    keys: [ChangeEvent.everyPage], at: now), in: sql)
        }
    }

    /// Every archived table's columns and their kinds.
    static func catalog(in sql: any SQLDatabase, dialect: SQLDialectKind) async throws -> [String: [String: SiteArchive
        .Kind]]
    {
        var catalog: [String: [String: SiteArchive.Kind]] = [:]
        for section in SiteArchive.sections {
            let columns = try await SiteArchive.columns(of: section.table, in: sql, dialect: dialect)
            catalog[section.table] = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.kind) })
        }
        return catalog
    }

    private static func bind(_ value: ArchiveValue, as kind: SiteArchive.Kind) -> any SQLExpression {
        switch (value, kind) {
        case (.null, _): return SQLLiteral.null
        case (.integer(let number), .boolean): return SQLBind(number != 0)
        case (.integer(let number), .real): return SQLBind(Double(number))
        case (.integer(let number), _): return SQLBind(number)
        case (.real(let number), _): return SQLBind(number)
        case (.text(let text), _): return SQLBind(text)
        }
    }
}

extension DatabaseError {
    /// A line of a site export that cannot be read back.
    static func archive(_ line: Int, _ problem: String) -> DatabaseError {
        DatabaseError("line \(line): \(problem)")
    }
}
