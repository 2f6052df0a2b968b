import Foundation
import NewsCore
import Templates

extension ListingPage {
    /// The `<title>` and heading.
    func title(_ t: Localization) -> String { subject.title(t) }

    /// What `pages/listing` reads.
    func view(theme: Theme, settings: AppSettings) -> TemplateValue {
        let view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        var description: String?
        var currentRubric: String?
        let heading: TemplateValue
        switch subject {
        case .news:
            heading = ["isNews": true]
        case .rubric(let rubric, _):
            let tree = site.tree
            func links(_ rubrics: [Rubric]) -> TemplateValue {
                .list(
                    rubrics.map { ["name": .string($0.name), "url": .string(SiteURL.rubric(slug: $0.slug).path)] })
            }
            let parents = tree.ancestors(of: rubric)
            let children = tree.children(of: rubric)
            heading = [
                "isRubric": true, "name": .string(rubric.name), "parents": links(parents),
                "hasParents": .bool(!parents.isEmpty), "children": links(children),
                "hasChildren": .bool(!children.isEmpty),
            ]
            currentRubric = rubric.slug
            description = rubric.description
        case .tag(let tag):
            heading = ["isTag": true, "name": .string(tag.name)]
        case .author(let author, let photo):
            var info: TemplateValue = ["name": .string(author.name)]
            if let bio = author.bio, !bio.isEmpty { info["bio"] = .string(bio) }
            if let photo { info["photo"] = view.media(photo) }
            heading = ["isAuthor": true, "name": .string(author.name), "author": info]
            description = author.bio
        }
        var data = view.root(
            title: title(view.t), description: description, path: path,
            next: page.next.map { base.path(after: $0) }, currentRubric: currentRubric)
        data["page"]?["rss"] = .string(settings.baseURL + subject.rss.path)
        data["listing"] = heading
        if let total { data["listing"]?["count"] = .string(view.t.count("stories_count", total)) }
        data["feed"] = view.feed(page, base: base)
        if let latestColumn { data["latestColumn"] = .string(latestColumn) }
        data["page"]?["jsonLD"] = .string(structuredData(title: title(view.t), settings: settings, theme: theme))
        return .object(data)
    }

    /// schema.org data: a `CollectionPage` of a rubric's or tag's stories (and of all the news), a `ProfilePage`
    /// whose main entity is the author as a `Person`.
    func structuredData(title: String, settings: AppSettings, theme: Theme) -> String {
        let base = settings.baseURL
        let url = base + path
        let site: TemplateValue = ["@type": "WebSite", "name": .string(self.site.name), "url": .string(base + "/")]
        var page: TemplateValue = [
            "@context": "https://schema.org", "@type": "CollectionPage", "name": .string(title), "url": .string(url),
            "isPartOf": site,
        ]
        if case .author(let author, let photo) = subject {
            var person: TemplateValue = [
                "@type": "Person", "name": .string(author.name),
                "url": .string(base + SiteURL.author(slug: author.slug).path),
            ]
            if let bio = author.bio, !bio.isEmpty { person["description"] = .string(bio) }
            if let photo { person["image"] = StructuredData.image(photo, settings: settings) }
            person["worksFor"] = StructuredData.organization(site: self.site, settings: settings, theme: theme)
            page["@type"] = "ProfilePage"
            page["mainEntity"] = person
        }
        return StructuredData.script(page)
    }

    /// What `partials/feed-chunk` reads: the items of this page for the "показати більше" script.
    func fragment(theme: Theme, settings: AppSettings) -> TemplateValue {
        let view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        return ["lang": .string(view.t.language), "t": view.t.uiValue, "feed": view.feed(page, base: base)]
    }
}

extension ListingPage.Subject {
    /// The subject's name, as pages and feeds title it.
    func title(_ t: Localization) -> String {
        switch self {
        case .news: t["news_heading"]
        case .rubric(let rubric, _): rubric.name
        case .tag(let tag): t["tag_prefix"] + " " + tag.name
        case .author(let author, _): author.name
        }
    }
}
