import Foundation
import NewsCore
import Testing

/// The API's times are read by ``RFC3339`` (issue #11).
@Suite("RFC 3339 times")
struct RFC3339Tests {
    @Test("the forms RFC 3339 allows, each to the right moment")
    func forms() {
        let moment = Date(timeIntervalSince1970: 1_769_104_800)  // 2026-01-22 18:00 UTC
        for text in [
            "2026-01-22T18:00:00Z", "2026-01-22t18:00:00z", "2026-01-22T20:00:00+02:00", "2026-01-22T13:30:00-04:30",
            "2026-01-22T18:00:00.000Z", "2026-01-22T18:00:00.0000000001Z",
        ] {
            let parsed = RFC3339.date(text)
            #expect(parsed.map { abs($0.timeIntervalSince(moment)) < 0.001 } == true, "\(text)")
        }
        #expect(RFC3339.date("2026-01-22T18:00:00.5Z")?.timeIntervalSince(moment) == 0.5)
        #expect(RFC3339.date("0094-09-12T02:12:08.0+20:26") != nil, "early years and large offsets are RFC 3339")
        #expect(RFC3339.date("2024-02-29T00:00:00Z") != nil)
    }

    @Test("anything else is nil")
    func refused() {
        for text in [
            "", "yesterday", "2026-01-22", "2026-01-22T18:00Z", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
            "2026-01-32T00:00:00Z", "2026-01-22T24:00:00Z", "2026-01-22T18:60:00Z", "2026-01-22T18:00:61Z",
            "2026-01-22T18:00:00", "2026-01-22T18:00:00+2:00", "2026-01-22T18:00:00+24:00", "2026-01-22T18:00:00.Z",
            "2026-01-22 18:00:00Z", "+2026-01-22T18:00:00Z", "2026-01-22T18:00:00Zjunk", "٢٠٢٦-01-22T18:00:00Z",
        ] {
            #expect(RFC3339.date(text) == nil, "\(text)")
        }
    }

    // From 1589 on: before the Gregorian reform Foundation counts in the Julian calendar, RFC 3339 does not.
    @Test("agrees with Foundation on 2,000 random moments, and any text ends in an answer")
    func property() {
        var generator = SystemRandomNumberGenerator()
        let formatter = ISO8601DateFormatter()
        for _ in 0..<2000 {
            let moment = Date(
                timeIntervalSince1970: Double(Int64.random(in: -12_000_000_000...200_000_000_000, using: &generator)))
            let offset = Int.random(in: -14...14, using: &generator) * 1800
            formatter.timeZone = TimeZone(secondsFromGMT: offset)
            let text = formatter.string(from: moment)
            #expect(RFC3339.date(text) == moment, "\(text)")
        }
        let alphabet = Array("0123456789-:T+Z.tz x")
        for _ in 0..<5000 {
            let text = String(
                (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            _ = RFC3339.date(text)
        }
    }
}
