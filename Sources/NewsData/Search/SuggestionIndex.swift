import Foundation
import NewsCore
import SQLKit
import Synchronization

/// What the search box suggests, in memory: the published headlines' index terms (``HeadlineIndex``) and the topics
/// that have a published story. Read once from the database, then kept current by the change events
/// (``SuggestionIndexSubscriber``), as the page cache is. Until it has been read (by the server's service, when it
/// starts, and again after a whole site was restored), suggestions ask the database.
///
/// On PostgreSQL a suggestion asked of the database took three queries and 3 ms of its time, and eight readers
/// typing at once waited up to 75 ms for an answer (p99, 100,000 stories); from memory it takes at most one query,
/// for the addresses of found headlines not kept (ADR 18).
public final class SuggestionIndex: Sendable {
    private enum Phase {
        /// Not read yet, or forgotten after a whole site was restored (the server's service reads it again).
        case unread
        /// Being read; the stories and topics changed meanwhile are read again before it is used.
        case reading(stories: Set<Int64>, topics: Set<Int64>)
        case ready
    }

    private struct State {
        var phase = Phase.unread
        var headlines = HeadlineIndex()
        var topics = TopicList()
        /// The addresses and titles of headlines suggested lately: the newest stories, suggested again and again.
        var links: [Int64: HeadlineLink] = [:]
        /// Bumped by every change, so that a link read before a change is not kept after it.
        var generation = 0
    }

    private let state = Mutex(State())
    private let analyzer: TextAnalyzer

    /// How many stories one query reads while the index is built.
    static let readBatch = 5000

    /// An index not read yet.
    public init(analyzer: TextAnalyzer = .shared) {
        self.analyzer = analyzer
    }

    /// Whether it answers suggestions now.
    public var isReady: Bool {
        state.withLock { if case .ready = $0.phase { true } else { false } }
    }

    /// How many published stories it holds, with how many distinct terms and terms in all.
    public var size: (stories: Int, terms: Int, postings: Int) {
        state.withLock { ($0.headlines.count, $0.headlines.size.terms, $0.headlines.size.postings) }
    }

    /// The newest published headlines with `words`, from memory; nil until the index has been read.
    func headlines(_ words: HeadlineWords, now: Date, limit: Int) -> [Int64]? {
        // A copy (its storage is shared, not copied): the question is answered outside the lock.
        let headlines = state.withLock { state -> HeadlineIndex? in
            guard case .ready = state.phase else { return nil }
            return state.headlines
        }
        return headlines?.newest(
            words: words.whole, start: words.prefixes, last: words.lastTerms, now: now.millisecondsSince1970,
            limit: limit)
    }

    /// The topics whose slug starts with `slugPrefix` and that have a story published by `now`, in the slugs' byte
    /// order, from memory; nil until the index has been read.
    func topics(slugStartingWith slugPrefix: String, now: Date, limit: Int) -> [Tag]? {
        state.withLock { state in
            guard case .ready = state.phase else { return nil }
            return state.topics.starting(with: slugPrefix, now: now.millisecondsSince1970, limit: limit)
        }
    }

    /// How many headlines' addresses and titles are kept (about 1 MB).
    static let linkLimit = 4096

    /// The kept addresses and titles of `ids` (those kept), and the generation to hand ``keep(_:readAfter:)`` with
    /// the others once read.
    func links(_ ids: [Int64]) -> (found: [Int64: HeadlineLink], generation: Int) {
        state.withLock { state in
            var found: [Int64: HeadlineLink] = [:]
            for id in ids { if let link = state.links[id] { found[id] = link } }
            return (found, state.generation)
        }
    }

