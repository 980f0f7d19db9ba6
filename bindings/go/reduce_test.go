package core

import (
	"math"
	"sort"
	"testing"
)

// One table entry per dtype: the float32 calls take float64 test values
// converted once.
type reducers struct {
	name                             string
	min, max, mean, energy, rms, zcr func([]float64) (float64, error)
	vr, sd                           func([]float64, int) (float64, error)
	dot, corr                        func(x, y []float64) (float64, error)
	pct                              func([]float64, float64, NanPolicy) (float64, error)
}

func f32fn(f func([]float32) (float64, error)) func([]float64) (float64, error) {
	return func(x []float64) (float64, error) { return f(toF32(x)) }
}

func f32ddof(f func([]float32, int) (float64, error)) func([]float64, int) (float64, error) {
	return func(x []float64, d int) (float64, error) { return f(toF32(x), d) }
}

func f32pair(f func(x, y []float32) (float64, error)) func(x, y []float64) (float64, error) {
	return func(x, y []float64) (float64, error) { return f(toF32(x), toF32(y)) }
}

var dtypes = []reducers{
	{name: "f32", min: f32fn(Min), max: f32fn(Max), mean: f32fn(Mean), energy: f32fn(Energy),
		rms: f32fn(Rms), zcr: f32fn(ZeroCrossingRate), vr: f32ddof(Var), sd: f32ddof(Std),
		dot: f32pair(Dot), corr: f32pair(Corrcoef),
		pct: func(x []float64, q float64, p NanPolicy) (float64, error) { return Percentile(toF32(x), q, p) }},
	{name: "f64", min: MinF64, max: MaxF64, mean: MeanF64, energy: EnergyF64, rms: RmsF64,
		zcr: ZeroCrossingRateF64, vr: VarF64, sd: StdF64, dot: DotF64, corr: CorrcoefF64,
		pct: PercentileF64},
}

// valuer returns a function that unwraps a (float64, error) call result,
// failing the test on an error.
func valuer(t *testing.T) func(float64, error) float64 {
	return func(v float64, err error) float64 {
		t.Helper()
		noErr(t, err)
		return v
	}
}

func TestMinMax(t *testing.T) {
	val := valuer(t)
	for _, d := range dtypes {
		x := []float64{3, 1, 4, 1, 5, -9, 2, 6}
		wantVal(t, d.name+" min", val(d.min(x)), -9)
		wantVal(t, d.name+" max", val(d.max(x)), 6)
		wantVal(t, d.name+" min inf", val(d.min([]float64{math.Inf(1), 1, math.Inf(-1)})), math.Inf(-1))
		wantVal(t, d.name+" max NaN", val(d.max([]float64{1, math.NaN(), 3})), math.NaN())
		// no data: an error, as NumPy raises (not a silent NaN)
		v, err := d.min([]float64{})
		wantErr(t, err, ErrEmpty, "core_min_f")
		wantVal(t, "value on error", v, math.NaN())
		_, err = d.max(nil)
		wantErr(t, err, ErrEmpty, "core_max_f")
	}
	_, err := Min(nil) // nil slice, data expected
	wantErr(t, err, ErrEmpty, "core_min_f32")
	_, err = MaxF64(nil)
	wantErr(t, err, ErrEmpty, "core_max_f64")
}

func TestMeanVarStd(t *testing.T) {
	val := valuer(t)
	for _, d := range dtypes {
		x := []float64{1, 2, 3, 4}
		wantVal(t, d.name+" mean", val(d.mean(x)), 2.5)
		wantVal(t, d.name+" var0", val(d.vr(x, 0)), 1.25)
		wantNear(t, d.name+" var1", val(d.vr(x, 1)), 5.0/3.0, 1e-15)
		wantVal(t, d.name+" std0", val(d.sd(x, 0)), math.Sqrt(1.25))
		wantNear(t, d.name+" std1", val(d.sd(x, 1)), math.Sqrt(5.0/3.0), 1e-15)
		// NaN, not an error: n == 0 or n <= ddof (NumPy's NaN)
		wantVal(t, d.name+" mean n=0", val(d.mean(nil)), math.NaN())
		wantVal(t, d.name+" var n=0", val(d.vr([]float64{}, 0)), math.NaN())
		wantVal(t, d.name+" var ddof=n", val(d.vr(x, 4)), math.NaN())
		wantVal(t, d.name+" std ddof>n", val(d.sd(x, 9)), math.NaN())
		wantVal(t, d.name+" mean NaN", val(d.mean([]float64{1, math.NaN()})), math.NaN())
		// negative ddof: the binding refuses it before calling libcore
		_, err := d.vr(x, -1)
		wantErr(t, err, ErrInvalidArgument, "ddof = -1")
		_, err = d.sd(x, -2)
		wantErr(t, err, ErrInvalidArgument, "ddof = -2")
	}
	r := randF64(99, 100003, 10, 20)
	mean, m2 := twoPass(r)
	wantNear(t, "mean", val(MeanF64(r)), mean, 1e-14)
	wantNear(t, "var", val(VarF64(r, 1)), m2/float64(len(r)-1), 1e-12)
}

