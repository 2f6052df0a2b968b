import NewsCore
import NewsData

/// What every page shows of the site itself: name, rubrics for the navigation, the call to action.
struct SiteInfo: Sendable {
    struct CallToAction: Sendable {
        let text: String
        let url: String
    }

    let name: String
    /// A sentence or two about the paper: the description of pages that have none of their own (empty: none).
    var description = ""
    /// The rubrics as a tree, built once per load of the site: the menu shows the top ones.
    let tree: RubricTree
    /// The words of each rubric's name, in menu order, as the search box's suggestions match them
    /// (``SearchSuggestions/words(_:)``): made once per load, not for every letter typed.
    let rubricWords: [[String]]
    /// The rubrics in menu order.
    var rubrics: [Rubric] { tree.rubrics }
    let cta: CallToAction?
    /// The publication's name as Google News knows it (the site's name unless set apart).
    var newsName: String { googleNewsName ?? name }
    var googleNewsName: String?
    /// The paper's pages elsewhere (Facebook, Telegram, …): `sameAs` of the publisher.
    var socialProfiles: [String] = []
    /// Photos from the library: the publisher's logo and the picture shared for pages without a photo of their own
    /// (the theme's when none is chosen).
    var logo: Media?
    var shareImage: Media?
    /// Whole stories in the RSS feeds (`content:encoded`), or only their teasers.
    var feedFullText = true

    /// Setting keys stored in the database.
    enum Key {
        static let name = "site.name"
        static let description = "site.description"
        static let ctaText = "cta.text"
        static let ctaURL = "cta.url"
        /// "teaser" for teasers only in the feeds; anything else (or nothing) for the whole text.
        static let feedContent = "feeds.content"
        static let googleNewsName = "news.name"
        /// One address per line.
        static let socialProfiles = "social.profiles"
        static let logoMedia = "site.logo_media"
        static let shareMedia = "share.media"
    }

    static func load(database: Database, settings: AppSettings) async throws -> SiteInfo {
        async let stored = SettingsRepository(database: database).all()
        async let rubrics = RubricRepository(database: database).all()
        let values = try await stored
        var cta: CallToAction?
        if let text = values[Key.ctaText], !text.isEmpty, let url = values[Key.ctaURL], Span.isSafeLink(url) {
            cta = CallToAction(text: text, url: url)
        }
        let media = MediaRepository(database: database)
        func photo(_ key: String) async throws -> Media? {
            guard let id = values[key].flatMap({ Int64($0) }) else { return nil }
            return try await media.find(id: id)
        }
        let tree = RubricTree(try await rubrics)
        return SiteInfo(
            name: values[Key.name] ?? settings.siteName, description: values[Key.description] ?? "",
            tree: tree, rubricWords: tree.rubrics.map { SearchSuggestions.words($0.name) }, cta: cta,
            googleNewsName: values[Key.googleNewsName].flatMap { $0.isEmpty ? nil : $0 },
            socialProfiles: (values[Key.socialProfiles] ?? "").split(whereSeparator: \.isNewline).map(String.init)
                .filter(Span.isSafeLink),
            logo: try await photo(Key.logoMedia), shareImage: try await photo(Key.shareMedia),
            feedFullText: values[Key.feedContent] != "teaser")
    }
}

extension SiteInfo {
    /// The rubric at `slug`.
    func rubric(slug: String) -> Rubric? { rubrics.first { $0.slug == slug } }
}
