/// A stored photo with its editorial data. The credit ("Фото: telegram.org") is data, never part of
/// the caption, so every place that shows the photo shows the credit too.
public struct Media: Sendable, Equatable, Codable {
    public var id: Int64?
    /// File name inside the media store.
    public var file: String
    public var mimeType: String
    public var width: Int
    public var height: Int
    public var caption: String?
    public var credit: String?
    public var creditURL: String?
    public var alt: String
    public var sourceURL: String?
    /// Where the subject is; crops are cut around it.
    public var focus: FocalPoint = .centre
    /// The renditions libvips has made (empty: none yet, and pages use the original's address).
    public var renditions: [Rendition] = []
    /// The average colour ("#rrggbb"), painted while the picture loads.
    public var colour: String?

    /// Creates a media record.
    public init(
        id: Int64? = nil, file: String, mimeType: String, width: Int, height: Int, caption: String? = nil,
        credit: String? = nil, creditURL: String? = nil, alt: String = "", sourceURL: String? = nil
    ) {
        self.id = id
        self.file = file
        self.mimeType = mimeType
        self.width = width
        self.height = height
        self.caption = caption
        self.credit = credit
        self.creditURL = creditURL
        self.alt = alt
        self.sourceURL = sourceURL
    }
}

extension Media {
    /// The renditions of `shape` in `format`, narrowest first.
    public func renditions(_ shape: Rendition.Shape, _ format: Rendition.Format) -> [Rendition] {
        renditions.filter { $0.shape == shape && $0.format == format }.sorted { $0.width < $1.width }
    }

    /// The largest JPEG of the original's shape that was made: what the photo's own address serves.
    public var master: Rendition? { renditions(.original, .jpeg).last }
}

extension Rendition {
    /// The renditions in one line, as the media table keeps them ("o640x480.jpg w1280x720.webp").
    public static func encode(_ renditions: [Rendition]) -> String {
        renditions.map { "\($0.shape.rawValue)\($0.width)x\($0.height).\($0.format.rawValue)" }.joined(separator: " ")
    }

    /// The renditions of a line made by ``encode(_:)``; anything malformed is left out.
    public static func decode(_ text: String) -> [Rendition] {
        text.split(separator: " ").compactMap { token in
            guard let first = token.first, let shape = Shape(rawValue: String(first)),
                let dot = token.lastIndex(of: "."),
                let format = Format(rawValue: String(token[token.index(after: dot)...]))
            else { return nil }
            let size = token[token.index(after: token.startIndex)..<dot].split(separator: "x")
            guard size.count == 2, let width = Int(size[0]), let height = Int(size[1]), width > 0, height > 0 else {
                return nil
            }
            return Rendition(shape: shape, width: width, height: height, format: format)
        }
    }
}
