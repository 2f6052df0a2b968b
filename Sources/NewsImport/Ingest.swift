import Foundation
import NewsCore
import NewsData
import SQLKit

/// One story as an importer hands it to the ingest step: its text as written (whitespace and Unicode composition
/// tidied, nothing else), its body as blocks, its terms and people by name, its photos as files found on disk.
struct IngestStory: Sendable {
    /// Where the story came from ("jsonl:12", "wp:gazeta.example:1"): the same source updates the same story.
    var sourceID: String?
    let title: String
    /// The address wanted (made from the title when empty); a taken one gets "-2", "-3"….
    let slug: String
    /// The address made from `slug`, or from `title` when that gives none, before a number is added to a taken one:
    /// made with the story, on every core, rather than where one transaction stores a batch.
    let baseSlug: String
    var lede: String
    var teaser: String?
    var body: [IngestBlock]
    /// The analysis of title, lede, teaser and body for search.
    var document: SearchDocument
    var rubric: IngestTerm?
    var tags: [IngestTerm] = []
    var author: IngestAuthor?
    var cover: IngestPhoto?
    var status: ArticleStatus
    var publishedAt: Date?
    var featured = false
    var breaking = false
    var seoTitle: String?
    var seoDescription: String?
    /// Addresses the story had on the old site, answered with a permanent redirect (normalised by ``LegacyURL``).
    var legacyPaths: [String] = []

    init(
        sourceID: String?, title: String, slug: String, lede: String, teaser: String?, body: [IngestBlock],
        document: SearchDocument, status: ArticleStatus, publishedAt: Date?
    ) {
        self.sourceID = sourceID
        self.title = title
        self.slug = slug
        self.lede = lede
        self.teaser = teaser
        self.body = body
        self.document = document
        self.status = status
        self.publishedAt = publishedAt
        var base = Slug.make(from: slug, maxLength: Ingest.slugLength)
        if base.isEmpty { base = Slug.make(from: title, maxLength: Ingest.slugLength) }
        if base.isEmpty { base = "article" }
        if Slug.reserved.contains(base) { base += "-1" }
        baseSlug = base
    }
}

/// A body block, with photos as files to store.
enum IngestBlock: Sendable {
    case block(Block)
    case photo(IngestPhoto)
}

/// A rubric or tag by slug (made from the name when `nil`) and name; a rubric with the rubrics it sits under.
struct IngestTerm: Sendable, Equatable {
    var slug: String?
    var name: String
    /// The rubrics above this one, the top one first (a new rubric is made under them; one that exists keeps its
    /// place, which an editor may have changed).
    var parents: [IngestTerm] = []
}

/// A byline: a login that identifies the person across imports, and the name readers see.
struct IngestAuthor: Sendable, Equatable {
    var login: String?
    var name: String
}

/// A photo file on this machine and what the source says about it.
struct IngestPhoto: Sendable, Equatable {
    var file: URL
    /// The name it is stored under in the media store (one record per name: a re-import finds it again).
    var storeName: String
    var alt: String
    var caption: String?
    var credit: String?
}

/// The one step every importer (JSON Lines, WordPress) stores stories through: rubrics, tags and bylines found or
/// added, photos copied once and recorded once, an address made unique, and the story saved by the newsroom's
/// import use case (its checks, a revision marked "import", its change event). A story that is already stored as
/// it is changes nothing.
struct Ingest: Sendable {
    let mediaStore: any MediaStore
    /// Work as usual but copy no files (the database work is rolled back by the caller).
    let dryRun: Bool

    /// Ids of rows found or added during this import, so each is looked up once.
    struct Context: Sendable {
        var rubrics: [String: Int64] = [:]
        var tags: [String: Int64] = [:]
        var authors: [String: Int64] = [:]
        var media: [String: Int64] = [:]
        /// A rubric's or tag's name and slug as stored, by the slug or name the source gave (made once per import).
        var terms: [String: (name: String, slug: String)] = [:]

