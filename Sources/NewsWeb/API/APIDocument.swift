import Foundation
import Yams

/// The OpenAPI document the API is generated from (`API/openapi.yaml`, a resource of this module), read once: as
/// JSON for `/api/v1/openapi.json` and as a tree for the documentation page.
struct APIDocument: Sendable {
    /// The document as JSON, keys sorted.
    let json: Data
    /// The parsed tree, for the documentation page.
    let tree: [String: any Sendable]
    /// Each operation path's segments ("{id}" for a parameter) under the server's base, with its methods.
    let routes: [(segments: [String], methods: [String])]

    /// Why the build's document could not be read (a build without its resources, a broken document).
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    /// The document of this build, read once per process; the server refuses to start without it.
    static func bundled() throws -> APIDocument { try bundledResult.get() }

    private static let bundledResult = Result<APIDocument, Unreadable> { () throws(Unreadable) -> APIDocument in
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Unreadable(description: "The API's OpenAPI document is missing from the build's resources.")
        }
        do {
            return try APIDocument(yaml: String(contentsOf: url, encoding: .utf8))
        } catch {
            throw Unreadable(description: "The API's OpenAPI document \(url.path) cannot be read: \(error)")
        }
    }

    init(yaml: String) throws {
        guard let loaded = try Yams.load(yaml: yaml) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        json = try JSONSerialization.data(withJSONObject: loaded, options: [.sortedKeys, .withoutEscapingSlashes])
        tree = Self.sendable(loaded) as? [String: any Sendable] ?? [:]
        let base = ((loaded["servers"] as? [Any])?.first as? [String: Any])?["url"] as? String ?? ""
        routes = (loaded["paths"] as? [String: Any] ?? [:]).map { path, item in
            (
                (base + path).split(separator: "/").map(String.init),
                (item as? [String: Any] ?? [:]).keys.map { $0.uppercased() }.sorted()
            )
        }
    }

    /// The methods the document lists for `path` (with any value in a parameter's place); nil for a path it does
    /// not have.
    func methods(for path: String) -> [String]? {
        let parts = path.split(separator: "/")
        let route = routes.first { route in
            route.segments.count == parts.count
                && zip(route.segments, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        return route?.methods
    }

    /// The same tree with only sendable values: dictionaries, arrays, strings, numbers and flags.
    private static func sendable(_ value: Any) -> any Sendable {
        switch value {
        case let object as [String: Any]: object.mapValues(sendable)
        case let list as [Any]: list.map(sendable)
        case let text as String: text
        case let flag as Bool: flag
        case let number as Int: number
        case let number as Double: number
        default: String(describing: value)
        }
    }
}
