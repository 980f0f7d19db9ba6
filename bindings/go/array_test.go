package core

import (
	"math"
	"testing"
)

func TestArangeLenNumpyRule(t *testing.T) {
	cases := []struct {
		a, b, s float64
		n       int
	}{
		{0, 1, 0.1, 10}, {0, 10, 1, 10}, {10, 0, -1, 10}, {0, 10, -1, 0}, {1, 1, 1, 0},
		{0, 1, 3, 1}, {1, 1.3, 0.1, 4}, {-2.5, 2.5, 1, 5}, {0, -1, -0.3, 4},
		{0, 1e-300, 1e300, 1},
	}
	for _, c := range cases {
		n, err := ArangeLen(c.a, c.b, c.s)
		noErr(t, err)
		if n != c.n {
			t.Errorf("ArangeLen(%g, %g, %g) = %d, want %d", c.a, c.b, c.s, n, c.n)
		}
	}
}

func TestArange(t *testing.T) {
	a, err := Arange(0, 1, 0.1)
	noErr(t, err)
	if len(a) != 10 { // NumPy: arange(0, 1, 0.1) has 10 elements
		t.Fatalf("len(Arange(0, 1, 0.1)) = %d", len(a))
	}
	b, err := ArangeF64(-3.5, 7.25, 0.37)
	noErr(t, err)
	if len(b) != 30 {
		t.Fatalf("len = %d", len(b))
	}
	for i := range a {
		wantVal(t, "arange f32", float64(a[i]), float64(float32(float64(i)*0.1)))
	}
	for i := range b {
		wantVal(t, "arange f64", b[i], -3.5+float64(i)*0.37) // start + i*step, no running sum
	}
	d, err := ArangeF64(10, 0, -1)
	noErr(t, err)
	if len(d) != 10 || d[0] != 10 || d[9] != 1 {
		t.Errorf("ArangeF64(10, 0, -1) = %v", d)
	}
	e, err := Arange(0, 10, -1) // empty range: no error, no elements
	noErr(t, err)
	if e == nil || len(e) != 0 {
		t.Errorf("empty arange = %#v", e)
	}
}

func TestArangeErrors(t *testing.T) {
	inf := math.Inf(1)
	bad := [][3]float64{{0, 1, 0}, {math.NaN(), 1, 1}, {0, inf, 1}, {0, 1, -inf}, {0, 1e30, 1}}
	for _, c := range bad {
		_, err := ArangeLen(c[0], c[1], c[2])
		wantErr(t, err, ErrInvalidArgument, "core_arange_len")
		a, err := Arange(c[0], c[1], c[2])
		wantErr(t, err, ErrInvalidArgument, "core_arange")
		if a != nil {
			t.Errorf("slice returned with an error")
		}
		_, err = ArangeF64(c[0], c[1], c[2])
		wantErr(t, err, ErrInvalidArgument)
	}
	// a length libcore accepts but no Go slice can hold: refused, not a panic
	_, err := ArangeLen(0, 1<<45, 1)
	wantErr(t, err, ErrOutOfMemory, "too large for a Go slice")
	_, err = Arange(0, 1<<45, 1)
	wantErr(t, err, ErrOutOfMemory, "too large for a Go slice")
}

func TestLinspace(t *testing.T) {
	x, err := Linspace(0.1, 0.7, 1001, true)
	noErr(t, err)
	if x[len(x)-1] != float32(0.7) || x[0] != float32(0.1) {
		t.Errorf("endpoints %g %g", x[0], x[len(x)-1])
	}
	y, err := LinspaceF64(-3.3, 7.7, 50, true)
	noErr(t, err)
	wantVal(t, "endpoint exact", y[49], 7.7)
	step := (7.7 - -3.3) / 49
	for i := 0; i < 49; i++ {
		wantVal(t, "linspace", y[i], -3.3+float64(i)*step)
	}
	z, err := LinspaceF64(0, 1, 4, false)
	noErr(t, err)
	for i, want := range []float64{0, 0.25, 0.5, 0.75} {
		wantVal(t, "no endpoint", z[i], want)
	}
	one, err := Linspace(0.1, 7, 1, true)
	noErr(t, err)
	if len(one) != 1 || one[0] != float32(0.1) {
		t.Errorf("num=1: %v", one)
	}
	empty, err := LinspaceF64(0, 1, 0, true)
	noErr(t, err)
	if empty == nil || len(empty) != 0 {
		t.Errorf("num=0: %#v", empty)
	}
	_, err = Linspace(0, 1, -1, true)
	wantErr(t, err, ErrInvalidArgument, "num = -1")
	_, err = LinspaceF64(0, 1, -5, false)
	wantErr(t, err, ErrInvalidArgument, "num = -5")
	_, err = Linspace(math.NaN(), 1, 4, true)
	wantErr(t, err, ErrInvalidArgument, "core_linspace_f32")
	_, err = LinspaceF64(0, math.Inf(-1), 4, false)
	wantErr(t, err, ErrInvalidArgument, "core_linspace_f64")
}