        /// The stored name and slug of `term`, made once per import.
        mutating func clean(_ term: IngestTerm) -> (name: String, slug: String) {
            let key = (term.slug ?? "") + "\u{0}" + term.name
            if let known = terms[key] { return known }
            let name = UkrainianText.normalize(term.name)
            let clean = (name, Slug.make(from: term.slug ?? name))
            terms[key] = clean
            return clean
        }
        /// Words already added to "did you mean" by this import: each story adds only new ones (a story's
        /// vocabulary is hundreds of words, most of them in every other story).
        var words = TermSet(capacity: 1 << 16)
        /// Beyond this many words the set starts again, so memory stays flat however large the import.
        static let maxWords = 300_000
        /// The stories of the batch stored so far, to index when the batch's stories are all stored.
        var unindexed: [SearchDocument] = []

        /// Keeps a stored story's analysis for the batch's index (the words "did you mean" has from this import
        /// left out of it).
        mutating func remember(_ document: SearchDocument, of id: Int64) {
            var document = document
            if words.count >= Self.maxWords { words.removeAll() }
            document.vocabulary = document.vocabulary.filter { words.insert($0) }
            document.id = id
            unindexed.append(document)
        }
    }

    /// Indexes the batch's stories for search; call it in the batch's transaction after its last story.
    func indexBatch(in sql: any SQLDatabase, context: inout Context) async throws {
        try await Newsroom.indexImported(context.unindexed, in: sql)
        context.unindexed.removeAll()
    }

    /// What storing one story of a batch came to: its change and address, or why it was not stored.
    typealias Outcome = Result<(change: ImportChange, slug: String, together: Bool), any Error>

    /// Stores a batch of stories inside the caller's transaction and returns each one's outcome, in order;
    /// `warn(index, field, message)` makes a warning about the story at `index` for the report.
    ///
    /// New stories whose own fields pass the newsroom's checks are stored together, many rows a statement (on
    /// PostgreSQL a story costs a round trip per table otherwise). Stories already stored, a second story from the
    /// same source, and any story of a batch the newsroom refuses as a whole, are stored one at a time, each in a
    /// savepoint of its own: a story that cannot be stored is skipped and the others stay.
    func storeAll(
        _ stories: [IngestStory], in sql: any SQLDatabase, context: inout Context,
        warn: (_ index: Int, _ field: String, _ message: String) -> Void
    ) async throws -> [Outcome] {
        var outcomes = [Outcome?](repeating: nil, count: stories.count)
        let stored = try await Database.articleIDs(sourceIDs: stories.compactMap(\.sourceID), in: sql)
        var sources = Set<String>()
        let fresh = stories.indices.filter { index in
            guard let source = stories[index].sourceID else { return true }
            return stored[source] == nil && sources.insert(source).inserted
        }
        if fresh.count > 1 {
            let before = context
            var warnings: [(Int, String, String)] = []
            do {
                let together = try await Database.savepoint("batch", in: sql) {
                    try await storeNew(fresh.map { ($0, stories[$0]) }, in: sql, context: &context) {
                        warnings.append(($0, $1, $2))
                    }
                }
                for (index, slug) in together { outcomes[index] = .success((.created, slug, true)) }
                for (index, field, message) in warnings where outcomes[index] != nil { warn(index, field, message) }
            } catch {
                context = before
            }
        }
        for index in stories.indices where outcomes[index] == nil {
            do {
                let outcome = try await Database.savepoint("story\(index)", in: sql) {
                    try await store(stories[index], in: sql, context: &context) { warn(index, $0, $1) }
                }
                outcomes[index] = .success((outcome.change, outcome.slug, false))
            } catch {
                outcomes[index] = .failure(error)
            }
        }
        return outcomes.map { $0! }
    }

