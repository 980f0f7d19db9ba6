package core

import (
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// The metrics module (include/core/metrics.h): named latency timers
// (log-linear nanosecond histograms in the manner of HdrHistogram),
// counters and gauges in a registry, with snapshots, merges and
// Prometheus, JSON and table export.

// MetricKind is the kind of a metric (core_metric_kind).
type MetricKind int

const (
	MetricTimer   MetricKind = 0
	MetricCounter MetricKind = 1
	MetricGauge   MetricKind = 2
)

func (k MetricKind) String() string {
	switch k {
	case MetricTimer:
		return "timer"
	case MetricCounter:
		return "counter"
	case MetricGauge:
		return "gauge"
	}
	return "MetricKind(?)"
}

// MetricsFormat is an export format (core_metrics_format).
type MetricsFormat int

const (
	// MetricsPrometheus: text exposition format 0.0.4; timers are
	// histograms in seconds (or summaries, with summary = true).
	MetricsPrometheus MetricsFormat = 0
	// MetricsJSON: {"timers":[...],"counters":[...],"gauges":[...]}.
	MetricsJSON MetricsFormat = 1
	// MetricsTable: a fixed-width table for humans.
	MetricsTable MetricsFormat = 2
)

// The metrics limits (CORE_METRICS_MAX_NAME, _MAX_LABELS,
// _MAX_PROM_BUCKETS).
const (
	MetricsMaxName        = 200
	MetricsMaxLabels      = 8
	MetricsMaxPromBuckets = 64
)

// MetricID is the small integer a registry gives a metric (0, 1, 2, ... in
// registration order). It is valid for its registry and for the snapshots
// taken from it.
type MetricID uint32

// MetricsOptions are the creation options of a Metrics registry. The zero
// value of every field means libcore's default.
type MetricsOptions struct {
	LowestNs          int64 // lowest discernible value, >= 1; 0: 1 ns
	HighestNs         int64 // highest trackable value, >= 2*LowestNs, <= 2^62; 0: 1 hour
	SignificantDigits int   // 1 .. 5; 0: 2 (relative error <= 1%)
	MaxMetrics        int   // 1 .. 65536; 0: 1024
	// PromBuckets are the Prometheus le boundaries in seconds, strictly
	// increasing, finite and > 0, at most MetricsMaxPromBuckets; nil: 1,
	// 2.5 and 5 times each power of ten from 1 us to 50 s, then 100 s.
	PromBuckets []float64
}

// metricsOptions has the layout of core_metrics_options_t (checked below).
// promBuckets stays 0 here: core_go_metrics_create sets it in a C copy.
type metricsOptions struct {
	structSize  uint64
	lowestNs    uint64
	highestNs   uint64
	digits      int32
	_           int32
	maxMetrics  uint64
	promBuckets uintptr
	promCount   uint64
}

// TimerStats is the summary of a timer (core_timer_stats_t). Durations
// are in nanoseconds; Sum is exact modulo 2^64.
type TimerStats struct {
	Count      uint64  // values recorded (clamped ones included)
	SumNs      uint64  // their exact sum after clamping
	MinNs      uint64  // 0 when Count is 0
	MaxNs      uint64  // 0 when Count is 0
	MeanNs     float64 // SumNs / Count (0 when Count is 0)
	StddevNs   float64 // population stddev from bucket midpoints
	Underflows uint64  // negative values recorded as 0
	Overflows  uint64  // values above HighestNs recorded as HighestNs
}

// Min, Max and Mean as time.Duration.
func (s TimerStats) Min() time.Duration  { return time.Duration(s.MinNs) }
func (s TimerStats) Max() time.Duration  { return time.Duration(s.MaxNs) }
func (s TimerStats) Mean() time.Duration { return time.Duration(s.MeanNs) }

// timerStats has the layout of core_timer_stats_t.
type timerStats struct {
	structSize uint64
	s          TimerStats
}

func _() {
	var x [1]struct{}
	var o metricsOptions
	var s timerStats
	_ = x[capi.MetricsOptionsSize-unsafe.Sizeof(o)]
	_ = x[unsafe.Sizeof(o)-capi.MetricsOptionsSize]
	_ = x[capi.MetricsOptionsOffDigits-unsafe.Offsetof(o.digits)]
	_ = x[capi.MetricsOptionsDigitsSize-unsafe.Sizeof(o.digits)]
	_ = x[capi.MetricsOptionsOffMax-unsafe.Offsetof(o.maxMetrics)]
	_ = x[capi.MetricsOptionsOffCount-unsafe.Offsetof(o.promCount)]
	_ = x[capi.TimerStatsSize-unsafe.Sizeof(s)]
	_ = x[unsafe.Sizeof(s)-capi.TimerStatsSize]
	_ = x[capi.TimerStatsOffMean-unsafe.Offsetof(s.s)-unsafe.Offsetof(s.s.MeanNs)]
	_ = x[capi.TimerStatsOffOver-unsafe.Offsetof(s.s)-unsafe.Offsetof(s.s.Overflows)]
	_ = x[capi.MetricsMaxName-MetricsMaxName]
	_ = x[MetricsMaxName-capi.MetricsMaxName]
	_ = x[capi.MetricsMaxLabels-MetricsMaxLabels]
	_ = x[MetricsMaxLabels-capi.MetricsMaxLabels]
	_ = x[capi.MetricsMaxPromBuckets-MetricsMaxPromBuckets]
	_ = x[MetricsMaxPromBuckets-capi.MetricsMaxPromBuckets]
}

// NowNs is CLOCK_MONOTONIC in nanoseconds (core_now_ns): any fixed epoch,
// never decreasing. Pair it with Timer.Since.
func NowNs() uint64 { return capi.Core_now_ns() }

// ---- the registry ----------------------------------------------------------------

// Metrics is a registry of timers, counters and gauges (core_metrics_t).
// Every method may run in any number of goroutines at once; recording
// (Timer.Record, RecordNs, Since, Counter.Add, Gauge.Set, Gauge.Add) is one
// cgo call into lock-free C code and allocates nothing in Go.
//
// # Close
//
// Close releases the C registry (core_metrics_destroy). It is idempotent,
// may be called from any goroutine and never blocks: calls already running
// finish normally and the last of them releases the registry. Every call
// that starts after Close returns an error matching ErrClosed (and
// ErrInvalidArgument); queries of a closed registry never crash. A
// finalizer closes a Metrics that becomes unreachable without Close (the
// Timer, Counter and Gauge handles keep it reachable), but call Close: the
// Go collector does not see the C memory behind it (36 KiB per timer with
// the default options).
type Metrics struct {
	state     int64 // calls in progress, plus metricsClosed once Close ran
	destroyed int32
	hint      int64 // atomic: the buffer size an Export starts with
	m         uintptr
	timers    sync.Map // name -> Timer, for Time
}

const (
	metricsName    = "Metrics"
	snapshotName   = "MetricsSnapshot"
	metricsClosed  = int64(1) << 62
	exportHintInit = 4096
)

// NewMetrics creates a registry (core_metrics_create). ErrInvalidArgument
// for a negative field, LowestNs 0 with HighestNs set below 2 (or
// HighestNs < 2*LowestNs, or above 2^62), SignificantDigits outside 1 ..
// 5, MaxMetrics above 65536, or bad PromBuckets.
func NewMetrics(opts MetricsOptions) (*Metrics, error) {
	const op = "core.NewMetrics"
	if opts.LowestNs < 0 || opts.HighestNs < 0 || opts.SignificantDigits < 0 || opts.MaxMetrics < 0 {
		return nil, argError(op, ErrInvalidArgument,
			"LowestNs = %d, HighestNs = %d, SignificantDigits = %d, MaxMetrics = %d: negative",
			opts.LowestNs, opts.HighestNs, opts.SignificantDigits, opts.MaxMetrics)
	}
	if opts.SignificantDigits > math.MaxInt32 {
		return nil, argError(op, ErrInvalidArgument, "SignificantDigits = %d is out of range", opts.SignificantDigits)
	}
	o := new(metricsOptions)
	if r := capi.Core_metrics_options_init(unsafe.Pointer(o)); r != 0 {
		return nil, fail(op, r)
	}
	if opts.LowestNs != 0 {
		o.lowestNs = uint64(opts.LowestNs)
	}
	if opts.HighestNs != 0 {
		o.highestNs = uint64(opts.HighestNs)
	}
	if opts.SignificantDigits != 0 {
		o.digits = int32(opts.SignificantDigits)
	}
	if opts.MaxMetrics != 0 {
		o.maxMetrics = uint64(opts.MaxMetrics)
	}
	var h [1]uintptr
	if r := capi.Core_go_metrics_create(unsafe.Pointer(o), opts.PromBuckets, int64(len(opts.PromBuckets)), h[:]); r != 0 {
		return nil, fail(op, r)
	}
	m := &Metrics{m: h[0], hint: exportHintInit}
	runtime.SetFinalizer(m, (*Metrics).Close)
	return m, nil
}

// Close releases the registry, now or, when calls are in progress, when
// the last of them returns. A second Close and a Close of a nil *Metrics
// do nothing. Always nil: the error is there for io.Closer.
func (m *Metrics) Close() error {
	if m == nil {
		return nil
	}
	for {
		s := atomic.LoadInt64(&m.state)
		if s&metricsClosed != 0 {
			return nil
		}
		if atomic.CompareAndSwapInt64(&m.state, s, s|metricsClosed) {
			runtime.SetFinalizer(m, nil)
			if s == 0 {
				m.destroy()
			}
			return nil
		}
	}
}

func (m *Metrics) destroy() {
	if atomic.CompareAndSwapInt32(&m.destroyed, 0, 1) {
		capi.Core_metrics_destroy(m.m)
	}
}

// acquire registers a call and returns the handle; release ends it.
func (m *Metrics) acquire(op string) (uintptr, error) {
	if m == nil {
		return 0, argError(op, ErrInvalidArgument, "nil *Metrics")
	}
	if atomic.AddInt64(&m.state, 1)&metricsClosed != 0 {
		m.release()
		return 0, closedError(op, metricsName)
	}
	return m.m, nil
}

func (m *Metrics) release() {
	if atomic.AddInt64(&m.state, -1) == metricsClosed {
		m.destroy()
	}
}

// Count is the number of metrics registered (core_metrics_count); 0 after
// Close.
func (m *Metrics) Count() int {
	h, err := m.acquire("core.Metrics.Count")
	if err != nil {
		return 0
	}
	n := capi.Core_metrics_count(h)
	m.release()
	return int(n)
}

// ---- registration ----------------------------------------------------------------

// MetricOption is an optional part of a registration: WithHelp, WithLabel.
type MetricOption func(*metricConfig)

type metricConfig struct {
	help   string
	labels []string // name, value, name, value, ...
}

// WithHelp sets the metric's help text (the # HELP line; default "<kind>
// <name>"). Kept from the first registration of a name.
func WithHelp(help string) MetricOption {
	return func(c *metricConfig) { c.help = help }
}

// WithLabel adds the label name="value" to the metric. Label names match
// [a-zA-Z_][a-zA-Z0-9_]*, do not start with "__", are distinct and are not
// "le" or "quantile"; at most MetricsMaxLabels. The same name with other
// labels is another series of the same family.
func WithLabel(name, value string) MetricOption {
	return func(c *metricConfig) { c.labels = append(c.labels, name, value) }
}

// register registers a metric of kind k and returns its id.
func (m *Metrics) register(op string, k MetricKind, name string, opts []MetricOption) (MetricID, error) {
	var c metricConfig
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	size := len(name) + len(c.help) + 2
	for _, s := range c.labels {
		size += len(s) + 1
	}
	buf := make([]byte, 0, size)
	for i, s := range append([]string{name, c.help}, c.labels...) {
		if strings.IndexByte(s, 0) >= 0 {
			what := "name"
			switch {
			case i == 1:
				what = "help"
			case i > 1 && i%2 == 0:
				what = "label name"
			case i > 1:
				what = "label value"
			}
			return 0, argError(op, ErrInvalidArgument, "the %s %q holds a NUL byte", what, s)
		}
		buf = append(buf, s...)
		buf = append(buf, 0)
	}
	h, err := m.acquire(op)
	if err != nil {
		return 0, err
	}
	var id [1]uint32
	r := capi.Core_go_metrics_register(h, int(k), buf, int64(len(buf)), int64(len(c.labels)/2), id[:])
	m.release()
	if r != 0 {
		return 0, fail(op, r)
	}
	return MetricID(id[0]), nil
}

// Timer registers a latency timer (core_metrics_timer), or returns the
// existing one of the same name, kind and labels. ErrInvalidArgument for
// an empty or too long name, a name with no letter, digit or ':', a name
// whose exported name collides with another metric's (the message names
// it), the name registered with another kind, bad labels; ErrFull when the
// registry holds MaxMetrics.
func (m *Metrics) Timer(name string, opts ...MetricOption) (Timer, error) {
	id, err := m.register("core.Metrics.Timer", MetricTimer, name, opts)
	if err != nil {
		return Timer{}, err
	}
	return Timer{m: m, id: id}, nil
}

// Counter registers a counter (core_metrics_counter), as Timer.
func (m *Metrics) Counter(name string, opts ...MetricOption) (Counter, error) {
	id, err := m.register("core.Metrics.Counter", MetricCounter, name, opts)
	if err != nil {
		return Counter{}, err
	}
	return Counter{m: m, id: id}, nil
}

// Gauge registers a gauge (core_metrics_gauge), as Timer.
func (m *Metrics) Gauge(name string, opts ...MetricOption) (Gauge, error) {
	id, err := m.register("core.Metrics.Gauge", MetricGauge, name, opts)
	if err != nil {
		return Gauge{}, err
	}
	return Gauge{m: m, id: id}, nil
}

// Find returns the id and kind of the metric registered under name (the
// first series of that name) (core_metrics_find); ErrNotFound when absent.
func (m *Metrics) Find(name string) (MetricID, MetricKind, error) {
	const op = "core.Metrics.Find"
	if strings.IndexByte(name, 0) >= 0 {
		return 0, 0, argError(op, ErrInvalidArgument, "the name %q holds a NUL byte", name)
	}
	h, err := m.acquire(op)
	if err != nil {
		return 0, 0, err
	}
	var id [1]uint32
	var kind [1]int32
	r := capi.Core_metrics_find(h, name, id[:], kind[:])
	m.release()
	if r != 0 {
		return 0, 0, fail(op, r)
	}
	return MetricID(id[0]), MetricKind(kind[0]), nil
}

// Time is the defer helper:
//
//	defer m.Time("lid.encoder_forward")()
//
// records the time from the Time call to the call of the func it returns
// into the timer name (registered on first use, without help or labels,
// and remembered, so later calls do not touch the registry's lock). When
// the timer cannot be registered (a bad or colliding name, a full or closed
// registry) the func does nothing: use Metrics.Timer and Timer.Start to see
// that error.
func (m *Metrics) Time(name string) func() {
	if m == nil {
		return func() {}
	}
	var t Timer
	if v, ok := m.timers.Load(name); ok {
		t = v.(Timer)
	} else {
		var err error
		if t, err = m.Timer(name); err != nil {
			return func() {}
		}
		m.timers.Store(name, t)
	}
	return t.Start()
}

// ---- handles ------------------------------------------------------------------------

// Timer is a registered latency timer: a small value (the registry and an
// id), copied freely and used from any goroutine. The zero Timer is not
// registered: its methods return ErrInvalidArgument.
type Timer struct {
	m  *Metrics
	id MetricID
}

// Counter is a registered counter, a small value like Timer.
type Counter struct {
	m  *Metrics
	id MetricID
}

// Gauge is a registered gauge, a small value like Timer.
type Gauge struct {
	m  *Metrics
	id MetricID
}

// ID is the timer's id in its registry and its snapshots.
func (t Timer) ID() MetricID { return t.id }

// ID is the counter's id in its registry and its snapshots.
func (c Counter) ID() MetricID { return c.id }

// ID is the gauge's id in its registry and its snapshots.
func (g Gauge) ID() MetricID { return g.id }

// RecordNs records ns nanoseconds (core_metrics_record_ns): one cgo call,
// no allocation. A negative value is recorded as 0 and counted in
// Underflows, one above HighestNs as HighestNs and counted in Overflows;
// neither is an error. Errors: the registry is closed (ErrClosed), or the
// Timer is the zero value.
func (t Timer) RecordNs(ns int64) error {
	const op = "core.Timer.RecordNs"
	h, err := t.m.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_metrics_record_ns(h, uint32(t.id), ns)
	t.m.release()
	return check(op, r)
}

// Record records d, as RecordNs(int64(d)).
func (t Timer) Record(d time.Duration) error {
	const op = "core.Timer.Record"
	h, err := t.m.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_metrics_record_ns(h, uint32(t.id), int64(d))
	t.m.release()
	return check(op, r)
}

// Since records NowNs() - startNs, with startNs taken from NowNs
// (core_metrics_stop; the clock is read in C): one cgo call, no
// allocation.
func (t Timer) Since(startNs uint64) error {
	const op = "core.Timer.Since"
	h, err := t.m.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_metrics_stop(h, uint32(t.id), startNs)
	t.m.release()
	return check(op, r)
}

// Start is the defer helper of a registered timer:
//
//	defer t.Start()()
//
// records the time from Start to the call of the returned func. The func
// ignores errors (a registry closed meanwhile); it may be called more than
// once (each call records). Start costs a clock read and the closure; the
// allocation-free form is start := NowNs(); ...; t.Since(start).
func (t Timer) Start() func() {
	start := capi.Core_metrics_start()
	return func() { _ = t.Since(start) }
}

// Stats returns the timer's summary (core_metrics_timer_stats).
func (t Timer) Stats() (TimerStats, error) {
	const op = "core.Timer.Stats"
	h, err := t.m.acquire(op)
	if err != nil {
		return TimerStats{}, err
	}
	s := &timerStats{structSize: uint64(unsafe.Sizeof(timerStats{}))}
	r := capi.Core_metrics_timer_stats(h, uint32(t.id), unsafe.Pointer(s))
	t.m.release()
	if r != 0 {
		return TimerStats{}, fail(op, r)
	}
	return s.s, nil
}

// Percentile returns the nearest-rank percentile q in [0, 1] of the timer
// (core_metrics_percentile): within the configured relative error of the
// exact value; q = 0 gives the min and q = 1 the max exactly. ErrEmpty
// when nothing was recorded; ErrInvalidArgument for q NaN or outside
// [0, 1].
func (t Timer) Percentile(q float64) (time.Duration, error) {
	const op = "core.Timer.Percentile"
	h, err := t.m.acquire(op)
	if err != nil {
		return 0, err
	}
	var v [1]uint64
	r := capi.Core_metrics_percentile(h, uint32(t.id), q, v[:])
	t.m.release()
	if r != 0 {
		return 0, fail(op, r)
	}
	return durationOf(v[0]), nil
}

func durationOf(ns uint64) time.Duration {
	if ns > math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// Add adds delta to the counter (core_metrics_counter_add, modulo 2^64):
// one cgo call, no allocation. ErrInvalidArgument for delta >= 2^63 (a
// negative number converted: counters only go up).
func (c Counter) Add(delta uint64) error {
	const op = "core.Counter.Add"
	h, err := c.m.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_metrics_counter_add(h, uint32(c.id), delta)
	c.m.release()
	return check(op, r)
}

// Inc is Add(1).
func (c Counter) Inc() error { return c.Add(1) }

// Value returns the counter's value (core_metrics_counter_get).
func (c Counter) Value() (uint64, error) {
	const op = "core.Counter.Value"
	h, err := c.m.acquire(op)
	if err != nil {
		return 0, err
	}
	var v [1]uint64
	r := capi.Core_metrics_counter_get(h, uint32(c.id), v[:])
	c.m.release()
	if r != 0 {
		return 0, fail(op, r)
	}
	return v[0], nil
}

// Set sets the gauge (core_metrics_gauge_set): one cgo call, no
// allocation. ErrInvalidArgument for a value that is not finite.
func (g Gauge) Set(v float64) error {
	const op = "core.Gauge.Set"
	h, err := g.m.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_metrics_gauge_set(h, uint32(g.id), v)
	g.m.release()
	return check(op, r)
}

// Add adds delta to the gauge (core_metrics_gauge_add), as Set.
func (g Gauge) Add(delta float64) error {
	const op = "core.Gauge.Add"
	h, err := g.m.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_metrics_gauge_add(h, uint32(g.id), delta)
	g.m.release()
	return check(op, r)
}

// Value returns the gauge's value (core_metrics_gauge_get).
func (g Gauge) Value() (float64, error) {
	const op = "core.Gauge.Value"
	h, err := g.m.acquire(op)
	if err != nil {
		return 0, err
	}
	var v [1]float64
	r := capi.Core_metrics_gauge_get(h, uint32(g.id), v[:])
	g.m.release()
	if r != 0 {
		return 0, fail(op, r)
	}
	return v[0], nil
}

// ---- export, snapshots, merges ---------------------------------------------------------

// exportText runs the needed-size protocol of core_metrics_export and
// core_metrics_snapshot_export: a first call into a buffer of the last
// size seen, a second (or more, while the metrics grow) at the size asked.
func exportText(op string, hint *int64, format MetricsFormat, summary bool,
	call func(format int, flags uint, buf []byte, n int64, needed []uint64) int64) (string, error) {
	var flags uint
	if summary {
		flags = 1 // CORE_METRICS_EXPORT_SUMMARY
	}
	var needed [1]uint64
	n := atomic.LoadInt64(hint)
	for {
		buf := make([]byte, n)
		r := call(int(format), flags, buf, n, needed[:])
		if r == 0 {
			if needed[0] > uint64(atomic.LoadInt64(hint)) {
				atomic.StoreInt64(hint, int64(needed[0]))
			}
			if needed[0] == 0 || needed[0] > uint64(n) {
				return "", argError(op, ErrInternal, "export reported %d bytes", needed[0])
			}
			return string(buf[:needed[0]-1]), nil
		}
		err := fail(op, r)
		if err.(*Error).Status != ErrBufferTooSmall || needed[0] <= uint64(n) {
			return "", err
		}
		n = int64(needed[0])
	}
}

// Export writes the registry as text (core_metrics_export): Prometheus
// text format 0.0.4 (timers as histograms in seconds, or as summaries with
// quantiles 0.5 .. 0.999 when summary is true), JSON or a table. Exported
// names are sanitized: "lid.encoder_forward" becomes
// lid_encoder_forward_seconds. summary applies to MetricsPrometheus only
// (the other formats always give their quantiles). ErrInvalidArgument for
// an unknown format.
func (m *Metrics) Export(format MetricsFormat, summary bool) (string, error) {
	const op = "core.Metrics.Export"
	h, err := m.acquire(op)
	if err != nil {
		return "", err
	}
	defer m.release()
	return exportText(op, &m.hint, format, summary,
		func(format int, flags uint, buf []byte, n int64, needed []uint64) int64 {
			return capi.Core_metrics_export(h, format, flags, buf, n, needed)
		})
}

// Snapshot returns an immutable copy of every metric
// (core_metrics_snapshot). Close it when done.
func (m *Metrics) Snapshot() (*MetricsSnapshot, error) {
	return m.snapshot("core.Metrics.Snapshot", capi.Core_metrics_snapshot)
}

// SnapshotAndReset returns a snapshot and empties every timer in the same
// step (core_metrics_snapshot_and_reset), for interval reports. Counters
// and gauges are not reset.
func (m *Metrics) SnapshotAndReset() (*MetricsSnapshot, error) {
	return m.snapshot("core.Metrics.SnapshotAndReset", capi.Core_metrics_snapshot_and_reset)
}

func (m *Metrics) snapshot(op string, call func(uintptr, []uintptr) int64) (*MetricsSnapshot, error) {
	h, err := m.acquire(op)
	if err != nil {
		return nil, err
	}
	var out [1]uintptr
	r := call(h, out[:])
	m.release()
	if r != 0 {
		return nil, fail(op, r)
	}
	s := &MetricsSnapshot{s: out[0], hint: atomic.LoadInt64(&m.hint)}
	runtime.SetFinalizer(s, (*MetricsSnapshot).Close)
	return s, nil
}

// Merge merges a snapshot of src (not reset) into m (core_metrics_merge):
// metrics are matched by name and labels; timers add their histograms,
// counters and gauges add; metrics missing from m are added. A kind
// conflict or a name collision is ErrInvalidArgument, ErrFull when m has
// no room; m is unchanged on error.
func (m *Metrics) Merge(src *Metrics) error {
	const op = "core.Metrics.Merge"
	h, err := m.acquire(op)
	if err != nil {
		return err
	}
	defer m.release()
	hs, err := src.acquire(op)
	if err != nil {
		return err
	}
	defer src.release()
	return check(op, capi.Core_metrics_merge(h, hs))
}

// MergeSnapshot merges snapshot src into m (core_metrics_merge_snapshot),
// as Merge; recording into m may go on meanwhile.
func (m *Metrics) MergeSnapshot(src *MetricsSnapshot) error {
	const op = "core.Metrics.MergeSnapshot"
	h, err := m.acquire(op)
	if err != nil {
		return err
	}
	defer m.release()
	hs, err := src.rlock(op)
	if err != nil {
		return err
	}
	defer src.mu.RUnlock()
	return check(op, capi.Core_metrics_merge_snapshot(h, hs))
}

// MetricsSnapshot is an immutable copy of a registry (core_metrics_snapshot_t),
// queried and exported like it; it keeps the registry's ids, so a Timer,
// Counter or Gauge of that registry can be queried in it (by ID()). Only
// Merge changes it. Any goroutine; Close (idempotent, never crashes, later
// calls return ErrClosed) waits for the calls in progress. A finalizer
// closes a lost snapshot.
type MetricsSnapshot struct {
	mu   sync.RWMutex // reads RLock; Merge and Close Lock
	s    uintptr      // 0 once closed
	hint int64
}

// Close releases the snapshot (core_metrics_snapshot_destroy). Idempotent;
// nil on a nil *MetricsSnapshot. Always nil.
func (s *MetricsSnapshot) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	if s.s != 0 {
		runtime.SetFinalizer(s, nil)
		capi.Core_metrics_snapshot_destroy(s.s)
		s.s = 0
	}
	s.mu.Unlock()
	return nil
}

// rlock read-locks the snapshot and returns its handle; on error it is not
// locked.
func (s *MetricsSnapshot) rlock(op string) (uintptr, error) {
	if s == nil {
		return 0, argError(op, ErrInvalidArgument, "nil *MetricsSnapshot")
	}
	s.mu.RLock()
	if s.s == 0 {
		s.mu.RUnlock()
		return 0, closedError(op, snapshotName)
	}
	return s.s, nil
}

// Count is the number of metrics in the snapshot; 0 after Close.
func (s *MetricsSnapshot) Count() int {
	h, err := s.rlock("core.MetricsSnapshot.Count")
	if err != nil {
		return 0
	}
	n := capi.Core_metrics_snapshot_count(h)
	s.mu.RUnlock()
	return int(n)
}

// Find returns the id and kind of the metric registered under name
// (core_metrics_snapshot_find); ErrNotFound when absent.
func (s *MetricsSnapshot) Find(name string) (MetricID, MetricKind, error) {
	const op = "core.MetricsSnapshot.Find"
	if strings.IndexByte(name, 0) >= 0 {
		return 0, 0, argError(op, ErrInvalidArgument, "the name %q holds a NUL byte", name)
	}
	h, err := s.rlock(op)
	if err != nil {
		return 0, 0, err
	}
	var id [1]uint32
	var kind [1]int32
	r := capi.Core_metrics_snapshot_find(h, name, id[:], kind[:])
	s.mu.RUnlock()
	if r != 0 {
		return 0, 0, fail(op, r)
	}
	return MetricID(id[0]), MetricKind(kind[0]), nil
}

// TimerStats returns the summary of timer id (core_metrics_snapshot_timer_stats).
func (s *MetricsSnapshot) TimerStats(id MetricID) (TimerStats, error) {
	const op = "core.MetricsSnapshot.TimerStats"
	h, err := s.rlock(op)
	if err != nil {
		return TimerStats{}, err
	}
	st := &timerStats{structSize: uint64(unsafe.Sizeof(timerStats{}))}
	r := capi.Core_metrics_snapshot_timer_stats(h, uint32(id), unsafe.Pointer(st))
	s.mu.RUnlock()
	if r != 0 {
		return TimerStats{}, fail(op, r)
	}
	return st.s, nil
}

// Percentile returns percentile q of timer id
// (core_metrics_snapshot_percentile), as Timer.Percentile.
func (s *MetricsSnapshot) Percentile(id MetricID, q float64) (time.Duration, error) {
	const op = "core.MetricsSnapshot.Percentile"
	h, err := s.rlock(op)
	if err != nil {
		return 0, err
	}
	var v [1]uint64
	r := capi.Core_metrics_snapshot_percentile(h, uint32(id), q, v[:])
	s.mu.RUnlock()
	if r != 0 {
		return 0, fail(op, r)
	}
	return durationOf(v[0]), nil
}

// Counter returns the value of counter id (core_metrics_snapshot_counter).
func (s *MetricsSnapshot) Counter(id MetricID) (uint64, error) {
	const op = "core.MetricsSnapshot.Counter"
	h, err := s.rlock(op)
	if err != nil {
		return 0, err
	}
	var v [1]uint64
	r := capi.Core_metrics_snapshot_counter(h, uint32(id), v[:])
	s.mu.RUnlock()
	if r != 0 {
		return 0, fail(op, r)
	}
	return v[0], nil
}

// Gauge returns the value of gauge id (core_metrics_snapshot_gauge).
func (s *MetricsSnapshot) Gauge(id MetricID) (float64, error) {
	const op = "core.MetricsSnapshot.Gauge"
	h, err := s.rlock(op)
	if err != nil {
		return 0, err
	}
	var v [1]float64
	r := capi.Core_metrics_snapshot_gauge(h, uint32(id), v[:])
	s.mu.RUnlock()
	if r != 0 {
		return 0, fail(op, r)
	}
	return v[0], nil
}

// Export writes the snapshot as text (core_metrics_snapshot_export), as
// Metrics.Export.
func (s *MetricsSnapshot) Export(format MetricsFormat, summary bool) (string, error) {
	const op = "core.MetricsSnapshot.Export"
	h, err := s.rlock(op)
	if err != nil {
		return "", err
	}
	defer s.mu.RUnlock()
	return exportText(op, &s.hint, format, summary,
		func(format int, flags uint, buf []byte, n int64, needed []uint64) int64 {
			return capi.Core_metrics_snapshot_export(h, format, flags, buf, n, needed)
		})
}

// Merge merges src into s (core_metrics_snapshot_merge), as Metrics.Merge;
// s and src must differ (ErrInvalidArgument).
func (s *MetricsSnapshot) Merge(src *MetricsSnapshot) error {
	const op = "core.MetricsSnapshot.Merge"
	if s == nil || src == nil {
		return argError(op, ErrInvalidArgument, "nil *MetricsSnapshot")
	}
	if s == src {
		return argError(op, ErrInvalidArgument, "a snapshot merged into itself")
	}
	hs, err := src.rlock(op)
	if err != nil {
		return err
	}
	defer src.mu.RUnlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.s == 0 {
		return closedError(op, snapshotName)
	}
	return check(op, capi.Core_metrics_snapshot_merge(s.s, hs))
}
