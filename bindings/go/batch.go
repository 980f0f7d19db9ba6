package core

import (
	"strings"
	"sync"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// Batch statistics (include/core/batch.h): many arrays, the frames of one
// signal, a stream pushed chunk by chunk, a raw float32 file. Every Summary
// returned here is bit for bit the one Stats / StatsF64 gives for the same
// values, whatever SetNumThreads says (the accumulator: see StatsAcc).

// int is passed to C as size_t without a copy where a []int holds lengths:
// a constant index out of range here if int is not 64 bits.
func _() {
	var x [1]struct{}
	_ = x[unsafe.Sizeof(int(0))-8]
}

// u64s views lens (already checked to hold no negative value) as the
// []uint64 that C reads as size_t, without a copy.
func u64s(lens []int) []uint64 {
	if len(lens) == 0 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&lens[0])), len(lens))
}

func summaries(out []Summary) unsafe.Pointer {
	if len(out) == 0 {
		return nil
	}
	return unsafe.Pointer(&out[0])
}

// batchCall is capi.Core_go_batch_f32 or _f64: the arrays lie in x[0, n)
// at offs (nil: one after the other) with lengths lens.
type batchCall[T float32 | float64] func(x []T, n int64, offs, lens []uint64, count int64,
	nan int, out unsafe.Pointer) int64

// BatchStatsFlat summarizes consecutive arrays stored in one slice, without
// copying anything: array i is the next lens[i] values of flat, so array 0
// is flat[0:lens[0]], array 1 flat[lens[0]:lens[0]+lens[1]], and so on;
// the lengths must add up to len(flat). out[i] is bit for bit
// Stats(array i, nan). libcore summarizes the arrays in parallel (small
// ones grouped, large ones split), in one cgo call; the binding's only
// cost is an array of len(lens) pointers that a C helper builds (on its
// stack up to 64 arrays, else malloc'd).
//
// ErrInvalidArgument for a negative length, lengths whose sum is not
// len(flat), or a NanPolicy outside the enum. No lens gives an empty,
// non-nil result.
func BatchStatsFlat(flat []float32, lens []int, nan NanPolicy) ([]Summary, error) {
	return batchFlat("core.BatchStatsFlat", capi.Core_go_batch_f32, flat, lens, nan)
}

// BatchStatsFlatF64 is BatchStatsFlat for float64 (core_batch_stats_f64).
func BatchStatsFlatF64(flat []float64, lens []int, nan NanPolicy) ([]Summary, error) {
	return batchFlat("core.BatchStatsFlatF64", capi.Core_go_batch_f64, flat, lens, nan)
}

func batchFlat[T float32 | float64](op string, call batchCall[T], flat []T, lens []int,
	nan NanPolicy) ([]Summary, error) {
	total := 0
	for i, n := range lens {
		if n < 0 {
			return nil, argError(op, ErrInvalidArgument, "lens[%d] = %d is negative", i, n)
		}
		if n > len(flat)-total {
			return nil, argError(op, ErrInvalidArgument,
				"lens[:%d] add up to more than len(flat) = %d", i+1, len(flat))
		}
		total += n
	}
	if total != len(flat) {
		return nil, argError(op, ErrInvalidArgument,
			"lens add up to %d, not len(flat) = %d", total, len(flat))
	}
	out := make([]Summary, len(lens))
	r := call(flat, int64(len(flat)), nil, u64s(lens), int64(len(lens)), int(nan), summaries(out))
	return done(op, out, r)
}

