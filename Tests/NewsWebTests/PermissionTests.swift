import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("Every newsroom route checks the role on the server")
struct PermissionTests {
    enum Who: String, CaseIterable, Sendable {
        case anonymous, contributor, journalist, editor, administrator
    }

    @Test("route × role", arguments: Who.allCases)
    func matrix(who: Who) async throws {
        try await withSite(.sqlite) { client, database in
            let story = try #require(try await ArticleRepository(database: database).find(slug: referenceSlug)).id!
            var member: Member?
            if let role = Role(rawValue: who.rawValue) {
                member = try await client.member(database, "\(who.rawValue)@example.com", role: role)
            }
            let jar = member?.jar ?? CookieJar()
            func get(_ uri: String) async throws -> HTTPResponse.Status {
                try await client.browse(uri, jar: jar).status
            }
            func post(_ uri: String, _ fields: [String: String] = [:]) async throws -> Page {
                if let member { return try await client.post(uri, as: member, fields) }
                return try await client.browse(uri, jar: jar, method: .post, form: fields)
            }
            let isStaff = member != nil
            let canEditAny = who == .editor || who == .administrator

            // Reading the newsroom.
            #expect(try await get("/admin") == (isStaff ? .ok : .seeOther))
            #expect(try await get("/admin/articles/new") == (isStaff ? .ok : .seeOther))
            #expect(try await get("/admin/media.json") == (isStaff ? .ok : .seeOther))
            #expect(try await get("/admin/authors.json") == (isStaff ? .ok : .seeOther))
            #expect(try await get("/admin/articles.json?q=a") == (isStaff ? .ok : .seeOther))
            // Administration.
            let adminStatus: HTTPResponse.Status = !isStaff ? .seeOther : (who == .administrator ? .ok : .forbidden)
            #expect(try await get("/admin/people") == adminStatus)
            #expect(try await get("/admin/rubrics") == adminStatus)
            #expect(try await get("/admin/settings") == adminStatus)
            let rename = try await post("/admin/settings", ["site_name": "Захоплено", "cta_text": "", "cta_url": ""])
            #expect(rename.status == (who == .administrator ? .seeOther : .forbidden))
            #expect(try await client.page("/").body.contains("Захоплено") == (who == .administrator))
            // Someone else's story.
            let otherStatus: HTTPResponse.Status = !isStaff ? .seeOther : (canEditAny ? .ok : .forbidden)
            #expect(try await get("/admin/articles/\(story)") == otherStatus)
            #expect(try await get("/admin/articles/\(story)/preview") == otherStatus)
            #expect(try await get("/admin/articles/\(story)/revisions") == otherStatus)

            // Changing things.
            let create = try await post("/admin/articles", articleFields(title: "Матеріал \(who.rawValue)"))
            #expect(create.status == (isStaff ? .seeOther : .forbidden))
            let unpublish = try await post("/admin/articles/\(story)/transition", ["to": "unpublished"])
            if canEditAny {
                #expect(unpublish.headers[.location]?.hasSuffix("notice=moved") == true)
                #expect(try await ArticleRepository(database: database).find(id: story)?.status == .unpublished)
            } else if isStaff {
                #expect(unpublish.status == .forbidden)
                #expect(try await ArticleRepository(database: database).find(id: story)?.status == .published)
            } else {
                #expect(unpublish.status == .forbidden)
            }
            let takeOver = try await post("/admin/articles/\(story)/take-over")
            #expect(takeOver.status == (canEditAny ? .seeOther : .forbidden))

            // The staff member's own new draft: the workflow by role.
            if let member, let id = articleID(fromLocation: create.headers[.location]) {
                #expect(try await get("/admin/articles/\(id)") == .ok)
                let submit = try await client.post("/admin/articles/\(id)/transition", as: member, ["to": "review"])
                let submitted = try await ArticleRepository(database: database).find(id: id)?.status == .review
                #expect(submitted == (who != .contributor), "\(who) submitting: \(submit.headers[.location] ?? "")")
                _ = try await client.post("/admin/articles/\(id)/transition", as: member, ["to": "published"])
                let published = try await ArticleRepository(database: database).find(id: id)?.status == .published
                #expect(published == canEditAny)
            }
        }
    }
}
