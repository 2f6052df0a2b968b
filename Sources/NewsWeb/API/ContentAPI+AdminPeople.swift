import Foundation
import NewsCore
import NewsData
import OpenAPIRuntime

// The Admin API's people (administrators only): accounts, roles, disabling, editors' rubrics, through the
// newsroom's use cases and their audit log.
extension ContentAPI {
    func adminListPeople(_ input: Operations.AdminListPeople.Input) async throws -> Operations.AdminListPeople.Output {
        let member = try APIMember.required()
        try member.requester.require(.managePeople)
        let slugs = try await rubricSlugs()
        return .ok(.init(body: .json(.init(people: try await web.users.all().map { Self.person($0, slugs) }))))
    }

    func adminAddPerson(_ input: Operations.AdminAddPerson.Input) async throws -> Operations.AdminAddPerson.Output {
        let member = try APIMember.required()
        guard case .json(let body) = input.body else { throw APIError.parameter("body") }
        try member.requester.require(.managePeople)
        try Self.checkName(body.name, max: 200)
        guard (3...254).contains(body.email.unicodeScalars.count) else { throw APIError.parameter("email") }
        guard (10...72).contains(body.password.unicodeScalars.count) else { throw APIError.parameter("password") }
        guard let role = Role(rawValue: body.role.rawValue) else { throw APIError.parameter("role") }
        let user = try await web.newsroom.addPerson(
            email: body.email, name: body.name, role: role, password: body.password, by: member.requester,
            now: web.settings.clock())
        return .created(.init(body: .json(.init(person: Self.person(user, try await rubricSlugs())))))
    }

    func adminUpdatePerson(_ input: Operations.AdminUpdatePerson.Input) async throws
        -> Operations.AdminUpdatePerson.Output
    {
        let member = try APIMember.required()
        guard case .json(let body) = input.body else { throw APIError.parameter("body") }
        try member.requester.require(.managePeople)
        var change = PersonChange()
        if let role = body.role {
            guard let value = Role(rawValue: role.rawValue) else { throw APIError.parameter("role") }
            change.role = value
        }
        change.disabled = body.disabled
        if let slugs = body.rubrics {
            guard slugs.count <= 100, slugs.allSatisfy(Slug.isValid) else { throw APIError.parameter("rubrics") }
            let rubrics = try await web.rubrics.all()
            change.rubricIDs = try slugs.map { slug in
                guard let id = rubrics.first(where: { $0.slug == slug })?.id else {
                    throw APIError.unknown("rubrics", key: "api_error_unknown_rubric")
                }
                return id
            }
        }
        guard change != PersonChange() else { throw APIError.parameter("body") }
        try await Self.orNoItem {
            try await web.newsroom.changePerson(
                input.path.id, change, by: member.requester, now: web.settings.clock())
        }
        guard let user = try await web.users.find(id: input.path.id) else { throw APIError.noItem }
        return .ok(.init(body: .json(.init(person: Self.person(user, try await rubricSlugs())))))
    }

    /// Every rubric's slug by id.
    private func rubricSlugs() async throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try await web.rubrics.all().map { ($0.id ?? 0, $0.slug) })
    }

    static func person(_ user: User, _ slugs: [Int64: String]) -> Components.Schemas.Person {
        Components.Schemas.Person(
            id: user.id ?? 0, email: user.email, name: user.name,
            role: Components.Schemas.Role(rawValue: user.role.rawValue) ?? .contributor, disabled: user.disabled,
            rubrics: user.rubricIDs.compactMap { slugs[$0] }.sorted(), createdAt: user.createdAt)
    }
}
