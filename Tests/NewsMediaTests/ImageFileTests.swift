import Foundation
import NewsCore
import Testing

@testable import NewsMedia

/// Photos through libvips (issue #12): what is taken, what is refused, and what a rendition keeps.
@Suite("Photos through libvips")
final class ImageFileTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// This test's files, removed when it ends.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("shpalta-media-" + UUID().uuidString)

    deinit { try? FileManager.default.removeItem(at: scratch) }

    /// A new file in a fresh directory (under ``scratch``), holding `data`.
    func file(_ data: Data, name: String = "upload") throws -> URL {
        let directory = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    @Test("each format the newsroom takes is recognised by content, with its upright size")
    func formats() throws {
        let expected: [(String, ImageFile.Format, Int, Int)] = [
            ("gps.jpg", .jpeg, 60, 80), ("alpha.png", .png, 40, 30), ("small.gif", .gif, 20, 10),
            ("small.webp", .webp, 30, 20), ("small.avif", .avif, 320, 240), ("noise.jpg", .jpeg, 320, 240),
        ]
        for (name, format, width, height) in expected {
            // Named as something else: the name plays no part.
            let copy = try file(try Data(contentsOf: Self.fixture(name)), name: "photo.txt")
            let image = try ImageFile.inspect(copy)
            #expect(image == ImageFile(format: format, width: width, height: height), "\(name)")
        }
    }

    @Test("text named .jpg, an SVG with a script, an empty file and a PNG bomb are refused before decoding")
    func refused() throws {
        let text = try file(Data("<?php echo 1; ?> not a photo".utf8), name: "photo.jpg")
        #expect(throws: ImageFile.Problem.notAnImage) { try ImageFile.inspect(text) }
        let svg = try file(
            Data(
                #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#.utf8),
            name: "photo.svg")
        #expect(throws: ImageFile.Problem.notAnImage) { try ImageFile.inspect(svg) }
        let empty = try file(Data(), name: "photo.png")
        #expect(throws: ImageFile.Problem.notAnImage) { try ImageFile.inspect(empty) }
        let bomb = try file(Self.pngHeader(width: 50_000, height: 50_000), name: "bomb.png")
        #expect(throws: ImageFile.Problem.tooManyPixels(width: 50_000, height: 50_000)) { try ImageFile.inspect(bomb) }
    }

    @Test("a truncated JPEG is an error, not a half-grey rendition")
    func truncated() throws {
        let whole = try Data(contentsOf: Self.fixture("noise.jpg"))
        let cut = try file(whole.prefix(whole.count / 2), name: "cut.jpg")
        let output = cut.deletingLastPathComponent().appendingPathComponent("out.jpg")
        #expect(throws: ImageFile.Problem.self) {
            try ImageFile.render(
                cut, Rendition(shape: .original, width: 160, height: 120, format: .jpeg), focus: .centre, to: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output.path), "nothing half-written is left")
    }

    @Test("a rendition is upright and carries no EXIF, GPS or camera data", arguments: Rendition.Format.allCases)
    func stripped(format: Rendition.Format) throws {
        let original = try Data(contentsOf: Self.fixture("gps.jpg"))
        #expect(original.range(of: Data("GPS".utf8)) != nil || original.range(of: Data("TestPhone".utf8)) != nil)
        let source = try file(original, name: "gps.jpg")
        let output = source.deletingLastPathComponent().appendingPathComponent("out." + format.rawValue)
        try ImageFile.render(
            source, Rendition(shape: .original, width: 60, height: 80, format: format), focus: .centre, to: output)
        let made = try Data(contentsOf: output)
        #expect(made.range(of: Data("TestPhone".utf8)) == nil && made.range(of: Data("Fixture".utf8)) == nil)
        #expect(made.range(of: Data("GPS".utf8)) == nil && made.range(of: Data([0x88, 0x25])) == nil, "no GPS IFD")
        // A JPEG keeps no EXIF at all; libvips's WebP writer adds a bare one of its own (resolution, size).
        if format == .jpeg { #expect(made.range(of: Data("Exif".utf8)) == nil) }
        // Upright: the stored 80 × 60 with orientation 6 is 60 × 80, and no orientation is left to apply twice.
        #expect(
            try ImageFile.inspect(output) == ImageFile(format: format == .jpeg ? .jpeg : .webp, width: 60, height: 80))
    }

    @Test("a crop is cut around the focal point")
    func focalPoint() throws {
        // Left half red, right half blue.
        let source = try file(try Data(contentsOf: Self.fixture("halves.jpg")), name: "halves.jpg")
        let square = Rendition(shape: .square, width: 80, height: 80, format: .jpeg)
        let right = source.deletingLastPathComponent().appendingPathComponent("right.jpg")
        try ImageFile.render(source, square, focus: FocalPoint(x: 0.95, y: 0.5), to: right)
        let left = source.deletingLastPathComponent().appendingPathComponent("left.jpg")
        try ImageFile.render(source, square, focus: FocalPoint(x: 0.05, y: 0.5), to: left)
        #expect(try ImageFile.inspect(right) == ImageFile(format: .jpeg, width: 80, height: 80))
        func channels(_ hex: String) -> [Int] {
            stride(from: 1, to: 7, by: 2).map { offset in
                let start = hex.index(hex.startIndex, offsetBy: offset)
                return Int(hex[start..<hex.index(start, offsetBy: 2)], radix: 16) ?? -1
            }
        }
        let blue = channels(try ImageFile.averageColour(right))
        let red = channels(try ImageFile.averageColour(left))
        #expect(blue[2] > 200 && blue[0] < 100, "\(blue)")
        #expect(red[0] > 200 && red[2] < 100, "\(red)")
    }

    @Test("a photo in another colour profile is converted to sRGB; one without a profile keeps its colours")
    func colour() throws {
        /// The red of the source's average colour, and of its rendition's (which has no profile).
        func red(_ name: String) throws -> (source: Int, rendition: Int) {
            let source = try file(try Data(contentsOf: Self.fixture(name)), name: name)
            let output = source.deletingLastPathComponent().appendingPathComponent("out.jpg")
            try ImageFile.render(
                source, Rendition(shape: .original, width: 32, height: 32, format: .jpeg), focus: .centre, to: output)
            func red(_ hex: String) -> Int { Int(hex.dropFirst().prefix(2), radix: 16) ?? -1 }
            return (red(try ImageFile.averageColour(source)), red(try ImageFile.averageColour(output)))
        }
        // Stored as (200, 100, 50) in Adobe RGB, which is (226, 100, 42) in sRGB.
        #expect((220...232).contains(try red("adobe-rgb.jpg").rendition))
        // Without a profile, the colours stay as they are.
        let plain = try red("halves.jpg")
        #expect(abs(plain.source - plain.rendition) <= 4, "\(plain)")
    }

    @Test("a transparent PNG becomes a JPEG on white and a WebP that keeps its transparency")
    func transparency() throws {
        let source = try file(try Data(contentsOf: Self.fixture("alpha.png")), name: "alpha.png")
        for format in Rendition.Format.allCases {
            let output = source.deletingLastPathComponent().appendingPathComponent("out." + format.rawValue)
            try ImageFile.render(
                source, Rendition(shape: .original, width: 40, height: 30, format: format), focus: .centre, to: output)
            #expect(try ImageFile.inspect(output).width == 40)
        }
    }

    /// A small PNG that claims `width` × `height` pixels: its header (IHDR), a few bytes of pixel data and its end,
    /// each chunk with its checksum.
    static func pngHeader(width: Int, height: Int) -> Data {
        var header = Data()
        for value in [UInt32(width), UInt32(height)] {
            withUnsafeBytes(of: value.bigEndian) { header.append(contentsOf: $0) }
        }
        header.append(contentsOf: [8, 2, 0, 0, 0])
        var data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        for (type, body) in [("IHDR", header), ("IDAT", Data(repeating: 0, count: 64)), ("IEND", Data())] {
            let chunk = Data(type.utf8) + body
            withUnsafeBytes(of: UInt32(body.count).bigEndian) { data.append(contentsOf: $0) }
            data.append(chunk)
            withUnsafeBytes(of: crc32(chunk).bigEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

@Suite("Rendition plans")
struct RenditionPlanTests {
    @Test("never upscaled, both formats, crops only where they fit (property)")
    func plans() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let width = Int.random(in: 1...6000, using: &generator),
                height = Int.random(in: 1...6000, using: &generator)
            let plan = Rendition.plan(width: width, height: height)
            #expect(!plan.isEmpty)
            for rendition in plan {
                #expect(rendition.width <= width && rendition.height <= max(height, 1))
                #expect(
                    plan.contains(
                        Rendition(
                            shape: rendition.shape, width: rendition.width, height: rendition.height,
                            format: rendition.format == .jpeg ? .webp : .jpeg)))
            }
            #expect(Set(plan).count == plan.count)
        }
        let phone = Rendition.plan(width: 4000, height: 3000)
        #expect(
            phone.filter { $0.shape == .original }.map(\.width).sorted() == [
                320, 320, 640, 640, 960, 960, 1280, 1280, 1920, 1920,
            ])
        #expect(phone.contains(Rendition(shape: .wide, width: 1280, height: 720, format: .jpeg)))
        // A 1200-wide photo (the demo's, many agencies'): its own width and a 16:9 crop at it, for Google Discover.
        let agency = Rendition.plan(width: 1200, height: 675)
        #expect(Set(agency.filter { $0.shape == .original }.map(\.width)) == [320, 640, 960, 1200])
        #expect(agency.contains(Rendition(shape: .wide, width: 1200, height: 675, format: .webp)))
        #expect(!agency.contains { $0.width > 1200 })
        // A photo narrower than that gets no extra size.
        #expect(Set(Rendition.plan(width: 1000, height: 700).map(\.width)) == [320, 640, 960])
    }

    @Test("a crop's file name carries its focal point; the original shape's does not")
    func names() {
        let focus = FocalPoint(x: 0.3, y: 0.71)
        #expect(
            Rendition(shape: .original, width: 640, height: 480, format: .webp).fileName(of: "u-3f9a.jpg", focus: focus)
                == "u-3f9a.o640.webp")
        #expect(
            Rendition(shape: .wide, width: 1280, height: 720, format: .jpeg).fileName(of: "u-3f9a.jpg", focus: focus)
                == "u-3f9a.w1280-f3071.jpg")
        #expect(FocalPoint(x: 7, y: -.infinity) == FocalPoint(x: 1, y: 0.5))
    }

    @Test("a requested name is read back as made, and any other text is refused in one pass (property)")
    func parsedNames() {
        var generator = SystemRandomNumberGenerator()
        for rendition in Rendition.plan(width: 4000, height: 3000) {
            for original in ["u-3f9a.jpg", "photo.2024.png", "x.o640.jpg"] {
                let focus = FocalPoint(
                    x: .random(in: 0...1, using: &generator), y: .random(in: 0...1, using: &generator))
                let name = Rendition.Name(rendition.fileName(of: original, focus: focus))
                #expect(
                    name?.stem == String(original[..<original.lastIndex(of: ".")!]) && name?.shape == rendition.shape
                        && name?.width == rendition.width && name?.format == rendition.format)
            }
        }
        for refused in [
            "", ".", "..", "u.jpg", ".o640.jpg", "u.o.jpg", "u.o640.png", "u.w640.jpg", "u.o640-f5050.jpg",
            "u.w640-f50.jpg", "u.w640-g5050.jpg", "u.o+64.jpg", "u.o٣٢٠.jpg", "u.w640-f٥٠٥٠.jpg", "u.o99999999.jpg",
        ] {
            #expect(Rendition.Name(refused) == nil, "\(refused)")
        }
        // Hostile addresses: long, full of dots and dashes, random bytes; each is read in bounded time.
        let alphabet = Array("ow sq.-f0123456789jpgwebp٣\u{0}/")
        for _ in 0..<2000 {
            let text = String(
                (0..<Int.random(in: 0...300, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            )
            _ = Rendition.Name(text)
        }
        _ = Rendition.Name(String(repeating: ".", count: 100_000))
        _ = Rendition.Name("u.w" + String(repeating: "-", count: 100_000) + ".jpg")
    }
}
