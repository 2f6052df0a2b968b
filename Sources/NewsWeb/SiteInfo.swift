import NewsCore
import NewsData

/// What every page shows of the site itself: name, rubrics for the navigation, the call to action.
struct SiteInfo: Sendable {
    struct CallToAction: Sendable {
        let text: String
        let url: String
    }

    let name: String
    let rubrics: [Rubric]
    let cta: CallToAction?
    /// The publication's name as Google News knows it (the site's name unless set apart).
    var newsName: String { name }
    /// Whole stories in the RSS feeds (`content:encoded`), or only their teasers.
    var feedFullText = true

    /// Setting keys stored in the database.
    enum Key {
        static let name = "site.name"
        static let ctaText = "cta.text"
        static let ctaURL = "cta.url"
        /// "teaser" for teasers only in the feeds; anything else (or nothing) for the whole text.
        static let feedContent = "feeds.content"
    }

    static func load(database: Database, settings: AppSettings) async throws -> SiteInfo {
        async let stored = SettingsRepository(database: database).all()
        async let rubrics = RubricRepository(database: database).all()
        let values = try await stored
        var cta: CallToAction?
        if let text = values[Key.ctaText], !text.isEmpty, let url = values[Key.ctaURL], Span.isSafeLink(url) {
            cta = CallToAction(text: text, url: url)
        }
        return SiteInfo(
            name: values[Key.name] ?? settings.siteName, rubrics: try await rubrics, cta: cta,
            feedFullText: values[Key.feedContent] != "teaser")
    }
}
