import Foundation
import NewsCore
import Templates

extension RSSFeed {
    /// What `feeds/rss` reads. Every text goes through ``XMLText/clean(_:)``; the templates escape the rest.
    func view(theme: Theme, settings: AppSettings) -> TemplateValue {
        var view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        view.mediaBase = settings.baseURL
        let base = settings.baseURL
        let channelTitle = subject.isNews ? site.name : site.name + " — " + subject.title(view.t)
        // The newest change among the items, not the moment of rendering: the same feed keeps the same bytes.
        let built = items.map { $0.article.updatedAt }.max() ?? now
        var channel: TemplateValue = [
            "title": .string(XMLText.clean(channelTitle)),
            "link": .string(base + (subject.isNews ? SiteURL.home : subject.base).path),
            "self": .string(base + url.path),
            "description": .string(XMLText.clean(channelTitle)), "language": .string(view.t.language),
            "lastBuildDate": .string(view.dates.rfc822(built)),
        ]
        channel["items"] = .list(items.map { item(for: $0, view: view, theme: theme, base: base) })
        return ["channel": channel]
    }

    private func item(for detail: ArticleDetail, view: ViewBuilder, theme: Theme, base: String) -> TemplateValue {
        let article = detail.article
        let link = base + SiteURL.article(slug: article.slug).path
        var item: TemplateValue = [
            "title": .string(XMLText.clean(article.title)), "link": .string(link),
            // The story's number, not its address: the address changes with the slug, the item must not.
            "guid": .string(base + "/#article-\(article.id ?? 0)"),
            "pubDate": .string(view.dates.rfc822(article.publishedAt ?? article.createdAt)),
            "description": .string(XMLText.clean(article.summaryText)),
            "creators": .list(detail.bylines.map { .string(XMLText.clean($0.name)) }),
            "categories": .list(
                ((detail.rubric.map { [$0.name] } ?? []) + detail.tags.map(\.name)).map { .string(XMLText.clean($0)) }),
        ]
        if fullText {
            let body = theme.render("partials/blocks", view.article(detail).merging(["t": view.t.uiValue]))
            item["content"] = .string(XMLText.clean(body))
        }
        if let cover = detail.cover {
            var media: TemplateValue = [
                "url": .string(base + SiteURL.media(file: cover.file).path), "type": .string(cover.mimeType),
                "width": .int(cover.width), "height": .int(cover.height),
            ]
            if let credit = cover.credit, !credit.isEmpty { media["credit"] = .string(XMLText.clean(credit)) }
            let caption = cover.caption ?? cover.alt
            if !caption.isEmpty { media["caption"] = .string(XMLText.clean(caption)) }
            item["media"] = media
        }
        return item
    }
}

extension ListingPage.Subject {
    var isNews: Bool {
        if case .news = self { return true }
        return false
    }
}

extension TemplateValue {
    /// This object with `other`'s members added (an object's own members win).
    func merging(_ other: TemplateValue) -> TemplateValue {
        guard case .object(var members) = self, case .object(let more) = other else { return self }
        for key in more.names where members[key] == nil { members[key] = more[key] }
        return .object(members)
    }
}
