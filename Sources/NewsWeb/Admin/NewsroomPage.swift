import Foundation
import HTTPTypes
import Hummingbird
import NewsData
import Templates

/// A newsroom page in the admin layout: the signed-in member's navigation, the page's own data, and the notice a
/// redirect after a form asked for (`?notice=saved`, only the known ones).
struct NewsroomPage {
    let web: WebEnvironment

    static let notices: Set<String> = [
        "saved", "person_added", "password_reset", "api_key_revoked", "webhook_removed", "webhook_redelivered",
        "api_token_revoked", "media_saved", "media_uploaded",
    ]

    func render(
        _ request: Request, _ session: Session, template: String, titleKey: String, data extra: TemplateObject,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = try await web.view()
        var data = view.newsroomRoot(session: session, title: view.t[titleKey], path: request.uri.path)
        data.merge(extra)
        if let key = request.uri.queryParameters.get("notice"), Self.notices.contains(key) {
            data["notice"] = .string(view.t["admin_notice_" + key])
        }
        return HTMLResponse(body: web.theme.page(template, .object(data)), status: status, noIndex: true).response(
            for: request)
    }
}
