import Foundation
import HTTPTypes
import Hummingbird
import NewsCore
import NewsData
import Templates

// Webhooks: administrators give partners' addresses, see every delivery and its answer, and send one again.
extension AdministrationController {
    /// The "add a webhook" form: the address and the kinds of change (`events[]`).
    struct NewWebhook: Decodable, Sendable {
        var url: String?
        var events: [String]?
    }

    func addWebhookRoutes(to router: NewsroomRoutes) {
        router.get(SiteURL.Pattern.adminWebhooks) { request, context in try await webhooks(request, context) }
        router.post(SiteURL.Pattern.adminWebhooks, form: NewWebhook.self) { request, context, form in
            try await addWebhook(form, request, context)
        }
        router.get(SiteURL.Pattern.adminWebhook) { request, context in try await deliveries(request, context) }
        router.post(SiteURL.Pattern.adminWebhookRemove, form: EmptyForm.self) { request, context, _ in
            try await removeWebhook(request, context)
        }
        router.post(SiteURL.Pattern.adminWebhookRedeliver, form: EmptyForm.self) { request, context, _ in
            try await redeliver(request, context)
        }
    }

    func webhooks(
        _ request: Request, _ context: AppRequestContext, secret: String? = nil, error: String? = nil,
        form: NewWebhook = NewWebhook()
    ) async throws -> Response {
        let session = try administrator(context, .manageSettings)
        let view = try await web.view()
        let hooks = try await Webhooks(database: web.database).all()
        let chosen = Set(form.events ?? [])
        var data: TemplateObject = [
            "hooks": .list(
                hooks.map { hook in
                    [
                        "url": .string(hook.url), "created": view.date(hook.createdAt, feed: false),
                        "events": .string(
                            hook.events.map { view.t["webhook_event_" + $0.key] }.joined(separator: ", ")),
                        "deliveries": .string(SiteURL.adminWebhook(id: hook.id).path),
                        "remove": .string(SiteURL.adminWebhookRemove(id: hook.id).path),
                    ]
                }),
            "events": .list(
                Webhook.Event.allCases.map { event in
                    [
                        "value": .string(event.rawValue), "label": .string(view.t["webhook_event_" + event.key]),
                        "checked": .bool(chosen.isEmpty || chosen.contains(event.rawValue)),
                    ]
                }),
            "url": .string(form.url ?? ""),
        ]
        if let secret { data["secret"] = .string(secret) }
        if let error { data["error"] = .string(error) }
        return try await page(
            request, session, template: "admin/webhooks", titleKey: "admin_webhooks", data: data,
            status: error == nil ? .ok : .unprocessableContent)
    }

    func addWebhook(_ form: NewWebhook, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try administrator(context, .manageSettings)
        let names = form.events ?? []
        let events = names.compactMap(Webhook.Event.init(rawValue:))
        guard events.count == names.count, names.count <= Webhook.Event.allCases.count else {
            throw PageError.badRequest
        }
        do {
            let (_, secret) = try await web.newsroom.addWebhook(
                url: form.url ?? "", events: events, by: .member(session.user, address: context.clientAddress),
                now: web.settings.clock())
            return try await webhooks(request, context, secret: secret)
        } catch NewsroomError.invalid(let problems) {
            return try await webhooks(request, context, error: web.theme.localization.messages(problems), form: form)
        }
    }

    func deliveries(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try administrator(context, .manageSettings)
        guard let id = context.parameters.get("id", as: Int64.self),
            let hook = try await Webhooks(database: web.database).all().first(where: { $0.id == id })
        else { throw PageError.notFound }
        let view = try await web.view()
        let deliveries = try await Webhooks(database: web.database).deliveries(of: id)
        let data: TemplateObject = [
            "hook": ["url": .string(hook.url)],
            "deliveries": .list(
                deliveries.map { delivery in
                    var row: TemplateValue = [
                        "id": .string(delivery.publicID), "event": .string(delivery.event.rawValue),
                        "created": view.date(delivery.createdAt, feed: false), "attempts": .int(delivery.attempts),
                        "state": .string(view.t["webhook_state_" + delivery.state.rawValue]),
                        "failed": .bool(delivery.state == .failed),
                        "answer": .string(
                            delivery.lastStatus.map { "HTTP \($0)" } ?? delivery.lastError.map {
                                String($0.prefix(120))
                            }
                                ?? ""),
                        "redeliver": .string(SiteURL.adminWebhookRedeliver(id: id, delivery: delivery.id).path),
                    ]
                    if let next = delivery.nextAttemptAt { row["next"] = view.date(next, feed: false) }
                    return row
                }),
            "back": .string(SiteURL.adminWebhooks.path),
        ]
        return try await page(
            request, session, template: "admin/webhook", titleKey: "admin_webhook_deliveries", data: data)
    }

    func removeWebhook(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try administrator(context, .manageSettings)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PageError.notFound }
        do {
            try await web.newsroom.removeWebhook(
                id: id, by: .member(session.user, address: context.clientAddress), now: web.settings.clock())
        } catch NewsroomError.notFound {
            throw PageError.notFound
        }
        return Forms.seeOther(SiteURL.adminWebhooks.path + "?notice=webhook_removed")
    }

    func redeliver(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try administrator(context, .manageSettings)
        guard let id = context.parameters.get("id", as: Int64.self),
            let delivery = context.parameters.get("delivery", as: Int64.self)
        else { throw PageError.notFound }
        do {
            try await web.newsroom.redeliver(
                delivery, by: .member(session.user, address: context.clientAddress), now: Date())
        } catch NewsroomError.notFound {
            throw PageError.notFound
        }
        return Forms.seeOther(SiteURL.adminWebhook(id: id).path + "?notice=webhook_redelivered")
    }
}

extension Webhook.Event {
    /// The localisation key's ending: "article_published", …
    var key: String { rawValue.replacingOccurrences(of: ".", with: "_") }
}