func TestFillZerosOnes(t *testing.T) {
	for _, n := range []int{0, 1, 17, 1000} {
		f, err := Fill(n, 0.1)
		noErr(t, err)
		z, err := Zeros(n)
		noErr(t, err)
		o, err := OnesF64(n)
		noErr(t, err)
		g, err := FillF64(n, math.NaN())
		noErr(t, err)
		if len(f) != n || len(z) != n || len(o) != n || len(g) != n {
			t.Fatalf("n=%d: lengths %d %d %d %d", n, len(f), len(z), len(o), len(g))
		}
		for i := 0; i < n; i++ {
			if f[i] != float32(0.1) || z[i] != 0 || math.Signbit(float64(z[i])) || o[i] != 1 || !math.IsNaN(g[i]) {
				t.Fatalf("n=%d: [%d] = %g %g %g %g", n, i, f[i], z[i], o[i], g[i])
			}
		}
	}
	o, err := Ones(3)
	noErr(t, err)
	z, err := ZerosF64(2)
	noErr(t, err)
	if o[2] != 1 || z[1] != 0 {
		t.Errorf("Ones/ZerosF64: %v %v", o, z)
	}
	for _, f := range []func(int) error{
		func(n int) error { _, err := Fill(n, 1); return err },
		func(n int) error { _, err := FillF64(n, 1); return err },
		func(n int) error { _, err := Zeros(n); return err },
		func(n int) error { _, err := ZerosF64(n); return err },
		func(n int) error { _, err := Ones(n); return err },
		func(n int) error { _, err := OnesF64(n); return err },
	} {
		wantErr(t, f(-1), ErrInvalidArgument, "n = -1")
	}
}

func TestConcat(t *testing.T) {
	c, err := Concat(f32s(1, 2, 3), nil, []float32{}, f32s(4), f32s(5, 6))
	noErr(t, err)
	if len(c) != 6 {
		t.Fatalf("len = %d", len(c))
	}
	for i := range c {
		wantVal(t, "concat", float64(c[i]), float64(i+1))
	}
	big := randF64(1, 1000, 0, 1)
	d, err := ConcatF64(big[:17], big[17:500], nil, big[500:])
	noErr(t, err)
	for i := range big {
		wantVal(t, "concat f64", d[i], big[i])
	}
	e, err := Concat()
	noErr(t, err)
	if e == nil || len(e) != 0 {
		t.Errorf("Concat() = %#v", e)
	}
	e64, err := ConcatF64(nil, nil)
	noErr(t, err)
	if len(e64) != 0 {
		t.Errorf("ConcatF64(nil, nil) = %v", e64)
	}
}

