import Foundation
import Hummingbird
import NIOCore

/// Reading form posts: a size limit on every body, URL-encoded fields, CSRF checks.
enum Forms {
    /// The largest form body accepted: a long article, percent-encoded, with its body as JSON (photo
    /// uploads have their own, larger limit).
    static let maxBodyBytes = 2 * 1_048_576

    /// A form body of at most `limit` bytes (413 beyond) decoded into `Form` with Hummingbird's
    /// `URLEncodedFormDecoder`; a body that does not fit the type is a 400.
    static func decode<Form: Decodable>(_ type: Form.Type, from request: Request, upTo limit: Int = maxBodyBytes)
        async throws -> Form
    {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw PageError.bodyTooLarge
        }
        do {
            return try decoder.decode(Form.self, from: String(buffer: buffer))
        } catch {
            throw PageError.badRequest
        }
    }

    private static let decoder = URLEncodedFormDecoder()

    /// A query-string value decoded as browsers encode forms ("+" is a space).
    static func query(_ request: Request, _ name: String) -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard decode(parts[0]) == name else { continue }
            return parts.count > 1 ? decode(parts[1]) : ""
        }
        return nil
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Compares two secrets in time independent of where they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// A redirect after a successful post (303, so a reload never posts twice).
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
