import Foundation
import NewsCore
import Templates

extension ArticlePage {
    /// What `pages/article` reads.
    func view(theme: Theme, settings: AppSettings) -> TemplateValue {
        let view = ViewBuilder(theme: theme, settings: settings, site: site, now: now)
        var data = view.root(
            title: title, description: description, path: SiteURL.article(slug: article.slug).path,
            currentRubric: detail.rubric?.slug)
        data["article"] = view.article(detail)
        if let latestColumn { data["latestColumn"] = .string(latestColumn) }
        data["related"] = .list(related.map(view.summary))
        data["mostRead"] = .list(mostRead.map(view.headline))
        data["social"] = structuredData(theme: theme, settings: settings, dates: view.dates)
        return .object(data)
    }
}
