import Foundation

/// One line of the JSON Lines article format (see docs/IMPORT.md). Unknown fields are ignored; every
/// field but `title` may be missing.
struct JSONLRecord: Decodable {
    var id: String?
    var slug: String?
    var title: String?
    var teaser: String?
    var lede: String?
    var bodyHTML: String?
    var rubric: String?
    var rubricSlug: String?
    var tags: [String]?
    var tagSlugs: [String]?
    var author: String?
    var authorLogin: String?
    var publishedAt: String?
    var publishedAtUTC: String?
    var status: String?
    var photo: String?
    var photoCredit: String?
    var photoAlt: String?
    var photoCaption: String?
    var featured: Bool?
    var breaking: Bool?

    enum CodingKeys: String, CodingKey {
        case id, slug, title, teaser, lede, rubric, tags, author, status, photo, featured, breaking
        case bodyHTML = "body_html"
        case rubricSlug = "rubric_slug"
        case tagSlugs = "tag_slugs"
        case authorLogin = "author_login"
        case publishedAt = "published_at"
        case publishedAtUTC = "published_at_utc"
        case photoCredit = "photo_credit"
        case photoAlt = "photo_alt"
        case photoCaption = "photo_caption"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let number = try? container.decodeIfPresent(Int64.self, forKey: .id) {
            id = String(number)
        } else {
            id = try container.decodeIfPresent(String.self, forKey: .id)
        }
        slug = try container.decodeIfPresent(String.self, forKey: .slug)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        teaser = try container.decodeIfPresent(String.self, forKey: .teaser)
        lede = try container.decodeIfPresent(String.self, forKey: .lede)
        bodyHTML = try container.decodeIfPresent(String.self, forKey: .bodyHTML)
        rubric = try container.decodeIfPresent(String.self, forKey: .rubric)
        rubricSlug = try container.decodeIfPresent(String.self, forKey: .rubricSlug)
        tags = try container.decodeIfPresent([String].self, forKey: .tags)
        tagSlugs = try container.decodeIfPresent([String].self, forKey: .tagSlugs)
        author = try container.decodeIfPresent(String.self, forKey: .author)
        authorLogin = try container.decodeIfPresent(String.self, forKey: .authorLogin)
        publishedAt = try container.decodeIfPresent(String.self, forKey: .publishedAt)
        publishedAtUTC = try container.decodeIfPresent(String.self, forKey: .publishedAtUTC)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        photo = try container.decodeIfPresent(String.self, forKey: .photo)
        photoCredit = try container.decodeIfPresent(String.self, forKey: .photoCredit)
        photoAlt = try container.decodeIfPresent(String.self, forKey: .photoAlt)
        photoCaption = try container.decodeIfPresent(String.self, forKey: .photoCaption)
        featured = try container.decodeIfPresent(Bool.self, forKey: .featured)
        breaking = try container.decodeIfPresent(Bool.self, forKey: .breaking)
    }
}
