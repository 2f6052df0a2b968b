import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import NewsCore
import NewsData
import TestSupport
import Testing

/// Text with control characters (a NUL, a vertical tab pasted from a word processor) in any field the newsroom
/// takes: never a 500 (PostgreSQL refuses a NUL in text), never stored as such.
@Suite("Control characters in text")
struct ControlCharacterTests {
    @Test("a NUL or another control character in a story's fields is taken out", arguments: TestEngine.available)
    func story(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let editor = try await client.member(database, "editor@example.com", role: .editor)
            let token = try await AdminAPITests.token(database, for: editor)
            let created = try await client.admin(
                "/api/v1/admin/articles", token: token, method: .post,
                json:
                    #"{"title":"Нуль\u0000тут","lede":"Перший\u000bабзац","tags":["Тег\u0000"],"authors":["Авт\u0007ор"],"blocks":[{"type":"paragraph","spans":[{"text":"Текст\u0000 і далі"}]},{"type":"quote","text":"Цитата\u0001","attribution":"хтось\u0000"}]}"#
            )
            #expect(created.status == .created)
            let id = try #require(created.articleID)
            let stored = try #require(try await ArticleRepository(database: database).find(id: id))
            #expect(stored.title == "Нультут" && stored.lede == "Перший абзац")
            #expect(
                stored.body == [
                    .paragraph(spans: [Span("Текст і далі")]), .quote(text: "Цитата", attribution: "хтось"),
                ])
            #expect(
                created.article["tags"] as? [String] == ["Тег"] && created.article["authors"] as? [String] == ["Автор"])
        }
    }
}

extension ControlCharacterTests {
    @Test(
        "a photo's fields, a rubric's and a tag's name lose their control characters", arguments: TestEngine.available)
    func names(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let token = try await AdminAPITests.token(database, for: admin)
            let photo = try await client.execute(
                uri: "/api/v1/admin/media?alt=%D0%97%D0%B0%D0%BB%00&credit=%D0%A4%D0%BE%D1%82%D0%BE%07&caption=a%0Bb",
                method: .post, headers: [.authorization: "Bearer " + token, .contentType: "image/png"],
                body: ByteBuffer(data: AdminAPINewsroomTests.png)
            ) { String(buffer: $0.body) }
            #expect(
                photo.contains(#""alt":"Зал""#) && photo.contains(#""credit":"Фото""#)
                    && photo.contains(#""caption":"a b""#))
            let rubric = try await client.admin(
                "/api/v1/admin/rubrics", token: token, method: .post,
                json: #"{"name":"Куль\u0000тура","slug":"kultura"}"#)
            #expect(
                rubric.status == .created && (rubric.json["rubric"] as? [String: Any])?["name"] as? String == "Культура"
            )
            // A long caption fits in the upload's query (2,000 letters, 12 bytes each once encoded).
            let long = String(repeating: "ї", count: 2000).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let status = try await client.execute(
                uri: "/api/v1/admin/media?alt=x&credit=y&caption=" + long, method: .post,
                headers: [.authorization: "Bearer " + token, .contentType: "image/png"],
                body: ByteBuffer(data: AdminAPINewsroomTests.png)
            ) { $0.status }
            #expect(status == .created)
        }
    }

    @Test("no text keeps a stray control character, and cleaning twice changes nothing more (property)")
    func property() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = [
            "a", "ї", " ", "\t", "\n", "\r", "\u{0}", "\u{7}", "\u{B}", "\u{C}", "\u{1F}", "\u{7F}", "\u{85}", "\u{9F}",
            "😀",
        ]
        for _ in 0..<2000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                scalars.append(alphabet.randomElement(using: &generator)!)
            }
            let text = String(scalars)
            let stripped = ControlCharacters.strip(text)
            #expect(!stripped.unicodeScalars.contains(where: ControlCharacters.isStray))
            #expect(ControlCharacters.strip(stripped) == stripped)
            let normalized = UkrainianText.normalize(text)
            #expect(!normalized.unicodeScalars.contains(where: ControlCharacters.isStray))
        }
    }
}
