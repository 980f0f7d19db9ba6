package core

import (
	"math"
	"testing"
	"unsafe"
)

// statsBoth runs Stats and StatsF64 on the same values.
func statsBoth(t *testing.T, x []float64, nan NanPolicy) [2]Summary {
	t.Helper()
	s32, err := Stats(toF32(x), nan)
	noErr(t, err)
	s64, err := StatsF64(x, nan)
	noErr(t, err)
	return [2]Summary{s32, s64}
}

func wantSummary(t *testing.T, what string, got, want Summary) {
	t.Helper()
	if got.Count != want.Count || got.NanCount != want.NanCount || !same(got.Min, want.Min) ||
		!same(got.Max, want.Max) || !same(got.Sum, want.Sum) || !same(got.Mean, want.Mean) ||
		!same(got.M2, want.M2) {
		t.Fatalf("%s: %+v, want %+v", what, got, want)
	}
}

func TestSummaryLayout(t *testing.T) {
	var s Summary
	if unsafe.Sizeof(s) != 56 || unsafe.Offsetof(s.M2) != 48 {
		t.Fatalf("Summary: size %d, M2 at %d", unsafe.Sizeof(s), unsafe.Offsetof(s.M2))
	}
}

func TestStatsKnown(t *testing.T) {
	nan := math.NaN()
	for _, p := range []NanPolicy{NanPropagate, NanOmit} {
		for _, s := range statsBoth(t, []float64{1, 2, 3, 4}, p) {
			wantSummary(t, "[1 2 3 4]", s, Summary{4, 0, 1, 4, 10, 2.5, 5})
		}
		for _, s := range statsBoth(t, []float64{-3.5}, p) {
			wantSummary(t, "[-3.5]", s, Summary{1, 0, -3.5, -3.5, -3.5, -3.5, 0})
		}
		for _, s := range statsBoth(t, []float64{-1, -2, -3, -4, -10}, p) {
			wantSummary(t, "negatives", s, Summary{5, 0, -10, -1, -20, -4, 50})
		}
		// infinities follow IEEE as NumPy: mean of [1, inf] is inf, variance NaN
		for _, s := range statsBoth(t, []float64{1, math.Inf(1)}, p) {
			wantSummary(t, "[1 inf]", s, Summary{2, 0, 1, math.Inf(1), math.Inf(1), math.Inf(1), nan})
		}
	}
}

func TestStatsNanPolicies(t *testing.T) {
	nan := math.NaN()
	x := []float64{1, nan, 2, 3, nan, 4}
	for _, s := range statsBoth(t, x, NanPropagate) {
		wantSummary(t, "propagate", s, Summary{6, 2, nan, nan, nan, nan, nan})
	}
	for _, s := range statsBoth(t, x, NanOmit) {
		wantSummary(t, "omit", s, Summary{4, 2, 1, 4, 10, 2.5, 5})
	}
	// all NaN under OMIT: an empty sample, NaNs counted
	for _, s := range statsBoth(t, []float64{nan, nan, nan}, NanOmit) {
		wantSummary(t, "all NaN omit", s, Summary{0, 3, nan, nan, 0, nan, nan})
	}
	for _, s := range statsBoth(t, []float64{nan, nan, nan}, NanPropagate) {
		wantSummary(t, "all NaN propagate", s, Summary{3, 3, nan, nan, nan, nan, nan})
	}
}

// n == 0 is not an error for Stats: count 0, sum 0, NaN moments. nil and
// empty slices alike.
func TestStatsEmpty(t *testing.T) {
	nan := math.NaN()
	empty := Summary{0, 0, nan, nan, 0, nan, nan}
	for _, p := range []NanPolicy{NanPropagate, NanOmit} {
		s, err := Stats(nil, p)
		noErr(t, err)
		wantSummary(t, "nil", s, empty)
		s, err = Stats([]float32{}, p)
		noErr(t, err)
		wantSummary(t, "empty", s, empty)
		s, err = StatsF64(nil, p)
		noErr(t, err)
		wantSummary(t, "nil f64", s, empty)
		v, err := s.Variance(0)
		noErr(t, err)
		wantVal(t, "variance of empty", v, nan)
	}
}

func TestStatsBadPolicy(t *testing.T) {
	for _, p := range []NanPolicy{2, -1, 1000} {
		_, err := Stats([]float32{1, 2}, p)
		wantErr(t, err, ErrInvalidArgument, "core_stats_f32")
		_, err = StatsF64([]float64{1, 2}, p)
		wantErr(t, err, ErrInvalidArgument, "core_stats_f64")
		_, err = Stats(nil, p)
		wantErr(t, err, ErrInvalidArgument)
	}
}

