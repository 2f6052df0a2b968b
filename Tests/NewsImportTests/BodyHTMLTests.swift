import NewsCore
import NewsImport
import Testing

@Suite("Body HTML to blocks")
struct BodyHTMLTests {
    @Test("paragraphs with marks and safe links")
    func paragraphs() {
        let blocks = BodyHTML.blocks(
            from:
                #"<p>Текст з <strong>жирним</strong>, <em>курсивом</em> і <a href="https://example.com/a?b=1&amp;c=2">посиланням</a>.</p><p>  </p><p><a href="javascript:alert(1)">зло</a></p>"#
        )
        #expect(
            blocks == [
                .block(
                    .paragraph(spans: [
                        Span("Текст з "), Span("жирним", bold: true), Span(", "), Span("курсивом", italic: true),
                        Span(" і "),
                        Span("посиланням", link: "https://example.com/a?b=1&c=2"), Span("."),
                    ])),
                .block(.paragraph(spans: [Span("зло")])),
            ])
    }

    @Test("headings, quotes, figures, lists, embeds; scripts dropped")
    func structure() {
        let html = """
            <h2>Путін їде в КНДР</h2>
            <blockquote><p>«Ми високо цінуємо»</p><cite>Володимир Путін</cite></blockquote>
            <figure><img src="photo-02.jpg" alt="Портрети"><figcaption>Пхеньян<cite>Фото: telegram.org</cite></figcaption></figure>
            <ul><li>один</li><li><b>два</b></li></ul>
            <iframe src="https://www.youtube.com/embed/x"></iframe>
            <script>alert(1)</script>
            вільний текст &laquo;у лапках&raquo;
            """
        #expect(
            BodyHTML.blocks(from: html) == [
                .block(.heading(text: "Путін їде в КНДР")),
                .block(.quote(text: "«Ми високо цінуємо»", attribution: "Володимир Путін")),
                .image(source: "photo-02.jpg", alt: "Портрети", caption: "Пхеньян", credit: "Фото: telegram.org"),
                .block(.list(ordered: false, items: [[Span("один")], [Span("два", bold: true)]])),
                .block(.embed(url: "https://www.youtube.com/embed/x")),
                .block(.paragraph(spans: [Span("вільний текст «у лапках»")])),
            ])
    }

    @Test("broken markup never crashes and keeps the text")
    func broken() {
        let blocks = BodyHTML.blocks(from: "<p>без кінця <b>жирний <i>і курсив</p> далі < 5 і > 3 &unknown; &#x41;")
        let text = blocks.compactMap { block -> String? in
            if case .block(let inner) = block { return inner.plainText }
            return nil
        }.joined(separator: " ")
        #expect(text.contains("без кінця жирний і курсив"))
        #expect(text.contains("< 5 і > 3 &unknown; A"))
    }

    @Test("a quote holding a block element is read (it hung the old reader at 100 % CPU)")
    func quoteWithDiv() {
        #expect(
            BodyHTML.blocks(from: "<blockquote><div>текст</div></blockquote>") == [
                .block(.quote(text: "текст", attribution: nil))
            ])
        #expect(
            BodyHTML.blocks(
                from: "<blockquote><div>перше</div><div>друге</div><cite>— Автор</cite></blockquote><p>далі</p>")
                == [
                    .block(.quote(text: "перше\nдруге", attribution: "Автор")),
                    .block(.paragraph(spans: [Span("далі")])),
                ])
    }

    @Test("WordPress's classic text: blank lines are paragraphs, a line break is a <br>, an address alone is an embed")
    func autop() {
        let text =
            "Перший рядок\nдругий рядок з <b>жирним</b>.\n\nДругий абзац.\n\nhttps://www.youtube.com/watch?v=abc123\n\n<img src=\"a.jpg\" alt=\"А\">\nОстанній."
        #expect(
            BodyHTML.blocks(from: text, autop: true) == [
                .block(
                    .paragraph(spans: [
                        Span("Перший рядок"), Span("\n"), Span("другий рядок з "), Span("жирним", bold: true),
                        Span("."),
                    ])),
                .block(.paragraph(spans: [Span("Другий абзац.")])),
                .block(.embed(url: "https://www.youtube.com/watch?v=abc123")),
                .image(source: "a.jpg", alt: "А", caption: nil, credit: nil),
                .block(.paragraph(spans: [Span("Останній.")])),
            ])
        // Without autop, line breaks are spaces as in any HTML.
        #expect(BodyHTML.blocks(from: "<p>один\nдва</p>") == [.block(.paragraph(spans: [Span("один два")]))])
    }

    @Test("Gutenberg's photos, galleries and embeds become blocks; captions give their credits")
    func gutenberg() {
        let html = """
            <!-- wp:image {"id":4} --><figure class="wp-block-image size-large"><img src="/u/a.jpg" alt="Музиканти" class="wp-image-4"/><figcaption class="wp-element-caption">Гурт на вулиці. Фото: Іван Петренко</figcaption></figure><!-- /wp:image -->
            <figure class="wp-block-gallery has-nested-images"><figure class="wp-block-image"><img src="/u/1.jpg" alt="Сцена"/></figure><figure class="wp-block-image"><img src="/u/2.jpg" alt=""/><figcaption>Глядачі</figcaption></figure><figcaption class="blocks-gallery-caption">Фестиваль</figcaption></figure>
            <figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
            https://www.youtube.com/watch?v=xyz
            </div><figcaption>Відео</figcaption></figure>
            <blockquote class="twitter-tweet"><p>Текст</p>&mdash; Хтось (@someone) <a href="https://twitter.com/someone/status/123">May 1</a></blockquote><script async src="https://platform.twitter.com/widgets.js"></script>
            <blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/ABC/"><a href="https://www.instagram.com/p/ABC/">пост</a></blockquote>
            <script async src="https://telegram.org/js/telegram-widget.js" data-telegram-post="lvivnews/42"></script>
            <div class="fb-post" data-href="https://www.facebook.com/paper/posts/1"></div>
            <iframe src="//player.vimeo.com/video/1"></iframe>
            """
        #expect(
            BodyHTML.blocks(from: html) == [
                .image(source: "/u/a.jpg", alt: "Музиканти", caption: "Гурт на вулиці.", credit: "Фото: Іван Петренко"),
                .image(source: "/u/1.jpg", alt: "Сцена", caption: "Фестиваль", credit: nil),
                .image(source: "/u/2.jpg", alt: "", caption: "Глядачі", credit: nil),
                .block(.embed(url: "https://www.youtube.com/watch?v=xyz")),
                .block(.embed(url: "https://twitter.com/someone/status/123")),
                .block(.embed(url: "https://www.instagram.com/p/ABC/")),
                .block(.embed(url: "https://t.me/lvivnews/42")),
                .block(.embed(url: "https://www.facebook.com/paper/posts/1")),
                .block(.embed(url: "https://player.vimeo.com/video/1")),
            ])
    }

    @Test("a table is kept as safe HTML for an editor to check; scripts, styles and handlers are removed, and said so")
    func rawAndRemoved() {
        let html = """
            <p onclick="steal()">Текст<script>alert(1)</script></p><style>p{color:red}</style>
            <table class="x" style="width:1px"><tr><th scope="col" onclick="x()">Рік</th><td colspan="2"><a href="javascript:alert(1)">зло</a> <a href="https://a.example/?a=1&amp;b=2">так</a><img src="x" onerror="alert(1)"></td></tr></table>
            <pre>if (a < b) { c(); }</pre><hr>
            """
        let conversion = BodyHTML.convert(html)
        #expect(
            conversion.blocks == [
                .block(.paragraph(spans: [Span("Текст")])),
                .block(
                    .raw(
                        html:
                            "<table><tr><th scope=\"col\">Рік</th><td colspan=\"2\"><a>зло</a> <a href=\"https://a.example/?a=1&amp;b=2\">так</a></td></tr></table>"
                    )),
                .block(.raw(html: "<pre>if (a &lt; b) { c(); }</pre>")),
                .block(.raw(html: "<hr>")),
            ])
        #expect(conversion.notes.contains("removed <script>"))
        #expect(conversion.notes.contains("removed <style>"))
        #expect(conversion.notes.contains("removed event handler attributes"))
        #expect(conversion.notes.contains("kept <table> as HTML for an editor to check"))
    }

    @Test(
        "safe HTML: cleaning its own output changes nothing, and nothing executable survives", .timeLimit(.minutes(5)))
    func safeHTML() {
        let samples = [
            "<table><tr><td>1</td></tr></table>", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<svg onload=alert(1)><p>т</p></svg>", "<iframe src=\"https://evil.example\"></iframe><b>ж</b>",
            "<a href=\"//evil.example\">x</a>", "<div style=\"background:url(javascript:x)\">т</div>",
            "<<script>script>alert(1)<</script>/script>", "<p title=\"\"><b>\"'&amp;</b></p>",
        ]
        var generator = SystemRandomNumberGenerator()
        for sample in samples + (0..<300).map({ _ in Self.randomHTML(using: &generator) }) {
            let clean = SafeHTML.clean(sample)
            #expect(SafeHTML.clean(clean) == clean, "not stable: \(sample)")
            let lower = clean.lowercased()
            for bad in ["<script", "<iframe", "<svg", "<style", "javascript:", " on", "style=", "//evil"] {
                #expect(!lower.contains(bad), "\(bad) survived in \(clean) from \(sample)")
            }
        }
    }

    @Test("10,000 nested elements and 10 MB bodies are read, in bounded time, with their text", .timeLimit(.minutes(5)))
    func deepAndLarge() {
        let deep =
            String(repeating: "<div><b>", count: 10_000) + "глибоко" + String(repeating: "</b></div>", count: 10_000)
        let blocks = BodyHTML.blocks(from: deep)
        #expect(blocks.count == 1)
        #expect(blocks.first.map { if case .block(let block) = $0 { block.plainText } else { "" } } == "глибоко")
        let quotes =
            String(repeating: "<blockquote>", count: 10_000) + "ц" + String(repeating: "</blockquote>", count: 10_000)
        #expect(!BodyHTML.blocks(from: quotes).isEmpty)
        let large = String(repeating: "<p>Абзац тексту про події у Львові, досить довгий.</p>\n", count: 200_000)
        #expect(large.utf8.count > 10_000_000)
        #expect(BodyHTML.blocks(from: large).count == 200_000)
    }

    @Test("fuzz: random and mutated bodies always finish, with blocks the newsroom accepts", .timeLimit(.minutes(5)))
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        let seeds = [
            "<blockquote><div>текст</div></blockquote>",
            "<figure><img src=a.jpg><figcaption>Фото: А</figcaption></figure>",
            "<ul><li>а<ul><li>б</li></ul></li></ul>", "<table><tr><td>1</td></tr></table>",
            "Рядок\n\nрядок\nhttps://x.example/a",
            "<p><a href=\"https://a\"><b><i>т</i></b></a></p>", "[caption]<img src=b.jpg> Підпис[/caption]",
        ]
        for round in 0..<1500 {
            var input = round % 2 == 0 ? Self.randomHTML(using: &generator) : seeds.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 0...8, using: &generator) { Self.mutate(&input, using: &generator) }
            let conversion = BodyHTML.convert(input, autop: Bool.random(using: &generator))
            for case .block(let block) in conversion.blocks {
                switch block {
                case .paragraph(let spans): #expect(!spans.isEmpty, "empty paragraph from \(input)")
                case .embed(let url): #expect(url.lowercased().hasPrefix("http"), "\(url) from \(input)")
                case .raw(let html): #expect(SafeHTML.clean(html) == html, "unsafe raw block from \(input)")
                default: break
                }
            }
        }
    }

    static let pieces = [
        "<p>", "</p>", "<div>", "</div>", "<blockquote>", "</blockquote>", "<b>", "</b>", "<i>",
        "<a href=\"https://e.example/\">",
        "</a>", "<ul>", "<li>", "</li>", "</ul>", "<ol>", "<figure>", "</figure>", "<figcaption>",
        "<img src=\"p.jpg\" alt=\"а\">",
        "<iframe src=\"https://youtube.com/embed/x\">", "</iframe>", "<table>", "<tr>", "<td>", "</table>", "<script>",
        "</script>",
        "<style>", "<h2>", "</h2>", "<br>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#x110000;",
        "&nosuch;", "текст ",
        "слово", "\n", "\n\n", " ", "<", ">", "\"", "'", "=", "/", "<cite>", "Фото: А", "https://t.me/x/1", "\u{0}",
        "\u{FEFF}",
        "<pre>", "<hr>", "<svg onload=x>", "<select><option>", "<textarea>", "<title>", "<html>", "<body>", "</body>",
    ]

    static func randomHTML(using generator: inout SystemRandomNumberGenerator) -> String {
        (0..<Int.random(in: 0...60, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    static func mutate(_ text: inout String, using generator: inout SystemRandomNumberGenerator) {
        var scalars = Array(text.unicodeScalars)
        let position = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &generator)
        switch Int.random(in: 0..<4, using: &generator) {
        case 0 where !scalars.isEmpty: scalars.remove(at: position)
        case 1: scalars.insert(contentsOf: pieces.randomElement(using: &generator)!.unicodeScalars, at: position)
        case 2 where !scalars.isEmpty:
            let end = min(scalars.count, position + Int.random(in: 1...40, using: &generator))
            scalars.insert(contentsOf: scalars[position..<end], at: end)
        default: scalars.append(contentsOf: "<".unicodeScalars)
        }
        text = String(String.UnicodeScalarView(scalars))
    }
}
