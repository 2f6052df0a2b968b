import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import TestSupport
import Testing

/// A signed-in newsroom member in a test: their cookie jar and CSRF token.
struct Member {
    let user: User
    let jar: CookieJar
    let csrf: String
}

let memberPassword = "correct horse battery"

extension TestClientProtocol {
    /// Adds an account with `role` and signs it in.
    func member(_ database: Database, _ email: String, role: Role, name: String? = nil, authorID: Int64? = nil)
        async throws -> Member
    {
        let users = UserRepository(database: database, bcryptCost: 4)
        var user = try await Newsroom(database: database, users: users).addPerson(
            email: email, name: name ?? email, role: role, password: memberPassword, by: .commandLine)
        // The account's audit entry is written now, not by the server's dispatcher during the next request.
        try await ChangeDispatcher(database: database, subscribers: [AuditSubscriber()]).drain()
        if let authorID {
            try await users.setAuthor(authorID, for: user.id!)
            user.authorID = authorID
        }
        let jar = CookieJar()
        let form = try await browse("/admin/login", jar: jar)
        let loginToken = try #require(form.body.captures(#"name="_csrf" value="([^"]+)""#).first)
        let result = try await browse(
            "/admin/login", jar: jar, method: .post,
            form: ["_csrf": loginToken, "email": email, "password": memberPassword, "next": "/admin"])
        #expect(result.status == .seeOther, "sign-in of \(email)")
        let page = try await browse("/admin", jar: jar)
        let csrf = try #require(page.body.captures(#"name="_csrf" value="([^"]+)""#).first)
        return Member(user: user, jar: jar, csrf: csrf)
    }

    /// Posts a form as `member` (with their CSRF token).
    func post(_ uri: String, as member: Member, _ fields: [String: String] = [:], pairs: [(String, String)] = [])
        async throws -> Page
    {
        var form = fields
        form["_csrf"] = member.csrf
        return try await browse(uri, jar: member.jar, method: .post, form: form, pairs: pairs)
    }

    /// Creates a draft through the newsroom's form as `member`; returns its id.
    func createDraft(_ title: String, as member: Member, extra: [String: String] = [:]) async throws -> Int64 {
        let created = try await post("/admin/articles", as: member, articleFields(title: title, extra: extra))
        return try #require(articleID(fromLocation: created.headers[.location]), "created \(title)")
    }

    /// Opens the editor of `id` as `member` as its script does: the page (GET, which never locks), then the
    /// lock (POST); returns the page, the lock token (empty when someone else holds it) and the version.
    func openEditor(_ id: Int64, as member: Member) async throws -> (page: Page, lock: String, version: String) {
        let page = try await browse("/admin/articles/\(id)", jar: member.jar)
        var lock = page.body.captures(#"name="lock" value="([^"]*)""#).first ?? ""
        if lock.isEmpty, page.status == .ok, page.body.contains("data-lock=") {
            let reply = try await post("/admin/articles/\(id)/lock", as: member)
            lock = reply.body.captures(#""token":"([^"]+)""#).first ?? ""
        }
        let version = page.body.captures(#"name="version" value="([^"]*)""#).first ?? ""
        return (page, lock, version)
    }
}

/// The fields of a simple article form.
func articleFields(
    title: String,
    body: String = #"[{"paragraph":{"spans":[{"text":"Текст статті"}]}},{"heading":{"text":"Підзаголовок"}}]"#,
    extra: [String: String] = [:]
) -> [String: String] {
    var fields = [
        "title": title, "slug": "", "lede": "Лід статті", "teaser": "", "rubric": "podrobytsi",
        "tags": "Київ, Нова мітка",
        "bylines": "Олена Ковальська", "cover_media": "", "seo_title": "", "seo_description": "",
        "note": "для редакції",
        "body": body,
    ]
    for (key, value) in extra { fields[key] = value }
    return fields
}

/// The id in an editor URL ("/admin/articles/42?notice=created").
func articleID(fromLocation location: String?) -> Int64? {
    location.flatMap { $0.captures(#"/admin/articles/(\d+)"#).first }.flatMap { Int64($0) }
}
