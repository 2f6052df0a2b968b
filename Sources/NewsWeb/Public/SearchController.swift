import Foundation
import Hummingbird
import NewsCore
import NewsData
import Templates

/// The reader's search page: ranked results with highlighted snippets, filters by rubric and dates,
/// "show more", and a helpful page when nothing is found.
struct SearchController<Context: RequestContext> {
    let web: WebEnvironment

    func addRoutes(to router: some RouterMethods<Context>) {
        router.get(SiteURL.Pattern.search) { request, _ in try await search(request) }
        router.get(SiteURL.Pattern.searchSuggestions) { request, _ in try await suggestions(request) }
    }

    /// The search box's suggestions for `q`, as an HTML fragment the site's script shows under the box.
    func suggestions(_ request: Request) async throws -> Response {
        let found = try await SearchSuggestions.query(
            Forms.query(request, "q") ?? "", web: web, now: web.settings.clock())
        var response = HTMLResponse(
            body: web.theme.page(
                "partials/search-suggestions", found.view(theme: web.theme, settings: web.settings)),
            maxAge: 60, noIndex: true
        ).response(for: request)
        response.headers[.cacheControl] = "public, max-age=60"
        return response
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
        let partial = Forms.query(request, "partial") == "1"
        let page = try await SearchPage.query(asked, counting: !partial, web: web, now: web.settings.clock())
        if partial {
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
    /// The query's terms, as the index stores them.
    let terms: [String]

    init(analyzer: TextAnalyzer, query: SearchQuery) {
        self.analyzer = analyzer
        self.terms = query.markedTerms
    }

    /// A word of the text: where it is, and whether it is one of the searched words.
    private struct Token {
        var range: Range<String.Index>
        var isHit: Bool
    }

    /// Whether a word with `wordTerms` is searched: a query has a few terms and a word one to three, so comparing
    /// their bytes beats hashing them.
    private func isHit(_ wordTerms: [String]) -> Bool {
        wordTerms.contains { term in
            let lexeme = SearchIndex.lexeme(term)
            let count = lexeme.utf8.count
            return terms.contains { $0.utf8.count == count && ByteSearch.sameBytes($0, lexeme) }
        }
    }

    /// The whole text as spans, the searched words marked.
    func highlight(_ text: String) -> [TemplateValue] {
        var tokens: [Token] = []
        analyzer.forEachToken(in: text) { range, terms in
            tokens.append(Token(range: range, isHit: isHit(terms)))
            return true
        }
        return spans(text, tokens: tokens, from: text.startIndex, to: text.endIndex)
    }

    /// About `words` words around the first hit within the first `scanLimit` UTF-8 bytes (or the start of the text
    /// when there is none: the words matched the headline). Reads the text only up to the end of the snippet; when
    /// the index said the text cannot match (`mayMatch` false), only its start.
    func snippet(_ text: String, mayMatch: Bool = true, words: Int = 36, scanLimit: Int = 2400) -> [TemplateValue] {
        let before = words / 3
        // The last `before` tokens before the first hit, then the hit and what follows it.
        var tokens: [Token] = []
        var skipped = 0
        var hit: Int?
        var more = false
        if mayMatch {
            analyzer.forEachToken(in: text, limit: scanLimit) { range, terms in
                if hit != nil {
                    guard tokens.count <= words else {
                        more = true
                        return false
                    }
                    tokens.append(Token(range: range, isHit: isHit(terms)))
                    return true
                }
                let token = Token(range: range, isHit: isHit(terms))
                tokens.append(token)
                if token.isHit {
                    hit = tokens.count - 1
                } else if tokens.count > before {
                    tokens.removeFirst()
                    skipped += 1
                }
                return true
            }
        }
        if hit == nil {
            // No hit (the words matched the headline only): the start of the text.
            var start: [Token] = []
            // Words are rarely longer than 40 bytes: the snippet's words start within the first `40 × words` bytes.
            // Nothing is marked here, so the words are only found, not analysed.
            TextAnalyzer.forEachWordRange(in: text, limit: 40 * (words + 1)) { range in
                guard start.count <= words else {
                    more = true
                    return false
                }
                start.append(Token(range: range, isHit: false))
                return true
            }
            // Cut by the limit rather than by the count: more follows when a letter or digit does (any byte of a
            // non-ASCII character counts, so the check reads bytes only).
            if !more, let last = start.last,
                text.utf8[last.range.upperBound...].contains(where: {
                    $0 >= 0x80 || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0 | 0x20)
                })
            {
                more = true
            }
            tokens = start
            skipped = 0
        }
        guard !tokens.isEmpty else { return [] }
        var spans = self.spans(
            text, tokens: tokens, from: tokens[0].range.lowerBound, to: tokens[tokens.count - 1].range.upperBound)
        if skipped > 0 { spans.insert(["text": "… ", "hit": false], at: 0) }
        if more { spans.append(["text": " …", "hit": false]) }
        return spans
    }

    private func spans(_ text: String, tokens: [Token], from start: String.Index, to end: String.Index)
        -> [TemplateValue]
    {
        var spans: [TemplateValue] = []
        var cursor = start
        for token in tokens
        where token.isHit && token.range.lowerBound >= cursor && token.range.upperBound <= end {
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
