import Foundation
import HTTPTypes
import HummingbirdTesting
import NewsCore
import NewsData
import TestSupport
import Testing

@Suite("Newsroom sign-in, sessions and CSRF")
struct NewsroomAuthTests {
    static let password = "correct horse battery"

    func addUser(_ database: Database, _ email: String, role: Role, authorID: Int64? = nil) async throws -> User {
        let users = UserRepository(database: database, bcryptCost: 4)
        let user = try await Newsroom(database: database, users: users).addPerson(
            email: email, name: email, role: role, password: Self.password, by: .commandLine)
        // The account's audit entry is written now, not by the server's dispatcher during the next request.
        try await ChangeDispatcher(database: database, subscribers: [AuditSubscriber()]).drain()
        return user
    }

    /// Opens the login form and signs in; returns the final response.
    func signIn(
        _ client: any TestClientProtocol, jar: CookieJar, email: String, password: String = password,
        next: String? = nil
    )
        async throws -> Page
    {
        let form = try await client.browse("/admin/login" + (next.map { "?next=" + $0 } ?? ""), jar: jar)
        let csrf = try #require(form.body.captures(#"name="_csrf" value="([^"]+)""#).first)
        let nextValue = form.body.captures(#"name="next" value="([^"]*)""#).first ?? "/admin"
        return try await client.browse(
            "/admin/login", jar: jar, method: .post,
            form: [
                "_csrf": csrf, "email": email, "password": password,
                "next": nextValue.replacingOccurrences(of: "&amp;", with: "&"),
            ])
    }

    @Test("the newsroom needs a session; signing in opens it", arguments: TestEngine.available)
    func signInFlow(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            _ = try await addUser(database, "olena@example.com", role: .editor)
            let jar = CookieJar()
            let closed = try await client.browse("/admin?status=draft", jar: jar)
            #expect(closed.status == .seeOther)
            #expect(closed.headers[.location] == "/admin/login?next=%2Fadmin%3Fstatus%3Ddraft")
            let result = try await signIn(
                client, jar: jar, email: "Olena@Example.com", next: "%2Fadmin%3Fstatus%3Ddraft")
            #expect(result.status == .seeOther)
            #expect(result.headers[.location] == "/admin?status=draft")
            let cookie = try #require(result.headers[values: .setCookie].first { $0.hasPrefix("shpalta_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Secure"))  // the test site's base URL is https
            let list = try await client.browse("/admin", jar: jar)
            #expect(list.status == .ok)
            #expect(list.headers[.cacheControl] == "no-store")
            #expect(list.body.contains("Путін вперше за 24 роки"))
            let audit = try await AuditLog(database: database).latest()
            #expect(audit.first?.action == "login")
        }
    }

