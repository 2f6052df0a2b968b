import Foundation
import Templates

/// An embedded external page. Only hosts on the allow-list become iframes (with a privacy-friendly
/// player address); everything else is a plain link, so a pasted URL can never run scripts on the page.
struct Embed {
    let url: String

    var host: String {
        URLComponents(string: url)?.host?.lowercased().replacingOccurrences(of: "www.", with: "") ?? url
    }

    /// The iframe address for allow-listed players, or `nil`.
    var iframeSource: String? {
        guard let components = URLComponents(string: url), components.scheme == "https" || components.scheme == "http"
        else { return nil }
        let id: String?
        switch host {
        case "youtube.com", "m.youtube.com":
            id = components.queryItems?.first { $0.name == "v" }?.value
        case "youtu.be":
            id = components.path.split(separator: "/").first.map(String.init)
        default:
            id = nil
        }
        guard let id, !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
            id.unicodeScalars.allSatisfy(\.isASCII)
        else { return nil }
        return "https://www.youtube-nocookie.com/embed/\(id)"
    }

    var viewData: TemplateValue {
        var data: TemplateValue = ["url": .string(url), "host": .string(host)]
        if let source = iframeSource { data["iframe"] = ["src": .string(source), "title": .string(host)] }
        return data
    }
}
