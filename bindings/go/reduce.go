package core

import (
	"math"

	"libcore.dev/core/internal/capi"
)

// The NumPy-named reductions of include/core/stats.h. NaN propagates
// (np.min, np.mean...) except where a NanPolicy is taken. Results are
// float64 for both dtypes.

type rawF32 func(x []float32, n int64, out []float64) int64
type rawF64 func(x []float64, n int64, out []float64) int64

func scalarF32(op string, f rawF32, x []float32) (float64, error) {
	c := getCells()
	return c.float(op, f(x, int64(len(x)), c.f[:]))
}

func scalarF64(op string, f rawF64, x []float64) (float64, error) {
	c := getCells()
	return c.float(op, f(x, int64(len(x)), c.f[:]))
}

// Min is the smallest value of x (np.min; NaN if x holds a NaN).
// ErrEmpty for an empty x, as NumPy raises.
func Min(x []float32) (float64, error) { return scalarF32("core.Min", capi.Core_min_f32, x) }

// MinF64 is Min for float64.
func MinF64(x []float64) (float64, error) { return scalarF64("core.MinF64", capi.Core_min_f64, x) }

// Max is the largest value of x (np.max; NaN if x holds a NaN).
// ErrEmpty for an empty x.
func Max(x []float32) (float64, error) { return scalarF32("core.Max", capi.Core_max_f32, x) }

// MaxF64 is Max for float64.
func MaxF64(x []float64) (float64, error) { return scalarF64("core.MaxF64", capi.Core_max_f64, x) }

// Mean is the arithmetic mean of x (np.mean): NaN, not an error, for an
// empty x.
func Mean(x []float32) (float64, error) { return scalarF32("core.Mean", capi.Core_mean_f32, x) }

// MeanF64 is Mean for float64.
func MeanF64(x []float64) (float64, error) { return scalarF64("core.MeanF64", capi.Core_mean_f64, x) }

// Energy is the mean of x[i]^2: NaN for an empty x.
func Energy(x []float32) (float64, error) { return scalarF32("core.Energy", capi.Core_energy_f32, x) }

// EnergyF64 is Energy for float64.
func EnergyF64(x []float64) (float64, error) {
	return scalarF64("core.EnergyF64", capi.Core_energy_f64, x)
}

// Rms is the square root of Energy: NaN for an empty x.
func Rms(x []float32) (float64, error) { return scalarF32("core.Rms", capi.Core_rms_f32, x) }

// RmsF64 is Rms for float64.
func RmsF64(x []float64) (float64, error) { return scalarF64("core.RmsF64", capi.Core_rms_f64, x) }

// ZeroCrossingRate is the fraction of adjacent pairs whose signs differ,
// with 0 and -0 counted as positive and NaN as negative (librosa,
// zero_pos=True): crossings / (len(x) - 1). NaN for fewer than 2 values.
func ZeroCrossingRate(x []float32) (float64, error) {
	return scalarF32("core.ZeroCrossingRate", capi.Core_zero_crossing_rate_f32, x)
}

// ZeroCrossingRateF64 is ZeroCrossingRate for float64.
func ZeroCrossingRateF64(x []float64) (float64, error) {
	return scalarF64("core.ZeroCrossingRateF64", capi.Core_zero_crossing_rate_f64, x)
}

// Var is the variance of x with ddof delta degrees of freedom (np.var):
// NaN, not an error, for len(x) <= ddof. A negative ddof is
// ErrInvalidArgument.
func Var(x []float32, ddof int) (float64, error) {
	return ddofF32("core.Var", capi.Core_var_f32, x, ddof)
}

// VarF64 is Var for float64.
func VarF64(x []float64, ddof int) (float64, error) {
	return ddofF64("core.VarF64", capi.Core_var_f64, x, ddof)
}

// Std is the standard deviation of x with ddof (np.std): the square root
// of Var.
func Std(x []float32, ddof int) (float64, error) {
	return ddofF32("core.Std", capi.Core_std_f32, x, ddof)
}

// StdF64 is Std for float64.
func StdF64(x []float64, ddof int) (float64, error) {
	return ddofF64("core.StdF64", capi.Core_std_f64, x, ddof)
}

