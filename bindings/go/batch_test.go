package core

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// wantBits checks two summaries field by field, bit for bit (NaN payloads
// and the sign of zero included).
func wantBits(t *testing.T, what string, got, want Summary) {
	t.Helper()
	b := math.Float64bits
	if got.Count != want.Count || got.NanCount != want.NanCount || b(got.Min) != b(want.Min) ||
		b(got.Max) != b(want.Max) || b(got.Sum) != b(want.Sum) || b(got.Mean) != b(want.Mean) ||
		b(got.M2) != b(want.M2) {
		t.Fatalf("%s: %+v, want bit for bit %+v", what, got, want)
	}
}

// batchLens are lengths around the library's block (2048), grain (32 Ki)
// and split (128 Ki) sizes.
var batchLens = []int{0, 1, 2, 7, 100, 1000, 2047, 2048, 2049, 5000, 40000, 131072, 200001}

// testArrays makes one separately allocated array per length, with a NaN
// in every third non-empty array.
func testArrays(seed uint64, lens []int) [][]float64 {
	out := make([][]float64, len(lens))
	for i, n := range lens {
		out[i] = randF64(seed+uint64(i), n, -3, 5)
		if n > 0 && i%3 == 2 {
			out[i][n/2] = math.NaN()
		}
	}
	return out
}

func arraysF32(a [][]float64) [][]float32 {
	out := make([][]float32, len(a))
	for i, x := range a {
		out[i] = toF32(x)
	}
	return out
}

func wantPerArray32(t *testing.T, what string, got []Summary, arrays [][]float32, nan NanPolicy) {
	t.Helper()
	if len(got) != len(arrays) {
		t.Fatalf("%s: %d summaries for %d arrays", what, len(got), len(arrays))
	}
	for i, a := range arrays {
		want, err := Stats(a, nan)
		noErr(t, err)
		wantBits(t, fmt.Sprintf("%s: array %d (len %d)", what, i, len(a)), got[i], want)
	}
}

func wantPerArray64(t *testing.T, what string, got []Summary, arrays [][]float64, nan NanPolicy) {
	t.Helper()
	if len(got) != len(arrays) {
		t.Fatalf("%s: %d summaries for %d arrays", what, len(got), len(arrays))
	}
	for i, a := range arrays {
		want, err := StatsF64(a, nan)
		noErr(t, err)
		wantBits(t, fmt.Sprintf("%s: array %d (len %d)", what, i, len(a)), got[i], want)
	}
}

func flatten[T float32 | float64](arrays [][]T) ([]T, []int) {
	var flat []T
	lens := make([]int, len(arrays))
	for i, a := range arrays {
		flat = append(flat, a...)
		lens[i] = len(a)
	}
	return flat, lens
}

// Separately allocated arrays: the copy path, with the large arrays
// summarized in place. Every summary is Stats's, bit for bit.
func TestBatchStatsSeparateArrays(t *testing.T) {
	a64 := testArrays(1, batchLens)
	a32 := arraysF32(a64)
	if _, _, _, ok := sharedBacking(a32); ok {
		t.Fatal("separate arrays taken for one backing array")
	}
	for _, p := range []NanPolicy{NanPropagate, NanOmit} {
		got, err := BatchStats(a32, p)
		noErr(t, err)
		wantPerArray32(t, fmt.Sprintf("f32 policy %d", p), got, a32, p)
		got, err = BatchStatsF64(a64, p)
		noErr(t, err)
		wantPerArray64(t, fmt.Sprintf("f64 policy %d", p), got, a64, p)
	}
}

// More small arrays than one copy buffer holds, with a large one in the
// middle: several buffer-fulls and a direct call in between.
func TestBatchStatsManySmallArrays(t *testing.T) {
	lens := make([]int, 1500)
	for i := range lens {
		lens[i] = 1000 + i%1500
	}
	lens[700] = batchDirect
	lens[701] = 0
	a64 := testArrays(7, lens)
	a32 := arraysF32(a64)
	got, err := BatchStats(a32, NanOmit)
	noErr(t, err)
	wantPerArray32(t, "f32", got, a32, NanOmit)
	got64, err := BatchStatsF64(a64, NanPropagate)
	noErr(t, err)
	wantPerArray64(t, "f64", got64, a64, NanPropagate)
}

