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
        return .object(data)
    }
}
