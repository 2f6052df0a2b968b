import NewsCore
import Testing

@Suite("UkrainianText")
struct UkrainianTextTests {
    static let normalized: [(String, String)] = [
        ("Cпорт", "Спорт"),
        ("Kиїв  i Львів", "Київ і Львів"),
        ("iPhone", "iPhone"),
        ("Bloomberg повідомляє про DMZ", "Bloomberg повідомляє про DMZ"),
        ("Mapія", "Марія"),
        ("Xарків", "Харків"),
        ("ABCEHIKMOPTXж", "АВСЕНІКМОРТХж"),
        ("aceiopxy-ї", "aceiopxy-ї"),
        ("aceiopxyї", "асеіорхуї"),
        ("COVID-19 у Kиєві", "COVID-19 у Києві"),
        ("Apple i Samsung", "Apple i Samsung"),
        ("Київ, i Львів", "Київ, і Львів"),
        ("y Києві", "у Києві"),
        ("Група A", "Група А"),
        ("OK Google", "OK Google"),
        ("  текст \n\t з   пробілами  ", "текст з пробілами"),
        ("нерозривний\u{00A0}\u{00A0}пробіл", "нерозривний пробіл"),
        ("Мар'яна і Мар’яна", "Мар'яна і Мар’яна"),
        ("«Cпорт»: 5:0!", "«Спорт»: 5:0!"),
        ("Фотопроба 1a29db", "Фотопроба 1a29db"),
        ("Будинок 5a на Городоцькій", "Будинок 5a на Городоцькій"),
        ("Група A1", "Група A1"),
        ("Фото: x.com/EmmanuelMacron", "Фото: x.com/EmmanuelMacron"),
        ("Джерело: @x у мережі", "Джерело: @x у мережі"),
        ("", ""),
        ("   ", ""),
    ]

    @Test(arguments: normalized)
    func normalize(input: String, expected: String) {
        let result = UkrainianText.normalize(input)
        #expect(Array(result.unicodeScalars) == Array(expected.unicodeScalars))
    }

    @Test("tidy changes whitespace, control characters and composition, never letters")
    func tidy() {
        #expect(UkrainianText.tidy("  Фото:\u{000B}x.com/EmmanuelMacron \n") == "Фото: x.com/EmmanuelMacron")
        #expect(UkrainianText.tidy("Kиїв i Львів") == "Kиїв i Львів")
        #expect(Array(UkrainianText.tidy("Мари\u{0306}на").unicodeScalars) == Array("Марйна".unicodeScalars))
        #expect(UkrainianText.tidy("\u{0} \t ") == "")
    }

    @Test func normalizeComposesToNFC() {
        let decomposed = "Мари\u{0306}на \u{0456}\u{0308}жак"
        let result = UkrainianText.normalize(decomposed)
        #expect(Array(result.unicodeScalars) == Array("Марйна їжак".unicodeScalars))
    }

    @Test(arguments: ["'", "’", "ʼ", "`", "′"])
    func unifyApostrophes(apostrophe: String) {
        #expect(UkrainianText.unifyApostrophes("Мар\(apostrophe)яна") == "Мар\u{2019}яна")
    }

    @Test func unifyApostrophesKeepsOtherText() {
        #expect(UkrainianText.unifyApostrophes("В'ячеслав і Мар`яна") == "В’ячеслав і Мар’яна")
        #expect(UkrainianText.unifyApostrophes("Київ \"2024\"") == "Київ \"2024\"")
    }
}