// Sub-slices of one buffer (out of order, overlapping, empty ones
// anywhere) are summarized without a copy, through offsets.
func TestBatchStatsSharedBacking(t *testing.T) {
	buf := toF32(randF64(3, 300000, -1, 1))
	buf[12345] = float32(math.NaN())
	arrays := [][]float32{
		nil, buf[5000:9000], buf[0:10], buf[:0], buf[8000:8000], buf[100:250000],
		buf[299999:], buf[12000:13000], buf[5000:9000], {},
	}
	base, offs, lens, ok := sharedBacking(arrays)
	if !ok || len(base) != len(buf) || offs[1] != 5000 || lens[1] != 4000 || offs[5] != 100 || offs[2] != 0 {
		t.Fatalf("sharedBacking: ok %v, len(base) %d, offs %v, lens %v", ok, len(base), offs, lens)
	}
	for _, p := range []NanPolicy{NanPropagate, NanOmit} {
		got, err := BatchStats(arrays, p)
		noErr(t, err)
		wantPerArray32(t, "shared", got, arrays, p)
	}
	// Sub-slices of two buffers: the copy path, same results.
	other := toF32(randF64(5, 1000, -1, 1))
	arrays = [][]float32{buf[100:200], other[50:60], buf[7:9]}
	if _, _, _, ok := sharedBacking(arrays); ok {
		t.Fatal("two buffers taken for one backing array")
	}
	got, err := BatchStats(arrays, NanOmit)
	noErr(t, err)
	wantPerArray32(t, "two buffers", got, arrays, NanOmit)

	// A first array with a cut capacity hides the rest: the copy path.
	arrays = [][]float32{buf[20:30], buf[0:10:10]}
	if _, _, _, ok := sharedBacking(arrays); ok {
		t.Fatal("an array beyond the first one's capacity taken as shared")
	}
	got, err = BatchStats(arrays, NanOmit)
	noErr(t, err)
	wantPerArray32(t, "cut cap", got, arrays, NanOmit)

	b64 := randF64(4, 70000, 0, 9)
	arrays64 := [][]float64{b64[60000:], b64[:3], nil, b64[1000:50000]}
	if _, _, _, ok := sharedBacking(arrays64); !ok {
		t.Fatal("f64 sub-slices not taken as shared")
	}
	got, err = BatchStatsF64(arrays64, NanPropagate)
	noErr(t, err)
	wantPerArray64(t, "shared f64", got, arrays64, NanPropagate)
}

func TestBatchStatsFlat(t *testing.T) {
	a64 := testArrays(11, batchLens)
	a32 := arraysF32(a64)
	flat32, lens := flatten(a32)
	flat64, _ := flatten(a64)
	for _, p := range []NanPolicy{NanPropagate, NanOmit} {
		got, err := BatchStatsFlat(flat32, lens, p)
		noErr(t, err)
		wantPerArray32(t, "flat f32", got, a32, p)
		got, err = BatchStatsFlatF64(flat64, lens, p)
		noErr(t, err)
		wantPerArray64(t, "flat f64", got, a64, p)
	}
	// More than 64 arrays: the C helper's pointer array is malloc'd.
	many := make([]int, 1000)
	for i := range many {
		many[i] = len(flat32) / 1000
	}
	many[999] += len(flat32) % 1000
	got, err := BatchStatsFlat(flat32, many, NanOmit)
	noErr(t, err)
	for i, off := 0, 0; i < len(many); off, i = off+many[i], i+1 {
		want, err := Stats(flat32[off:off+many[i]], NanOmit)
		noErr(t, err)
		wantBits(t, fmt.Sprintf("array %d of 1000", i), got[i], want)
	}
}

