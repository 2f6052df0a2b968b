import Foundation

/// A news story: what a journalist writes and a reader reads.
///
/// `lede` is the first, bold paragraph under the headline; feeds show `teaser` when set and the lede
/// otherwise. `bylineIDs` keeps the order in which the authors are credited.
public struct Article: Sendable, Equatable, Codable {
    /// Database id; `nil` before the article is first stored.
    public var id: Int64?
    public var slug: String
    public var title: String
    public var seoTitle: String?
    public var seoDescription: String?
    public var lede: String
    public var teaser: String?
    public var body: [Block]
    public var rubricID: Int64?
    public var tagIDs: [Int64]
    public var bylineIDs: [Int64]
    public var coverMediaID: Int64?
    public var status: ArticleStatus
    /// When the story went (or goes, if scheduled) public.
    public var publishedAt: Date?
    public var updatedAt: Date
    public var createdAt: Date
    public var featured: Bool
    public var breaking: Bool
    /// A note for the newsroom; never shown to readers.
    public var editorialNote: String?
    /// The id the story had in the system it was imported from, so that a re-import updates it.
    public var sourceID: String?
    /// The newsroom account that created the story (nil for imports).
    public var createdBy: Int64?
    /// Grows by one with every save; a save based on an older version is refused.
    public var version: Int
    /// Corrections added after publication, oldest first (`nil`: none; optional so that versions kept before
    /// corrections existed still read).
    public var corrections: [Correction]?
    /// The stories an editor pinned to the top of "Читайте також", in order (`nil`: none; optional so that versions
    /// kept before pins existed still read).
    public var pinnedRelated: [Int64]?

    /// Creates an article; only the headline and slug are required.
    public init(
        id: Int64? = nil, slug: String, title: String, seoTitle: String? = nil, seoDescription: String? = nil,
        lede: String = "", teaser: String? = nil, body: [Block] = [], rubricID: Int64? = nil, tagIDs: [Int64] = [],
        bylineIDs: [Int64] = [], coverMediaID: Int64? = nil, status: ArticleStatus = .draft,
        publishedAt: Date? = nil, updatedAt: Date = Date(), createdAt: Date = Date(), featured: Bool = false,
        breaking: Bool = false, editorialNote: String? = nil, sourceID: String? = nil, createdBy: Int64? = nil,
        version: Int = 1, corrections: [Correction]? = nil, pinnedRelated: [Int64]? = nil
    ) {
        self.id = id
        self.slug = slug
        self.title = title
        self.seoTitle = seoTitle
        self.seoDescription = seoDescription
        self.lede = lede
        self.teaser = teaser
        self.body = body
        self.rubricID = rubricID
        self.tagIDs = tagIDs
        self.bylineIDs = bylineIDs
        self.coverMediaID = coverMediaID
        self.status = status
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.createdAt = createdAt
        self.featured = featured
        self.breaking = breaking
        self.editorialNote = editorialNote
        self.sourceID = sourceID
        self.createdBy = createdBy
        self.version = version
        self.corrections = corrections
        self.pinnedRelated = pinnedRelated
    }

    /// The text a feed shows under the headline.
    public var summaryText: String { teaser.flatMap { $0.isEmpty ? nil : $0 } ?? lede }

    /// Whether a reader may see the story at `now`.
    public func isPublic(at now: Date) -> Bool {
        guard status == .published, let publishedAt else { return false }
        return publishedAt <= now
    }
}

extension Article {
    /// The photos the story shows: its cover, then those of its body in order, each once.
    public var mediaIDs: [Int64] {
        var seen = Set<Int64>()
        let all =
            (coverMediaID.map { [$0] } ?? [])
            + body.compactMap { block -> Int64? in
                if case .image(let id, _, _) = block { return id }
                return nil
            }
        return all.filter { seen.insert($0).inserted }
    }
}
