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
        // The photo's own address serves its master rendition, with the master's size.
        let size = media.master.map { ($0.width, $0.height) } ?? (media.width, media.height)
        return describe(
            media, url: settings.baseURL + SiteURL.media(file: media.file).path, width: size.0, height: size.1)
    }

    /// A story's photo as search engines ask for it: its 16:9, 4:3 and 1:1 crops around the focal point, each
    /// at its largest (the 16:9 one 1280 px wide when the photo allows, for Discover); before they are made, the
    /// photo itself.
    static func images(_ media: Media, settings: AppSettings) -> [TemplateValue] {
        let crops = [Rendition.Shape.wide, .standard, .square].compactMap { media.renditions($0, .jpeg).last }
        guard !crops.isEmpty else { return [image(media, settings: settings)] }
        return crops.map { crop in
            describe(
                media,
                url: settings.baseURL + SiteURL.media(file: crop.fileName(of: media.file, focus: media.focus)).path,
                width: crop.width, height: crop.height)
        }
    }

    /// An `ImageObject` of `media` at `url`, with its caption and credit.
    private static func describe(_ media: Media, url: String, width: Int, height: Int) -> TemplateValue {
        var image: TemplateValue = [
            "@type": "ImageObject", "url": .string(url), "width": .int(width), "height": .int(height),
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
