import Foundation
import NewsCore
import Templates

extension ArticlePage {
    /// What search engines and social networks read: JSON-LD `NewsArticle` (every byline a `Person` with its
    /// page, dates with their offset, the section, the cover photo with its credit, the publisher) with the
    /// `BreadcrumbList` home › rubrics (the top one first) › story; and the Open Graph and Twitter card of the page.
    func structuredData(theme: Theme, settings: AppSettings, dates: NewsDateFormatter) -> TemplateValue {
        let base = settings.baseURL
        let canonical = base + SiteURL.article(slug: article.slug).path
        let published = article.publishedAt ?? article.createdAt
        let images =
            detail.cover.map { StructuredData.images($0, settings: settings) }
            ?? [StructuredData.defaultImage(site: site, settings: settings, theme: theme)]
        // Social networks take one picture: the widest crop.
        let image = images[0]
        var news: TemplateValue = [
            "@type": "NewsArticle", "headline": .string(article.title), "description": .string(description),
            "mainEntityOfPage": ["@type": "WebPage", "@id": .string(canonical)], "url": .string(canonical),
            "datePublished": .string(dates.isoString(published)),
            "inLanguage": .string(theme.localization.language),
            "author": .list(
                detail.bylines.map { author in
                    [
                        "@type": "Person", "name": .string(author.name),
                        "url": .string(base + SiteURL.author(slug: author.slug).path),
                    ]
                }),
            "image": .list(images),
            "publisher": StructuredData.organization(site: site, settings: settings, theme: theme),
        ]
        // "Updated" only for a real edit after publication, as the page shows it.
        var modified: String?
        if article.updatedAt.timeIntervalSince(published) > 60 {
            modified = dates.isoString(article.updatedAt)
            news["dateModified"] = .string(modified!)
        }
        if let rubric = detail.rubric { news["articleSection"] = .string(rubric.name) }
        if !detail.tags.isEmpty { news["keywords"] = .list(detail.tags.map { .string($0.name) }) }
        var crumbs: [(String, String)] = [(site.name, base + "/")]
        if let rubric = detail.rubric {
            for step in site.tree.ancestors(of: rubric) + [rubric] {
                crumbs.append((step.name, base + SiteURL.rubric(slug: step.slug).path))
            }
        }
        crumbs.append((article.title, canonical))
        let breadcrumbs: TemplateValue = [
            "@type": "BreadcrumbList",
            "itemListElement": .list(
                crumbs.enumerated().map { index, crumb in
                    [
                        "@type": "ListItem", "position": .int(index + 1), "name": .string(crumb.0),
                        "item": .string(crumb.1),
                    ]
                }),
        ]
        var social: TemplateValue = [
            "jsonLD": .string(
                StructuredData.script(["@context": "https://schema.org", "@graph": [news, breadcrumbs]])),
            "image": image["url"] ?? "", "imageWidth": image["width"] ?? 0, "imageHeight": image["height"] ?? 0,
            "published": .string(dates.isoString(published)),
        ]
        if let rubric = detail.rubric { social["section"] = .string(rubric.name) }
        if let modified { social["modified"] = .string(modified) }
        if let cover = detail.cover, !cover.alt.isEmpty { social["imageAlt"] = .string(cover.alt) }
        social["share"] = share(url: canonical, title: article.title, t: theme.localization)
        return social
    }

    /// Plain links to share the story, no third-party script: Facebook, Telegram, X, Viber, WhatsApp, and the
    /// address itself (the page's script copies it).
    func share(url: String, title: String, t: Localization) -> TemplateValue {
        let u = Self.queryEncoded(url)
        let text = Self.queryEncoded(title)
        let links: [(String, String)] = [
            ("facebook", "https://www.facebook.com/sharer/sharer.php?u=\(u)"),
            ("telegram", "https://t.me/share/url?url=\(u)&text=\(text)"),
            ("x", "https://x.com/intent/post?url=\(u)&text=\(text)"),
            ("viber", "viber://forward?text=\(text)%20\(u)"),
            ("whatsapp", "https://wa.me/?text=\(text)%20\(u)"),
        ]
        return [
            "links": .list(
                links.map { name, href in
                    ["name": .string(name), "label": .string(t["share_" + name]), "url": .string(href)]
                }),
            "copy": ["url": .string(url), "label": .string(t["share_copy"]), "done": .string(t["share_copied"])],
        ]
    }

    /// `text` percent-encoded for a query value (unreserved characters kept).
    static func queryEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
