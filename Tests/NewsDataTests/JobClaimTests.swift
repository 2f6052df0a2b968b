import Foundation
import NewsCore
import NewsData
import TestSupport
import Testing

/// Queued jobs are claimed by one node at a time, and a node that stops in the middle leaves its jobs to another once
/// their lease is over (issue #15): webhook deliveries and CDN purges.
@Suite("Job claims")
struct JobClaimTests {
    @Test(
        "two nodes taking due deliveries and purges at once take each once; a lapsed lease gives them back",
        arguments: TestEngine.available)
    func claims(engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let newsroom = Newsroom(database: database, users: UserRepository(database: database, bcryptCost: 4))
            let start = Date()
            try await newsroom.changeSettings(
                [CDNPurges.Key.url: "https://cdn.example/purge"], by: .commandLine, now: start)
            _ = try await newsroom.addWebhook(
                url: "https://hooks.example/in", events: [.articlePublished], by: .commandLine, now: start)
            let editor = try await newsroom.addPerson(
                email: "e@example.com", name: "Редактор", role: .editor, password: "password-123",
                by: .commandLine)
            for number in 1...12 {
                let (story, _) = try await newsroom.create(
                    Article(slug: "job-\(number)", title: "Новина \(number)", body: [.paragraph(spans: [Span("Т")])]),
                    by: editor, now: start)
                try await newsroom.transition(story.id!, to: .published, by: editor, now: start)
            }
            try await ChangeDispatcher(
                database: database,
                subscribers: [CDNPurgeSubscriber(), WebhookSubscriber(base: "https://news.example")]
            ).drain()
            let webhooks = Webhooks(database: database)
            let purges = CDNPurges(database: database)
            let deliveries = try await webhooks.pending()
            let queued = try await purges.pending()
            try #require(deliveries == 12 && queued >= 1, "\(deliveries) deliveries, \(queued) purges")

            // A minute after the queueing (which may take a while on a busy machine): every job is due.
            let now = Date().addingTimeInterval(60)
            async let firstDeliveries = webhooks.due(now: now, lease: 300, limit: 8)
            async let secondDeliveries = Webhooks(database: database).due(now: now, lease: 300, limit: 8)
            async let firstPurges = purges.due(now: now, lease: 300, limit: 8)
            async let secondPurges = CDNPurges(database: database).due(now: now, lease: 300, limit: 8)
            let (a, b, c, d) = try await (firstDeliveries, secondDeliveries, firstPurges, secondPurges)
            #expect(Set(a.map(\.id)).isDisjoint(with: b.map(\.id)), "no delivery taken by both")
            #expect(a.count + b.count == 12)
            #expect(Set(c.map(\.id)).isDisjoint(with: d.map(\.id)), "no purge taken by both")
            #expect(c.count + d.count == min(queued, 16))

            // Held: nobody takes them again while the lease runs.
            #expect(try await webhooks.due(now: now.addingTimeInterval(299), limit: 100).isEmpty)
            // One is sent; the node holding the others stops. After the lease, another node takes the rest.
            let sent = try #require((a + b).first)
            try await webhooks.delivered(sent.id, status: 200, now: now)
            let retaken = try await webhooks.due(now: now.addingTimeInterval(301), limit: 100)
            #expect(Set(retaken.map(\.id)) == Set((a + b).map(\.id)).subtracting([sent.id]))
            #expect(try await purges.due(now: now.addingTimeInterval(301), limit: 100).count == queued)
        }
    }
}
