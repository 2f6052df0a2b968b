import Foundation

/// An address of the site a paper came from, in the one form it is recorded and looked up in: the path,
/// percent-decoded, in lower case, without a trailing slash ("/2024/05/06/львів-готується/"), or for WordPress's
/// plain links the query that names the post ("?p=12", "?page_id=15"). Other query parameters, the scheme and the
/// host are left out: old links reach the new site under its own host.
public enum LegacyURL {
    /// WordPress's query parameters that name one item.
    static let itemParameters = ["p", "page_id", "attachment_id"]

    /// The recorded form of `address` (a full URL or a path with its query); "" for the home page or nothing.
    public static func normalize(_ address: String) -> String {
        let trimmed = address.trimmingWhitespace()
        let components = URLComponents(string: trimmed) ?? URLComponents(string: percentEncodedSpaces(trimmed))
        guard let components else { return "" }
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/", let key = key(query: components.percentEncodedQuery) { return key }
        return normalize(path: path)
    }

    /// The recorded form of a request's path.
    public static func normalize(path: String) -> String {
        var decoded = path.percentDecoded.lowercased()
        while decoded.containsBytes("//") { decoded = decoded.replacingOccurrences(of: "//", with: "/") }
        while decoded.utf8.count > 1, decoded.hasSuffix("/") { decoded.removeLast() }
        if !decoded.hasPrefix("/") { decoded = "/" + decoded }
        return decoded == "/" ? "" : decoded
    }

    /// "?p=12" for a query that names a WordPress item by number (`p`, `page_id`, `attachment_id`), else `nil`.
    public static func key(query: String?) -> String? {
        guard let query, !query.isEmpty else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let name = parts.first.map(String.init), itemParameters.contains(name),
                let number = Int(parts[1]), number > 0
            else { continue }
            return "?\(name)=\(number)"
        }
        return nil
    }

    private static func percentEncodedSpaces(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed.union(["#", "?"])) ?? text
    }
}
