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
}
