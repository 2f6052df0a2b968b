import Foundation
import Testing

@testable import NewsWeb

@Suite("HTTP dates")
struct HTTPDateTests {
    /// What Foundation writes for the same moment: the reference the arithmetic is checked against.
    static func reference(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    @Test("the same text as Foundation's formatter, across leap days, centuries and before 1970; and read back")
    func matchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        var moments: [Double] = [0, -1, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_400, -2_208_988_800]
        // 29 February 2000 and 2024, 1 March 2100 (not a leap year), 31 December 1969 23:59:59.
        moments += [951_782_400, 1_709_164_800, 4_107_542_400, -1]
        for _ in 0..<2000 { moments.append(Double(Int.random(in: -2_208_988_800...7_258_118_400, using: &generator))) }
        for seconds in moments {
            let date = Date(timeIntervalSince1970: seconds)
            let text = HTTPDate.format(date)
            #expect(text == Self.reference(date), "\(seconds)")
            #expect(HTTPDate.parse(text) == date, "\(seconds)")
        }
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 1_769_119_200)) == "Thu, 22 Jan 2026 22:00:00 GMT")
    }
}
