import Foundation
import NewsCore
import NewsImport
import Testing

@Suite("WordPress export reader")
struct WXRReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    static func entries(_ path: String) throws -> (WXRSite, [WXRReader.Entry]) {
        let reader = try WXRReader(path: path)
        let site = try reader.site()
        var entries: [WXRReader.Entry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return (site, entries)
    }

    static func items(_ entries: [WXRReader.Entry]) -> [WXRItem] {
        entries.compactMap { if case .item(let item) = $0 { item } else { nil } }
    }

    @Test("a real export: the site, its authors and terms, and every item with its fields")
    func realExport() throws {
        let (site, entries) = try Self.entries(Self.path("wordpress-dated.xml"))
        #expect(site.baseURL == "http://gazeta.example" && site.host == "gazeta.example")
        #expect(site.authors["ivan.petrenko"]?.displayName == "Іван Петренко")
        #expect(site.categories.first { $0.slug == "lviv" }?.parent == "novyny")
        #expect(site.categories.contains { $0.slug == "культура" && $0.name == "Культура" })
        #expect(site.tags.contains { $0.slug == "п’ятниця" || $0.slug == "пятниця" })
        let items = Self.items(entries)
        #expect(items.count == 18 && items.count == entries.count)
        #expect(items.map(\.id) == Array(1...18))
        let first = try #require(items.first)
        #expect(first.type == "post" && first.status == "publish" && first.slug == "львів-готується-до-дня-міста")
        #expect(first.creator == "ivan.petrenko" && first.meta["_thumbnail_id"] == "2")
        #expect(first.link.hasPrefix("http://gazeta.example/2024/05/06/"))
        #expect(first.terms.contains { $0.domain == "category" && $0.slug == "lviv" })
        #expect(first.content.contains("[caption id=\"attachment_2\""))
        #expect(items[1].type == "attachment" && items[1].attachmentURL.hasSuffix("/2024/05/photo.jpg"))
        #expect(items[7].sticky)
        #expect(items[12].content.contains("]]>"), "a CDATA section split by the export is read whole")
        #expect(items[13].creator.isEmpty)
    }

    @Test("a truncated file and a malformed item are reported with their ids; the other items are read")
    func badInput() throws {
        let whole = try String(contentsOfFile: Self.path("wordpress-dated.xml"), encoding: .utf8)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Cut inside item 8.
        let cut = whole.range(of: "<wp:post_id>8</wp:post_id>")!.upperBound
        let truncated = directory.appendingPathComponent("truncated.xml").path
        try String(whole[..<cut]).write(toFile: truncated, atomically: true, encoding: .utf8)
        let (_, partial) = try Self.entries(truncated)
        #expect(Self.items(partial).map(\.id) == Array(1...7))
        guard case .problem(let id, let message) = partial.last else { Issue.record("no problem reported"); return }
        #expect(id == 8 && message.contains("truncated"))
        // An unescaped "&" and an unclosed element in item 3.
        let start = whole.range(of: "<wp:post_id>3</wp:post_id>")!.upperBound
        var broken = whole
        broken.insert(contentsOf: "<wp:broken>a & b", at: start)
        let malformed = directory.appendingPathComponent("malformed.xml").path
        try broken.write(toFile: malformed, atomically: true, encoding: .utf8)
        let (_, entries) = try Self.entries(malformed)
        #expect(Self.items(entries).map(\.id) == [1, 2] + Array(4...18))
        #expect(entries.contains { if case .problem(3, let message) = $0 { message.contains("XML") } else { false } })
    }

    @Test("fuzz: mutated and cut exports are read in bounded time", .timeLimit(.minutes(5)))
    func fuzz() throws {
        let whole = Array(try Data(contentsOf: URL(fileURLWithPath: Self.path("wordpress-posts-only.xml"))))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("fuzz.xml").path
        var generator = SystemRandomNumberGenerator()
        let pieces = ["<item>", "</item>", "<![CDATA[", "]]>", "<!--", "-->", "<", "&", "\0", "<rss>", "</channel>"]
        for _ in 0..<200 {
            var bytes = whole
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.insert(contentsOf: pieces.randomElement(using: &generator)!.utf8, at: at)
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...200, using: &generator)))
                default: bytes = Array(bytes[..<at])
                }
                if bytes.isEmpty { bytes = Array("<".utf8) }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let reader = try WXRReader(path: path)
            guard (try? reader.site()) != nil else { continue }
            var count = 0
            while let _ = try reader.next() {
                count += 1
                #expect(count <= 10 + pieces.count * 6, "more entries than items")
                if count > 100 { break }
            }
        }
    }
}
