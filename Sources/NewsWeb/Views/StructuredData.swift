import Foundation
import NewsCore
import Templates

/// schema.org data as a `<script type="application/ld+json">` holds it: JSON with `<`, `>` and `&` written as
/// `\u003c`, `\u003e` and `\u0026`, so no headline or credit can end the script or open a comment.
enum StructuredData {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func script(_ value: TemplateValue) -> String {
        guard let data = try? encoder.encode(value) else { return "" }
        // One pass over the bytes (Foundation's `JSONSerialization` and three `replacingOccurrences` took a third
        // of an uncached article page's time).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + 64)
        for byte in data {
            switch byte {
            case UInt8(ascii: "<"): bytes.append(contentsOf: Array(#"\u003c"#.utf8))
            case UInt8(ascii: ">"): bytes.append(contentsOf: Array(#"\u003e"#.utf8))
            case UInt8(ascii: "&"): bytes.append(contentsOf: Array(#"\u0026"#.utf8))
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

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
