package core

import "libcore.dev/core/internal/capi"

// Array creation (include/core/array.h). Values are computed in float64
// and rounded once to float32, so both dtypes agree to the last float32
// bit; element i is start + i*step, never a running sum. Every function
// returns a new slice, allocated here with the length libcore computes.

// maxElems bounds the slices this package allocates: far beyond any real
// use, and below the Go runtime's own limit, where make would panic.
const maxElems = 1 << 44

func sizeFromC(op string, n uint64) (int, error) {
	if n > maxElems {
		return 0, argError(op, ErrOutOfMemory, "length %d is too large for a Go slice", n)
	}
	return int(n), nil
}

// ArangeLen is the length of Arange(start, stop, step): ceil((stop -
// start) / step), or 0 when that is negative (NumPy's rule; arange(0, 1,
// 0.1) has 10). ErrInvalidArgument for step 0, a non-finite argument, or a
// length that does not fit in memory.
func ArangeLen(start, stop, step float64) (int, error) {
	return arangeLen("core.ArangeLen", start, stop, step)
}

func arangeLen(op string, start, stop, step float64) (int, error) {
	c := getCells()
	n, err := c.count(op, capi.Core_arange_len(start, stop, step, c.u[:]))
	if err != nil {
		return 0, err
	}
	return sizeFromC(op, n)
}

// Arange is [start, start+step, ...) up to stop excluded (np.arange), with
// `step` used exactly as given. Errors as ArangeLen.
func Arange(start, stop, step float64) ([]float32, error) {
	const op = "core.Arange"
	n, err := arangeLen(op, start, stop, step)
	if err != nil {
		return nil, err
	}
	out := make([]float32, n)
	c := getCells()
	got, err := c.count(op, capi.Core_arange_f32(start, stop, step, out, int64(n), c.u[:]))
	if err != nil {
		return nil, err
	}
	return out[:got], nil
}

// ArangeF64 is Arange for float64.
func ArangeF64(start, stop, step float64) ([]float64, error) {
	const op = "core.ArangeF64"
	n, err := arangeLen(op, start, stop, step)
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	c := getCells()
	got, err := c.count(op, capi.Core_arange_f64(start, stop, step, out, int64(n), c.u[:]))
	if err != nil {
		return nil, err
	}
	return out[:got], nil
}

// Linspace is num evenly spaced values from start to stop (np.linspace).
// With endpoint the last value is exactly stop (rounded once to float32);
// without, stop is excluded. num 0 gives an empty slice, num 1 [start].
// ErrInvalidArgument for a negative num or a non-finite start or stop.
func Linspace(start, stop float64, num int, endpoint bool) ([]float32, error) {
	const op = "core.Linspace"
	if err := checkSize(op, "num", num); err != nil {
		return nil, err
	}
	out := make([]float32, num)
	if r := capi.Core_linspace_f32(start, stop, int64(num), cBool(endpoint), out); r != 0 {
		return nil, fail(op, r)
	}
	return out, nil
}

// LinspaceF64 is Linspace for float64.
func LinspaceF64(start, stop float64, num int, endpoint bool) ([]float64, error) {
	const op = "core.LinspaceF64"
	if err := checkSize(op, "num", num); err != nil {
		return nil, err
	}
	out := make([]float64, num)
	if r := capi.Core_linspace_f64(start, stop, int64(num), cBool(endpoint), out); r != 0 {
		return nil, fail(op, r)
	}
	return out, nil
}

// done returns out, or nil and the error of a failed raw call r.
func done[T any](op string, out []T, r int64) ([]T, error) {
	if r != 0 {
		return nil, fail(op, r)
	}
	return out, nil
}

func cBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// filled checks n, allocates n elements and lets fill (a raw libcore call
// writing out[0, n)) set them: the shared body of Fill, Zeros and Ones.
func filled[T float32 | float64](op string, n int, fill func(out []T, n int64) int64) ([]T, error) {
	if err := checkSize(op, "n", n); err != nil {
		return nil, err
	}
	out := make([]T, n)
	return done(op, out, fill(out, int64(n)))
}

// Fill is n copies of value (np.full); any value, NaN included.
// ErrInvalidArgument for a negative n.
func Fill(n int, value float32) ([]float32, error) {
	return filled("core.Fill", n, func(out []float32, m int64) int64 {
		return capi.Core_fill_f32(out, m, value)
	})
}

// FillF64 is Fill for float64.
func FillF64(n int, value float64) ([]float64, error) {
	return filled("core.FillF64", n, func(out []float64, m int64) int64 {
		return capi.Core_fill_f64(out, m, value)
	})
}

// Zeros is n values +0 (np.zeros). ErrInvalidArgument for a negative n.
func Zeros(n int) ([]float32, error) { return filled("core.Zeros", n, capi.Core_zeros_f32) }

// ZerosF64 is Zeros for float64.
func ZerosF64(n int) ([]float64, error) { return filled("core.ZerosF64", n, capi.Core_zeros_f64) }

// Ones is n values 1 (np.ones). ErrInvalidArgument for a negative n.
func Ones(n int) ([]float32, error) { return filled("core.Ones", n, capi.Core_ones_f32) }

// OnesF64 is Ones for float64.
func OnesF64(n int) ([]float64, error) { return filled("core.OnesF64", n, capi.Core_ones_f64) }

// concatTotal is core_concat_len of the parts' lengths.
func concatTotal(op string, lens []uint64) (int, error) {
	c := getCells()
	total, err := c.count(op, capi.Core_concat_len(lens, int64(len(lens)), c.u[:]))
	if err != nil {
		return 0, err
	}
	return sizeFromC(op, total)
}

// Concat is the parts one after another (np.concatenate); nil and empty
// parts are allowed. It copies each part with core_concat_f32 (one part
// per call: an array of Go pointers may not be handed to C).
func Concat(parts ...[]float32) ([]float32, error) {
	return concat("core.Concat", parts, capi.Core_go_concat_part_f32)
}

// ConcatF64 is Concat for float64.
func ConcatF64(parts ...[]float64) ([]float64, error) {
	return concat("core.ConcatF64", parts, capi.Core_go_concat_part_f64)
}

// concat sizes the output from all the parts, then copies them one per
// cgo call with copyPart (the dtype's core_go_concat_part wrapper).
func concat[T float32 | float64](op string, parts [][]T,
	copyPart func(part []T, n int64, out []T, cap int64, cells []uint64) int64) ([]T, error) {
	lens := make([]uint64, len(parts))
	for i, p := range parts {
		lens[i] = uint64(len(p))
	}
	total, err := concatTotal(op, lens)
	if err != nil {
		return nil, err
	}
	out := make([]T, total)
	for off, i := 0, 0; i < len(parts); i++ {
		if len(parts[i]) == 0 {
			continue
		}
		c := getCells()
		w, err := c.count(op, copyPart(parts[i], int64(len(parts[i])), out[off:],
			int64(total-off), c.u[:]))
		if err != nil {
			return nil, err
		}
		off += int(w)
	}
	return out, nil
}
