import Foundation
import HTTPTypes
import NewsCore
import TestSupport
import Testing

@Suite("Bad input gets a clear page, never a 500")
struct BadInputTests {
    @Test(
        "malformed requests",
        arguments: [
            ("/news?after=garbage", 400, "Посилання на наступну сторінку"),
            ("/news?after=" + FeedCursor(publishedMillis: 1, id: 1).token + "x", 400, "Посилання на наступну сторінку"),
            ("/news?after=djE6LTE6MQ", 400, "Посилання на наступну сторінку"),  // negative time
            ("/news?after=djI6MTox", 400, "Посилання на наступну сторінку"),  // unknown version
            ("/news?after=%00%FF", 400, ""),
            ("/rubric/podrobytsi?after=!!", 400, ""),
            ("/news?page=500", 400, ""),
            ("/news?page=-1", 400, ""),
            ("/news?page=99999999999999999999999", 400, ""),
            ("/news/%ZZ", 400, "неприпустимі символи"),
            ("/news/%C3%28", 400, "неприпустимі символи"),
            ("/news?q=%E0%A4%A", 400, ""),
            ("/news?x=" + String(repeating: "a", count: 5000), 414, ""),
            ("/" + String(repeating: "a/", count: 700), 414, ""),
            ("/no/such/page", 404, "Сторінку не знайдено"),
            ("/static/../../etc/passwd", 404, ""),
            ("/media/..%2F..%2Fetc%2Fpasswd", 404, ""),
            ("/media/photo-99.jpg", 404, ""),
        ])
    func malformed(uri: String, status: Int, text: String) async throws {
        try await withSite(.sqlite) { client, _ in
            let page = try await client.page(uri)
            #expect(Int(page.status.code) == status, "\(uri)")
            #expect(page.body.contains("<h1"), "\(uri) has no themed page")
            if !text.isEmpty { #expect(page.body.contains(text), "\(uri)") }
        }
    }

    @Test("a far-away but well-formed cursor is an empty page, not an error")
    func farCursor() async throws {
        try await withSite(.sqlite) { client, _ in
            let page = try await client.page("/news?after=" + FeedCursor(publishedMillis: 1000, id: 1).token)
            #expect(page.status == .ok)
            #expect(page.body.feedItemIDs.isEmpty)
        }
    }

    @Test(
        "variants of an address redirect to the canonical one",
        arguments: [
            ("/news/", "/news"),
            ("/NEWS", "/news"),
            ("/News/" + referenceSlug.uppercased() + "/", "/news/" + referenceSlug),
            ("/rubric/Sport?after=abc", "/rubric/sport?after=abc"),
            ("//news", "/news"),
        ])
    func canonical(uri: String, location: String) async throws {
        try await withSite(.sqlite) { client, _ in
            let page = try await client.page(uri)
            #expect(page.status == .movedPermanently, "\(uri)")
            #expect(page.headers[.location] == location)
        }
    }

    @Test("photos are served by content type, with long caching")
    func media() async throws {
        try await withSite(.sqlite) { client, _ in
            let photo = try await client.page("/media/photo-01.jpg")
            #expect(photo.status == .ok)
            #expect(photo.headers[.contentType] == "image/jpeg")
            #expect(photo.headers[.cacheControl]?.contains("max-age") == true)
        }
    }
}
