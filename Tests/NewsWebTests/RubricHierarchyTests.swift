import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import TestSupport
import Testing

/// Rubrics under rubrics (issue #13: WordPress's category hierarchy): the menu shows the top ones, a rubric's page
/// lists the stories of those under it and is never stale, and no rubric can end up under itself.
@Suite("Rubrics under rubrics")
struct RubricHierarchyTests {
    /// The rubrics form as the page posts it: every row, with the parents in `parents` (by slug) and a new rubric.
    static func rubricsForm(
        _ rubrics: [Rubric], parents: [String: String], new: [String: String] = [:]
    ) -> (fields: [String: String], pairs: [(String, String)]) {
        let ids = Dictionary(uniqueKeysWithValues: rubrics.map { ($0.slug, $0.id!) })
        var pairs: [(String, String)] = []
        for rubric in rubrics {
            pairs += [
                ("id[]", "\(rubric.id!)"), ("name[]", rubric.name), ("position[]", "\(rubric.position)"),
                ("parent[]", parents[rubric.slug].flatMap { ids[$0] }.map { "\($0)" } ?? ""),
            ]
        }
        return (new, pairs)
    }

    @Test(
        "a rubric under another: the menu, breadcrumbs, the parent's page, feed and API list its stories",
        arguments: TestEngine.available)
    func hierarchy(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let editor = try await client.member(database, "editor@example.com", role: .editor, name: "Редактор")
            let repository = RubricRepository(database: database)
            let parent = try #require(try await repository.find(slug: "podrobytsi"))
            // "Львів" is added under "Подробиці" in the rubrics form.
            let form = Self.rubricsForm(
                try await repository.all(), parents: [:],
                new: ["new_name": "Львів", "new_slug": "lviv", "new_parent": "\(parent.id!)"])
            let added = try await client.post("/admin/rubrics", as: admin, form.fields, pairs: form.pairs)
            #expect(added.status == .seeOther)
            let lviv = try #require(try await repository.find(slug: "lviv"))
            #expect(lviv.parentID == parent.id)
            let adminPage = try await client.browse("/admin/rubrics", jar: admin.jar).body
            #expect(adminPage.contains(#"<option value="\#(parent.id!)" selected>Подробиці</option>"#))

            // The menu shows the top rubrics only.
            let home = try await client.page("/").body
            let menu = try #require(home.captures(#"<nav class="rubrics"[^>]*>(.*?)</nav>"#).first)
            #expect(menu.contains("/rubric/podrobytsi") && !menu.contains("/rubric/lviv"))

            // The parent's page and feed, warm in the cache, show a story published under it at once.
            for _ in 0..<2 { _ = try await client.page("/rubric/podrobytsi") }
            _ = try await client.page("/rubric/podrobytsi/rss.xml")
            let id = try await client.createDraft("Новина зі Львова", as: editor, extra: ["rubric": "lviv"])
            let moved = try await client.post("/admin/articles/\(id)/transition", as: editor, ["to": "published"])
            #expect(moved.headers[.location]?.hasSuffix("notice=moved") == true)
            let article = try #require(try await ArticleRepository(database: database).find(id: id))
            let story = "/news/\(article.slug)"
            // In the rubrics' own lists (the latest news beside every list show it anyway).
            let parentPage = try await client.page("/rubric/podrobytsi").body
            #expect(parentPage.feedItemIDs.contains(story))
            #expect(parentPage.contains(#"<nav class="subrubrics""#) && parentPage.contains(#"href="/rubric/lviv""#))
            #expect(try await client.page("/rubric/podrobytsi/rss.xml").body.contains("Новина зі Львова"))
            let childPage = try await client.page("/rubric/lviv").body
            #expect(childPage.feedItemIDs.contains(story))
            let crumbs = try #require(childPage.captures(#"<nav class="crumbs"[^>]*>(.*?)</nav>"#).first)
            #expect(crumbs.contains(#"href="/rubric/podrobytsi""#))
            #expect(childPage.contains(#"href="/rubric/podrobytsi" aria-current="true""#), "the menu marks the top")
            // Another rubric's page does not list it.
            let sport = try await client.page("/rubric/sport").body
            #expect(!sport.feedItemIDs.contains(story) && sport.sideItemIDs.contains(story))

            // The story's breadcrumbs go home › Подробиці › Львів › story.
            let storyPage = try await client.page(story).body
            let positions = ["\"name\":\"Подробиці\"", "\"name\":\"Львів\"", "\"name\":\"Новина зі Львова\""].map {
                storyPage.range(of: $0)?.lowerBound
            }
            #expect(positions.allSatisfy { $0 != nil } && positions == positions.sorted { $0! < $1! })

            // Searching in the parent rubric finds it; the rubric choice names each rubric with its place.
            let search = try await client.page("/search?q=%D0%9B%D1%8C%D0%B2%D0%BE%D0%B2%D0%B0&rubric=podrobytsi").body
            #expect(search.contains("Новина зі <mark>Львова</mark>"))
            #expect(search.contains(#"<option value="lviv">Подробиці › Львів</option>"#))
            #expect(
                try await !client.page("/search?q=%D0%9B%D1%8C%D0%B2%D0%BE%D0%B2%D0%B0&rubric=sport").body.contains(
                    "Новина зі <mark>Львова</mark>"))

