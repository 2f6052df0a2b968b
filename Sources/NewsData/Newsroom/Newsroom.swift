import Foundation
import NewsCore
import SQLKit

/// Why the newsroom refused a change. Nothing is stored when one of these is thrown.
public enum NewsroomError: Error, Equatable, Sendable {
    case notFound
    /// The user's role does not allow this on this story.
    case forbidden
    /// The story changed since the user loaded it (someone else saved version `current`).
    case stale(current: Int, savedBy: String?, savedAt: Date?)
    /// Someone else is editing the story.
    case lockedByOther(name: String, since: Date)
    /// The user's edit lock was taken over.
    case lockLost(takenBy: String, at: Date)
    /// Fields that need fixing.
    case invalid([FieldError])
}

/// The state of a story's edit lock, for one editor tab.
public enum LockState: Sendable, Equatable {
    /// This tab holds the lock (its token).
    case held(token: String)
    /// Someone else holds it (shown with an explicit "take over" button).
    case heldByOther(name: String, since: Date)
    /// This tab held it, and someone took it over.
    case lost(takenBy: String, at: Date)
}

/// A saved version of a story, for the history list.
public struct RevisionInfo: Sendable, Equatable {
    public var id: Int64
    public var kind: String
    public var version: Int
    public var userName: String?
    public var savedAt: Date
}

/// The only code that writes content: the newsroom's use cases over the database, each in its own file.
///
/// Stories: create, save (with version and lock checks, and a revision for every save), autosave, restore,
/// workflow moves, scheduled publishing and import. The paper: rubrics, settings, people and photos. Each use
/// case validates once and runs in one transaction, which also records its ``ChangeEvent`` in the outbox
/// (``ChangeLog``); the audit log and the page cache follow from those events.
public struct Newsroom: Sendable {
    let database: Database
    /// Accounts, and the threads their passwords are hashed on.
    let users: UserRepository
    /// A lock nobody has confirmed for this long is free for anyone.
    public static let lockTimeout: TimeInterval = 120

    /// Creates the service over `database`; `users` hashes new passwords (its cost and threads).
    public init(database: Database, users: UserRepository? = nil) {
        self.database = database
        self.users = users ?? UserRepository(database: database)
    }

    // MARK: - Reading

    /// Whether `user` created the story or is credited on it.
    public static func owns(_ article: Article, user: User) -> Bool {
        article.createdBy == user.id || (user.authorID.map { article.bylineIDs.contains($0) } ?? false)
    }

    /// Whether `user` may open `article` in the editor: any story of their rubrics for editors, their own for
    /// everyone.
    public static func mayOpen(_ article: Article, user: User) -> Bool {
        user.role(forRubric: article.rubricID).can(.editAnyArticle) || owns(article, user: user)
    }

    /// Whether `user` may change `article` as it stands (its status, their role in its rubric, whether it is theirs).
    public static func mayEdit(_ article: Article, user: User) -> Bool {
        Workflow.canEdit(
            status: article.status, role: user.role(forRubric: article.rubricID), isOwn: owns(article, user: user))
    }

    /// The story with `id`, if `user` may open it in the editor.
    public func open(_ id: Int64, for user: User) async throws -> Article {
        guard let article = try await ArticleRepository(database: database).find(id: id) else {
            throw NewsroomError.notFound
        }
        guard Self.mayOpen(article, user: user) else { throw NewsroomError.forbidden }
        return article
    }

    // MARK: - Helpers

    /// The edit's article with its tag and byline names resolved to ids (new ones added), inside `sql`'s
    /// transaction; names not given keep the article's ids.
    static func resolveNames(of edit: ArticleEdit, in sql: any SQLDatabase) async throws -> Article {
        var article = edit.article
        if let names = edit.tagNames { article.tagIDs = try await TagRepository.resolve(names: names, in: sql) }
        if let names = edit.bylineNames {
            article.bylineIDs = try await AuthorRepository.resolve(names: names, in: sql)
        }
        return article
    }

    /// Whether `article`'s own fields pass the checks every write of content makes (no database needed): an importer
    /// stores the stories that pass in one go and the others one at a time, to report each refusal.
    public static func passesOwnChecks(_ article: Article) -> Bool {
        (try? validated(article)) != nil
    }

    /// The article's own fields checked (no database needed), stray control characters taken out first: every
    /// write of content runs this once and stores what it returns.
    static func validated(_ article: Article) throws -> Article {
        let cleaned = article.withoutControlCharacters().withSafeRawHTML()
        let problems = ArticleValidation.problems(cleaned)
        if !problems.isEmpty { throw NewsroomError.invalid(problems) }
        return cleaned
    }
}

/// Who asks for a change to the paper: a signed-in member (and the address the request came from), or the
/// command line on the server.
public struct Requester: Sendable {
    public var user: User?
    public var address: String?

    /// A member of the newsroom, over HTTP from `address`.
    public static func member(_ user: User, address: String?) -> Requester {
        Requester(user: user, address: address)
    }

    /// The operator at the server's command line (`shpalta user …`, the demo loader).
    public static let commandLine = Requester(user: nil, address: "cli")

    var source: ChangeEvent.Source { user == nil ? .command : .newsroom }

    /// Refuses a member whose role lacks `permission` (the command line may do anything).
    public func require(_ permission: Permission) throws {
        if let user, user.disabled || !user.role.can(permission) { throw NewsroomError.forbidden }
    }
}
