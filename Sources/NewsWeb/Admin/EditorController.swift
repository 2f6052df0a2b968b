import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsCore
import NewsData
import Templates

/// The article editor: create, open (taking the edit lock), save, autosave, lock heartbeat and
/// takeover, workflow transitions and the preview of the exact public page.
struct EditorController {
    let web: WebEnvironment

    func addRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.adminNewArticle) { request, context in try await newForm(request, context) }
        router.post(SiteURL.Pattern.adminArticles, form: ArticleForm.self) { request, context, form in
            try await create(form, request, context)
        }
        router.get(SiteURL.Pattern.adminArticle) { request, context in try await edit(request, context) }
        router.post(SiteURL.Pattern.adminArticle, form: ArticleForm.self) { request, context, form in
            try await save(form, request, context)
        }
        router.post(SiteURL.Pattern.adminArticleAction(.autosave), form: ArticleForm.self) { request, context, form in
            try await autosave(form, request, context)
        }
        router.post(SiteURL.Pattern.adminArticleAction(.lock), form: EmptyForm.self) { request, context, _ in
            try await lock(request, context)
        }
        router.post(SiteURL.Pattern.adminArticleAction(.heartbeat), form: LockForm.self) { request, context, form in
            try await heartbeat(form, request, context)
        }
        router.post(SiteURL.Pattern.adminArticleAction(.unlock), form: LockForm.self) { request, context, form in
            try await unlock(form, request, context)
        }
        router.post(SiteURL.Pattern.adminArticleAction(.takeOver), form: EmptyForm.self) { request, context, _ in
            try await takeOver(request, context)
        }
        router.post(SiteURL.Pattern.adminArticleAction(.transition), form: TransitionForm.self) {
            request, context, form in try await transition(form, request, context)
        }
        router.post(SiteURL.Pattern.adminArticleAction(.corrections), form: CorrectionForm.self) {
            request, context, form in try await addCorrection(form, request, context)
        }
        router.get(SiteURL.Pattern.adminArticleAction(.preview)) { request, context in
            try await preview(request, context)
        }
    }

    /// The lock heartbeat and release: the edit lock's token.
    struct LockForm: Decodable, Sendable {
        var lock: String?
    }

    /// A correction's note.
    struct CorrectionForm: Decodable, Sendable {
        var correction: String?
    }

    /// A workflow move: the status to move to and, for scheduling, the local date and time.
    struct TransitionForm: Decodable, Sendable {
        var to: String?
        var publishAt: String?

        private enum CodingKeys: String, CodingKey {
            case to
            case publishAt = "publish_at"
        }
    }

    static func url(_ id: Int64) -> String { SiteURL.adminArticle(id: id).path }

    private var newsroom: Newsroom { web.newsroom }

    func user(_ context: AppRequestContext) throws -> User {
        guard let user = context.session?.user else {
            throw PageError.unauthorized
        }
        return user
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else { throw PageError.notFound }
        return id
    }

    /// Turns a refusal of the newsroom into the page a person sees.
    static func pageError(_ error: NewsroomError) -> PageError { PageError(error) }

    // MARK: - Pages

    func newForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try user(context)
        guard user.role.can(.writeDrafts) else { throw Self.pageError(.forbidden) }
        var form = ArticleForm()
        form.formID = SessionRepository.randomToken()
        if let author = user.authorID, let found = try await web.authors.all().first(where: { $0.id == author }) {
            form.bylines = found.name
        }
        return try await render(request, context, article: nil, form: form)
    }

    func create(_ form: ArticleForm, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try user(context)
        if !form.formID.isEmpty, let existing = try await web.articles.find(sourceID: "form:" + form.formID) {
            // The same form posted again (a double click, a reload): the draft exists already.
            if existing.createdBy == user.id { return Forms.seeOther(Self.url(existing.id!) + "?notice=created") }
            // Someone else's form id: never theirs to see; a fresh form keeps what this person typed.
            var fresh = form
            fresh.formID = SessionRepository.randomToken()
            return try await render(
                request, context, article: nil, form: fresh,
                notice: (web.theme.localization["error_form_conflict"], "error"), status: .conflict)
        }
        var (edit, errors) = try await form.article(base: nil, web: web)
        if !form.formID.isEmpty { edit.article.sourceID = "form:" + form.formID }
        guard errors.isEmpty else {
            return try await render(
                request, context, article: nil, form: form, errors: errors, status: .unprocessableContent)
        }
        do {
            let (stored, _) = try await newsroom.create(edit, by: user, now: web.settings.clock())
            return Forms.seeOther(Self.url(stored.id!) + "?notice=created")
        } catch let error as NewsroomError {
            if case .invalid(let problems) = error {
                return try await render(
                    request, context, article: nil, form: form, errors: problems, status: .unprocessableContent)
            }
            throw Self.pageError(error)
        }
    }

    func edit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try user(context)
        let id = try Self.id(context)
        let article = try await openOrRefuse(id, for: user)
        // A GET never takes the lock (a cross-site link could otherwise lock a story): the page's script asks
        // for it with a POST. The page only shows whether someone else holds it.
        let lock = try await newsroom.lockHolder(id, other: user, now: web.settings.clock())
        let detail = try await web.articles.detail(of: article, now: web.settings.clock())
        var form = ArticleForm(
            article: article, rubrics: try await web.rubrics.all(), tags: detail.tags, bylines: detail.bylines)
        form.related = try await pinnedAddresses(of: article)
        var notice: (String, String)?
        if let key = request.uri.queryParameters.get("notice"), Self.noticeKeys.contains(key) {
            notice = (web.theme.localization["admin_notice_" + key], key.hasPrefix("error") ? "error" : "ok")
        }
        let pending = try await newsroom.pendingAutosave(of: article, for: user)
        if request.uri.queryParameters.get("autosave") == "1", let (info, snapshot) = pending {
            // The names as typed; an older autosave without them shows the tags and bylines it refers to.
            var tagNames = snapshot.tagNames ?? []
            if snapshot.tagNames == nil { tagNames = try await web.tags.find(ids: snapshot.article.tagIDs).map(\.name) }
            var bylineNames = snapshot.bylineNames ?? []
            if snapshot.bylineNames == nil {
                bylineNames = try await web.authors.find(ids: snapshot.article.bylineIDs).map(\.name)
            }
            form = ArticleForm(
                article: snapshot.article, rubrics: try await web.rubrics.all(), tagNames: tagNames,
                bylineNames: bylineNames)
            form.related = try await pinnedAddresses(of: snapshot.article)
            form.version = article.version
            let view = try await web.view()
            notice = (
                view.t["admin_notice_autosave_loaded"] + " " + view.dates.feedDate(info.savedAt, now: view.now),
                "warning"
            )
        }
        return try await render(
            request, context, article: article, form: form, lock: lock, notice: notice,
            pendingAutosave: request.uri.queryParameters.get("autosave") == "1" ? nil : pending?.0)
    }

    /// The addresses of the stories `article` pins to "Читайте також", one a line, for its form.
    private func pinnedAddresses(of article: Article) async throws -> String {
        let pins = article.pinnedRelated ?? []
        let slugs = try await web.articles.slugs(ids: pins)
        return pins.compactMap { slugs[$0].map { SiteURL.article(slug: $0).path } }.joined(separator: "\n")
    }

    /// The story `id` if `user` may open it; otherwise the 404 or 403 page.
    func openOrRefuse(_ id: Int64, for user: User) async throws -> Article {
        do {
            return try await newsroom.open(id, for: user)
        } catch let error as NewsroomError {
            throw Self.pageError(error)
        }
    }

    static let noticeKeys: Set<String> = [
        "created", "saved", "restored", "moved", "error_schedule_past", "error_not_allowed", "lock_taken", "corrected",
        "error_correction", "error_correction_unpublished",
    ]

    // MARK: - Saving

    func save(_ form: ArticleForm, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try user(context)
        let id = try Self.id(context)
        let current = try await openOrRefuse(id, for: user)
        let (edit, errors) = try await form.article(base: current, web: web)
        let now = web.settings.clock()
        let t = web.theme.localization
        guard errors.isEmpty else {
            return try await render(
                request, context, article: current, form: form, errors: errors, lockToken: form.lock,
                status: .unprocessableContent)
        }
        do {
            try await newsroom.save(edit, expectedVersion: form.version, lockToken: form.lock, by: user, now: now)
            return Forms.seeOther(Self.url(id) + "?notice=saved")
        } catch let error as NewsroomError {
            switch error {
            case .invalid(let problems):
                return try await render(
                    request, context, article: current, form: form, errors: problems, lockToken: form.lock,
                    status: .unprocessableContent)
            case .stale(_, let savedBy, let savedAt):
                // Keep what the journalist typed, both on the page and as an autosave; apply nothing.
                try await newsroom.autosave(edit, by: user, now: now)
                let when = savedAt.map { web.dates.feedDate($0, now: now) } ?? ""
                let message = t["admin_notice_stale"].replacingOccurrences(of: "{name}", with: savedBy ?? "—")
                    .replacingOccurrences(of: "{time}", with: when)
                return try await render(
                    request, context, article: current, form: form, lockToken: form.lock, notice: (message, "error"),
                    status: .conflict)
            case .lockLost(let name, let at):
                try await newsroom.autosave(edit, by: user, now: now)
                let message = t["admin_notice_lock_lost"].replacingOccurrences(
                    of: "{name}", with: name.isEmpty ? "—" : name
                )
                .replacingOccurrences(of: "{time}", with: web.dates.feedDate(at, now: now))
                return try await render(
                    request, context, article: current, form: form, lockToken: "", notice: (message, "error"),
                    status: HTTPResponse.Status(code: 423, reasonPhrase: "Locked"))
            case .forbidden:
                // The story moved on (e.g. it was published) and this role may no longer change it.
                try await newsroom.autosave(edit, by: user, now: now)
                return try await render(
                    request, context, article: current, form: form, lockToken: "",
                    notice: (t["admin_notice_save_forbidden"], "error"), status: .forbidden)
            default:
                throw Self.pageError(error)
            }
        }
    }

    func autosave(_ form: ArticleForm, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try user(context)
        let id = try Self.id(context)
        do {
            let current = try await newsroom.open(id, for: user)
            let (edit, _) = try await form.article(base: current, web: web)
            let now = web.settings.clock()
            try await newsroom.autosave(edit, by: user, now: now)
            return JSONReply.ok(["ok": true, "at": web.dates.feedDate(now, now: now)])
        } catch let error as NewsroomError {
            return JSONReply.error(
                Self.pageError(error).status, web.theme.localization[Self.pageError(error).messageKey])
        }
    }

    /// Takes the edit lock for the page's script (POST only): the token, or who holds the lock.
    func lock(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try user(context)
        let id = try Self.id(context)
        let article = try await openOrRefuse(id, for: user)
        guard
            Newsroom.mayEdit(article, user: user)
        else {
            return JSONReply.ok(["state": "readOnly"])
        }
        let now = web.settings.clock()
        switch try await newsroom.lock(id, by: user, now: now) {
        case .held(let token):
            return JSONReply.ok(["state": "held", "token": token])
        case .heldByOther(let name, let since), .lost(let name, let since):
            return JSONReply.ok(["state": "heldByOther", "by": name, "since": web.dates.feedDate(since, now: now)])
        }
    }

    func heartbeat(_ form: LockForm, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        _ = try await openOrRefuse(id, for: try user(context))
        let now = web.settings.clock()
        switch try await newsroom.heartbeat(id, token: form.lock ?? "", now: now) {
        case .held:
            return JSONReply.ok(["state": "held"])
        case .lost(let name, let at), .heldByOther(let name, let at):
            let time = web.dates.feedDate(at, now: now)
            let message = web.theme.localization["admin_notice_lock_lost"]
                .replacingOccurrences(of: "{name}", with: name.isEmpty ? "—" : name)
                .replacingOccurrences(of: "{time}", with: time)
            return JSONReply.ok(["state": "lost", "by": name, "at": time, "message": message])
        }
    }

    func unlock(_ form: LockForm, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        _ = try await openOrRefuse(id, for: try user(context))
        try await newsroom.unlock(id, token: form.lock ?? "")
        return JSONReply.ok(["ok": true])
    }

    func takeOver(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try user(context)
        let id = try Self.id(context)
        do {
            let article = try await newsroom.open(id, for: user)
            guard
                Newsroom.mayEdit(article, user: user)
            else {
                throw NewsroomError.forbidden
            }
            _ = try await newsroom.lock(id, by: user, takeOver: true, now: web.settings.clock())
            return Forms.seeOther(Self.url(id) + "?notice=lock_taken")
        } catch let error as NewsroomError {
            throw Self.pageError(error)
        }
    }

    func transition(_ form: TransitionForm, _ request: Request, _ context: AppRequestContext) async throws
        -> Response
    {
        let user = try user(context)
        let id = try Self.id(context)
        guard let target = form.to.flatMap(ArticleStatus.init(rawValue:)) else { throw PageError.badRequest }
        var publishAt: Date?
        if target == .scheduled {
            publishAt = form.publishAt.flatMap { LocalDateTime.parse($0, timeZone: web.settings.timeZone) }
        }
        // Someone who may not even open the story gets a refusal, not a notice.
        _ = try await openOrRefuse(id, for: user)
        do {
            try await newsroom.transition(id, to: target, publishAt: publishAt, by: user, now: web.settings.clock())
            return Forms.seeOther(Self.url(id) + "?notice=moved")
        } catch let error as NewsroomError {
            switch error {
            case .invalid: return Forms.seeOther(Self.url(id) + "?notice=error_schedule_past")
            case .forbidden: return Forms.seeOther(Self.url(id) + "?notice=error_not_allowed")
            default: throw Self.pageError(error)
            }
        }
    }

    /// Adds a correction to a published story (an editor's); the story's page shows it at once.
    func addCorrection(_ form: CorrectionForm, _ request: Request, _ context: AppRequestContext) async throws
        -> Response
    {
        let user = try user(context)
        let id = try Self.id(context)
        _ = try await openOrRefuse(id, for: user)
        do {
            try await newsroom.addCorrection(form.correction ?? "", to: id, by: user, now: web.settings.clock())
            return Forms.seeOther(Self.url(id) + "?notice=corrected")
        } catch let error as NewsroomError {
            switch error {
            case .invalid(let problems):
                return Forms.seeOther(Self.url(id) + "?notice=" + (problems.first?.key ?? "error_correction"))
            case .forbidden: return Forms.seeOther(Self.url(id) + "?notice=error_not_allowed")
            default: throw Self.pageError(error)
            }
        }
    }

    /// The exact public page of the story as it is saved now, whatever its status.
    func preview(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try user(context)
        let id = try Self.id(context)
        let article = try await openOrRefuse(id, for: user)
        let page = try await ArticlePage.preview(of: article, web: web, now: web.settings.clock())
        return HTMLResponse(
            body: web.theme.page("pages/article", page.view(theme: web.theme, settings: web.settings)), noIndex: true
        ).response(for: request)
    }

    // MARK: - Rendering

    func render(
        _ request: Request, _ context: AppRequestContext, article: Article?, form: ArticleForm,
        errors: [FieldError] = [],
        lock: LockState? = nil, lockToken: String? = nil, notice: (String, String)? = nil,
        pendingAutosave: RevisionInfo? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let user = try user(context)
        let view = try await web.view()
        let t = view.t
        var data = view.newsroomRoot(
            session: context.session, title: article.map { $0.title } ?? t["admin_new_article"], path: request.uri.path)
        var values = form.viewData()
        values["isNew"] = .bool(article == nil)
        var urls: TemplateValue = [
            "mediaList": .string(SiteURL.adminMediaList.path), "mediaUpload": .string(SiteURL.adminMedia.path),
            "articleLookup": .string(SiteURL.adminArticleLookup.path),
            "authorList": .string(SiteURL.adminAuthorList.path), "save": .string(SiteURL.adminArticles.path),
        ]
        var token = lockToken ?? ""
        if let article, let id = article.id {
            values["id"] = .int(Int(id))
            values["status"] = .string(article.status.rawValue)
            values["statusLabel"] = .string(t["status_" + article.status.rawValue])
            if article.status == .published {
                values["publicURL"] = .string(SiteURL.article(slug: article.slug).path)
            }
            if lockToken == nil { values["version"] = .int(article.version) }
            urls["save"] = .string(Self.url(id))
            for (key, action) in [
                ("autosave", SiteURL.ArticleAction.autosave), ("lock", .lock), ("heartbeat", .heartbeat),
                ("preview", .preview), ("revisions", .revisions), ("transition", .transition), ("takeOver", .takeOver),
                ("unlock", .unlock),
            ] {
                urls[key] = .string(SiteURL.adminArticleAction(id: id, action).path)
            }
            switch lock {
            case .held(let held): token = held
            case .heldByOther(let name, let since):
                data["lockedBy"] = ["name": .string(name), "since": view.date(since, feed: true)]
            case .lost, nil: break
            }
            let isOwn = Newsroom.owns(article, user: user)
            data["moves"] = .list(
                Workflow.moves(from: article.status, role: user.role(forRubric: article.rubricID), isOwn: isOwn).map {
                    ["to": .string($0.rawValue), "label": .string(t["move_" + $0.rawValue])]
                })
            if Newsroom.mayCorrect(article, user: user) {
                urls["corrections"] = .string(SiteURL.adminArticleAction(id: id, .corrections).path)
            }
            data["corrections"] = .list(
                (article.corrections ?? []).map {
                    ["at": view.date($0.at, feed: false), "text": .string($0.text)]
                })
            data["transitions"] = .list(
                try await newsroom.transitions(of: id).map {
                    [
                        "from": .string(t["status_" + $0.from.rawValue]), "to": .string(t["status_" + $0.to.rawValue]),
                        "user": .string($0.user ?? t["admin_system"]), "at": view.date($0.at, feed: true),
                    ]
                })
        }
        if let coverID = Int64(form.coverMedia), let cover = try await web.media.find(id: coverID) {
            values["cover"] = view.media(cover)
        }
        if let pendingAutosave, let id = article?.id {
            data["autosave"] = [
                "at": view.date(pendingAutosave.savedAt, feed: true),
                "restoreURL": .string(Self.url(id) + "?autosave=1"),
            ]
        }
        if let article, article.status == .scheduled, let at = article.publishedAt {
            values["publishAt"] = .string(LocalDateTime.format(at, timeZone: web.settings.timeZone))
        }
        data["bodyRefs"] = try await bodyReferences(form, view: view, user: user)
        data["tagOptions"] = .list(try await web.tags.names().map { .string($0) })
        data["article"] = values
        // A rubric under another is labelled with its place: "Новини › Львів".
        let rubrics = try await web.rubrics.all()
        let tree = RubricTree(rubrics)
        data["rubrics"] = .list(
            rubrics.map {
                [
                    "value": .string($0.slug),
                    "label": .string(tree.label(of: $0)),
                    "selected": .bool($0.slug == form.rubric),
                ]
            })
        data["urls"] = urls
        data["lockToken"] = .string(token)
        data["limits"] = ["uploadMB": .int(web.settings.mediaMaxBytes / 1_048_576)]
        data["errors"] = .list(errors.map { ["field": .string($0.field), "message": .string(t[$0.key])] })
        var fieldErrors: TemplateValue = [:]
        for error in errors where fieldErrors[error.field] == nil { fieldErrors[error.field] = .string(t[error.key]) }
        data["fieldErrors"] = fieldErrors
        if let notice {
            data["notice"] = .string(notice.0)
            data["noticeKind"] = .string(notice.1)
        }
        return HTMLResponse(body: web.theme.page("admin/editor", .object(data)), status: status, noIndex: true)
            .response(for: request)
    }
}

