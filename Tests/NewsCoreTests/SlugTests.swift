import NewsCore
import Testing

@Suite("Slug")
struct SlugTests {
    /// Examples from the official KMU 2010 table (resolution No. 55 of 27.01.2010).
    static let officialExamples: [(String, String)] = [
        ("Алушта", "Alushta"), ("Андрій", "Andrii"), ("Борщагівка", "Borshchahivka"), ("Борисенко", "Borysenko"),
        ("Вінниця", "Vinnytsia"), ("Володимир", "Volodymyr"), ("Гадяч", "Hadiach"), ("Богдан", "Bohdan"),
        ("Згурський", "Zghurskyi"), ("Ґалаґан", "Galagan"), ("Ґорґани", "Gorgany"), ("Донецьк", "Donetsk"),
        ("Дмитро", "Dmytro"), ("Рівне", "Rivne"), ("Олег", "Oleh"), ("Есмань", "Esman"),
        ("Єнакієве", "Yenakiieve"), ("Гаєвич", "Haievych"), ("Короп'є", "Koropie"), ("Житомир", "Zhytomyr"),
        ("Жанна", "Zhanna"), ("Жежелів", "Zhezheliv"), ("Закарпаття", "Zakarpattia"), ("Казимирчук", "Kazymyrchuk"),
        ("Медвин", "Medvyn"), ("Михайленко", "Mykhailenko"), ("Іванків", "Ivankiv"), ("Іващенко", "Ivashchenko"),
        ("Їжакевич", "Yizhakevych"), ("Кадиївка", "Kadyivka"), ("Мар'їне", "Marine"), ("Йосипівка", "Yosypivka"),
        ("Стрий", "Stryi"), ("Олексій", "Oleksii"), ("Київ", "Kyiv"), ("Коваленко", "Kovalenko"),
        ("Лебедин", "Lebedyn"), ("Леонід", "Leonid"), ("Миргород", "Myrhorod"), ("Маринич", "Marynych"),
        ("Ніжин", "Nizhyn"), ("Наталія", "Nataliia"), ("Одеса", "Odesa"), ("Онищенко", "Onyshchenko"),
        ("Полтава", "Poltava"), ("Петро", "Petro"), ("Решетилівка", "Reshetylivka"), ("Рибчинський", "Rybchynskyi"),
        ("Суми", "Sumy"), ("Соломія", "Solomiia"), ("Тернопіль", "Ternopil"), ("Троць", "Trots"),
        ("Ужгород", "Uzhhorod"), ("Уляна", "Uliana"), ("Фастів", "Fastiv"), ("Філіпчук", "Filipchuk"),
        ("Харків", "Kharkiv"), ("Христина", "Khrystyna"), ("Біла Церква", "Bila Tserkva"), ("Стеценко", "Stetsenko"),
        ("Чернівці", "Chernivtsi"), ("Шевченко", "Shevchenko"), ("Шостка", "Shostka"), ("Кишеньки", "Kyshenky"),
        ("Щербухи", "Shcherbukhy"), ("Гоща", "Hoshcha"), ("Гаращенко", "Harashchenko"), ("Юрій", "Yurii"),
        ("Корюківка", "Koriukivka"), ("Яготин", "Yahotyn"), ("Ярошенко", "Yaroshenko"), ("Костянтин", "Kostiantyn"),
        ("Знам'янка", "Znamianka"), ("Феодосія", "Feodosiia"), ("Згорани", "Zghorany"), ("Розгон", "Rozghon"),
    ]

    @Test("Official KMU 2010 examples", arguments: officialExamples)
    func officialExample(cyrillic: String, latin: String) {
        #expect(Slug.transliterate(cyrillic) == latin)
    }

