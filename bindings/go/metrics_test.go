package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func newMetrics(t *testing.T, opts MetricsOptions) *Metrics {
	t.Helper()
	m, err := NewMetrics(opts)
	noErr(t, err)
	t.Cleanup(func() { m.Close() })
	return m
}

func TestMetricsRegister(t *testing.T) {
	m := newMetrics(t, MetricsOptions{})
	tm, err := m.Timer("lid.encoder_forward", WithHelp("encoder forward pass"))
	noErr(t, err)
	c, err := m.Counter("requests")
	noErr(t, err)
	g, err := m.Gauge("bytes_in_use")
	noErr(t, err)
	if tm.ID() != 0 || c.ID() != 1 || g.ID() != 2 {
		t.Fatalf("ids %d %d %d, want 0 1 2", tm.ID(), c.ID(), g.ID())
	}
	again, err := m.Timer("lid.encoder_forward")
	noErr(t, err)
	if again != tm {
		t.Fatalf("registering again gave %v, want %v", again, tm)
	}
	lab, err := m.Timer("lid.encoder_forward", WithLabel("stage", "warm"))
	noErr(t, err)
	if lab.ID() != 3 || m.Count() != 4 {
		t.Fatalf("labelled series id %d, count %d; want 3, 4", lab.ID(), m.Count())
	}
	for _, want := range []struct {
		name string
		id   MetricID
		kind MetricKind
	}{{"lid.encoder_forward", 0, MetricTimer}, {"requests", 1, MetricCounter}, {"bytes_in_use", 2, MetricGauge}} {
		id, kind, err := m.Find(want.name)
		noErr(t, err)
		if id != want.id || kind != want.kind {
			t.Fatalf("Find(%q) = %d, %v; want %d, %v", want.name, id, kind, want.id, want.kind)
		}
	}
	_, _, err = m.Find("nope")
	wantErr(t, err, ErrNotFound)
	if MetricGauge.String() != "gauge" {
		t.Fatal(MetricGauge.String())
	}
}

func TestMetricsRecordStats(t *testing.T) {
	m := newMetrics(t, MetricsOptions{HighestNs: 1_000_000})
	tm, err := m.Timer("t")
	noErr(t, err)
	noErr(t, tm.Record(100*time.Nanosecond))
	noErr(t, tm.RecordNs(300))
	noErr(t, tm.RecordNs(-5))        // underflow: recorded as 0
	noErr(t, tm.RecordNs(5_000_000)) // overflow: recorded as 1 ms
	s, err := tm.Stats()
	noErr(t, err)
	want := TimerStats{Count: 4, SumNs: 1_000_400, MinNs: 0, MaxNs: 1_000_000, MeanNs: 250_100, Underflows: 1, Overflows: 1}
	s.StddevNs = 0
	if s != want {
		t.Fatalf("Stats = %+v, want %+v", s, want)
	}
	if s.Max() != time.Millisecond || s.Min() != 0 || s.Mean() != 250100 {
		t.Fatalf("durations %v %v %v", s.Min(), s.Max(), s.Mean())
	}
}

func TestMetricsPercentiles(t *testing.T) {
	m := newMetrics(t, MetricsOptions{})
	tm, err := m.Timer("p")
	noErr(t, err)
	_, err = tm.Percentile(0.5)
	wantErr(t, err, ErrEmpty)
	// 1 .. 1000 us, shuffled by a stride coprime with 1000.
	vals := make([]int64, 1000)
	for i := range vals {
		vals[i] = int64((i*7919)%1000+1) * 1000
		noErr(t, tm.RecordNs(vals[i]))
	}
	sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
	for _, q := range []float64{0, 0.5, 0.9, 0.95, 0.99, 0.999, 1} {
		got, err := tm.Percentile(q)
		noErr(t, err)
		rank := int(math.Ceil(q * 1000))
		if rank < 1 {
			rank = 1
		}
		exact := float64(vals[rank-1])
		if q == 0 || q == 1 {
			wantVal(t, fmt.Sprintf("p(%g)", q), float64(got), exact)
		} else {
			wantNear(t, fmt.Sprintf("p(%g)", q), float64(got), exact, 0.01)
		}
	}
	for _, q := range []float64{-0.1, 1.5, math.NaN()} {
		_, err := tm.Percentile(q)
		wantErr(t, err, ErrInvalidArgument)
	}
}

