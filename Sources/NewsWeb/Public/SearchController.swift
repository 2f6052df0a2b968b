import Foundation
import Hummingbird
import NewsCore
import NewsData
import Templates

/// The reader's search page: ranked results with highlighted snippets, filters by rubric and dates,
/// "show more", and a helpful page when nothing is found.
struct SearchController<Context: RequestContext> {
    let web: WebEnvironment

    func addRoutes(to router: Router<Context>) {
        router.get(SiteURL.Pattern.search) { request, _ in try await search(request) }
    }

    static var pageSize: Int { 20 }

    func search(_ request: Request) async throws -> Response {
        let now = web.settings.clock()
        let text = String((Forms.query(request, "q") ?? "").prefix(500))
        let page = Int(Forms.query(request, "page") ?? "1") ?? 0
        guard (1...50).contains(page) else { throw PageError.badPage }
        let partial = Forms.query(request, "partial") == "1"
        async let siteInfo = web.site()
        let rubrics = try await web.rubrics.all()
        let rubricSlug = Forms.query(request, "rubric") ?? ""
        let rubric = rubrics.first { $0.slug == rubricSlug }
        let from = Forms.query(request, "from").flatMap { Self.day($0, zone: web.settings.timeZone) }
        let to = Forms.query(request, "to").flatMap { Self.day($0, zone: web.settings.timeZone) }.map {
            $0.addingTimeInterval(86_400)
        }
        let query = SearchQuery(text)
        let (results, hasMore) = try await web.search.search(
            query, scope: .published(now: now), rubricID: rubric?.id, from: from, to: to, page: page,
            pageSize: Self.pageSize)
        let view = ViewBuilder(theme: web.theme, settings: web.settings, site: try await siteInfo, now: now)
        let snippets = Snippets(analyzer: .shared, query: query)
        let items = results.map { result -> TemplateValue in
            var item = view.summary(result.summary)
            item["titleSpans"] = .list(snippets.highlight(result.title))
            item["snippet"] = .list(snippets.snippet(result.text))
            return item
        }
        var feed: TemplateValue = ["items": .list(items), "empty": .bool(items.isEmpty)]
        if hasMore {
            let next = Self.url(
                text: text, rubric: rubric?.slug, from: Forms.query(request, "from"), to: Forms.query(request, "to"),
                page: page + 1)
            feed["more"] = ["url": .string(next), "fragmentURL": .string(next + "&partial=1")]
        }
        if partial {
            let data: TemplateValue = [
                "lang": .string(view.t.language), "t": view.t.uiValue, "feed": feed, "search": true,
            ]
            return HTMLResponse(html: web.theme.render("partials/search-chunk", data), maxAge: 60, noIndex: true)
                .response(for: request)
        }
        var data = view.root(
            title: text.isEmpty ? view.t["search_title"] : view.t["search_title"] + ": " + text,
            path: SiteURL.search.path)
        data["search"] = [
            "q": .string(text), "searched": .bool(!query.isEmpty), "from": .string(Forms.query(request, "from") ?? ""),
            "to": .string(Forms.query(request, "to") ?? ""),
            "rubrics": .list(
                rubrics.map {
                    ["value": .string($0.slug), "label": .string($0.name), "selected": .bool($0.slug == rubric?.slug)]
                }),
            "noResults": .bool(!query.isEmpty && items.isEmpty),
        ]
        if !query.isEmpty, items.isEmpty, page == 1,
            let suggestion = try await web.search.suggestion(for: query.words)
        {
            data["suggestion"] = [
                "text": .string(suggestion),
                "url": .string(Self.url(text: suggestion, rubric: rubric?.slug, from: nil, to: nil, page: 1)),
            ]
        }
        data["feed"] = feed
        var response = HTMLResponse(html: web.theme.render("pages/search", .object(data)), maxAge: 60, noIndex: true)
            .response(for: request)
        response.headers[.cacheControl] = "public, max-age=60"
        return response
    }

