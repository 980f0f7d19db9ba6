package core

import "libcore.dev/core/internal/capi"

// Element-wise transforms (include/core/array.h). Each has a form that
// returns a new slice and an ...Into / ...InPlace form that writes into the
// caller's slice without allocating.

// intoLen checks that dst can take len(x) values and returns dst[:len(x)].
func intoLen[D, X any](op string, dst []D, x []X) ([]D, error) {
	if len(dst) < len(x) {
		return nil, argError(op, ErrBufferTooSmall, "len(dst) = %d < len(x) = %d", len(dst), len(x))
	}
	return dst[:len(x)], nil
}

// Cumsum is the running sum of x (np.cumsum), accumulated in float64 with
// compensation and rounded once per element.
func Cumsum(x []float32) ([]float32, error) {
	out := make([]float32, len(x))
	return done("core.Cumsum", out, capi.Core_cumsum_f32(x, int64(len(x)), out))
}

// CumsumF64 is Cumsum for float64.
func CumsumF64(x []float64) ([]float64, error) {
	out := make([]float64, len(x))
	return done("core.CumsumF64", out, capi.Core_cumsum_f64(x, int64(len(x)), out))
}

// CumsumInto writes the running sum of x to dst[:len(x)]. dst may be x
// itself (in place); any other overlap is ErrInvalidArgument (libcore),
// a dst shorter than x ErrBufferTooSmall.
func CumsumInto(dst, x []float32) error {
	const op = "core.CumsumInto"
	d, err := intoLen(op, dst, x)
	if err != nil {
		return err
	}
	return check(op, capi.Core_cumsum_f32(x, int64(len(x)), d))
}

// CumsumIntoF64 is CumsumInto for float64.
func CumsumIntoF64(dst, x []float64) error {
	const op = "core.CumsumIntoF64"
	d, err := intoLen(op, dst, x)
	if err != nil {
		return err
	}
	return check(op, capi.Core_cumsum_f64(x, int64(len(x)), d))
}

// Normalize returns the z-scores (x - mean) / std of x, std with ddof
// (scipy.stats.zscore). Under NanOmit the moments skip NaNs and NaNs stay
// NaN; under NanPropagate a NaN makes every element NaN. An empty x gives
// an empty slice. ErrInvalidArgument (libcore) when the data cannot be
// normalized: std 0 (constant input) or no more values than ddof; also
// for a negative ddof or a bad policy.
func Normalize(x []float32, ddof int, nan NanPolicy) ([]float32, error) {
	out := append(make([]float32, 0, len(x)), x...)
	if err := normalizeF32("core.Normalize", out, ddof, nan); err != nil {
		return nil, err
	}
	return out, nil
}

// NormalizeF64 is Normalize for float64.
func NormalizeF64(x []float64, ddof int, nan NanPolicy) ([]float64, error) {
	out := append(make([]float64, 0, len(x)), x...)
	if err := normalizeF64("core.NormalizeF64", out, ddof, nan); err != nil {
		return nil, err
	}
	return out, nil
}

// NormalizeInPlace is Normalize writing over x. On error x is unchanged.
func NormalizeInPlace(x []float32, ddof int, nan NanPolicy) error {
	return normalizeF32("core.NormalizeInPlace", x, ddof, nan)
}

// NormalizeInPlaceF64 is NormalizeInPlace for float64.
func NormalizeInPlaceF64(x []float64, ddof int, nan NanPolicy) error {
	return normalizeF64("core.NormalizeInPlaceF64", x, ddof, nan)
}

func normalizeF32(op string, x []float32, ddof int, nan NanPolicy) error {
	d, err := checkDdof(op, ddof)
	if err != nil {
		return err
	}
	return check(op, capi.Core_normalize_f32(x, int64(len(x)), d, int(nan)))
}

func normalizeF64(op string, x []float64, ddof int, nan NanPolicy) error {
	d, err := checkDdof(op, ddof)
	if err != nil {
		return err
	}
	return check(op, capi.Core_normalize_f64(x, int64(len(x)), d, int(nan)))
}

// NormalPdf is the normal density with the given mean and std at each x
// (scipy.stats.norm.pdf). ErrInvalidArgument for a non-finite mean or a
// std that is not finite and > 0.
func NormalPdf(x []float32, mean, std float64) ([]float32, error) {
	out := make([]float32, len(x))
	return done("core.NormalPdf", out, capi.Core_normal_pdf_f32(x, int64(len(x)), mean, std, out))
}

// NormalPdfF64 is NormalPdf for float64.
func NormalPdfF64(x []float64, mean, std float64) ([]float64, error) {
	out := make([]float64, len(x))
	return done("core.NormalPdfF64", out, capi.Core_normal_pdf_f64(x, int64(len(x)), mean, std, out))
}

// NormalPdfInto writes NormalPdf(x, mean, std) to dst[:len(x)]; dst may be
// x itself.
func NormalPdfInto(dst, x []float32, mean, std float64) error {
	const op = "core.NormalPdfInto"
	d, err := intoLen(op, dst, x)
	if err != nil {
		return err
	}
	return check(op, capi.Core_normal_pdf_f32(x, int64(len(x)), mean, std, d))
}

// NormalPdfIntoF64 is NormalPdfInto for float64.
func NormalPdfIntoF64(dst, x []float64, mean, std float64) error {
	const op = "core.NormalPdfIntoF64"
	d, err := intoLen(op, dst, x)
	if err != nil {
		return err
	}
	return check(op, capi.Core_normal_pdf_f64(x, int64(len(x)), mean, std, d))
}
