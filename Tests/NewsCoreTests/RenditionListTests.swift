import NewsCore
import Testing

/// The compact rendition list each photo row carries ("o640x480.jpg w1280x720.webp"): read back exactly as written,
/// malformed tokens left out, and any input read in one bounded pass.
@Suite("Rendition lists")
struct RenditionListTests {
    @Test("every plan survives encode and decode, in order")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let width = Int.random(in: 1...9000, using: &generator)
            let height = Int.random(in: 1...9000, using: &generator)
            let plan = Rendition.plan(width: width, height: height)
            #expect(Rendition.decode(Rendition.encode(plan)) == plan, "\(width)×\(height)")
        }
        #expect(Rendition.decode("").isEmpty)
    }

    @Test("a rendition's file name reads back as what it names, for every plan and focal point")
    func fileNames() {
        #expect(
            Rendition(shape: .wide, width: 1280, height: 720, format: .jpeg).fileName(stem: "u-3f9a", focusCode: "5040")
                == "u-3f9a.w1280-f5040.jpg")
        #expect(
            Rendition(shape: .original, width: 7, height: 9, format: .webp).fileName(
                of: "u-1.jpg", focus: FocalPoint(x: 0.1, y: 1)) == "u-1.o7.webp")
        // A point on the edge is 100 percent: three digits (once refused, so such a photo's crops were 404s).
        let edge = Rendition(shape: .square, width: 320, height: 320, format: .webp)
        #expect(edge.fileName(of: "u.jpg", focus: FocalPoint(x: 1, y: 1)) == "u.q320-f100100.webp")
        #expect(Rendition.Name("u.q320-f100100.webp")?.width == 320)
        #expect(Rendition.Name("u.q320-f1001000.webp") == nil && Rendition.Name("u.q320-f100.webp") == nil)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let plan = Rendition.plan(
                width: Int.random(in: 1...9000, using: &generator), height: Int.random(in: 1...9000, using: &generator))
            let focus = FocalPoint(x: .random(in: 0...1, using: &generator), y: .random(in: 0...1, using: &generator))
            for rendition in plan {
                let name = Rendition.Name(rendition.fileName(of: "u-ab.c.jpg", focus: focus))
                #expect(name?.stem == "u-ab.c" && name?.shape == rendition.shape, "\(rendition)")
                #expect(name?.width == rendition.width && name?.format == rendition.format, "\(rendition)")
            }
        }
    }

    @Test("malformed tokens are left out, the rest kept")
    func malformed() {
        let kept = [
            Rendition(shape: .original, width: 640, height: 480, format: .jpeg),
            Rendition(shape: .square, width: 320, height: 320, format: .webp),
        ]
        let text =
            "  o640x480.jpg x1x1.jpg o0x5.jpg o5x.jpg o5x5.png o5x5.jpgg w12x9 o1234567x1.jpg q320x320.webp  s-1x2.jpg ow.webp"
        #expect(Rendition.decode(text) == kept)
    }

    @Test("hostile input is read in one pass")
    func hostile() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("owsqx.0123456789 jpgwebp\u{0}é")
        for _ in 0..<200 {
            let text = String(
                (0..<Int.random(in: 0...2000, using: &generator)).map { _ in alphabet.randomElement(using: &generator)!
                })
            let decoded = Rendition.decode(text)
            #expect(decoded.count <= text.utf8.count / 7 + 1)
            #expect(decoded.allSatisfy { $0.width > 0 && $0.height > 0 })
        }
        #expect(Rendition.decode(String(repeating: "o9", count: 200_000)).isEmpty)
    }
}
