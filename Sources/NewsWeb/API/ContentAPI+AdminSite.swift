import Foundation
import HTTPTypes
import NewsCore
import NewsData
import OpenAPIRuntime

// The Admin API's rubrics and tags: every member reads them (to file a story); administrators add, rename and
// reorder rubrics, and rename and remove tags, through the newsroom's use cases.
extension ContentAPI {
    func adminListRubrics(_ input: Operations.AdminListRubrics.Input) async throws
        -> Operations.AdminListRubrics.Output
    {
        _ = try APIMember.required()
        let rubrics = try await web.rubrics.all()
        let representation = try await self.representation(fields: nil, include: nil, rubrics: rubrics)
        return .ok(.init(body: .json(.init(rubrics: rubrics.map(representation.rubric)))))
    }

    func adminCreateRubric(_ input: Operations.AdminCreateRubric.Input) async throws
        -> Operations.AdminCreateRubric.Output
    {
        let member = try APIMember.required()
        guard case .json(let body) = input.body else { throw APIError.parameter("body") }
        try Self.checkName(body.name, max: 100)
        if let slug = body.slug, !Slug.isValid(slug) { throw APIError.parameter("slug") }
        if let position = body.position, !(0...1000).contains(position) { throw APIError.parameter("position") }
        let name = UkrainianText.normalize(body.name)
        let slug = body.slug ?? Slug.make(from: name, maxLength: 120)
        let all = try await web.rubrics.all()
        let last = all.map(\.position).max() ?? -1
        let parent = try Self.parent(body.parent, among: all)
        try await web.newsroom.changeRubrics(
            [],
            adding: Rubric(
                slug: slug, name: name, position: body.position ?? min(last + 1, 1000), parentID: parent ?? nil),
            by: member.requester, now: web.settings.clock())
        guard let rubric = try await web.rubrics.find(slug: slug) else { throw APIError.noItem }
        let representation = try await self.representation(fields: nil, include: nil, rubrics: all + [rubric])
        return .created(.init(body: .json(.init(rubric: representation.rubric(rubric)))))
    }

    func adminUpdateRubric(_ input: Operations.AdminUpdateRubric.Input) async throws
        -> Operations.AdminUpdateRubric.Output
    {
        let member = try APIMember.required()
        guard case .json(let body) = input.body else { throw APIError.parameter("body") }
        guard body.name != nil || body.position != nil || body.parent != nil else { throw APIError.parameter("body") }
        if let name = body.name { try Self.checkName(name, max: 100) }
        if let position = body.position, !(0...1000).contains(position) { throw APIError.parameter("position") }
        try member.requester.require(.manageRubrics)
        let all = try await web.rubrics.all()
        guard let current = all.first(where: { $0.id == input.path.id }) else { throw APIError.noItem }
        let parent = try Self.parent(body.parent, among: all)
        try await web.newsroom.changeRubrics(
            [
                RubricChange(
                    id: input.path.id, name: body.name.map(UkrainianText.normalize) ?? current.name,
                    position: body.position ?? current.position, parentID: parent ?? current.parentID)
            ],
            by: member.requester, now: web.settings.clock())
        guard let rubric = try await web.rubrics.find(slug: current.slug) else { throw APIError.noItem }
        let representation = try await self.representation(fields: nil, include: nil, rubrics: all)
        return .ok(.init(body: .json(.init(rubric: representation.rubric(rubric)))))
    }

    /// The rubric a `parent` field names by slug: `nil` when the field is absent, `.some(nil)` for an empty one (a
    /// top rubric); an unknown slug is refused as the newsroom refuses it (422).
    static func parent(_ slug: String?, among rubrics: [Rubric]) throws -> Int64?? {
        guard let slug else { return nil }
        if slug.isEmpty { return .some(nil) }
        guard let rubric = rubrics.first(where: { $0.slug == slug }) else {
            throw NewsroomError.invalid([FieldError(field: "parent", key: "error_rubric_parent")])
        }
        return .some(rubric.id)
    }

    func adminListTags(_ input: Operations.AdminListTags.Input) async throws -> Operations.AdminListTags.Output {
        _ = try APIMember.required()
        let limit = try Self.limit(input.query.limit, max: 100)
        let after = input.query.cursor
        if let after, !Self.isTagSlug(after) { throw APIError.cursor }
        let tags = try await web.tags.all(after: after, limit: limit + 1)
        let page = Array(tags.prefix(limit))
        let representation = try await self.representation(fields: nil, include: nil)
        return .ok(
            .init(
                body: .json(
                    .init(
                        tags: page.map { Self.adminTag($0.tag, stories: $0.stories, representation) },
                        nextCursor: tags.count > limit ? page.last?.tag.slug : nil))))
    }

    func adminRenameTag(_ input: Operations.AdminRenameTag.Input) async throws -> Operations.AdminRenameTag.Output {
        let member = try APIMember.required()
        guard case .json(let body) = input.body else { throw APIError.parameter("body") }
        try Self.checkName(body.name, max: 100)
        let tag = try await Self.orNoItem {
            try await web.newsroom.renameTag(
                input.path.id, to: body.name, by: member.requester, now: web.settings.clock())
        }
        let stories = try await web.tags.stories(carrying: input.path.id)
        let representation = try await self.representation(fields: nil, include: nil)
        return .ok(.init(body: .json(.init(tag: Self.adminTag(tag, stories: stories, representation)))))
    }

    func adminDeleteTag(_ input: Operations.AdminDeleteTag.Input) async throws -> Operations.AdminDeleteTag.Output {
        let member = try APIMember.required()
        do {
            try await Self.orNoItem {
                try await web.newsroom.removeTag(input.path.id, by: member.requester, now: web.settings.clock())
            }
        } catch NewsroomError.invalid(let problems) where problems.contains(where: { $0.key == "error_tag_in_use" }) {
            throw APIError(status: .conflict, code: .conflict, messageKey: "error_tag_in_use")
        }
        return .noContent(.init())
    }

    static func adminTag(_ tag: Tag, stories: Int, _ representation: APIRepresentation)
        -> Components.Schemas.AdminTag
    {
        Components.Schemas.AdminTag(
            id: tag.id ?? 0, slug: tag.slug, name: tag.name, url: representation.url(.tag(slug: tag.slug)),
            stories: stories)
    }

    /// A name the document allows: `1...max` code points, not only spaces (400 naming `field` otherwise).
    static func checkName(_ name: String, max: Int, field: String = "name") throws {
        guard (1...max).contains(name.unicodeScalars.count),
            name.unicodeScalars.contains(where: { !$0.properties.isWhitespace })
        else { throw APIError.parameter(field) }
    }

    /// Runs `operation`; an id that names nothing is a 404 that says so (not the message about stories).
    @discardableResult
    static func orNoItem<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch NewsroomError.notFound {
            throw APIError.noItem
        }
    }
}