func TestMetricsDeferHelpers(t *testing.T) {
	m := newMetrics(t, MetricsOptions{})
	work := func() {
		defer m.Time("lid.encoder_forward")()
		time.Sleep(2 * time.Millisecond)
	}
	work()
	work()
	tm, err := m.Timer("lid.encoder_forward")
	noErr(t, err)
	func() {
		defer tm.Start()()
		time.Sleep(time.Millisecond)
	}()
	start := NowNs()
	time.Sleep(time.Millisecond)
	noErr(t, tm.Since(start))
	if NowNs() <= start {
		t.Fatal("NowNs did not advance")
	}
	s, err := tm.Stats()
	noErr(t, err)
	if s.Count != 4 || s.Min() < time.Millisecond || s.Max() > 5*time.Second {
		t.Fatalf("Stats = %+v, want 4 values >= 1 ms", s)
	}
	// A name that cannot be registered: a no-op func, no panic.
	m.Time("...")()
	m.Time("")()
	(*Metrics)(nil).Time("x")()
	if m.Count() != 1 {
		t.Fatalf("Count = %d, want 1", m.Count())
	}
}

func TestMetricsCounterGauge(t *testing.T) {
	m := newMetrics(t, MetricsOptions{})
	c, err := m.Counter("hits")
	noErr(t, err)
	noErr(t, c.Add(41))
	noErr(t, c.Inc())
	v, err := c.Value()
	noErr(t, err)
	if v != 42 {
		t.Fatalf("counter = %d, want 42", v)
	}
	wantErr(t, c.Add(1<<63), ErrInvalidArgument)
	g, err := m.Gauge("level")
	noErr(t, err)
	noErr(t, g.Set(2.5))
	noErr(t, g.Add(-1))
	gv, err := g.Value()
	noErr(t, err)
	wantVal(t, "gauge", gv, 1.5)
	wantErr(t, g.Set(math.NaN()), ErrInvalidArgument)
	wantErr(t, g.Add(math.Inf(1)), ErrInvalidArgument)
	// A handle of the wrong kind (same id in another registry shape).
	wrong := Counter{m: m, id: MetricID(g.ID())}
	wantErr(t, wrong.Add(1), ErrInvalidArgument)
	wantErr(t, Timer{m: m, id: 99}.RecordNs(1), ErrInvalidArgument)
}

func TestMetricsConcurrentRecording(t *testing.T) {
	m := newMetrics(t, MetricsOptions{})
	tm, err := m.Timer("conc")
	noErr(t, err)
	c, err := m.Counter("conc_ops")
	noErr(t, err)
	g, err := m.Gauge("conc_level")
	noErr(t, err)
	const workers, per = 8, 20000
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				if err := tm.RecordNs(int64(w + 1)); err != nil {
					t.Error(err)
					return
				}
				_ = c.Inc()
				_ = g.Add(1)
			}
		}(w)
	}
	wg.Wait()
	s, err := tm.Stats()
	noErr(t, err)
	if s.Count != workers*per || s.SumNs != per*workers*(workers+1)/2 || s.MinNs != 1 || s.MaxNs != workers {
		t.Fatalf("Stats = %+v", s)
	}
	v, err := c.Value()
	noErr(t, err)
	gv, err := g.Value()
	noErr(t, err)
	if v != workers*per || gv != workers*per {
		t.Fatalf("counter %d, gauge %g, want %d", v, gv, workers*per)
	}
}

func TestMetricsRecordNoAlloc(t *testing.T) {
	m := newMetrics(t, MetricsOptions{})
	tm, _ := m.Timer("a")
	c, _ := m.Counter("b")
	g, _ := m.Gauge("c")
	start := NowNs()
	for name, f := range map[string]func(){
		"Record":   func() { _ = tm.Record(time.Microsecond) },
		"RecordNs": func() { _ = tm.RecordNs(1000) },
		"Since":    func() { _ = tm.Since(start) },
		"Add":      func() { _ = c.Add(1) },
		"Set":      func() { _ = g.Set(1) },
		"GaugeAdd": func() { _ = g.Add(1) },
		"NowNs":    func() { _ = NowNs() },
	} {
		if n := testing.AllocsPerRun(200, f); n != 0 {
			t.Errorf("%s: %g allocations per call, want 0", name, n)
		}
	}
}

