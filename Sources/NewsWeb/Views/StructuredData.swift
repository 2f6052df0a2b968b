import Foundation
import NewsCore

/// schema.org data as a `<script type="application/ld+json">` holds it: JSON with `<`, `>` and `&` written as
/// `\u003c`, `\u003e` and `\u0026`, so no headline or credit can end the script or open a comment.
enum StructuredData {
    static func script(_ object: [String: Any]) -> String {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "" }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e").replacingOccurrences(of: "&", with: "\\u0026")
    }

    /// The paper as publisher: its name, address and logo.
    static func organization(site: SiteInfo, settings: AppSettings, theme: Theme) -> [String: Any] {
        var organization: [String: Any] = [
            "@type": "Organization", "name": site.name, "url": settings.baseURL + "/",
            "logo": site.logo.map { image($0, settings: settings) }
                ?? [
                    "@type": "ImageObject", "url": settings.baseURL + theme.assetURL("logo.png"), "width": 600,
                    "height": 60,
                ],
        ]
        if !site.socialProfiles.isEmpty { organization["sameAs"] = site.socialProfiles }
        return organization
    }

    /// A photo with its size, caption and credit (`creditText`, and the credit as `copyrightNotice`).
    static func image(_ media: Media, settings: AppSettings) -> [String: Any] {
        var image: [String: Any] = [
            "@type": "ImageObject", "url": settings.baseURL + SiteURL.media(file: media.file).path,
            "width": media.width, "height": media.height,
        ]
        if let caption = media.caption, !caption.isEmpty { image["caption"] = caption }
        if let credit = media.credit, !credit.isEmpty {
            image["creditText"] = credit
            image["copyrightNotice"] = credit
        }
        return image
    }

    /// The picture shared for pages without a photo of their own: the one chosen in the settings, or the theme's
    /// (1200 × 630).
    static func defaultImage(site: SiteInfo, settings: AppSettings, theme: Theme) -> [String: Any] {
        if let chosen = site.shareImage { return image(chosen, settings: settings) }
        return [
            "@type": "ImageObject", "url": settings.baseURL + theme.assetURL("share.png"), "width": 1200, "height": 630,
        ]
    }
}
