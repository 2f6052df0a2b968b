import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import NewsCore
import NewsData
import NewsMedia
import NewsWeb
import TestSupport
import Testing

/// Photos on the site (issue #12): what is served, at which sizes, and what pages ask for.
@Suite("Photo renditions on the site")
struct RenditionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("NewsMediaTests/Fixtures")

    /// Uploads `fixture` through the Admin API with `token`; the answer's `media` object.
    static func upload(
        _ fixture: String, client: any TestClientProtocol, token: String, type: String = "image/jpeg"
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(fixture))
        return try await client.execute(
            uri:
                "/api/v1/admin/media?alt=%D0%A4%D0%BE%D1%82%D0%BE&credit=%D0%A4%D0%BE%D1%82%D0%BE%3A%20%D1%80%D0%B5%D0%B4%D0%B0%D0%BA%D1%86%D1%96%D1%8F",
            method: .post, headers: [.authorization: "Bearer " + token, .contentType: type],
            body: ByteBuffer(data: data)
        ) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any]
            return (response.status, json?["media"] as? [String: Any] ?? json ?? [:])
        }
    }

    @Test(
        "a phone photo: its address serves an upright copy without GPS at once; the background makes every size; the page gets srcset",
        arguments: TestEngine.available)
    func pipeline(engine: TestEngine) async throws {
        try await withWeb(engine, demo: false) { web in
            try await buildApplication(web).test(.router) { client in
                let editor = try await client.member(web.database, "editor@example.com", role: .editor)
                let token = try await AdminAPITests.token(web.database, for: editor)
                let (status, media) = try await Self.upload("gps.jpg", client: client, token: token)
                #expect(status == .created)
                let id = try #require((media["id"] as? NSNumber)?.int64Value)
                let url = try #require(media["url"] as? String)
                let path = String(url[url.range(of: "/media/")!.lowerBound...])
                let file = String(path.dropFirst("/media/".count))
                // The original is kept as uploaded, GPS and all, and never served.
                let original = try #require(try web.mediaStore.get(file))
                #expect(original.range(of: Data("TestPhone".utf8)) != nil)
                let served = try await client.execute(uri: path, method: .get) { $0 }
                #expect(served.status == .ok && served.headers[.contentType] == "image/jpeg")
                let bytes = Data(buffer: served.body)
                #expect(bytes.range(of: Data("TestPhone".utf8)) == nil && bytes.range(of: Data("GPS".utf8)) == nil)
                // The background makes the rest and records the upright size.
                await RenditionService(web: web).pass()
                let stored = try #require(try await MediaRepository(database: web.database).find(id: id))
                #expect(stored.width == 60 && stored.height == 80, "upright")
                #expect(!stored.renditions.isEmpty && stored.colour?.hasPrefix("#") == true)
                let webp = try #require(stored.renditions(.original, .webp).first)
                let rendition = try await client.execute(
                    uri: "/media/" + webp.fileName(of: stored.file, focus: stored.focus), method: .get
                ) { $0 }
                #expect(rendition.status == .ok && rendition.headers[.contentType] == "image/webp")
                #expect(rendition.headers[.cacheControl]?.contains("immutable") == true)
                // A story with the photo as its cover: its page offers every size, in WebP and JPEG, and the size.
                let created = try await client.admin(
                    "/api/v1/admin/articles", token: token, method: .post,
                    json: #"{"title":"Фото з телефона","lede":"Перший абзац.","cover_id":\#(id)}"#)
                let story = try #require(created.articleID)
                _ = try await client.admin(
                    "/api/v1/admin/articles/\(story)/transition", token: token, method: .post,
                    json: #"{"to":"published"}"#)
                let page = try await client.page("/news/foto-z-telefona")
                #expect(page.status == .ok)
                #expect(
                    page.body.contains(#"<source type="image/webp" srcset=""#),
                    "\(page.body.components(separatedBy: "<figure").dropFirst().first?.prefix(800) ?? "")")
                #expect(page.body.contains(webp.fileName(of: stored.file, focus: stored.focus) + " \(webp.width)w"))
                #expect(page.body.contains(#"width="60" height="80""#))
                // Beside a headline on phones: the square crop of a photo large enough for one.
                let (_, wide) = try await Self.upload("landscape.jpg", client: client, token: token)
                let wideID = try #require((wide["id"] as? NSNumber)?.int64Value)
                await RenditionService(web: web).pass()
                let landscape = try #require(try await MediaRepository(database: web.database).find(id: wideID))
                let square = try #require(landscape.renditions(.square, .webp).first)
                let second = try await client.admin(
                    "/api/v1/admin/articles", token: token, method: .post,
                    json: #"{"title":"Широке фото","lede":"Абзац.","cover_id":\#(wideID)}"#)
                _ = try await client.admin(
                    "/api/v1/admin/articles/\(try #require(second.articleID))/transition", token: token, method: .post,
                    json: #"{"to":"published"}"#)
                #expect(
                    try await client.page("/news").body.contains(
                        #"<source media="(max-width: 639px)" type="image/webp" srcset="/media/"#
                            + square.fileName(of: landscape.file, focus: landscape.focus)))
                // Search engines and social networks get the 16:9 crop (and the 4:3 and 1:1 ones in JSON-LD).
                let wideCrop = try #require(landscape.renditions(.wide, .jpeg).last)
                let widePage = try await client.page("/news/shyroke-foto").body
                #expect(
                    StructuredDataTests.meta(widePage, "og:image")?.hasSuffix(
                        wideCrop.fileName(of: landscape.file, focus: landscape.focus)) == true)
                #expect(StructuredDataTests.meta(widePage, "og:image:width") == "\(wideCrop.width)")
                #expect(widePage.contains(".s640-f5050.jpg") && widePage.contains(".q320-f5050.jpg"))
                // No inline style: the site's Content-Security-Policy allows none.
                #expect(!page.body.contains("style="))
            }
        }
    }

    @Test("a rendition that is missing is answered with the nearest one that exists, for a minute")
    func fallback() async throws {
        try await withWeb(.sqlite, demo: false) { web in
            try await buildApplication(web).test(.router) { client in
                let editor = try await client.member(web.database, "editor@example.com", role: .editor)
                let token = try await AdminAPITests.token(web.database, for: editor)
                let (_, media) = try await Self.upload("noise.jpg", client: client, token: token)
                let id = try #require((media["id"] as? NSNumber)?.int64Value)
                await RenditionService(web: web).pass()
                let stored = try #require(try await MediaRepository(database: web.database).find(id: id))
                let small = try #require(stored.renditions(.original, .jpeg).first)
                let name = small.fileName(of: stored.file, focus: stored.focus)
                web.mediaStore.remove(name)
                let answer = try await client.execute(uri: "/media/" + name, method: .get) { $0 }
                #expect(answer.status == .ok && answer.headers[.contentType] == "image/jpeg")
                #expect(answer.headers[.cacheControl] == "public, max-age=60")
                // A name that is no photo's is still a 404.
                #expect(try await client.page("/media/u-nemaie.o320.jpg").status == .notFound)
            }
        }
    }

    @Test("a truncated JPEG, a bomb and an SVG are refused at upload and leave nothing stored")
    func refused() async throws {
        try await withWeb(.sqlite, demo: false) { web in
            try await buildApplication(web).test(.router) { client in
                let editor = try await client.member(web.database, "editor@example.com", role: .editor)
                let token = try await AdminAPITests.token(web.database, for: editor)
                func send(_ data: Data, type: String) async throws -> HTTPResponse.Status {
                    try await client.execute(
                        uri: "/api/v1/admin/media?alt=x&credit=y", method: .post,
                        headers: [.authorization: "Bearer " + token, .contentType: type], body: ByteBuffer(data: data)
                    ) { $0.status }
                }
                let whole = try Data(contentsOf: Self.fixtures.appendingPathComponent("noise.jpg"))
                #expect(try await send(whole.prefix(whole.count / 2), type: "image/jpeg") == .unprocessableContent)
                #expect(try await send(Data(), type: "image/png") == .unsupportedMediaType)
                let svg = Data(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)
                #expect(try await send(svg, type: "image/png") == .unsupportedMediaType)
                #expect(try await MediaRepository(database: web.database).count() == 0)
                let files = try FileManager.default.contentsOfDirectory(atPath: web.settings.mediaDirectory)
                #expect(files.filter { !$0.hasPrefix(".") }.isEmpty, "\(files)")
            }
        }
    }
}