// The thread count changes nothing, bit for bit.
func TestBatchStatsThreadCounts(t *testing.T) {
	defer SetNumThreads(0)
	a32 := arraysF32(testArrays(21, batchLens))
	flat, lens := flatten(a32)
	noErr(t, SetNumThreads(1))
	one, err := BatchStatsFlat(flat, lens, NanOmit)
	noErr(t, err)
	fr1, err := StatsFrames(flat, 400, 160)
	noErr(t, err)
	for _, n := range []int{2, 8, 0} {
		noErr(t, SetNumThreads(n))
		got, err := BatchStatsFlat(flat, lens, NanOmit)
		noErr(t, err)
		for i := range got {
			wantBits(t, fmt.Sprintf("%d threads, array %d", n, i), got[i], one[i])
		}
		frn, err := StatsFrames(flat, 400, 160)
		noErr(t, err)
		for i := range frn {
			wantBits(t, fmt.Sprintf("%d threads, frame %d", n, i), frn[i], fr1[i])
		}
	}
}

func TestBatchStatsEmpty(t *testing.T) {
	for _, f := range []func() ([]Summary, error){
		func() ([]Summary, error) { return BatchStats(nil, NanOmit) },
		func() ([]Summary, error) { return BatchStatsF64([][]float64{}, NanOmit) },
		func() ([]Summary, error) { return BatchStatsFlat(nil, nil, NanOmit) },
		func() ([]Summary, error) { return BatchStatsFlatF64([]float64{}, []int{}, NanOmit) },
	} {
		got, err := f()
		noErr(t, err)
		if got == nil || len(got) != 0 {
			t.Fatalf("no arrays: %v (nil %v)", got, got == nil)
		}
	}
	// Only empty arrays: empty summaries.
	nan := math.NaN()
	empty := Summary{0, 0, nan, nan, 0, nan, nan}
	for _, got := range [][]Summary{
		must(BatchStats([][]float32{nil, {}, nil}, NanOmit)),
		must(BatchStatsFlat(nil, []int{0, 0}, NanPropagate)),
		must(BatchStatsF64([][]float64{nil}, NanPropagate)),
	} {
		for i, s := range got {
			wantSummary(t, fmt.Sprintf("empty array %d", i), s, empty)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestBatchStatsErrors(t *testing.T) {
	x := f32s(1, 2, 3, 4)
	_, err := BatchStatsFlat(x, []int{1, -1, 4}, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "lens[1] = -1")
	_, err = BatchStatsFlat(x, []int{2, 3}, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "more than len(flat) = 4")
	_, err = BatchStatsFlat(x, []int{1, 2}, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "add up to 3, not len(flat) = 4")
	// a nil slice with lengths
	_, err = BatchStatsFlat(nil, []int{3}, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "len(flat) = 0")
	_, err = BatchStatsFlatF64(nil, []int{0, 1}, NanOmit)
	wantErr(t, err, ErrInvalidArgument)
	// a bad NaN policy, found by libcore, on every path
	_, err = BatchStatsFlat(x, []int{4}, NanPolicy(7))
	wantErr(t, err, ErrInvalidArgument, "core_batch_stats_f32")
	_, err = BatchStats([][]float32{x, f32s(5)}, NanPolicy(7))
	wantErr(t, err, ErrInvalidArgument, "core_batch_stats_f32")
	_, err = BatchStats([][]float32{x[:2], x[2:]}, NanPolicy(-1))
	wantErr(t, err, ErrInvalidArgument, "core_batch_stats_f32")
	_, err = BatchStatsF64([][]float64{{1}, {2}}, NanPolicy(2))
	wantErr(t, err, ErrInvalidArgument, "core_batch_stats_f64")
	big := make([]float32, batchDirect)
	_, err = BatchStats([][]float32{{1}, big}, NanPolicy(9))
	wantErr(t, err, ErrInvalidArgument, "core_batch_stats_f32")
}

// ---- frames ----

func TestStatsFramesLen(t *testing.T) {
	for _, c := range []struct{ n, frame, hop, want int }{
		{10, 4, 2, 4}, {11, 4, 2, 4}, {12, 4, 2, 5}, {4, 4, 1, 1}, {5, 1, 1, 5}, {5, 2, 10, 1},
		{57600000, 400, 160, 359998},
	} {
		got, err := StatsFramesLen(c.n, c.frame, c.hop)
		noErr(t, err)
		if got != c.want {
			t.Fatalf("StatsFramesLen(%d, %d, %d) = %d, want %d", c.n, c.frame, c.hop, got, c.want)
		}
	}
	_, err := StatsFramesLen(10, 0, 1)
	wantErr(t, err, ErrInvalidArgument, "frame must be > 0")
	_, err = StatsFramesLen(10, 2, 0)
	wantErr(t, err, ErrInvalidArgument, "hop must be > 0")
	_, err = StatsFramesLen(3, 4, 1)
	wantErr(t, err, ErrInvalidArgument, "longer than the signal")
	_, err = StatsFramesLen(-1, 4, 1)
	wantErr(t, err, ErrInvalidArgument, "n = -1")
	_, err = StatsFramesLen(10, -4, 1)
	wantErr(t, err, ErrInvalidArgument, "frame = -4")
	_, err = StatsFramesLen(10, 4, -1)
	wantErr(t, err, ErrInvalidArgument, "hop = -1")
}

func TestStatsFrames(t *testing.T) {
	x64 := randF64(5, 10007, -1, 1)
	x64[777] = math.NaN()
	x32 := toF32(x64)
	for _, c := range []struct{ frame, hop int }{{400, 160}, {1, 1}, {10007, 3}, {2048, 2048}, {3000, 5000}, {5, 7}} {
		got, err := StatsFrames(x32, c.frame, c.hop)
		noErr(t, err)
		got64, err := StatsFramesF64(x64, c.frame, c.hop)
		noErr(t, err)
		k := 1 + (len(x32)-c.frame)/c.hop
		if len(got) != k || len(got64) != k {
			t.Fatalf("frame %d hop %d: %d and %d frames, want %d", c.frame, c.hop, len(got), len(got64), k)
		}
		for i := 0; i < k; i++ {
			w := x32[i*c.hop : i*c.hop+c.frame]
			want, err := Stats(w, NanPropagate)
			noErr(t, err)
			wantBits(t, fmt.Sprintf("frame %d/%d, %d", c.frame, c.hop, i), got[i], want)
			want, err = StatsF64(x64[i*c.hop:i*c.hop+c.frame], NanPropagate)
			noErr(t, err)
			wantBits(t, fmt.Sprintf("f64 frame %d/%d, %d", c.frame, c.hop, i), got64[i], want)
		}
	}
	// The frame holding the NaN says so.
	got, err := StatsFrames(x32, 100, 100)
	noErr(t, err)
	if got[7].NanCount != 1 || !math.IsNaN(got[7].Mean) || got[6].NanCount != 0 {
		t.Fatalf("NaN frame: %+v, %+v", got[7], got[6])
	}
}

func TestStatsFramesInto(t *testing.T) {
	x := toF32(randF64(6, 1000, 0, 1))
	want, err := StatsFrames(x, 100, 50)
	noErr(t, err)
	dst := make([]Summary, len(want)+3)
	n, err := StatsFramesInto(dst, x, 100, 50)
	noErr(t, err)
	if n != len(want) {
		t.Fatalf("StatsFramesInto: %d frames, want %d", n, len(want))
	}
	for i := range want {
		wantBits(t, "into", dst[i], want[i])
	}
	// too short: the count needed, nothing written
	short := make([]Summary, 5)
	n, err = StatsFramesInto(short, x, 100, 50)
	wantErr(t, err, ErrBufferTooSmall, "core_stats_frames_f32")
	if n != len(want) || short[0] != (Summary{}) {
		t.Fatalf("short dst: n = %d (want %d), dst[0] = %+v", n, len(want), short[0])
	}
	n, err = StatsFramesIntoF64(nil, toF64(x), 100, 50)
	wantErr(t, err, ErrBufferTooSmall, "core_stats_frames_f64")
	if n != len(want) {
		t.Fatalf("nil dst: n = %d, want %d", n, len(want))
	}
	n, err = StatsFramesIntoF64(dst, toF64(x), 100, 0)
	wantErr(t, err, ErrInvalidArgument, "hop must be > 0")
	if n != 0 {
		t.Fatalf("error: n = %d", n)
	}
}

func TestStatsFramesErrors(t *testing.T) {
	x := f32s(1, 2, 3)
	for _, c := range []struct {
		frame, hop int
		msg        string
	}{{0, 1, "frame must be > 0"}, {1, 0, "hop must be > 0"}, {4, 1, "longer than the signal"},
		{-1, 1, "frame = -1"}, {1, -2, "hop = -2"}} {
		out, err := StatsFrames(x, c.frame, c.hop)
		wantErr(t, err, ErrInvalidArgument, c.msg)
		if out != nil {
			t.Fatalf("frame %d hop %d: %v on error", c.frame, c.hop, out)
		}
		_, err = StatsFramesF64(toF64(x), c.frame, c.hop)
		wantErr(t, err, ErrInvalidArgument, c.msg)
	}
	// nil x: frame > n = 0
	_, err := StatsFrames(nil, 1, 1)
	wantErr(t, err, ErrInvalidArgument, "longer than the signal")
}

// ---- accumulator ----

// pushChunks pushes x in chunks of the given sizes, cycling.
func pushChunks(t *testing.T, a *StatsAcc, x []float32, sizes ...int) {
	t.Helper()
	for i, k := 0, 0; i < len(x); k++ {
		n := sizes[k%len(sizes)]
		if n > len(x)-i {
			n = len(x) - i
		}
		noErr(t, a.Push(x[i:i+n]))
		i += n
	}
}

func TestStatsAccDeclaredTotal(t *testing.T) {
	x64 := randF64(8, 100003, -2, 7)
	x64[5000] = math.NaN()
	x := toF32(x64)
	for _, p := range []NanPolicy{NanPropagate, NanOmit} {
		want, err := Stats(x, p)
		noErr(t, err)
		for _, sizes := range [][]int{{len(x)}, {1}, {1000, 7, 4096}, {2048}, {65537}} {
			if len(sizes) == 1 && sizes[0] == 1 && p == NanPropagate {
				continue // 1e5 cgo calls: once is enough
			}
			a, err := NewStatsAcc(p, int64(len(x)))
			noErr(t, err)
			pushChunks(t, a, x, sizes...)
			got, err := a.Result()
			noErr(t, err)
			wantBits(t, fmt.Sprintf("policy %d chunks %v", p, sizes), got, want)
		}
		want64, err := StatsF64(x64, p)
		noErr(t, err)
		a, err := NewStatsAcc(p, int64(len(x64)))
		noErr(t, err)
		for i := 0; i < len(x64); i += 3333 {
			noErr(t, a.PushF64(x64[i:min(i+3333, len(x64))]))
		}
		got, err := a.Result()
		noErr(t, err)
		wantBits(t, fmt.Sprintf("f64 policy %d", p), got, want64)
	}
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// Length unknown: bit-identical up to 2048 values, and the same result
// for every way of cutting the stream.
func TestStatsAccUnknownTotal(t *testing.T) {
	x := toF32(randF64(9, 2048, 0, 1))
	want, err := Stats(x, NanOmit)
	noErr(t, err)
	a, err := NewStatsAcc(NanOmit, 0)
	noErr(t, err)
	pushChunks(t, a, x, 100, 1, 333)
	got, err := a.Result()
	noErr(t, err)
	wantBits(t, "2048 values", got, want)

	y := toF32(randF64(10, 50000, -5, 5))
	var first Summary
	for k, sizes := range [][]int{{50000}, {1}, {4097, 100}, {2048}} {
		if k == 1 {
			sizes = []int{17}
		}
		a, err := NewStatsAcc(NanPropagate, 0)
		noErr(t, err)
		pushChunks(t, a, y, sizes...)
		got, err := a.Result()
		noErr(t, err)
		if k == 0 {
			first = got
			ref, err := Stats(y, NanPropagate)
			noErr(t, err)
			if got.Count != ref.Count || got.Min != ref.Min || got.Max != ref.Max {
				t.Fatalf("unknown total: %+v, Stats %+v", got, ref)
			}
			wantNear(t, "mean", got.Mean, ref.Mean, 1e-12)
			wantNear(t, "m2", got.M2, ref.M2, 1e-12)
		} else {
			wantBits(t, fmt.Sprintf("chunks %v", sizes), got, first)
		}
	}
}

func TestStatsAccMergeCloneReset(t *testing.T) {
	x := toF32(randF64(12, 30000, -1, 3))
	y := toF32(randF64(13, 7000, 10, 20))
	a, err := NewStatsAcc(NanOmit, 0)
	noErr(t, err)
	noErr(t, a.Push(x))
	b, err := NewStatsAcc(NanOmit, int64(len(y)))
	noErr(t, err)
	noErr(t, b.Push(y))
	ra, _ := a.Result()
	rb, _ := b.Result()
	want, err := ra.Merge(rb)
	noErr(t, err)

	c := a.Clone()
	noErr(t, a.Merge(b))
	got, err := a.Result()
	noErr(t, err)
	wantBits(t, "merge", got, want)
	// src unchanged, the clone forked before the merge
	if r, _ := b.Result(); r != rb {
		t.Fatalf("src changed: %+v", r)
	}
	if r, _ := c.Result(); r != ra {
		t.Fatalf("clone changed: %+v", r)
	}
	// merging into itself doubles the sample
	noErr(t, c.Merge(c))
	r, _ := c.Result()
	if r.Count != 2*ra.Count || r.Min != ra.Min || r.Max != ra.Max {
		t.Fatalf("self merge: %+v from %+v", r, ra)
	}
	// after a merge, pushes start a new segment of either dtype
	noErr(t, a.PushF64([]float64{100}))
	r, _ = a.Result()
	if r.Count != got.Count+1 || r.Max != 100 {
		t.Fatalf("push after merge: %+v", r)
	}
	// Reset reuses the state
	noErr(t, a.Reset(NanPropagate, 2))
	noErr(t, a.Push(f32s(1, 3)))
	r, _ = a.Result()
	wantSummary(t, "after reset", r, Summary{2, 0, 1, 3, 4, 2, 2})
	// a zero StatsAcc becomes usable by Reset
	var z StatsAcc
	noErr(t, z.Reset(NanOmit, 0))
	r, err = z.Result()
	noErr(t, err)
	if r.Count != 0 {
		t.Fatalf("empty stream: %+v", r)
	}
}

func TestStatsAccErrors(t *testing.T) {
	_, err := NewStatsAcc(NanPolicy(5), 0)
	wantErr(t, err, ErrInvalidArgument, "core_stats_acc_init")
	_, err = NewStatsAcc(NanOmit, -1)
	wantErr(t, err, ErrInvalidArgument, "total = -1")

	// zero and nil accumulators: errors, never a crash
	var z StatsAcc
	var nilAcc *StatsAcc
	for _, a := range []*StatsAcc{&z, nilAcc} {
		wantErr(t, a.Push(f32s(1)), ErrInvalidArgument, "not initialized")
		wantErr(t, a.PushF64([]float64{1}), ErrInvalidArgument, "not initialized")
		_, err = a.Result()
		wantErr(t, err, ErrInvalidArgument, "not initialized")
		wantErr(t, a.Merge(a), ErrInvalidArgument, "not initialized")
		if c := a.Clone(); c == nil || c.mem != nil {
			t.Fatalf("clone of a zero StatsAcc: %+v", c)
		}
	}
	wantErr(t, nilAcc.Reset(NanOmit, 0), ErrInvalidArgument, "nil *StatsAcc")
	// memory that was never initialized by libcore
	raw := &StatsAcc{mem: new(accState)}
	wantErr(t, raw.Push(f32s(1)), ErrInvalidArgument, "not initialized")

	a, err := NewStatsAcc(NanOmit, 3)
	noErr(t, err)
	wantErr(t, a.Merge(nil), ErrInvalidArgument, "not initialized")
	wantErr(t, a.Merge(&z), ErrInvalidArgument, "not initialized")
	noErr(t, a.Push(f32s(1, 2)))
	// the other dtype, a push beyond the declared total: a unchanged
	wantErr(t, a.PushF64([]float64{3}), ErrInvalidArgument, "f32")
	wantErr(t, a.Push(f32s(3, 4)), ErrInvalidArgument, "exceed the declared total")
	noErr(t, a.Push(nil))
	noErr(t, a.Push(f32s(3)))
	r, err := a.Result()
	noErr(t, err)
	wantSummary(t, "unchanged by the failed pushes", r, Summary{3, 0, 1, 3, 6, 2, 2})
	// different NaN policies
	b, err := NewStatsAcc(NanPropagate, 0)
	noErr(t, err)
	wantErr(t, a.Merge(b), ErrInvalidArgument, "nan policies")
}

// ---- files ----

func writeF32File(t *testing.T, name string, x []float32) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	b := make([]byte, 4*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v)) // x86-64 and arm64: native
	}
	noErr(t, os.WriteFile(p, b, 0o600))
	return p
}

func TestStatsFile(t *testing.T) {
	x := toF32(randF64(14, 300001, -4, 4))
	x[99] = float32(math.NaN())
	p := writeF32File(t, "x.f32", x)
	for _, c := range []struct{ off, count int }{{0, 0}, {0, len(x)}, {100, 0}, {100, 5000}, {len(x) - 1, 1}, {len(x), 0}} {
		for _, pol := range []NanPolicy{NanPropagate, NanOmit} {
			got, err := StatsFile(p, int64(c.off), int64(c.count), pol)
			noErr(t, err)
			end := len(x)
			if c.count > 0 {
				end = c.off + c.count
			}
			want, err := Stats(x[c.off:end], pol)
			noErr(t, err)
			wantBits(t, fmt.Sprintf("file [%d, %d) policy %d", c.off, end, pol), got, want)
		}
	}
}

func TestStatsFileErrors(t *testing.T) {
	dir := t.TempDir()
	p := writeF32File(t, "four.f32", f32s(1, 2, 3, 4))
	_, err := StatsFile(filepath.Join(dir, "missing.f32"), 0, 0, NanOmit)
	wantErr(t, err, ErrNotFound, "core_stats_file_f32")
	odd := filepath.Join(dir, "odd.f32")
	noErr(t, os.WriteFile(odd, make([]byte, 10), 0o600))
	_, err = StatsFile(odd, 0, 0, NanOmit)
	wantErr(t, err, ErrFormat, "core_stats_file_f32")
	_, err = StatsFile(dir, 0, 0, NanOmit)
	wantErr(t, err, ErrIO, "core_stats_file_f32")
	_, err = StatsFile(p, 5, 0, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "core_stats_file_f32")
	_, err = StatsFile(p, 2, 3, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "core_stats_file_f32")
	_, err = StatsFile(p, 0, 0, NanPolicy(3))
	wantErr(t, err, ErrInvalidArgument, "core_stats_file_f32")
	_, err = StatsFile(p, -1, 0, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "negative")
	_, err = StatsFile(p, 0, -1, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "negative")
	_, err = StatsFile(p+"\x00.txt", 0, 0, NanOmit)
	wantErr(t, err, ErrInvalidArgument, "NUL")
	_, err = StatsFile("", 0, 0, NanOmit)
	if err == nil {
		t.Fatal("empty path accepted")
	}
	s, err := StatsFile(p, 0, 0, NanOmit)
	noErr(t, err)
	wantSummary(t, "four values", s, Summary{4, 0, 1, 4, 10, 2.5, 5})
}
