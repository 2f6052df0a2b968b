import Foundation
import NewsCore
import NewsData

extension ListingPage {
    /// The subject at a rubric's, tag's or author's address; `nil` when there is none.
    static func rubric(slug: String, web: WebEnvironment) async throws -> Subject? {
        guard let rubric = try await web.rubrics.find(slug: slug) else { return nil }
        return .rubric(rubric, family: try await web.site().tree.family(of: rubric))
    }

    static func tag(slug: String, web: WebEnvironment) async throws -> Subject? {
        try await web.tags.find(slug: slug).map(Subject.tag)
    }

    static func author(slug: String, web: WebEnvironment) async throws -> Subject? {
        try await web.authors.find(slug: slug).map { Subject.author($0.author, photo: $0.photo) }
    }

    /// The page of `subject`'s stories after `cursor` and, when `besideLatest` and the subject is not all the news
    /// already, the first page of the latest news for the column beside them and how many stories the subject
    /// has; the site's name and menu from memory.
    static func query(
        _ subject: Subject, after cursor: FeedCursor?, besideLatest: Bool = true, web: WebEnvironment, now: Date
    ) async throws -> ListingPage {
        async let site = web.site()
        async let latest: String? =
            besideLatest && subject.scope != .all ? try await LatestColumn.current(web: web, now: now) : nil
        // How many stories a rubric, tag or author has, for its heading (not in a fragment).
        async let total: Int? =
            besideLatest && subject.scope != .all ? try await web.articles.publishedCount(subject.scope, now: now) : nil
        let page = try await web.articles.feed(subject.scope, after: cursor, limit: web.settings.pageSize, now: now)
        return ListingPage(
            subject: subject, cursor: cursor, page: page, latestColumn: try await latest, total: try await total,
            site: try await site, now: now)
    }
}