    @Test("wrong passwords, unknown and disabled accounts get the same refusal", arguments: TestEngine.available)
    func refusals(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let user = try await addUser(database, "ed@example.com", role: .editor)
            let wrong = try await signIn(client, jar: CookieJar(), email: "ed@example.com", password: "wrong password!")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("Неправильна пошта або пароль."))
            #expect(wrong.body.contains(#"value="ed@example.com""#))
            let unknown = try await signIn(client, jar: CookieJar(), email: "nobody@example.com")
            #expect(unknown.status == .unauthorized)
            try await Newsroom(database: database).setDisabled(true, of: user.id!, by: .commandLine)
            let disabled = try await signIn(client, jar: CookieJar(), email: "ed@example.com")
            #expect(disabled.status == .unauthorized)
            #expect(try await AuditLog(database: database).latest().filter { $0.action == "login_failed" }.count == 3)
        }
    }

    @Test("too many failures lock the account out, even with the right password", arguments: TestEngine.available)
    func throttling(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            _ = try await addUser(database, "ed@example.com", role: .editor)
            for _ in 0..<LoginThrottle.Limits().perAccountAndAddress {
                let page = try await signIn(
                    client, jar: CookieJar(), email: "ed@example.com", password: "wrong password!")
                #expect(page.status == .unauthorized)
            }
            let locked = try await signIn(client, jar: CookieJar(), email: "ed@example.com")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("Забагато невдалих спроб"))
        }
    }

    @Test("posts without the right CSRF token are refused", arguments: TestEngine.available)
    func csrf(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            _ = try await addUser(database, "ed@example.com", role: .editor)
            let jar = CookieJar()
            _ = try await client.browse("/admin/login", jar: jar)
            let forged = try await client.browse(
                "/admin/login", jar: jar, method: .post,
                form: ["_csrf": "forged", "email": "ed@example.com", "password": Self.password])
            #expect(forged.status == .forbidden)
            #expect(forged.body.contains("Форма застаріла"))
            let noCookie = try await client.browse(
                "/admin/login", jar: CookieJar(), method: .post,
                form: ["_csrf": "x", "email": "ed@example.com", "password": Self.password])
            #expect(noCookie.status == .forbidden)
            // Signed in, a logout without the session's token is refused and the session lives on.
            _ = try await signIn(client, jar: jar, email: "ed@example.com")
            let logout = try await client.browse("/admin/logout", jar: jar, method: .post, form: ["_csrf": "nope"])
            #expect(logout.status == .forbidden)
            #expect(try await client.browse("/admin", jar: jar).status == .ok)
            let page = try await client.browse("/admin", jar: jar)
            let token = try #require(page.body.captures(#"name="_csrf" value="([^"]+)""#).first)
            let out = try await client.browse("/admin/logout", jar: jar, method: .post, form: ["_csrf": token])
            #expect(out.status == .seeOther)
            #expect(try await client.browse("/admin", jar: jar).status == .seeOther)
        }
    }

    @Test("signing in always issues a new session token (no fixation)", arguments: TestEngine.available)
    func rotation(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            _ = try await addUser(database, "ed@example.com", role: .editor)
            let jar = CookieJar()
            jar["shpalta_session"] = "planted-by-an-attacker"
            _ = try await signIn(client, jar: jar, email: "ed@example.com")
            let first = try #require(jar["shpalta_session"])
            #expect(first != "planted-by-an-attacker")
            let other = CookieJar()
            _ = try await signIn(client, jar: other, email: "ed@example.com")
            #expect(other["shpalta_session"] != first)
            #expect(try await client.browse("/admin", jar: jar).status == .ok)
            #expect(try await client.browse("/admin", jar: other).status == .ok)
            let planted = CookieJar()
            planted["shpalta_session"] = "planted-by-an-attacker"
            #expect(try await client.browse("/admin", jar: planted).status == .seeOther)
        }
    }

    @Test("a disabled account's session ends at once", arguments: TestEngine.available)
    func disableEndsSessions(engine: TestEngine) async throws {
        try await withSite(engine, demo: false) { client, database in
            let user = try await addUser(database, "ed@example.com", role: .editor)
            let jar = CookieJar()
            _ = try await signIn(client, jar: jar, email: "ed@example.com")
            #expect(try await client.browse("/admin", jar: jar).status == .ok)
            try await Newsroom(database: database).setDisabled(true, of: user.id!, by: .commandLine)
            #expect(try await client.browse("/admin", jar: jar).status == .seeOther)
        }
    }

    @Test(
        "the login form never redirects off the newsroom",
        arguments: ["//evil.example", "https://evil.example/admin", "/news", "/admin\\\\x"])
    func openRedirect(next: String) async throws {
        try await withSite(.sqlite, demo: false) { client, database in
            _ = try await addUser(database, "ed@example.com", role: .editor)
            let jar = CookieJar()
            let form = try await client.browse("/admin/login", jar: jar)
            let csrf = try #require(form.body.captures(#"name="_csrf" value="([^"]+)""#).first)
            let result = try await client.browse(
                "/admin/login", jar: jar, method: .post,
                form: ["_csrf": csrf, "email": "ed@example.com", "password": Self.password, "next": next])
            #expect(result.headers[.location] == "/admin")
        }
    }

    @Test("journalists see their own articles; editors see all; filters work", arguments: TestEngine.available)
    func listPermissions(engine: TestEngine) async throws {
        try await withSite(engine) { client, database in
            let author = try #require(
                try await AuthorRepository(database: database).find(slug: "olena-kovalska")?.author)
            let journalist = try await addUser(database, "olena@example.com", role: .journalist)
            try await UserRepository(database: database).setAuthor(author.id, for: journalist.id!)
            _ = try await addUser(database, "ed@example.com", role: .editor)
            let own = try await ArticleRepository(database: database).save(
                Article(slug: "chernetka", title: "Моя чернетка про Київ", status: .draft, createdBy: journalist.id))

            let jJar = CookieJar()
            _ = try await signIn(client, jar: jJar, email: "olena@example.com")
            let mine = try await client.browse("/admin", jar: jJar).body
            #expect(mine.contains("Моя чернетка про Київ"))
            #expect(mine.contains("Путін вперше"))  // her byline
            #expect(!mine.contains("Трамп назвав"))  // someone else's story

            let eJar = CookieJar()
            _ = try await signIn(client, jar: eJar, email: "ed@example.com")
            let all = try await client.browse("/admin", jar: eJar).body
            #expect(all.contains("Трамп назвав"))
            #expect(all.contains("Моя чернетка про Київ"))
            let drafts = try await client.browse("/admin?status=draft", jar: eJar).body
            #expect(drafts.contains("Моя чернетка") && !drafts.contains("Трамп назвав"))
            let text = try await client.browse("/admin?q=%D0%BA%D0%B8%D1%97%D0%B2", jar: eJar).body  // "київ"
            #expect(text.contains("Моя чернетка про Київ"))
            let sport = try await client.browse("/admin?rubric=sport", jar: eJar).body
            #expect(!sport.contains("Моя чернетка") && sport.contains("<tbody>"))
            #expect(try await client.browse("/admin?status=bogus", jar: eJar).status == .badRequest)
            #expect(try await client.browse("/admin?after=bogus", jar: eJar).status == .badRequest)
            _ = own
        }
    }
}
