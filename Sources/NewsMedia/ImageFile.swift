import Foundation
import NewsCore
import VipsBridge

/// A photo file as libvips reads it: what it is (by content, never by name) and how large, upright.
public struct ImageFile: Sendable, Equatable {
    /// The formats the newsroom takes.
    public enum Format: String, Sendable, CaseIterable {
        case jpeg, png, webp, gif, avif

        public var mimeType: String { "image/" + rawValue }
        public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
    }

    public var format: Format
    /// The upright size (the EXIF orientation applied).
    public var width: Int
    public var height: Int

    /// The most pixels a photo may have: a phone's 50-megapixel photo is well inside; a small file that claims
    /// 50,000 × 50,000 pixels (a decompression bomb) is refused before anything is decoded.
    public static let maxPixels = 120_000_000

    /// Why a file was refused.
    public enum Problem: Error, Equatable, Sendable {
        /// Not an image libvips reads, or a kind the newsroom does not take (SVG, PDF, HEIC…).
        case notAnImage
        /// More than ``ImageFile/maxPixels``.
        case tooManyPixels(width: Int, height: Int)
        /// libvips could not read or write it (a truncated JPEG…).
        case unreadable(String)
    }

    /// Reads the header of the file at `url` (nothing is decoded).
    public static func inspect(_ url: URL) throws -> ImageFile {
        try ImageLibrary.start()
        var header = shp_vips_header()
        var error = [CChar](repeating: 0, count: 512)
        guard shp_vips_inspect(url.path, &header, &error, error.count) == 0 else { throw Problem.notAnImage }
        let loader = withUnsafeBytes(of: header.loader) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard let format = format(loader: loader, file: url) else { throw Problem.notAnImage }
        let width = Int(header.width), height = Int(header.height)
        guard width > 0, height > 0 else { throw Problem.notAnImage }
        guard width.multipliedReportingOverflow(by: height).partialValue <= maxPixels, width <= 100_000,
            height <= 100_000
        else { throw Problem.tooManyPixels(width: width, height: height) }
        let upright = (5...8).contains(Int(header.orientation))
        return ImageFile(format: format, width: upright ? height : width, height: upright ? width : height)
    }

    /// The format of libvips's `loader` (its class name, "VipsForeignLoadJpegFile"); AVIF only of the HEIF family
    /// (HEIC is not taken: browsers do not show it).
    static func format(loader: String, file: URL) -> Format? {
        let name = loader.lowercased()
        guard name.hasPrefix("vipsforeignload") else { return nil }
        if name.contains("jpeg") { return .jpeg }
        if name.contains("png") { return .png }
        if name.contains("webp") { return .webp }
        if name.contains("gif") { return .gif }
        if name.contains("heif") {
            guard let handle = try? FileHandle(forReadingFrom: file) else { return nil }
            defer { try? handle.close() }
            let head = (try? handle.read(upToCount: 12)) ?? Data()
            guard head.count == 12 else { return nil }
            let brand = String(decoding: head[4..<12], as: UTF8.self)
            return brand == "ftypavif" || brand == "ftypavis" ? .avif : nil
        }
        return nil
    }

    /// Writes `rendition` of the photo at `source` to `output`, cut around `focus` when it is a crop.
    public static func render(
        _ source: URL, _ rendition: Rendition, focus: FocalPoint, to output: URL, quality: Int = 82
    ) throws {
        try render(source, [(rendition, output)], focus: focus, quality: quality)
    }

    /// Writes each rendition of the photo at `source` to its file, decoding the photo once. On an error none of
    /// the files is left behind.
    public static func render(
        _ source: URL, _ renditions: [(Rendition, URL)], focus: FocalPoint, quality: Int = 82
    ) throws {
        guard !renditions.isEmpty else { return }
        try ImageLibrary.start()
        var error = [CChar](repeating: 0, count: 512)
        // The C strings live as long as the call.
        let paths = renditions.map { strdup($0.1.path) }
        defer { paths.forEach { free($0) } }
        let targets = zip(renditions, paths).map { item, path in
            shp_vips_target(
                width: Int32(item.0.width), height: item.0.shape == .original ? 0 : Int32(item.0.height),
                format: item.0.format == .webp ? 1 : 0, output: UnsafePointer(path))
        }
        let status = shp_vips_render_all(
            source.path, targets, Int32(targets.count), focus.x, focus.y, Int32(quality), &error, error.count)
        guard status == 0 else {
            for (_, output) in renditions { try? FileManager.default.removeItem(at: output) }
            throw Problem.unreadable(message(error))
        }
    }
}

extension ImageFile {
    /// The average colour of the photo at `url`, as "#rrggbb".
    public static func averageColour(_ url: URL) throws -> String {
        try ImageLibrary.start()
        var rgb = [Double](repeating: 0, count: 3)
        var error = [CChar](repeating: 0, count: 512)
        guard shp_vips_average(url.path, &rgb, &error, error.count) == 0 else {
            throw Problem.unreadable(message(error))
        }
        return "#"
            + rgb.map { value in
                let byte = Int(min(max(value.rounded(), 0), 255))
                return (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }.joined()
    }
}

/// libvips's message in `buffer` (up to its NUL), trimmed.
private func message(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
}

/// libvips, started once per process.
enum ImageLibrary {
    private static let started: Bool = shp_vips_start() == 0

    struct NotStarted: Error {}

    static func start() throws {
        guard started else { throw NotStarted() }
    }
}