    /// Every lowercase letter inside a word (after "а").
    static let medialLetters: [(String, String)] = [
        ("а", "a"), ("б", "b"), ("в", "v"), ("г", "h"), ("ґ", "g"), ("д", "d"), ("е", "e"), ("є", "ie"),
        ("ж", "zh"), ("з", "z"), ("и", "y"), ("і", "i"), ("ї", "i"), ("й", "i"), ("к", "k"), ("л", "l"),
        ("м", "m"), ("н", "n"), ("о", "o"), ("п", "p"), ("р", "r"), ("с", "s"), ("т", "t"), ("у", "u"),
        ("ф", "f"), ("х", "kh"), ("ц", "ts"), ("ч", "ch"), ("ш", "sh"), ("щ", "shch"), ("ь", ""), ("ю", "iu"),
        ("я", "ia"),
    ]

    @Test("Every letter inside a word", arguments: medialLetters)
    func medialLetter(cyrillic: String, latin: String) {
        #expect(Slug.transliterate("а" + cyrillic) == "a" + latin)
        #expect(Slug.transliterate("А" + cyrillic.uppercased()) == "A" + latin.uppercased())
    }

    /// Є, Ї, Й, Ю, Я at the start of a word: start of text, after a space, a hyphen, punctuation or a digit.
    static let wordInitial: [(String, String)] = [
        ("є", "ye"), ("ї", "yi"), ("й", "y"), ("ю", "yu"), ("я", "ya"),
        ("Європа", "Yevropa"), ("Їжак", "Yizhak"), ("Йорданія", "Yordaniia"), ("Юлія", "Yuliia"), ("Ялта", "Yalta"),
        ("наша Європа", "nasha Yevropa"), ("в Їжакевичі", "v Yizhakevychi"), ("Нова Ява", "Nova Yava"),
        ("Анна-Юлія", "Anna-Yuliia"), ("Марія-Єлизавета", "Mariia-Yelyzaveta"), ("Ла-Йола", "La-Yola"),
        ("пів-ящика", "piv-yashchyka"), ("«Ялта»", "«Yalta»"), ("5я", "5ya"), ("(юнак)", "(yunak)"),
        ("'Ялта'", "'Yalta'"), ("Я", "Ya"), ("Я і ти", "Ya i ty"),
    ]

    @Test("Є Ї Й Ю Я at the start of a word", arguments: wordInitial)
    func wordInitialLetter(cyrillic: String, latin: String) {
        #expect(Slug.transliterate(cyrillic) == latin)
    }

    /// The same letters inside words, including after an apostrophe (which is not a separator).
    static let wordMedial: [(String, String)] = [
        ("Мар'яна", "Mariana"), ("В'ячеслав", "Viacheslav"), ("п'ять", "piat"), ("під'їзд", "pidizd"),
        ("об'єкт", "obiekt"), ("Прем'єр", "Premier"), ("бур'ян", "burian"), ("м'ясо", "miaso"),
        ("Гайдамака", "Haidamaka"), ("Київ", "Kyiv"), ("заєць", "zaiets"), ("Малюк", "Maliuk"),
    ]

    @Test("Є Ї Й Ю Я inside a word", arguments: wordMedial)
    func wordMedialLetter(cyrillic: String, latin: String) {
        #expect(Slug.transliterate(cyrillic) == latin)
    }

    @Test("Every apostrophe variant is dropped and is not a separator", arguments: ["'", "’", "ʼ", "`", "′"])
    func apostrophe(apostrophe: String) {
        #expect(Slug.transliterate("Мар\(apostrophe)яна") == "Mariana")
        #expect(Slug.transliterate("Знам\(apostrophe)янка") == "Znamianka")
        #expect(Slug.transliterate("Мар\(apostrophe)їне") == "Marine")
        #expect(Slug.make(from: "Здоров\(apostrophe)я") == "zdorovia")
    }

