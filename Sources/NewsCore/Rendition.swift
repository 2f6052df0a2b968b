/// One resized copy of a photo, made with libvips from the original (which is kept and never served): a width, a
/// shape (the original's, or a crop around the photo's focal point for cards and structured data) and a format.
/// Renditions are never larger than the original, and carry no metadata (EXIF, GPS).
public struct Rendition: Sendable, Hashable, Codable {
    /// The picture's proportions.
    public enum Shape: String, Sendable, Codable, CaseIterable {
        /// The original's own proportions.
        case original = "o"
        /// 16:9, for cards and Google Discover.
        case wide = "w"
        /// 4:3.
        case standard = "s"
        /// 1:1, for thumbnails.
        case square = "q"

        /// Height over width; nil for the original's.
        public var ratio: (Int, Int)? {
            switch self {
            case .original: nil
            case .wide: (16, 9)
            case .standard: (4, 3)
            case .square: (1, 1)
            }
        }
    }

    public enum Format: String, Sendable, Codable, CaseIterable {
        case jpeg = "jpg"
        case webp

        public var mimeType: String { self == .jpeg ? "image/jpeg" : "image/webp" }
    }

    public var shape: Shape
    public var width: Int
    public var height: Int
    public var format: Format

    /// Creates a rendition.
    public init(shape: Shape, width: Int, height: Int, format: Format) {
        self.shape = shape
        self.width = width
        self.height = height
        self.format = format
    }

    /// The widths a theme chooses from.
    public static let widths = [320, 640, 960, 1280, 1920]
    /// The narrowest picture Google Discover shows large.
    public static let discoverWidth = 1200

    /// The renditions of a `width` × `height` (upright) photo: its own shape at every width up to its own (the
    /// photo's width itself when it is narrower than the smallest), and the crops at the widths cards and
    /// structured data use; in JPEG and WebP. Never upscaled.
    public static func plan(width: Int, height: Int) -> [Rendition] {
        guard width > 0, height > 0 else { return [] }
        var sizes: [(Shape, Int, Int)] = []
        var own = widths.filter { $0 <= width }
        // A photo a little narrower than 1280 keeps its own width too: Google Discover wants 1200 at least.
        if (discoverWidth..<1280).contains(width) { own.append(width) }
        for target in own.isEmpty ? [width] : own {
            sizes.append((.original, target, max(1, Int((Double(height) * Double(target) / Double(width)).rounded()))))
        }
        let crops: [(Shape, [Int])] = [(.wide, [640, 1280]), (.standard, [640]), (.square, [320])]
        for (shape, targets) in crops {
            guard let (w, h) = shape.ratio else { continue }
            for target in targets {
                let cropHeight = target * h / w
                // The crop fits inside the photo without upscaling.
                guard target <= width, cropHeight <= height else { continue }
                sizes.append((shape, target, cropHeight))
            }
            // The widest crop that fits, when the largest listed does not but Discover's minimum does.
            let widest = min(width, height * w / h)
            if let largest = targets.last, widest < largest, widest >= discoverWidth {
                sizes.append((shape, widest, widest * h / w))
            }
        }
        return sizes.flatMap { shape, width, height in
            Format.allCases.map { Rendition(shape: shape, width: width, height: height, format: $0) }
        }
    }

    /// The master of a `width` × `height` photo: the largest JPEG of its own shape in its plan, which the photo's
    /// own address serves.
    public static func master(width: Int, height: Int) -> Rendition? {
        plan(width: width, height: height).last { $0.shape == .original && $0.format == .jpeg }
    }

    /// The rendition's file name beside `original` ("u-3f9a.jpg" → "u-3f9a.o640.webp"). A crop's name carries the
    /// focal point it was cut around, so moving the point makes new addresses and no cache keeps the old picture.
    public func fileName(of original: String, focus: FocalPoint) -> String {
        fileName(stem: Self.stem(of: original), focusCode: focus.code)
    }

    /// The same, from the original's name without its extension and the point's ``FocalPoint/code`` (a page
    /// names a dozen renditions of each photo, and works these out once).
    public func fileName(stem: String, focusCode: String) -> String {
        var name: [UInt8] = []
        appendFileName(stem: stem, focusCode: focusCode, to: &name)
        return String(decoding: name, as: UTF8.self)
    }

    /// The same, appended to `bytes` as UTF-8 (a srcset writes a dozen names into one string).
    public func appendFileName(stem: String, focusCode: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: stem.utf8)
        bytes.append(UInt8(ascii: "."))
        bytes.append(contentsOf: shape.rawValue.utf8)
        Self.appendDecimal(width, to: &bytes)
        if shape != .original {
            bytes.append(contentsOf: "-f".utf8)
            bytes.append(contentsOf: focusCode.utf8)
        }
        bytes.append(UInt8(ascii: "."))
        bytes.append(contentsOf: format.rawValue.utf8)
    }

    /// `value` (not negative) in decimal digits.
    public static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        guard value >= 10 else { return bytes.append(UInt8(ascii: "0") + UInt8(max(0, value))) }
        appendDecimal(value / 10, to: &bytes)
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// The original's name without its extension ("u-3f9a.jpg" → "u-3f9a").
    public static func stem(of original: String) -> String {
        original.lastIndex(of: ".").map { String(original[..<$0]) } ?? original
    }
}

extension Rendition {
    /// What a rendition's file name says ("u-3f9a.w1280-f5040.jpg": the original "u-3f9a.*", 16:9, 1280 wide,
    /// JPEG), read back from a requested address; nil for any name ``Rendition/fileName(of:focus:)`` does not make.
    public struct Name: Sendable, Equatable {
        /// The original's name without its extension.
        public var stem: String
        public var shape: Shape
        public var width: Int
        public var format: Format

        /// Reads `fileName`; one pass over its characters, whatever they are.
        public init?(_ fileName: String) {
            let parts = fileName.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 3, !parts[0].isEmpty, let format = Format(rawValue: String(parts[parts.count - 1])),
                let shape = parts[parts.count - 2].first.flatMap({ Shape(rawValue: String($0)) })
            else { return nil }
            let size = parts[parts.count - 2].dropFirst().split(separator: "-", omittingEmptySubsequences: false)
            func digits(_ text: Substring) -> Bool {
                !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
            }
            guard let widthText = size.first, widthText.count <= 5, digits(widthText), let width = Int(widthText)
            else { return nil }
            switch (shape, size.count) {
            case (.original, 1): break
            case (_, 2) where shape != .original:
                let point = size[1]
                // Two percentages of two or three digits each ("f5040", "f10050": a point on the right edge).
                guard (5...7).contains(point.count), point.first == "f", digits(point.dropFirst()) else { return nil }
            default: return nil
            }
            self.stem = parts.dropLast(2).joined(separator: ".")
            self.shape = shape
            self.width = width
            self.format = format
        }
    }
}

/// Where the subject of a photo is, as fractions of its upright width and height (0.5, 0.5: the centre): crops are
/// cut around it.
public struct FocalPoint: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double

    /// A point; values outside 0…1 are brought inside.
    public init(x: Double, y: Double) {
        self.x = min(max(x.isFinite ? x : 0.5, 0), 1)
        self.y = min(max(y.isFinite ? y : 0.5, 0), 1)
    }

    public static let centre = FocalPoint(x: 0.5, y: 0.5)

    /// The point in two percentages, for file names ("5040"; "10050" on the right edge).
    public var code: String {
        let px = Int((x * 100).rounded()), py = Int((y * 100).rounded())
        return String(format2: px) + String(format2: py)
    }
}

extension String {
    /// `value` (0…100) in at least two digits.
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
