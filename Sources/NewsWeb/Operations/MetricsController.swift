import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NewsData
import Prometheus

/// `/metrics`: Prometheus's text format, readable only from the addresses in `SHPALTA_METRICS_ALLOW` (loopback by
/// default), and never through a proxy: a request that carries `Forwarded` or `X-Forwarded-For` is refused, so a
/// local nginx in front cannot hand it to the world.
///
/// Besides the request metrics swift-metrics records (``SiteMetrics``), each scrape reads: the page caches' counts
/// and size, the database's reads and transactions, how far each subscriber of the change events is behind, and
/// the jobs waiting (webhook deliveries, CDN purges, scheduled stories).
struct MetricsController {
    let web: WebEnvironment
    let allowed: TrustedProxies

    init(web: WebEnvironment) {
        self.web = web
        self.allowed = TrustedProxies(web.settings.metricsAllowed)
    }

    /// Adds the route; it must come before ``ClientAddressMiddleware``, so the address checked is the socket's.
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(SiteURL.Pattern.metrics) { request, context in
            guard allowed.contains(context.clientAddress), !request.headers.contains(.forwarded),
                !request.headers.contains(.forwardedFor)
            else {
                return Self.text(web.theme.localization["metrics_forbidden"] + "\n", status: .forbidden)
            }
            var output = SiteMetrics.isRecording ? SiteMetrics.registry.emitToBuffer() : []
            await scrape().emit(into: &output)
            return Self.text(output, status: .ok)
        }
    }

    /// A registry made for this scrape, holding what the site's parts report now.
    private func scrape() async -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        func name(_ subsystem: String, _ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(
                namespace: "shpalta", subsystem: subsystem, metricName: metric, unitName: unit, helpText: help)
        }
        func counter(_ name: MetricNameDescriptor, _ value: Int, _ labels: [(String, String)] = []) {
            registry.makeCounter(descriptor: name, labels: labels).increment(by: Int64(value))
        }
        func gauge(_ name: MetricNameDescriptor, _ value: Double, _ labels: [(String, String)] = []) {
            registry.makeGauge(descriptor: name, labels: labels).set(to: value)
        }
        for (cacheName, cache) in [("pages", web.pageCache), ("api", web.apiCache)] {
            guard let totals = cache?.totals() else { continue }
            let labels = [("cache", cacheName)]
            counter(name("page_cache", "hits", "total", "Answers from the page cache."), totals.hits, labels)
            counter(
                name(
                    "page_cache", "pipeline_hits", "total", "Answers from the page cache in the connection's pipeline."),
                totals.pipelineHits, labels)
            counter(name("page_cache", "misses", "total", "Pages not in the cache."), totals.misses, labels)
            counter(name("page_cache", "renders", "total", "Pages rendered for the cache."), totals.renders, labels)
            counter(
                name("page_cache", "evictions", "total", "Pages evicted by change events."), totals.evictions, labels)
            gauge(name("page_cache", "held", "bytes", "Bytes held by the page cache."), Double(totals.bytes), labels)
            gauge(name("page_cache", "held", "pages", "Pages held by the page cache."), Double(totals.pages), labels)
        }
        let activity = web.database.activity.snapshot
        let engine = [("engine", web.database.dialect.rawValue)]
        counter(name("database", "reads", "total", "Reads from the database."), activity.reads, engine)
        counter(name("database", "transactions", "total", "Write transactions."), activity.transactions, engine)
        counter(
            name("database", "failures", "total", "Reads and transactions that failed."), activity.failures, engine)
        gauge(
            name("database", "reads_in_flight", "", "Reads running or waiting for a connection."),
            Double(activity.readsInFlight), engine)
        gauge(
            name("database", "transactions_in_flight", "", "Transactions running or waiting for the writer."),
            Double(activity.transactionsInFlight), engine)
        if let replica = web.database.replicaStatus {
            counter(name("database_replica", "reads", "total", "Reads the read replica answered."), replica.reads)
            counter(
                name(
                    "database_replica", "reads_on_primary", "total",
                    "Readers' reads sent to the primary: the replica was behind this node's caches or away."),
                replica.readsOnPrimary)
            gauge(
                name("database_replica", "up", "", "1 when the read replica's position was read when last looked at."),
                replica.reachable ? 1 : 0)
            gauge(
                name(
                    "database_replica", "behind", "bytes",
                    "Bytes of the primary's log the replica must still replay to answer."),
                Double(replica.behindBytes))
        }
        let backlog = try? await Backlog.read(
            from: web.database, subscribers: web.changes.subscriberNames, now: web.settings.clock())
        gauge(name("database", "up", "", "1 when the database answered this scrape."), backlog == nil ? 0 : 1)
        if let backlog {
            for lag in backlog.lags {
                let labels = [("subscriber", lag.subscriber)]
                gauge(
                    name("outbox", "lag", "events", "Change events a subscriber has not had yet."), Double(lag.events),
                    labels)
                gauge(
                    name("outbox", "lag", "seconds", "Age of the oldest change event a subscriber has not had."),
                    lag.seconds, labels)
            }
            let jobs = name("jobs", "waiting", "", "Jobs waiting.")
            gauge(jobs, Double(backlog.webhookDeliveries), [("job", "webhook")])
            gauge(jobs, Double(backlog.cdnPurges), [("job", "cdn_purge")])
            gauge(jobs, Double(backlog.scheduledStories), [("job", "scheduled_story")])
        }
        return registry
    }

    private static func text(_ bytes: [UInt8], status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func text(_ string: String, status: HTTPResponse.Status) -> Response {
        text(Array(string.utf8), status: status)
    }
}

extension HTTPField.Name {
    static let forwarded = Self("Forwarded")!
}
