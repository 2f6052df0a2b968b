import Foundation
import NewsCore
import Templates

extension ArticlePage {
    /// What search engines and social networks read: JSON-LD `NewsArticle` (every byline a `Person` with its
    /// page, dates with their offset, the section, the cover photo with its credit, the publisher) with the
    /// `BreadcrumbList` home › rubric › story; and the Open Graph and Twitter card of the page.
    func structuredData(theme: Theme, settings: AppSettings, dates: NewsDateFormatter) -> TemplateValue {
        let base = settings.baseURL
        let canonical = base + SiteURL.article(slug: article.slug).path
        let published = article.publishedAt ?? article.createdAt
        let image =
            detail.cover.map { StructuredData.image($0, settings: settings) }
            ?? StructuredData.defaultImage(site: site, settings: settings, theme: theme)
        var news: [String: Any] = [
            "@type": "NewsArticle", "headline": article.title, "description": description,
            "mainEntityOfPage": ["@type": "WebPage", "@id": canonical], "url": canonical,
            "datePublished": dates.isoString(published), "inLanguage": theme.localization.language,
            "author": detail.bylines.map { author in
                ["@type": "Person", "name": author.name, "url": base + SiteURL.author(slug: author.slug).path]
            },
            "image": [image],
            "publisher": StructuredData.organization(site: site, settings: settings, theme: theme),
        ]
        // "Updated" only for a real edit after publication, as the page shows it.
        if article.updatedAt.timeIntervalSince(published) > 60 {
            news["dateModified"] = dates.isoString(article.updatedAt)
        }
        if let rubric = detail.rubric { news["articleSection"] = rubric.name }
        if !detail.tags.isEmpty { news["keywords"] = detail.tags.map(\.name) }
        var crumbs: [[String: Any]] = [["name": site.name, "item": base + "/"]]
        if let rubric = detail.rubric {
            crumbs.append(["name": rubric.name, "item": base + SiteURL.rubric(slug: rubric.slug).path])
        }
        crumbs.append(["name": article.title, "item": canonical])
        let breadcrumbs: [String: Any] = [
            "@type": "BreadcrumbList",
            "itemListElement": crumbs.enumerated().map { index, crumb in
                crumb.merging(["@type": "ListItem", "position": index + 1]) { own, _ in own }
            },
        ]
        var social: TemplateValue = [
            "jsonLD": .string(
                StructuredData.script(["@context": "https://schema.org", "@graph": [news, breadcrumbs]])),
            "image": .string(image["url"] as? String ?? ""), "imageWidth": .int(image["width"] as? Int ?? 0),
            "imageHeight": .int(image["height"] as? Int ?? 0),
            "published": .string(dates.isoString(published)),
        ]
        if let rubric = detail.rubric { social["section"] = .string(rubric.name) }
        if let modified = news["dateModified"] as? String { social["modified"] = .string(modified) }
        if let cover = detail.cover, !cover.alt.isEmpty { social["imageAlt"] = .string(cover.alt) }
        social["share"] = share(url: canonical, title: article.title, t: theme.localization)
        return social
    }

    /// Plain links to share the story, no third-party script: Facebook, Telegram, X, Viber, WhatsApp, and the
    /// address itself (the page's script copies it).
    func share(url: String, title: String, t: Localization) -> TemplateValue {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let u = url.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        let text = title.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
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
}
