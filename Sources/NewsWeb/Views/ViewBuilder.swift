import Foundation
import NewsCore
import NewsData
import Templates

/// Turns domain values into the typed values (``TemplateValue``) the theme's templates read. One per request (it
/// holds the request's "now"). Templates never query and this never writes HTML.
struct ViewBuilder {
    let theme: Theme
    let settings: AppSettings
    let site: SiteInfo
    let now: Date
    let dates: NewsDateFormatter
    /// Put before photo addresses: empty on the site's pages, the site's base URL in feeds (whose readers need
    /// whole addresses).
    var mediaBase = ""

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
    ) -> TemplateObject {
        var page: TemplateValue = [
            "title": .string(title.map { $0 + t["site_title_separator"] + site.name } ?? site.name),
            "canonical": .string(settings.baseURL + path),
            "rss": .string(settings.baseURL + SiteURL.rss.path),
        ]
        // A page without a description of its own (home, the news, a tag, search) has the paper's.
        if let description = [description ?? "", site.description].first(where: { !$0.isEmpty }) {
            page["description"] = .string(description)
        }
        if let next { page["next"] = .string(next) }
        var siteData: TemplateValue = [
            "name": .string(site.name), "url": .string(settings.baseURL + "/"),
            "year": .int(Calendar.kyiv(settings.timeZone).component(.year, from: now)),
        ]
        if let cta = site.cta { siteData["cta"] = ["text": .string(cta.text), "url": .string(cta.url)] }
        return [
            "lang": .string(t.language),
            "t": t.uiValue,
            "site": siteData,
            "nav": navigation(current: currentRubric),
            "page": page,
            "searchURL": .string(SiteURL.search.path),
            "links": Self.links,
            "assets": theme.assetURLs,
        ]
    }

    /// The menu: the top rubrics. The one the page belongs to is marked: `page` when it is that rubric's own page,
    /// `true` when the page's rubric sits under it.
    func navigation(current slug: String?) -> TemplateValue {
        let tree = site.tree
        let root = site.rubrics.first { $0.slug == slug }.map(tree.root(of:))
        return .list(
            tree.top.map { rubric in
                var item: TemplateValue = [
                    "name": .string(rubric.name), "url": .string(SiteURL.rubric(slug: rubric.slug).path),
                ]
                if rubric.slug == root?.slug { item["current"] = .string(rubric.slug == slug ? "page" : "true") }
                return item
            })
    }

    /// The site's fixed addresses, for the templates' links and forms.
    static let links: TemplateValue = .object(
        TemplateObject(
            [
                "home": SiteURL.home, "search": SiteURL.search, "searchSuggestions": SiteURL.searchSuggestions,
                "admin": SiteURL.admin,
                "adminPeople": SiteURL.adminPeople,
                "adminRubrics": SiteURL.adminRubrics, "adminSettings": SiteURL.adminSettings,
                "adminAudit": SiteURL.adminAudit, "adminAPIKeys": SiteURL.adminAPIKeys,
                "adminWebhooks": SiteURL.adminWebhooks, "adminTokens": SiteURL.adminTokens,
                "adminMedia": SiteURL.adminMedia,
            ].mapValues { .string($0.path) }))

    func date(_ date: Date, feed: Bool) -> TemplateValue {
        [
            "iso": .string(dates.isoString(date)),
            "text": .string(feed ? dates.feedDate(date, now: now) : dates.articleDate(date)),
        ]
    }

    /// Where `rendition` of `media` is served.
    func address(of rendition: Rendition, of media: Media) -> String {
        mediaBase + SiteURL.media(file: rendition.fileName(of: media.file, focus: media.focus)).path
    }

    func media(_ media: Media, caption: String? = nil, credit: String? = nil) -> TemplateValue {
        let addresses = RenditionAddresses(media: media, base: mediaBase + SiteURL.media(file: "").path)
        // The renditions a page names, sorted out in one pass (a feed page does this for a few dozen photos).
        var (jpegs, webps, squares, squareWebps) = ([Rendition](), [Rendition](), [Rendition](), [Rendition]())
        for rendition in media.renditions {
            switch (rendition.shape, rendition.format) {
            case (.original, .jpeg): jpegs.append(rendition)
            case (.original, .webp): webps.append(rendition)
            case (.square, .jpeg): squares.append(rendition)
            case (.square, .webp): squareWebps.append(rendition)
            default: continue
            }
        }
        let narrowerFirst = { (first: Rendition, second: Rendition) in first.width < second.width }
        jpegs.sort(by: narrowerFirst)
        webps.sort(by: narrowerFirst)
        squares.sort(by: narrowerFirst)
        squareWebps.sort(by: narrowerFirst)
        // The fallback `src`: a JPEG about a column wide, or the photo's own address (its master) before the
        // renditions exist.
        let fallback = jpegs.first { $0.width >= 960 } ?? jpegs.last
        var data: TemplateValue = [
            "src": .string(fallback.map(addresses.url) ?? mediaBase + SiteURL.media(file: media.file).path),
            "width": .int(media.width), "height": .int(media.height), "alt": .string(media.alt),
        ]
        if !jpegs.isEmpty {
            data["jpeg"] = .string(addresses.srcset(jpegs))
            data["webp"] = .string(addresses.srcset(webps))
        }
        // The square crop, around the focal point, for thumbnails beside a headline on phones.
        if !squares.isEmpty {
            data["squareJpeg"] = .string(addresses.srcset(squares))
            data["squareWebp"] = .string(addresses.srcset(squareWebps))
        }
        if let caption = nonEmpty(caption) ?? nonEmpty(media.caption) { data["caption"] = .string(caption) }
        if let credit = nonEmpty(credit) ?? nonEmpty(media.credit) { data["credit"] = .string(credit) }
        if let url = nonEmpty(media.creditURL), Span.isSafeLink(url) { data["creditURL"] = .string(url) }
        return data
    }

    func rubricLink(_ rubric: Rubric) -> TemplateValue {
        ["name": .string(rubric.name), "url": .string(SiteURL.rubric(slug: rubric.slug).path)]
    }

    func summary(_ item: ArticleSummary) -> TemplateValue {
        var data = headline(item)
        data["teaser"] = .string(item.teaser)
        data["featured"] = .bool(item.featured)
        if let cover = item.cover { data["photo"] = media(cover) }
        return data
    }

    /// A story as a list of headlines shows it: its title, address, date, rubric and whether it is breaking.
    func headline(_ item: ArticleSummary) -> TemplateValue {
        var data: TemplateValue = [
            "title": .string(item.title), "url": .string(SiteURL.article(slug: item.slug).path),
            "date": date(item.publishedAt, feed: true), "breaking": .bool(item.breaking),
        ]
        if let rubric = item.rubric { data["rubric"] = rubricLink(rubric) }
        return data
    }

    /// A feed as a list of headlines (the latest news beside a story), with its "show more" link for `base`.
    func headlines(_ page: FeedPage, base: SiteURL) -> TemplateValue {
        feed(page, base: base, items: page.items.map(headline))
    }

    /// A feed: its items and, when there is more, the "show more" link for `base`.
    func feed(_ page: FeedPage, base: SiteURL) -> TemplateValue {
        feed(page, base: base, items: page.items.map(summary))
    }

    private func feed(_ page: FeedPage, base: SiteURL, items: [TemplateValue]) -> TemplateValue {
        var data: TemplateValue = ["items": .list(items), "empty": .bool(items.isEmpty)]
        if let next = page.next {
            data["more"] = [
                "url": .string(base.path(after: next)), "fragmentURL": .string(base.path(after: next, partial: true)),
            ]
        }
        return data
    }

    /// The article as its page shows it, and as the editor's preview shows it.
    func article(_ detail: ArticleDetail) -> TemplateValue {
        let article = detail.article
        let published = article.publishedAt ?? article.createdAt
        var data: TemplateValue = [
            "title": .string(article.title), "url": .string(SiteURL.article(slug: article.slug).path),
            "lede": .string(article.lede), "published": date(published, feed: false),
            "readingTime": .string(
                t.count("reading_time", ReadingTime.minutes(lede: article.lede, body: article.body))),
            "breaking": .bool(article.breaking),
            "blocks": .list(article.body.compactMap { block(for: $0, detail: detail) }),
            "bylinesLabel": .string(detail.bylines.count > 1 ? t["byline_many"] : t["byline_one"]),
            "bylines": .list(
                detail.bylines.map { ["name": .string($0.name), "url": .string(SiteURL.author(slug: $0.slug).path)] }),
            "tags": .list(
                detail.tags.map { ["name": .string($0.name), "url": .string(SiteURL.tag(slug: $0.slug).path)] }),
        ]
        // "Updated" only for a real edit after publication, not for the seconds it takes to save.
        if article.updatedAt.timeIntervalSince(published) > 60 {
            data["updated"] = date(article.updatedAt, feed: false)
        }
        if let rubric = detail.rubric { data["rubric"] = rubricLink(rubric) }
        if let cover = detail.cover { data["cover"] = media(cover) }
        // Newest first, each with its date: "Виправлення, 22 січня 2026: …".
        data["corrections"] = .list(
            (article.corrections ?? []).reversed().map {
                ["iso": .string(dates.isoString($0.at)), "date": .string(dates.day($0.at)), "text": .string($0.text)]
            })
        return data
    }

    func block(for block: Block, detail: ArticleDetail) -> TemplateValue? {
        switch block {
        case .paragraph(let spans):
            return ["paragraph": ["spans": .list(spans.map(span))]]
        case .heading(let text):
            return ["heading": ["text": .string(text)]]
        case .quote(let text, let attribution):
            var quote: TemplateValue = ["text": .string(text)]
            if let attribution = nonEmpty(attribution) { quote["attribution"] = .string(attribution) }
            return ["quote": quote]
        case .image(let mediaID, let caption, let credit):
            guard let media = detail.media[mediaID] else { return nil }
            return ["image": self.media(media, caption: caption, credit: credit)]
        case .embed(let url):
            return ["embed": Embed(url: url).viewData]
        case .list(let ordered, let items):
            return ["list": ["ordered": .bool(ordered), "items": .list(items.map { ["spans": .list($0.map(span))] })]]
        case .readAlso(let articleID):
            guard let related = detail.related[articleID] else { return nil }
            return ["readAlso": summary(related)]
        case .raw(let html):
            return ["raw": ["html": .string(html)]]
        }
    }

    func span(_ span: Span) -> TemplateValue {
        var data: TemplateValue = ["text": .string(span.text), "bold": .bool(span.bold), "italic": .bool(span.italic)]
        if let link = span.link, Span.isSafeLink(link) { data["link"] = .string(link) }
        return data
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else { return nil }
        return text
    }
}

