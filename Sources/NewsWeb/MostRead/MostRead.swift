import Foundation
import NewsCore
import NewsData
import SQLKit

/// "Найпопулярніше": the published stories readers opened most in the last 24 hours, kept in memory and shown on
/// the home page and beside every story without a query of their own. ``MostReadService`` reads the list afresh
/// every few minutes and evicts the cached pages that show it when it changed; a change to a story on the list
/// (a new headline, unpublishing) makes the next page read it at once (``MostReadSubscriber``).
final class MostRead: Sendable {
    /// The surrogate key of the pages that show the list.
    static let key = "most-read"
    /// How many stories the list shows.
    static let size = 5
    /// The window the views are counted in.
    static let window: TimeInterval = 24 * 3600

    private let list = Reloadable<[ArticleSummary]>()
    private let database: Database

    init(database: Database) {
        self.database = database
    }

    /// The list as pages show it now.
    func current(now: Date) async throws -> [ArticleSummary] {
        try await list.get { try await self.read(now: now) }
    }

    /// Reads the list from the stored counts and keeps it; whether it differs from the one pages showed.
    @discardableResult
    func refresh(now: Date) async throws -> Bool {
        let fresh = try await read(now: now)
        return list.store(fresh) != fresh
    }

    /// Forgets the list: the next page reads it again.
    func invalidate() { list.invalidate() }

    /// Whether a change to `articleID` can change what the list shows.
    func lists(_ articleID: Int64) -> Bool {
        list.peek()?.contains { $0.id == articleID } ?? false
    }

    private func read(now: Date) async throws -> [ArticleSummary] {
        try await ArticleViews(database: database).mostRead(
            since: now.addingTimeInterval(-Self.window), now: now, limit: Self.size)
    }
}

/// Forgets the most-read list when a change touches a story on it, so that a story unpublished or renamed leaves
/// it or changes in it with the pages that the same change evicts (this subscriber comes before the page cache's).
struct MostReadSubscriber: ChangeSubscriber {
    let mostRead: MostRead
    let name = "most-read"
    let isNodeLocal = true

    func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        for event in events where event.action.isArticle || event.keys.contains(ChangeEvent.everyPage) {
            if event.keys.contains(ChangeEvent.everyPage) {
                mostRead.invalidate()
                return
            }
            if let id = event.articleID, mostRead.lists(id) {
                mostRead.invalidate()
                return
            }
        }
    }
}
