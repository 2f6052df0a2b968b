import Foundation
import Templates
import Testing

@Suite("Templates")
struct TemplateTests {
    /// Renders `main` (with `partials` by name) over `value`.
    func render(_ main: String, _ value: TemplateValue, partials: [String: String] = [:]) throws -> String {
        var library = TemplateLibrary()
        library.register(try ParsedTemplate(main), named: "main")
        for (name, text) in partials { library.register(try ParsedTemplate(text), named: name) }
        return try #require(library.render("main", value))
    }

    @Test("values are printed escaped for HTML, unescaped only when asked, and missing ones print nothing")
    func variables() throws {
        let value: TemplateValue = [
            "text": "<a href=\"x\">Львів & 'Київ'</a>", "number": 2026, "flag": true, "none": nil,
        ]
        #expect(
            try render("{{text}}|{{{text}}}|{{&text}}|{{number}}|{{flag}}|{{none}}|{{missing}}|{{text.deeper}}", value)
                == "&lt;a href=&quot;x&quot;&gt;Львів &amp; &#39;Київ&#39;&lt;/a&gt;|<a href=\"x\">Львів & 'Київ'</a>|"
                + "<a href=\"x\">Львів & 'Київ'</a>|2026|true|||")
    }

    @Test("names are found up the context stack, a leading dot keeps to the current context, dots go down")
    func lookup() throws {
        let value: TemplateValue = [
            "site": ["name": "Шпальта"], "title": "корінь",
            "items": [["title": "перша"], ["other": "без заголовка"]],
        ]
        #expect(
            try render("{{#items}}[{{title}}/{{.title}}/{{site.name}}]{{/items}}", value)
                == "[перша/перша/Шпальта][корінь//Шпальта]")
        #expect(try render("{{#site}}{{.}}{{/site}}{{#title}}{{.}}{{/title}}", value) == "корінь")
    }

    @Test("sections loop over lists, render once for true and objects, not at all for false, null and empty lists")
    func sections() throws {
        let value: TemplateValue = [
            "list": [1, 2, 3], "empty": [], "yes": true, "no": false, "object": ["a": "b"], "text": "",
        ]
        #expect(try render("{{#list}}{{.}}{{/list}}{{^list}}x{{/list}}", value) == "123")
        #expect(try render("{{#empty}}x{{/empty}}{{^empty}}порожньо{{/empty}}", value) == "порожньо")
        #expect(
            try render("{{#yes}}так{{/yes}}{{#no}}ні{{/no}}{{^no}}ні{{/no}}{{^missing}}нема{{/missing}}", value)
                == "такнінема")
        #expect(try render("{{#object}}{{a}}{{/object}}{{#text}}[{{.}}]{{/text}}", value) == "b[]")
    }

    @Test("first() and last() say where a loop is; first, last, empty and count transform a value")
    func transforms() throws {
        let value: TemplateValue = ["names": ["Олена", "Петро", "Ірина"], "none": [], "token": ""]
        #expect(
            try render(
                "{{#names}}{{#first()}}<{{/first()}}{{.}}{{^last()}}, {{/last()}}{{#last()}}>{{/last()}}{{/names}}",
                value)
                == "<Олена, Петро, Ірина>")
        #expect(
            try render("{{#first(names)}}{{.}}{{/first(names)}}-{{last(names)}}-{{count(names)}}", value)
                == "Олена-Ірина-3")
        #expect(
            try render("{{#empty(none)}}порожньо{{/empty(none)}}{{^empty(token)}}x{{/empty(token)}}", value)
                == "порожньо")
        // Outside a loop first() is nothing.
        #expect(try render("{{#first()}}x{{/first()}}{{^first()}}поза{{/first()}}", value) == "поза")
    }

    @Test("a tag alone on its line takes the line with it; tags among text keep it")
    func standaloneLines() throws {
        let template = """
            {{! a comment
                over two lines }}
            <ul>
              {{#items}}
              <li>{{.}}</li>
              {{/items}}
            </ul>
            {{#items}}<b>{{.}}</b>{{/items}}
            end
            """
        #expect(
            try render(template, ["items": ["a", "b"]])
                == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n<b>a</b><b>b</b>\nend")
        #expect(try render("a\r\n{{#x}}\r\nb\r\n{{/x}}\r\nc", ["x": true]) == "a\r\nb\r\nc")
    }

    @Test("partials share the context; a parent's blocks are replaced by its child's, the outermost child winning")
    func partialsAndParents() throws {
        let partials = [
            "layout": "<title>{{$title}}Шпальта{{/title}}</title>\n<main>\n{{$main}}порожньо{{/main}}\n</main>\n",
            "middle": "{{<layout}}{{$title}}Середній{{/title}}{{$main}}середина{{/main}}{{/layout}}",
            "item": "<li>{{name}}</li>\n",
        ]
        let page = """
            {{<layout}}
            {{$main}}
            <ul>
            {{#items}}
              {{>item}}
            {{/items}}
            </ul>
            {{/main}}
            {{/layout}}
            """
        let value: TemplateValue = ["items": [["name": "a"], ["name": "b"]]]
        #expect(
            try render(page, value, partials: partials)
                == "<title>Шпальта</title>\n<main>\n<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n\n</main>\n")
        #expect(
            try render("{{<middle}}{{$title}}Зовнішній{{/title}}{{/middle}}", value, partials: partials)
                == "<title>Зовнішній</title>\n<main>\nсередина\n</main>\n")
    }

    @Test(
        "a partial or a parent inside a loop is outside it (first() is nothing there) and the loop goes on after it; a parent's blocks end with it"
    )
    func partialsInLoops() throws {
        let partials = [
            "name": "{{.}}{{#first()}}F{{/first()}}{{^first()}}-{{/first()}}",
            "frame": "[{{$inner}}{{/inner}}]",
        ]
        let value: TemplateValue = ["names": ["a", "b", "c"]]
        #expect(
            try render(
                "{{#names}}{{>name}}{{#first()}}<{{/first()}}{{#last()}}>{{/last()}}{{/names}}", value,
                partials: partials)
                == "a-<b-c->")
        #expect(
            try render(
                "{{#names}}{{<frame}}{{$inner}}{{.}}{{^last()}},{{/last()}}{{/inner}}{{/frame}}{{#last()}}!{{/last()}}{{/names}}",
                value, partials: partials) == "[a,][b,][c,]!")
        // The block a parent replaced is the partial's own again after the parent.
        #expect(
            try render("{{<frame}}{{$inner}}x{{/inner}}{{/frame}}{{>frame}}", value, partials: partials) == "[x][]")
    }

    @Test("broken templates are refused with the line and what is wrong")
    func errors() {
        let cases: [(String, Int, String)] = [
            ("a\n{{#x}}\nb", 2, "{{x}} is never closed"),
            ("{{#x}}\n{{/y}}", 2, "{{/y}} closes {{x}} of line 1"),
            ("\n\n{{/x}}", 3, "{{/x}} closes nothing"),
            ("{{name", 1, "a tag is not closed with }}"),
            ("{{{name}}", 1, "a tag is not closed with }}}"),
            ("{{=<% %>=}}", 1, "changing the delimiters ({{=…=}}) is not supported"),
            ("{{#upper(x)}}{{/upper(x)}}", 1, "the transform in \"upper(x)\" is not known"),
            ("{{a..b}}", 1, "the name \"a..b\" is not valid"),
            (
                "\n{{#rows.0}}<table>{{/rows.0}}", 2,
                "\"rows.0\": lists have no numbered members; use first(list) or empty(list)"
            ),
            ("{{}}", 1, "a tag has no name"),
            ("{{<layout}}{{x}}{{/layout}}", 1, "{{<layout}} may hold only {{$blocks}} and text"),
        ]
        for (text, line, message) in cases {
            #expect(throws: TemplateSyntaxError(line: line, message: message), "\(text)") {
                _ = try ParsedTemplate(text)
            }
        }
    }

    @Test("a partial that includes itself renders to a bounded depth instead of recursing forever")
    func selfInclusion() throws {
        let output = try render("{{>loop}}", [:], partials: ["loop": "x{{>loop}}"])
        #expect(output == String(repeating: "x", count: 64))
    }

    @Test("any text parses or is refused in bounded time, and what parses renders", arguments: 0..<4)
    func fuzz(seed: UInt64) throws {
        var generator = SplitMix(seed: seed)
        let fragments = [
            "{{", "}}", "{{{", "}}}", "#", "^", "/", ">", "<", "$", "!", "&", "%", "=", ".", "a", "b", "first()",
            "empty(a)", "\n", "\r\n", " ", "\t", "текст", "{", "}", "(", ")",
        ]
        var library = TemplateLibrary()
        library.register(try ParsedTemplate("{{>main}}"), named: "main")
        let value: TemplateValue = ["a": ["b": [1, 2]], "b": true, "текст": "<x>"]
        for _ in 0..<500 {
            let length = Int(generator.next() % 60)
            let text = (0..<length).map { _ in fragments[Int(generator.next() % UInt64(fragments.count))] }.joined()
            guard let template = try? ParsedTemplate(text) else { continue }
            var copy = library
            copy.register(template, named: "fuzz")
            _ = copy.render("fuzz", value)
        }
        // A long run of openers is refused at once, not by trying each position against the rest.
        let long = String(repeating: "{{#a}}", count: 5000)
        #expect(throws: TemplateSyntaxError.self) { _ = try ParsedTemplate(long) }
    }
}

