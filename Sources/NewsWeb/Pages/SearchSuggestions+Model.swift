import Foundation
import NewsCore
import NewsData
import Templates

/// What a search box suggests for what has been typed so far: rubrics and tags whose names start with the words,
/// and the newest headlines that have them.
struct SearchSuggestions: Sendable {
    var text: String
    var rubrics: [Rubric]
    var tags: [Tag]
    var headlines: [HeadlineLink]
    var site: SiteInfo
    var now: Date

    var isEmpty: Bool { rubrics.isEmpty && tags.isEmpty && headlines.isEmpty }

    /// What `partials/search-suggestions` reads: links to rubrics and tags (each with its kind), then headlines.
    func view(theme: Theme, settings: AppSettings) -> TemplateValue {
        let view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        var items: [TemplateValue] = []
        for rubric in rubrics {
            items.append(
                [
                    "url": .string(SiteURL.rubric(slug: rubric.slug).path),
                    "label": .string(site.tree.label(of: rubric)),
                    "kind": .string(view.t["search_suggest_rubric"]),
                ])
        }
        for tag in tags {
            items.append(
                [
                    "url": .string(SiteURL.tag(slug: tag.slug).path), "label": .string(tag.name),
                    "kind": .string(view.t["search_suggest_tag"]),
                ])
        }
        for headline in headlines {
            items.append(["url": .string(SiteURL.article(slug: headline.slug).path), "label": .string(headline.title)])
        }
        return [
            "lang": .string(view.t.language), "t": view.t.uiValue, "items": .list(items),
            "empty": .bool(items.isEmpty), "q": .string(text),
        ]
    }
}
