import Foundation
import NewsCore
import NewsData
import SQLKit
import TestSupport
import Testing

/// Which stories show which photo (`article_media`): written with every save, and filled from the stories already
/// stored when the table arrives (migration 17).
@Suite("The stories that show a photo")
struct ArticleMediaTests {
    static func photo(_ database: Database, _ file: String, in paths: TestPaths) async throws -> Media {
        let store = try DirectoryMediaStore(root: paths.media)
        let upload = try store.temporaryFile()
        try Data("photo".utf8).write(to: upload)
        return try await Newsroom(database: database).addMedia(
            Media(file: file, mimeType: "image/jpeg", width: 10, height: 10, credit: "Фото: тест", alt: "Тест"),
            file: upload, into: store, by: .commandLine)
    }

    @Test("saves keep the list; the migration fills it from covers and photo blocks", arguments: TestEngine.available)
    func followsSaves(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, paths in
            let editor = try await ChangeEventTests().editor(database)
            let newsroom = Newsroom(database: database)
            let (a, b, c) = (
                try await Self.photo(database, "u-a.jpg", in: paths),
                try await Self.photo(database, "u-b.jpg", in: paths),
                try await Self.photo(database, "u-c.jpg", in: paths)
            )
            let (story, token) = try await newsroom.create(
                Article(
                    slug: "z-foto", title: "З фото", lede: "Абзац.",
                    body: [
                        .image(mediaID: b.id!, caption: nil, credit: nil), .paragraph(spans: [Span("Текст.")]),
                        .image(mediaID: a.id!, caption: "Інший підпис", credit: nil),
                    ], coverMediaID: a.id), by: editor)
            let media = MediaRepository(database: database)
            #expect(try await media.usages(of: a.id!).map(\.articleID) == [story.id!])
            #expect(try await media.usages(of: b.id!).map(\.articleID) == [story.id!])
            #expect(try await media.usages(of: c.id!).isEmpty)
            // A save that swaps the photos moves the rows with it.
            var changed = story
            changed.coverMediaID = c.id
            changed.body = [.paragraph(spans: [Span("Без фото в тексті.")])]
            try await newsroom.save(changed, expectedVersion: story.version, lockToken: token, by: editor)
            #expect(try await media.usages(of: a.id!).isEmpty)
            #expect(try await media.usages(of: b.id!).isEmpty)
            #expect(try await media.usages(of: c.id!).map(\.articleID) == [story.id!])
            let (second, _) = try await newsroom.create(
                Article(
                    slug: "druha", title: "Друга", lede: "Абзац.",
                    body: [.image(mediaID: b.id!, caption: nil, credit: nil)]), by: editor)

            // The table as migration 17 fills it from what is stored.
            try await database.transaction { sql in
                try await sql.raw("DROP TABLE article_media").run()
                try await sql.raw("DELETE FROM schema_migrations WHERE number = 17").run()
            }
            #expect(try await Migrator(database: database).migrate() == [17])
            #expect(try await media.usages(of: c.id!).map(\.articleID) == [story.id!])
            #expect(try await media.usages(of: b.id!).map(\.articleID) == [second.id!])
            #expect(try await media.usages(of: a.id!).isEmpty)
        }
    }
}