    /// Stores new stories (from no source stored before) together and returns the index and address of each one
    /// stored; one whose own fields fail the newsroom's checks is left for the caller to store alone.
    private func storeNew(
        _ stories: [(index: Int, story: IngestStory)], in sql: any SQLDatabase, context outer: inout Context,
        warn: (_ index: Int, _ field: String, _ message: String) -> Void
    ) async throws -> [(index: Int, slug: String)] {
        var context = outer
        let bases = stories.map(\.story.baseSlug)
        let asked = Set(bases)
        let taken = try await Database.takenSlugs(asked, in: sql)
        var given = Set<String>()
        // The asked-for addresses were looked up at once; one with a number added, when needed, alone.
        func isTaken(_ slug: String) async throws -> Bool {
            if given.contains(slug) { return true }
            if asked.contains(slug) { return taken.contains(slug) }
            return try await Database.articleSlugTaken(slug, excluding: nil, in: sql)
        }
        var articles: [Article] = []
        var indices: [Int] = []
        var documents: [SearchDocument] = []
        var legacyPaths: [[String]] = []
        let now = Date()
        for ((index, story), base) in zip(stories, bases) {
            var slug = base
            var counter = 1
            while try await isTaken(slug) {
                counter += 1
                slug = "\(base)-\(counter)"
            }
            // A story the checks refuse is stored alone, so that nothing found or added for it (a new rubric
            // in the menu, a photo) stays behind.
            guard Newsroom.passesOwnChecks(Self.draft(of: story, slug: slug, now: now)) else { continue }
            let article = try await self.article(story, id: nil, slug: slug, now: now, in: sql, context: &context) {
                warn(index, $0, $1)
            }
            if counter > 1 { warn(index, "slug", "the address \(base) is another story's; imported as \(slug)") }
            given.insert(slug)
            articles.append(article)
            indices.append(index)
            documents.append(story.document)
            legacyPaths.append(story.legacyPaths.map { LegacyURL.normalize($0) })
        }
        let saved = try await Newsroom.importNewArticles(articles, now: now, in: sql)
        try await Newsroom.recordLegacyURLs(
            zip(legacyPaths, saved).map { ($0, $1.id!) }, in: sql)
        for (article, document) in zip(saved, documents) { context.remember(document, of: article.id!) }
        outer = context
        return zip(indices, saved).map { ($0, $1.slug) }
    }

    /// Stores `story` on its own; `warn` makes a warning about it for the report.
    func store(
        _ story: IngestStory, in sql: any SQLDatabase, context outer: inout Context,
        warn: (_ field: String, _ message: String) -> Void
    ) async throws -> (change: ImportChange, slug: String) {
        // The context changes only when the story is stored: a story rolled back to its savepoint leaves behind no
        // ids of rows that went with it.
        var context = outer
        let existing = try await story.sourceID.asyncMap { try await Database.articleID(sourceID: $0, in: sql) } ?? nil

        let base = story.baseSlug
        var slug = existing?.slug ?? base
        if existing == nil {
            var counter = 1
            while try await Database.articleSlugTaken(slug, excluding: nil, in: sql) {
                counter += 1
                slug = "\(base)-\(counter)"
            }
            if counter > 1 { warn("slug", "the address \(base) is another story's; imported as \(slug)") }
        }
        let now = Date()
        let article = try await self.article(
            story, id: existing?.id, slug: slug, now: now, in: sql, context: &context, warn: warn)
        let (stored, outcome) = try await Newsroom.importArticle(
            article, analysed: story.document, indexLater: true, now: now, in: sql)
        if !story.legacyPaths.isEmpty, let id = stored.id {
            try await Newsroom.recordLegacyURLs(
                [(story.legacyPaths.map { LegacyURL.normalize($0) }, id)], in: sql)
        }
        if outcome != .unchanged, let id = stored.id { context.remember(story.document, of: id) }
        outer = context
        return (outcome, stored.slug)
    }

    /// The address a story asks for, before "-2", "-3"… is added to make it unique.