    static let specialRules: [(String, String)] = [
        // "зг" is "zgh", other pairs are plain.
        ("Згорани", "Zghorany"), ("розгін", "rozghin"), ("ЗГУРСЬКИЙ", "ZGHURSKYI"), ("ЗГОРАНИ", "ZGHORANY"),
        ("розхитаний", "rozkhytanyi"), ("Схід", "Skhid"), ("з горами", "z horamy"), ("розґвинтити", "rozgvyntyty"),
        // Щ.
        ("Щука", "Shchuka"), ("борщ", "borshch"), ("Щастя", "Shchastia"),
        // Г and Ґ.
        ("гора", "hora"), ("Ґудзик", "Gudzyk"), ("Гуцул", "Hutsul"), ("ґанок", "ganok"),
        // Soft sign.
        ("сіль", "sil"), ("Ольга", "Olha"), ("Львів", "Lviv"), ("ТРОЦЬ", "TROTS"),
        // Capitals.
        ("ЩУКА", "SHCHUKA"), ("ЮРІЙ", "YURII"), ("ЖИТОМИР", "ZHYTOMYR"), ("ЄВРОПА", "YEVROPA"), ("ЇЖАК", "YIZHAK"),
        ("КИЇВ", "KYIV"), ("ХАРКІВ", "KHARKIV"), ("ЦЕНТР", "TSENTR"), ("ЧАЙ", "CHAI"), ("МАР'ЯНА", "MARIANA"),
        ("ЗСУ", "ZSU"), ("Чернігів", "Chernihiv"), ("Ярослав", "Yaroslav"), ("київ", "kyiv"),
        ("ЩЕ НЕ ВМЕРЛА", "SHCHE NE VMERLA"), ("Шевченко ТАРАС", "Shevchenko TARAS"),
        // Non-Cyrillic text is kept as is.
        ("iPhone 16 і Galaxy", "iPhone 16 i Galaxy"), ("don't", "don't"), ("COVID-19", "COVID-19"), ("", ""),
        // Russian letters don't vanish.
        ("Ёлкин", "Yolkyn"), ("Сёмин", "Siomyn"), ("Быков", "Bykov"), ("Эдуард", "Eduard"), ("подъезд", "podezd"),
    ]

    @Test("зг, щ, г/ґ, ь, capitals, non-Cyrillic and Russian letters", arguments: specialRules)
    func specialRule(cyrillic: String, latin: String) {
        #expect(Slug.transliterate(cyrillic) == latin)
    }

    static let putinTitle = "Путін вперше за 24 роки відвідує Північну Корею: відомі офіційна і таємна цілі візиту"
    static let putinSlug = "putin-vpershe-za-24-roky-vidviduie-pivnichnu-koreiu-vidomi-ofitsiina-i-taiemna-tsili-vizytu"

    static let slugs: [(String, String)] = [
        (putinTitle, "putin-vpershe-za-24-roky-vidviduie-pivnichnu-koreiu-vidomi-ofitsiina-i-taiemna"),
        ("Cпорт", "sport"), ("  — !!! ", ""), ("Здоров’я", "zdorovia"), ("Люди і проблеми", "liudy-i-problemy"),
        ("iPhone 16 і Galaxy", "iphone-16-i-galaxy"), ("Kиїв  i Львів", "kyiv-i-lviv"), ("Café Müller", "cafe-muller"),
        ("Straße Łódź Ærø", "strasse-lodz-aero"), ("don't stop", "dont-stop"), ("Прем’єр-міністр", "premier-ministr"),
        ("ЗСУ звільнили 3 села", "zsu-zvilnyly-3-sela"), ("---a---", "a"), ("Ukraine 2024!", "ukraine-2024"),
        ("«Нафтогаз»: 5% і 10₴", "naftohaz-5-i-10"), ("Юрій Їжак", "yurii-yizhak"), ("", ""), ("漢字", ""),
        ("Мари\u{0306}на", "marina"),
    ]

    @Test("Slugs from titles", arguments: slugs)
    func slug(title: String, slug: String) {
        #expect(Slug.make(from: title) == slug)
        #expect(slug.isEmpty || Slug.isValid(slug))
    }