func TestMetricsExport(t *testing.T) {
	m := newMetrics(t, MetricsOptions{})
	tm, err := m.Timer("lid.encoder_forward", WithHelp("encoder forward pass"))
	noErr(t, err)
	_, err = m.Timer("stage", WithLabel("name", `a"b\c`))
	noErr(t, err)
	c, err := m.Counter("requests")
	noErr(t, err)
	g, err := m.Gauge("queue.depth")
	noErr(t, err)
	noErr(t, tm.Record(3*time.Millisecond))
	noErr(t, c.Add(7))
	noErr(t, g.Set(4))
	prom, err := m.Export(MetricsPrometheus, false)
	noErr(t, err)
	for _, want := range []string{
		"# HELP lid_encoder_forward_seconds encoder forward pass",
		"# TYPE lid_encoder_forward_seconds histogram",
		`lid_encoder_forward_seconds_bucket{le="+Inf"} 1`,
		"lid_encoder_forward_seconds_count 1",
		`stage_seconds_count{name="a\"b\\c"} 0`,
		"# TYPE requests_total counter", "requests_total 7",
		"# TYPE queue_depth gauge", "queue_depth 4",
	} {
		if !strings.Contains(prom, want) {
			t.Fatalf("Prometheus export lacks %q:\n%s", want, prom)
		}
	}
	if strings.Contains(prom, "\x00") || !strings.HasSuffix(prom, "\n") {
		t.Fatalf("Prometheus export ends badly: %q", prom[len(prom)-20:])
	}
	sum, err := m.Export(MetricsPrometheus, true)
	noErr(t, err)
	if !strings.Contains(sum, "# TYPE lid_encoder_forward_seconds summary") ||
		!strings.Contains(sum, `lid_encoder_forward_seconds{quantile="0.99"}`) {
		t.Fatalf("summary export:\n%s", sum)
	}
	js, err := m.Export(MetricsJSON, false)
	noErr(t, err)
	var doc struct {
		Timers   []map[string]interface{} `json:"timers"`
		Counters []map[string]interface{} `json:"counters"`
		Gauges   []map[string]interface{} `json:"gauges"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("JSON export does not parse: %v\n%s", err, js)
	}
	if len(doc.Timers) != 2 || len(doc.Counters) != 1 || len(doc.Gauges) != 1 || !strings.Contains(js, "lid_encoder_forward_seconds") {
		t.Fatalf("JSON export:\n%s", js)
	}
	table, err := m.Export(MetricsTable, false)
	noErr(t, err)
	if !strings.Contains(table, "lid.encoder_forward") || !strings.Contains(table, "requests") {
		t.Fatalf("table export:\n%s", table)
	}
	_, err = m.Export(MetricsFormat(9), false)
	wantErr(t, err, ErrInvalidArgument)
	// Larger than the first guess: the needed-size protocol takes over.
	for i := 0; i < 60; i++ {
		_, err := m.Timer(fmt.Sprintf("timer_%02d", i))
		noErr(t, err)
	}
	big, err := m.Export(MetricsPrometheus, false)
	noErr(t, err)
	if len(big) < 2*exportHintInit || !strings.Contains(big, "timer_59_seconds_count 0\n") {
		t.Fatalf("large export: %d bytes", len(big))
	}
	again, err := m.Export(MetricsPrometheus, false)
	noErr(t, err)
	if again != big {
		t.Fatal("a second export differs")
	}
}

func TestMetricsSnapshot(t *testing.T) {
	m := newMetrics(t, MetricsOptions{})
	tm, _ := m.Timer("lat")
	c, _ := m.Counter("ops")
	g, _ := m.Gauge("lvl")
	for i := 1; i <= 100; i++ {
		noErr(t, tm.RecordNs(int64(i)))
	}
	noErr(t, c.Add(5))
	noErr(t, g.Set(-2))
	s, err := m.SnapshotAndReset()
	noErr(t, err)
	defer s.Close()
	if s.Count() != 3 {
		t.Fatalf("snapshot Count = %d", s.Count())
	}
	st, err := s.TimerStats(tm.ID())
	noErr(t, err)
	if st.Count != 100 || st.SumNs != 5050 || st.MinNs != 1 || st.MaxNs != 100 {
		t.Fatalf("snapshot stats %+v", st)
	}
	p, err := s.Percentile(tm.ID(), 1)
	noErr(t, err)
	if p != 100 {
		t.Fatalf("snapshot p100 = %v", p)
	}
	cv, err := s.Counter(c.ID())
	noErr(t, err)
	gv, err := s.Gauge(g.ID())
	noErr(t, err)
	if cv != 5 || gv != -2 {
		t.Fatalf("snapshot counter %d gauge %g", cv, gv)
	}
	id, kind, err := s.Find("ops")
	noErr(t, err)
	if id != c.ID() || kind != MetricCounter {
		t.Fatalf("snapshot Find = %d %v", id, kind)
	}
	_, err = s.Counter(tm.ID())
	wantErr(t, err, ErrInvalidArgument)
	text, err := s.Export(MetricsPrometheus, false)
	noErr(t, err)
	if !strings.Contains(text, "lat_seconds_count 100") || !strings.Contains(text, "ops_total 5") {
		t.Fatalf("snapshot export:\n%s", text)
	}
	// The reset emptied the timer, not the counter.
	live, err := tm.Stats()
	noErr(t, err)
	lc, _ := c.Value()
	if live.Count != 0 || lc != 5 {
		t.Fatalf("after reset: timer count %d, counter %d", live.Count, lc)
	}
	_, err = tm.Percentile(0.5)
	wantErr(t, err, ErrEmpty)
	plain, err := m.Snapshot()
	noErr(t, err)
	noErr(t, plain.Close())
	noErr(t, plain.Close())
}

func TestMetricsMerge(t *testing.T) {
	a := newMetrics(t, MetricsOptions{})
	b := newMetrics(t, MetricsOptions{})
	at, _ := a.Timer("lat")
	ac, _ := a.Counter("ops")
	bt, _ := b.Timer("lat")
	bc, _ := b.Counter("ops")
	bg, _ := b.Gauge("only_in_b")
	noErr(t, at.RecordNs(10))
	noErr(t, bt.RecordNs(30))
	noErr(t, ac.Add(1))
	noErr(t, bc.Add(2))
	noErr(t, bg.Set(9))
	noErr(t, a.Merge(b))
	st, _ := at.Stats()
	v, _ := ac.Value()
	if st.Count != 2 || st.SumNs != 40 || st.MaxNs != 30 || v != 3 {
		t.Fatalf("after Merge: %+v, counter %d", st, v)
	}
	id, kind, err := a.Find("only_in_b")
	noErr(t, err)
	if kind != MetricGauge {
		t.Fatalf("merged kind %v", kind)
	}
	gv, _ := Gauge{m: a, id: id}.Value()
	wantVal(t, "merged gauge", gv, 9)

	// Snapshot into registry, and snapshot into snapshot.
	sb, err := b.Snapshot()
	noErr(t, err)
	defer sb.Close()
	noErr(t, a.MergeSnapshot(sb))
	v, _ = ac.Value()
	if v != 5 {
		t.Fatalf("after MergeSnapshot: counter %d, want 5", v)
	}
	sa, err := a.Snapshot()
	noErr(t, err)
	defer sa.Close()
	noErr(t, sa.Merge(sb))
	sv, _ := sa.Counter(ac.ID())
	if sv != 7 {
		t.Fatalf("after snapshot Merge: counter %d, want 7", sv)
	}
	wantErr(t, sa.Merge(sa), ErrInvalidArgument)

	// A kind conflict fails and leaves dst unchanged.
	c := newMetrics(t, MetricsOptions{})
	_, err = c.Counter("lat")
	noErr(t, err)
	before, _ := a.Export(MetricsJSON, false)
	wantErr(t, a.Merge(c), ErrInvalidArgument)
	after, _ := a.Export(MetricsJSON, false)
	if before != after {
		t.Fatal("a failed merge changed dst")
	}
}

func TestMetricsBadInput(t *testing.T) {
	m := newMetrics(t, MetricsOptions{MaxMetrics: 4})
	_, err := m.Timer("lid.encoder_forward")
	noErr(t, err)
	// lid_encoder_forward exports as the same lid_encoder_forward_seconds.
	_, err = m.Timer("lid_encoder_forward")
	wantErr(t, err, ErrInvalidArgument, "lid.encoder_forward")
	_, err = m.Timer("lid_encoder_forward_seconds")
	wantErr(t, err, ErrInvalidArgument)
	_, err = m.Counter("lid.encoder_forward") // same name, another kind
	wantErr(t, err, ErrInvalidArgument)
	for _, bad := range []string{"", "...", "__", strings.Repeat("x", MetricsMaxName+1)} {
		_, err = m.Gauge(bad)
		wantErr(t, err, ErrInvalidArgument)
	}
	_, err = m.Counter("a\x00b")
	wantErr(t, err, ErrInvalidArgument, "NUL")
	_, err = m.Counter("x", WithHelp("h\x00"))
	wantErr(t, err, ErrInvalidArgument, "help")
	_, err = m.Timer("lab", WithLabel("le", "1"))
	wantErr(t, err, ErrInvalidArgument)
	_, err = m.Timer("lab", WithLabel("1bad", "1"))
	wantErr(t, err, ErrInvalidArgument)
	_, err = m.Timer("lab", WithLabel("a", "1"), WithLabel("a", "2"))
	wantErr(t, err, ErrInvalidArgument)
	many := []MetricOption{}
	for i := 0; i <= MetricsMaxLabels; i++ {
		many = append(many, WithLabel(fmt.Sprintf("l%d", i), "v"))
	}
	_, err = m.Timer("lab", many...)
	wantErr(t, err, ErrInvalidArgument)
	_, err = m.Timer("lab", nil) // a nil option is ignored
	noErr(t, err)
	_, err = m.Counter("c1")
	noErr(t, err)
	_, err = m.Counter("c2")
	noErr(t, err)
	_, err = m.Counter("c3")
	wantErr(t, err, ErrFull)
	if m.Count() != 4 {
		t.Fatalf("Count = %d, want 4", m.Count())
	}
	// The zero handles and a nil registry: errors, no crash.
	wantErr(t, Timer{}.RecordNs(1), ErrInvalidArgument)
	wantErr(t, Counter{}.Add(1), ErrInvalidArgument)
	wantErr(t, Gauge{}.Set(1), ErrInvalidArgument)
	_, err = (*Metrics)(nil).Timer("x")
	wantErr(t, err, ErrInvalidArgument)
	_, err = (*MetricsSnapshot)(nil).Export(MetricsJSON, false)
	wantErr(t, err, ErrInvalidArgument)
	// Bad options.
	for _, o := range []MetricsOptions{
		{SignificantDigits: 6}, {LowestNs: -1}, {MaxMetrics: 65537},
		{LowestNs: 100, HighestNs: 150}, {HighestNs: 1<<62 + 1},
		{PromBuckets: []float64{1, 0.5}}, {PromBuckets: []float64{math.Inf(1)}},
		{PromBuckets: make([]float64, MetricsMaxPromBuckets+1)},
	} {
		if m, err := NewMetrics(o); err == nil {
			m.Close()
			t.Fatalf("NewMetrics(%+v) succeeded", o)
		} else {
			wantErr(t, err, ErrInvalidArgument)
		}
	}
	custom, err := NewMetrics(MetricsOptions{LowestNs: 1000, HighestNs: 10_000_000_000, SignificantDigits: 3,
		PromBuckets: []float64{0.001, 0.01, 0.1}})
	noErr(t, err)
	defer custom.Close()
	ct, _ := custom.Timer("x")
	noErr(t, ct.Record(5*time.Millisecond))
	text, _ := custom.Export(MetricsPrometheus, false)
	if !strings.Contains(text, `x_seconds_bucket{le="0.01"} 1`) || strings.Contains(text, `le="0.025"`) {
		t.Fatalf("custom buckets:\n%s", text)
	}
}

func TestMetricsClose(t *testing.T) {
	m, err := NewMetrics(MetricsOptions{})
	noErr(t, err)
	tm, _ := m.Timer("t")
	c, _ := m.Counter("c")
	g, _ := m.Gauge("g")
	s, err := m.Snapshot()
	noErr(t, err)
	noErr(t, m.Close())
	noErr(t, m.Close())
	closed := func(err error) {
		t.Helper()
		wantErr(t, err, ErrInvalidArgument, "closed")
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("%v does not match ErrClosed", err)
		}
	}
	closed(tm.RecordNs(1))
	closed(tm.Record(1))
	closed(tm.Since(NowNs()))
	tm.Start()() // ignores the error
	m.Time("t")()
	_, err = tm.Stats()
	closed(err)
	_, err = tm.Percentile(0.5)
	closed(err)
	closed(c.Add(1))
	_, err = c.Value()
	closed(err)
	closed(g.Set(1))
	closed(g.Add(1))
	_, err = g.Value()
	closed(err)
	_, err = m.Timer("u")
	closed(err)
	_, err = m.Counter("u")
	closed(err)
	_, err = m.Gauge("u")
	closed(err)
	_, _, err = m.Find("t")
	closed(err)
	_, err = m.Export(MetricsJSON, false)
	closed(err)
	_, err = m.Snapshot()
	closed(err)
	_, err = m.SnapshotAndReset()
	closed(err)
	closed(m.MergeSnapshot(s))
	other := newMetrics(t, MetricsOptions{})
	closed(other.Merge(m))
	closed(m.Merge(other))
	if m.Count() != 0 {
		t.Fatal("Count after Close")
	}
	// The snapshot outlives its registry.
	n, err := s.Counter(c.ID())
	noErr(t, err)
	if n != 0 {
		t.Fatal(n)
	}
	noErr(t, s.Close())
	noErr(t, s.Close())
	_, err = s.Export(MetricsJSON, false)
	closed(err)
	_, err = s.TimerStats(tm.ID())
	closed(err)
	_, err = s.Percentile(tm.ID(), 0.5)
	closed(err)
	_, err = s.Counter(c.ID())
	closed(err)
	_, err = s.Gauge(g.ID())
	closed(err)
	_, _, err = s.Find("t")
	closed(err)
	s2, _ := other.Snapshot()
	defer s2.Close()
	closed(s.Merge(s2))
	closed(s2.Merge(s))
	closed(other.MergeSnapshot(s))
	if s.Count() != 0 {
		t.Fatal("snapshot Count after Close")
	}
	noErr(t, (*Metrics)(nil).Close())
	noErr(t, (*MetricsSnapshot)(nil).Close())
}

// Close while goroutines record: the recorders get ErrClosed, never a
// crash; the registry is released by the last call.
func TestMetricsCloseWhileRecording(t *testing.T) {
	m, err := NewMetrics(MetricsOptions{})
	noErr(t, err)
	tm, _ := m.Timer("t")
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := 0; ; i++ {
				if err := tm.RecordNs(int64(i)); err != nil {
					if !errors.Is(err, ErrClosed) {
						t.Error(err)
					}
					return
				}
			}
		}()
	}
	close(start)
	time.Sleep(5 * time.Millisecond)
	noErr(t, m.Close())
	wg.Wait()
	if m.destroyed != 1 {
		t.Fatal("the registry was not released")
	}
}

func ExampleMetrics() {
	m, err := NewMetrics(MetricsOptions{})
	if err != nil {
		panic(err)
	}
	defer m.Close()
	forward, _ := m.Timer("lid.encoder_forward")
	for _, us := range []int{100, 200, 300} {
		forward.Record(time.Duration(us) * time.Microsecond)
	}
	func() {
		defer m.Time("lid.decode")() // registered on first use
	}()
	s, _ := forward.Stats()
	p100, _ := forward.Percentile(1)
	fmt.Println(s.Count, s.Mean(), p100)
	text, _ := m.Export(MetricsPrometheus, false)
	fmt.Println(strings.Contains(text, "lid_encoder_forward_seconds_count 3"))
	// Output:
	// 3 200µs 300µs
	// true
}
