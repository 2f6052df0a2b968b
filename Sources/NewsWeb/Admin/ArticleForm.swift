import Foundation
import NewsCore
import NewsData
import Templates

/// The editor's form: reading posted fields into an `Article`, and an article back into form values.
struct ArticleForm: Decodable, Sendable {
    /// The values as posted (kept verbatim so a refused form shows exactly what was typed).
    var title = ""
    var slug = ""
    var lede = ""
    var teaser = ""
    var rubric = ""
    var tags = ""
    var bylines = ""
    /// The stories pinned to "Читайте також": their addresses (or ids), one a line or separated by commas.
    var related = ""
    var coverMedia = ""
    var featured = false
    var breaking = false
    var seoTitle = ""
    var seoDescription = ""
    var note = ""
    var bodyJSON = "[]"
    var version = 0
    var lock = ""
    /// A random id of a "new article" form, so that posting it twice creates one draft, not two.
    var formID = ""

    init() {}

    /// Reads a posted form (every field may be missing: an empty value then).
    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: Field.self)
        func text(_ field: Field) throws -> String { try fields.decodeIfPresent(String.self, forKey: field) ?? "" }
        title = try text(.title)
        slug = try text(.slug).trimmingCharacters(in: .whitespaces)
        lede = try text(.lede)
        teaser = try text(.teaser)
        rubric = try text(.rubric)
        tags = try text(.tags)
        bylines = try text(.bylines)
        related = try text(.related)
        coverMedia = try text(.coverMedia)
        featured = try text(.featured) == "on"
        breaking = try text(.breaking) == "on"
        seoTitle = try text(.seoTitle)
        seoDescription = try text(.seoDescription)
        note = try text(.note)
        let body = try text(.body)
        bodyJSON = body.isEmpty ? "[]" : body
        version = Int(try text(.version)) ?? 0
        lock = try text(.lock)
        formID = String(try text(.formID).prefix(64)).filter {
            $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_"
        }
    }

    /// The names of the editor's form fields.
    private enum Field: String, CodingKey {
        case title, slug, lede, teaser, rubric, tags, bylines, related, featured, breaking, note, body, version, lock
        case coverMedia = "cover_media"
        case seoTitle = "seo_title"
        case seoDescription = "seo_description"
        case formID = "form_id"
    }

    /// The form values of a stored article.
    init(article: Article, rubrics: [Rubric], tags: [Tag], bylines: [Author]) {
        self.init(article: article, rubrics: rubrics, tagNames: tags.map(\.name), bylineNames: bylines.map(\.name))
    }

    /// The form values of an article with its tags and bylines by name (an autosave keeps them as typed).
    init(article: Article, rubrics: [Rubric], tagNames: [String], bylineNames: [String]) {
        title = article.title
        slug = article.slug
        lede = article.lede
        teaser = article.teaser ?? ""
        rubric = rubrics.first { $0.id == article.rubricID }?.slug ?? ""
        tags = tagNames.joined(separator: ", ")
        bylines = bylineNames.joined(separator: ", ")
        coverMedia = article.coverMediaID.map(String.init) ?? ""
        featured = article.featured
        breaking = article.breaking
        seoTitle = article.seoTitle ?? ""
        seoDescription = article.seoDescription ?? ""
        note = article.editorialNote ?? ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        bodyJSON = (try? encoder.encode(article.body)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        version = article.version
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The edit these values describe: tags and bylines stay names, resolved (new ones added) only by the
    /// newsroom's write that stores them; fields that cannot be read become field errors. Writes nothing.
    func article(base: Article?, web: WebEnvironment) async throws -> (ArticleEdit, [FieldError]) {
        var errors: [FieldError] = []
        var article = base ?? Article(slug: "", title: "")
        article.title = UkrainianText.normalize(title)
        let cleanSlug = slug.isEmpty ? Slug.make(from: article.title, maxLength: 120) : slug
        article.slug = cleanSlug
        article.lede = lede.trimmingCharacters(in: .whitespacesAndNewlines)
        article.teaser = Self.optional(teaser)
        article.seoTitle = Self.optional(seoTitle)
        article.seoDescription = Self.optional(seoDescription)
        article.editorialNote = Self.optional(note)
        article.featured = featured
        article.breaking = breaking
        if rubric.isEmpty {
            article.rubricID = nil
        } else if let found = try await web.rubrics.find(slug: rubric) {
            article.rubricID = found.id
        } else {
            errors.append(FieldError(field: "rubric", key: "error_missing_reference"))
        }
        if coverMedia.isEmpty {
            article.coverMediaID = nil
        } else if let id = Int64(coverMedia) {
            article.coverMediaID = id
        } else {
            errors.append(FieldError(field: "cover_media", key: "error_missing_media"))
        }
        do {
            article.body = try Block.decodeBody(bodyJSON)
        } catch {
            errors.append(FieldError(field: "body", key: "error_body_unreadable"))
        }
        let tagNames = Self.list(tags)
        let bylineNames = Self.list(bylines)
        if tagNames.count > 30 { errors.append(FieldError(field: "tags", key: "error_too_many")) }
        let (pins, pinErrors) = try await pinnedStories(web: web)
        article.pinnedRelated = pins.isEmpty ? nil : pins
        errors += pinErrors
        if bylineNames.count > 10 { errors.append(FieldError(field: "bylines", key: "error_too_many")) }
        return (ArticleEdit(article, tagNames: tagNames, bylineNames: bylineNames), errors)
    }

    /// The pinned stories' ids, read from their addresses ("/news/slug", the whole URL, an old address that now
    /// redirects, or an id), in the order given, each once.
    private func pinnedStories(web: WebEnvironment) async throws -> ([Int64], [FieldError]) {
        let items = related.split(whereSeparator: { $0 == "," || $0.isNewline }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        guard !items.isEmpty else { return ([], []) }
        guard items.count <= ArticleValidation.maxPinnedRelated else {
            return ([], [FieldError(field: "related", key: "error_related_too_many")])
        }
        var ids: [Int64] = []
        for item in items {
            if let id = Int64(item) {
                ids.append(id)
                continue
            }
            let slug = Self.slug(fromAddress: item)
            if let id = try await web.articles.ids(slugs: [slug])[slug] {
                ids.append(id)
            } else if let current = try await web.newsroom.redirect(from: slug),
                let id = try await web.articles.ids(slugs: [current])[current]
            {
                ids.append(id)
            } else {
                return ([], [FieldError(field: "related", key: "error_related_unknown")])
            }
        }
        var seen = Set<Int64>()
        return (ids.filter { seen.insert($0).inserted }, [])
    }

    /// The slug in a story's address: the last segment of its path ("https://site/news/slug?x#y" → "slug").
    static func slug(fromAddress address: String) -> String {
        var path = Substring(address)
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        return String(path.split(separator: "/").last ?? "")
    }

    private static func optional(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The values for the editor template.
    func viewData() -> TemplateValue {
        [
            "title": .string(title), "slug": .string(slug), "lede": .string(lede), "teaser": .string(teaser),
            "tags": .string(tags), "bylines": .string(bylines), "related": .string(related),
            "coverMediaID": .string(coverMedia),
            "featured": .bool(featured), "breaking": .bool(breaking), "seoTitle": .string(seoTitle),
            "seoDescription": .string(seoDescription), "note": .string(note), "bodyJSON": .string(bodyJSON),
            "version": .int(version), "formID": .string(formID),
        ]
    }
}
