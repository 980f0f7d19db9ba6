package core

import (
	"math"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// NanPolicy says what a reduction does with NaN inputs (core_nan_policy).
type NanPolicy int

const (
	// NanPropagate: a NaN makes the result NaN (np.std, np.mean).
	NanPropagate NanPolicy = 0
	// NanOmit: NaNs are skipped and counted (np.nanstd).
	NanOmit NanPolicy = 1
)

// Summary is a mergeable one-pass summary of a sample (core_stats_t, same
// memory layout). Plain data: copy, store and merge it freely, e.g. one per
// stream chunk or per goroutine.
//
// An empty sample (no values, or only NaNs under NanOmit) has Count 0,
// Sum 0 and NaN Min, Max, Mean and M2. Under NanPropagate a NaN makes Min,
// Max, Sum, Mean and M2 NaN; NanCount counts NaNs under both policies.
type Summary struct {
	Count    uint64  // values summarized (NaNs excluded under NanOmit)
	NanCount uint64  // NaNs seen
	Min      float64 // smallest value
	Max      float64 // largest value
	Sum      float64 // sum of the values
	Mean     float64 // arithmetic mean
	M2       float64 // sum of squared deviations from the mean
}

// Summary must be core_stats_t, field by field: a mismatch is a
// constant index out of range here, at compile time.
func _() {
	var x [1]struct{}
	var s Summary
	_ = x[capi.StatsSize-unsafe.Sizeof(s)]
	_ = x[unsafe.Sizeof(s)-capi.StatsSize]
	_ = x[capi.StatsOffCount-unsafe.Offsetof(s.Count)]
	_ = x[capi.StatsOffNanCount-unsafe.Offsetof(s.NanCount)]
	_ = x[capi.StatsOffMin-unsafe.Offsetof(s.Min)]
	_ = x[capi.StatsOffMax-unsafe.Offsetof(s.Max)]
	_ = x[capi.StatsOffSum-unsafe.Offsetof(s.Sum)]
	_ = x[capi.StatsOffMean-unsafe.Offsetof(s.Mean)]
	_ = x[capi.StatsOffM2-unsafe.Offsetof(s.M2)]
}

// Stats summarizes x in one pass (core_stats_f32): count, NaN count, min,
// max, sum, mean and M2, all in float64. An empty x is not an error (see
// Summary). ErrInvalidArgument for a NanPolicy outside the enum.
func Stats(x []float32, nan NanPolicy) (Summary, error) {
	c := getCells()
	r := capi.Core_stats_f32(x, int64(len(x)), int(nan), unsafe.Pointer(&c.sum[0]))
	return c.summary("core.Stats", r)
}

// StatsF64 is Stats for float64 (core_stats_f64).
func StatsF64(x []float64, nan NanPolicy) (Summary, error) {
	c := getCells()
	r := capi.Core_stats_f64(x, int64(len(x)), int(nan), unsafe.Pointer(&c.sum[0]))
	return c.summary("core.StatsF64", r)
}

// Merge returns the summary of the union of the two samples (Chan et al.
// pairwise update, core_stats_merge). An empty summary is the identity.
// ErrInvalidArgument when the counts would overflow.
func (s Summary) Merge(other Summary) (Summary, error) {
	c := getCells()
	c.sum[1], c.sum[2] = s, other
	r := capi.Core_stats_merge(unsafe.Pointer(&c.sum[1]), unsafe.Pointer(&c.sum[2]),
		unsafe.Pointer(&c.sum[0]))
	return c.summary("core.Summary.Merge", r)
}

// Variance is M2 / (Count - ddof) (core_stats_var): NaN, not an error,
// when Count <= ddof, as NumPy. A negative ddof is ErrInvalidArgument.
func (s Summary) Variance(ddof int) (float64, error) {
	return s.moment("core.Summary.Variance", ddof, false)
}

// Std is the square root of Variance(ddof) (core_stats_std).
func (s Summary) Std(ddof int) (float64, error) {
	return s.moment("core.Summary.Std", ddof, true)
}

func (s *Summary) moment(op string, ddof int, std bool) (float64, error) {
	d, err := checkDdof(op, ddof)
	if err != nil {
		return math.NaN(), err
	}
	c := getCells()
	c.sum[0] = *s
	var r int64
	if std {
		r = capi.Core_stats_std(unsafe.Pointer(&c.sum[0]), d, c.f[:])
	} else {
		r = capi.Core_stats_var(unsafe.Pointer(&c.sum[0]), d, c.f[:])
	}
	return c.float(op, r)
}