            // The publish event names the parent's page for a CDN purge.
            let events = try await ChangeLog(database: database).all()
            let published = try #require(events.last { $0.articleID == id && $0.action == .moved })
            #expect(published.urls.contains("/rubric/podrobytsi") && published.urls.contains("/rubric/lviv"))

            // The Content API's rubric filter includes the rubrics under it; a rubric names its parent.
            let (_, key) = try await Newsroom(database: database).createAPIKey(name: "Застосунок", by: .commandLine)
            let listed = try await client.api("/api/v1/articles?rubric=podrobytsi&limit=100", key: key)
            #expect(listed.strings("articles", "title").contains("Новина зі Львова"))
            let sitemap = try await client.page("/sitemaps/rubrics.xml")
            #expect(sitemap.status == .ok && sitemap.body.contains("/rubric/lviv"))
        }
    }

    @Test(
        "no rubric goes under itself; an unknown parent is refused; nothing is stored", arguments: TestEngine.available)
    func loops(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let admin = try await client.member(database, "admin@example.com", role: .administrator)
            let repository = RubricRepository(database: database)
            let news = try await repository.upsert(Rubric(slug: "novyny", name: "Новини", position: 0))
            let lviv = try await repository.upsert(
                Rubric(slug: "lviv", name: "Львів", position: 1, parentID: news.id))
            let district = try await repository.upsert(
                Rubric(slug: "sykhiv", name: "Сихів", position: 2, parentID: lviv.id))
            let all = try await repository.all()
            for parents in [["novyny": "sykhiv"], ["novyny": "novyny"], ["lviv": "sykhiv"]] {
                let form = Self.rubricsForm(all, parents: ["lviv": "novyny", "sykhiv": "lviv"].merging(parents) { $1 })
                let refused = try await client.post("/admin/rubrics", as: admin, form.fields, pairs: form.pairs)
                #expect(refused.status == .unprocessableContent, "\(parents)")
                #expect(refused.body.contains("не може стояти під собою"), "\(parents)")
            }
            let unknown = Self.rubricsForm(
                all, parents: ["lviv": "novyny", "sykhiv": "lviv"], new: ["new_name": "Інше"])
            let badParent = try await client.post(
                "/admin/rubrics", as: admin, unknown.fields.merging(["new_parent": "999999"]) { $1 },
                pairs: unknown.pairs)
            #expect(badParent.status == .unprocessableContent)
            // An unknown parent on an existing row is refused the same way, before anything is written.
            let rowParent = try await client.post(
                "/admin/rubrics", as: admin, [:],
                pairs: unknown.pairs.map { $0.0 == "parent[]" && $0.1.isEmpty ? ("parent[]", "999999") : $0 })
            #expect(rowParent.status == .unprocessableContent)
            let notNumber = try await client.post(
                "/admin/rubrics", as: admin, unknown.fields.merging(["new_parent": "novyny"]) { $1 },
                pairs: unknown.pairs)
            #expect(notNumber.status == .badRequest)
            #expect(try await repository.all() == all, "nothing changed")
            #expect(try await repository.find(slug: "inshe") == nil)

            // Moving a rubric to the top, through the API.
            let token = try await AdminAPITests.token(database, for: admin)
            let moved = try await client.admin(
                "/api/v1/admin/rubrics/\(district.id!)", token: token, method: .patch, json: #"{"parent":""}"#)
            #expect(moved.status == .ok)
            #expect((moved.json["rubric"] as? [String: Any])?["parent"] == nil)
            #expect(try await repository.find(slug: "sykhiv")?.parentID == nil)
            let loop = try await client.admin(
                "/api/v1/admin/rubrics/\(news.id!)", token: token, method: .patch, json: #"{"parent":"lviv"}"#)
            #expect(loop.status == .unprocessableContent)
            let created = try await client.admin(
                "/api/v1/admin/rubrics", token: token, method: .post, json: #"{"name":"Рясне","parent":"lviv"}"#)
            #expect(created.status == .created)
            #expect((created.json["rubric"] as? [String: Any])?["parent"] as? String == "lviv")
            let unknownParent = try await client.admin(
                "/api/v1/admin/rubrics", token: token, method: .post, json: #"{"name":"Ще","parent":"nema"}"#)
            #expect(unknownParent.status == .unprocessableContent)
            let listed = try await client.admin("/api/v1/admin/rubrics", token: token)
            let parents = (listed.json["rubrics"] as? [[String: Any]] ?? []).map {
                "\($0["slug"] ?? "")<\($0["parent"] ?? "")"
            }
            #expect(parents == ["novyny<", "lviv<novyny", "sykhiv<", "riasne<lviv"])
        }
    }
}

@Suite("Rubric tree")
struct RubricTreeTests {
    @Test("ancestors, the family a page lists, the menu's top rubrics, and loops")
    func tree() {
        let rubrics = [
            Rubric(id: 1, slug: "novyny", name: "Новини", position: 0),
            Rubric(id: 2, slug: "lviv", name: "Львів", position: 1, parentID: 1),
            Rubric(id: 3, slug: "sykhiv", name: "Сихів", position: 2, parentID: 2),
            Rubric(id: 4, slug: "sport", name: "Спорт", position: 3),
            Rubric(id: 5, slug: "syrota", name: "Сирота", position: 4, parentID: 99),
        ]
        let tree = RubricTree(rubrics)
        #expect(tree.top.map(\.slug) == ["novyny", "sport", "syrota"])
        #expect(tree.ancestors(of: rubrics[2]).map(\.slug) == ["novyny", "lviv"])
        #expect(tree.root(of: rubrics[2]).slug == "novyny")
        #expect(tree.family(of: rubrics[0]) == [1, 2, 3])
        #expect(tree.children(of: rubrics[0]).map(\.slug) == ["lviv"])
        #expect(!tree.hasLoop)
        #expect(tree.makesLoop(1, under: 3) && tree.makesLoop(2, under: 2) && !tree.makesLoop(4, under: 3))
        // A loop stored anyway (by hand in the database) still ends: its rubrics show as top ones.
        var looped = rubrics
        looped[0].parentID = 3
        let broken = RubricTree(looped)
        #expect(broken.hasLoop)
        #expect(broken.top.map(\.slug).contains("novyny"))
        #expect(Set(broken.family(of: looped[0])) == [1, 2, 3])
    }
}