/// A small seeded generator, so a failing fuzz case can be repeated.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("TemplateValue as JSON")
struct TemplateJSONTests {
    /// The value as Foundation reads it back from JSON.
    static func plain(_ value: TemplateValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let flag): flag
        case .int(let number): number
        case .string(let text): text
        case .list(let items): items.map(plain)
        case .object(let members): members.dictionary.mapValues(plain)
        }
    }

    static func random(depth: Int, using random: inout SystemRandomNumberGenerator) -> TemplateValue {
        let pieces = [
            "a", "Київ", "\"", "\\", "\n", "\t", "\u{1}", "\u{1F}", "<", ">", "&", "</script>", "😀", "é", " ",
        ]
        func text() -> String {
            (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &random))
        case 3: return .string(text())
        case 4:
            return .list(
                (0..<Int.random(in: 0...4, using: &random)).map { _ in Self.random(depth: depth + 1, using: &random) })
        default:
            var members: [String: TemplateValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                members[text()] = Self.random(depth: depth + 1, using: &random)
            }
            return .object(TemplateObject(members))
        }
    }

    @Test("any value's JSON reads back as the same value and has no <, > or & outside escapes")
    func roundTrip() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let value = Self.random(depth: 0, using: &random)
            let json = value.json
            #expect(!json.contains("<") && !json.contains(">") && !json.contains("&"), "\(json)")
            // Read back, and compared with what Foundation makes of the same value: both written out again by Foundation.
            let back = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
            let expected = try JSONSerialization.jsonObject(
                with: try JSONSerialization.data(withJSONObject: ["v": Self.plain(value)]))
            let written = try JSONSerialization.data(withJSONObject: ["v": back], options: [.sortedKeys])
            let reference = try JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys])
            #expect(written == reference, "\(json)")
        }
        #expect(TemplateValue.object(["b": 1, "a": "x\"<"]).json == #"{"a":"x\"\u003c","b":1}"#)
    }

    @Test("an object keeps one value per name, small or large, however its members were set and removed")
    func objects() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var object = TemplateObject()
            var reference: [String: TemplateValue] = [:]
            for _ in 0..<Int.random(in: 0...60, using: &generator) {
                let name = ["a", "bb", "ab", "ba", "", "Київ", "k\(Int.random(in: 0...30, using: &generator))"]
                    .randomElement(using: &generator)!
                if Bool.random(using: &generator), Int.random(in: 0...3, using: &generator) == 0 {
                    object[name] = nil
                    reference[name] = nil
                } else {
                    let value = TemplateValue.int(Int.random(in: 0...9, using: &generator))
                    object[name] = value
                    reference[name] = value
                }
                #expect(object.count == reference.count)
            }
            #expect(object.dictionary == reference)
            for name in reference.keys { #expect(object[name] == reference[name]) }
            #expect(object[".none"] == nil)
            #expect(object == TemplateObject(reference), "the same members in another order")
            var merged = TemplateObject(["a": 1, "zz": 2])
            merged.merge(object)
            #expect(merged["zz"] == (reference["zz"] ?? 2) && merged["a"] == (reference["a"] ?? 1))
        }
    }
}
