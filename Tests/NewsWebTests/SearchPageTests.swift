import Foundation
import HTTPTypes
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("The search page")
struct SearchPageTests {
    func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test("finds inflected forms, highlights them as written, pages with show more", arguments: TestEngine.available)
    func results(engine: TestEngine) async throws {
        try await withSite(engine) { client, _ in
            let page = try await client.page("/search?q=" + encode("Північної Кореї"))
            #expect(page.status == .ok)
            #expect(page.body.feedItemIDs.contains("/news/\(referenceSlug)"))
            #expect(page.body.contains("<mark>Північну</mark>") || page.body.contains("<mark>Північна</mark>"))
            #expect(page.headers[HTTPField.Name("X-Robots-Tag")!] == "noindex")
            let kyiv = try await client.page("/search?q=" + encode("Києві"))
            #expect(kyiv.body.feedItemIDs.count >= 1)
            let sport = try await client.page("/search?q=" + encode("турнірі") + "&rubric=sport")
            #expect(sport.body.feedItemIDs.count == 1)
            let none = try await client.page("/search?q=" + encode("Київ") + "&rubric=sport")
            #expect(none.body.contains("Нічого не знайдено"))
        }
    }

    @Test("the snippet is the text around the first hit, cut with ellipses")
    func snippet() async throws {
        try await withSite(.sqlite) { client, database in
            let before = (1...40).map { String(format: "п%03d", $0) }.joined(separator: " ")
            let after = (41...90).map { String(format: "п%03d", $0) }.joined(separator: " ")
            let time = Date(timeIntervalSince1970: 1_700_000_000)
            try await ArticleRepository(database: database).save(
                Article(
                    slug: "snippet", title: "Довгий текст", lede: "",
                    body: [.paragraph(spans: [Span("\(before) енергетиками \(after)")])], status: .published,
                    publishedAt: time, updatedAt: time, createdAt: time))
            let page = try await client.page("/search?q=" + encode("енергетики"))
            #expect(page.body.contains("… п029 п030"))
            #expect(!page.body.contains("п028"))
            #expect(page.body.contains("<mark>енергетиками</mark> п041"))
            #expect(page.body.contains("п064 …"))
            #expect(!page.body.contains("п065"))
        }
    }

    @Test(
        "bad queries give a normal page, never an error",
        arguments: [
            "", "%22", "*", "NEAR", "AND%20(", "%FF%FE", "%E0%A4%A", String(repeating: "%D0%B0", count: 5000),
            String(repeating: "!", count: 5000), "%22%22%22", "-", "%00",
        ])
    func badQueries(query: String) async throws {
        try await withSite(.sqlite) { client, _ in
            let page = try await client.page("/search?q=" + query)
            #expect(page.status == .ok, "\(query.prefix(30))")
            #expect(page.body.contains("<h1"))
        }
    }

    @Test("absurd page numbers get a clear 400")
    func pages() async throws {
        try await withSite(.sqlite) { client, _ in
            let zero = try await client.page("/search?q=a&page=0")
            #expect(zero.status == .badRequest)
            #expect(try await client.page("/search?q=a&page=99999").status == HTTPResponse.Status.badRequest)
            #expect(try await client.page("/search?q=a&page=x").status == HTTPResponse.Status.badRequest)
        }
    }

    @Test("a near miss offers a correction")
    func didYouMean() async throws {
        try await withSite(.sqlite) { client, _ in
            let page = try await client.page("/search?q=" + encode("Пхеняна"))
            #expect(page.body.contains("Можливо, ви мали на увазі"))
        }
    }
}