// Random data of sizes around the SIMD, block and parallel boundaries
// against a float64 two-pass reference.
func TestStatsRandomVsReference(t *testing.T) {
	for _, n := range []int{1, 7, 16, 17, 2047, 2048, 2049, 4097, 100003, 1000003} {
		x64 := randF64(uint64(1000+n), n, -2, 6)
		x32 := toF32(x64)
		for d, x := range [][]float64{toF64(x32), x64} {
			mean, m2 := twoPass(x)
			lo, hi := x[0], x[0]
			for _, v := range x {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			var s Summary
			var err error
			if d == 0 {
				s, err = Stats(x32, NanOmit)
			} else {
				s, err = StatsF64(x64, NanOmit)
			}
			noErr(t, err)
			if s.Count != uint64(n) || s.Min != lo || s.Max != hi {
				t.Fatalf("n=%d dtype %d: count %d min %g max %g", n, d, s.Count, s.Min, s.Max)
			}
			wantNear(t, "mean", s.Mean, mean, 1e-13)
			wantNear(t, "m2", s.M2, m2, 1e-11)
			wantNear(t, "sum", s.Sum, mean*float64(n), 1e-12)
		}
	}
}

func TestSummaryVarianceStd(t *testing.T) {
	s, err := Stats(f32s(1, 2, 3, 4), NanPropagate)
	noErr(t, err)
	v, err := s.Variance(0)
	noErr(t, err)
	wantVal(t, "var ddof 0", v, 1.25)
	v, err = s.Variance(1)
	noErr(t, err)
	wantNear(t, "var ddof 1", v, 5.0/3.0, 1e-15)
	sd, err := s.Std(0)
	noErr(t, err)
	wantVal(t, "std ddof 0", sd, math.Sqrt(1.25))
	for _, ddof := range []int{4, 5, math.MaxUint32} { // count <= ddof: NaN, as NumPy
		v, err = s.Variance(ddof)
		noErr(t, err)
		wantVal(t, "var ddof >= n", v, math.NaN())
	}
	v, err = s.Variance(-1)
	wantErr(t, err, ErrInvalidArgument, "ddof = -1")
	wantVal(t, "value on error", v, math.NaN())
	_, err = s.Std(-3)
	wantErr(t, err, ErrInvalidArgument, "ddof")
	_, err = s.Std(math.MaxUint32 + 1)
	wantErr(t, err, ErrInvalidArgument, "ddof")
}

func TestSummaryMerge(t *testing.T) {
	a, err := Stats(f32s(1, 2), NanPropagate)
	noErr(t, err)
	b, err := StatsF64([]float64{3, 4}, NanPropagate)
	noErr(t, err)
	m, err := a.Merge(b)
	noErr(t, err)
	wantSummary(t, "merge", m, Summary{4, 0, 1, 4, 10, 2.5, 5})
	empty, err := Stats(nil, NanPropagate)
	noErr(t, err)
	m, err = a.Merge(empty)
	noErr(t, err)
	wantSummary(t, "a + empty", m, a)
	m, err = empty.Merge(a)
	noErr(t, err)
	wantSummary(t, "empty + a", m, a)

	// merging the pieces of a split sample matches the whole
	x := toF32(randF64(3, 100003, 1, 9))
	whole, err := Stats(x, NanPropagate)
	noErr(t, err)
	for _, k := range []int{0, 1, 33333, 100002, 100003} {
		l, err := Stats(x[:k], NanPropagate)
		noErr(t, err)
		r, err := Stats(x[k:], NanPropagate)
		noErr(t, err)
		m, err := l.Merge(r)
		noErr(t, err)
		if m.Count != whole.Count || m.Min != whole.Min || m.Max != whole.Max {
			t.Fatalf("split %d: %+v vs %+v", k, m, whole)
		}
		wantNear(t, "merged mean", m.Mean, whole.Mean, 1e-14)
		wantNear(t, "merged m2", m.M2, whole.M2, 1e-12)
	}

	// counts that would overflow are refused by libcore
	huge := Summary{Count: math.MaxUint64, Min: 1, Max: 1, Sum: 1, Mean: 1}
	_, err = huge.Merge(a)
	wantErr(t, err, ErrInvalidArgument, "core_stats_merge")
}
