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

    /// The renditions of a line made by ``encode(_:)``; anything malformed is left out. Every listing row carries
    /// one, so it is read in one pass over the bytes, without intermediate strings.
    public static func decode(_ text: String) -> [Rendition] {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> [Rendition] {
        var result: [Rendition] = []
        result.reserveCapacity(bytes.count / 12 + 1)
        var index = 0
        let end = bytes.count
        // One token: shape letter, width, "x", height, ".", "jpg" or "webp"; tokens are separated by spaces.
        while index < end {
            while index < end, bytes[index] == 0x20 { index += 1 }
            let start = index
            while index < end, bytes[index] != 0x20 { index += 1 }
            if let rendition = token(bytes, start, index) { result.append(rendition) }
        }
        return result
    }

    private static func token(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Rendition? {
        guard end - start >= 7 else { return nil }
        let shape: Shape
        switch bytes[start] {
        case UInt8(ascii: "o"): shape = .original
        case UInt8(ascii: "w"): shape = .wide
        case UInt8(ascii: "s"): shape = .standard
        case UInt8(ascii: "q"): shape = .square
        default: return nil
        }
        var index = start + 1
        func number() -> Int? {
            var value = 0
            let first = index
            while index < end, index - first < 6, (0x30...0x39).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            return index > first && value > 0 ? value : nil
        }
        guard let width = number(), index < end, bytes[index] == UInt8(ascii: "x") else { return nil }
        index += 1
        guard let height = number(), index < end, bytes[index] == UInt8(ascii: ".") else { return nil }
        index += 1
        let format: Format
        switch end - index {
        case 3
        where bytes[index] == UInt8(ascii: "j") && bytes[index + 1] == UInt8(ascii: "p")
            && bytes[index + 2] == UInt8(ascii: "g"):
            format = .jpeg
        case 4
        where bytes[index] == UInt8(ascii: "w") && bytes[index + 1] == UInt8(ascii: "e")
            && bytes[index + 2] == UInt8(ascii: "b") && bytes[index + 3] == UInt8(ascii: "p"):
            format = .webp
        default: return nil
        }
        return Rendition(shape: shape, width: width, height: height, format: format)
    }
}
