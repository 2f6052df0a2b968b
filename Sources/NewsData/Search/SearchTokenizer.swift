import VaporCSQLite

/// The FTS5 tokenizer of SQLite's search index, registered as `shpalta` on every connection the database opens.
///
/// The index is written already analysed (``SearchIndex``), so this tokenizer only reads its layout: positions are
/// separated by spaces, and the terms of one position by `/` ("голова/голови рада" is two positions, the first with
/// two terms). Terms at one position are colocated, so a phrase query ("\"голова рада\"") asks whether the words
/// stand side by side, whichever of their terms it names. A query's strings have no `/` and give a term per word.
enum SearchTokenizer {
    /// The tokenizer's name in `CREATE VIRTUAL TABLE … USING fts5(…, tokenize = 'shpalta')`.
    static let name = "shpalta"

    /// Registers the tokenizer on the connection `handle`.
    static func register(on handle: OpaquePointer) throws {
        var api: UnsafeMutablePointer<fts5_api>?
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(handle, "SELECT fts5(?1)", -1, &statement, nil) == SQLITE_OK else {
            throw DatabaseError("This SQLite has no FTS5.")
        }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        withUnsafeMutablePointer(to: &api) { pointer in
            _ = sqlite_nio_sqlite3_bind_pointer(statement, 1, pointer, "fts5_api_ptr", nil)
            _ = sqlite_nio_sqlite3_step(statement)
        }
        guard let api, let create = api.pointee.xCreateTokenizer else {
            throw DatabaseError("This SQLite has no FTS5.")
        }
        var tokenizer = fts5_tokenizer(xCreate: makeTokenizer, xDelete: deleteTokenizer, xTokenize: tokenize)
        guard create(api, name, nil, &tokenizer, nil) == SQLITE_OK else {
            throw DatabaseError("Cannot register the search tokenizer with SQLite.")
        }
    }
}

/// FTS5's constructor: the tokenizer has no state, so any non-null handle does.
private let makeTokenizer:
    @convention(c) (
        UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafePointer<CChar>?>?, Int32,
        UnsafeMutablePointer<OpaquePointer?>?
    ) -> Int32 = { _, _, _, out in
        out?.pointee = OpaquePointer(bitPattern: 1)
        return SQLITE_OK
    }

private let deleteTokenizer: @convention(c) (OpaquePointer?) -> Void = { _ in }

/// Splits `text` at spaces (a new position) and slashes (another term at the same position).
private let tokenize:
    @convention(c) (
        OpaquePointer?, UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int32,
        (@convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int32, Int32, Int32) -> Int32)?
    ) -> Int32 = { _, context, _, text, length, token in
        guard let text, let token, length > 0 else { return SQLITE_OK }
        let count = Int(length)
        var start = 0
        var positionHasTerm = false
        for index in 0...count {
            let byte = index < count ? UInt8(bitPattern: text[index]) : 0x20
            guard byte == 0x20 || byte == 0x2F else { continue }
            if index > start {
                let flags = positionHasTerm ? Int32(FTS5_TOKEN_COLOCATED) : 0
                let status = token(context, flags, text + start, Int32(index - start), Int32(start), Int32(index))
                guard status == SQLITE_OK else { return status }
                positionHasTerm = true
            }
            if byte == 0x20 { positionHasTerm = false }
            start = index + 1
        }
        return SQLITE_OK
    }
