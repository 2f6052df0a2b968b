import Foundation
import NewsCore
import NewsData
import SQLKit
import TestSupport
import Testing

@testable import NewsImport

@Suite("WordPress import")
struct WordPressImportTests {
    static let fixtures = WXRReaderTests.fixtures

    static func importer(
        _ database: Database, _ paths: TestPaths, dryRun: Bool = false, permalinks: [String] = [], batchSize: Int = 4
    ) throws -> WordPressImporter {
        WordPressImporter(
            database: database, mediaStore: try DirectoryMediaStore(root: paths.media),
            uploads: fixtures.appendingPathComponent("uploads").path, permalinks: permalinks, dryRun: dryRun,
            batchSize: batchSize)
    }

    static func legacy(_ database: Database) async throws -> [String: String] {
        try await database.read { sql in
            var found: [String: String] = [:]
            for row in try await sql.raw("SELECT path, article_id, target FROM legacy_urls").all() {
                let path = try row.decode(column: "path", as: String.self)
                let article = try row.decode(column: "article_id", as: Int64?.self)
                found[path] = try article.map { "article:\($0)" } ?? row.decode(column: "target", as: String.self)
            }
            return found
        }
    }

    @Test(
        "a real WordPress export: posts, statuses, rubrics, tags, bylines, photos, captions, SEO",
        arguments: TestEngine.available)
    func realExport(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let report = try await Self.importer(database, paths).importFile(
                at: Self.fixtures.appendingPathComponent("wordpress-dated.xml").path)
            #expect(report.created == 10 && report.updated == 0)
            // Pages and the custom post type are named, not silently dropped.
            #expect(report.problems.filter(\.skipped).map(\.line) == [15, 16, 17])
            #expect(report.problems.contains { $0.line == 14 && $0.message.contains("no author") })
            #expect(report.problems.contains { $0.line == 13 && $0.message == "removed <script>" })
            #expect(report.problems.contains { $0.line == 3 && $0.message.contains("[contact-form-7]") })
            #expect(report.problems.contains { $0.line == 3 && $0.message.contains("without its closing") })

            let articles = ArticleRepository(database: database)
            let host = "wp:gazeta.example:"
            let first = try #require(try await articles.find(sourceID: host + "1"))
            #expect(first.slug == "lviv-hotuietsia-do-dnia-mista" && first.status == .published)
            #expect(first.publishedAt == Date(timeIntervalSince1970: 1_714_977_000))  // 2024-05-06 09:30 Kyiv
            #expect(first.lede.hasPrefix("Львів") || !first.lede.isEmpty)
            #expect(first.seoTitle == "День міста у Львові 2024: програма свята — Тестова газета")
            let lviv = try #require(try await RubricRepository(database: database).find(slug: "lviv"))
            #expect(first.rubricID == lviv.id, "the most specific category becomes the rubric")
            let news = try #require(try await RubricRepository(database: database).find(slug: "novyny"))
            #expect(lviv.parentID == news.id && news.parentID == nil, "the category hierarchy is kept")
            // wpautop text: a line break inside a paragraph, the bare YouTube address as an embed, [caption] as a photo.
            #expect(first.body.contains { if case .embed(let url) = $0 { url.contains("youtube.com") } else { false } })
            #expect(
                first.body.contains {
                    if case .paragraph(let spans) = $0 { spans.contains { $0.text == "\n" } } else { false }
                })
            let cover = try #require(try await MediaRepository(database: database).find(id: first.coverMediaID!))
            #expect(
                cover.credit == "Фото: Іван Петренко" && cover.caption == "Підпис."
                    && cover.alt == "Площа Ринок у Львові")
            #expect(FileManager.default.fileExists(atPath: paths.media + "/" + cover.file))

            let gallery = try #require(try await articles.find(sourceID: host + "8"))
            #expect(gallery.featured, "a sticky post is featured")
            #expect(gallery.body.filter { if case .image = $0 { true } else { false } }.count == 3)

            let blocks = try #require(try await articles.find(sourceID: host + "3"))
            #expect(blocks.seoTitle == "Фестиваль вуличної музики 2024 — Тестова газета" || blocks.seoTitle != nil)
            #expect(blocks.body.contains { if case .raw(let html) = $0 { html.contains("<table>") } else { false } })
            #expect(blocks.body.contains { if case .heading = $0 { true } else { false } })
            #expect(blocks.body.contains { if case .list = $0 { true } else { false } })
            #expect(blocks.body.contains { if case .quote = $0 { true } else { false } })
            let embeds = blocks.body.compactMap { if case .embed(let url) = $0 { url } else { nil } }
            for host in ["youtube.com", "twitter.com", "facebook.com", "instagram.com", "t.me"] {
                #expect(embeds.contains { $0.contains(host) }, "no \(host) embed in \(embeds)")
            }

            let unsafe = try #require(try await articles.find(sourceID: host + "13"))
            let text = try String(data: JSONEncoder().encode(unsafe.body), encoding: .utf8) ?? ""
            #expect(!text.contains("alert(1)") && !text.contains("onclick") && !text.contains("<style"))

            let quote = try #require(try await articles.find(sourceID: host + "14"))
            #expect(quote.body.contains { $0 == .quote(text: "текст", attribution: nil) })
            #expect(quote.bylineIDs.isEmpty)
            #expect(quote.body.contains { if case .image = $0 { true } else { false } }, "the resized copy's original")

            let statuses = try await [9, 10, 11, 12, 18].asyncMap {
                try await articles.find(sourceID: host + "\($0)")?.status
            }
            #expect(statuses == [.draft, .review, .scheduled, .draft, .draft])
            let scheduled = try #require(try await articles.find(sourceID: host + "11"))
            #expect(scheduled.publishedAt == Date(timeIntervalSince1970: 1_906_556_400))  // 2030-06-01 18:00 Kyiv

            let ivan = try #require(try await AuthorRepository(database: database).find(slug: "ivan-petrenko"))
            #expect(ivan.author.name == "Іван Петренко" && ivan.author.login == "ivan.petrenko")
            let tag = try #require(try await TagRepository(database: database).find(slug: "yevro-2024"))
            #expect(tag.name == "Євро-2024" && gallery.tagIDs.contains(tag.id!))

            // Every post's old addresses, and the archives', are recorded.
            let legacy = try await Self.legacy(database)
            #expect(legacy["/2024/05/06/львів-готується-до-дня-міста"] == "article:\(first.id!)")
            #expect(legacy["?p=1"] == "article:\(first.id!)" && legacy["?p=11"] == "article:\(scheduled.id!)")
            #expect(legacy["/category/novyny/lviv"] == "rubric:lviv" && legacy["/tag/євро-2024"] == "tag:yevro-2024")
            #expect(legacy["/author/ivan.petrenko"] == "author:ivan-petrenko")
        }
    }

    @Test("importing again changes nothing; a dry run stores nothing", arguments: TestEngine.available)
    func idempotent(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let file = Self.fixtures.appendingPathComponent("wordpress-dated.xml").path
            let dry = try await Self.importer(database, paths, dryRun: true).importFile(at: file)
            #expect(dry.created == 10)
            #expect(try await ArticleRepository(database: database).count() == 0)
            #expect((try? FileManager.default.contentsOfDirectory(atPath: paths.media))?.isEmpty ?? true)
            #expect(try await Self.legacy(database).isEmpty)

            _ = try await Self.importer(database, paths).importFile(at: file)
            let counts = try await Self.counts(database)
            let again = try await Self.importer(database, paths).importFile(at: file)
            #expect(again.created == 0 && again.updated == 0 && again.unchanged == 10)
            #expect(try await Self.counts(database) == counts)
        }
    }

    @Test(
        "an import cut off part-way (a truncated file, as after kill -9) is finished by running it again, once",
        arguments: TestEngine.available)
    func resume(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let file = Self.fixtures.appendingPathComponent("wordpress-category.xml").path
            let whole = try String(contentsOfFile: file, encoding: .utf8)
            let cut = whole.range(of: "<wp:post_id>11</wp:post_id>")!.upperBound
            let partial = paths.directory + "/partial.xml"
            try String(whole[..<cut]).write(toFile: partial, atomically: true, encoding: .utf8)
            let first = try await Self.importer(database, paths).importFile(at: partial)
            #expect(first.created == 5, "posts 1, 3, 8, 9 and 10; post 11 is cut off")
            let second = try await Self.importer(database, paths).importFile(at: file)
            #expect(second.created == 5 && second.unchanged == 5)
            let ids = try await database.read { sql in
                try await sql.raw("SELECT source_id FROM articles ORDER BY source_id").all().map {
                    try $0.decode(column: "source_id", as: String.self)
                }
            }
            #expect(ids.count == 10 && Set(ids).count == 10)
        }
    }

    /// An export of `items` (each an `<item>…</item>`), with the real fixture's head.
    static func export(_ items: [String], tail: String = "</channel>\n</rss>\n") throws -> String {
        let whole = try String(
            contentsOfFile: fixtures.appendingPathComponent("wordpress-dated.xml").path, encoding: .utf8)
        let head = whole[..<whole.range(of: "<item>")!.lowerBound]
        return head + items.joined(separator: "\n") + tail
    }

    static func post(
        _ id: Int, slug: String = "", content: String = "<p>Текст.</p>", type: String = "post",
        creator: String = "olena"
    ) -> String {
        """
        <item><title><![CDATA[Допис \(id)]]></title><link>http://gazeta.example/?p=\(id)</link>
        <dc:creator><![CDATA[\(creator)]]></dc:creator><guid isPermaLink="false">http://gazeta.example/?p=\(id)</guid>
        <content:encoded><![CDATA[\(content)]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
        <wp:post_id>\(id)</wp:post_id><wp:post_date><![CDATA[2024-05-06 09:30:00]]></wp:post_date>
        <wp:post_date_gmt><![CDATA[2024-05-06 06:30:00]]></wp:post_date_gmt><wp:post_name><![CDATA[\(slug)]]></wp:post_name>
        <wp:status><![CDATA[publish]]></wp:status><wp:post_parent>0</wp:post_parent>
        <wp:post_type><![CDATA[\(type)]]></wp:post_type><wp:post_password><![CDATA[]]></wp:post_password>
        <wp:is_sticky>0</wp:is_sticky><category domain="category" nicename="sport"><![CDATA[Спорт]]></category></item>
        """
    }

    @Test(
        "bad input: each bad item gets a warning with its id, the rest are imported whole", .timeLimit(.minutes(10)))
    func badInput() async throws {
        // On SQLite only: what is refused is refused before anything is stored, the same on either engine, and the
        // 10 MB export would only add load to the PostgreSQL suites running beside it.
        try await TestDatabase.with(.sqlite) { database, paths in
            let huge = String(repeating: "<p>Абзац великого допису, що займає багато місця.</p>\n", count: 130_000)
            let deep =
                String(repeating: "<div><span>", count: 10_000) + "глибоко"
                + String(repeating: "</span></div>", count: 10_000)
            let items = [
                Self.post(101, slug: "odnakovyi"),
                Self.post(102, slug: "odnakovyi"),  // a duplicate slug
                Self.post(103, content: huge),  // over 10 MB
                Self.post(104, content: deep),  // 10,000 levels
                Self.post(105, content: "<blockquote><div>текст</div></blockquote>"),  // hung the old reader
                // Broken shortcodes.
                Self.post(106, content: "Текст [caption id=\"x\" width=\"1\"]без кінця і [gallery ids=\"1"),
                Self.post(107, type: "product"),  // an unknown post type
                Self.post(108, creator: ""),  // no author
                Self.post(109, content: "<p onclick=\"x()\">Так<script>steal()</script><style>p{}</style></p>"),
                Self.post(110).replacingOccurrences(of: "<wp:status>", with: "<wp:status>&bad;"),  // malformed XML
                Self.post(111),
                // The file ends inside this one.
                String(Self.post(112).split(separator: "<wp:post_date>")[0]),
            ]
            let file = paths.directory + "/bad.xml"
            try Self.export(items, tail: "").write(toFile: file, atomically: true, encoding: .utf8)
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)).count > 10_000_000)
            let report = try await Self.importer(database, paths).importFile(at: file)
            #expect(report.created == 8, "\(report.problems.map(\.description))")
            let skipped = Set(report.problems.filter(\.skipped).map(\.line))
            #expect(skipped == [103, 107, 110, 112])
            func warned(_ id: Int, _ text: String) -> Bool {
                report.problems.contains { $0.line == id && $0.description.contains(text) }
            }
            #expect(warned(102, "imported as odnakovyi-2"))
            #expect(warned(103, "paragraphs"))
            #expect(warned(104, "nested deeper"))
            #expect(warned(106, "[caption"))
            #expect(warned(107, "unknown post type"))
            #expect(warned(108, "no author"))
            #expect(warned(109, "<script>") && warned(109, "<style>") && warned(109, "event handler"))
            #expect(warned(110, "well-formed"))
            #expect(warned(112, "truncated"))
            let articles = ArticleRepository(database: database)
            let quote = try #require(try await articles.find(sourceID: "wp:gazeta.example:105"))
            #expect(quote.body == [.quote(text: "текст", attribution: nil)])
            let nested = try #require(try await articles.find(sourceID: "wp:gazeta.example:104"))
            #expect(nested.body.map(\.plainText).joined() == "глибоко")
            #expect(try await articles.find(sourceID: "wp:gazeta.example:103") == nil, "nothing of a refused post")
            #expect(try await articles.find(sourceID: "wp:gazeta.example:111") != nil)
        }
    }

    @Test(
        "fuzz: posts with random and mutated bodies are imported or refused, in bounded time", .timeLimit(.minutes(10)))
    func importFuzz() async throws {
        try await TestDatabase.with(.sqlite) { database, paths in
            var generator = SystemRandomNumberGenerator()
            let seeds = [
                "<blockquote><div>текст</div></blockquote>",
                "[caption]<img src=\"/wp-content/uploads/2024/05/photo.jpg\"> Фото: А[/caption]",
                "Рядок\n\nhttps://youtu.be/abc\n\n<table><tr><td>1</td></tr></table>",
                "[gallery ids=\"2,4\"]<ul><li>а<li>б</ul>",
            ]
            let pieces = [
                "<p>", "</p>", "<div>", "<b>", "[", "]", "[/caption]", "<img src=\"x.jpg\">", "\n\n", "текст ", "<",
                "&amp;", "]]",
            ]
            var items: [String] = []
            for id in 1000..<1060 {
                var body = seeds.randomElement(using: &generator)!
                for _ in 0..<Int.random(in: 0...10, using: &generator) {
                    let at = body.index(body.startIndex, offsetBy: Int.random(in: 0...body.count, using: &generator))
                    body.insert(contentsOf: pieces.randomElement(using: &generator)!, at: at)
                }
                items.append(Self.post(id, content: body.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>")))
            }
            let file = paths.directory + "/fuzz.xml"
            try Self.export(items).write(toFile: file, atomically: true, encoding: .utf8)
            let report = try await Self.importer(database, paths).importFile(at: file)
            #expect(report.created + report.skipped == 60)
            #expect(report.created > 50)
        }
    }

    static func counts(_ database: Database) async throws -> [Int] {
        try await database.read { sql in
            var counts: [Int] = []
            for table in [
                "articles", "revisions", "media", "rubrics", "tags", "authors", "legacy_urls", "change_events",
            ] {
                counts.append(
                    try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(
                        column: "n", as: Int.self) ?? -1)
            }
            return counts
        }
    }

    @Test(
        "shortcodes: captions, galleries, embeds; unknown and broken ones named; any text ends", .timeLimit(.minutes(5))
    )
    func shortcodesFuzz() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "[caption id=\"a\" width=\"300\"]", "[/caption]", "<img src=\"/wp-content/uploads/a.jpg\">",
            "[gallery ids=\"1,2\"]",
            "[embed]", "[/embed]", "https://youtu.be/x", "[", "]", "[[", "]]", "[/", "=\"", "'", "текст", "\n\n",
            "[x y=1]",
            "[caption", "[1]", "[Фото]", "<a href=\"x\">", "</a>",
        ]
        let shortcodes = WordPressShortcodes(
            attachments: [
                1: WXRAttachment(
                    id: 1, url: "https://g.example/wp-content/uploads/1.jpg", parent: 0, alt: "а", caption: "Фото: Б")
            ],
            attached: [])
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }
            .joined()
            let conversion = BodyHTML.convert(shortcodes.expand(text).html, autop: true)
            #expect(conversion.blocks.count <= text.count + 1)
        }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
