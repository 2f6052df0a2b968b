import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// The newsroom's media library (issue #12): finding a photo, seeing where it is used, and editing what every story
/// that shows it says about it.
@Suite("The media library")
struct MediaLibraryTests {
    /// Stores a photo record (the file's bytes do not matter to the library's pages).
    static func add(
        _ web: WebEnvironment, file: String, alt: String, credit: String, caption: String? = nil
    ) async throws -> Media {
        let upload = try web.mediaStore.temporaryFile()
        try Data("not decoded here".utf8).write(to: upload)
        return try await Newsroom(database: web.database).addMedia(
            Media(
                file: file, mimeType: "image/jpeg", width: 1600, height: 900, caption: caption, credit: credit,
                alt: alt), file: upload, into: web.mediaStore, by: .commandLine)
    }

    /// The library's photo links on `page`, in order ("/admin/media/ID").
    static func photoLinks(_ page: Page) -> [String] {
        page.body.components(separatedBy: #"<li class="ml-item"><a href=""#).dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
    }

    @Test(
        "search by caption, credit, alt text and file name in any case; a photo's page lists the stories that use it",
        arguments: TestEngine.available)
    func searchAndUsage(engine: TestEngine) async throws {
        try await withWeb(engine, demo: false) { web in
            let council = try await Self.add(
                web, file: "u-rada.jpg", alt: "Зала засідань", credit: "Фото: НАБУ",
                caption: "Засідання Львівської міської ради")
            let fire = try await Self.add(
                web, file: "u-pozhezha-syhiv.jpg", alt: "Пожежа на Сихові", credit: "Скрін з відео")
            let plain = try await Self.add(
                web, file: "u-plain.jpg", alt: "Percent 100% sign", credit: "Reuters", caption: "Test ASCII caption")
            try await buildApplication(web).test(.router) { client in
                let journalist = try await client.member(web.database, "j@example.com", role: .journalist)
                func found(_ query: String) async throws -> [String] {
                    let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    let page = try await client.browse("/admin/media?q=" + encoded, jar: journalist.jar)
                    #expect(page.status == .ok)
                    return Self.photoLinks(page)
                }
                let link = { (media: Media) in "/admin/media/\(media.id!)" }
                #expect(try await found("") == [link(plain), link(fire), link(council)], "newest first")
                #expect(try await found("ЛЬВІВСЬКОЇ") == [link(council)], "Cyrillic in any case")
                #expect(try await found("ради львівської") == [link(council)], "each word, in any order")
                #expect(try await found("набу") == [link(council)], "credit")
                #expect(try await found("сихові") == [link(fire)], "alt text")
                #expect(try await found("pozhezha") == [link(fire)], "file name")
                #expect(try await found("ascii") == [link(plain)])
                #expect(try await found("100%") == [link(plain)], "% is a character")
                #expect(try await found("0%s").isEmpty)
                #expect(try await found("немає такого").isEmpty)
                let nothing = try await client.browse(
                    "/admin/media?q=%D0%B6%D0%BE%D0%B4%D0%BD%D0%BE%D0%B3%D0%BE", jar: journalist.jar)
                #expect(nothing.body.contains(web.theme.localization["admin_media_no_match"]))
                // The editor's picker searches the same way, and gets a small copy for its grid.
                let json = try await client.browse("/admin/media.json?q=%D0%BD%D0%B0%D0%B1%D1%83", jar: journalist.jar)
                let items = try #require(
                    try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [[String: Any]])
                #expect(items.compactMap { ($0["id"] as? NSNumber)?.int64Value } == [council.id!])
                #expect((items.first?["thumb"] as? String)?.hasPrefix("/media/u-rada") == true)

                // Where used: the cover of one story and a body photo of another; the photo on none says so.
                let user = journalist.user
                let (cover, _) = try await Newsroom(database: web.database).create(
                    Article(slug: "sesiia", title: "Сесія міськради", lede: "Абзац.", coverMediaID: council.id),
                    by: user)
                let (inBody, _) = try await Newsroom(database: web.database).create(
                    Article(
                        slug: "biudzhet", title: "Бюджет міста",
                        body: [
                            .paragraph(spans: [Span("Текст.")]),
                            .image(mediaID: council.id!, caption: nil, credit: nil),
                        ]),
                    by: user)
                let page = try await client.browse(link(council), jar: journalist.jar)
                #expect(page.status == .ok)
                #expect(page.body.contains("/admin/articles/\(cover.id!)") && page.body.contains("Сесія міськради"))
                #expect(page.body.contains("/admin/articles/\(inBody.id!)") && page.body.contains("Бюджет міста"))
                #expect(
                    page.body.contains(#"value="Фото: НАБУ""#)
                        && page.body.contains("Засідання Львівської міської ради"))
                let unused = try await client.browse(link(fire), jar: journalist.jar)
                #expect(unused.body.contains(web.theme.localization["admin_media_unused"]))
                #expect(try await client.browse("/admin/media/999999", jar: journalist.jar).status == .notFound)
                // Readers never see the library.
                #expect(try await client.page("/admin/media").status != .ok)
            }
        }
    }

