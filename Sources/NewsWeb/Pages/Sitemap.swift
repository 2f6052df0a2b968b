import Foundation
import NIOCore
import NewsCore
import NewsData

/// The sitemaps: an index, stories in parts of 50,000, rubric, tag and author pages, and Google News's sitemap of
/// the last 48 hours. Written as XML directly (they are data, not a theme's design), from one query each.
enum Sitemap {
    /// Addresses in one sitemap file (the protocol's limit).
    static let partSize = 50_000
    /// Stories in one Google News sitemap file (Google's limit), and how far back it reaches.
    static let newsPartSize = 1_000
    static let newsWindow: TimeInterval = 48 * 3600

    struct Document {
        var body: ByteBuffer
        /// When it stops being true without a change (a story leaving the 48 hours).
        var expires: Date?
    }

    static func index(web: WebEnvironment, now: Date) async throws -> Document {
        let repository = SitemapRepository(database: web.database)
        let stories = try await repository.publishedCount(now: now)
        let news = try await repository.newsCount(since: now.addingTimeInterval(-newsWindow), now: now)
        var parts: [SiteURL] = [.sitemapNews]
        parts += (2..<max(2, (news + newsPartSize - 1) / newsPartSize + 1)).map { .sitemap(.news($0)) }
        parts += (1...max(1, (stories + partSize - 1) / partSize)).map { .sitemap(.articles($0)) }
        parts += [.sitemap(.rubrics), .sitemap(.tags), .sitemap(.authors)]
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"# + "\n"
        for part in parts {
            xml += "<sitemap><loc>\(XMLText.escaped(web.settings.baseURL + part.path))</loc></sitemap>\n"
        }
        xml += "</sitemapindex>\n"
        return Document(body: ByteBuffer(string: xml))
    }

    /// A part the index lists; `nil` for a part beyond the last.
    static func part(_ part: SiteURL.SitemapPart, web: WebEnvironment, now: Date) async throws -> Document? {
        let repository = SitemapRepository(database: web.database)
        let base = web.settings.baseURL
        let dates = web.dates
        switch part {
        case .articles(let number):
            let entries = try await repository.articles(offset: (number - 1) * partSize, limit: partSize, now: now)
            guard number == 1 || !entries.isEmpty else { return nil }
            return Document(
                body: urlset(
                    entries.map { entry in
                        URLEntry(
                            loc: base + SiteURL.article(slug: entry.slug).path,
                            lastmod: (entry.updatedAt ?? entry.publishedAt).map(dates.isoString),
                            image: entry.coverFile.map { base + SiteURL.media(file: $0).path })
                    }))
        case .news(let number):
            guard number >= 2 else { return nil }
            let document = try await news(offset: (number - 1) * newsPartSize, web: web, now: now)
            return document.isEmpty ? nil : document.document
        case .rubrics, .tags, .authors:
            let kind: SitemapRepository.ListingKind =
                part == .rubrics ? .rubrics : part == .tags ? .tags : .authors
            let entries = try await repository.listings(kind, now: now)
            return Document(
                body: urlset(
                    entries.map { entry in
                        let url: SiteURL =
                            switch kind {
                            case .rubrics: .rubric(slug: entry.slug)
                            case .tags: .tag(slug: entry.slug)
                            case .authors: .author(slug: entry.slug)
                            }
                        return URLEntry(
                            loc: base + url.path, lastmod: entry.publishedAt.map(dates.isoString), image: nil)
                    }))
        }
    }

    /// Google News's sitemap: stories of the last 48 hours, newest first, `newsPartSize` from `offset`.
    static func news(offset: Int, web: WebEnvironment, now: Date) async throws -> (document: Document, isEmpty: Bool) {
        let since = now.addingTimeInterval(-newsWindow)
        let entries = try await SitemapRepository(database: web.database).news(
            since: since, now: now, offset: offset, limit: newsPartSize)
        let site = try await web.site()
        let base = web.settings.baseURL
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml +=
            #"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">"#
            + "\n"
        for entry in entries {
            xml += "<url><loc>\(XMLText.escaped(base + SiteURL.article(slug: entry.slug).path))</loc><news:news>"
            xml += "<news:publication><news:name>\(XMLText.escaped(site.newsName))</news:name>"
            xml += "<news:language>\(XMLText.escaped(web.settings.language))</news:language></news:publication>"
            if let published = entry.publishedAt {
                xml += "<news:publication_date>\(web.dates.isoString(published))</news:publication_date>"
            }
            xml += "<news:title>\(XMLText.escaped(entry.title))</news:title></news:news></url>\n"
        }
        xml += "</urlset>\n"
        // The oldest story listed leaves when its 48 hours are over.
        let expires = entries.last?.publishedAt.map { $0.addingTimeInterval(newsWindow) }
        return (Document(body: ByteBuffer(string: xml), expires: expires), entries.isEmpty)
    }

    struct URLEntry {
        var loc: String
        var lastmod: String?
        var image: String?
    }

    static func urlset(_ entries: [URLEntry]) -> ByteBuffer {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml +=
            #"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">"#
            + "\n"
        var buffer = ByteBuffer(string: xml)
        for entry in entries {
            var line = "<url><loc>\(XMLText.escaped(entry.loc))</loc>"
            if let lastmod = entry.lastmod { line += "<lastmod>\(lastmod)</lastmod>" }
            if let image = entry.image {
                line += "<image:image><image:loc>\(XMLText.escaped(image))</image:loc></image:image>"
            }
            buffer.writeString(line + "</url>\n")
        }
        buffer.writeString("</urlset>\n")
        return buffer
    }
}
