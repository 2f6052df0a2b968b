import Foundation
import NewsCore
import NewsData

/// What a WordPress post becomes here: the ingest step's story, with warnings about what could not come along.
/// It reads no database, so a batch's posts are mapped on every core at once.
struct WordPressMapper: Sendable {
    let site: WXRSite
    let attachments: [Int: WXRAttachment]
    let attachedTo: [Int: [WXRAttachment]]
    let uploads: URL?
    let baseURL: String?
    let permalinks: [String]
    let timeZone: TimeZone
    /// The attachments by their path under `wp-content/uploads`, for the photos bodies name.
    let attachmentsByPath: [String: WXRAttachment]

    init(
        site: WXRSite, attachments: [Int: WXRAttachment], attachedTo: [Int: [WXRAttachment]], uploads: URL?,
        baseURL: String?, permalinks: [String], timeZone: TimeZone
    ) {
        self.site = site
        self.attachments = attachments
        self.attachedTo = attachedTo
        self.uploads = uploads
        self.baseURL = baseURL
        self.permalinks = permalinks
        self.timeZone = timeZone
        var byPath: [String: WXRAttachment] = [:]
        for attachment in attachments.values.sorted(by: { $0.id < $1.id }) {
            if let path = Self.uploadsPath(attachment.url), byPath[path] == nil { byPath[path] = attachment }
        }
        attachmentsByPath = byPath
    }

    enum Kind: Equatable {
        case story
        /// Items of the site's machinery (menus, revisions, styles), which no reader sees as content.
        case skipQuietly
        case skip(String)
    }

    static let machinery: Set<String> = [
        "attachment", "nav_menu_item", "revision", "custom_css", "customize_changeset", "oembed_cache", "user_request",
        "wp_block", "wp_template", "wp_template_part", "wp_global_styles", "wp_navigation", "wp_font_family",
        "wp_font_face", "shop_order", "wpcf7_contact_form", "acf-field", "acf-field-group",
    ]

    func kind(of item: WXRItem) -> Kind {
        if item.type == "post" {
            switch item.status {
            case "publish", "draft", "pending", "future", "private": return .story
            case "auto-draft", "inherit": return .skipQuietly
            case "trash": return .skip("is in WordPress's trash; not imported")
            default: return .skip("has the unknown status \"\(item.status)\"; not imported")
            }
        }
        if Self.machinery.contains(item.type) { return .skipQuietly }
        if item.type == "page" { return .skip("is a page (\"\(item.title)\"); Shpalta imports posts only") }
        return .skip("has the unknown post type \"\(item.type)\"; not imported")
    }

    /// The old site's host (the given address's, or the export's).
    var oldHost: String {
        baseURL.flatMap { URLComponents(string: $0)?.host?.lowercased() } ?? site.host
    }

    /// A post as the ingest step takes it (`nil` when it is skipped), and the warnings about it.
    typealias Prepared = (story: IngestStory?, warnings: [ImportProblem])