// BatchStats summarizes each array: out[i] is bit for bit Stats(arrays[i],
// nan), computed in parallel by libcore (core_batch_stats_f32). nil and
// empty arrays are allowed (an empty summary).
//
// Costs. cgo may not hand C an array of Go pointers ([][]float32 is one),
// so the binding finds a way around it:
//
//   - When every non-empty array lies in the backing array of the one that
//     starts first (sub-slices of one buffer, in any order, overlapping or
//     not, as when a signal is cut into frames or chunks), nothing is copied:
//     one cgo call gets that buffer plus offsets and lengths, as
//     BatchStatsFlat does. The binding allocates two []uint64 of
//     len(arrays).
//   - Otherwise an array of 128 Ki values or more is summarized where it is,
//     by a call of its own (libcore splits it over its threads), and
//     smaller arrays are copied into a pooled 1 Mi-value buffer, one call
//     per buffer-full: a copy of those arrays' bytes (memmove speed) plus
//     one cgo call per 1 Mi values.
//
// BatchStatsFlat never copies. ErrInvalidArgument for a NanPolicy outside
// the enum.
func BatchStats(arrays [][]float32, nan NanPolicy) ([]Summary, error) {
	return batchArrays("core.BatchStats", capi.Core_go_batch_f32, &scratchF32, arrays, nan)
}

// BatchStatsF64 is BatchStats for float64 (core_batch_stats_f64); its
// copy buffer holds 1 Mi float64 values.
func BatchStatsF64(arrays [][]float64, nan NanPolicy) ([]Summary, error) {
	return batchArrays("core.BatchStatsF64", capi.Core_go_batch_f64, &scratchF64, arrays, nan)
}

const (
	// batchDirect: an array at least this long is summarized in place,
	// alone (libcore splits arrays of 128 Ki values or more over threads).
	batchDirect = 128 << 10
	// batchScratch: values copied per call for the smaller arrays.
	batchScratch = 1 << 20
)

// The copy buffers of BatchStats (Go memory without pointers).
var (
	scratchF32 = sync.Pool{New: func() interface{} { b := make([]float32, batchScratch); return &b }}
	scratchF64 = sync.Pool{New: func() interface{} { b := make([]float64, batchScratch); return &b }}
)

func batchArrays[T float32 | float64](op string, call batchCall[T], pool *sync.Pool,
	arrays [][]T, nan NanPolicy) ([]Summary, error) {
	out := make([]Summary, len(arrays))
	if base, offs, lens, ok := sharedBacking(arrays); ok {
		r := call(base, int64(len(base)), offs, lens, int64(len(arrays)), int(nan), summaries(out))
		return done(op, out, r)
	}

	bp := pool.Get().(*[]T)
	defer pool.Put(bp)
	buf := *bp
	var lens [1]uint64
	// flush summarizes the group arrays[first:last], copied to buf[:used].
	first, used := 0, 0
	flush := func(last int) int64 {
		if last == first {
			return 0
		}
		glens := make([]uint64, last-first)
		for i := range glens {
			glens[i] = uint64(len(arrays[first+i]))
		}
		return call(buf[:used], int64(used), nil, glens, int64(len(glens)), int(nan),
			unsafe.Pointer(&out[first]))
	}
	for i, a := range arrays {
		if len(a) < batchDirect && len(a) <= len(buf)-used {
			used += copy(buf[used:], a)
			continue
		}
		if r := flush(i); r != 0 {
			return nil, fail(op, r)
		}
		first, used = i, 0
		if len(a) >= batchDirect {
			lens[0] = uint64(len(a))
			if r := call(a, int64(len(a)), nil, lens[:], 1, int(nan), unsafe.Pointer(&out[i])); r != 0 {
				return nil, fail(op, r)
			}
			first = i + 1
		} else {
			used = copy(buf, a)
		}
	}
	return done(op, out, flush(len(arrays)))
}

