import Foundation
import NewsCore
import Templates

extension HomePage {
    /// What `pages/home` reads.
    func view(theme: Theme, settings: AppSettings) -> TemplateValue {
        let view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        var data = view.root(
            title: nil, path: SiteURL.home.path, next: latest.next.map { SiteURL.home.path(after: $0) })
        if let top = featured.first { data["top"] = view.summary(top) }
        data["featured"] = .list(featured.dropFirst().map(view.summary))
        data["feed"] = view.feed(latest, base: .home)
        data["mostRead"] = .list(mostRead.map(view.headline))
        // The site, with its search box for search engines.
        let base = settings.baseURL
        data["page"]?["jsonLD"] = .string(
            StructuredData.script([
                "@context": "https://schema.org", "@type": "WebSite", "name": .string(site.name),
                "url": .string(base + "/"), "inLanguage": .string(view.t.language),
                "publisher": StructuredData.organization(site: site, settings: settings, theme: theme),
                "potentialAction": [
                    "@type": "SearchAction", "target": .string(base + SiteURL.search.path + "?q={search_term_string}"),
                    "query-input": "required name=search_term_string",
                ],
            ]))
        return .object(data)
    }
}
