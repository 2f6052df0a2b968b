import Foundation
import NewsCore
import NewsData
import SQLKit
import Synchronization
import TestSupport
import Testing

@Suite("Search on both engines")
struct SearchTests {
    let now = Date(timeIntervalSince1970: 1_769_100_000)

    /// Stores published articles with these headlines/bodies, one minute apart (first is newest).
    func publish(_ database: Database, _ stories: [(title: String, body: String)]) async throws -> [Int64] {
        var ids: [Int64] = []
        for (index, story) in stories.enumerated() {
            let time = now.addingTimeInterval(-60 * Double(index + 1))
            ids.append(
                try await ArticleRepository(database: database).save(
                    Article(
                        slug: "story-\(index)", title: story.title, lede: "",
                        body: [.paragraph(spans: [Span(story.body)])], status: .published, publishedAt: time,
                        updatedAt: time, createdAt: time)
                ).id!)
        }
        return ids
    }

    /// Stores one published story with a headline, a lede and a one-paragraph body, `minutesAgo` before `now`.
    func story(
        _ database: Database, _ slug: String, title: String, lede: String, body: String, minutesAgo: Double
    ) async throws {
        let time = now.addingTimeInterval(-60 * minutesAgo)
        try await ArticleRepository(database: database).save(
            Article(
                slug: slug, title: title, lede: lede, body: [.paragraph(spans: [Span(body)])], status: .published,
                publishedAt: time, updatedAt: time, createdAt: time))
    }

    func titles(_ database: Database, _ text: String, scope: SearchScope? = nil) async throws -> [String] {
        try await SearchRepository(database: database).search(SearchQuery(text), scope: scope ?? .published(now: now))
            .results.map(\.title)
    }

