import Foundation
import TestSupport
import Testing

/// The default theme's templates take every address of the site from the data they are given (`links`,
/// `urls`, `SiteURL` in the views), so a route can move without editing a theme.
@Suite("Theme addresses")
struct ThemeURLTests {
    @Test("no template writes a site address by hand")
    func noHandWrittenAddresses() throws {
        let folder = Repository.theme + "/templates"
        let names = try #require(FileManager.default.enumerator(atPath: folder)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".mustache") }
        #expect(names.count > 10)
        for name in names {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            for attribute in ["href=\"/", "action=\"/", "src=\"/"] {
                #expect(!text.contains(attribute), "\(name) writes \(attribute)…")
            }
        }
    }
}
