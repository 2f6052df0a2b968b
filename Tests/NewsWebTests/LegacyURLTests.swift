import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NewsCore
import NewsData
import NewsImport
import NewsWeb
import TestSupport
import Testing

/// Issue #13: every address of a paper's WordPress site keeps working after the move, as one permanent redirect.
@Suite("Old addresses after a WordPress import")
struct LegacyURLTests {
    static let fixtures = URL(fileURLWithPath: Repository.root + "/Tests/NewsImportTests/Fixtures")

    @Test(
        "permalinks (dated, by category, given structures), ?p=ID, guids and the old archives answer 301 to the new pages",
        arguments: TestEngine.available)
    func redirects(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let store = FileManager.default.temporaryDirectory.appendingPathComponent("shpalta-wp-\(UUID())").path
            defer { try? FileManager.default.removeItem(atPath: store) }
            for (file, permalinks) in [
                ("wordpress-dated.xml", ["/%post_id%/%postname%.html", "/archives/%post_id%"]),
                ("wordpress-category.xml", []),
            ] {
                let importer = WordPressImporter(
                    database: database, mediaStore: try DirectoryMediaStore(root: store),
                    uploads: Self.fixtures.appendingPathComponent("uploads").path, permalinks: permalinks)
                _ = try await importer.importFile(at: Self.fixtures.appendingPathComponent(file).path)
            }
            let moved: [(String, String)] = [
                // The dated permalink, as browsers send it (upper-case percent-encoding) and decoded.
                (
                    "/2024/05/06/%D0%BB%D1%8C%D0%B2%D1%96%D0%B2-%D0%B3%D0%BE%D1%82%D1%83%D1%94%D1%82%D1%8C%D1%81%D1%8F-%D0%B4%D0%BE-%D0%B4%D0%BD%D1%8F-%D0%BC%D1%96%D1%81%D1%82%D0%B0/",
                    "/news/lviv-hotuietsia-do-dnia-mista"
                ),
                ("/2024/05/20/festyval-vulychnoi-muzyky/", "/news/festyval-vulychnoi-muzyky"),
                ("/2024/05/20/festyval-vulychnoi-muzyky", "/news/festyval-vulychnoi-muzyky"),
                // The category structure, with the parent's path.
                ("/novyny/lviv/lyst-chytacha/", "/news/lyst-chytacha"),
                ("/sport/karpaty-dynamo-fotoreportazh/", "/news/karpaty-dynamo-fotoreportazh"),
                // Plain links and guids.
                ("/?p=8", "/news/karpaty-dynamo-fotoreportazh"),
                ("/?p=14&replytocom=3", "/news/lyst-chytacha"),
                // Structures given on the command line.
                ("/3/festyval-vulychnoi-muzyky.html", "/news/festyval-vulychnoi-muzyky"),
                ("/archives/13", "/news/test-skrypty-i-styli"),
                // The archives.
                ("/category/novyny/lviv/", "/rubric/lviv"),
                ("/category/sport/", "/rubric/sport"),
                ("/tag/%d1%94%d0%b2%d1%80%d0%be-2024/", "/tag/yevro-2024"),
                ("/author/ivan.petrenko/", "/author/ivan-petrenko"),
            ]
            for (old, new) in moved {
                let page = try await client.page(old)
                #expect(page.status == .movedPermanently, "\(old): \(page.status)")
                #expect(page.headers[.location] == new, "\(old) → \(page.headers[.location] ?? "nothing")")
            }
            // The new addresses answer; a draft's and a scheduled story's old addresses stay unknown; our own pages
            // are not touched.
            #expect(try await client.page("/news/lviv-hotuietsia-do-dnia-mista").status == .ok)
            #expect(try await client.page("/?p=11").status == .ok)
            #expect(try await client.page("/?p=9").body.contains("<html"))
            #expect(try await client.page("/2024/05/06/nothing-here/").headers[.location] == "/2024/05/06/nothing-here")
            #expect(try await client.page("/2024/05/06/nothing-here").status == .notFound)
        }
    }
}
