import Foundation
import NewsCore
import NewsData

/// Small builders for test data.
public struct Fixtures: Sendable {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A rubric, tag and author, stored.
    public func catalog() async throws -> (rubric: Rubric, tag: Tag, author: Author) {
        let rubric = try await RubricRepository(database: database).upsert(
            Rubric(slug: "podrobytsi", name: "Подробиці"))
        let tag = try await TagRepository(database: database).upsert(Tag(slug: "kyiv", name: "Київ"))
        let author = try await AuthorRepository(database: database).upsert(
            Author(slug: "olena-kovalska", name: "Олена Ковальська", login: "olena"))
        return (rubric, tag, author)
    }

    /// `count` published articles, one a minute back from `start`, newest first by time.
    @discardableResult
    public func publish(
        _ count: Int, start: Date, rubricID: Int64? = nil, tagIDs: [Int64] = [], bylineIDs: [Int64] = [],
        prefix: String = "story"
    ) async throws -> [Article] {
        var stored: [Article] = []
        for index in 0..<count {
            let time = start.addingTimeInterval(-60 * Double(index))
            stored.append(
                try await ArticleRepository(database: database).save(
                    Article(
                        slug: "\(prefix)-\(index)", title: "Новина \(index)", lede: "Лід \(index)",
                        body: [.paragraph(spans: [Span("Текст \(index)")])], rubricID: rubricID, tagIDs: tagIDs,
                        bylineIDs: bylineIDs, status: .published, publishedAt: time, updatedAt: time, createdAt: time)))
        }
        return stored
    }
}