    @Test func longTitleIsCutOnAHyphen() {
        #expect(Slug.make(from: Self.putinTitle, maxLength: 200) == Self.putinSlug)
        let cut = Slug.make(from: Self.putinTitle)
        #expect(cut.count <= 80)
        #expect(Self.putinSlug.hasPrefix(cut + "-"))
    }

    static let cuts: [(String, Int, String)] = [
        ("aaa-bbb-ccc", 11, "aaa-bbb-ccc"), ("aaa-bbb-ccc", 10, "aaa-bbb"), ("aaa-bbb-ccc", 8, "aaa-bbb"),
        ("aaa-bbb-ccc", 7, "aaa-bbb"), ("aaa-bbb-ccc", 6, "aaa"), ("aaa-bbb-ccc", 4, "aaa"),
        ("aaa-bbb-ccc", 2, "aa"), ("abcdefgh", 4, "abcd"), ("abc", 0, ""), ("abc", -1, ""),
    ]

    @Test("Cut at maxLength", arguments: cuts)
    func cut(title: String, maxLength: Int, slug: String) {
        #expect(Slug.make(from: title, maxLength: maxLength) == slug)
    }

    @Test(arguments: ["a", "abc-123", "a-b-c", "2024", "putin-vpershe", String(repeating: "a", count: 120)])
    func valid(slug: String) {
        #expect(Slug.isValid(slug))
    }

    @Test(arguments: [
        "", "-a", "a-", "a--b", "A", "Abc", "київ", "a_b", "a b", "a.b", "é", String(repeating: "a", count: 121),
    ])
    func invalid(slug: String) {
        #expect(!Slug.isValid(slug))
    }

    @Test("A slug already is its own slug, whether it takes the short way (a slug) or the long one (with spaces)")
    func slugIsItsOwnSlug() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        for _ in 0..<2_000 {
            let parts = (0..<Int.random(in: 1...8, using: &generator)).map { _ in
                String((0..<Int.random(in: 1...12, using: &generator)).map { _ in alphabet.randomElement()! })
            }
            let slug = parts.joined(separator: "-")
            let expected = slug.utf8.count <= 80 ? slug : Slug.make(from: " \(slug) ")
            #expect(Slug.make(from: slug) == expected)
            #expect(Slug.make(from: " \(slug) ") == expected)
            if slug.utf8.count <= 80 { #expect(Slug.make(from: "\(slug.uppercased())\u{A0}") == slug) }
        }
    }

    @Test func reservedSlugs() {
        let expected: Set = [
            "admin", "api", "news", "rubric", "tag", "author", "search", "static", "media", "login", "logout",
            "feed", "rss", "sitemap", "sitemap-xml", "robots-txt", "page", "preview", "assets", "favicon-ico",
            "health",
        ]
        #expect(Slug.reserved == expected)
        #expect(Slug.reserved.allSatisfy(Slug.isValid))
        #expect(Slug.reserved.contains(Slug.make(from: "Admin")))
        #expect(Slug.reserved.contains(Slug.make(from: "robots.txt")))
        #expect(!Slug.reserved.contains("novyny"))
    }

    @Test func uniquedReturnsBaseWhenFree() {
        #expect(Slug.uniqued("kyiv", taken: { _ in false }) == "kyiv")
    }

    @Test func uniquedReturnsFirstFreeNumber() {
        let taken: Set = ["kyiv", "kyiv-2", "kyiv-3", "kyiv-5"]
        #expect(Slug.uniqued("kyiv", taken: taken.contains) == "kyiv-4")
        #expect(Slug.uniqued("lviv", taken: taken.contains) == "lviv")
        #expect(Slug.uniqued("kyiv-2", taken: taken.contains) == "kyiv-2-2")
    }

    struct LookupFailed: Error {}

    @Test func uniquedRethrows() {
        #expect(throws: LookupFailed.self) {
            try Slug.uniqued("kyiv") { _ in throw LookupFailed() }
        }
    }
}
