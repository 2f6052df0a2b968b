import Foundation
import Logging
import NewsCore
import NewsData
import NewsImport
import SQLKit
import TestSupport
import Testing

@Suite("JSON Lines import")
struct JSONLImportTests {
    func write(_ lines: [String], in paths: TestPaths) throws -> String {
        let path = paths.directory + "/in.jsonl"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func importer(_ database: Database, _ paths: TestPaths, photos: String? = nil) throws -> JSONLImporter {
        JSONLImporter(
            database: database, mediaStore: try DirectoryMediaStore(root: paths.media), photoDirectory: photos,
            batchSize: 3)
    }

    static let good =
        #"{"id": 1, "title": "Путін вперше за 24 роки відвідує Північну Корею", "teaser": "Тизер.", "body_html": "<p>Перший <b>абзац</b>.</p><h2>Підзаголовок</h2><blockquote><p>«Цитата»</p><cite>— Михайло Подоляк</cite></blockquote>", "rubric": "Cпорт", "rubric_slug": "sport", "tags": ["Київ"], "tag_slugs": ["kyiv"], "author": "Олена Ковальська", "author_login": "olena", "published_at": "2024-06-18T10:15:00+03:00", "published_at_utc": "2024-06-18T07:15:00Z", "photo_credit": "Фото: telegram.org", "unknown_field": 42}"#

    @Test("a bad line is reported with its number; the others are imported", arguments: TestEngine.available)
    func badLines(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let file = try write(
                [
                    Self.good,
                    #"{"id": 2, "title": "Друга новина", "published_at": "2024-06-18T11:00:00+03:00"}"#,
                    #"{"id": 3, "title": "#,
                    #"{"id": 4, "teaser": "без заголовка"}"#,
                    "",
                    #"{"id": 5, "title": "Дата зламана", "published_at": "вчора"}"#,
                    #"{"id": 6, "title": ["не рядок"]}"#,
                    #"{"id": 7, "title": "Сьома", "published_at": "2024-06-18T12:00:00+03:00"}"#,
                ], in: paths)
            let report = try await importer(database, paths).importFile(at: file)
            #expect(report.created == 3)
            #expect(report.problems.map(\.line) == [3, 4, 6, 7])
            #expect(report.problems.first { $0.line == 4 }?.field == "title")
            #expect(
                report.problems.first { $0.line == 6 }?.field == "published_at_utc"
                    || report.problems.first { $0.line == 6 }?.field == "published_at")
            #expect(report.problems.first { $0.line == 7 }?.field == "title")
            #expect(report.problems.allSatisfy { $0.description.hasPrefix("line \($0.line)") })
            #expect(try await ArticleRepository(database: database).count() == 3)
        }
    }

    @Test(
        "a line that is not UTF-8 is named and skipped; lines of spaces are no records", arguments: TestEngine.available
    )
    func invalidUTF8(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let path = paths.directory + "/bytes.jsonl"
            var bytes = Data(Self.good.utf8)
            bytes.append(contentsOf: Array("\n \t \r\n".utf8))
            // A title whose bytes break off inside a two-byte letter, then a stray continuation byte.
            bytes.append(contentsOf: Array(#"{"id": 2, "title": "Зла"#.utf8) + [0xD0, 0x22, 0x80, 0x7D, 0x0A])
            bytes.append(
                contentsOf: Array(#"{"id": 3, "title": "Третя", "published_at": "2024-06-18T12:00:00+03:00"}"#.utf8))
            try bytes.write(to: URL(fileURLWithPath: path))
            let report = try await importer(database, paths).importFile(at: path)
            #expect(report.created == 2)
            #expect(report.problems.map(\.line) == [3])
            #expect(report.problems.first?.description == "line 3: not valid UTF-8 (line skipped)")
            #expect(try await ArticleRepository(database: database).count() == 2)
        }
    }

    @Test(
        "an import goes through the newsroom's checks and leaves revisions, events and an audit entry that say so",
        arguments: TestEngine.available)
    func throughTheNewsroom(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let long = String(repeating: "Дуже довгий заголовок ", count: 20)
            let file = try write(
                [
                    Self.good,
                    #"{"id": 2, "title": "\#(long)", "published_at": "2024-06-18T11:00:00+03:00"}"#,
                    #"{"id": 3, "title": "Посилання", "body_html": "<p><a href=\"javascript:alert(1)\">x</a></p>"}"#,
                ], in: paths)
            let report = try await importer(database, paths).importFile(at: file)
            #expect(report.created == 2)
            // The editor's limit on headlines holds for imports too, and the line and field are named.
            let refused = try #require(report.problems.first { $0.line == 2 })
            #expect(refused.field == "title" && refused.skipped)
            #expect(refused.description.contains("longer than \(ArticleValidation.maxTitle) characters"))
            let articles = ArticleRepository(database: database)
            let stored = try #require(
                try await articles.find(slug: "putin-vpershe-za-24-roky-vidviduie-pivnichnu-koreiu"))
            let newsroom = Newsroom(database: database)
            #expect(try await newsroom.revisions(of: stored.id!).map(\.kind) == ["import"])
            let events = try await ChangeLog(database: database).all()
            #expect(events.filter { $0.action == .created }.allSatisfy { $0.source == .import })
            #expect(events.filter { $0.action == .created }.count == 2)
            // The new rubric is in the menu of every page.
            #expect(events.contains { $0.action == .rubricsChanged && $0.keys == [ChangeEvent.everyPage] })
            try await ChangeDispatcher(database: database, subscribers: [AuditSubscriber()]).drain()
            let audit = try await AuditLog(database: database).latest()
            let entry = try #require(audit.first { $0.action == "articles_imported" })
            #expect(entry.subject == "in.jsonl, lines 1–3: 2 new, 0 updated")
            // Imported again as it is: nothing is written, no revision, no new version.
            let again = try await importer(database, paths).importFile(at: file)
            #expect(again.unchanged == 2 && again.updated == 0 && again.created == 0)
            #expect(try #require(try await articles.find(id: stored.id!)).version == stored.version)
            #expect(try await newsroom.revisions(of: stored.id!).map(\.kind) == ["import"])
            // Changed in the file: an update, with a second "import" revision and a new version.
            let text = try String(contentsOfFile: file, encoding: .utf8)
            try text.replacingOccurrences(of: "Тизер.", with: "Новий тизер.").write(
                toFile: file, atomically: true, encoding: .utf8)
            let edited = try await importer(database, paths).importFile(at: file)
            #expect(edited.updated >= 1 && edited.created == 0)
            let updated = try #require(try await articles.find(id: stored.id!))
            #expect(updated.version == stored.version + 1)
            #expect(try await newsroom.revisions(of: stored.id!).map(\.kind) == ["import", "import"])
        }
    }

    /// What an import left behind, comparable across databases: each story by source, its revisions, the events
    /// and the old addresses (ids replaced by sources and slugs).
    func trace(_ database: Database) async throws -> [String] {
        try await database.read { sql in
            var lines: [String] = []
            for row in try await sql.raw(
                """
                SELECT a.source_id, a.slug, a.title, a.status, a.version, r.slug AS rubric,
                (SELECT COUNT(*) FROM revisions v WHERE v.article_id = a.id AND v.kind = 'import') AS revisions,
                (SELECT COUNT(*) FROM article_tags t WHERE t.article_id = a.id) AS tags,
                (SELECT COUNT(*) FROM article_authors u WHERE u.article_id = a.id) AS bylines
                FROM articles a LEFT JOIN rubrics r ON r.id = a.rubric_id ORDER BY a.source_id
                """
            ).all() {
                lines.append(
                    try [
                        row.decode(column: "source_id", as: String.self), row.decode(column: "slug", as: String.self),
                        row.decode(column: "title", as: String.self), row.decode(column: "status", as: String.self),
                        String(row.decode(column: "version", as: Int.self)),
                        (try? row.decode(column: "rubric", as: String.self)) ?? "-",
                        String(row.decode(column: "revisions", as: Int.self)),
                        String(row.decode(column: "tags", as: Int.self)),
                        String(row.decode(column: "bylines", as: Int.self)),
                    ].joined(separator: " | "))
            }
            return lines
        }
    }

    @Test(
        "a batch stored together leaves exactly what one story at a time leaves: addresses, revisions, events",
        arguments: TestEngine.available)
    func batchEqualsOneByOne(engine: TestEngine) async throws {
        let rubrics = ["Політика", "Спорт", "Культура"]
        var lines: [String] = []
        for id in 1...40 {
            // Every fifth headline repeats (its address gets -2, -3…), every seventh is a draft.
            let title = id % 5 == 0 ? "Сесія міської ради" : "Новина номер \(id) про Львів"
            let date = id % 7 == 0 ? "" : #", "published_at": "2024-06-\#(10 + id % 18)T10:00:00+03:00""#
            lines.append(
                #"{"id": \#(id), "title": "\#(title)", "rubric": "\#(rubrics[id % 3])", "tags": ["Львів", "Тег \#(id % 4)"], "author": "Автор \#(id % 6)", "body_html": "<p>Текст \#(id).</p>"\#(date)}"#
            )
        }
        // Refused for its headline: the rubric it names is not added (no empty rubric in the menu).
        lines[12] = #"{"id": 13, "title": "\#(String(repeating: "Задовгий ", count: 40))", "rubric": "Відхилена"}"#
        lines[20] = #"{"id": 3, "title": "Третя новина, виправлена", "published_at": "2024-06-20T10:00:00+03:00"}"#
        // An address an earlier import took.
        let earlier = #"{"id": 900, "title": "Сесія міської ради", "published_at": "2024-06-01T10:00:00+03:00"}"#
        func run(batchSize: Int) async throws -> (
            trace: [String], events: [String], report: ImportReport, rubrics: [String]
        ) {
            try await TestDatabase.with(engine) { database, paths in
                let media = try DirectoryMediaStore(root: paths.media)
                _ = try await JSONLImporter(database: database, mediaStore: media, batchSize: 1).importFile(
                    at: try write([earlier], in: paths))
                let report = try await JSONLImporter(database: database, mediaStore: media, batchSize: batchSize)
                    .importFile(at: try write(lines, in: paths))
                let events = try await ChangeLog(database: database).all().filter { $0.articleID != nil }.map {
                    "\($0.action) \($0.newSlug ?? "") \($0.urls.sorted()) \($0.keys.count)"
                }
                let rubrics = try await RubricRepository(database: database).all().map(\.name).sorted()
                return (try await trace(database), events, report, rubrics)
            }
        }
        let alone = try await run(batchSize: 1)
        let together = try await run(batchSize: 500)
        #expect(together.report.created == 38 && together.report.updated == 1)
        // All new stories but the refused one went in one go.
        #expect(together.report.storedTogether == 38 && alone.report.storedTogether == 0)
        #expect(together.report.problems.filter(\.skipped).map(\.line) == [13])
        #expect(together.trace == alone.trace)
        #expect(together.rubrics == alone.rubrics && together.rubrics == rubrics.sorted())
        #expect(together.events.sorted() == alone.events.sorted())
        #expect(together.report.problems.map(\.description) == alone.report.problems.map(\.description))
        #expect(together.report.counts == alone.report.counts)
        #expect(together.trace.contains { $0.hasPrefix("jsonl:10 | sesiia-miskoi-rady-3 |") })
        // A published story's event names its rubric's, tags' and author's pages.
        #expect(
            together.events.contains { $0.contains("/rubric/") && $0.contains("/tag/lviv") && $0.contains("/author/") })
    }

    @Test("slugs come from titles by KMU 2010; collisions get -2, -3", arguments: TestEngine.available)
    func slugs(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let line = { (id: Int) in
                #"{"id": \#(id), "title": "Згорани: Київ і Львів", "published_at": "2024-06-18T10:15:00+03:00"}"#
            }
            let file = try write(
                [
                    line(1), line(2), line(3), #"{"id": 4, "slug": "admin", "title": "Адмін"}"#,
                    #"{"id": 5, "slug": "Моя Адреса", "title": "Згорани"}"#, #"{"id": 6, "title": "«…»"}"#,
                ], in: paths)
            _ = try await importer(database, paths).importFile(at: file)
            let repository = ArticleRepository(database: database)
            #expect(try await repository.find(sourceID: "jsonl:1")?.slug == "zghorany-kyiv-i-lviv")
            #expect(try await repository.find(sourceID: "jsonl:2")?.slug == "zghorany-kyiv-i-lviv-2")
            #expect(try await repository.find(sourceID: "jsonl:3")?.slug == "zghorany-kyiv-i-lviv-3")
            // A reserved address gets "-1"; an address given is transliterated, not the title; a title with no
            // letters or digits gives "article".
            #expect(try await repository.find(sourceID: "jsonl:4")?.slug == "admin-1")
            #expect(try await repository.find(sourceID: "jsonl:5")?.slug == "moia-adresa")
            #expect(try await repository.find(sourceID: "jsonl:6")?.slug == "article")
        }
    }

    @Test("messy data is normalised: Latin C in a rubric, quotes, credits", arguments: TestEngine.available)
    func normalisation(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let file = try write([Self.good], in: paths)
            _ = try await importer(database, paths).importFile(at: file)
            let rubric = try #require(try await RubricRepository(database: database).find(slug: "sport"))
            #expect(rubric.name == "Спорт")
            #expect(rubric.name.unicodeScalars.first == "С")
            let article = try #require(try await ArticleRepository(database: database).find(sourceID: "jsonl:1"))
            #expect(article.slug == "putin-vpershe-za-24-roky-vidviduie-pivnichnu-koreiu")
            #expect(article.publishedAt == Date(timeIntervalSince1970: 1_718_694_900))
            #expect(
                article.body == [
                    .paragraph(spans: [Span("Перший "), Span("абзац", bold: true), Span(".")]),
                    .heading(text: "Підзаголовок"),
                    .quote(text: "«Цитата»", attribution: "Михайло Подоляк"),
                ])
            #expect(article.lede == "Тизер.")
        }
    }

    @Test(
        "the two defects of #13: a quote holding a <div> is imported (it hung), and an address keeps its Latin letters",
        .timeLimit(.minutes(10)), arguments: TestEngine.available)
    func importDefects(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let line =
                #"{"id": 7, "title": "Макрон у x.com/EmmanuelMacron", "teaser": "Допис на x.com.", "body_html": "<blockquote><div>текст</div></blockquote><script>x()</script>", "author": "Олена", "published_at": "2024-06-18T10:15:00+03:00"}"#
            let report = try await importer(database, paths).importFile(at: try write([line], in: paths))
            #expect(report.created == 1)
            #expect(report.problems.map(\.description) == [#"line 1, field "body_html": removed <script>"#])
            let article = try #require(try await ArticleRepository(database: database).find(sourceID: "jsonl:7"))
            #expect(article.title == "Макрон у x.com/EmmanuelMacron")
            #expect(article.title.unicodeScalars.allSatisfy { $0 != "х" })
            #expect(article.lede == "Допис на x.com.")
            #expect(article.body == [.quote(text: "текст", attribution: nil)])
        }
    }

    @Test("re-importing a file updates its articles instead of duplicating them", arguments: TestEngine.available)
    func reimport(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let file = try write([Self.good], in: paths)
            let first = try await importer(database, paths).importFile(at: file)
            let second = try await importer(database, paths).importFile(at: file)
            #expect(first.created == 1 && second.created == 0 && second.updated == 0 && second.unchanged == 1)
            #expect(try await ArticleRepository(database: database).count() == 1)
            #expect(
                try await ArticleRepository(database: database).find(sourceID: "jsonl:1")?.slug
                    == "putin-vpershe-za-24-roky-vidviduie-pivnichnu-koreiu")
            // The search index follows the import: headline, teaser, body and quote words, once each.
            let search = SearchRepository(database: database)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            for query in ["Путіна", "тизером", "абзаци", "цитати Подоляка"] {
                #expect(try await search.search(SearchQuery(query), scope: .published(now: now)).results.count == 1)
            }
            // A changed body is searched as changed.
            let edited = Self.good.replacingOccurrences(of: "Перший", with: "Оновлений")
            _ = try await importer(database, paths).importFile(at: try write([edited], in: paths))
            #expect(try await search.search(SearchQuery("оновленого"), scope: .published(now: now)).results.count == 1)
            #expect(try await search.search(SearchQuery("першого"), scope: .published(now: now)).results.isEmpty)
        }
    }

    @Test("the demo content imports whole, with photos and credits", arguments: TestEngine.available)
    func demo(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let loaded = try await DemoLoader(
                database: database, mediaDirectory: paths.media, demoDirectory: Repository.demo, corpus: nil,
                logger: Logger(label: "test")
            ).loadIfEmpty()
            #expect(loaded)
            let repository = ArticleRepository(database: database)
            #expect(try await repository.count() == 28)
            let reference = try #require(
                try await repository.detail(
                    slug: "putin-vpershe-za-24-roky-vidviduie-pivnichnu-koreiu-vidomi-ofitsiina-i-taiemna-tsili-vizytu",
                    now: Date()))
            #expect(reference.cover?.credit == "Фото: telegram.org")
            #expect(reference.bylines.map(\.name) == ["Олена Ковальська"])
            #expect(reference.article.body.contains { if case .heading = $0 { true } else { false } })
            #expect(reference.article.body.contains { if case .image = $0 { true } else { false } })
            #expect(FileManager.default.fileExists(atPath: paths.media + "/" + (reference.cover?.file ?? "-")))
            // Loading again does nothing.
            let again = try await DemoLoader(
                database: database, mediaDirectory: paths.media, demoDirectory: Repository.demo, corpus: nil,
                logger: Logger(label: "test")
            ).loadIfEmpty()
            #expect(!again)
        }
    }

    @Test("photo references cannot leave the photo folder", arguments: TestEngine.available)
    func photoFolderConfinement(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let photos = paths.directory + "/photos"
            try FileManager.default.createDirectory(atPath: photos, withIntermediateDirectories: true)
            try Data("secret".utf8).write(to: URL(fileURLWithPath: paths.directory + "/secret.jpg"))
            try FileManager.default.createSymbolicLink(
                atPath: photos + "/link.jpg", withDestinationPath: paths.directory + "/secret.jpg")
            let file = try write(
                [
                    #"{"id": 1, "title": "Перша", "published_at": "2024-06-18T10:15:00+03:00", "photo": "../secret.jpg", "photo_credit": "Фото: x"}"#,
                    #"{"id": 2, "title": "Друга", "published_at": "2024-06-18T10:15:00+03:00", "photo": "link.jpg", "photo_credit": "Фото: x"}"#,
                ], in: paths)
            let report = try await importer(database, paths, photos: photos).importFile(at: file)
            #expect(report.created == 2)
            #expect(report.problems.filter { $0.message.contains("outside the photo folder") }.count == 2)
            #expect(try await MediaRepository(database: database).list(limit: 60).isEmpty)
        }
    }
}