func ddofF32(op string, f func([]float32, int64, uint, []float64) int64, x []float32, ddof int) (float64, error) {
	d, err := checkDdof(op, ddof)
	if err != nil {
		return math.NaN(), err
	}
	c := getCells()
	return c.float(op, f(x, int64(len(x)), d, c.f[:]))
}

func ddofF64(op string, f func([]float64, int64, uint, []float64) int64, x []float64, ddof int) (float64, error) {
	d, err := checkDdof(op, ddof)
	if err != nil {
		return math.NaN(), err
	}
	c := getCells()
	return c.float(op, f(x, int64(len(x)), d, c.f[:]))
}

// Dot is sum x[i]*y[i], accumulated in float64: 0 for empty slices.
// ErrInvalidArgument when len(x) != len(y).
func Dot(x, y []float32) (float64, error) {
	return pairF32("core.Dot", capi.Core_dot_f32, x, y)
}

// DotF64 is Dot for float64.
func DotF64(x, y []float64) (float64, error) {
	return pairF64("core.DotF64", capi.Core_dot_f64, x, y)
}

// Corrcoef is the Pearson correlation of x and y (np.corrcoef(x, y)[0, 1]),
// clipped to [-1, 1]. NaN, not an error, for fewer than 2 values, a
// constant input or a NaN input. ErrInvalidArgument when len(x) != len(y).
func Corrcoef(x, y []float32) (float64, error) {
	return pairF32("core.Corrcoef", capi.Core_corrcoef_f32, x, y)
}

// CorrcoefF64 is Corrcoef for float64.
func CorrcoefF64(x, y []float64) (float64, error) {
	return pairF64("core.CorrcoefF64", capi.Core_corrcoef_f64, x, y)
}

func pairF32(op string, f func(x, y []float32, n int64, out []float64) int64, x, y []float32) (float64, error) {
	if len(x) != len(y) {
		return math.NaN(), argError(op, ErrInvalidArgument, "len(x) = %d but len(y) = %d", len(x), len(y))
	}
	c := getCells()
	return c.float(op, f(x, y, int64(len(x)), c.f[:]))
}

func pairF64(op string, f func(x, y []float64, n int64, out []float64) int64, x, y []float64) (float64, error) {
	if len(x) != len(y) {
		return math.NaN(), argError(op, ErrInvalidArgument, "len(x) = %d but len(y) = %d", len(x), len(y))
	}
	c := getCells()
	return c.float(op, f(x, y, int64(len(x)), c.f[:]))
}

// Percentile is the q-th percentile of x, q in [0, 100], with NumPy's
// default linear interpolation (np.percentile, or np.nanpercentile under
// NanOmit). x is not modified; a scratch copy of len(x) values is
// allocated (see PercentileScratch). ErrEmpty when no value remains,
// ErrInvalidArgument for q outside [0, 100] or NaN.
func Percentile(x []float32, q float64, nan NanPolicy) (float64, error) {
	return percentileF32("core.Percentile", x, q, nan, make([]float32, len(x)))
}

// PercentileF64 is Percentile for float64.
func PercentileF64(x []float64, q float64, nan NanPolicy) (float64, error) {
	return percentileF64("core.PercentileF64", x, q, nan, make([]float64, len(x)))
}

// PercentileScratch is Percentile using the caller's scratch slice
// (len(scratch) >= len(x); its contents afterwards are unspecified), so a
// loop need not allocate. A short scratch is ErrBufferTooSmall.
func PercentileScratch(x []float32, q float64, nan NanPolicy, scratch []float32) (float64, error) {
	return percentileF32("core.PercentileScratch", x, q, nan, scratch)
}

// PercentileScratchF64 is PercentileScratch for float64.
func PercentileScratchF64(x []float64, q float64, nan NanPolicy, scratch []float64) (float64, error) {
	return percentileF64("core.PercentileScratchF64", x, q, nan, scratch)
}

func percentileF32(op string, x []float32, q float64, nan NanPolicy, scratch []float32) (float64, error) {
	c := getCells()
	return c.float(op, capi.Core_percentile_f32(x, int64(len(x)), q, int(nan), scratch,
		int64(len(scratch)), c.f[:]))
}

func percentileF64(op string, x []float64, q float64, nan NanPolicy, scratch []float64) (float64, error) {
	c := getCells()
	return c.float(op, capi.Core_percentile_f64(x, int64(len(x)), q, int(nan), scratch,
		int64(len(scratch)), c.f[:]))
}
