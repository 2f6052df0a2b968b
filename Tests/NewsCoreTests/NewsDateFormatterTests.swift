import Foundation
import NewsCore
import Testing

@Suite("NewsDateFormatter")
struct NewsDateFormatterTests {
    static let months = [
        "січня", "лютого", "березня", "квітня", "травня", "червня",
        "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
    ]

    let kyiv = NewsDateFormatter(timeZone: TimeZone(identifier: "Europe/Kyiv")!, monthsGenitive: months)

    /// A moment given in UTC.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components)!
    }

    // MARK: - feedDate

    static let feed: [(Date, Date, String)] = [
        // Same local day, this year, earlier years (winter, +02:00).
        (utc(2025, 1, 22, 12, 5), utc(2025, 1, 22, 15, 0), "14:05"),
        (utc(2025, 1, 22, 7, 9), utc(2025, 1, 22, 15, 0), "09:09"),
        (utc(2025, 1, 21, 12, 5), utc(2025, 1, 22, 15, 0), "21.01"),
        (utc(2025, 1, 2, 5, 0), utc(2025, 1, 22, 15, 0), "02.01"),
        (utc(2024, 1, 22, 12, 0), utc(2025, 1, 22, 15, 0), "22.01.2024"),
        (utc(2019, 3, 5, 12, 0), utc(2025, 1, 22, 15, 0), "05.03.2019"),
        // Future times (scheduled) follow the same rules.
        (utc(2025, 1, 22, 20, 0), utc(2025, 1, 22, 15, 0), "22:00"),
        (utc(2025, 2, 1, 20, 0), utc(2025, 1, 22, 15, 0), "01.02"),
        // Summer midnight: 21:30 UTC is 00:30 the next local day (+03:00).
        (utc(2024, 6, 18, 21, 30), utc(2024, 6, 19, 8, 0), "00:30"),
        (utc(2024, 6, 18, 21, 30), utc(2024, 6, 18, 20, 0), "19.06"),
        (utc(2024, 6, 18, 20, 59), utc(2024, 6, 18, 20, 0), "23:59"),
        (utc(2024, 6, 18, 20, 59), utc(2024, 6, 18, 21, 0), "18.06"),
        (utc(2024, 6, 18, 23, 30), utc(2024, 6, 19, 8, 0), "02:30"),
        // Winter midnight: 22:30 UTC is 00:30 the next local day (+02:00).
        (utc(2024, 1, 22, 22, 30), utc(2024, 1, 23, 8, 0), "00:30"),
        (utc(2024, 1, 22, 21, 30), utc(2024, 1, 23, 8, 0), "22.01"),
        (utc(2024, 1, 22, 21, 59), utc(2024, 1, 22, 21, 0), "23:59"),
        (utc(2024, 1, 22, 22, 0), utc(2024, 1, 22, 21, 0), "23.01"),
        // New Year's Eve in UTC is already New Year in Kyiv.
        (utc(2024, 12, 31, 22, 30), utc(2025, 1, 1, 10, 0), "00:30"),
        (utc(2024, 12, 31, 22, 30), utc(2024, 12, 31, 21, 0), "01.01.2025"),
        (utc(2024, 12, 31, 21, 30), utc(2025, 1, 1, 10, 0), "31.12.2024"),
        // DST starts on 31 March 2024 (03:00 +02:00 → 04:00 +03:00): a whole 23-hour local day.
        (utc(2024, 3, 30, 22, 30), utc(2024, 3, 31, 20, 59), "00:30"),
        (utc(2024, 3, 31, 0, 59), utc(2024, 3, 31, 20, 59), "02:59"),
        (utc(2024, 3, 31, 1, 0), utc(2024, 3, 31, 20, 59), "04:00"),
        (utc(2024, 3, 30, 21, 59), utc(2024, 3, 31, 20, 59), "30.03"),
        (utc(2024, 3, 31, 12, 0), utc(2024, 3, 31, 21, 0), "31.03"),
        // DST ends on 27 October 2024 (04:00 +03:00 → 03:00 +02:00): a whole 25-hour local day.
        (utc(2024, 10, 26, 21, 0), utc(2024, 10, 27, 21, 59), "00:00"),
        (utc(2024, 10, 27, 0, 30), utc(2024, 10, 27, 21, 59), "03:30"),
        (utc(2024, 10, 27, 1, 30), utc(2024, 10, 27, 21, 59), "03:30"),
        (utc(2024, 10, 26, 20, 59), utc(2024, 10, 27, 21, 59), "26.10"),
        (utc(2024, 10, 27, 12, 0), utc(2024, 10, 27, 22, 0), "27.10"),
    ]

    @Test(arguments: feed)
    func feedDate(date: Date, now: Date, expected: String) {
        #expect(kyiv.feedDate(date, now: now) == expected)
    }

    // MARK: - articleDate

    @Test func articleDate() {
        #expect(kyiv.articleDate(Self.utc(2024, 6, 18, 7, 15)) == "18 червня 2024, 10:15")
        #expect(kyiv.articleDate(Self.utc(2024, 6, 18, 21, 30)) == "19 червня 2024, 00:30")
        #expect(kyiv.articleDate(Self.utc(2024, 1, 22, 22, 5)) == "23 січня 2024, 00:05")
        #expect(kyiv.articleDate(Self.utc(2024, 12, 31, 22, 0)) == "1 січня 2025, 00:00")
    }

    static let allMonths: [(Int, String)] = [
        (1, "5 січня 2024, 08:07"), (2, "5 лютого 2024, 08:07"), (3, "5 березня 2024, 08:07"),
        (4, "5 квітня 2024, 09:07"), (5, "5 травня 2024, 09:07"), (6, "5 червня 2024, 09:07"),
        (7, "5 липня 2024, 09:07"), (8, "5 серпня 2024, 09:07"), (9, "5 вересня 2024, 09:07"),
        (10, "5 жовтня 2024, 09:07"), (11, "5 листопада 2024, 08:07"), (12, "5 грудня 2024, 08:07"),
    ]

    @Test(arguments: allMonths)
    func articleDateMonth(month: Int, expected: String) {
        #expect(kyiv.articleDate(Self.utc(2024, month, 5, 6, 7)) == expected)
    }

    @Test func articleDateSeparator() {
        let formatter = NewsDateFormatter(
            timeZone: TimeZone(identifier: "Europe/Kyiv")!, monthsGenitive: Self.months, dateTimeSeparator: " о "
        )
        #expect(formatter.articleDate(Self.utc(2024, 6, 18, 7, 15)) == "18 червня 2024 о 10:15")
    }

    @Test func articleDateWithoutMonthNames() {
        let formatter = NewsDateFormatter(timeZone: TimeZone(identifier: "Europe/Kyiv")!, monthsGenitive: [])
        #expect(formatter.articleDate(Self.utc(2024, 6, 18, 7, 15)) == "18 06 2024, 10:15")
    }

    // MARK: - isoString

    static let iso: [(Date, String)] = [
        (utc(2024, 6, 18, 7, 15), "2024-06-18T10:15:00+03:00"),
        (utc(2024, 1, 22, 12, 0, 9), "2024-01-22T14:00:09+02:00"),
        (utc(2024, 6, 18, 21, 30), "2024-06-19T00:30:00+03:00"),
        (utc(2024, 3, 31, 0, 59, 59), "2024-03-31T02:59:59+02:00"),
        (utc(2024, 3, 31, 1, 0), "2024-03-31T04:00:00+03:00"),
        (utc(2024, 10, 27, 0, 30), "2024-10-27T03:30:00+03:00"),
        (utc(2024, 10, 27, 1, 30), "2024-10-27T03:30:00+02:00"),
    ]

    @Test(arguments: iso)
    func isoString(date: Date, expected: String) {
        #expect(kyiv.isoString(date) == expected)
    }

    @Test func isoStringInOtherZones() {
        let date = Self.utc(2024, 1, 22, 12, 0)
        let utc = NewsDateFormatter(timeZone: .gmt, monthsGenitive: Self.months)
        let newYork = NewsDateFormatter(timeZone: TimeZone(identifier: "America/New_York")!, monthsGenitive: [])
        let kolkata = NewsDateFormatter(timeZone: TimeZone(identifier: "Asia/Kolkata")!, monthsGenitive: [])
        #expect(utc.isoString(date) == "2024-01-22T12:00:00+00:00")
        #expect(newYork.isoString(date) == "2024-01-22T07:00:00-05:00")
        #expect(kolkata.isoString(date) == "2024-01-22T17:30:00+05:30")
    }

    /// The calendar arithmetic agrees with Foundation's `Calendar` for any moment from 1900 to 2200, in zones with
    /// and without summer time, with half-hour offsets and west of Greenwich, on both sides of midnight, of the
    /// clock changes and of leap days.
    @Test(arguments: [
        "Europe/Kyiv", "UTC", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "Pacific/Kiritimati",
    ])
    func agreesWithCalendar(zone: String) {
        let timeZone = TimeZone(identifier: zone)!
        let formatter = NewsDateFormatter(timeZone: timeZone, monthsGenitive: [])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var random = SystemRandomNumberGenerator()
        var moments = (0..<3_000).map { _ in
            Date(timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800...7_258_118_400, using: &random)))
        }
        // Around the 2024 clock changes in Kyiv and a leap day, second by second near the edges.
        for edge in [Self.utc(2024, 3, 31, 1, 0), Self.utc(2024, 10, 27, 1, 0), Self.utc(2024, 2, 29, 22, 0)] {
            moments += (-5...5).map { edge.addingTimeInterval(Double($0)) }
        }
        for moment in moments {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: moment)
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
            #expect(formatter.isoString(moment).hasPrefix(expected), "\(moment) in \(zone)")
        }
    }

    @Test func rfc822() {
        #expect(kyiv.rfc822(Self.utc(2026, 1, 22, 18, 0)) == "Thu, 22 Jan 2026 20:00:00 +0200")
        #expect(kyiv.rfc822(Self.utc(2024, 6, 18, 7, 15)) == "Tue, 18 Jun 2024 10:15:00 +0300")
        let newYork = NewsDateFormatter(timeZone: TimeZone(identifier: "America/New_York")!, monthsGenitive: [])
        #expect(newYork.rfc822(Self.utc(2024, 1, 1, 2, 30)) == "Sun, 31 Dec 2023 21:30:00 -0500")
    }

    // MARK: - Defaults and concurrency

    @Test func defaultTimeZoneIsKyiv() {
        let formatter = NewsDateFormatter(monthsGenitive: Self.months)
        #expect(["Europe/Kyiv", "Europe/Kiev"].contains(formatter.timeZone.identifier))
        #expect(formatter.isoString(Self.utc(2024, 6, 18, 7, 15)) == "2024-06-18T10:15:00+03:00")
    }

    @Test func sharedAcrossTasks() async {
        let formatter = kyiv
        let results = await withTaskGroup(of: String.self, returning: Set<String>.self) { group in
            for _ in 0..<200 {
                group.addTask { formatter.articleDate(Self.utc(2024, 6, 18, 7, 15)) }
            }
            return await group.reduce(into: []) { $0.insert($1) }
        }
        #expect(results == ["18 червня 2024, 10:15"])
    }

    /// Zones whose offset changes at 03:00 or 04:00 (Kyiv), at midnight (Santiago, where some days have no
    /// midnight), by half an hour (Lord Howe), never (UTC), and a zone east of UTC by 13 hours (Tongatapu).
    static let midnightZones = ["Europe/Kyiv", "America/Santiago", "Australia/Lord_Howe", "UTC", "Pacific/Tongatapu"]

    @Test("the next midnight starts the next local day, at every hour of two years", arguments: midnightZones)
    func nextMidnight(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let formatter = NewsDateFormatter(timeZone: timeZone, monthsGenitive: Self.months)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // 2025-01-01T00:00Z, every 61 minutes (so every minute of the hour is met) for two years.
        for step in 0..<(2 * 365 * 24 * 60 / 61) {
            let date = Date(timeIntervalSince1970: 1_735_689_600 + TimeInterval(step * 61 * 60))
            // The first instant of the next local day (in Santiago some days begin at 01:00): after `date`, a day's
            // start, and the second before it still `date`'s day.
            let midnight = formatter.nextMidnight(after: date)
            #expect(midnight > date, "\(zone) \(date)")
            #expect(calendar.startOfDay(for: midnight) == midnight, "\(zone) \(date)")
            #expect(
                calendar.startOfDay(for: midnight.addingTimeInterval(-1)) == calendar.startOfDay(for: date),
                "\(zone) \(date)")
        }
    }
}
