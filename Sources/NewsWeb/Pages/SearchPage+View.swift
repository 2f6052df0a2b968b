import Foundation
import NewsCore
import NewsData
import Templates

extension SearchPage {
    /// The results with the searched words marked in headlines and snippets, and the "show more" link.
    private func feed(_ view: ViewBuilder) -> TemplateValue {
        let snippets = Snippets(analyzer: .shared, query: query)
        let items = results.map { result -> TemplateValue in
            var item = view.summary(result.summary)
            item["titleSpans"] = .list(snippets.highlight(result.title))
            item["snippet"] = .list(snippets.snippet(result.text, mayMatch: result.textMayMatch))
            return item
        }
        var feed: TemplateValue = ["items": .list(items), "empty": .bool(items.isEmpty)]
        if hasMore {
            let next = url(page: pageNumber + 1)
            feed["more"] = ["url": .string(next), "fragmentURL": .string(next + "&partial=1")]
        }
        return feed
    }

    /// What `pages/search` reads.
    func view(theme: Theme, settings: AppSettings) -> TemplateValue {
        let view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        let feed = feed(view)
        var data = view.root(
            title: text.isEmpty ? view.t["search_title"] : view.t["search_title"] + ": " + text,
            path: SiteURL.search.path)
        data["search"] = [
            "q": .string(text), "searched": .bool(!query.isEmpty), "from": .string(from), "to": .string(to),
            "rubrics": .list(
                rubrics.map {
                    // A rubric under another is named with its place ("Подробиці › Львів"); it searches those under it.
                    [
                        "value": .string($0.slug), "label": .string(site.tree.label(of: $0)),
                        "selected": .bool($0.slug == rubric?.slug),
                    ]
                }),
            "orders": .list(
                SearchOrder.allCases.map {
                    [
                        "value": .string($0.rawValue), "label": .string(view.t["search_sort_" + $0.rawValue]),
                        "selected": .bool($0 == order),
                    ]
                }),
            "noResults": .bool(!query.isEmpty && results.isEmpty),
        ]
        if let found {
            data["search"]?["found"] = .string(
                found >= Self.countCap
                    ? view.t.count("search_over", Self.countCap) : view.t.count("search_found", found))
        }
        if let suggestion {
            data["suggestion"] = ["text": .string(suggestion), "url": .string(url(text: suggestion, page: 1))]
        }
        if let related, !related.rubrics.isEmpty || !related.tags.isEmpty {
            data["related"] = ["items": related.view(theme: theme, settings: settings)["items"] ?? .list([])]
        }
        data["feed"] = feed
        return .object(data)
    }

    /// What `partials/search-chunk` reads: the next results for the "show more" script.
    func fragment(theme: Theme, settings: AppSettings) -> TemplateValue {
        let view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        return ["lang": .string(view.t.language), "t": view.t.uiValue, "feed": feed(view), "search": true]
    }
}
