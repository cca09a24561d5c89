// Package metrics is Samverkan's observability: Prometheus metrics for HTTP
// requests, GraphQL operations and store calls, the embedded store's size,
// and one log line per GraphQL operation.
//
// Every label takes its values from a small fixed set or a capped one, so
// that no client can grow the number of time series: HTTP paths are the
// registered routes, operation names are checked and capped, codes are the
// error scheme's.
package metrics

import (
	"net/http"
	"regexp"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "samverkan"

// Label values for what is not one of the known values.
const (
	Other     = "other"     // a path, method, name or code outside the known or capped set
	Anonymous = "anonymous" // an operation without a name
	OK        = "OK"        // an operation answered without errors
)

// MaxOperationNames caps the distinct operation names that get their own
// series; later new names count as Other.
const MaxOperationNames = 200

// Metrics holds the collectors on their own registry (not the global
// default, so that tests and several servers in one process do not share
// series).
type Metrics struct {
	reg *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	httpInFlight prometheus.Gauge

	gqlOperations *prometheus.CounterVec
	gqlDuration   *prometheus.HistogramVec

	storeDuration *prometheus.HistogramVec
	storeErrors   *prometheus.CounterVec

	namesMu sync.Mutex
	names   map[string]bool
}

// storeBuckets reach down to 50µs: most embedded-store calls are in memory.
var storeBuckets = prometheus.ExponentialBuckets(0.00005, 4, 10)

// New returns the metrics of one server, with the Go runtime and process
// collectors registered.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests by method, route path and status code.",
		}, []string{"method", "path", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "HTTP request latency by method and route path.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "path"}),
		httpInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		gqlOperations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "graphql", Name: "operations_total",
			Help: "GraphQL operations by operation name, type and outcome code (OK or the first error's extensions.code).",
		}, []string{"operation", "type", "code"}),
		gqlDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "graphql", Name: "operation_duration_seconds",
			Help:    "GraphQL operation latency by operation name.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation"}),
		storeDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "store", Name: "call_duration_seconds",
			Help:    "Store call latency by store operation (kg.Store method).",
			Buckets: storeBuckets,
		}, []string{"operation"}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "store", Name: "call_errors_total",
			Help: "Store calls that returned an error, by store operation and error kind.",
		}, []string{"operation", "kind"}),
		names: map[string]bool{},
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpRequests, m.httpDuration, m.httpInFlight,
		m.gqlOperations, m.gqlDuration,
		m.storeDuration, m.storeErrors,
	)
	// Every store operation shows from the start, so that dashboards and
	// rate() see a zero rather than a missing series.
	for _, op := range storeOperations {
		m.storeDuration.WithLabelValues(op)
	}
	return m
}

// Registry is the registry the metrics are on; callers may add their own.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:          m.reg, // counts failed scrapes on the same registry
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: false,
	})
}

var validName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// operationLabel bounds an operation name: empty is Anonymous, a name that
// is not a plain GraphQL name of at most 64 characters is Other, and once
// MaxOperationNames names have been seen every new one is Other.
func (m *Metrics) operationLabel(name string) string {
	if name == "" {
		return Anonymous
	}
	if !validName.MatchString(name) {
		return Other
	}
	m.namesMu.Lock()
	defer m.namesMu.Unlock()
	if m.names[name] {
		return name
	}
	if len(m.names) >= MaxOperationNames {
		return Other
	}
	m.names[name] = true
	return name
}

var validCode = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,39}$`)

// codeLabel bounds an error code; the error presenter only produces the
// scheme's codes, but an extension could set anything.
func codeLabel(code string) string {
	if validCode.MatchString(code) {
		return code
	}
	return Other
}