// sharedBacking reports whether every non-empty array lies inside the
// backing array of the one that starts first in memory, a0[:cap(a0)]. Go
// allocations do not overlap, so an array whose memory starts inside that
// range belongs to the same allocation; the pointer arithmetic is done on
// uintptr values and never turned back into a pointer. It returns that
// backing array and each array's offset and length in it.
func sharedBacking[T float32 | float64](arrays [][]T) (base []T, offs, lens []uint64, ok bool) {
	k := -1
	var start uintptr
	for i, a := range arrays {
		if len(a) > 0 {
			if p := uintptr(unsafe.Pointer(&a[0])); k < 0 || p < start {
				k, start = i, p
			}
		}
	}
	if k < 0 { // nothing to read: any base will do
		return nil, nil, make([]uint64, len(arrays)), true
	}
	base = arrays[k][:cap(arrays[k])]
	var zero T
	size := unsafe.Sizeof(zero)
	offs = make([]uint64, len(arrays))
	lens = make([]uint64, len(arrays))
	for i, a := range arrays {
		if len(a) == 0 {
			continue
		}
		p := uintptr(unsafe.Pointer(&a[0])) // >= start
		o := (p - start) / size
		if (p-start)%size != 0 || o > uintptr(len(base)) || uintptr(len(a)) > uintptr(len(base))-o {
			return nil, nil, nil, false
		}
		offs[i], lens[i] = uint64(o), uint64(len(a))
	}
	return base, offs, lens, true
}

// ---- frames ------------------------------------------------------------------

// StatsFramesLen is the number of whole frames of length frame, hop values
// apart, in a signal of n values: 1 + (n - frame) / hop
// (core_stats_frames_len). A partial last frame is not counted: pad the
// signal to keep it (librosa.util.frame's rule). ErrInvalidArgument for
// frame or hop 0 or negative, n negative, or frame > n.
func StatsFramesLen(n, frame, hop int) (int, error) {
	return framesLen("core.StatsFramesLen", n, frame, hop)
}

func framesLen(op string, n, frame, hop int) (int, error) {
	if err := checkFrames(op, n, frame, hop); err != nil {
		return 0, err
	}
	c := getCells()
	k, err := c.count(op, capi.Core_stats_frames_len(int64(n), int64(frame), int64(hop), c.u[:]))
	return int(k), err
}

func checkFrames(op string, n, frame, hop int) error {
	if err := checkSize(op, "n", n); err != nil {
		return err
	}
	if err := checkSize(op, "frame", frame); err != nil {
		return err
	}
	return checkSize(op, "hop", hop)
}

// StatsFrames summarizes every whole frame of x: out[i] is bit for bit
// Stats(x[i*hop : i*hop+frame], NanPropagate) for i < StatsFramesLen(len(x),
// frame, hop) (core_stats_frames_f32, in parallel over frames, without
// copying x). NaN propagates, as np.mean over each frame; NanCount still
// tells which frames held one. A partial last frame is dropped. Errors as
// StatsFramesLen.
func StatsFrames(x []float32, frame, hop int) ([]Summary, error) {
	const op = "core.StatsFrames"
	k, err := framesLen(op, len(x), frame, hop)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, k)
	if _, err = framesInto(op, capi.Core_stats_frames_f32, out, x, frame, hop); err != nil {
		return nil, err
	}
	return out, nil
}

// StatsFramesF64 is StatsFrames for float64 (core_stats_frames_f64).
func StatsFramesF64(x []float64, frame, hop int) ([]Summary, error) {
	const op = "core.StatsFramesF64"
	k, err := framesLen(op, len(x), frame, hop)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, k)
	if _, err = framesInto(op, capi.Core_stats_frames_f64, out, x, frame, hop); err != nil {
		return nil, err
	}
	return out, nil
}

// StatsFramesInto writes the frame summaries of StatsFrames to dst and
// returns their number, allocating nothing. A dst shorter than that is
// ErrBufferTooSmall, and the count returned is then the length needed
// (nothing is written). Other errors as StatsFramesLen.
func StatsFramesInto(dst []Summary, x []float32, frame, hop int) (int, error) {
	return framesInto("core.StatsFramesInto", capi.Core_stats_frames_f32, dst, x, frame, hop)
}

// StatsFramesIntoF64 is StatsFramesInto for float64.
func StatsFramesIntoF64(dst []Summary, x []float64, frame, hop int) (int, error) {
	return framesInto("core.StatsFramesIntoF64", capi.Core_stats_frames_f64, dst, x, frame, hop)
}