func TestDotCorrcoef(t *testing.T) {
	val := valuer(t)
	for _, d := range dtypes {
		wantVal(t, d.name+" dot", val(d.dot([]float64{1, 2, 3}, []float64{4, 5, 6})), 32)
		wantVal(t, d.name+" dot n=0", val(d.dot(nil, nil)), 0)
		x := []float64{-3, -1, 1, 3, -3, -1, 1, 3}
		y := make([]float64, len(x))
		for i := range x {
			y[i] = -0.5*x[i] + 1
		}
		wantVal(t, d.name+" corr -1", val(d.corr(x, y)), -1)
		wantVal(t, d.name+" corr self", val(d.corr(x, x)), 1)
		wantVal(t, d.name+" corr constant", val(d.corr(x, make([]float64, len(x)))), math.NaN())
		wantVal(t, d.name+" corr n=1", val(d.corr([]float64{1}, []float64{2})), math.NaN())
		// mismatched lengths: an error, never a truncated answer
		_, err := d.dot([]float64{1, 2, 3}, []float64{1, 2})
		wantErr(t, err, ErrInvalidArgument, "len(x) = 3 but len(y) = 2")
		_, err = d.corr([]float64{1, 2}, nil)
		wantErr(t, err, ErrInvalidArgument, "len(x) = 2 but len(y) = 0")
	}
	_, err := Dot(nil, []float32{1})
	wantErr(t, err, ErrInvalidArgument, "len(x) = 0 but len(y) = 1")
}

func TestEnergyRmsZcr(t *testing.T) {
	val := valuer(t)
	for _, d := range dtypes {
		wantVal(t, d.name+" energy", val(d.energy([]float64{1, 2, 3, 4})), 7.5)
		wantVal(t, d.name+" rms", val(d.rms([]float64{-3, 4})), math.Sqrt(12.5))
		wantVal(t, d.name+" energy n=0", val(d.energy(nil)), math.NaN())
		wantVal(t, d.name+" rms n=0", val(d.rms([]float64{})), math.NaN())
		nan := math.NaN()
		cases := []struct {
			x    []float64
			want float64
		}{
			{[]float64{1, -1, 1, -1}, 1}, {[]float64{1, 1, 1}, 0}, {[]float64{0, -1}, 1},
			{[]float64{0, 1}, 0}, {[]float64{1, nan}, 1}, {[]float64{-1, nan}, 0},
			{[]float64{-2, 3, 0, 1}, 1.0 / 3.0}, {[]float64{1}, nan}, {nil, nan},
		}
		for _, c := range cases {
			wantVal(t, d.name+" zcr", val(d.zcr(c.x)), c.want)
		}
	}
}

func percentileRef(x []float64, q float64) float64 {
	s := []float64{}
	for _, v := range x {
		if !math.IsNaN(v) {
			s = append(s, v)
		}
	}
	sort.Float64s(s)
	pos := q / 100 * float64(len(s)-1)
	lo := math.Floor(pos)
	i := int(lo)
	j := i + 1
	if j >= len(s) {
		j = i
	}
	return s[i] + (pos-lo)*(s[j]-s[i])
}

func TestPercentile(t *testing.T) {
	val := valuer(t)
	nan := math.NaN()
	x := []float64{3, 1, 4, 1, 5, 9, 2, 6}
	xn := []float64{3, nan, 1, 4, 1, nan, 5, 9, 2, 6}
	for _, d := range dtypes {
		for _, p := range []NanPolicy{NanPropagate, NanOmit} {
			wantVal(t, "q=0", val(d.pct(x, 0, p)), 1)
			wantVal(t, "q=100", val(d.pct(x, 100, p)), 9)
			wantVal(t, "q=50", val(d.pct(x, 50, p)), 3.5) // linear interpolation
			wantVal(t, "q=25", val(d.pct(x, 25, p)), 1.75)
			wantNear(t, "q=90", val(d.pct(x, 90, p)), 6.9, 1e-12)
			wantNear(t, "q=33.3", val(d.pct(x, 33.3, p)), percentileRef(x, 33.3), 1e-12)
		}
		wantVal(t, d.name+" omit q=50", val(d.pct(xn, 50, NanOmit)), 3.5)
		wantVal(t, d.name+" propagate q=50", val(d.pct(xn, 50, NanPropagate)), nan)
		for _, q := range []float64{-1, 101, nan, math.Inf(1)} {
			_, err := d.pct(x, q, NanOmit)
			wantErr(t, err, ErrInvalidArgument, "core_percentile_f")
		}
		_, err := d.pct(nil, 50, NanOmit) // no data
		wantErr(t, err, ErrEmpty, "core_percentile_f")
		_, err = d.pct([]float64{nan, nan}, 50, NanOmit)
		wantErr(t, err, ErrEmpty)
		_, err = d.pct(x, 50, 5)
		wantErr(t, err, ErrInvalidArgument)
	}
	g := lcg(5)
	r := make([]float64, 2049)
	for i := range r {
		r[i] = math.Floor(g.uniform() * 50) // many duplicates
	}
	r32 := toF32(r)
	scratch := make([]float32, len(r))
	for _, q := range []float64{0, 0.5, 25, 50, 77.7, 99.99, 100} {
		wantNear(t, "random", val(PercentileScratch(r32, q, NanPropagate, scratch)), percentileRef(r, q), 1e-12)
	}
	// x is not modified
	for i := range r {
		if float64(r32[i]) != r[i] {
			t.Fatalf("Percentile modified x[%d]", i)
		}
	}
}

func TestPercentileScratchErrors(t *testing.T) {
	x := []float32{3, 1, 4, 1, 5}
	_, err := PercentileScratch(x, 50, NanOmit, make([]float32, 4))
	wantErr(t, err, ErrBufferTooSmall, "core_percentile_f32")
	_, err = PercentileScratch(x, 50, NanOmit, nil) // nil scratch with data
	wantErr(t, err, ErrInvalidArgument, "core_percentile_f32")
	_, err = PercentileScratchF64([]float64{1, 2}, 50, NanOmit, []float64{0})
	wantErr(t, err, ErrBufferTooSmall, "core_percentile_f64")
	v, err := PercentileScratchF64([]float64{1, 2}, 50, NanOmit, make([]float64, 8))
	noErr(t, err)
	wantVal(t, "cap > n", v, 1.5)
}