    func story(_ item: WXRItem) -> Prepared {
        var warnings: [ImportProblem] = []
        func warn(_ field: String?, _ message: String) {
            warnings.append(ImportProblem(line: item.id, field: field, message: message, skipped: false, unit: "item"))
        }
        func skip(_ field: String?, _ message: String) -> Prepared {
            (
                nil,
                warnings + [ImportProblem(line: item.id, field: field, message: message, skipped: true, unit: "item")]
            )
        }
        let title = UkrainianText.tidy(item.title)
        guard !title.isEmpty else { return skip("title", "has no title") }

        var status: ArticleStatus
        switch item.status {
        case "publish": status = .published
        case "future": status = .scheduled
        case "pending": status = .review
        case "private":
            status = .draft
            warn("status", "is private in WordPress; imported as a draft")
        default: status = .draft
        }
        if !item.password.isEmpty, status == .published || status == .scheduled {
            status = .draft
            warn("status", "is protected by a password in WordPress; imported as a draft")
        }
        let date = Self.date(gmt: item.dateGMT) ?? Self.date(local: item.date, timeZone: timeZone)
        if (status == .published || status == .scheduled), date == nil {
            return skip("post_date", "has no date for a published post")
        }

        // Body.
        let shortcodes = WordPressShortcodes(attachments: attachments, attached: attachedTo[item.id] ?? [])
        let (html, shortcodeNotes) = shortcodes.expand(item.content)
        for note in shortcodeNotes { warn("content", note) }
        let isBlocks = item.content.containsBytes("<!-- wp:")
        let conversion = BodyHTML.convert(html, autop: !isBlocks)
        for note in conversion.notes { warn("content", note) }
        var body: [IngestBlock] = []
        for block in conversion.blocks {
            switch block {
            case .block(let block):
                body.append(.block(localLinks(block)))
            case .image(let source, let alt, let caption, let credit):
                switch photo(source) {
                case .found(let file, let storeName, let attachment):
                    body.append(
                        .photo(
                            IngestPhoto(
                                file: file, storeName: storeName, alt: alt.isEmpty ? attachment?.alt ?? "" : alt,
                                caption: caption ?? attachment.flatMap { CaptionCredit.split($0.caption).caption },
                                credit: credit ?? attachment.flatMap { CaptionCredit.split($0.caption).credit })))
                case .missing(let message):
                    warn("content", message)
                }
            }
        }

        var story = IngestStory(
            sourceID: "wp:\(oldHost):\(item.id)", title: title, slug: item.slug,
            lede: UkrainianText.tidy(Self.plainText(item.excerpt)), teaser: nil, body: body,
            document: SearchDocument(id: 0, title: "", lede: "", teaser: nil, body: [], analyzer: .shared),
            status: status, publishedAt: date)
        story.document = Ingest.document(title: story.title, lede: story.lede, teaser: nil, body: body)

        // Rubric: the most specific of the post's categories.
        let categories = item.terms.filter { $0.domain == "category" }
        if let chosen = categories.max(by: { depth(of: $0.slug) < depth(of: $1.slug) }) {
            // With the categories above it, which become the rubrics it sits under.
            let above = categoryPath(chosen.slug).split(separator: "/").dropLast().map { slug in
                let category = site.categories.first { $0.slug == slug }
                return IngestTerm(slug: String(slug), name: UkrainianText.tidy(category?.name ?? String(slug)))
            }
            story.rubric = IngestTerm(slug: chosen.slug, name: UkrainianText.tidy(chosen.name), parents: above)
        }
        story.tags = item.terms.filter { $0.domain == "post_tag" }.map {
            IngestTerm(slug: $0.slug, name: UkrainianText.tidy($0.name))
        }
        if item.creator.isEmpty {
            warn("dc:creator", "has no author; imported without a byline")
        } else {
            let name = site.authors[item.creator]?.displayName ?? item.creator
            story.author = IngestAuthor(login: item.creator, name: UkrainianText.tidy(name))
        }
        if let id = item.meta["_thumbnail_id"].flatMap({ Int($0) }) {
            if let attachment = attachments[id] {
                switch photo(attachment.url) {
                case .found(let file, let storeName, _):
                    let (caption, credit) = CaptionCredit.split(attachment.caption)
                    story.cover = IngestPhoto(
                        file: file, storeName: storeName, alt: attachment.alt, caption: caption.isEmpty ? nil : caption,
                        credit: credit)
                case .missing(let message):
                    warn("_thumbnail_id", message)
                }
            } else {
                warn("_thumbnail_id", "names the attachment \(id), which is not in the export")
            }
        }
        story.featured = item.sticky
        story.seoTitle = seo(item.meta["_yoast_wpseo_title"] ?? item.meta["rank_math_title"], title: title)
        story.seoDescription = seo(
            item.meta["_yoast_wpseo_metadesc"] ?? item.meta["rank_math_description"], title: title)
        if let seoTitle = story.seoTitle, seoTitle.count > ArticleValidation.maxSEOTitle {
            warn("seo_title", "is longer than \(ArticleValidation.maxSEOTitle) characters; left out")
            story.seoTitle = nil
        }
        if let description = story.seoDescription, description.count > ArticleValidation.maxSEODescription {
            warn("seo_description", "is longer than \(ArticleValidation.maxSEODescription) characters; left out")
            story.seoDescription = nil
        }
        story.legacyPaths = legacyPaths(item, date: Self.date(local: item.date, timeZone: timeZone))
        return (story, warnings)
    }

