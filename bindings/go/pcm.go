package core

import "libcore.dev/core/internal/capi"

// 16-bit PCM conversion (include/core/array.h).

// FromPCM16 converts int16 PCM samples to float32 in [-1, 1): pcm[i] /
// 32768, exact.
func FromPCM16(pcm []int16) ([]float32, error) {
	out := make([]float32, len(pcm))
	return done("core.FromPCM16", out, capi.Core_pcm16_to_f32(pcm, int64(len(pcm)), out))
}

// FromPCM16F64 is FromPCM16 for float64.
func FromPCM16F64(pcm []int16) ([]float64, error) {
	out := make([]float64, len(pcm))
	return done("core.FromPCM16F64", out, capi.Core_pcm16_to_f64(pcm, int64(len(pcm)), out))
}

// FromPCM16Into writes FromPCM16(pcm) to dst[:len(pcm)]. A dst shorter
// than pcm is ErrBufferTooSmall.
func FromPCM16Into(dst []float32, pcm []int16) error {
	const op = "core.FromPCM16Into"
	d, err := intoLen(op, dst, pcm)
	if err != nil {
		return err
	}
	return check(op, capi.Core_pcm16_to_f32(pcm, int64(len(pcm)), d))
}

// FromPCM16IntoF64 is FromPCM16Into for float64.
func FromPCM16IntoF64(dst []float64, pcm []int16) error {
	const op = "core.FromPCM16IntoF64"
	d, err := intoLen(op, dst, pcm)
	if err != nil {
		return err
	}
	return check(op, capi.Core_pcm16_to_f64(pcm, int64(len(pcm)), d))
}

// ToPCM16 converts float samples to int16 PCM: round half to even of
// x[i]*32768, clipped to [-32768, 32767], NaN as 0. clipped counts the
// samples that were clipped or NaN, so saturation is never silent. It is
// the exact inverse of FromPCM16 on its outputs.
func ToPCM16(x []float32) (pcm []int16, clipped int, err error) {
	out := make([]int16, len(x))
	if clipped, err = toPCM16F32("core.ToPCM16", out, x); err != nil {
		return nil, 0, err
	}
	return out, clipped, nil
}

// ToPCM16F64 is ToPCM16 for float64.
func ToPCM16F64(x []float64) (pcm []int16, clipped int, err error) {
	out := make([]int16, len(x))
	if clipped, err = toPCM16F64("core.ToPCM16F64", out, x); err != nil {
		return nil, 0, err
	}
	return out, clipped, nil
}

// ToPCM16Into writes ToPCM16(x) to dst[:len(x)] and returns the clipped
// count. A dst shorter than x is ErrBufferTooSmall.
func ToPCM16Into(dst []int16, x []float32) (clipped int, err error) {
	return toPCM16F32("core.ToPCM16Into", dst, x)
}

// ToPCM16IntoF64 is ToPCM16Into for float64.
func ToPCM16IntoF64(dst []int16, x []float64) (clipped int, err error) {
	return toPCM16F64("core.ToPCM16IntoF64", dst, x)
}

func toPCM16F32(op string, dst []int16, x []float32) (int, error) {
	d, err := intoLen(op, dst, x)
	if err != nil {
		return 0, err
	}
	c := getCells()
	clipped, err := c.count(op, capi.Core_f32_to_pcm16(x, int64(len(x)), d, c.u[:]))
	return int(clipped), err
}

func toPCM16F64(op string, dst []int16, x []float64) (int, error) {
	d, err := intoLen(op, dst, x)
	if err != nil {
		return 0, err
	}
	c := getCells()
	clipped, err := c.count(op, capi.Core_f64_to_pcm16(x, int64(len(x)), d, c.u[:]))
	return int(clipped), err
}
