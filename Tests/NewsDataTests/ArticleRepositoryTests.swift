import Foundation
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("Article repository")
struct ArticleRepositoryTests {
    let now = Date(timeIntervalSince1970: 1_769_100_000)  // 22 Jan 2026

    @Test("stores and reads back an article with typed body, ordered tags and bylines", arguments: TestEngine.available)
    func roundTrip(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let catalog = try await Fixtures(database: database).catalog()
            let second = try await TagRepository(database: database).upsert(Tag(slug: "lviv", name: "Львів"))
            let guest = try await AuthorRepository(database: database).upsert(Author(slug: "guest", name: "Гість"))
            let media = try await MediaRepository(database: database).insert(
                Media(
                    file: "a.jpg", mimeType: "image/jpeg", width: 10, height: 5, credit: "Фото: telegram.org",
                    alt: "Пхеньян"))
            let body: [Block] = [
                .paragraph(spans: [
                    Span("Звичайний "), Span("жирний", bold: true), Span(" і "),
                    Span("посилання", link: "https://example.com"),
                ]),
                .heading(text: "Підзаголовок"),
                .quote(text: "Цитата", attribution: "Хтось"),
                .image(mediaID: media.id!, caption: "Підпис", credit: nil),
                .embed(url: "https://www.youtube.com/watch?v=abc"),
                .list(ordered: true, items: [[Span("один")], [Span("два")]]),
            ]
            let saved = try await ArticleRepository(database: database).save(
                Article(
                    slug: "test", title: "Заголовок <script>", lede: "Лід", teaser: "Тизер", body: body,
                    rubricID: catalog.rubric.id, tagIDs: [second.id!, catalog.tag.id!],
                    bylineIDs: [guest.id!, catalog.author.id!],
                    coverMediaID: media.id, status: .published, publishedAt: now, updatedAt: now, createdAt: now,
                    featured: true, breaking: true, editorialNote: "не для читачів"))
            let found = try #require(try await ArticleRepository(database: database).find(slug: "test"))
            #expect(found == saved)
            #expect(found.tagIDs == [second.id!, catalog.tag.id!])
            #expect(found.bylineIDs == [guest.id!, catalog.author.id!])
            let detail = try #require(try await ArticleRepository(database: database).detail(slug: "test", now: now))
            #expect(detail.tags.map(\.slug) == ["lviv", "kyiv"])
            #expect(detail.bylines.map(\.name) == ["Гість", "Олена Ковальська"])
            #expect(detail.cover?.credit == "Фото: telegram.org")
            #expect(detail.media[media.id!]?.alt == "Пхеньян")
            #expect(detail.rubric?.name == "Подробиці")
        }
    }

    @Test("an update replaces tags and bylines without leaving rows behind", arguments: TestEngine.available)
    func update(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let catalog = try await Fixtures(database: database).catalog()
            let repository = ArticleRepository(database: database)
            var article = try await repository.save(
                Article(slug: "x", title: "Х", tagIDs: [catalog.tag.id!], bylineIDs: [catalog.author.id!]))
            article.tagIDs = []
            article.title = "Нове"
            try await repository.save(article)
            let found = try #require(try await repository.find(id: article.id!))
            #expect(found.title == "Нове" && found.tagIDs.isEmpty && found.bylineIDs == [catalog.author.id!])
        }
    }

    @Test("the feed pages by cursor: no duplicates, nothing skipped", arguments: TestEngine.available)
    func keysetPaging(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let published = try await Fixtures(database: database).publish(45, start: now)
            let repository = ArticleRepository(database: database)
            var seen: [Int64] = []
            var cursor: FeedCursor?
            var pages = 0
            repeat {
                let page = try await repository.feed(after: cursor, limit: 20, now: now)
                seen += page.items.map(\.id)
                cursor = page.next
                pages += 1
            } while cursor != nil
            #expect(pages == 3)
            #expect(seen == published.map { $0.id! })
            // As headlines, the same pages: the same stories, titles, times, rubrics and cursors, without photos.
            let feed = try await repository.feed(.all, after: nil, limit: 20, now: now)
            let headlines = try await repository.headlines(.all, after: nil, limit: 20, now: now)
            #expect(headlines.next == feed.next && headlines.items.map(\.id) == feed.items.map(\.id))
            #expect(headlines.items.map(\.title) == feed.items.map(\.title))
            #expect(headlines.items.map(\.publishedAt) == feed.items.map(\.publishedAt))
            #expect(headlines.items.map(\.rubric?.id) == feed.items.map(\.rubric?.id))
            #expect(headlines.items.allSatisfy { $0.cover == nil && $0.teaser.isEmpty })
            let second = try await repository.headlines(.all, after: headlines.next, limit: 20, now: now)
            #expect(second.items.map(\.id) == Array(published.map { $0.id! }[20..<40]))
        }
    }

    @Test("a story published between two pages neither duplicates nor skips an item", arguments: TestEngine.available)
    func publishWhileScrolling(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let published = try await Fixtures(database: database).publish(30, start: now)
            let repository = ArticleRepository(database: database)
            let first = try await repository.feed(limit: 10, now: now)
            // A new story appears at the top while the reader is on page 1.
            try await Fixtures(database: database).publish(1, start: now.addingTimeInterval(30), prefix: "breaking")
            let second = try await repository.feed(after: first.next, limit: 10, now: now.addingTimeInterval(60))
            let ids = first.items.map(\.id) + second.items.map(\.id)
            #expect(ids == published.prefix(20).map { $0.id! })
        }
    }

    @Test(
        "items published in the same millisecond are ordered by id and paged exactly", arguments: TestEngine.available)
    func tiesOnTime(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let repository = ArticleRepository(database: database)
            var ids: [Int64] = []
            for index in 0..<7 {
                ids.append(
                    try await repository.save(
                        Article(slug: "same-\(index)", title: "Т", status: .published, publishedAt: now)
                    ).id!)
            }
            var seen: [Int64] = []
            var cursor: FeedCursor?
            repeat {
                let page = try await repository.feed(after: cursor, limit: 3, now: now)
                seen += page.items.map(\.id)
                cursor = page.next
            } while cursor != nil
            #expect(seen == ids.reversed())
        }
    }

    @Test("drafts, scheduled, future and unpublished stories are not in feeds", arguments: TestEngine.available)
    func onlyPublic(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let repository = ArticleRepository(database: database)
            try await repository.save(Article(slug: "draft", title: "Чернетка", status: .draft, publishedAt: now))
            try await repository.save(Article(slug: "review", title: "На перевірці", status: .review))
            try await repository.save(
                Article(
                    slug: "later", title: "Заплановано", status: .scheduled, publishedAt: now.addingTimeInterval(600)))
            try await repository.save(
                Article(slug: "future", title: "Майбутнє", status: .published, publishedAt: now.addingTimeInterval(600))
            )
            try await repository.save(Article(slug: "gone", title: "Знято", status: .unpublished, publishedAt: now))
            let visible = try await repository.save(
                Article(slug: "live", title: "Опубліковано", status: .published, publishedAt: now))
            let page = try await repository.feed(now: now)
            #expect(page.items.map(\.id) == [visible.id!])
            #expect(try await repository.featured(limit: 5, now: now).isEmpty)
        }
    }

    @Test("rubric, tag and author feeds list only their stories", arguments: TestEngine.available)
    func scopes(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let catalog = try await Fixtures(database: database).catalog()
            let other = try await RubricRepository(database: database).upsert(
                Rubric(slug: "sport", name: "Спорт", position: 1))
            let fixtures = Fixtures(database: database)
            let inRubric = try await fixtures.publish(
                3, start: now, rubricID: catalog.rubric.id, tagIDs: [catalog.tag.id!], bylineIDs: [catalog.author.id!],
                prefix: "a")
            try await fixtures.publish(4, start: now, rubricID: other.id, prefix: "b")
            let repository = ArticleRepository(database: database)
            let ids = inRubric.map { $0.id! }
            #expect(try await repository.feed(.rubric([catalog.rubric.id!]), now: now).items.map(\.id) == ids)
            #expect(try await repository.feed(.tag(catalog.tag.id!), now: now).items.map(\.id) == ids)
            #expect(try await repository.feed(.author(catalog.author.id!), now: now).items.map(\.id) == ids)
            #expect(try await repository.feed(.rubric([other.id!]), now: now).items.count == 4)
            #expect(try await repository.feed(now: now).items.count == 7)
            let first = try #require(try await repository.feed(.rubric([catalog.rubric.id!]), now: now).items.first)
            #expect(first.rubric?.slug == "podrobytsi")
        }
    }

    @Test(
        "related stories: most shared tags first, then newest; never the story, a draft or a future one; the rubric's newest make up three",
        arguments: TestEngine.available)
    func related(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let catalog = try await Fixtures(database: database).catalog()
            let tags = TagRepository(database: database)
            let war = try await tags.upsert(Tag(slug: "viina", name: "Війна"))
            let sport = try await RubricRepository(database: database).upsert(
                Rubric(slug: "sport", name: "Спорт", position: 1))
            let fixtures = Fixtures(database: database)
            let (kyiv, both) = (catalog.tag.id!, [catalog.tag.id!, war.id!])
            let story = try #require(try await fixtures.publish(1, start: now, tagIDs: both, prefix: "story").first)
            // Older stories sharing both tags outrank newer ones sharing one.
            let two = try await fixtures.publish(2, start: now.addingTimeInterval(-3600), tagIDs: both, prefix: "two")
            let one = try await fixtures.publish(4, start: now.addingTimeInterval(-60), tagIDs: [kyiv], prefix: "one")
            try await fixtures.publish(3, start: now, rubricID: sport.id, prefix: "untagged")
            let repository = ArticleRepository(database: database)
            try await repository.save(
                Article(slug: "draft", title: "Чернетка", tagIDs: both, status: .draft, publishedAt: now))
            try await repository.save(
                Article(
                    slug: "later", title: "Пізніше", tagIDs: both, status: .scheduled,
                    publishedAt: now.addingTimeInterval(3600)))
            let found = try await repository.related(to: story, now: now)
            #expect(found.map(\.id) == (two + one.prefix(3)).map { $0.id! })
            // Short of tags (and of stories whose headlines share its words), the rubric's newest make up three; a
            // story alone in everything has none.
            let lonely = try await repository.save(
                Article(slug: "lonely", title: "Самотня", rubricID: sport.id, status: .published, publishedAt: now))
            let untagged = try await repository.feed(.rubric([sport.id!]), now: now).items.map(\.id).filter {
                $0 != lonely.id
            }
            #expect(try await repository.related(to: lonely, now: now).map(\.id) == Array(untagged.prefix(3)))
            let alone = try await repository.save(
                Article(slug: "alone", title: "Відлюдник", status: .published, publishedAt: now))
            #expect(try await repository.related(to: alone, now: now).isEmpty)
        }
    }

    @Test(
        "a rubric's, tag's and author's counts are their published stories whose time has come",
        arguments: TestEngine.available)
    func publishedCounts(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let catalog = try await Fixtures(database: database).catalog()
            let (tag, author) = (catalog.tag.id!, catalog.author.id!)
            let fixtures = Fixtures(database: database)
            try await fixtures.publish(3, start: now, rubricID: catalog.rubric.id, tagIDs: [tag], prefix: "tagged")
            try await fixtures.publish(2, start: now, bylineIDs: [author], prefix: "signed")
            try await fixtures.publish(4, start: now, prefix: "other")
            let repository = ArticleRepository(database: database)
            for (slug, status, at) in [
                ("draft", ArticleStatus.draft, now), ("later", .scheduled, now.addingTimeInterval(3600)),
                ("gone", .unpublished, now),
            ] {
                try await repository.save(
                    Article(
                        slug: slug, title: "Не для читачів", rubricID: catalog.rubric.id, tagIDs: [tag],
                        bylineIDs: [author], status: status, publishedAt: at))
            }
            #expect(try await repository.publishedCount(.tag(tag), now: now) == 3)
            #expect(try await repository.publishedCount(.author(author), now: now) == 2)
            #expect(try await repository.publishedCount(.rubric([catalog.rubric.id!]), now: now) == 3)
            #expect(try await repository.publishedCount(.all, now: now) == 9)
            // Before the older ones' time: only what was published by then.
            #expect(try await repository.publishedCount(.tag(tag), now: now.addingTimeInterval(-90)) == 1)
        }
    }

    @Test("a failed write leaves nothing half-stored", arguments: TestEngine.available)
    func atomicSave(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let repository = ArticleRepository(database: database)
            try await repository.save(Article(slug: "taken", title: "Перша"))
            // A colliding slug violates the unique index: the whole save is rolled back.
            await #expect(throws: (any Error).self) {
                try await repository.save(Article(slug: "taken", title: "Друга", tagIDs: [999_999]))
            }
            #expect(try await repository.count() == 1)
            #expect(try await repository.find(slug: "taken")?.title == "Перша")
        }
    }

    @Test("rubrics keep editorial order and upsert by slug", arguments: TestEngine.available)
    func rubrics(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let repository = RubricRepository(database: database)
            try await repository.upsert(Rubric(slug: "sport", name: "Спорт", position: 2))
            try await repository.upsert(Rubric(slug: "podrobytsi", name: "Подробиці", position: 0))
            try await repository.upsert(Rubric(slug: "sport", name: "Спорт і здоров’я", position: 1))
            let all = try await repository.all()
            #expect(all.map(\.slug) == ["podrobytsi", "sport"])
            #expect(all.last?.name == "Спорт і здоров’я")
            #expect(try await SettingsRepository(database: database).all().isEmpty)
        }
    }
}
