import Foundation
import HTTPTypes
import NewsCore
import NewsData
import OpenAPIRuntime

// The Admin API: the newsroom's stories for a member's token, through the newsroom's use cases (the same rules,
// revisions, locks, audit log and change events as the editor). The gate has checked the token and sets the
// member (``APIMember``); it dispatches the change events of every write before answering.
extension ContentAPI {
    func adminListArticles(_ input: Operations.AdminListArticles.Input) async throws
        -> Operations.AdminListArticles.Output
    {
        let member = try APIMember.required()
        var filter = NewsroomFilter()
        if let status = input.query.status {
            filter.status = ArticleStatus(rawValue: status.rawValue)
        }
        filter.limit(to: member.user)
        let (rows, next) = try await web.articles.newsroomList(
            filter, after: try Self.cursor(input.query.cursor), limit: try Self.limit(input.query.limit, max: 100))
        let items = rows.map { row in
            Components.Schemas.AdminArticleList.ArticlesPayloadPayload(
                id: row.id, slug: row.slug, title: row.title, status: Self.status(row.status),
                publishedAt: row.publishedAt, updatedAt: row.updatedAt, rubricName: row.rubricName)
        }
        return .ok(.init(body: .json(.init(articles: items, nextCursor: next.map(Self.token)))))
    }

