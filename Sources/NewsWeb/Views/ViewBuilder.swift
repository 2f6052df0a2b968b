import Foundation
import NewsCore
import NewsData

/// Turns domain values into the plain dictionaries the theme's templates read. One per request (it
/// holds the request's "now"). Templates never query and this never writes HTML.
struct ViewBuilder {
    let theme: Theme
    let settings: AppSettings
    let site: SiteInfo
    let now: Date
    let dates: NewsDateFormatter

    init(theme: Theme, settings: AppSettings, site: SiteInfo, now: Date) {
        self.theme = theme
        self.settings = settings
        self.site = site
        self.now = now
        self.dates = NewsDateFormatter(timeZone: settings.timeZone, monthsGenitive: theme.localization.monthsGenitive)
    }

    var t: Localization { theme.localization }

    /// The keys every full page has: language, texts, site, navigation, page meta, assets.
    func root(
        title: String?, description: String? = nil, path: String, next: String? = nil, currentRubric: String? = nil
    )
        -> [String: Any]
    {
        var page: [String: Any] = [
            "title": title.map { $0 + t["site_title_separator"] + site.name } ?? site.name,
            "canonical": settings.baseURL + path,
        ]
        if let description, !description.isEmpty { page["description"] = description }
        if let next { page["next"] = next }
        var siteData: [String: Any] = [
            "name": site.name, "url": settings.baseURL + "/",
            "year": Calendar.kyiv(settings.timeZone).component(.year, from: now),
        ]
        if let cta = site.cta { siteData["cta"] = ["text": cta.text, "url": cta.url] }
        return [
            "lang": t.language,
            "t": t.ui,
            "site": siteData,
            "nav": site.rubrics.map { rubric -> [String: Any] in
                [
                    "name": rubric.name, "url": SiteURL.rubric(slug: rubric.slug).path,
                    "current": rubric.slug == currentRubric,
                ]
            },
            "page": page,
            "searchURL": SiteURL.search.path,
            "assets": [
                "css": theme.assetURL("site.css"), "js": theme.assetURL("site.js"),
                "icon": theme.assetURL("favicon.svg"), "admincss": theme.assetURL("admin.css"),
                "adminjs": theme.assetURL("admin.js"), "editorjs": theme.assetURL("editor.js"),
            ],
        ]
    }

    func date(_ date: Date, feed: Bool) -> [String: Any] {
        ["iso": dates.isoString(date), "text": feed ? dates.feedDate(date, now: now) : dates.articleDate(date)]
    }

    func media(_ media: Media, caption: String? = nil, credit: String? = nil) -> [String: Any] {
        var data: [String: Any] = [
            "src": SiteURL.media(file: media.file).path, "width": media.width, "height": media.height, "alt": media.alt,
        ]
        if let caption = nonEmpty(caption) ?? nonEmpty(media.caption) { data["caption"] = caption }
        if let credit = nonEmpty(credit) ?? nonEmpty(media.credit) { data["credit"] = credit }
        if let url = nonEmpty(media.creditURL), Span.isSafeLink(url) { data["creditURL"] = url }
        return data
    }

    func rubricLink(_ rubric: Rubric) -> [String: Any] {
        ["name": rubric.name, "url": SiteURL.rubric(slug: rubric.slug).path]
    }

    func summary(_ item: ArticleSummary) -> [String: Any] {
        var data: [String: Any] = [
            "title": item.title, "url": SiteURL.article(slug: item.slug).path, "teaser": item.teaser,
            "date": date(item.publishedAt, feed: true), "breaking": item.breaking, "featured": item.featured,
        ]
        if let rubric = item.rubric { data["rubric"] = rubricLink(rubric) }
        if let cover = item.cover { data["photo"] = media(cover) }
        return data
    }

    /// A feed: its items and, when there is more, the "show more" link for `base`.
    func feed(_ page: FeedPage, base: SiteURL) -> [String: Any] {
        var data: [String: Any] = ["items": page.items.map(summary), "empty": page.items.isEmpty]
        if let next = page.next {
            data["more"] = ["url": base.path(after: next), "fragmentURL": base.path(after: next, partial: true)]
        }
        return data
    }

    func article(_ detail: ArticleDetail) -> [String: Any] {
        let article = detail.article
        let published = article.publishedAt ?? article.createdAt
        var data: [String: Any] = [
            "title": article.title, "url": SiteURL.article(slug: article.slug).path, "lede": article.lede,
            "published": date(published, feed: false), "breaking": article.breaking,
            "blocks": article.body.compactMap { block(for: $0, detail: detail) },
            "bylinesLabel": detail.bylines.count > 1 ? t["byline_many"] : t["byline_one"],
            "bylines": detail.bylines.map { ["name": $0.name, "url": SiteURL.author(slug: $0.slug).path] },
            "tags": detail.tags.map { ["name": $0.name, "url": SiteURL.tag(slug: $0.slug).path] },
        ]
        // "Updated" only for a real edit after publication, not for the seconds it takes to save.
        if article.updatedAt.timeIntervalSince(published) > 60 {
            data["updated"] = date(article.updatedAt, feed: false)
        }
        if let rubric = detail.rubric { data["rubric"] = rubricLink(rubric) }
        if let cover = detail.cover { data["cover"] = media(cover) }
        return data
    }

    func block(for block: Block, detail: ArticleDetail) -> [String: Any]? {
        switch block {
        case .paragraph(let spans):
            return ["paragraph": ["spans": spans.map(span)]]
        case .heading(let text):
            return ["heading": ["text": text]]
        case .quote(let text, let attribution):
            var quote: [String: Any] = ["text": text]
            if let attribution = nonEmpty(attribution) { quote["attribution"] = attribution }
            return ["quote": quote]
        case .image(let mediaID, let caption, let credit):
            guard let media = detail.media[mediaID] else { return nil }
            return ["image": self.media(media, caption: caption, credit: credit)]
        case .embed(let url):
            return ["embed": Embed(url: url).viewData]
        case .list(let ordered, let items):
            return ["list": ["ordered": ordered, "items": items.map { ["spans": $0.map(span)] }]]
        case .readAlso(let articleID):
            guard let related = detail.related[articleID] else { return nil }
            return ["readAlso": summary(related)]
        }
    }

    func span(_ span: Span) -> [String: Any] {
        var data: [String: Any] = ["text": span.text, "bold": span.bold, "italic": span.italic]
        if let link = span.link, Span.isSafeLink(link) { data["link"] = link }
        return data
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return text
    }
}

extension Calendar {
    static func kyiv(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}

extension ViewBuilder {
    /// The keys of every newsroom page: the site's, plus who is signed in, the CSRF token for its
    /// forms and the newsroom navigation their role allows.
    func newsroomRoot(session: Session?, title: String, path: String) -> [String: Any] {
        var data = root(title: title, path: path)
        if let session {
            let role = session.user.role
            data["user"] = [
                "name": session.user.name, "role": t["role_" + role.rawValue],
                "canManagePeople": role.can(.managePeople), "canManageRubrics": role.can(.manageRubrics),
                "canManageSettings": role.can(.manageSettings),
            ]
            data["csrf"] = session.csrfToken
            data["logoutURL"] = SiteURL.adminLogout.path
        }
        return data
    }
}
