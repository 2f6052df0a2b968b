import NewsCore
import Testing

@Suite("UkrainianStemmer")
struct UkrainianStemmerTests {
    @Test(arguments: [
        ("Путін", "путін"), ("Путіна", "путін"), ("Путіну", "путін"), ("Путіним", "путін"), ("Путіні", "путін"),
        ("Путінові", "путін"),
        ("Зеленський", "зеленськ"), ("Зеленського", "зеленськ"), ("Зеленському", "зеленськ"),
        ("Зеленським", "зеленськ"), ("Зеленська", "зеленськ"), ("Зеленської", "зеленськ"), ("Зеленській", "зеленськ"),
        ("Зеленською", "зеленськ"), ("Зеленських", "зеленськ"),
        ("Свириденко", "свириденк"), ("Свириденка", "свириденк"), ("Свириденкові", "свириденк"),
        ("Свириденком", "свириденк"),
        ("Шмигаль", "шмигал"), ("Шмигаля", "шмигал"), ("Шмигалю", "шмигал"), ("Шмигалем", "шмигал"),
        ("Пархомов", "пархомов"), ("Пархомова", "пархомов"), ("Пархомовим", "пархомов"), ("Пархомових", "пархомов"),
        ("Свалява", "сваляв"), ("Свалявою", "сваляв"), ("Сваляві", "сваляв"),
        ("Естонія", "естон"), ("Естонії", "естон"), ("Естонію", "естон"), ("Естонією", "естон"),
        ("хусити", "хусит"), ("хуситів", "хусит"), ("хуситами", "хусит"), ("хуситах", "хусит"),
        ("Куп'янська", "куп'янськ"), ("Куп'янськом", "куп'янськ"),
        ("Івано-Франківську", "івано-франківськ"), ("Івано-Франківськом", "івано-франківськ"),
    ])
    func stripsOneCaseEnding(word: String, stem: String) {
        #expect(UkrainianStemmer.stem(word) == stem)
    }

    /// Short words, stems that would lose their vowel or drop below three letters, and non-Cyrillic words stay
    /// whole (lowercased).
    @Test(arguments: [
        ("кит", "кит"), ("Оля", "оля"), ("мир", "мир"), ("ліс", "ліс"), ("Ліма", "лім"), ("Олею", "олею"),
        ("Кия", "кия"), ("Мгла", "мгла"), ("Ткачі", "ткач"), ("п'ю", "п'ю"), ("COVID", "covid"), ("5G", "5g"),
        ("Су-27", "су-27"), ("Київ2024", "київ2024"), ("", ""), ("Bloomberg", "bloomberg"),
    ])
    func conservative(word: String, stem: String) {
        #expect(UkrainianStemmer.stem(word) == stem)
    }

    @Test(arguments: [("кит", "китаєць"), ("лис", "лист"), ("мир", "миритися"), ("рука", "рукав"), ("ліс", "лісник")])
    func prefixSharingWordsKeepApart(short: String, long: String) {
        #expect(UkrainianStemmer.stem(short) != UkrainianStemmer.stem(long))
    }
}

@Suite("EnglishStemmer")
struct EnglishStemmerTests {
    @Test(arguments: [
        ("sanctions", "sanction"), ("sanction", "sanction"), ("missiles", "missil"), ("missile", "missil"),
        ("running", "run"), ("run", "run"), ("runs", "run"), ("caresses", "caress"), ("ponies", "poni"),
        ("cats", "cat"), ("agreed", "agre"), ("plastered", "plaster"), ("motoring", "motor"), ("sing", "sing"),
        ("hopping", "hop"), ("filing", "file"), ("happy", "happi"), ("relational", "relat"),
        ("conditional", "condit"), ("digitizer", "digit"), ("operator", "oper"), ("hopefulness", "hope"),
        ("electrical", "electr"), ("adjustment", "adjust"), ("government", "govern"), ("quickly", "quickli"),
        ("connection", "connect"), ("connected", "connect"), ("connecting", "connect"), ("generalization", "gener"),
        ("Reports", "report"), ("reported", "report"), ("Bloomberg's", "bloomberg"), ("drones'", "drone"),
        ("countries", "countri"), ("country", "countri"), ("attacks", "attack"),
    ])
    func porter(word: String, stem: String) {
        #expect(EnglishStemmer.stem(word) == stem)
    }

    @Test(arguments: [("a", "a"), ("is", "is"), ("COVID19", "covid19"), ("café", "café"), ("don't", "don't"), ("", "")])
    func leavesOddWordsWhole(word: String, stem: String) {
        #expect(EnglishStemmer.stem(word) == stem)
    }

    @Test(arguments: [("missile", "mission"), ("run", "runway"), ("sanction", "sand")])
    func differentWordsKeepApart(first: String, second: String) {
        #expect(EnglishStemmer.stem(first) != EnglishStemmer.stem(second))
    }
}