extension EditorController {
    /// The photos and articles the body refers to, so the editor can show thumbnails and titles.
    /// Articles `user` may not open are left out unless they are published (their titles are public).
    func bodyReferences(_ form: ArticleForm, view: ViewBuilder, user: User) async throws -> TemplateValue {
        let blocks = (try? Block.decodeBody(form.bodyJSON)) ?? []
        var media: [TemplateValue] = []
        var articles: [TemplateValue] = []
        for block in blocks {
            switch block {
            case .image(let mediaID, _, _):
                if let found = try await web.media.find(id: mediaID) {
                    var item = view.media(found)
                    item["id"] = .int(Int(mediaID))
                    media.append(item)
                }
            case .readAlso(let articleID):
                if let found = try await web.articles.find(id: articleID),
                    found.status == .published || Newsroom.mayOpen(found, user: user)
                {
                    articles.append([
                        "id": .int(Int(articleID)), "title": .string(found.title),
                        "status": .string(found.status.rawValue),
                    ])
                }
            default:
                break
            }
        }
        return ["media": .list(media), "articles": .list(articles)]
    }
}

/// Small JSON answers for the editor's scripts.
enum JSONReply {
    static func ok(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [
                .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                .contentTypeOptions: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        ok(["error": message], status: status)
    }
}

/// Reads `<input type="datetime-local">` values ("2026-01-22T14:05") in the site's time zone.
enum LocalDateTime {
    static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "T" || $0 == ":" }).compactMap { Int($0) }
        guard parts.count >= 5 else { return nil }
        var components = DateComponents()
        components.year = parts[0]
        components.month = parts[1]
        components.day = parts[2]
        components.hour = parts[3]
        components.minute = parts[4]
        guard (1...12).contains(parts[1]), (1...31).contains(parts[2]), (0...23).contains(parts[3]),
            (0...59).contains(parts[4])
        else { return nil }
        return Calendar.kyiv(timeZone).date(from: components)
    }

    /// The value for a `datetime-local` input.
    static func format(_ date: Date, timeZone: TimeZone) -> String {
        let c = Calendar.kyiv(timeZone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
