import Foundation
import NewsCore
import NewsData

extension SearchPage {
    /// What the reader asked for: the query string's `q`, `rubric`, `from`, `to`, `sort` and `page`.
    struct Request: Sendable {
        var text = ""
        var rubric = ""
        var from = ""
        var to = ""
        var order = SearchOrder.relevance
        var page = 1
    }

    /// Runs the search: the matching published stories in the rubric and between the dates, ranked, one page;
    /// the suggestion only when page 1 found nothing; with `counting`, how many it found (a query of its own
    /// only when there are more pages).
    static func query(_ asked: Request, counting: Bool = true, web: WebEnvironment, now: Date) async throws
        -> SearchPage
    {
        let site = try await web.site()
        let rubrics = site.rubrics
        let rubric = rubrics.first { $0.slug == asked.rubric }
        let zone = web.settings.timeZone
        let from = day(asked.from, zone: zone)
        let to = day(asked.to, zone: zone).map { $0.addingTimeInterval(86_400) }
        let query = SearchQuery(asked.text)
        let family = rubric.map(site.tree.family(of:)) ?? []
        // The count runs beside the search (it is needed only when the results fill more than the page, and
        // costs little when they do not).
        async let counted =
            counting && !query.isEmpty
            ? web.search.count(
                query, scope: .published(now: now), rubrics: family, from: from, to: to, cap: countCap) : nil
        let (results, hasMore) = try await web.search.search(
            query, scope: .published(now: now), rubrics: family, from: from, to: to, order: asked.order,
            page: asked.page, pageSize: pageSize)
        let shown = (asked.page - 1) * pageSize + results.count
        var found: Int?
        if counting, !results.isEmpty {
            found = hasMore ? try await counted.map { max($0, shown + 1) } : shown
        }
        var suggestion: String?
        if !query.isEmpty, results.isEmpty, asked.page == 1 {
            suggestion = try await web.search.suggestion(for: query.words)
        }
        // The rubrics and tags named by the words, as the search box suggests them (for readers without scripts).
        let related =
            asked.page == 1 && !query.isEmpty
            ? try await SearchSuggestions.query(asked.text, web: web, now: now, headlines: false) : nil
        return SearchPage(
            text: asked.text, query: query, rubrics: rubrics, rubric: rubric, from: asked.from, to: asked.to,
            order: asked.order, pageNumber: asked.page, results: results, hasMore: hasMore, found: found,
            suggestion: suggestion,
            related: related, site: site, now: now)
    }

    /// "2026-01-22" as the start of that day in the site's zone; `nil` for anything else.
    static func day(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1970...9999).contains(parts[0]), (1...12).contains(parts[1]),
            (1...31).contains(parts[2])
        else { return nil }
        return Calendar.kyiv(zone).date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}