func TestCumsum(t *testing.T) {
	c, err := Cumsum(f32s(1, 2, 3, 4))
	noErr(t, err)
	for i, want := range []float32{1, 3, 6, 10} {
		if c[i] != want {
			t.Fatalf("cumsum = %v", c)
		}
	}
	// compensated float64 accumulation: 1e6 x 0.1f ends at the exact sum
	x := make([]float32, 1000000)
	for i := range x {
		x[i] = 0.1
	}
	noErr(t, CumsumInto(x, x)) // in place is allowed
	wantVal(t, "cumsum 1e6 x 0.1f", float64(x[len(x)-1]), float64(float32(1e6*float64(float32(0.1)))))
	y := []float64{1, math.NaN(), 2}
	c64, err := CumsumF64(y)
	noErr(t, err)
	if c64[0] != 1 || !math.IsNaN(c64[1]) || !math.IsNaN(c64[2]) {
		t.Errorf("NaN propagation: %v", c64)
	}
	e, err := Cumsum(nil)
	noErr(t, err)
	if len(e) != 0 {
		t.Errorf("Cumsum(nil) = %v", e)
	}
	// partial overlap is refused by libcore; a short or nil dst by the binding
	z := f32s(1, 2, 3, 4, 5)
	wantErr(t, CumsumInto(z[1:], z[:4]), ErrInvalidArgument, "core_cumsum_f32")
	wantErr(t, CumsumInto(make([]float32, 2), z), ErrBufferTooSmall, "len(dst) = 2 < len(x) = 5")
	wantErr(t, CumsumIntoF64(nil, []float64{1}), ErrBufferTooSmall, "len(dst) = 0")
	long := make([]float64, 5)
	noErr(t, CumsumIntoF64(long, []float64{1, 2}))
	if long[1] != 3 || long[2] != 0 {
		t.Errorf("CumsumIntoF64 wrote %v", long)
	}
}

func TestNormalize(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5}
	z, err := NormalizeF64(x, 0, NanPropagate)
	noErr(t, err)
	for i := range x {
		wantNear(t, "zscore", z[i], (x[i]-3)/math.Sqrt(2), 1e-15)
	}
	if x[0] != 1 {
		t.Errorf("Normalize modified its input")
	}
	x32 := f32s(1, 2, math.NaN(), 3, 4, 5)
	noErr(t, NormalizeInPlace(x32, 1, NanOmit))
	if !math.IsNaN(float64(x32[2])) || math.Abs(float64(x32[0])+2/math.Sqrt(2.5)) > 1e-6 {
		t.Errorf("NormalizeInPlace omit: %v", x32)
	}
	n, err := Normalize(nil, 0, NanOmit)
	noErr(t, err)
	if len(n) != 0 {
		t.Errorf("Normalize(nil) = %v", n)
	}
	// cannot be normalized: libcore refuses and leaves the data untouched
	c := f32s(2, 2, 2)
	wantErr(t, NormalizeInPlace(c, 0, NanOmit), ErrInvalidArgument, "core_normalize_f32")
	if c[0] != 2 {
		t.Errorf("refused normalize wrote %v", c)
	}
	_, err = NormalizeF64([]float64{1}, 1, NanOmit) // n <= ddof
	wantErr(t, err, ErrInvalidArgument, "core_normalize_f64")
	_, err = Normalize(f32s(1, 2), 0, 3)
	wantErr(t, err, ErrInvalidArgument, "core_normalize_f32")
	_, err = Normalize(f32s(1, 2), -1, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "ddof = -1")
	wantErr(t, NormalizeInPlaceF64([]float64{1, 2}, -1, NanOmit), ErrInvalidArgument, "ddof")
}

func TestNormalPdf(t *testing.T) {
	x := []float64{-2, -0.5, 0, 1, 3.5}
	p, err := NormalPdfF64(x, 0.5, 2)
	noErr(t, err)
	for i, v := range x {
		z := (v - 0.5) / 2
		wantNear(t, "pdf", p[i], math.Exp(-z*z/2)/(2*math.Sqrt(2*math.Pi)), 1e-14)
	}
	x32 := toF32(x)
	noErr(t, NormalPdfInto(x32, x32, 0.5, 2)) // in place
	for i := range x {
		wantNear(t, "pdf f32", float64(x32[i]), p[i], 1e-6)
	}
	q, err := NormalPdf(nil, 0, 1)
	noErr(t, err)
	if len(q) != 0 {
		t.Errorf("NormalPdf(nil) = %v", q)
	}
	for _, sd := range []float64{0, -1, math.Inf(1), math.NaN()} {
		_, err = NormalPdf(f32s(1), 0, sd)
		wantErr(t, err, ErrInvalidArgument, "core_normal_pdf_f32")
	}
	_, err = NormalPdfF64([]float64{1}, math.NaN(), 1)
	wantErr(t, err, ErrInvalidArgument, "core_normal_pdf_f64")
	wantErr(t, NormalPdfIntoF64(make([]float64, 1), x, 0, 1), ErrBufferTooSmall, "len(dst) = 1")
}