    func adminCreateArticle(_ input: Operations.AdminCreateArticle.Input) async throws
        -> Operations.AdminCreateArticle.Output
    {
        let member = try APIMember.required()
        guard case .json(let body) = input.body else { throw APIError.parameter("body") }
        let now = web.settings.clock()
        let edit = try await self.edit(from: body, base: nil)
        let idempotency = input.headers.idempotencyKey
        // As the document says: 1 to 200 visible ASCII characters but "%". A header is bytes, which a server may
        // read another way than a client meant them (and "%" starts an escape), so nothing else is taken.
        if let key = idempotency,
            !(1...200).contains(key.utf8.count) || !key.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != 0x25 })
        {
            throw APIError.parameter("Idempotency-Key")
        }
        if let key = idempotency {
            let hash = APIKeyRepository.hash(String(decoding: try Self.canonical.encode(body), as: UTF8.self))
            switch try await IdempotencyKeys(database: web.database).claim(
                member.keyID, key: key, hash: hash, now: Date())
            {
            case .claimed: break
            case .replay(let id):
                return .created(
                    .init(body: .json(.init(article: try await admin(try await web.articles.find(id: id))))))
            case .conflict:
                throw APIError(status: .conflict, code: .conflict, messageKey: "api_error_idempotency")
            }
        }
        do {
            let (created, token) = try await web.newsroom.create(edit, by: member.user, now: now)
            // The API holds no lock between requests: the creator's lock is let go at once.
            try await web.newsroom.unlock(created.id!, token: token)
            if let key = idempotency {
                try await IdempotencyKeys(database: web.database).finish(member.keyID, key: key, article: created.id!)
            }
            return .created(.init(body: .json(.init(article: try await admin(created)))))
        } catch {
            if let key = idempotency {
                try await IdempotencyKeys(database: web.database).release(member.keyID, key: key)
            }
            throw error
        }
    }

    func adminGetArticle(_ input: Operations.AdminGetArticle.Input) async throws -> Operations.AdminGetArticle.Output {
        let member = try APIMember.required()
        let article = try await web.newsroom.open(input.path.id, for: member.user)
        return .ok(.init(body: .json(.init(article: try await admin(article)))))
    }

    func adminUpdateArticle(_ input: Operations.AdminUpdateArticle.Input) async throws
        -> Operations.AdminUpdateArticle.Output
    {
        let member = try APIMember.required()
        guard case .json(let body) = input.body else { throw APIError.parameter("body") }
        let now = web.settings.clock()
        let current = try await web.newsroom.open(input.path.id, for: member.user)
        guard Newsroom.mayEdit(current, user: member.user) else { throw NewsroomError.forbidden }
        let edit = try await self.edit(from: body, base: current)
        // As the editor does: hold the story's lock for the save, so a save never lands under someone's open editor.
        switch try await web.newsroom.lock(current.id!, by: member.user, now: now) {
        case .held(let token):
            do {
                let saved = try await web.newsroom.save(
                    edit, expectedVersion: input.query.version, lockToken: token, by: member.user, now: now)
                try await web.newsroom.unlock(current.id!, token: token)
                return .ok(.init(body: .json(.init(article: try await admin(saved)))))
            } catch {
                try? await web.newsroom.unlock(current.id!, token: token)
                throw error
            }
        case .heldByOther(let name, let since), .lost(let name, let since):
            throw NewsroomError.lockedByOther(name: name, since: since)
        }
    }

    func adminTransitionArticle(_ input: Operations.AdminTransitionArticle.Input) async throws
        -> Operations.AdminTransitionArticle.Output
    {
        let member = try APIMember.required()
        guard case .json(let body) = input.body, let status = ArticleStatus(rawValue: body.to.rawValue) else {
            throw APIError.parameter("to")
        }
        let now = web.settings.clock()
        if status == .scheduled {
            guard let at = body.publishAt, at > now else {
                throw APIError(
                    status: .unprocessableContent, code: .invalid, messageKey: "api_error_invalid",
                    fields: [FieldError(field: "publish_at", key: "error_schedule_past")])
            }
        }
        _ = try await web.newsroom.open(input.path.id, for: member.user)
        let moved = try await web.newsroom.transition(
            input.path.id, to: status, publishAt: status == .scheduled ? body.publishAt : nil, by: member.user, now: now
        )
        return .ok(.init(body: .json(.init(article: try await admin(moved)))))
    }

    // MARK: - Representation

    /// The body's fields as the newsroom stores them (`base`'s newsroom-only fields kept). A rubric that does not
    /// exist is a reference to nothing (404); the use case checks the rest.
    private func edit(from body: Components.Schemas.ArticleInput, base: Article?) async throws -> ArticleEdit {
        try Self.check(body)
        var article = base ?? Article(slug: "", title: "")
        article.title = UkrainianText.normalize(body.title)
        article.slug = body.slug ?? (base?.slug ?? Slug.make(from: article.title, maxLength: 120))
        article.lede = (body.lede ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        article.teaser = Self.optional(body.teaser)
        article.seoTitle = Self.optional(body.seoTitle)
        article.seoDescription = Self.optional(body.seoDescription)
        article.editorialNote = Self.optional(body.editorialNote)
        article.featured = body.featured ?? false
        article.breaking = body.breaking ?? false
        article.coverMediaID = body.coverId
        article.rubricID = nil
        if let slug = body.rubric {
            guard let rubric = try await web.rubrics.find(slug: slug) else {
                throw APIError.unknown("rubric", key: "api_error_unknown_rubric")
            }
            article.rubricID = rubric.id
        }
        article.body = (body.blocks ?? []).map(Self.block)
        return ArticleEdit(
            article, tagNames: (body.tags ?? []).map(UkrainianText.normalize),
            bylineNames: body.authors.map { $0.map(UkrainianText.normalize) })
    }

    /// A story as the Admin API writes it: every field, its version, and its body in the shape it is sent in.
    private func admin(_ article: Article?) async throws -> Components.Schemas.AdminArticle {
        guard let article else { throw NewsroomError.notFound }
        let detail = try await web.articles.detail(of: article, now: web.settings.clock())
        return Components.Schemas.AdminArticle(
            id: article.id ?? 0, slug: article.slug,
            url: web.settings.baseURL + SiteURL.article(slug: article.slug).path,
            title: article.title, lede: article.lede, teaser: article.teaser, seoTitle: article.seoTitle,
            seoDescription: article.seoDescription, status: Self.status(article.status), version: article.version,
            rubric: detail.rubric?.slug, tags: detail.tags.map(\.name), authors: detail.bylines.map(\.name),
            coverId: article.coverMediaID, featured: article.featured, breaking: article.breaking,
            editorialNote: article.editorialNote, blocks: article.body.map(Self.input),
            publishedAt: article.publishedAt,
            createdAt: article.createdAt, updatedAt: article.updatedAt)
    }

    /// The document's limits on a story's fields, which the generated code reads but does not check: lengths in
    /// code points, as JSON Schema counts them, and the slugs' pattern. A body outside them is a 400 naming the
    /// field; the newsroom's own rules (safe links, a taken slug, a missing photo) come after.
    static func check(_ body: Components.Schemas.ArticleInput) throws {
        func length(_ text: String?, _ range: ClosedRange<Int>, _ field: String) throws {
            guard let text else { return }
            guard range.contains(text.unicodeScalars.count) else { throw APIError.parameter(field) }
        }
        func visible(_ text: String, _ field: String) throws {
            guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
                throw APIError.parameter(field)
            }
        }
        try length(body.title, 1...300, "title")
        try visible(body.title, "title")
        if let slug = body.slug, !Slug.isValid(slug) { throw APIError.parameter("slug") }
        if let rubric = body.rubric, !Slug.isValid(rubric) { throw APIError.parameter("rubric") }
        try length(body.lede, 0...3000, "lede")
        try length(body.teaser, 0...600, "teaser")
        try length(body.seoTitle, 0...120, "seo_title")
        try length(body.seoDescription, 0...300, "seo_description")
        try length(body.editorialNote, 0...5000, "editorial_note")
        guard (body.tags ?? []).count <= 30, (body.authors ?? []).count <= 10, (body.blocks ?? []).count <= 400
        else { throw APIError.parameter("tags, authors, blocks") }
        for tag in body.tags ?? [] {
            try length(tag, 1...100, "tags")
            try visible(tag, "tags")
        }
        for author in body.authors ?? [] {
            try length(author, 1...200, "authors")
            try visible(author, "authors")
        }
        if let cover = body.coverId, cover < 1 { throw APIError.parameter("cover_id") }
        func spans(_ spans: [Components.Schemas.Span]) throws {
            for span in spans {
                try length(span.text, 0...20000, "blocks")
                // What a link may be is the newsroom's rule (a 422 naming the body), as in the editor.
                try length(span.link, 0...2000, "blocks")
            }
        }
        for block in body.blocks ?? [] {
            switch block {
            case .paragraph(let paragraph): try spans(paragraph.spans)
            case .list(let list): for item in list.items { try spans(item) }
            case .embed(let embed): try length(embed.url, 0...2000, "blocks")
            case .image(let image):
                guard image.mediaId >= 1 else { throw APIError.parameter("blocks") }
                try length(image.caption, 0...2000, "blocks")
                try length(image.credit, 0...300, "blocks")
            case .readAlso(let readAlso):
                guard readAlso.articleId >= 1 else { throw APIError.parameter("blocks") }
            case .raw(let raw): try length(raw.html, 0...ArticleValidation.maxRawHTML, "blocks")
            case .heading, .quote: break
            }
        }
    }

    static func status(_ status: ArticleStatus) -> Components.Schemas.Status {
        Components.Schemas.Status(rawValue: status.rawValue) ?? .draft
    }

    private static func optional(_ text: String?) -> String? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A request's body in one spelling (keys sorted), for its idempotency hash.
    private static var canonical: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func block(_ input: Components.Schemas.BlockInput) -> Block {
        switch input {
        case .paragraph(let block): .paragraph(spans: block.spans.map(span))
        case .heading(let block): .heading(text: block.text)
        case .quote(let block): .quote(text: block.text, attribution: block.attribution)
        case .image(let block): .image(mediaID: block.mediaId, caption: block.caption, credit: block.credit)
        case .embed(let block): .embed(url: block.url)
        case .list(let block): .list(ordered: block.ordered, items: block.items.map { $0.map(span) })
        case .readAlso(let block): .readAlso(articleID: block.articleId)
        case .raw(let block): .raw(html: block.html)
        }
    }

    static func span(_ input: Components.Schemas.Span) -> Span {
        Span(input.text, bold: input.bold ?? false, italic: input.italic ?? false, link: input.link)
    }

    static func input(_ block: Block) -> Components.Schemas.BlockInput {
        let span = { (span: Span) in
            Components.Schemas.Span(
                text: span.text, bold: span.bold ? true : nil, italic: span.italic ? true : nil, link: span.link)
        }
        switch block {
        case .paragraph(let spans): return .paragraph(.init(_type: .paragraph, spans: spans.map(span)))
        case .heading(let text): return .heading(.init(_type: .heading, text: text))
        case .quote(let text, let attribution):
            return .quote(.init(_type: .quote, text: text, attribution: attribution))
        case .image(let id, let caption, let credit):
            return .image(.init(_type: .image, mediaId: id, caption: caption, credit: credit))
        case .embed(let url): return .embed(.init(_type: .embed, url: url))
        case .list(let ordered, let items):
            return .list(.init(_type: .list, ordered: ordered, items: items.map { $0.map(span) }))
        case .readAlso(let id): return .readAlso(.init(_type: .readAlso, articleId: id))
        case .raw(let html): return .raw(.init(_type: .raw, html: html))
        }
    }
}