    /// Keeps `links`, read from the database after ``links(_:)`` returned `generation`, unless a change came since.
    func keep(_ links: [HeadlineLink], readAfter generation: Int) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.links.count + links.count > Self.linkLimit { state.links.removeAll(keepingCapacity: true) }
            for link in links { state.links[link.id] = link }
        }
    }

    /// Reads every published headline and every topic with a published story from `database`, and returns when the
    /// index is ready: at once when it is, after the other reading when one is under way. Runs in the caller's task
    /// (the server's ``SuggestionIndexService``, whose cancellation stops it), so nothing outlives the database it
    /// reads. Reads through ``Database/read(_:)`` outside a reader's request: the primary, never a read replica that
    /// may lag behind the events this index follows.
    public func load(from database: Database) async throws {
        while true {
            let begins = state.withLock { state -> Bool? in
                switch state.phase {
                case .ready: return nil
                case .reading: return false
                case .unread:
                    state.phase = .reading(stories: [], topics: [])
                    return true
                }
            }
            guard let begins else { return }
            if begins { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        do {
            try await read(from: database)
        } catch {
            state.withLock { $0.phase = .unread }
            throw error
        }
    }

    private func read(from database: Database) async throws {
        var headlines = try await readHeadlines(from: database)
        var topicList = TopicList(try await database.read { sql in try await Self.readTopics(nil, in: sql) })
        // What changed while it was read is read again, until nothing changed meanwhile.
        while true {
            let changed: (stories: Set<Int64>, topics: Set<Int64>)? = state.withLock { state in
                guard case .reading(let stories, let topics) = state.phase else { return nil }
                if stories.isEmpty, topics.isEmpty {
                    state.headlines = headlines
                    state.topics = topicList
                    state.phase = .ready
                } else {
                    state.phase = .reading(stories: [], topics: [])
                }
                return (stories, topics)
            }
            // Installed, or forgotten meanwhile (a whole site was restored: the server's service reads it again).
            guard let changed, !changed.stories.isEmpty || !changed.topics.isEmpty else { return }
            try await database.read { sql in
                try await self.reread(stories: changed.stories, topics: changed.topics, in: sql)
            }.apply(to: &headlines, &topicList)
        }
    }

    /// Reads the stories and topics named again through `sql` (inside the dispatcher's transaction) and keeps what
    /// they are now: a published story with its headline, a topic while it has a published story.
    func refresh(stories: Set<Int64>, topics: Set<Int64>, in sql: any SQLDatabase) async throws {
        guard !stories.isEmpty || !topics.isEmpty else { return }
        let ready = state.withLock { state -> Bool in
            state.generation += 1
            for id in stories { state.links[id] = nil }
            switch state.phase {
            case .unread: return false
            case .reading(let changedStories, let changedTopics):
                state.phase = .reading(stories: changedStories.union(stories), topics: changedTopics.union(topics))
                return false
            case .ready: return true
            }
        }
        guard ready else { return }
        let fresh = try await reread(stories: stories, topics: topics, in: sql)
        state.withLock { state in
            guard case .ready = state.phase else { return }
            fresh.apply(to: &state.headlines, &state.topics)
        }
    }

    /// Forgets everything, after a whole site was restored: suggestions ask the database until the server's service
    /// has read the index again.
    func reset() {
        state.withLock { state in
            // A reading under way sees this and stops without installing what it read.
            state.phase = .unread
            state.generation += 1
            state.links = [:]
            state.headlines = HeadlineIndex()
            state.topics = TopicList()
        }
    }

    /// What the stories and topics named are now.
    private struct Fresh {
        var stories: Set<Int64>
        var headlines: [StoryTerms]
        var topics: Set<Int64>
        var listed: [ListedTopic]

        func apply(to index: inout HeadlineIndex, _ list: inout TopicList) {
            var gone = stories
            for story in headlines {
                index.update(id: story.id, publishedAt: story.publishedAt, terms: story.terms)
                gone.remove(story.id)
            }
            for id in gone { index.remove(id: id) }
            list.update(topics, to: listed)
        }
    }

    private func reread(stories: Set<Int64>, topics: Set<Int64>, in sql: any SQLDatabase) async throws -> Fresh {
        var headlines: [StoryTerms] = []
        for chunk in Array(stories).chunks(of: ArticleRepository.rowsPerStatement) {
            let list = SQLGroupExpression(SQLList(chunk.map { SQLBind($0) }))
            headlines += try await sql.raw(
                "SELECT id, title, published_at FROM articles WHERE status = 'published' AND id IN \(list)"
            ).all().map { try Headline(row: $0).terms(analyzer) }
        }
        return Fresh(
            stories: stories, headlines: headlines, topics: topics,
            listed: topics.isEmpty ? [] : try await Self.readTopics(Array(topics), in: sql))
    }

    /// Every published story's headline terms, read in batches by id and analysed on every core, with a word cache
    /// of its own (filling the shared one with every headline's words would hold their analyses for good).
    private func readHeadlines(from database: Database) async throws -> HeadlineIndex {
        var builder = HeadlineIndex.Builder()
        let analyzer = self.analyzer.withOwnCache(limit: Self.readBatch * 4)
        var after: Int64 = 0
        while true {
            let rows = try await database.read { [after] sql in
                try await sql.raw(
                    "SELECT id, title, published_at FROM articles WHERE status = 'published' AND id > \(bind: after) ORDER BY id LIMIT \(bind: Self.readBatch)"
                ).all().map(Headline.init(row:))
            }
            guard let last = rows.last else { return builder.build() }
            try Task.checkCancellation()
            after = last.id
            builder.add(await rows.concurrentMap { $0.terms(analyzer) })
        }
    }

    /// The topics (all, or those of `ids`) that have a published story, each with its first story's time.
    private static func readTopics(_ ids: [Int64]?, in sql: any SQLDatabase) async throws -> [ListedTopic] {
        var chosen: SQLQueryString = ""
        if let ids {
            chosen = "WHERE t.id IN \(SQLGroupExpression(SQLList((ids + [-1]).map { SQLBind($0) })))"
        }
        return try await sql.raw(
            "SELECT t.id, t.slug, t.name, MIN(a.published_at) AS first FROM tags t JOIN article_tags x ON x.tag_id = t.id JOIN articles a ON a.id = x.article_id AND a.status = 'published' \(chosen) GROUP BY t.id, t.slug, t.name"
        ).all().map { row in
            ListedTopic(tag: try row.tag(), first: try row.decode(column: "first", as: Int64?.self) ?? 0)
        }
    }

    /// A published story's headline as stored.
    private struct Headline: Sendable {
        var id: Int64
        var title: String
        var publishedAt: Int64

        init(row: any SQLRow) throws {
            id = try row.decode(column: "id", as: Int64.self)
            title = try row.decode(column: "title", as: String.self)
            publishedAt = try row.decode(column: "published_at", as: Int64?.self) ?? 0
        }

        /// Its terms as the search index holds the headline's (``SearchIndex/document(_:analyzer:vocabulary:seen:)``).
        func terms(_ analyzer: TextAnalyzer) -> StoryTerms {
            var terms: [String] = []
            analyzer.forEachIndexPosition(in: title) { terms += $0.lexemes }
            return StoryTerms(id: id, publishedAt: publishedAt, terms: terms)
        }
    }

    private typealias StoryTerms = (id: Int64, publishedAt: Int64, terms: [String])
}

/// A topic that has a published story, and when its first was published.
struct ListedTopic: Sendable {
    var tag: Tag
    var first: Int64
}

/// The topics that have a published story, in the byte order of their slugs.
struct TopicList: Sendable {
    private var topics: [ListedTopic] = []

    init(_ topics: [ListedTopic] = []) {
        self.topics = topics.sorted { Self.precedes($0.tag.slug, $1.tag.slug) }
    }

    /// Up to `limit` topics whose slug starts with `prefix` and whose first story was published by `now`.
    func starting(with prefix: String, now: Int64, limit: Int) -> [Tag] {
        guard !prefix.isEmpty else { return [] }
        var found: [Tag] = []
        var index = lowerBound(prefix)
        while index < topics.count, found.count < limit, topics[index].tag.slug.utf8.starts(with: prefix.utf8) {
            if topics[index].first <= now { found.append(topics[index].tag) }
            index += 1
        }
        return found
    }

    /// Replaces the topics `ids` with `listed` (those of them that have a published story now).
    mutating func update(_ ids: Set<Int64>, to listed: [ListedTopic]) {
        guard !ids.isEmpty else { return }
        topics.removeAll { $0.tag.id.map(ids.contains) ?? false }
        for topic in listed { topics.insert(topic, at: lowerBound(topic.tag.slug)) }
    }

    private func lowerBound(_ slug: String) -> Int {
        topics.partitionPoint { Self.precedes($0.tag.slug, slug) }
    }

    private static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}

/// Keeps ``SuggestionIndex`` current: every story and topic an event names is read again. Node-local: each server
/// holds its own copy.
public struct SuggestionIndexSubscriber: ChangeSubscriber {
    public let name = "suggestion-index"
    public let isNodeLocal = true
    let index: SuggestionIndex

    /// Creates the subscriber.
    public init(_ index: SuggestionIndex) {
        self.index = index
    }

    public func apply(_ events: [ChangeEvent], in sql: any SQLDatabase) async throws {
        if events.contains(where: { $0.action == .siteRestored }) {
            index.reset()
            return
        }
        try await index.refresh(
            stories: Set(events.compactMap(\.articleID)), topics: Set(events.flatMap(\.tagIDs)), in: sql)
    }
}
