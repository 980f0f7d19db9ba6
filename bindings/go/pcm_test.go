package core

import (
	"math"
	"testing"
)

func TestPCMRoundTrip(t *testing.T) {
	pcm := make([]int16, 65536)
	for i := range pcm {
		pcm[i] = int16(i - 32768)
	}
	f, err := FromPCM16(pcm)
	noErr(t, err)
	d, err := FromPCM16F64(pcm)
	noErr(t, err)
	for i := range pcm {
		if float64(f[i]) != float64(pcm[i])/32768 || d[i] != float64(pcm[i])/32768 {
			t.Fatalf("pcm %d -> %g / %g", pcm[i], f[i], d[i])
		}
	}
	back, clipped, err := ToPCM16(f)
	noErr(t, err)
	back64, clipped64, err := ToPCM16F64(d)
	noErr(t, err)
	if clipped != 0 || clipped64 != 0 {
		t.Errorf("clipped %d %d on the exact inverse", clipped, clipped64)
	}
	for i := range pcm {
		if back[i] != pcm[i] || back64[i] != pcm[i] {
			t.Fatalf("round trip of %d gave %d / %d", pcm[i], back[i], back64[i])
		}
	}
}

func TestPCMRoundingAndClipping(t *testing.T) {
	h := 1.0 / 32768
	cases := []struct {
		v       float64
		want    int16
		clipped int
	}{
		{0.5 * h, 0, 0}, {1.5 * h, 2, 0}, {2.5 * h, 2, 0}, {-1.5 * h, -2, 0}, // half to even
		{1.0, 32767, 1}, {-1.0, -32768, 0}, {2.0, 32767, 1}, {-2.0, -32768, 1},
		{math.NaN(), 0, 1}, {math.Inf(1), 32767, 1}, {math.Inf(-1), -32768, 1},
		{32767.5 * h, 32767, 1}, {-32768.5 * h, -32768, 0},
	}
	all := make([]float64, len(cases))
	total := 0
	for i, c := range cases {
		all[i] = c.v
		total += c.clipped
		out, clipped, err := ToPCM16F64([]float64{c.v})
		noErr(t, err)
		if out[0] != c.want || clipped != c.clipped {
			t.Errorf("%.17g -> %d (clipped %d), want %d (%d)", c.v, out[0], clipped, c.want, c.clipped)
		}
	}
	// the clipping count of a whole buffer, float32 too
	out, clipped, err := ToPCM16(toF32(all))
	noErr(t, err)
	if clipped != total {
		t.Errorf("clipped %d, want %d", clipped, total)
	}
	for i, c := range cases {
		if out[i] != c.want {
			t.Errorf("f32 %.9g -> %d, want %d", c.v, out[i], c.want)
		}
	}
}

func TestPCMIntoAndEmpty(t *testing.T) {
	dst := make([]int16, 8)
	clipped, err := ToPCM16Into(dst, f32s(0.5, -0.5, 3))
	noErr(t, err)
	if clipped != 1 || dst[0] != 16384 || dst[1] != -16384 || dst[2] != 32767 || dst[3] != 0 {
		t.Errorf("ToPCM16Into: %v clipped %d", dst, clipped)
	}
	_, err = ToPCM16IntoF64(dst[:1], []float64{0, 0})
	wantErr(t, err, ErrBufferTooSmall, "len(dst) = 1 < len(x) = 2")
	_, err = ToPCM16Into(nil, f32s(1))
	wantErr(t, err, ErrBufferTooSmall)
	fdst := make([]float32, 2)
	noErr(t, FromPCM16Into(fdst, []int16{-32768, 16384}))
	if fdst[0] != -1 || fdst[1] != 0.5 {
		t.Errorf("FromPCM16Into: %v", fdst)
	}
	wantErr(t, FromPCM16IntoF64(make([]float64, 1), []int16{1, 2}), ErrBufferTooSmall, "len(dst) = 1")
	wantErr(t, FromPCM16Into(nil, []int16{1}), ErrBufferTooSmall)
	e, err := FromPCM16(nil)
	noErr(t, err)
	p, c, err := ToPCM16(nil)
	noErr(t, err)
	if len(e) != 0 || len(p) != 0 || c != 0 {
		t.Errorf("empty conversions: %v %v %d", e, p, c)
	}
}
