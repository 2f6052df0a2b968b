import Foundation
import Hummingbird
import NewsCore
import NewsData
import Templates

/// What only administrators do in the browser: people (add, role, disable, new password), rubrics
/// (add, rename, reorder) and site settings (name, call to action).
struct AdministrationController {
    let web: WebEnvironment

    func addRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.adminPeople) { request, context in try await people(request, context) }
        router.post(SiteURL.Pattern.adminPeople, form: NewPerson.self) { request, context, form in
            try await addPerson(form, request, context)
        }
        router.post(SiteURL.Pattern.adminPerson, form: PersonChange.self) { request, context, form in
            try await changePerson(form, request, context)
        }
        router.get(SiteURL.Pattern.adminRubrics) { request, context in try await rubrics(request, context) }
        router.post(SiteURL.Pattern.adminRubrics, form: RubricsChange.self) { request, context, form in
            try await saveRubrics(form, request, context)
        }
        router.get(SiteURL.Pattern.adminSettings) { request, context in try await settings(request, context) }
        router.get(SiteURL.Pattern.adminAudit) { request, context in try await audit(request, context) }
        router.post(SiteURL.Pattern.adminSettings, form: SettingsChange.self) { request, context, form in
            try await saveSettings(form, request, context)
        }
        router.get(SiteURL.Pattern.adminAPIKeys) { request, context in try await apiKeys(request, context) }
        router.post(SiteURL.Pattern.adminAPIKeys, form: NewAPIKey.self) { request, context, form in
            try await createAPIKey(form, request, context)
        }
        router.post(SiteURL.Pattern.adminAPIKeyRevoke, form: EmptyForm.self) { request, context, _ in
            try await revokeAPIKey(request, context)
        }
        addWebhookRoutes(to: router)
        addTokenRoutes(to: router)
    }

    /// The "add a person" form.
    struct NewPerson: Decodable, Sendable {
        var email: String?
        var name: String?
        var role: String?
    }

    /// One of a person's forms: `action` says which (role, disable, enable, rubrics, password).
    struct PersonChange: Decodable, Sendable {
        var action: String?
        var role: String?
        /// The ids of the rubrics an editor edits: the checked boxes (`rubrics[]=ID`).
        var rubrics: [String]?
    }

    /// The rubrics form: a row per rubric (`id[]`, `name[]`, `position[]`, `parent[]`, in the same order; a parent
    /// is a rubric's id, or empty for a top rubric) and a new rubric.
    struct RubricsChange: Decodable, Sendable {
        var id: [String]?
        var name: [String]?
        var position: [String]?
        var parent: [String]?
        var description: [String]?
        var newName: String?
        var newSlug: String?
        var newParent: String?
        var newDescription: String?

        private enum CodingKeys: String, CodingKey {
            case id, name, position, parent, description
            case newName = "new_name"
            case newSlug = "new_slug"
            case newParent = "new_parent"
            case newDescription = "new_description"
        }

        /// A row of the form as posted.
        struct Row {
            var name: String
            var position: String
            /// `nil`: the form did not say (the rubric keeps its parent); `.some(nil)`: a top rubric.
            var parent: Int64??
            /// `nil`: the form did not say (the rubric keeps its description).
            var description: String?
        }

        /// Each posted rubric's row by id; `nil` when the rows do not line up or a parent is not a number.
        var rows: [Int64: Row]? {
            let ids = id ?? []
            let names = name ?? []
            let positions = position ?? []
            guard ids.count == names.count, ids.count == positions.count else { return nil }
            guard parent == nil || parent?.count == ids.count else { return nil }
            guard description == nil || description?.count == ids.count else { return nil }
            var rows: [Int64: Row] = [:]
            for index in ids.indices {
                guard let id = Int64(ids[index]), rows[id] == nil else { return nil }
                var row = Row(name: names[index], position: positions[index])
                if let parents = parent {
                    guard let chosen = Self.parentID(parents[index]) else { return nil }
                    row.parent = .some(chosen)
                }
                row.description = description?[index]
                rows[id] = row
            }
            return rows
        }

        /// A parent field's rubric: `.some(nil)` for none (empty), `nil` when it is not a number.
        static func parentID(_ field: String?) -> Int64?? {
            guard let field, !field.isEmpty else { return .some(nil) }
            return Int64(field).map { .some($0) }
        }
    }

    /// The settings form.
    struct SettingsChange: Decodable, Sendable {
        var siteName: String?
        var siteDescription: String?
        var ctaText: String?
        var ctaURL: String?
        /// "full" (whole stories in the RSS feeds) or "teaser".
        var feedsContent: String?
        var newsName: String?
        /// One address per line.
        var socialProfiles: String?
        /// Photos of the library by id ("" for the theme's).
        var logoMedia: String?
        var shareMedia: String?
        /// Where purges go, and its token (an empty token field keeps the stored one).
        var purgeURL: String?
        var purgeToken: String?
        /// "on" when the box "photos need alt text and a credit before publishing" is ticked.
        var photoRule: String?

        private enum CodingKeys: String, CodingKey {
            case siteName = "site_name"
            case siteDescription = "site_description"
            case ctaText = "cta_text"
            case ctaURL = "cta_url"
            case feedsContent = "feeds_content"
            case newsName = "news_name"
            case socialProfiles = "social_profiles"
            case logoMedia = "logo_media"
            case shareMedia = "share_media"
            case purgeURL = "cdn_purge_url"
            case photoRule = "photo_rule"
            case purgeToken = "cdn_purge_token"
        }
    }

    /// The signed-in administrator, or a 403 page.
    func administrator(_ context: AppRequestContext, _ permission: Permission) throws -> Session {
        guard let session = context.session else { throw PageError.notFound }
        guard session.user.role.can(permission) else {
            throw PageError.forbidden
        }
        return session
    }

    func page(
        _ request: Request, _ session: Session, template: String, titleKey: String, data extra: TemplateObject,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        try await NewsroomPage(web: web).render(
            request, session, template: template, titleKey: titleKey, data: extra, status: status)
    }

    // MARK: - People

    func people(
        _ request: Request, _ context: AppRequestContext, extra: TemplateObject = [:],
        status: HTTPResponse.Status = .ok
    )
        async throws -> Response
    {
        let session = try administrator(context, .managePeople)
        let t = web.theme.localization
        let roles = Role.allCases.reversed()
        let rubrics = try await web.rubrics.all()
        func roleChoices(selected: Role) -> TemplateValue {
            .list(
                roles.map {
                    [
                        "value": .string($0.rawValue), "label": .string(t["role_" + $0.rawValue]),
                        "selected": .bool($0 == selected),
                    ]
                })
        }
        var data: TemplateObject = [
            "people": .list(
                try await web.users.all().map { user -> TemplateValue in
                    [
                        "id": .int(Int(user.id ?? 0)), "name": .string(user.name), "email": .string(user.email),
                        "disabled": .bool(user.disabled), "isSelf": .bool(user.id == session.user.id),
                        "action": .string(SiteURL.adminPerson(id: user.id ?? 0).path),
                        "isEditor": .bool(user.role == .editor),
                        "rubrics": .list(
                            rubrics.map {
                                [
                                    "id": .int(Int($0.id ?? 0)), "name": .string($0.name),
                                    "checked": .bool(user.rubricIDs.contains($0.id ?? 0)),
                                ]
                            }),
                        "roles": roleChoices(selected: user.role),
                    ]
                }),
            "roles": roleChoices(selected: .journalist),
        ]
        data.merge(extra)
        return try await page(
            request, session, template: "admin/people", titleKey: "admin_people_title", data: data, status: status)
    }

    func addPerson(_ form: NewPerson, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try administrator(context, .managePeople)
        guard let role = form.role.flatMap(Role.init(rawValue:)) else { throw PageError.badRequest }
        let password = SessionRepository.randomToken().prefix(20).description
        do {
            let user = try await web.newsroom.addPerson(
                email: form.email ?? "", name: form.name ?? "", role: role, password: password,
                by: .member(session.user, address: context.clientAddress), now: web.settings.clock())
            return try await people(
                request, context, extra: ["created": ["email": .string(user.email), "password": .string(password)]],
                status: .created)
        } catch NewsroomError.invalid(let problems) {
            return try await people(
                request, context,
                extra: [
                    "error": .string(web.theme.localization.messages(problems)),
                    "form": [
                        "email": .string(form.email ?? ""), "name": .string(form.name ?? ""),
                        "role": .string(form.role ?? ""),
                    ],
                ], status: .unprocessableContent)
        }
    }

    func changePerson(_ form: PersonChange, _ request: Request, _ context: AppRequestContext) async throws
        -> Response
    {
        let session = try administrator(context, .managePeople)
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }), let user = try await web.users.find(id: id)
        else {
            throw PageError.notFound
        }
        let now = web.settings.clock()
        let requester = Requester.member(session.user, address: context.clientAddress)
        switch form.action {
        case "role":
            guard let role = form.role.flatMap(Role.init(rawValue:)) else { throw PageError.badRequest }
            // An administrator cannot demote themselves and lock everyone out.
            guard id != session.user.id else { throw PageError.badRequest }
            try await web.newsroom.setRole(role, of: id, by: requester, now: now)
        case "disable", "enable":
            guard id != session.user.id else { throw PageError.badRequest }
            try await web.newsroom.setDisabled(form.action == "disable", of: id, by: requester, now: now)
        case "rubrics":
            let chosen = try await web.rubrics.all().compactMap(\.id).filter {
                form.rubrics?.contains(String($0)) == true
            }
            try await web.newsroom.setEditorRubrics(chosen, of: id, by: requester, now: now)
        case "password":
            let password = SessionRepository.randomToken().prefix(20).description
            try await web.newsroom.resetPassword(password, of: id, by: requester, now: now)
            return try await people(
                request, context, extra: ["created": ["email": .string(user.email), "password": .string(password)]])
        default:
            throw PageError.badRequest
        }
        return Forms.seeOther(SiteURL.adminPeople.path + "?notice=saved")
    }

    // MARK: - Rubrics

    func rubrics(_ request: Request, _ context: AppRequestContext, error: String? = nil) async throws -> Response {
        let session = try administrator(context, .manageRubrics)
        let all = try await web.rubrics.all()
        let tree = RubricTree(all)
        // Each rubric's choice of parent: any rubric but itself and those under it.
        func parents(of rubric: Rubric?) -> TemplateValue {
            let excluded = Set(rubric.map(tree.family(of:)) ?? [])
            return .list(
                all.filter { !excluded.contains($0.id ?? 0) }.map {
                    [
                        "id": .int(Int($0.id ?? 0)),
                        "name": .string(tree.label(of: $0)),
                        "selected": .bool(rubric?.parentID != nil && rubric?.parentID == $0.id),
                    ]
                })
        }
        var data: TemplateObject = [
            "rubrics": .list(
                all.map {
                    [
                        "id": .int(Int($0.id ?? 0)), "name": .string($0.name), "slug": .string($0.slug),
                        "position": .int($0.position), "url": .string(SiteURL.rubric(slug: $0.slug).path),
                        "parents": parents(of: $0), "description": .string($0.description),
                    ]
                }),
            "newParents": parents(of: nil),
        ]
        if let error { data["error"] = .string(error) }
        return try await page(
            request, session, template: "admin/rubrics", titleKey: "admin_rubrics_title", data: data,
            status: error == nil ? .ok : .unprocessableContent)
    }

    func saveRubrics(_ form: RubricsChange, _ request: Request, _ context: AppRequestContext) async throws
        -> Response
    {
        let session = try administrator(context, .manageRubrics)
        let t = web.theme.localization
        guard let rows = form.rows, let newParent = RubricsChange.parentID(form.newParent) else {
            throw PageError.badRequest
        }
        let existing = try await web.rubrics.all()
        // The newsroom checks names, positions, parents and the new slug, and stores the whole form or nothing.
        var updates: [RubricChange] = []
        for rubric in existing {
            guard let id = rubric.id else { continue }
            guard let position = Int(rows[id]?.position ?? "\(rubric.position)") else {
                return try await rubrics(request, context, error: t["error_rubric_position"])
            }
            updates.append(
                RubricChange(
                    id: id, name: UkrainianText.normalize(rows[id]?.name ?? rubric.name), position: position,
                    parentID: rows[id]?.parent ?? rubric.parentID,
                    description: UkrainianText.normalize(rows[id]?.description ?? rubric.description)))
        }
        let newName = UkrainianText.normalize(form.newName ?? "")
        var newRubric: Rubric?
        if !newName.isEmpty {
            let typed = (form.newSlug ?? "").trimmingCharacters(in: .whitespaces)
            // A new rubric goes to the end of the menu, after the order set in this same form.
            newRubric = Rubric(
                slug: typed.isEmpty ? Slug.make(from: newName) : typed, name: newName,
                position: min((updates.map(\.position).max() ?? -1) + 1, 1000), parentID: newParent,
                description: UkrainianText.normalize(form.newDescription ?? ""))
        }
        // The event empties the page cache: the menu is on every public page.
        do {
            try await web.newsroom.changeRubrics(
                updates, adding: newRubric, by: .member(session.user, address: context.clientAddress),
                now: web.settings.clock())
        } catch NewsroomError.invalid(let problems) {
            return try await rubrics(request, context, error: t.messages(problems))
        }
        return Forms.seeOther(SiteURL.adminRubrics.path + "?notice=saved")
    }

    // MARK: - Audit log

    func audit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try administrator(context, .managePeople)
        let view = try await web.view()
        let names = Dictionary(uniqueKeysWithValues: try await web.users.all().map { ($0.id ?? 0, $0.name) })
        var before: Int64?
        if let text = request.uri.queryParameters.get("before") {
            guard let id = Int64(text), id > 0 else { throw PageError.badRequest }
            before = id
        }
        let found = try await web.audit.latest(limit: Self.auditPageSize + 1, before: before)
        let shown = found.prefix(Self.auditPageSize)
        let entries = shown.map { entry -> TemplateValue in
            [
                "at": view.date(entry.at, feed: false),
                "user": .string(entry.userID.flatMap { names[$0] } ?? view.t["admin_system"]),
                "action": .string(view.t["audit_" + entry.action]), "subject": .string(entry.subject ?? ""),
                "address": .string(entry.address ?? ""),
            ]
        }
        var data: TemplateObject = ["entries": .list(entries)]
        if found.count > Self.auditPageSize, let last = shown.last {
            data["older"] = .string(SiteURL.adminAudit.path + "?before=\(last.id)")
        }
        return try await page(request, session, template: "admin/audit", titleKey: "admin_audit_title", data: data)
    }

    /// Audit entries per page.
    static let auditPageSize = 100

    // MARK: - Settings

    func settings(
        _ request: Request, _ context: AppRequestContext, error: String? = nil, values: [String: String]? = nil
    )
        async throws -> Response
    {
        let session = try administrator(context, .manageSettings)
        let stored = try await SettingsRepository(database: web.database).all()
        let current =
            values ?? [
                "site_name": stored[SiteInfo.Key.name] ?? web.settings.siteName,
                "site_description": stored[SiteInfo.Key.description] ?? "",
                "cta_text": stored[SiteInfo.Key.ctaText] ?? "",
                "cta_url": stored[SiteInfo.Key.ctaURL] ?? "",
                "feeds_content": stored[SiteInfo.Key.feedContent] ?? "full",
                "news_name": stored[SiteInfo.Key.googleNewsName] ?? "",
                "social_profiles": stored[SiteInfo.Key.socialProfiles] ?? "",
                "logo_media": stored[SiteInfo.Key.logoMedia] ?? "",
                "share_media": stored[SiteInfo.Key.shareMedia] ?? "",
                "cdn_purge_url": stored[CDNPurges.Key.url] ?? "",
                "photo_rule": stored[Newsroom.photoRuleKey] == "off" ? "off" : "on",
            ]
        var values = TemplateObject(current.mapValues { TemplateValue.string($0) })
        values["feeds_teaser"] = .bool(current["feeds_content"] == "teaser")
        values["photo_rule_on"] = .bool(current["photo_rule"] != "off")
        // The token is never shown again, only whether there is one.
        values["cdn_token_set"] = .bool(!(stored[CDNPurges.Key.token] ?? "").isEmpty)
        // The photos to choose the logo and the share picture from: the library's newest.
        let photos = try await web.media.list(limit: 60)
        for key in ["logo_media", "share_media"] {
            values[key + "_choices"] = .list(
                photos.map { photo in
                    [
                        "value": .string(String(photo.id ?? 0)),
                        "label": .string("\(photo.alt) (\(photo.width)×\(photo.height))"),
                        "selected": .bool(current[key] == String(photo.id ?? 0)),
                    ]
                })
        }
        var data: TemplateObject = ["settings": .object(values)]
        if let error { data["error"] = .string(error) }
        return try await page(
            request, session, template: "admin/settings", titleKey: "admin_settings_title", data: data,
            status: error == nil ? .ok : .unprocessableContent)
    }

    /// An absolute http(s) address with no spaces or backslashes (social pages, the CDN's purge address).
    static func isWebAddress(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && lower.count > 8
            && !text.contains(where: { $0.isWhitespace || $0 == "\\" })
    }

    func saveSettings(_ form: SettingsChange, _ request: Request, _ context: AppRequestContext) async throws
        -> Response
    {
        let session = try administrator(context, .manageSettings)
        let t = web.theme.localization
        let name = UkrainianText.normalize(form.siteName ?? "")
        let description = UkrainianText.normalize(form.siteDescription ?? "")
        let ctaText = UkrainianText.normalize(form.ctaText ?? "")
        let ctaURL = (form.ctaURL ?? "").trimmingCharacters(in: .whitespaces)
        let feeds = form.feedsContent ?? "full"
        let newsName = UkrainianText.normalize(form.newsName ?? "")
        let profiles = (form.socialProfiles ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let logo = form.logoMedia ?? ""
        let share = form.shareMedia ?? ""
        let purgeURL = (form.purgeURL ?? "").trimmingCharacters(in: .whitespaces)
        let values = [
            "site_name": name, "site_description": description, "cta_text": ctaText, "cta_url": ctaURL,
            "feeds_content": feeds, "news_name": newsName,
            "social_profiles": profiles.joined(separator: "\n"), "logo_media": logo, "share_media": share,
            "cdn_purge_url": purgeURL, "photo_rule": form.photoRule == "on" ? "on" : "off",
        ]
        let typedToken = (form.purgeToken ?? "").trimmingCharacters(in: .whitespaces)
        guard ["full", "teaser"].contains(feeds) else { throw PageError.badRequest }
        guard purgeURL.isEmpty || (Self.isWebAddress(purgeURL) && purgeURL.count <= 1000), typedToken.count <= 500
        else {
            return try await settings(request, context, error: t["error_cdn"], values: values)
        }
        let stored = try await SettingsRepository(database: web.database).all()
        // No address, no token; an empty token field keeps the one stored.
        let token = purgeURL.isEmpty ? "" : typedToken.isEmpty ? (stored[CDNPurges.Key.token] ?? "") : typedToken
        for photo in [logo, share] where !photo.isEmpty {
            guard let id = Int64(photo), try await web.media.find(id: id) != nil else { throw PageError.badRequest }
        }
        guard newsName.count <= 100 else {
            return try await settings(request, context, error: t["error_news_name"], values: values)
        }
        guard profiles.count <= 10, profiles.allSatisfy({ Self.isWebAddress($0) && $0.count <= 500 }) else {
            return try await settings(request, context, error: t["error_social_profiles"], values: values)
        }
        guard !name.isEmpty, name.count <= 100 else {
            return try await settings(request, context, error: t["error_site_name"], values: values)
        }
        guard description.count <= 300 else {
            return try await settings(request, context, error: t["error_site_description"], values: values)
        }
        guard ctaText.count <= 300, ctaURL.isEmpty || (Span.isSafeLink(ctaURL) && ctaURL.count <= 1000),
            ctaText.isEmpty == ctaURL.isEmpty
        else {
            return try await settings(request, context, error: t["error_cta"], values: values)
        }
        // The event empties the page cache: the paper's name and the call to action are on every public page.
        try await web.newsroom.changeSettings(
            [
                SiteInfo.Key.name: name, SiteInfo.Key.description: description, SiteInfo.Key.ctaText: ctaText,
                SiteInfo.Key.ctaURL: ctaURL,
                SiteInfo.Key.feedContent: feeds, SiteInfo.Key.googleNewsName: newsName,
                SiteInfo.Key.socialProfiles: profiles.joined(separator: "\n"), SiteInfo.Key.logoMedia: logo,
                SiteInfo.Key.shareMedia: share, Newsroom.photoRuleKey: form.photoRule == "on" ? "on" : "off",
                CDNPurges.Key.url: purgeURL, CDNPurges.Key.token: token,
            ],
            by: .member(session.user, address: context.clientAddress), now: web.settings.clock())
        return Forms.seeOther(SiteURL.adminSettings.path + "?notice=saved")
    }
}
