import Foundation
import NewsCore
import Templates

extension ListingPage {
    /// The `<title>` and heading.
    func title(_ t: Localization) -> String {
        switch subject {
        case .news: t["news_heading"]
        case .rubric(let rubric): rubric.name
        case .tag(let tag): t["tag_prefix"] + " " + tag.name
        case .author(let author, _): author.name
        }
    }

    /// What `pages/listing` reads.
    func view(theme: Theme, settings: AppSettings) -> TemplateValue {
        let view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        var description: String?
        var currentRubric: String?
        let heading: TemplateValue
        switch subject {
        case .news:
            heading = ["isNews": true]
        case .rubric(let rubric):
            heading = ["isRubric": true, "name": .string(rubric.name)]
            currentRubric = rubric.slug
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
        data["feed"] = view.feed(page, base: base)
        return .object(data)
    }

    /// What `partials/feed-chunk` reads: the items of this page for the "показати більше" script.
    func fragment(theme: Theme, settings: AppSettings) -> TemplateValue {
        let view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        return ["lang": .string(view.t.language), "t": view.t.uiValue, "feed": view.feed(page, base: base)]
    }
}