    @Test(
        "an edit reaches every page that shows the photo; a new focal point remakes the crops; bad fields change nothing; a journalist cannot change what readers see",
        arguments: TestEngine.available)
    func edit(engine: TestEngine) async throws {
        try await withWeb(engine, demo: false) { web in
            try await buildApplication(web).test(.router) { client in
                let editor = try await client.member(web.database, "editor@example.com", role: .editor)
                let journalist = try await client.member(web.database, "j@example.com", role: .journalist)
                let token = try await AdminAPITests.token(web.database, for: editor)
                let (_, uploaded) = try await RenditionTests.upload("landscape.jpg", client: client, token: token)
                let id = try #require((uploaded["id"] as? NSNumber)?.int64Value)
                await RenditionService(web: web).pass()
                let created = try await client.admin(
                    "/api/v1/admin/articles", token: token, method: .post,
                    json: #"{"title":"Міст через Полтву","lede":"Абзац.","cover_id":\#(id)}"#)
                _ = try await client.admin(
                    "/api/v1/admin/articles/\(try #require(created.articleID))/transition", token: token, method: .post,
                    json: #"{"to":"published"}"#)
                #expect(try await client.page("/news/mist-cherez-poltvu").body.contains("Фото: редакція"))
                let before = try #require(try await MediaRepository(database: web.database).find(id: id))
                let form: [String: String] = [
                    "alt": "Новий міст над річкою", "caption": "Міст через Полтву ввечері",
                    "credit": "Фото: Олена Ковальська",
                    "credit_url": "https://example.com/olena", "focal_x": "20", "focal_y": "30,5",
                ]
                let path = "/admin/media/\(id)"

                // A journalist may not change a photo readers see; nothing changes.
                let refused = try await client.post(path, as: journalist, form)
                #expect(refused.status == .forbidden)
                #expect(try await client.browse(path, jar: journalist.jar).body.contains(" disabled>"))
                // Bad fields: the form again with the message, nothing stored.
                var empty = form
                empty["alt"] = "  "
                let noAlt = try await client.post(path, as: editor, empty)
                #expect(noAlt.status == .unprocessableContent)
                #expect(noAlt.body.contains(web.theme.localization["error_media_alt"]))
                #expect(noAlt.body.contains(#"value="Фото: Олена Ковальська""#), "what was typed is kept")
                var outside = form
                outside["focal_x"] = "150"
                let badPoint = try await client.post(path, as: editor, outside)
                #expect(badPoint.status == .unprocessableContent)
                #expect(badPoint.body.contains(web.theme.localization["error_media_focus"]))
                var script = form
                script["credit_url"] = "javascript:alert(1)"
                #expect(try await client.post(path, as: editor, script).status == .unprocessableContent)
                #expect(try await MediaRepository(database: web.database).find(id: id) == before)

                // The editor's change: every page that shows the photo says so at once.
                let saved = try await client.post(path, as: editor, form)
                #expect(saved.status == .seeOther)
                #expect(saved.headers[.location] == path + "?notice=media_saved")
                let after = try #require(try await MediaRepository(database: web.database).find(id: id))
                #expect(after.alt == "Новий міст над річкою" && after.caption == "Міст через Полтву ввечері")
                #expect(after.credit == "Фото: Олена Ковальська" && after.creditURL == "https://example.com/olena")
                #expect(after.focus.code == "2031" && after.renditions.isEmpty, "the crops are made again")
                let article = try await client.page("/news/mist-cherez-poltvu").body
                #expect(article.contains("Міст через Полтву ввечері") && article.contains("Фото: Олена Ковальська"))
                #expect(!article.contains("Фото: редакція"))
                // The background cuts the crops around the new point; the old sizes are reused.
                await RenditionService(web: web).pass()
                try await web.changes.drain()
                let remade = try #require(try await MediaRepository(database: web.database).find(id: id))
                let crop = try #require(remade.renditions(.wide, .jpeg).first)
                let name = crop.fileName(of: remade.file, focus: remade.focus)
                #expect(name.contains("-f2031."))
                #expect(web.mediaStore.contains(name))
                // Social networks get the new crop.
                let shared = try #require(remade.renditions(.wide, .jpeg).last).fileName(
                    of: remade.file, focus: remade.focus)
                #expect(try await client.page("/news/mist-cherez-poltvu").body.contains(shared))
                // The photo page shows the crops readers get, and the point in the form.
                let photoPage = try await client.browse(path, jar: editor.jar)
                #expect(photoPage.body.contains(name) && photoPage.body.contains(#"value="20""#))
                // The audit log names who changed which photo.
                try await web.changes.drain()
                let audit = try await AuditLog(database: web.database).latest()
                #expect(
                    audit.contains {
                        $0.action == "media_changed" && $0.userID == editor.user.id && $0.subject == remade.file
                    })
            }
        }
    }

