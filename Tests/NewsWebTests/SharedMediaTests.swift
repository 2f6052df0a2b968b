import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NewsCore
import NewsData
import NewsWeb
import TestSupport
import Testing

/// Several nodes of one newspaper (issue #12, storage): they share the database and a media directory (a network
/// share), so a photo uploaded to one is served by every one, and its renditions are cut once.
@Suite("Photos shared by several nodes")
struct SharedMediaTests {
    @Test(
        "an upload on one node is served by another; both make renditions at once and each photo is cut once",
        arguments: TestEngine.available)
    func twoNodes(engine: TestEngine) async throws {
        try await withWeb(engine, demo: false) { first in
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            // Nodes share a PostgreSQL database, each with its own connections. An SQLite file belongs to one server, so
            // there the two environments share its one handle (the claims are what is tested).
            let database =
                engine == .postgres
                ? try await Database.open(first.database.location, maxConnections: 3, logger: logger) : first.database
            do {
                let second = try await WebEnvironment(settings: first.settings, database: database, logger: logger)
                let ids = try await buildApplication(first).test(.router) { client in
                    var ids: [Int64] = []
                    let editor = try await client.member(first.database, "editor@example.com", role: .editor)
                    let token = try await AdminAPITests.token(first.database, for: editor)
                    for fixture in ["landscape.jpg", "noise.jpg", "halves.jpg"] {
                        let (status, media) = try await RenditionTests.upload(fixture, client: client, token: token)
                        #expect(status == .created)
                        ids.append(try #require((media["id"] as? NSNumber)?.int64Value))
                    }
                    let created = try await client.admin(
                        "/api/v1/admin/articles", token: token, method: .post,
                        json: #"{"title":"Два вузли","lede":"Абзац.","cover_id":\#(ids[0])}"#)
                    _ = try await client.admin(
                        "/api/v1/admin/articles/\(try #require(created.articleID))/transition", token: token,
                        method: .post, json: #"{"to":"published"}"#)
                    return ids
                }
                // Both nodes' background services at once.
                async let one: Void = RenditionService(web: first).pass()
                async let two: Void = RenditionService(web: second).pass()
                _ = await (one, two)
                let events = try await ChangeLog(database: first.database).all().filter { $0.action == .mediaProcessed }
                #expect(events.count == ids.count, "each photo cut once: \(events.map { $0.subject ?? "" })")
                let repository = MediaRepository(database: database)
                // The other node serves what the first stored and either made.
                try await buildApplication(second).test(.router) { client in
                    for id in ids {
                        let media = try #require(try await repository.find(id: id))
                        #expect(!media.renditions.isEmpty)
                        #expect(try await client.page("/media/" + media.file).status == .ok)
                        for rendition in media.renditions {
                            let answer = try await client.page(
                                "/media/" + rendition.fileName(of: media.file, focus: media.focus))
                            #expect(
                                answer.status == .ok && answer.headers[.cacheControl]?.contains("immutable") == true)
                        }
                    }
                    let page = try await client.page("/news/dva-vuzly")
                    let cover = try #require(try await repository.find(id: ids[0]))
                    #expect(page.body.contains(try #require(cover.master).fileName(of: cover.file, focus: cover.focus)))
                }
                // A claim another node holds is respected until it runs out.
                let claimed = try await Newsroom(database: first.database).changeMedia(
                    id: ids[1], details: MediaDetails(alt: "Шум", credit: "Фото: тест", caption: nil, creditURL: nil),
                    focus: FocalPoint(x: 0.1, y: 0.9), by: .commandLine)
                #expect(claimed.renditions.isEmpty)
                #expect(try await repository.claimRenditions(of: ids[1], lease: 60))
                #expect(try await !repository.claimRenditions(of: ids[1], lease: 60))
                #expect(try await repository.awaitingRenditions(limit: 10).isEmpty)
                #expect(try await repository.claimRenditions(of: ids[1], now: Date().addingTimeInterval(61)))
                if engine == .postgres { await database.close() }
            } catch {
                if engine == .postgres { await database.close() }
                throw error
            }
        }
    }
}
