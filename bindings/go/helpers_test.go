package core

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// wantErr checks that err is a *Error with the given status whose message
// contains each of the given substrings (libcore names the C function in
// its messages, so "core_min_f32" proves the message came from libcore).
func wantErr(t *testing.T, err error, st Status, substrs ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want a *core.Error with %v", err, err, st)
	}
	if e.Status != st || !errors.Is(err, st) {
		t.Fatalf("error %v: status %v, want %v", err, e.Status, st)
	}
	for _, s := range substrs {
		if !strings.Contains(e.Message, s) {
			t.Fatalf("error %v: message %q does not contain %q", err, e.Message, s)
		}
	}
	if e.Op == "" || !strings.HasPrefix(e.Op, "core.") {
		t.Fatalf("error %v: Op %q", err, e.Op)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// same is == that also matches NaN with NaN.
func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func wantVal(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !same(got, want) {
		t.Fatalf("%s = %.17g, want %.17g", what, got, want)
	}
}

// wantNear allows a relative error rel (absolute below 1).
func wantNear(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if same(got, want) {
		return
	}
	if math.IsNaN(got) || math.Abs(got-want) > rel*math.Max(1, math.Abs(want)) {
		t.Fatalf("%s = %.17g, want %.17g (rel %g)", what, got, want, rel)
	}
}

func f32s(v ...float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// lcg is a small deterministic generator for test data.
type lcg uint64

func (g *lcg) uniform() float64 {
	*g = *g*6364136223846793005 + 1442695040888963407
	return float64(uint64(*g)>>11) / (1 << 53)
}

func randF64(seed uint64, n int, lo, hi float64) []float64 {
	g := lcg(seed)
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (hi-lo)*g.uniform()
	}
	return out
}

func toF32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

func toF64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// neumaier is a compensated sum: accurate to about one ulp, so the
// references below do not carry an error that grows with n.
func neumaier(n int, term func(i int) float64) float64 {
	var sum, c float64
	for i := 0; i < n; i++ {
		v := term(i)
		t := sum + v
		if math.Abs(sum) >= math.Abs(v) {
			c += (sum - t) + v
		} else {
			c += (v - t) + sum
		}
		sum = t
	}
	return sum + c
}

// twoPass is the reference mean and M2 (compensated float64, two passes).
func twoPass(x []float64) (mean, m2 float64) {
	mean = neumaier(len(x), func(i int) float64 { return x[i] }) / float64(len(x))
	m2 = neumaier(len(x), func(i int) float64 { return (x[i] - mean) * (x[i] - mean) })
	return mean, m2
}
