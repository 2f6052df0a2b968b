import Foundation
import NewsCore
import NewsData

/// The reader's search: what was asked (words, rubric, dates, page), the ranked results, whether there are more,
/// and a spelling suggestion when nothing was found.
struct SearchPage: Sendable {
    /// The search box's text, as typed (at most 500 characters).
    var text: String
    var query: SearchQuery
    /// The rubric filter's choices, and the chosen one.
    var rubrics: [Rubric]
    var rubric: Rubric?
    /// The date filters as typed ("2026-01-22"), kept for the form and the next page's address.
    var from: String
    var to: String
    /// Best matches first, or newest first.
    var order: SearchOrder
    /// 1-based.
    var pageNumber: Int
    var results: [SearchResult]
    var hasMore: Bool
    /// How many stories the search found, as far as ``countCap`` (nil: not counted).
    var found: Int?
    /// A similar word that finds something, when nothing was found on page 1.
    var suggestion: String?
    /// Rubrics and tags whose names start with the words (page 1 only).
    var related: SearchSuggestions?
    var site: SiteInfo
    var now: Date

    static let pageSize = 20
    /// How far a search's results are counted ("понад 1 000" beyond).
    static let countCap = 1000

    /// The address of page `number` of this search (or of `text` instead, for a suggestion).
    func url(text: String? = nil, page number: Int) -> String {
        var components = URLComponents()
        var items = [URLQueryItem(name: "q", value: text ?? self.text)]
        if let rubric { items.append(URLQueryItem(name: "rubric", value: rubric.slug)) }
        if text == nil {
            if !from.isEmpty { items.append(URLQueryItem(name: "from", value: from)) }
            if !to.isEmpty { items.append(URLQueryItem(name: "to", value: to)) }
        }
        if order != .relevance { items.append(URLQueryItem(name: "sort", value: order.rawValue)) }
        items.append(URLQueryItem(name: "page", value: String(number)))
        components.queryItems = items
        return SiteURL.search.path + "?" + (components.percentEncodedQuery ?? "")
    }
}
