/// A section of the paper ("Подробиці", "Спорт"), shown in the navigation in `position` order. A rubric may sit
/// under another ("Новини" › "Львів"): the menu shows the top ones, and a rubric's page lists its own stories and
/// those of every rubric under it.
public struct Rubric: Sendable, Equatable, Codable {
    public var id: Int64?
    public var slug: String
    public var name: String
    public var position: Int
    /// The rubric this one sits under (`nil`: a top rubric).
    public var parentID: Int64?
    /// What the rubric covers, in a sentence or two: its page's description for search engines and for links
    /// shared (empty: the site's own description).
    public var description: String

    /// Creates a rubric.
    public init(
        id: Int64? = nil, slug: String, name: String, position: Int = 0, parentID: Int64? = nil,
        description: String = ""
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.position = position
        self.parentID = parentID
        self.description = description
    }
}

extension Rubric {
    /// The longest description, in characters (a search engine shows about 160).
    public static let descriptionLimit = 300
}

/// A free keyword attached to articles.
public struct Tag: Sendable, Equatable, Codable {
    public var id: Int64?
    public var slug: String
    public var name: String

    /// Creates a tag.
    public init(id: Int64? = nil, slug: String, name: String) {
        self.id = id
        self.slug = slug
        self.name = name
    }
}

/// A person credited in bylines: a staff member or a guest.
public struct Author: Sendable, Equatable, Codable {
    public var id: Int64?
    public var slug: String
    public var name: String
    public var bio: String?
    public var photoMediaID: Int64?
    /// A stable login from the source system (used to match authors on re-import).
    public var login: String?

    /// Creates an author.
    public init(
        id: Int64? = nil, slug: String, name: String, bio: String? = nil, photoMediaID: Int64? = nil,
        login: String? = nil
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.bio = bio
        self.photoMediaID = photoMediaID
        self.login = login
    }
}