    /// The story as the newsroom stores it: its rubric, tags and byline found or added, its photos stored.
    private func article(
        _ story: IngestStory, id: Int64?, slug: String, now: Date, in sql: any SQLDatabase, context: inout Context,
        warn: (_ field: String, _ message: String) -> Void
    ) async throws -> Article {
        var rubricID: Int64?
        for rubric in story.rubric.map({ $0.parents + [$0] }) ?? [] {
            let (name, rubricSlug) = context.clean(rubric)
            if !name.isEmpty, !rubricSlug.isEmpty {
                rubricID = try await self.rubric(
                    slug: rubricSlug, name: name, parent: rubricID, in: sql, context: &context)
            }
        }

        var tagIDs: [Int64] = []
        for tag in story.tags {
            let (name, tagSlug) = context.clean(tag)
            guard !name.isEmpty, !tagSlug.isEmpty else { continue }
            if let id = context.tags[tagSlug] {
                if !tagIDs.contains(id) { tagIDs.append(id) }
            } else if let id = try await TagRepository.upsert(Tag(slug: tagSlug, name: name), in: sql).id {
                context.tags[tagSlug] = id
                if !tagIDs.contains(id) { tagIDs.append(id) }
            }
        }

        var bylineIDs: [Int64] = []
        if let author = story.author, !author.name.isEmpty {
            let key = author.login ?? author.name
            if let id = context.authors[key] {
                bylineIDs.append(id)
            } else {
                var authorSlug = Slug.make(from: author.name)
                var counter = 1
                while try await AuthorRepository.slugTaken(authorSlug, exceptLogin: author.login, in: sql) {
                    counter += 1
                    authorSlug = "\(Slug.make(from: author.name))-\(counter)"
                }
                if let id = try await AuthorRepository.upsert(
                    Author(slug: authorSlug, name: author.name, login: author.login ?? authorSlug), in: sql
                ).id {
                    context.authors[key] = id
                    bylineIDs.append(id)
                }
            }
        }

        var coverID: Int64?
        if let cover = story.cover {
            do {
                coverID = try await photo(cover, in: sql, context: &context)
            } catch let error as DatabaseError {
                warn("photo", error.description)
            }
        }
        var body: [Block] = []
        for block in story.body {
            switch block {
            case .block(let block):
                body.append(block)
            case .photo(let photo):
                do {
                    body.append(
                        .image(
                            mediaID: try await self.photo(photo, in: sql, context: &context), caption: nil, credit: nil)
                    )
                } catch let error as DatabaseError {
                    warn("body", error.description)
                }
            }
        }

        var article = Self.draft(of: story, slug: slug, now: now)
        article.id = id
        article.body = body
        article.rubricID = rubricID
        article.tagIDs = tagIDs
        article.bylineIDs = bylineIDs
        article.coverMediaID = coverID
        return article
    }

    /// The story as an article before anything is found or added for it (no rubric, tags, byline or stored
    /// photos; a photo in the body stands as an image of no photo): enough for the checks of its own fields.
    private static func draft(of story: IngestStory, slug: String, now: Date) -> Article {
        let body = story.body.map { block -> Block in
            switch block {
            case .block(let block): block
            case .photo: .image(mediaID: 0, caption: nil, credit: nil)
            }
        }
        return Article(
            id: nil, slug: slug, title: story.title, seoTitle: story.seoTitle,
            seoDescription: story.seoDescription, lede: story.lede, teaser: story.teaser, body: body,
            status: story.status, publishedAt: story.publishedAt, updatedAt: story.publishedAt ?? now,
            createdAt: story.publishedAt ?? now, featured: story.featured, breaking: story.breaking,
            sourceID: story.sourceID)
    }

    private func rubric(
        slug: String, name: String, parent: Int64?, in sql: any SQLDatabase, context: inout Context
    ) async throws -> Int64? {
        if let id = context.rubrics[slug] { return id }
        let id: Int64?
        if let row = try await sql.raw("SELECT id FROM rubrics WHERE slug = \(bind: slug)").first() {
            id = try row.decode(column: "id", as: Int64.self)
        } else {
            let position = try await Database.maxRubricPosition(in: sql) + 1
            id = try await Newsroom.importRubric(
                Rubric(slug: slug, name: name, position: position, parentID: parent), now: Date(), in: sql
            )
            .id
        }
        context.rubrics[slug] = id
        return id
    }