    @Test("a journalist edits a photo that is on no published story; a form without its token changes nothing")
    func journalistDraftPhoto() async throws {
        try await withWeb(.sqlite, demo: false) { web in
            let photo = try await Self.add(web, file: "u-chernetka.jpg", alt: "Опис", credit: "Фото: автор")
            try await buildApplication(web).test(.router) { client in
                let journalist = try await client.member(web.database, "j@example.com", role: .journalist)
                let fields = [
                    "alt": "Інший опис", "credit": "Фото: авторка, x.com/EmmanuelMacron", "focal_x": "50",
                    "focal_y": "50",
                ]
                let forged = try await client.browse(
                    "/admin/media/\(photo.id!)", jar: journalist.jar, method: .post, form: fields)
                #expect(forged.status == .forbidden)
                #expect(try await MediaRepository(database: web.database).find(id: photo.id!)?.alt == "Опис")
                let saved = try await client.post("/admin/media/\(photo.id!)", as: journalist, fields)
                #expect(saved.status == .seeOther)
                let stored = try #require(try await MediaRepository(database: web.database).find(id: photo.id!))
                // Typed letters stay as typed: the address's Latin "x" is not folded into a Cyrillic "х".
                #expect(
                    stored.alt == "Інший опис" && stored.credit == "Фото: авторка, x.com/EmmanuelMacron"
                        && stored.caption == nil)
                // The point did not move: no crop is made again.
                #expect(stored.focus == photo.focus)
                #expect(
                    Self.photoLinks(
                        try await client.browse(
                            "/admin/media?q=%D0%B0%D0%B2%D1%82%D0%BE%D1%80%D0%BA%D0%B0", jar: journalist.jar)) == [
                            "/admin/media/\(photo.id!)"
                        ], "the search follows the edit")
            }
        }
    }

    @Test(
        "the Admin API searches the library and changes a photo through the same use case",
        arguments: TestEngine.available)
    func adminAPI(engine: TestEngine) async throws {
        try await withWeb(engine, demo: false) { web in
            try await buildApplication(web).test(.router) { client in
                let editor = try await client.member(web.database, "editor@example.com", role: .editor)
                let journalist = try await client.member(web.database, "j@example.com", role: .journalist)
                let token = try await AdminAPITests.token(web.database, for: editor)
                let weak = try await AdminAPITests.token(web.database, for: journalist)
                let (_, uploaded) = try await RenditionTests.upload("landscape.jpg", client: client, token: token)
                let id = try #require((uploaded["id"] as? NSNumber)?.int64Value)
                let path = "/api/v1/admin/media/\(id)"
                // Fields left out keep their values; the answer carries the new point.
                let changed = try await client.admin(
                    path, token: weak, method: .patch,
                    json: #"{"caption":"Ратуша взимку","focus":{"x":0.25,"y":0.75}}"#)
                #expect(changed.status == .ok, "\(changed.json)")
                let media = try #require(changed.json["media"] as? [String: Any])
                #expect(media["caption"] as? String == "Ратуша взимку" && media["alt"] as? String == "Фото")
                let focus = try #require(media["focus"] as? [String: Any])
                #expect(
                    (focus["x"] as? NSNumber)?.doubleValue == 0.25 && (focus["y"] as? NSNumber)?.doubleValue == 0.75)
                let stored = try #require(try await MediaRepository(database: web.database).find(id: id))
                #expect(stored.focus.code == "2575" && stored.renditions.isEmpty && stored.credit == "Фото: редакція")
                // Searched as the newsroom searches.
                let found = try await client.admin(
                    "/api/v1/admin/media?q=%D0%A0%D0%90%D0%A2%D0%A3%D0%A8%D0%90", token: weak)
                #expect(
                    (found.json["media"] as? [[String: Any]])?.compactMap { ($0["id"] as? NSNumber)?.int64Value } == [
                        id
                    ])
                // Refusals: an empty caption clears it, but an empty alt text is a field error; a point outside the
                // photo, a bad request; an unknown photo, 404.
                #expect(
                    try await client.admin(path, token: token, method: .patch, json: #"{"alt":" "}"#).status.code == 422
                )
                #expect(
                    try await client.admin(path, token: token, method: .patch, json: #"{"focus":{"x":2,"y":0.5}}"#)
                        .status
                        .code == 400)
                #expect(
                    try await client.admin("/api/v1/admin/media/999999", token: token, method: .patch, json: "{}")
                        .status
                        .code == 404)
                let cleared = try await client.admin(path, token: token, method: .patch, json: #"{"caption":""}"#)
                #expect(cleared.status == .ok && (cleared.json["media"] as? [String: Any])?["caption"] == nil)
                // On a published story, only an editor may change it.
                let created = try await client.admin(
                    "/api/v1/admin/articles", token: token, method: .post,
                    json: #"{"title":"Ратуша","lede":"Абзац.","cover_id":\#(id)}"#)
                _ = try await client.admin(
                    "/api/v1/admin/articles/\(try #require(created.articleID))/transition", token: token, method: .post,
                    json: #"{"to":"published"}"#)
                #expect(
                    try await client.admin(path, token: weak, method: .patch, json: #"{"alt":"Інше"}"#).status
                        == .forbidden)
                #expect(try await MediaRepository(database: web.database).find(id: id)?.alt == "Фото")
            }
        }
    }
}