    @Test("inflected forms, names, places, homoglyphs and apostrophes find each other", arguments: TestEngine.available)
    func morphology(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            _ = try await publish(
                database,
                [
                    ("Київ готується до зими", "Енергетики столиці працюють без вихідних."),
                    ("Путін вперше за 24 роки відвідує Північну Корею", "Візит триватиме два дні."),
                    ("Атака на Кривий Ріг", "Найбільші руйнування у місті."),
                    ("Нічні обстріли", "Уночі ворог атакував область."),
                    ("Cпорт: збірна програла", "Гандболісти завершили турнір."),
                    ("Ціни на м’ясо зросли", "Свинина подорожчала на 10 відсотків."),
                    ("Китаєць відкрив ресторан", "Заклад працює у центрі Львова."),
                ])
            #expect(try await titles(database, "Києва") == ["Київ готується до зими"])
            #expect(try await titles(database, "Путіна") == ["Путін вперше за 24 роки відвідує Північну Корею"])
            #expect(
                try await titles(database, "Північної Кореї") == ["Путін вперше за 24 роки відвідує Північну Корею"])
            #expect(try await titles(database, "Кривому Розі") == ["Атака на Кривий Ріг"])
            #expect(try await titles(database, "спорт") == ["Cпорт: збірна програла"])
            #expect(try await titles(database, "мʼясо") == ["Ціни на м’ясо зросли"])
            #expect(try await titles(database, "Львові") == ["Китаєць відкрив ресторан"])
            #expect(try await titles(database, "кит").isEmpty)  // only a shared prefix with "китаєць"
            #expect(try await titles(database, "24 роки") == ["Путін вперше за 24 роки відвідує Північну Корею"])
        }
    }

    @Test("headline above lede above body, newer first among equals", arguments: TestEngine.available)
    func ranking(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            try await story(
                database, "in-body", title: "Новини дня", lede: "Коротко про головне.", body: "Мер Львова виступив.",
                minutesAgo: 1)
            try await story(
                database, "in-lede", title: "Новини міста", lede: "Мер Львова виступив.", body: "Подробиці згодом.",
                minutesAgo: 2
            )
            try await story(
                database, "in-title", title: "Мер Львова виступив", lede: "Коротко.", body: "Подробиці згодом.",
                minutesAgo: 3)
            try await story(
                database, "older-title", title: "Мер Львова виступив знову", lede: "Коротко.", body: "Подробиці.",
                minutesAgo: 30)
            // One of the two words in the headline still counts for more than both in the body.
            try await story(
                database, "half-title", title: "Мер виступив", lede: "Коротко.", body: "Подробиці зі Львова згодом.",
                minutesAgo: 40)
            let found = try await titles(database, "мер Львова")
            #expect(found.first == "Мер Львова виступив")
            #expect(found.firstIndex(of: "Новини міста")! < found.firstIndex(of: "Новини дня")!)
            #expect(found.firstIndex(of: "Мер виступив")! < found.firstIndex(of: "Новини дня")!)
            #expect(found.count == 5)
        }
    }

    @Test(
        "the index tells which results' lede and body hold a searched word, and never hides one",
        arguments: TestEngine.available)
    func textMatches(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            try await story(
                database, "title-only", title: "Мер Львова виступив", lede: "Коротко.", body: "Подробиці згодом.",
                minutesAgo: 1)
            try await story(
                database, "inflected", title: "Мер виступив", lede: "Коротко.", body: "Подробиці у Львові згодом.",
                minutesAgo: 2)
            try await story(
                database, "lede", title: "Новини Львова", lede: "У Львові тепло.", body: "Подробиці.", minutesAgo: 3)
            try await story(
                database, "deep", title: "Львів", lede: "Коротко.",
                body: String(repeating: "Інші новини дня. ", count: 400) + "Львів наприкінці.", minutesAgo: 4)
            let query = SearchQuery("Львів")
            let results = try await SearchRepository(database: database).search(query, scope: .published(now: now))
                .results
            let mayMatch = Dictionary(uniqueKeysWithValues: results.map { ($0.summary.slug, $0.textMayMatch) })
            #expect(mayMatch == ["title-only": false, "inflected": true, "lede": true, "deep": true])
            // Newest first, every story is in one tier, and the index is asked about each.
            let newest = try await SearchRepository(database: database).search(
                query, scope: .published(now: now), order: .newest
            ).results
            #expect(
                Dictionary(uniqueKeysWithValues: newest.map { ($0.summary.slug, $0.textMayMatch) }) == mayMatch)
            // What the index says cannot match holds none of the searched terms, word by word.
            let marked = Set(query.markedTerms)
            for result in results where !result.textMayMatch {
                let terms = TextAnalyzer.shared.tokens(result.text).flatMap(\.terms).map(SearchIndex.lexeme)
                #expect(marked.isDisjoint(with: terms), "\(result.summary.slug)")
            }
        }
    }

    @Test(
        "a result's text is the start of its story's text, enough for a snippet, wherever the read of the body stops",
        arguments: TestEngine.available)
    func resultTextIsTheStart(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            // Long Cyrillic bodies (two bytes a letter), each shifted by a byte or a letter more than the last, so
            // the body is cut at each place in a character and at several in its JSON.
            var texts: [Int64: String] = [:]
            for index in 0..<8 {
                let paragraphs =
                    [String(repeating: "a", count: index % 2) + String(repeating: "ж", count: index) + " вступ"]
                    + (0..<40).map { "Абзац \($0): Україна має довгу історію і багату культуру, \"лапки\" теж." }
                let time = now.addingTimeInterval(-60 * Double(index + 1))
                let stored = try await ArticleRepository(database: database).save(
                    Article(
                        slug: "report-\(index)", title: "Звіт \(index)", lede: "Коротко.",
                        body: paragraphs.map { .paragraph(spans: [Span($0)]) }, status: .published,
                        publishedAt: time, updatedAt: time, createdAt: time))
                texts[stored.id!] = (["Коротко."] + paragraphs).joined(separator: "\n")
            }
            let results = try await SearchRepository(database: database).search(
                SearchQuery("звіт"), scope: .published(now: now)
            ).results
            #expect(results.count == 8)
            for result in results {
                let full = try #require(texts[result.summary.id])
                #expect(full.hasPrefix(result.text), "\(result.summary.slug)")
                #expect(!result.text.contains("\u{FFFD}"), "\(result.summary.slug)")
                // The snippet looks for the words in the first 2,400 bytes of the text.
                #expect(result.text.utf8.count >= 2400, "\(result.summary.slug): \(result.text.utf8.count)")
            }
        }
    }

    @Test("phrases, exclusions, filters and scopes", arguments: TestEngine.available)
    func operators(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let ids = try await publish(
                database,
                [
                    ("Північна Корея постачає снаряди", "Пхеньян відправив контейнери."),
                    ("Корея і північ країни", "Сніг випав на півночі, а Корея тут ні до чого."),
                    ("Корея: спорт", "Збірна Кореї виграла."),
                ])
            #expect(try await titles(database, "\"Північна Корея\"") == ["Північна Корея постачає снаряди"])
            #expect(
                try await titles(database, "Корея -спорт").sorted() == [
                    "Корея і північ країни", "Північна Корея постачає снаряди",
                ])
            // A one-letter word is a conjunction or a preposition: excluding it means nothing, and would read every
            // match of the rest, so it is not excluded.
            #expect(try await titles(database, "Корея -і").count == 3)
            // An excluded word found only in a story's text leaves it out of the count and of "newest" too.
            let repository = SearchRepository(database: database)
            #expect(try await repository.count(SearchQuery("Корея -спорт"), scope: .published(now: now)) == 2)
            #expect(try await repository.count(SearchQuery("Корея -виграла"), scope: .published(now: now)) == 2)
            // So does it from the results whose headline has the wanted word.
            #expect(
                try await titles(database, "Корея -виграла").sorted() == [
                    "Корея і північ країни", "Північна Корея постачає снаряди",
                ])
            let newest = try await repository.search(
                SearchQuery("Корея -виграла"), scope: .published(now: now), order: .newest)
            #expect(Set(newest.results.map(\.summary.id)) == [ids[0], ids[1]])
            let week = try await SearchRepository(database: database).search(
                SearchQuery("Корея"), scope: .published(now: now), from: now.addingTimeInterval(-150), to: now)
            #expect(Set(week.results.map(\.summary.id)) == [ids[0], ids[1]])
            // A draft is found in the newsroom, never by readers.
            try await ArticleRepository(database: database).save(
                Article(slug: "draft", title: "Корея: чернетка", status: .draft))
            #expect(try await !titles(database, "чернетка").contains("Корея: чернетка"))
            #expect(try await titles(database, "чернетка", scope: .newsroom(NewsroomFilter())) == ["Корея: чернетка"])
            // Unpublishing takes a story out of the readers' results at once.
            var first = try #require(try await ArticleRepository(database: database).find(id: ids[0]))
            first.status = .unpublished
            try await ArticleRepository(database: database).save(first)
            #expect(try await !titles(database, "снаряди").contains("Північна Корея постачає снаряди"))
        }
    }

    @Test(
        "readers' count leaves out every story they cannot see, and is exact up to its cap",
        arguments: TestEngine.available)
    func countPastHiddenStories(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let articles = ArticleRepository(database: database)
            let rubric = try await RubricRepository(database: database).upsert(
                Rubric(slug: "misto", name: "Місто", position: 1))
            // Six published stories, one to six minutes old.
            var published: [Int64] = []
            for index in 0..<6 {
                let time = now.addingTimeInterval(-60 * Double(index + 1))
                published.append(
                    try await articles.save(
                        Article(
                            slug: "mist-\(index)", title: "Міст номер \(index)", rubricID: index < 2 ? rubric.id : nil,
                            status: .published, publishedAt: time, updatedAt: time, createdAt: time)
                    ).id!)
            }
            // Newer than all of them, the stories readers must not see: a draft, one in review, one whose time has
            // come but which the scheduler has not published yet, one scheduled for later, and a withdrawn one.
            let recent = now.addingTimeInterval(-10)
            for (slug, status, time) in [
                ("draft", ArticleStatus.draft, recent), ("review", .review, recent), ("due", .scheduled, recent),
                ("later", .scheduled, now.addingTimeInterval(3600)), ("withdrawn", .unpublished, recent),
            ] {
                try await articles.save(
                    Article(
                        slug: slug, title: "Міст: \(slug)", status: status,
                        publishedAt: status == .draft || status == .review ? nil : time, updatedAt: recent,
                        createdAt: recent))
            }
            let search = SearchRepository(database: database)
            let scope = SearchScope.published(now: now)
            #expect(try await search.count(SearchQuery("міст"), scope: scope) == 6)
            for cap in 1...7 {
                #expect(
                    try await search.count(SearchQuery("міст"), scope: scope, cap: cap) == min(cap, 6), "cap \(cap)")
            }
            // The time filters and a rubric's give the same counts as the stories they let through.
            #expect(
                try await search.count(
                    SearchQuery("міст"), scope: scope, from: now.addingTimeInterval(-150), to: now) == 2)
            #expect(try await search.count(SearchQuery("міст"), scope: scope, rubrics: [rubric.id!]) == 2)
            #expect(try await search.count(SearchQuery("міст"), scope: scope, rubrics: [rubric.id!], cap: 1) == 1)
            // A story moved to the rubric is counted in it at once, and no longer where it was.
            let other = try await RubricRepository(database: database).upsert(
                Rubric(slug: "oblast", name: "Область", position: 2))
            var moved = try #require(try await articles.find(id: published[5]))
            moved.rubricID = rubric.id
            try await articles.save(moved)
            #expect(try await search.count(SearchQuery("міст"), scope: scope, rubrics: [rubric.id!]) == 3)
            moved.rubricID = other.id
            try await articles.save(moved)
            #expect(try await search.count(SearchQuery("міст"), scope: scope, rubrics: [rubric.id!]) == 2)
            #expect(try await search.count(SearchQuery("міст"), scope: scope, rubrics: [other.id!]) == 1)
            #expect(
                try await search.count(SearchQuery("міст"), scope: scope, rubrics: [rubric.id!, other.id!]) == 3)
            // A hidden story in the rubric is not counted there either.
            try await articles.save(
                Article(
                    slug: "draft-in-rubric", title: "Міст у чернетці", rubricID: rubric.id, status: .draft,
                    updatedAt: recent, createdAt: recent))
            #expect(try await search.count(SearchQuery("міст"), scope: scope, rubrics: [rubric.id!]) == 2)
            // Withdrawing a published story takes it out of the count at once; publishing a draft adds it.
            var first = try #require(try await articles.find(id: published[0]))
            first.status = .unpublished
            try await articles.save(first)
            #expect(try await search.count(SearchQuery("міст"), scope: scope) == 5)
            #expect(try await search.count(SearchQuery("міст"), scope: scope, cap: 5) == 5)
            #expect(try await search.count(SearchQuery("міст"), scope: scope, cap: 4) == 4)
            var draft = try #require(try await articles.find(slug: "draft"))
            draft.status = .published
            draft.publishedAt = now.addingTimeInterval(-5)
            try await articles.save(draft)
            #expect(try await search.count(SearchQuery("міст"), scope: scope) == 6)
            // The newsroom still counts every story.
            #expect(try await search.count(SearchQuery("міст"), scope: .newsroom(NewsroomFilter())) == 12)
        }
    }

    @Test("a phrase pages through every story that has it, and only those", arguments: TestEngine.available)
    func phrasePages(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            // Ten stories have both words; only the even ones have them side by side.
            let stories = (0..<10).map { index in
                index.isMultiple(of: 2)
                    ? (title: "Засідання \(index)", body: "Верховна Рада ухвалила закон номер \(index).")
                    : (title: "Засідання \(index)", body: "Рада громади і Верховна суддя зустрілися \(index) раз.")
            }
            let ids = try await publish(database, stories)
            let search = SearchRepository(database: database)
            var found: [Int64] = []
            for page in 1...3 {
                let result = try await search.search(
                    SearchQuery("\"Верховної Ради\""), scope: .published(now: now), page: page, pageSize: 2)
                found += result.results.map(\.summary.id)
                #expect(result.hasMore == (page < 3))
            }
            #expect(found == [ids[0], ids[2], ids[4], ids[6], ids[8]])
        }
    }

    @Test("many equal matches come newest first, page after page", arguments: TestEngine.available)
    func manyEqualMatches(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            // 80 stories alike; the later stored, the newer (the opposite of the index's own order).
            var ids: [Int64] = []
            for index in 0..<80 {
                let time = now.addingTimeInterval(-60 * Double(80 - index))
                ids.append(
                    try await ArticleRepository(database: database).save(
                        Article(
                            slug: "alike-\(index)", title: "Новини з Києва", lede: "",
                            body: [.paragraph(spans: [Span("Київ сьогодні.")])], status: .published,
                            publishedAt: time, updatedAt: time, createdAt: time)
                    ).id!)
            }
            let newestFirst = Array(ids.reversed())
            let search = SearchRepository(database: database)
            var found: [Int64] = []
            for page in 1...3 {
                let result = try await search.search(
                    SearchQuery("Київ"), scope: .published(now: now), page: page, pageSize: 5)
                #expect(result.hasMore)
                found += result.results.map(\.summary.id)
            }
            #expect(found == Array(newestFirst.prefix(15)))
            let last = try await search.search(SearchQuery("Київ"), scope: .published(now: now), page: 16, pageSize: 5)
            #expect(last.results.map(\.summary.id) == Array(newestFirst.suffix(5)))
            #expect(!last.hasMore)
        }
    }

    @Test(
        "newest first follows the publication time, also of a story published long after it was written",
        arguments: TestEngine.available)
    func newestByPublication(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let repository = ArticleRepository(database: database)
            // Written first, as a draft (its index entry is placed by its creation time) …
            let early = now.addingTimeInterval(-86_400)
            var draft = try await repository.save(
                Article(
                    slug: "draft", title: "Вибори у Львові", lede: "", body: [.paragraph(spans: [Span("Підсумки.")])],
                    status: .draft, updatedAt: early, createdAt: early))
            let ids = try await publish(database, [("Вибори: явка", "Дані ЦВК."), ("Вибори: старт", "Почалося.")])
            let search = SearchRepository(database: database)
            func newest() async throws -> [Int64] {
                try await search.search(SearchQuery("вибори"), scope: .published(now: now), order: .newest).results
                    .map(\.summary.id)
            }
            #expect(try await newest() == ids)
            // … then published the newest of all: it comes first, as its place in the index moved with it.
            draft.status = .published
            draft.publishedAt = now.addingTimeInterval(-10)
            draft = try await repository.save(draft)
            #expect(try await newest() == [draft.id!] + ids)
            // Scheduled for later: not yet found by readers, found once its time has come.
            draft.publishedAt = now.addingTimeInterval(3600)
            draft = try await repository.save(draft)
            #expect(try await newest() == ids)
            let later = try await search.search(
                SearchQuery("вибори"), scope: .published(now: now.addingTimeInterval(7200)), order: .newest)
            #expect(later.results.map(\.summary.id) == [draft.id!] + ids)
            // A story dated before 1970 is found and sorted too.
            let then = Date(timeIntervalSince1970: -1_000_000_000)
            let archived = try await repository.save(
                Article(
                    slug: "1938", title: "Вибори 1938 року", lede: "", body: [.paragraph(spans: [Span("Архів.")])],
                    status: .published, publishedAt: then, updatedAt: then, createdAt: now))
            #expect(try await newest() == ids + [archived.id!])
        }
    }

    @Test(
        "a phrase is answered by the index: its words side by side in any form, a hyphenated word's parts too",
        arguments: TestEngine.available)
    func phrasePositions(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            _ = try await publish(
                database,
                [
                    ("Сесія", "Львівська міська рада ухвалила бюджет."),
                    ("Рада і місто", "Рада зібралася, а міська влада мовчала."),
                    ("Дорога", "Траса Івано-Франківськ — Львів відкрита."),
                    ("Обласний центр", "Франківськ і Івано-Франківська область."),
                    ("Квіти", "Вона подарувала мамі білі троянди."),
                ])
            #expect(try await titles(database, "\"міської ради\"") == ["Сесія"])
            #expect(try await titles(database, "\"ради міської\"").isEmpty)
            #expect(try await titles(database, "\"Івано-Франківськ Львів\"") == ["Дорога"])
            #expect(try await titles(database, "\"Івано-Франківська\"").sorted() == ["Дорога", "Обласний центр"])
            #expect(try await titles(database, "\"білу троянду\"") == ["Квіти"])
            #expect(try await titles(database, "\"мамі троянди\"").isEmpty)
            // In the headline too, and a phrase split between headline and body does not count as a headline hit.
            #expect(try await titles(database, "\"рада і місто\"") == ["Рада і місто"])
        }
    }

    @Test(
        "a phrase with common words (asked through their pairs with the next word) finds them side by side, in any form, in order only",
        arguments: TestEngine.available)
    func phrasesWithCommonWords(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            _ = try await publish(
                database,
                [
                    ("Звіт", "Інший для організації підхід запропонував директор."),
                    ("Погода", "Для організації свята потрібен інший підхід."),
                    ("Зустріч", "Вони пішли на роботу і в школу, а потім додому."),
                    ("Річниця", "Мати і син прийшли до нас."),
                    ("Мир і злагода", "Про це говорили всі."),
                ])
            #expect(try await titles(database, "\"інший для організації\"") == ["Звіт"])
            #expect(try await titles(database, "\"іншого для організацій\"") == ["Звіт"])
            #expect(try await titles(database, "\"для організації\"").sorted() == ["Звіт", "Погода"])
            #expect(try await titles(database, "\"організації для\"").isEmpty)
            #expect(try await titles(database, "\"інший організації\"").isEmpty)
            #expect(try await titles(database, "\"на роботу і в школу\"") == ["Зустріч"])
            #expect(try await titles(database, "\"і в\"") == ["Зустріч"])
            #expect(try await titles(database, "\"в і\"").isEmpty)
            #expect(try await titles(database, "\"син прийшли до\"") == ["Річниця"])
            #expect(try await titles(database, "\"мати і\"") == ["Річниця"])
            #expect(try await titles(database, "\"мир і злагода\"") == ["Мир і злагода"])
            #expect(try await titles(database, "\"злагода і мир\"").isEmpty)
            // The words of a phrase still count one by one outside quotes.
            #expect(try await titles(database, "мир злагода") == ["Мир і злагода"])
        }
    }

    @Test(
        "by relevance: all words in the headline, then headline and lede, then some, then the rest; each newest first",
        arguments: TestEngine.available)
    func relevanceTiers(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            try await story(
                database, "body", title: "Новини", lede: "Коротко.", body: "Мост у Києві відкрили.", minutesAgo: 1)
            try await story(database, "some", title: "Мост", lede: "Коротко.", body: "Відкрили в Києві.", minutesAgo: 2)
            try await story(
                database, "lede", title: "Новини", lede: "Мост у Києві відкрили.", body: "Так.", minutesAgo: 3)
            try await story(
                database, "title-old", title: "Мост у Києві", lede: "Коротко.", body: "Так.", minutesAgo: 50)
            try await story(
                database, "title-new", title: "Київ: мост готовий", lede: "Коротко.", body: "Так.", minutesAgo: 4)
            let found = try await titles(database, "мост Київ")
            #expect(found == ["Київ: мост готовий", "Мост у Києві", "Новини", "Мост", "Новини"])
            let slugs = try await SearchRepository(database: database).search(
                SearchQuery("мост Київ"), scope: .published(now: now)
            ).results.map(\.summary.slug)
            if engine == .sqlite { #expect(slugs == ["title-new", "title-old", "lede", "some", "body"]) }
            #expect(slugs.prefix(2) == ["title-new", "title-old"])
            #expect(slugs.last == "body")
        }
    }

    static let badQueries = [
        "", "   ", "\"", "*", "NEAR", "AND (", "OR OR", "\"\"\"", "-", "--", "'; DROP TABLE articles; --", "(", ")))",
        ":", "^",
        "NOT", String(repeating: "а", count: 5000), String(repeating: "?!", count: 2500), "«»", "’", "к*", "title:Київ",
        "{}", "\\",
        "\"Київ", "Київ\"", "-Київ", "Київ -", "NEAR(Київ)", "Київ AND", "Київ OR Львів",
    ]

    @Test(
        "queries made of syntax, punctuation or nothing give an empty page, not an error",
        arguments: TestEngine.available)
    func badQueries(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            _ = try await publish(database, [("Київ", "Текст")])
            for text in Self.badQueries {
                do {
                    _ = try await SearchRepository(database: database).search(
                        SearchQuery(text), scope: .published(now: now))
                } catch {
                    Issue.record("query \(String(text.prefix(40))) failed: \(error)")
                }
            }
            // Operators that make no sense alone are just words or nothing; the real word still counts.
            #expect(try await titles(database, "\"Київ") == ["Київ"])
            #expect(try await titles(database, "-Київ").isEmpty)
            #expect(try await ArticleRepository(database: database).count() == 1)
        }
    }

    @Test("did you mean: a near miss is corrected from the index's own words", arguments: TestEngine.available)
    func suggestion(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            _ = try await publish(
                database,
                [
                    ("Енергетика Тернополя", "Тернопіль готується до зими."),
                    ("Європейські ярмарки", "Ярмарок у Жовкві."),
                ])
            let search = SearchRepository(database: database)
            #expect(try await search.search(SearchQuery("енергетіка"), scope: .published(now: now)).results.isEmpty)
            #expect(try await search.suggestion(for: ["енергетіка"]) == "енергетика")
            #expect(try await search.suggestion(for: ["енергетика"]) == nil)
            // Candidates are the words that start with the same letter, read as a range of the index: the words at
            // either end of a letter's range ("є" after "е", "я" last) are found, and none from the next letter.
            #expect(try await search.suggestion(for: ["європейськи"]) == "європейський")
            #expect(try await search.suggestion(for: ["ярморок"]) == "ярмарок")
            #expect(try await search.suggestion(for: ["жовківа"]) == "жовква")
        }
    }

    @Test(
        "an import's bulk load leaves the index merging as usual, even one a stopped process left",
        arguments: TestEngine.available)
    func bulkLoad(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let search = SearchRepository(database: database)
            struct Stop: Error {}
            // An import that fails part-way ends its bulk load too.
            await #expect(throws: Stop.self) {
                try await search.bulkLoad {
                    _ = try await publish(database, [("Київ приймає гостей", "Перший день.")])
                    throw Stop()
                }
            }
            #expect(try await search.endUnfinishedBulkLoad() == false)
            if engine == .sqlite {
                // A process stopped in the middle of one leaves FTS5's setting behind; the server ends it as it starts.
                try await database.transaction { sql in
                    try await sql.raw("INSERT INTO search_index (search_index, rank) VALUES ('automerge', 16)").run()
                }
                #expect(try await search.endUnfinishedBulkLoad() == true)
                #expect(try await search.endUnfinishedBulkLoad() == false)
                let automerge = try await database.read { sql in
                    try await sql.raw("SELECT v FROM search_index_config WHERE k = 'automerge'").first()?
                        .decode(column: "v", as: Int.self)
                }
                #expect(automerge == 4)
            }
            let found = try await search.search(SearchQuery("києві"), scope: .published(now: now)).results
            #expect(found.map(\.title) == ["Київ приймає гостей"])
        }
    }

    @Test("reindex rebuilds the index from the articles", arguments: TestEngine.available)
    func reindex(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let ids = try await publish(database, [("Київ", "Перший"), ("Львів", "Другий"), ("Одеса", "Третій")])
            // Changes the index never saw: a headline edited behind its back and an article removed.
            try await database.transaction { sql in
                try await sql.raw("UPDATE articles SET title = 'Харків' WHERE id = \(bind: ids[0])").run()
                try await sql.raw("DELETE FROM articles WHERE id = \(bind: ids[2])").run()
            }
            let reports = Reports()
            let count = try await SearchRepository(database: database).reindex(batchSize: 1) { done, total in
                reports.append("\(done)/\(total)")
            }
            #expect(count == 2)
            #expect(reports.all == ["1/2", "2/2"])
            #expect(try await titles(database, "Харкова") == ["Харків"])
            #expect(try await titles(database, "Києва").isEmpty)
            #expect(try await titles(database, "Львова") == ["Львів"])
            #expect(try await titles(database, "Одеси").isEmpty)
            // A second run gives the same index, nothing twice.
            _ = try await SearchRepository(database: database).reindex(batchSize: 2)
            #expect(try await titles(database, "Львова") == ["Львів"])
        }
    }

    @Test(
        "an index made by an older analyser is rebuilt once, and then ґ and г find each other",
        arguments: TestEngine.available)
    func analyserUpgrade(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let search = SearchRepository(database: database)
            #expect(try await !search.needsIndexing(), "no articles, nothing to build")
            _ = try await publish(database, [("Якість ґрунту на Сихові", "Агрономи взяли проби.")])
            #expect(try await !search.needsIndexing(), "indexed as saved, by this analyser")
            // As migration 20 leaves a database whose index an older version made.
            try await database.transaction { sql in
                try await sql.raw(
                    "INSERT INTO search_state (key, value) VALUES ('analyzer', '1') ON CONFLICT (key) DO UPDATE SET value = '1'"
                ).run()
            }
            #expect(try await search.needsIndexing())
            #expect(try await search.reindex() == 1)
            #expect(try await !search.needsIndexing(), "rebuilt once")
            let version = try await database.read { sql in
                try await sql.raw("SELECT value FROM search_state WHERE key = 'analyzer'").first()?.decode(
                    column: "value", as: String.self)
            }
            #expect(version == String(TextAnalyzer.version))
            #expect(try await titles(database, "грунт") == ["Якість ґрунту на Сихові"])
            #expect(try await titles(database, "ґрунти") == ["Якість ґрунту на Сихові"])
        }
    }

    @Test(
        "an index of the layout before common-word pairs is rebuilt once, and then a phrase of common words finds its story",
        arguments: TestEngine.available)
    func pairsLayoutUpgrade(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let search = SearchRepository(database: database)
            _ = try await publish(database, [("Звіт", "Інший для організації підхід запропонував директор.")])
            #expect(try await !search.needsIndexing())
            try await database.transaction { sql in
                try await sql.raw(
                    "INSERT INTO search_state (key, value) VALUES ('layout', '2') ON CONFLICT (key) DO UPDATE SET value = '2'"
                ).run()
            }
            #expect(try await search.needsIndexing())
            #expect(try await search.reindex() == 1)
            #expect(try await !search.needsIndexing(), "rebuilt once")
            #expect(search.indexLayout == (engine == .sqlite ? 4 : 3))
            // SQLite's index of layout 3 has no rubric marks in it: it is rebuilt too; PostgreSQL's is current.
            try await database.transaction { sql in
                try await sql.raw("UPDATE search_state SET value = '3' WHERE key = 'layout'").run()
            }
            #expect(try await search.needsIndexing() == (engine == .sqlite))
            #expect(try await titles(database, "\"інший для організації\"") == ["Звіт"])
        }
    }

    @Test("a rebuild cut short is done again at the next start", arguments: TestEngine.available)
    func rebuildCutShort(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let search = SearchRepository(database: database)
            _ = try await publish(database, [("Якість ґрунту на Сихові", "Агрономи взяли проби.")])
            let reports = Reports()
            #expect(try await search.reindex(progress: { done, total in reports.append("\(done)/\(total)") }) == 1)
            #expect(reports.all == ["1/1"])
            try await database.transaction { sql in
                // What a process stopped in the middle of a rebuild leaves behind.
                try await sql.raw("UPDATE search_state SET value = 'rebuilding' WHERE key = 'layout'").run()
            }
            #expect(try await search.needsIndexing())
            #expect(try await search.reindex() == 1)
            #expect(try await !search.needsIndexing())
            #expect(try await titles(database, "ґрунт") == ["Якість ґрунту на Сихові"])
        }
    }
}

/// Progress reports collected from another task.
final class Reports: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var all: [String] { lines.withLock { $0 } }
}
