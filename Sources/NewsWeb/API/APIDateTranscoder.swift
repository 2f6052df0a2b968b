import Foundation
import NewsCore
import OpenAPIRuntime

/// Times in the API: written in RFC 3339 with the offset of the paper's zone ("2026-01-22T20:00:00+02:00", as the
/// site's pages show them); read in any RFC 3339 form (``RFC3339``).
struct APIDateTranscoder: DateTranscoder {
    let dates: NewsDateFormatter

    func encode(_ date: Date) throws -> String { dates.isoString(date) }

    func decode(_ text: String) throws -> Date {
        if let date = RFC3339.date(text) { return date }
        throw DecodingError.dataCorrupted(
            .init(codingPath: [], debugDescription: "Expected an RFC 3339 time, such as 2026-01-22T20:00:00+02:00."))
    }
}
