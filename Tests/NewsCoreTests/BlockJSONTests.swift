import Foundation
import Testing

@testable import NewsCore

/// Stored bodies are read by a reader of our own (`Block.decodeBody`); whatever the text, its answer is
/// `JSONDecoder`'s, and it finishes in bounded time.
@Suite("Stored bodies")
struct BlockJSONTests {
    static let pieces = [
        "a", "Київ", "\"", "\\", "/", "\n", "\t", "\r", "\u{0}", "\u{1F}", "\u{7F}", "<", "&", "😀", "é", "e\u{301}",
        " ", "{", "}", "[", "]", ",", ":", "https://x.example/a?b=1", "\u{2028}",
    ]

    static func text(_ random: inout SystemRandomNumberGenerator) -> String {
        (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func spans(_ random: inout SystemRandomNumberGenerator) -> [Span] {
        (0..<Int.random(in: 0...3, using: &random)).map { _ in
            Span(
                text(&random), bold: .random(using: &random), italic: .random(using: &random),
                link: Bool.random(using: &random) ? "/news/\(text(&random))" : nil)
        }
    }

    static func blocks(_ random: inout SystemRandomNumberGenerator) -> [Block] {
        (0..<Int.random(in: 0...8, using: &random)).map { _ in
            let optional: () -> String? = { Bool.random() ? nil : "" + (Bool.random() ? "Фото: МОЗ" : "") }
            switch Int.random(in: 0..<7, using: &random) {
            case 0: return .paragraph(spans: spans(&random))
            case 1: return .heading(text: text(&random))
            case 2: return .quote(text: text(&random), attribution: optional())
            case 3:
                return .image(
                    mediaID: .random(in: -5...Int64.max / 2, using: &random), caption: optional(), credit: optional())
            case 4: return .embed(url: text(&random))
            case 5:
                return .list(
                    ordered: .random(using: &random), items: (0..<Int.random(in: 0...3)).map { _ in spans(&random) })
            default: return .readAlso(articleID: .random(in: 1...1_000_000, using: &random))
            }
        }
    }

    static func reference(_ json: String) -> [Block]? {
        try? JSONDecoder().decode([Block].self, from: Data(json.utf8))
    }

    @Test("what JSONEncoder writes is read by the fast reader, exactly")
    func roundTrip() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let blocks = Self.blocks(&random)
            let json = String(decoding: try JSONEncoder().encode(blocks), as: UTF8.self)
            #expect(BodyReader.blocks(of: json) == blocks, "\(json)")
            #expect(try Block.decodeBody(json) == blocks)
        }
        // Spans as editors send them: marks left out, an empty link.
        #expect(
            BodyReader.blocks(of: #"[{"paragraph":{"spans":[{"text":"a","link":""}],"extra":1}}]"#)
                == [.paragraph(spans: [Span("a")])])
    }

    @Test("what the body writer writes is read back exactly, by JSONDecoder and by the fast reader")
    func writer() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var blocks = Self.blocks(&random)
            if Bool.random(using: &random) {
                blocks.append(.raw(html: "<table><tr><td>\(Self.text(&random))</td></tr></table>"))
            }
            let json = Block.encodeBody(blocks)
            #expect(Self.reference(json) == blocks, "\(json)")
            #expect(BodyReader.blocks(of: json) == blocks, "\(json)")
        }
        #expect(Block.encodeBody([]) == "[]")
        #expect(
            Block.encodeBody([.quote(text: "«Так»\n", attribution: nil)])
                == #"[{"quote":{"text":"«Так»\n"}}]"#)
    }

    @Test("a body cut anywhere gives its whole leading blocks, and any text is read in bounded time")
    func leadingBlocks() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let blocks = Self.blocks(&random)
            let json = Array(Block.encodeBody(blocks))
            for cut in 0...json.count {
                let leading = Block.decodeLeadingBlocks(String(json[..<cut]))
                #expect(Array(blocks.prefix(leading.count)) == leading, "\(String(json[..<cut]))")
            }
            #expect(Block.decodeLeadingBlocks(String(json)) == blocks)
        }
        // Not a body at all: nothing, never a hang.
        for text in ["", "{", "[[[[", "[1,2", "[{\"paragraph\":", String(repeating: "[", count: 10_000), "]"] {
            #expect(Block.decodeLeadingBlocks(text).isEmpty)
        }
    }

    @Test("any edit of a body gets JSONDecoder's answer, and any text is read in bounded time")
    func edits() throws {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[],:"\ /nu0123456789.eE-+tfalsrpgh"#) + ["Ї", "\u{1}"]
        for _ in 0..<3000 {
            var json = Array(
                String(decoding: try JSONEncoder().encode(Self.blocks(&random)), as: UTF8.self))
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0...json.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where at < json.count: json.remove(at: at)
                case 1: json.insert(alphabet.randomElement(using: &random)!, at: at)
                default:
                    let end = min(json.count, at + Int.random(in: 0...12, using: &random))
                    json.insert(contentsOf: json[at..<end], at: at)
                }
            }
            let text = String(json)
            let fast = BodyReader.blocks(of: text)
            if let fast { #expect(fast == Self.reference(text), "\(text)") }
            #expect((try? Block.decodeBody(text)) == Self.reference(text), "\(text)")
        }
        for hostile in [
            String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 50_000),
            "[" + String(repeating: "\"\\u", count: 30_000), String(repeating: "\\", count: 100_000),
            #"[{"readAlso":{"articleID":99999999999999999999}}]"#, #"[{"readAlso":{"articleID":1.0}}]"#,
            #"[{"heading":{"text":"a","text":"b"}}]"#, #"[{"heading":{"text":"\ud800"}}]"#, "",
        ] {
            #expect(BodyReader.blocks(of: hostile) == nil)
            #expect((try? Block.decodeBody(hostile)) == Self.reference(hostile))
        }
    }
}
