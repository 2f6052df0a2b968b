import Foundation
import Testing

/// Content is written only by the newsroom's use cases, each in one transaction with its change event (issue #9):
/// a write anywhere else would change a page without evicting it from the cache, and skip the audit log. These
/// checks read the product's sources, so a new stray write fails here before it reaches a reader.
@Suite("One write path")
struct OneWritePathTests {
    /// The repository's root (this file is Tests/NewsDataTests/OneWritePathTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Tables whose rows readers or the newsroom see as content.
    static let contentTables = [
        "articles", "article_tags", "article_authors", "article_locks", "tags", "authors", "rubrics", "settings",
        "media", "users", "editor_rubrics", "slug_redirects", "legacy_urls", "revisions", "transitions", "api_keys",
        "webhooks",
    ]

    /// The repositories' writers: they take the caller's transaction, which must be a use case's.
    static let writers = [
        "ArticleRepository.save(", "RubricRepository.upsert(", "TagRepository.upsert(", "AuthorRepository.upsert(",
        "MediaRepository.insert(", "UserRepository.insert(",
    ]

    /// Where content SQL may be written: the use cases, the repositories' writers they call, and the schema.
    static func mayWriteSQL(_ path: String) -> Bool {
        path.hasPrefix("Sources/NewsData/Newsroom/")
            || [
                "Sources/NewsData/ArticleRepository.swift", "Sources/NewsData/RubricRepository.swift",
                "Sources/NewsData/AuthorRepository.swift", "Sources/NewsData/MediaRepository.swift",
                "Sources/NewsData/UserRepository.swift", "Sources/NewsData/Schema.swift",
                "Sources/NewsData/Migration.swift",
            ].contains(path)
    }

    /// Where the writers may be called: the use cases; the repositories themselves; and the importers' one ingest
    /// step, whose batch transaction is the one `Newsroom.importArticle` records each story's event in (the tags, authors and
    /// cover photo it adds belong to that story).
    static func mayCallWriters(_ path: String, writer: String) -> Bool {
        if path.hasPrefix("Sources/NewsData/Newsroom/") { return true }
        if path == "Sources/NewsData/" + writer.prefix(while: { $0 != "." }) + ".swift" { return true }
        if path == "Sources/NewsData/RubricRepository.swift" { return true }  // holds TagRepository too
        return path == "Sources/NewsImport/Ingest.swift"
            && ["TagRepository.upsert(", "AuthorRepository.upsert(", "MediaRepository.insert("].contains(writer)
    }

    /// The stray writes in `text` (the file at `path`), as "path:line: what".
    static func strayWrites(in text: String, path: String) -> [String] {
        var found: [String] = []
        let statement = try! Regex(
            #"(?i)\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"# + "(" + contentTables.joined(separator: "|") + #")\b"#)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("//") { continue }
            // The search index keeps its PostgreSQL vectors and its SQLite rowids in columns of `articles`: derived
            // data, not content, written with the index inside the caller's transaction.
            let searchVector =
                path.hasPrefix("Sources/NewsData/Search/") && path.hasSuffix("SearchEngine.swift")
                && (line.contains("SET search_vector") || line.contains("SET search_key"))
            if !mayWriteSQL(path), !searchVector, let match = line.firstMatch(of: statement) {
                found.append("\(path):\(number + 1): SQL \(line[match.range])")
            }
            for writer in writers where line.contains(writer) && !mayCallWriters(path, writer: writer) {
                found.append("\(path):\(number + 1): \(writer)")
            }
        }
        return found
    }

    @Test("no product code writes content outside the newsroom's use cases")
    func noStrayWrites() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 50, "the sources are where this test looks: \(sources.path)")
        var stray: [String] = []
        for file in files {
            let path = String(file.path.dropFirst(Self.root.path.count + 1))
            stray += Self.strayWrites(in: try String(contentsOf: file, encoding: .utf8), path: path)
        }
        #expect(stray.isEmpty, "\(stray.joined(separator: "\n"))")
    }

    @Test("the check finds a stray write where there is one")
    func findsStrayWrites() {
        let controller = """
            func publish() async throws {
                // UPDATE articles SET status = 'published' (a comment is no write)
                try await sql.raw("UPDATE articles SET status = 'published' WHERE id = \\(bind: id)").run()
                try await ArticleRepository.save(article, in: sql)
                try await sql.raw("UPDATE sessions SET last_seen_at = 1").run()
            }
            """
        let found = Self.strayWrites(in: controller, path: "Sources/NewsWeb/Admin/EditorController.swift")
        #expect(
            found == [
                "Sources/NewsWeb/Admin/EditorController.swift:3: SQL UPDATE articles",
                "Sources/NewsWeb/Admin/EditorController.swift:4: ArticleRepository.save(",
            ])
        #expect(Self.strayWrites(in: controller, path: "Sources/NewsData/Newsroom/Newsroom+Save.swift").isEmpty)
    }
}