    /// The media record of a photo: found by its stored name (an earlier import's), or the file copied into the
    /// media store (once) and recorded.
    private func photo(_ photo: IngestPhoto, in sql: any SQLDatabase, context: inout Context) async throws -> Int64 {
        if let id = context.media[photo.storeName] { return id }
        if let row = try await sql.raw("SELECT id FROM media WHERE file = \(bind: photo.storeName) ORDER BY id LIMIT 1")
            .first()
        {
            let id = try row.decode(column: "id", as: Int64.self)
            context.media[photo.storeName] = id
            return id
        }
        guard let data = FileManager.default.contents(atPath: photo.file.path) else {
            throw DatabaseError("the photo \(photo.file.path) does not exist or cannot be read")
        }
        guard let probe = ImageProbe(data) else {
            throw DatabaseError("the photo \(photo.file.path) is not a JPEG, PNG or WebP image")
        }
        if !dryRun, !mediaStore.contains(photo.storeName) { try mediaStore.put(data, name: photo.storeName) }
        let media = Media(
            file: photo.storeName, mimeType: probe.mimeType, width: probe.width, height: probe.height,
            caption: photo.caption.map(UkrainianText.tidy), credit: photo.credit.map(UkrainianText.tidy),
            alt: UkrainianText.tidy(photo.alt))
        guard let id = try await MediaRepository.insert(media, in: sql).id else {
            throw DatabaseError("the database did not return the photo's id")
        }
        context.media[photo.storeName] = id
        return id
    }

    /// Longest slug made for an article (long headlines are cut on a word boundary).
    static let slugLength = 120

    /// The search analysis of a story's text (photos add none).
    static func document(title: String, lede: String, teaser: String?, body: [IngestBlock]) -> SearchDocument {
        let text: [Block] = body.compactMap { if case .block(let block) = $0 { block } else { nil } }
        return SearchDocument(id: 0, title: title, lede: lede, teaser: teaser, body: text, analyzer: .shared)
    }

    /// The report's entry for a story that could not be stored: the problem the importer found, or the newsroom's
    /// first refusal (it names the field; the rest are usually its consequences), with `field` mapping the
    /// newsroom's field names to the source's.
    static func problem(
        storing error: any Error, line: Int, unit: String, field: (String) -> String = { $0 }
    ) -> ImportProblem {
        switch error {
        case let problem as ImportProblem:
            return problem
        case NewsroomError.invalid(let problems):
            let problem = problems.first ?? FieldError(field: "title", key: "")
            return ImportProblem(
                line: line, field: field(problem.field),
                message: explanation[problem.key] ?? "is refused by the newsroom's checks (\(problem.key))",
                skipped: true, unit: unit)
        default:
            return ImportProblem(line: line, message: "could not be stored: \(error)", skipped: true, unit: unit)
        }
    }

    /// What a refusal of the newsroom's checks means, for the command line.
    static let explanation = [
        "error_title_empty": "is missing or empty",
        "error_title_long": "is longer than \(ArticleValidation.maxTitle) characters",
        "error_slug_invalid": "is not a valid address (lowercase Latin letters, digits and hyphens)",
        "error_slug_reserved": "is an address the site uses itself",
        "error_slug_taken": "is the address of another article",
        "error_lede_long": "is longer than \(ArticleValidation.maxLede) characters",
        "error_teaser_long": "is longer than \(ArticleValidation.maxTeaser) characters",
        "error_seo_title_long": "is longer than \(ArticleValidation.maxSEOTitle) characters",
        "error_seo_description_long": "is longer than \(ArticleValidation.maxSEODescription) characters",
        "error_body_too_many_blocks": "has more than \(ArticleValidation.maxBlocks) paragraphs and other blocks",
        "error_body_block_long": "has a paragraph longer than \(ArticleValidation.maxBlockText) characters",
        "error_body_bad_link": "has a link that is not http(s) or mailto",
        "error_body_bad_embed": "has an embed that is not an http(s) address",
        "error_missing_media": "refers to a photo that is not stored",
        "error_missing_article": "refers to an article that does not exist",
        "error_missing_reference": "refers to something that does not exist",
    ]
}

/// A media store name for a file of an old site: its path there, transliterated, as one name
/// ("2024/06/Оперний-театр.jpg" → "2024-06-opernyi-teatr.jpg").
enum StoreName {
    static func make(_ path: String, prefix: String = "") -> String {
        let name = path.split(separator: "/").joined(separator: "-")
        let ext = (name as NSString).pathExtension.lowercased()
        let stem = Slug.make(from: (name as NSString).deletingPathExtension, maxLength: 120)
        let base = prefix + (stem.isEmpty ? "photo" : stem)
        return ext.isEmpty ? base : base + "." + ext
    }
}

extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