func framesInto[T float32 | float64](op string,
	call func(x []T, n, frame, hop int64, out unsafe.Pointer, cap int64, frames []uint64) int64,
	dst []Summary, x []T, frame, hop int) (int, error) {
	if err := checkFrames(op, len(x), frame, hop); err != nil {
		return 0, err
	}
	c := getCells()
	r := call(x, int64(len(x)), int64(frame), int64(hop), summaries(dst), int64(len(dst)), c.u[:])
	return c.framesCount(op, r)
}

// framesCount releases c and returns the frame count, also on
// ErrBufferTooSmall, where libcore wrote the count needed.
func (c *cells) framesCount(op string, r int64) (int, error) {
	k := int(c.u[0])
	c.put()
	if r == 0 {
		return k, nil
	}
	err := fail(op, r)
	if err.(*Error).Status == ErrBufferTooSmall {
		return k, err
	}
	return 0, err
}

// ---- streaming accumulator ---------------------------------------------------

// StatsAcc summarizes a stream pushed chunk by chunk (core_stats_acc_t).
// The result never depends on how the stream was cut into pushes; when the
// stream length was declared (total > 0) and exactly that many values were
// pushed, Result is bit for bit Stats (StatsF64) of the whole stream. With
// total 0 (length unknown) count, NaN count, min and max are exact and sum,
// mean and M2 may differ from Stats by a few ulps (the order of the final
// merges; bit-identical up to 2048 values), see include/core/batch.h.
//
// The state (about 21 KiB, plain data) lives in Go memory of its own,
// allocated by NewStatsAcc and freed by the garbage collector: there is
// nothing to close. Copying a StatsAcc value copies a reference to the same
// state; use Clone to fork a stream.
//
// Not safe for concurrent use: one goroutine at a time may Push, Merge or
// Reset; Result and Clone only read, and may run in several goroutines at
// once while none modifies the accumulator. For parallel workers give each
// its own StatsAcc and Merge them at the end.
type StatsAcc struct {
	mem *accState
}

// accState has the size of core_stats_acc_t, and its alignment: a
// [N]uint64 array holds no pointer, so it is its own noscan allocation and
// may be handed to C.
type accState [capi.StatsAccSize / 8]uint64

func _() {
	var x [1]struct{}
	_ = x[capi.StatsAccSize%8]                                 // a whole number of uint64
	_ = x[capi.StatsAccSize-unsafe.Sizeof(accState{})]         // same size
	_ = x[(capi.StatsAccAlign-1)&^(unsafe.Alignof(accState{})-1)] // C's alignment <= Go's
}

// NewStatsAcc starts an empty stream (core_stats_acc_init). total is the
// number of values that will be pushed, when known (the result is then
// exactly Stats's), or 0. ErrInvalidArgument for a negative total or a
// NanPolicy outside the enum.
func NewStatsAcc(nan NanPolicy, total int64) (*StatsAcc, error) {
	a := &StatsAcc{}
	if err := a.reset("core.NewStatsAcc", nan, total); err != nil {
		return nil, err
	}
	return a, nil
}

// Reset starts a new stream in a (as NewStatsAcc), reusing its memory. A
// zero StatsAcc becomes usable by Reset.
func (a *StatsAcc) Reset(nan NanPolicy, total int64) error {
	return a.reset("core.StatsAcc.Reset", nan, total)
}

func (a *StatsAcc) reset(op string, nan NanPolicy, total int64) error {
	if a == nil {
		return argError(op, ErrInvalidArgument, "nil *StatsAcc")
	}
	if total < 0 {
		return argError(op, ErrInvalidArgument, "total = %d is negative", total)
	}
	mem := a.mem
	if mem == nil {
		mem = new(accState)
	}
	if r := capi.Core_stats_acc_init(unsafe.Pointer(mem), int(nan), uint64(total)); r != 0 {
		return fail(op, r)
	}
	a.mem = mem
	return nil
}

func (a *StatsAcc) state(op string) (unsafe.Pointer, error) {
	if a == nil || a.mem == nil {
		return nil, argError(op, ErrInvalidArgument, "the StatsAcc is not initialized (use NewStatsAcc or Reset)")
	}
	return unsafe.Pointer(a.mem), nil
}