/// The addresses of one photo's renditions, each written straight into one string (a feed page names a few
/// hundred of them).
struct RenditionAddresses {
    let base: String
    let stem: String
    let focusCode: String

    init(media: Media, base: String) {
        self.base = base
        self.stem = Rendition.stem(of: media.file)
        self.focusCode = media.focus.code
    }

    func url(_ rendition: Rendition) -> String {
        var url: [UInt8] = []
        url.reserveCapacity(base.utf8.count + stem.utf8.count + 24)
        append(rendition, to: &url)
        return String(decoding: url, as: UTF8.self)
    }

    /// "address 320w, address 640w, …".
    func srcset(_ renditions: [Rendition]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(renditions.count * (base.utf8.count + stem.utf8.count + 32))
        for (index, rendition) in renditions.enumerated() {
            if index > 0 { text.append(contentsOf: ", ".utf8) }
            append(rendition, to: &text)
            text.append(UInt8(ascii: " "))
            Rendition.appendDecimal(rendition.width, to: &text)
            text.append(UInt8(ascii: "w"))
        }
        return String(decoding: text, as: UTF8.self)
    }

    private func append(_ rendition: Rendition, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: base.utf8)
        rendition.appendFileName(stem: stem, focusCode: focusCode, to: &bytes)
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
    func newsroomRoot(session: Session?, title: String, path: String) -> TemplateObject {
        var data = root(title: title, path: path)
        if let session {
            let role = session.user.role
            data["user"] = [
                "name": .string(session.user.name), "role": .string(t["role_" + role.rawValue]),
                "canManagePeople": .bool(role.can(.managePeople)), "canManageRubrics": .bool(role.can(.manageRubrics)),
                "canManageSettings": .bool(role.can(.manageSettings)),
            ]
            data["csrf"] = .string(session.csrfToken)
            data["logoutURL"] = .string(SiteURL.adminLogout.path)
        }
        return data
    }
}
