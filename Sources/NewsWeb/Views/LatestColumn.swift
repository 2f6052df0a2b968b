import Foundation
import NewsCore
import NewsData
import Templates

/// The column of the latest news beside a story and beside a rubric's, tag's or author's stories
/// (`partials/side-feed`), rendered.
///
/// Every such page shows the same column until the news changes, so it is read and rendered once per change, not
/// once per page: a change that shows in the feed empties it (a ``ReloadableSubscriber``, before the write is
/// acknowledged, as the page cache is emptied), and so does the site's midnight, when its times change form
/// ("14:05" becomes "03.12"). It is kept whether or not the page cache is on: it spares a story's page that is not
/// in the page cache (a reader arriving from a search engine at an old story) a query and a ninth of its work.
struct LatestColumn: Sendable {
    /// The column's HTML; `nil` when there are no stories to show.
    var html: String?
    /// The moment it was made for, and the moment it no longer holds (the next midnight).
    var from: Date
    var until: Date

    /// The column for a page at `now`, from memory or made afresh.
    static func current(web: WebEnvironment, now: Date) async throws -> String? {
        if let kept = web.latestColumn.peek() {
            if kept.from <= now, now < kept.until { return kept.html }
            web.latestColumn.invalidate()
        }
        return try await web.latestColumn.get { try await make(web: web, now: now) }.html
    }

    /// Reads the first page of the latest news and renders the column with the site's keys (texts, name, menu,
    /// assets) around it: the page's own keys (its title, its address) are not there, so the column is the same
    /// on every page.
    private static func make(web: WebEnvironment, now: Date) async throws -> LatestColumn {
        let latest = try await web.articles.headlines(.all, limit: web.settings.pageSize, now: now)
        let until = web.dates.nextMidnight(after: now)
        guard !latest.items.isEmpty else { return LatestColumn(html: nil, from: now, until: until) }
        let view = ViewBuilder(theme: web.theme, settings: web.settings, site: try await web.site(), now: now)
        var data = view.root(title: nil, path: SiteURL.news.path)
        data["feed"] = view.headlines(latest, base: .news)
        return LatestColumn(html: web.theme.render("partials/side-feed", .object(data)), from: now, until: until)
    }
}

/// Where the rendered column is kept.
typealias LatestColumnCache = Reloadable<LatestColumn>
