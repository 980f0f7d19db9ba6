package core

import (
	"math"
	"testing"

	"libcore.dev/core/internal/cbench"
)

// Benchmarks of the binding (run by `meson test --benchmark --suite bench`,
// which prints these figures and the ratio; see README.md). Nothing here
// asserts on time.

var (
	sinkSummary Summary
	sinkF       float64
)

func benchData(n int) []float32 {
	x := make([]float32, n)
	g := lcg(42)
	for i := range x {
		x[i] = float32(g.uniform()*4 - 1)
	}
	return x
}

// The per-call cost of Stats: n = 1000 (the target) and n = 0 (the
// binding's fixed cost: cgo transition, pointer checks, pooled out-cells,
// error check). BenchmarkStatsFromC and BenchmarkCgoFloor (an empty cgo
// call) are the references.
func BenchmarkStats(b *testing.B) {
	for _, n := range []int{0, 1000} {
		x := benchData(n)
		b.Run(map[int]string{0: "n=0", 1000: "n=1000"}[n], func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				s, err := Stats(x, NanPropagate)
				if err != nil {
					b.Fatal(err)
				}
				sinkSummary = s
			}
		})
	}
}

// The same core_stats_f32 call from a C loop: what the kernel costs with
// no binding at all, measured in the same run.
func BenchmarkStatsFromC(b *testing.B) {
	x := benchData(1000)
	b.Run("n=1000", func(b *testing.B) {
		if err := cbench.StatsLoopF32(x, b.N); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkCgoFloor(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sinkF = float64(NumThreads())
	}
}

// goLoopStats is the straightforward Go computation of min, max, mean and
// variance: one pass for min, max and the sum, one for the squared
// deviations, in float64.
func goLoopStats(x []float32) (lo, hi, mean, variance float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	var sum float64
	for _, v := range x {
		f := float64(v)
		if f < lo {
			lo = f
		}
		if f > hi {
			hi = f
		}
		sum += f
	}
	mean = sum / float64(len(x))
	var m2 float64
	for _, v := range x {
		d := float64(v) - mean
		m2 += d * d
	}
	return lo, hi, mean, m2 / float64(len(x))
}

// n = 1e6: the binding (default threads, and 1 thread) against the Go loop.
func BenchmarkStats1e6(b *testing.B) {
	x := benchData(1000000)
	b.Run("binding", func(b *testing.B) {
		b.SetBytes(4e6)
		for i := 0; i < b.N; i++ {
			s, err := Stats(x, NanPropagate)
			if err != nil {
				b.Fatal(err)
			}
			v, _ := s.Variance(0)
			sinkF = s.Min + s.Max + s.Mean + v
		}
	})
	b.Run("binding_1thread", func(b *testing.B) {
		defer SetNumThreads(0)
		if err := SetNumThreads(1); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(4e6)
		for i := 0; i < b.N; i++ {
			s, err := Stats(x, NanPropagate)
			if err != nil {
				b.Fatal(err)
			}
			sinkF = s.Min + s.Max + s.Mean + s.M2
		}
	})
	b.Run("go_loop", func(b *testing.B) {
		b.SetBytes(4e6)
		for i := 0; i < b.N; i++ {
			lo, hi, mean, v := goLoopStats(x)
			sinkF = lo + hi + mean + v
		}
	})
}

// The Go loop computes what the binding does.
func TestGoLoopMatchesStats(t *testing.T) {
	x := benchData(100003)
	lo, hi, mean, v := goLoopStats(x)
	s, err := Stats(x, NanPropagate)
	noErr(t, err)
	sv, err := s.Variance(0)
	noErr(t, err)
	if lo != s.Min || hi != s.Max {
		t.Fatalf("min/max %g %g vs %g %g", lo, hi, s.Min, s.Max)
	}
	wantNear(t, "mean", mean, s.Mean, 1e-10)
	wantNear(t, "variance", v, sv, 1e-10)
}

// BatchStats over 10,000 arrays of 1,000 float32 (issue 5's batch shape),
// through each path of the binding, against a Go loop of Stats calls:
// flat (BatchStatsFlat, zero-copy), shared (sub-slices of one buffer,
// zero-copy through offsets), separate (10,000 allocations: the values are
// copied into the pooled buffer first).
func BenchmarkBatchStats(b *testing.B) {
	const count, n = 10000, 1000
	flat := benchData(count * n)
	lens := make([]int, count)
	shared := make([][]float32, count)
	separate := make([][]float32, count)
	for i := range lens {
		lens[i] = n
		shared[i] = flat[i*n : (i+1)*n]
		separate[i] = append([]float32(nil), shared[i]...)
	}
	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(4 * count * n)
			for i := 0; i < b.N; i++ {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("flat", func() error { _, err := BatchStatsFlat(flat, lens, NanPropagate); return err })
	run("shared", func() error { _, err := BatchStats(shared, NanPropagate); return err })
	run("separate", func() error { _, err := BatchStats(separate, NanPropagate); return err })
	run("stats_loop", func() error {
		for _, a := range separate {
			s, err := Stats(a, NanPropagate)
			if err != nil {
				return err
			}
			sinkSummary = s
		}
		return nil
	})
}

// A 1024-float chunk appended and popped through a 64 Ki-float ring on one
// goroutine (issue 6's single-thread shape): two cgo calls per chunk.
func BenchmarkRingAppendPop(b *testing.B) {
	for _, m := range []RingMirror{MirrorOff, MirrorOn} {
		b.Run(map[RingMirror]string{MirrorOff: "plain", MirrorOn: "mirror"}[m], func(b *testing.B) {
			r, err := NewRingBuffer(RingOptions{Capacity: 1 << 16, Mirror: m})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			in, out := benchData(1024), make([]float32, 1024)
			b.SetBytes(4 * 1024)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := r.Append(in); err != nil {
					b.Fatal(err)
				}
				if _, err := r.Pop(out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
