import Foundation
import NewsCore

/// The site-wide part of a WordPress export (WXR 1.1 or 1.2): what comes before its first item.
public struct WXRSite: Sendable, Equatable {
    public var title = ""
    /// `wp:base_site_url`, e.g. "https://gazeta.example".
    public var baseURL = ""
    /// `wp:base_blog_url` (the same unless WordPress lives in a subfolder).
    public var blogURL = ""
    /// Authors by login.
    public var authors: [String: WXRAuthor] = [:]
    public var categories: [WXRTerm] = []
    public var tags: [WXRTerm] = []

    /// The site's host name ("gazeta.example"), which keeps ids of two sites apart.
    public var host: String {
        URLComponents(string: baseURL.isEmpty ? blogURL : baseURL)?.host?.lowercased() ?? ""
    }
}

/// A WordPress user as the export lists them.
public struct WXRAuthor: Sendable, Equatable {
    public var login: String
    public var displayName: String
}

/// A category or tag: its slug (decoded from WordPress's percent-encoding), name and parent's slug.
public struct WXRTerm: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var parent: String?
}

/// One `<item>` of an export: a post, page, attachment or any other post type.
public struct WXRItem: Sendable, Equatable {
    public var id = 0
    public var type = ""
    public var status = ""
    public var title = ""
    public var link = ""
    public var guid = ""
    /// The login in `dc:creator` ("" when the post has no author).
    public var creator = ""
    public var content = ""
    public var excerpt = ""
    /// `wp:post_name`, decoded.
    public var slug = ""
    /// `wp:post_date`: the site's local time, "2024-05-06 09:30:00".
    public var date = ""
    /// `wp:post_date_gmt` ("0000-00-00 00:00:00" for drafts).
    public var dateGMT = ""
    public var parent = 0
    public var sticky = false
    public var password = ""
    public var attachmentURL = ""
    /// Categories, tags and other terms, in the export's order.
    public var terms: [Term] = []
    /// `wp:postmeta`, by key (the first value of a key).
    public var meta: [String: String] = [:]

    public struct Term: Sendable, Equatable {
        public var domain: String
        public var slug: String
        public var name: String
    }

    /// Reads an `<item>` element.
    init(_ node: MarkupNode) {
        for child in node.elements {
            switch child.qualifiedName {
            case "title": title = child.textContent
            case "link": link = WXRItem.trimmed(child.textContent)
            case "guid": guid = WXRItem.trimmed(child.textContent)
            case "dc:creator": creator = WXRItem.trimmed(child.textContent)
            case "content:encoded": content = child.textContent
            case "excerpt:encoded": excerpt = child.textContent
            case "wp:post_id": id = Int(WXRItem.trimmed(child.textContent)) ?? 0
            case "wp:post_type": type = WXRItem.trimmed(child.textContent)
            case "wp:status": status = WXRItem.trimmed(child.textContent)
            case "wp:post_name": slug = WXRItem.decoded(child.textContent)
            case "wp:post_date": date = WXRItem.trimmed(child.textContent)
            case "wp:post_date_gmt": dateGMT = WXRItem.trimmed(child.textContent)
            case "wp:post_parent": parent = Int(WXRItem.trimmed(child.textContent)) ?? 0
            case "wp:is_sticky": sticky = WXRItem.trimmed(child.textContent) == "1"
            case "wp:post_password": password = child.textContent
            case "wp:attachment_url": attachmentURL = WXRItem.trimmed(child.textContent)
            case "category":
                terms.append(
                    Term(
                        domain: child.attribute("domain") ?? "category",
                        slug: WXRItem.decoded(child.attribute("nicename") ?? ""), name: child.textContent))
            case "wp:postmeta":
                if let key = child.value("wp:meta_key").map(WXRItem.trimmed), meta[key] == nil {
                    meta[key] = child.value("wp:meta_value") ?? ""
                }
            default:
                break
            }
        }
    }

    static func trimmed(_ text: String) -> String { text.trimmingWhitespace() }

    /// A slug as WordPress stores it, percent-encoded UTF-8, decoded.
    static func decoded(_ text: String) -> String {
        trimmed(text).percentDecoded
    }
}

extension WXRSite {
    /// Reads the channel's own elements (title, addresses, authors, categories and tags).
    init(_ channel: MarkupNode) {
        for child in channel.elements {
            switch child.qualifiedName {
            case "title": title = WXRItem.trimmed(child.textContent)
            case "wp:base_site_url": baseURL = WXRItem.trimmed(child.textContent)
            case "wp:base_blog_url": blogURL = WXRItem.trimmed(child.textContent)
            case "wp:author":
                let login = WXRItem.trimmed(child.value("wp:author_login") ?? "")
                guard !login.isEmpty else { continue }
                let name = WXRItem.trimmed(child.value("wp:author_display_name") ?? "")
                authors[login] = WXRAuthor(login: login, displayName: name.isEmpty ? login : name)
            case "wp:category":
                let slug = WXRItem.decoded(child.value("wp:category_nicename") ?? "")
                guard !slug.isEmpty else { continue }
                let parent = WXRItem.decoded(child.value("wp:category_parent") ?? "")
                categories.append(
                    WXRTerm(
                        slug: slug, name: WXRItem.trimmed(child.value("wp:cat_name") ?? slug),
                        parent: parent.isEmpty ? nil : parent))
            case "wp:tag":
                let slug = WXRItem.decoded(child.value("wp:tag_slug") ?? "")
                guard !slug.isEmpty else { continue }
                tags.append(WXRTerm(slug: slug, name: WXRItem.trimmed(child.value("wp:tag_name") ?? slug), parent: nil))
            default:
                break
            }
        }
    }
}
