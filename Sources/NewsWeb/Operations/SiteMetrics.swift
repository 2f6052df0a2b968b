import Metrics
import Prometheus
import Synchronization

/// The process's Prometheus registry, which swift-metrics writes to once ``bootstrap()`` has run: Hummingbird's
/// request counts and latency histograms by route, method and status, and anything else a library records.
///
/// `shpalta serve` bootstraps it; tests do not, so their routers record nothing and share no state.
public enum SiteMetrics {
    static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Atomic<Bool>(false)

    /// Whether request metrics are recorded in this process.
    static var isRecording: Bool { bootstrapped.load(ordering: .acquiring) }

    /// Sends swift-metrics to the registry; only the first call does anything (swift-metrics allows one).
    public static func bootstrap() {
        guard !bootstrapped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var factory = PrometheusMetricsFactory(registry: registry)
        // A page from memory takes well under a millisecond, a search tens of milliseconds: buckets for both.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
    }
}
