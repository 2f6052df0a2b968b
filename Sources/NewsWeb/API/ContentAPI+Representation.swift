import Foundation
import NewsCore
import Templates

/// How the Content API writes the site's stories, photos, rubrics, tags and authors: absolute addresses, every
/// photo with its credit, a story's body as typed blocks and as the HTML the site renders.
struct APIRepresentation: Sendable {
    /// The site's address, before every path.
    let base: String
    /// What to embed: rubric, tags, authors and body.
    let include: Set<Components.Parameters.IncludePayload>
    /// The story fields asked for; nil for all of them.
    let fields: Set<Components.Schemas.ArticleField>?
    /// Renders a body's blocks as HTML (the theme's `partials/blocks`), when the body is asked for.
    let html: @Sendable (ArticleDetail) -> String
    /// Every rubric's slug by id: a rubric names the one it sits under by slug.
    var rubricSlugs: [Int64: String]

    func url(_ route: SiteURL) -> String { base + route.path }

    func photo(_ media: Media, caption: String? = nil, credit: String? = nil) -> Components.Schemas.Photo {
        Components.Schemas.Photo(
            id: media.id ?? 0, url: url(.media(file: media.file)), mimeType: media.mimeType, width: media.width,
            height: media.height, alt: media.alt, caption: caption ?? media.caption,
            credit: credit ?? media.credit ?? "", creditUrl: media.creditURL, colour: media.colour,
            focus: .init(x: media.focus.x, y: media.focus.y))
    }

    func rubric(_ rubric: Rubric) -> Components.Schemas.Rubric {
        Components.Schemas.Rubric(
            id: rubric.id ?? 0, slug: rubric.slug, name: rubric.name, url: url(.rubric(slug: rubric.slug)),
            position: rubric.position, parent: rubric.parentID.flatMap { rubricSlugs[$0] },
            description: rubric.description.isEmpty ? nil : rubric.description)
    }

    func tag(_ tag: Tag) -> Components.Schemas.Tag {
        Components.Schemas.Tag(id: tag.id ?? 0, slug: tag.slug, name: tag.name, url: url(.tag(slug: tag.slug)))
    }

    func author(_ author: Author, photo: Media? = nil) -> Components.Schemas.Author {
        Components.Schemas.Author(
            id: author.id ?? 0, slug: author.slug, name: author.name, url: url(.author(slug: author.slug)),
            bio: author.bio.flatMap { $0.isEmpty ? nil : $0 }, photo: photo.map { self.photo($0) })
    }

    /// A story as `fields` and `include` ask; `withBody` for one story, which always comes with its body.
    func article(_ detail: ArticleDetail, withBody: Bool = false) -> Components.Schemas.Article {
        let article = detail.article
        let wanted = { (field: Components.Schemas.ArticleField) in fields?.contains(field) ?? true }
        var out = Components.Schemas.Article(id: article.id ?? 0)
        if wanted(.slug) { out.slug = article.slug }
        if wanted(.url) { out.url = url(.article(slug: article.slug)) }
        if wanted(.title) { out.title = article.title }
        if wanted(.lede) { out.lede = article.lede }
        if wanted(.teaser) { out.teaser = article.summaryText }
        if wanted(.seoTitle) { out.seoTitle = article.seoTitle.flatMap { $0.isEmpty ? nil : $0 } }
        if wanted(.seoDescription) { out.seoDescription = article.seoDescription.flatMap { $0.isEmpty ? nil : $0 } }
        if wanted(.publishedAt) { out.publishedAt = article.publishedAt }
        if wanted(.updatedAt) { out.updatedAt = article.updatedAt }
        if wanted(.featured) { out.featured = article.featured }
        if wanted(.breaking) { out.breaking = article.breaking }
        if wanted(.rubricId) { out.rubricId = article.rubricID }
        if wanted(.tagIds) { out.tagIds = article.tagIDs }
        if wanted(.authorIds) { out.authorIds = article.bylineIDs }
        if wanted(.cover) { out.cover = detail.cover.map { photo($0) } }
        if include.contains(.rubric), wanted(.rubric) { out.rubric = detail.rubric.map(rubric) }
        if include.contains(.tags), wanted(.tags) { out.tags = detail.tags.map(tag) }
        if include.contains(.authors), wanted(.authors) { out.authors = detail.bylines.map { author($0) } }
        if withBody || include.contains(.body) {
            if wanted(.blocks) { out.blocks = article.body.compactMap { block($0, in: detail) } }
            if wanted(.html) { out.html = html(detail) }
        }
        if wanted(.corrections), let corrections = article.corrections, !corrections.isEmpty {
            out.corrections = corrections.map { Components.Schemas.Correction(at: $0.at, text: $0.text) }
        }
        return out
    }

    /// A body block; nil for a photo or a "read also" story a reader cannot see (the page leaves them out too).
    func block(_ block: Block, in detail: ArticleDetail) -> Components.Schemas.Block? {
        switch block {
        case .paragraph(let spans):
            return .paragraph(.init(_type: .paragraph, spans: spans.map(span)))
        case .heading(let text):
            return .heading(.init(_type: .heading, text: text))
        case .quote(let text, let attribution):
            return .quote(.init(_type: .quote, text: text, attribution: attribution))
        case .image(let mediaID, let caption, let credit):
            guard let media = detail.media[mediaID] else { return nil }
            return .image(
                .init(
                    _type: .image, photo: photo(media, caption: caption, credit: credit), caption: caption,
                    credit: credit))
        case .embed(let address):
            return .embed(.init(_type: .embed, url: address))
        case .list(let ordered, let items):
            return .list(.init(_type: .list, ordered: ordered, items: items.map { $0.map(span) }))
        case .readAlso(let articleID):
            guard let related = detail.related[articleID] else { return nil }
            return .readAlso(
                .init(
                    _type: .readAlso, articleId: articleID, title: related.title,
                    url: url(.article(slug: related.slug))))
        case .raw(let html):
            return .raw(.init(_type: .raw, html: html))
        }
    }

    func span(_ span: Span) -> Components.Schemas.Span {
        Components.Schemas.Span(
            text: span.text, bold: span.bold ? true : nil, italic: span.italic ? true : nil, link: span.link)
    }
}