// Push appends x to the stream (core_stats_acc_push_f32). The first
// non-empty push fixes the dtype: an accumulator takes only float32 (Push)
// or only float64 (PushF64) values. ErrInvalidArgument, the accumulator
// unchanged, for the other dtype, a push beyond the declared total, or an
// accumulator not initialized. x is read during the call only.
func (a *StatsAcc) Push(x []float32) error {
	const op = "core.StatsAcc.Push"
	p, err := a.state(op)
	if err != nil {
		return err
	}
	return check(op, capi.Core_stats_acc_push_f32(p, x, int64(len(x))))
}

// PushF64 is Push for float64 (core_stats_acc_push_f64).
func (a *StatsAcc) PushF64(x []float64) error {
	const op = "core.StatsAcc.PushF64"
	p, err := a.state(op)
	if err != nil {
		return err
	}
	return check(op, capi.Core_stats_acc_push_f64(p, x, int64(len(x))))
}

// Merge folds src into a (core_stats_acc_merge): a's summary becomes
// Result(a).Merge(Result(src)), exact in count, NaN count, min and max, to
// rounding in the rest. Values pushed to a afterwards start a new segment
// (either dtype, length unknown). src is unchanged and may be a itself.
// ErrInvalidArgument, a unchanged, for different NaN policies, counts that
// would overflow, or an accumulator not initialized.
func (a *StatsAcc) Merge(src *StatsAcc) error {
	const op = "core.StatsAcc.Merge"
	p, err := a.state(op)
	if err != nil {
		return err
	}
	q, err := src.state(op)
	if err != nil {
		return err
	}
	return check(op, capi.Core_stats_acc_merge(p, q))
}

// Result is the summary of everything pushed and merged so far
// (core_stats_acc_result); the accumulator is not modified, so a stream
// can be read while it grows.
func (a *StatsAcc) Result() (Summary, error) {
	const op = "core.StatsAcc.Result"
	p, err := a.state(op)
	if err != nil {
		return Summary{}, err
	}
	c := getCells()
	return c.summary(op, capi.Core_stats_acc_result(p, unsafe.Pointer(&c.sum[0])))
}

// Clone returns an independent copy of the accumulator (the stream forks:
// pushes to one do not affect the other). A nil or zero StatsAcc clones to
// a zero StatsAcc.
func (a *StatsAcc) Clone() *StatsAcc {
	if a == nil || a.mem == nil {
		return &StatsAcc{}
	}
	mem := new(accState)
	*mem = *a.mem
	return &StatsAcc{mem: mem}
}

// ---- files -------------------------------------------------------------------

// StatsFile summarizes values [offset, offset+count) of the raw native-
// endian float32 file at path (count 0: to the end), bit for bit Stats of
// the same values in memory (core_stats_file_f32). offset and count are in
// values, not bytes (np.fromfile's offset is in bytes: divide by 4).
//
// In a Go program libcore reads the file with read(2) into a buffer rather
// than mapping it: the Go runtime owns the SIGBUS signal that libcore's
// mmap path needs (see include/core/batch.h). Same bits; a file that
// shrinks during the call is an ordinary ErrIO.
//
// ErrNotFound when path does not exist; ErrIO for any other failure to
// open or read (permission, a directory); ErrFormat when the file size is
// not a multiple of 4; ErrInvalidArgument for a negative offset or count,
// a path holding a NUL byte, a NanPolicy outside the enum, offset past the
// end or offset+count past the end.
func StatsFile(path string, offset, count int64, nan NanPolicy) (Summary, error) {
	const op = "core.StatsFile"
	if offset < 0 || count < 0 {
		return Summary{}, argError(op, ErrInvalidArgument, "offset = %d, count = %d: negative", offset, count)
	}
	if strings.IndexByte(path, 0) >= 0 {
		return Summary{}, argError(op, ErrInvalidArgument, "path %q holds a NUL byte", path)
	}
	c := getCells()
	return c.summary(op, capi.Core_stats_file_f32(path, uint64(offset), uint64(count), int(nan),
		unsafe.Pointer(&c.sum[0])))
}