    /// "2026-01-22" as the start of that day in the site's zone; `nil` for anything else.
    static func day(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1970...9999).contains(parts[0]), (1...12).contains(parts[1]),
            (1...31).contains(parts[2])
        else { return nil }
        return Calendar.kyiv(zone).date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    static func url(text: String, rubric: String?, from: String?, to: String?, page: Int) -> String {
        var components = URLComponents()
        var items = [URLQueryItem(name: "q", value: text)]
        if let rubric { items.append(URLQueryItem(name: "rubric", value: rubric)) }
        if let from, !from.isEmpty { items.append(URLQueryItem(name: "from", value: from)) }
        if let to, !to.isEmpty { items.append(URLQueryItem(name: "to", value: to)) }
        items.append(URLQueryItem(name: "page", value: String(page)))
        components.queryItems = items
        return SiteURL.search.path + "?" + (components.percentEncodedQuery ?? "")
    }
}

/// Cuts the part of a text around the searched words and marks them in their real, inflected form.
struct Snippets {
    let analyzer: TextAnalyzer
    let terms: Set<String>

    init(analyzer: TextAnalyzer, query: SearchQuery) {
        self.analyzer = analyzer
        self.terms = Set((query.required + query.phrases.flatMap { $0 }).flatMap { $0 })
    }

    private func isHit(_ token: AnalyzedToken) -> Bool {
        token.terms.contains { terms.contains(SearchIndex.lexeme($0)) }
    }

    /// The whole text as spans, the searched words marked.
    func highlight(_ text: String) -> [TemplateValue] {
        spans(text, tokens: analyzer.tokens(text), from: text.startIndex, to: text.endIndex)
    }

    /// About `words` words around the first hit within the first `scanLimit` UTF-8 bytes (or the start of the text
    /// when there is none: the words matched the headline). Reads the text only up to the end of the snippet.
    func snippet(_ text: String, words: Int = 36, scanLimit: Int = 2400) -> [TemplateValue] {
        let before = words / 3
        // The last `before` tokens before the first hit, then the hit and what follows it.
        var tokens: [AnalyzedToken] = []
        var skipped = 0
        var hit: Int?
        var more = false
        analyzer.forEachToken(in: text, limit: scanLimit) { token in
            if hit != nil {
                guard tokens.count <= words else {
                    more = true
                    return false
                }
                tokens.append(token)
                return true
            }
            tokens.append(token)
            if isHit(token) {
                hit = tokens.count - 1
            } else if tokens.count > before {
                tokens.removeFirst()
                skipped += 1
            }
            return true
        }
        guard !tokens.isEmpty else { return [] }
        if hit == nil {
            // No hit (the words matched the headline only): the start of the text.
            var start: [AnalyzedToken] = []
            analyzer.forEachToken(in: text) { token in
                guard start.count <= words else {
                    more = true
                    return false
                }
                start.append(token)
                return true
            }
            tokens = start
            skipped = 0
        }
        var spans = self.spans(
            text, tokens: tokens, from: tokens[0].range.lowerBound, to: tokens[tokens.count - 1].range.upperBound)
        if skipped > 0 { spans.insert(["text": "… ", "hit": false], at: 0) }
        if more { spans.append(["text": " …", "hit": false]) }
        return spans
    }

    private func spans(_ text: String, tokens: [AnalyzedToken], from start: String.Index, to end: String.Index)
        -> [TemplateValue]
    {
        var spans: [TemplateValue] = []
        var cursor = start
        for token in tokens
        where token.range.lowerBound >= cursor && token.range.upperBound <= end && isHit(token) {
            if cursor < token.range.lowerBound {
                spans.append(["text": .string(String(text[cursor..<token.range.lowerBound])), "hit": false])
            }
            spans.append(["text": .string(String(text[token.range])), "hit": true])
            cursor = token.range.upperBound
        }
        if cursor < end { spans.append(["text": .string(String(text[cursor..<end])), "hit": false]) }
        return spans
    }
}