    // MARK: Addresses

    /// Every address the post had: its permalink, its guid, `?p=ID` and its address in each permalink structure.
    func legacyPaths(_ item: WXRItem, date: Date?) -> [String] {
        var paths = ["?p=\(item.id)"]
        for address in [item.link, item.guid] where isOldSite(address) { paths.append(address) }
        for structure in permalinks {
            if let path = permalink(structure, item: item, date: date) { paths.append(path) }
        }
        return paths.map { LegacyURL.normalize($0) }.filter { !$0.isEmpty }
    }

    func isOldSite(_ address: String) -> Bool {
        guard let host = URLComponents(string: address)?.host?.lowercased() else { return address.hasPrefix("/") }
        return host == oldHost || host == site.host
    }

    /// A post's address in a WordPress permalink structure, with its tags (%year%, %monthnum%, %day%, %hour%,
    /// %minute%, %second%, %postname%, %post_id%, %category%, %author%).
    func permalink(_ structure: String, item: WXRItem, date: Date?) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = date.map { calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: $0) }
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let category = item.terms.filter { $0.domain == "category" }.max { depth(of: $0.slug) < depth(of: $1.slug) }
        var path = structure
        let values: [String: String?] = [
            "%year%": parts?.year.map(String.init), "%monthnum%": parts.map { two($0.month) },
            "%day%": parts.map { two($0.day) }, "%hour%": parts.map { two($0.hour) },
            "%minute%": parts.map { two($0.minute) }, "%second%": parts.map { two($0.second) },
            "%postname%": item.slug.isEmpty ? nil : item.slug, "%post_id%": String(item.id),
            "%category%": category.map { categoryPath($0.slug) }, "%author%": item.creator.isEmpty ? nil : item.creator,
        ]
        for (tag, value) in values where path.contains(tag) {
            guard let value else { return nil }
            path = path.replacingOccurrences(of: tag, with: value)
        }
        return path.contains("%") && path.range(of: #"%[a-z_]+%"#, options: .regularExpression) != nil ? nil : path
    }

    /// "novyny/lviv" for a child category.
    func categoryPath(_ slug: String) -> String {
        var path = [slug]
        var current = slug
        while let parent = site.categories.first(where: { $0.slug == current })?.parent, !path.contains(parent),
            path.count < 20
        {
            path.insert(parent, at: 0)
            current = parent
        }
        return path.joined(separator: "/")
    }

    func depth(of slug: String) -> Int { categoryPath(slug).split(separator: "/").count }

    /// A category archive's addresses: "/category/novyny/lviv/" and "/category/lviv/".
    func categoryArchivePaths(_ category: WXRTerm) -> [String] {
        ["/category/" + categoryPath(category.slug), "/category/" + category.slug]
    }

    /// A link in the body to the old site becomes a path here, so the old address's redirect finds the story.
    func localLinks(_ block: Block) -> Block {
        func local(_ span: Span) -> Span {
            guard let link = span.link, isOldSite(link), !link.hasPrefix("/"),
                let components = URLComponents(string: link), !components.percentEncodedPath.contains("/wp-content/")
            else { return span }
            var path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
            if let query = components.percentEncodedQuery { path += "?" + query }
            if let fragment = components.percentEncodedFragment { path += "#" + fragment }
            return Span(span.text, bold: span.bold, italic: span.italic, link: path)
        }
        switch block {
        case .paragraph(let spans): return .paragraph(spans: spans.map(local))
        case .list(let ordered, let items): return .list(ordered: ordered, items: items.map { $0.map(local) })
        default: return block
        }
    }

    // MARK: Photos

    enum Photo {
        case found(URL, storeName: String, attachment: WXRAttachment?)
        case missing(String)
    }

    /// The file in the uploads copy that an image address names; a resized copy ("-300x200") is replaced by its
    /// original when that is there.
    func photo(_ source: String) -> Photo {
        guard let uploads else {
            return .missing("has a photo (\(source)) but no uploads folder was given (--media-dir)")
        }
        let decoded = source.percentDecoded
        let path = URLComponents(string: source)?.path ?? decoded
        let relative: String
        if let range = path.range(of: "/wp-content/uploads/") {
            relative = String(path[range.upperBound...])
        } else if !path.hasPrefix("/"), !source.contains("://") {
            relative = path
        } else {
            return .missing("has a photo outside wp-content/uploads (\(source)); not imported")
        }
        let folder = uploads.standardizedFileURL.resolvingSymlinksInPath().path
        var candidates = [relative]
        if let original = Self.withoutSize(relative) { candidates.insert(original, at: 0) }
        for candidate in candidates {
            let url = uploads.appendingPathComponent(candidate).standardizedFileURL.resolvingSymlinksInPath()
            guard url.path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
                return .missing("has a photo address that leaves the uploads folder (\(source))")
            }
            if FileManager.default.fileExists(atPath: url.path) {
                let attachment = attachmentsByPath[candidate]
                return .found(url, storeName: StoreName.make(candidate), attachment: attachment)
            }
        }
        return .missing("has a photo that is not in the uploads folder: \(relative)")
    }

    static func uploadsPath(_ address: String) -> String? {
        let path = URLComponents(string: address)?.path ?? address
        return path.range(of: "/wp-content/uploads/").map { String(path[$0.upperBound...]) }
    }

    /// "2024/05/photo-300x200.jpg" → "2024/05/photo.jpg".
    static func withoutSize(_ path: String) -> String? {
        guard let range = path.range(of: #"-[0-9]{2,5}x[0-9]{2,5}(?=\.[A-Za-z]+$)"#, options: .regularExpression)
        else { return nil }
        var original = path
        original.removeSubrange(range)
        return original
    }

    // MARK: Text

    /// A Yoast or Rank Math title or description: their variables filled in or taken out.
    func seo(_ text: String?, title: String) -> String? {
        guard var text, !text.isEmpty else { return nil }
        let values = [
            "title": title, "sitename": site.title, "sep": "—", "page": "", "primary_category": "", "excerpt": "",
        ]
        for (name, value) in values {
            text = text.replacingOccurrences(of: "%%\(name)%%", with: value)
            text = text.replacingOccurrences(of: "%\(name)%", with: value)
        }
        text = text.replacingOccurrences(of: #"%%?[a-z_]+%%?"#, with: "", options: .regularExpression)
        let tidy = UkrainianText.tidy(text).trimmingCharacters(in: CharacterSet(charactersIn: " —-|"))
        return tidy.isEmpty ? nil : tidy
    }

    /// An excerpt's text without markup.
    static func plainText(_ html: String) -> String {
        guard html.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else { return html }
        return MarkupTree.with(fragment: html) { $0.map(\.textContent).joined(separator: " ") }
    }

    /// "2024-05-06 06:30:00" in UTC; `nil` for WordPress's zero date.
    static func date(gmt text: String) -> Date? {
        guard !text.isEmpty, !text.hasPrefix("0000") else { return nil }
        return date(local: text, timeZone: .gmt)
    }

    static func date(local text: String, timeZone: TimeZone) -> Date? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).compactMap { Int($0) }
        guard parts.count >= 5, parts[0] > 0 else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour, components.minute) =
            (parts[0], parts[1], parts[2], parts[3], parts[4])
        components.second = parts.count > 5 ? parts[5] : 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: components)
    }
}
