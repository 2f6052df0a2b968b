import Foundation
import NewsCore

/// The article page, and the editor's preview of it (the same model, so the two cannot drift): the story with
/// everything it shows, and the latest news beside it.
struct ArticlePage: Sendable {
    /// The story, its rubric, tags, bylines, photos and the stories it recommends.
    var detail: ArticleDetail
    /// The column of the latest news, rendered (``LatestColumn``); `nil` when there are none.
    var latestColumn: String?
    /// "Читайте також": stories sharing its tags (or, short of them, its rubric's newest).
    var related: [ArticleSummary] = []
    /// "Найпопулярніше": the stories most read in the last 24 hours.
    var mostRead: [ArticleSummary] = []
    var site: SiteInfo
    /// The moment the page is for (its "today" for feed dates).
    var now: Date

    var article: Article { detail.article }

    /// The headline the page's `<title>` uses: the SEO title when there is one.
    var title: String { article.seoTitle.flatMap { $0.isEmpty ? nil : $0 } ?? article.title }

    /// The search-result and social description: the SEO description when there is one.
    var description: String { article.seoDescription.flatMap { $0.isEmpty ? nil : $0 } ?? article.summaryText }

    /// What the page shows, for the page cache and CDNs: the story (its own key first: the view counters read it
    /// there), the latest news, the most-read list, its rubric, its tags (whose stories "Читайте також" lists) and
    /// the stories an editor pinned there.
    var surrogateKeys: [String] {
        var keys = ["article-\(article.id ?? 0)", "feed", MostRead.key]
        if let rubricID = article.rubricID { keys.append("rubric-\(rubricID)") }
        keys += article.tagIDs.map { "tag-\($0)" }
        keys += (article.pinnedRelated ?? []).map { "article-\($0)" }
        return keys
    }
}
