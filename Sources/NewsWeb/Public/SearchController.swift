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

    func search(_ request: Request) async throws -> Response {
        var asked = SearchPage.Request()
        asked.text = String((Forms.query(request, "q") ?? "").prefix(500))
        asked.page = Int(Forms.query(request, "page") ?? "1") ?? 0
        guard (1...50).contains(asked.page) else { throw PageError.badPage }
        asked.rubric = Forms.query(request, "rubric") ?? ""
        asked.from = Forms.query(request, "from") ?? ""
        asked.to = Forms.query(request, "to") ?? ""
        // Anything but "newest" is the default order, so an old or mistyped link still searches.
        asked.order = SearchOrder(rawValue: Forms.query(request, "sort") ?? "") ?? .relevance
        let page = try await SearchPage.query(asked, web: web, now: web.settings.clock())
        if Forms.query(request, "partial") == "1" {
            return HTMLResponse(
                body: web.theme.page("partials/search-chunk", page.fragment(theme: web.theme, settings: web.settings)),
                maxAge: 60, noIndex: true
            ).response(for: request)
        }
        var response = HTMLResponse(
            body: web.theme.page("pages/search", page.view(theme: web.theme, settings: web.settings)), maxAge: 60,
            noIndex: true
        ).response(for: request)
        response.headers[.cacheControl] = "public, max-age=60"
        return response
    }
}

/// Cuts the part of a text around the searched words and marks them in their real, inflected form.
struct Snippets {
    let analyzer: TextAnalyzer
    let terms: Set<SearchIndex.TermKey>

    init(analyzer: TextAnalyzer, query: SearchQuery) {
        self.analyzer = analyzer
        self.terms = Set((query.required + query.phrases.flatMap { $0 }).flatMap { $0 }.map(SearchIndex.TermKey.init))
    }

    private func isHit(_ token: AnalyzedToken) -> Bool {
        token.terms.contains { terms.contains(SearchIndex.TermKey(term: SearchIndex.lexeme($0))) }
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
            // Words are rarely longer than 40 bytes: the snippet's words start within the first `40 × words` bytes.
            analyzer.forEachToken(in: text, limit: 40 * (words + 1)) { token in
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
