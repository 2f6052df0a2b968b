import Foundation
import NewsCore
import NewsData
import SQLKit

// Test data written straight to the tables, each in its own transaction and without a change event: only for
// setting up a test. The product writes through the newsroom's use cases (`Newsroom`), and `OneWritePathTests`
// checks that no product code calls the repositories' writers outside them.

extension ArticleRepository {
    /// Stores `article` (a new one when its `id` is nil) with its tags and bylines.
    @discardableResult
    public func save(_ article: Article) async throws -> Article {
        try await database.transaction { sql in try await Self.save(article, in: sql) }
    }
}

extension RubricRepository {
    @discardableResult
    public func upsert(_ rubric: Rubric) async throws -> Rubric {
        try await database.transaction { sql in try await Self.upsert(rubric, in: sql) }
    }
}

extension TagRepository {
    @discardableResult
    public func upsert(_ tag: Tag) async throws -> Tag {
        try await database.transaction { sql in try await Self.upsert(tag, in: sql) }
    }
}

extension AuthorRepository {
    @discardableResult
    public func upsert(_ author: Author) async throws -> Author {
        try await database.transaction { sql in try await Self.upsert(author, in: sql) }
    }
}

extension MediaRepository {
    @discardableResult
    public func insert(_ media: Media) async throws -> Media {
        try await database.transaction { sql in try await Self.insert(media, in: sql) }
    }
}

extension UserRepository {
    /// Links the account `id` to the byline it writes under.
    public func setAuthor(_ authorID: Int64?, for id: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw("UPDATE users SET author_id = \(bind: authorID) WHERE id = \(bind: id)").run()
        }
    }
}
