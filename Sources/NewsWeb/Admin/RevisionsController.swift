import Foundation
import Hummingbird
import NewsCore
import NewsData
import Templates

/// A story's history: every saved version with who and when, a readable diff between any two, and
/// restore.
struct RevisionsController {
    let web: WebEnvironment

    func addRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.adminArticleAction(.revisions)) { request, context in
            try await list(request, context)
        }
        router.post(SiteURL.Pattern.adminRestore, form: Restore.self) { request, context, form in
            try await restore(form, request, context)
        }
    }

    private var newsroom: Newsroom { web.newsroom }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session else { throw PageError.notFound }
        let id = try EditorController.id(context)
        let article = try await EditorController(web: web).openOrRefuse(id, for: session.user)
        let revisions = try await newsroom.revisions(of: id)
        let view = try await web.view()
        let t = view.t
        var data = view.newsroomRoot(
            session: session, title: t["admin_revisions_title"] + ": " + article.title, path: request.uri.path)
        data["article"] = ["title": .string(article.title), "editURL": .string(EditorController.url(id))]
        data["version"] = .int(article.version)
        data["lockToken"] = .string(request.uri.queryParameters.get("lock") ?? "")
        let query = request.uri.queryParameters
        let a = query.get("a").flatMap { Int64($0) } ?? revisions.dropFirst().first?.id
        let b = query.get("b").flatMap { Int64($0) } ?? revisions.first?.id
        data["revisions"] = .list(
            revisions.map {
                [
                    "id": .int(Int($0.id)), "kindLabel": .string(t["revision_" + $0.kind]), "version": .int($0.version),
                    "user": .string($0.userName ?? "—"), "at": view.date($0.savedAt, feed: false),
                    "aChecked": .bool($0.id == a), "bChecked": .bool($0.id == b),
                    "restoreURL": .string(SiteURL.adminRestore(id: id, revision: $0.id).path),
                ]
            })
        data["compare"] = [
            "action": .string(SiteURL.adminArticleAction(id: id, .revisions).path),
            "a": .string(a.map(String.init) ?? ""), "b": .string(b.map(String.init) ?? ""),
        ]
        if let a, let b, a != b {
            do {
                let (infoA, old) = try await newsroom.revision(a, of: id)
                let (infoB, new) = try await newsroom.revision(b, of: id)
                data["diff"] = [
                    "aLabel": .string("v\(infoA.version) · " + view.dates.articleDate(infoA.savedAt)),
                    "bLabel": .string("v\(infoB.version) · " + view.dates.articleDate(infoB.savedAt)),
                    "fields": .list(try await diff(old, new, t: t)),
                ]
            } catch is NewsroomError {
                throw PageError.badRequest
            }
        }
        return HTMLResponse(body: web.theme.page("admin/revisions", .object(data)), noIndex: true).response(
            for: request)
    }

    /// The fields that differ between two versions, each as runs of same/added/removed text.
    func diff(_ old: Article, _ new: Article, t: Localization) async throws -> [TemplateValue] {
        let rubrics = try await web.rubrics.all()
        func rubricName(_ id: Int64?) -> String { rubrics.first { $0.id == id }?.name ?? "" }
        func tagNames(_ ids: [Int64]) async throws -> String {
            try await web.tags.find(ids: ids).map(\.name).joined(separator: ", ")
        }
        func body(_ blocks: [Block]) -> String { blocks.map(\.plainText).joined(separator: "\n\n") }
        let pairs: [(String, String, String)] = [
            ("admin_field_title", old.title, new.title),
            ("admin_field_lede", old.lede, new.lede),
            ("admin_field_teaser", old.teaser ?? "", new.teaser ?? ""),
            ("admin_field_body", body(old.body), body(new.body)),
            ("admin_field_rubric", rubricName(old.rubricID), rubricName(new.rubricID)),
            ("admin_field_tags", try await tagNames(old.tagIDs), try await tagNames(new.tagIDs)),
            ("admin_field_seo_title", old.seoTitle ?? "", new.seoTitle ?? ""),
            ("admin_field_note", old.editorialNote ?? "", new.editorialNote ?? ""),
        ]
        return pairs.compactMap { key, before, after in
            guard before != after else { return nil }
            let changes = TextDiff.words(before, after).map { change -> TemplateValue in
                switch change {
                case .same(let text): ["text": .string(text), "kind": "same", "added": false, "removed": false]
                case .added(let text): ["text": .string(text), "kind": "added", "added": true, "removed": false]
                case .removed(let text): ["text": .string(text), "kind": "removed", "added": false, "removed": true]
                }
            }
            return ["label": .string(t[key]), "changes": .list(changes)]
        }
    }

    /// The "restore this version" form: the version the journalist saw, and their edit lock if they hold it.
    struct Restore: Decodable, Sendable {
        var version: String?
        var lock: String?
    }

    func restore(_ form: Restore, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let user = context.session?.user else { throw PageError.notFound }
        let id = try EditorController.id(context)
        guard let revision = context.parameters.get("revision").flatMap({ Int64($0) }) else { throw PageError.notFound }
        // Access first: nobody takes a lock on, or learns anything of, a story or version they may not open.
        let article = try await EditorController(web: web).openOrRefuse(id, for: user)
        guard
            Newsroom.mayEdit(article, user: user)
        else { throw PageError.forbidden }
        do {
            _ = try await newsroom.revision(revision, of: id)
        } catch NewsroomError.notFound {
            throw PageError.notFound
        }
        let version = Int(form.version ?? "") ?? 0
        do {
            // Restoring needs the edit lock, like any save: take it if it is free or already ours.
            var token = form.lock ?? ""
            if token.isEmpty, case .held(let held) = try await newsroom.lock(id, by: user, now: web.settings.clock()) {
                token = held
            }
            try await newsroom.restore(
                revision, of: id, expectedVersion: version, lockToken: token, by: user, now: web.settings.clock())
            return Forms.seeOther(EditorController.url(id) + "?notice=restored")
        } catch let error as NewsroomError {
            switch error {
            case .stale, .lockLost, .lockedByOther, .invalid:
                return Forms.seeOther(EditorController.url(id) + "?notice=error_not_allowed")
            default:
                throw EditorController.pageError(error)
            }
        }
    }
}
