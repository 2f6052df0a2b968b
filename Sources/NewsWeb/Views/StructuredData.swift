import Foundation
import NewsCore
import Templates

/// schema.org data as a `<script type="application/ld+json">` holds it: JSON with `<`, `>` and `&` written as
/// `\u003c`, `\u003e` and `\u0026`, so no headline or credit can end the script or open a comment.
enum StructuredData {
    static func script(_ value: TemplateValue) -> String { value.json }

    /// The paper as publisher: its name, address, logo and pages elsewhere.
    static func organization(site: SiteInfo, settings: AppSettings, theme: Theme) -> TemplateValue {
        var organization: TemplateValue = [
            "@type": "Organization", "name": .string(site.name), "url": .string(settings.baseURL + "/"),
            "logo": site.logo.map { image($0, settings: settings) }
                ?? [
                    "@type": "ImageObject", "url": .string(settings.baseURL + theme.assetURL("logo.png")), "width": 600,
                    "height": 60,
                ],
        ]
        if !site.socialProfiles.isEmpty { organization["sameAs"] = .list(site.socialProfiles.map { .string($0) }) }
        return organization
    }

    /// A photo with its size, caption and credit (`creditText`, and the credit as `copyrightNotice`).
    static func image(_ media: Media, settings: AppSettings) -> TemplateValue {
        var image: TemplateValue = [
            "@type": "ImageObject", "url": .string(settings.baseURL + SiteURL.media(file: media.file).path),
            "width": .int(media.width), "height": .int(media.height),
        ]
        if let caption = media.caption, !caption.isEmpty { image["caption"] = .string(caption) }
        if let credit = media.credit, !credit.isEmpty {
            image["creditText"] = .string(credit)
            image["copyrightNotice"] = .string(credit)
        }
        return image
    }

    /// The picture shared for pages without a photo of their own: the one chosen in the settings, or the theme's
    /// (1200 × 630).
    static func defaultImage(site: SiteInfo, settings: AppSettings, theme: Theme) -> TemplateValue {
        if let chosen = site.shareImage { return image(chosen, settings: settings) }
        return [
            "@type": "ImageObject", "url": .string(settings.baseURL + theme.assetURL("share.png")), "width": 1200,
            "height": 630,
        ]
    }
}
