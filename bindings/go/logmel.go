package core

import (
	"math"
	"runtime"
	"strconv"
	"sync/atomic"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// The log-mel spectrogram (include/core/audio.h): Whisper's front end,
// offline (LogMel), batched (LogMel.ComputeBatch) and streaming
// (LogMelStream). The framing, the reflection at both ends, the NaN rules
// and the thread guarantees are the header's (its conventions 1 to 4).

// LogMelMode is what follows log10(max(mel power, 1e-10))
// (core_logmel_mode).
type LogMelMode int

const (
	// LogMelWhisper is openai/whisper's log_mel_spectrogram: every value
	// clamped to at least (maximum of the whole output - 8), then
	// (x + 4) / 4. A stream normalizes per window of WindowFrames frames.
	LogMelWhisper LogMelMode = 0
	// LogMelLog10 is log10 of the mel power with the 1e-10 floor, nothing
	// else: each frame depends only on its own samples.
	LogMelLog10 LogMelMode = 1
)

func (m LogMelMode) String() string {
	switch m {
	case LogMelWhisper:
		return "LogMelWhisper"
	case LogMelLog10:
		return "LogMelLog10"
	}
	return "LogMelMode(?)"
}

// LogMelMaxFFT is the largest NFFT accepted (CORE_LOGMEL_MAX_FFT).
const LogMelMaxFFT = 65536

// LogMelOptions are the options of NewLogMel and NewLogMelStream
// (core_logmel_options_t). Start from DefaultLogMelOptions, which holds
// libcore's defaults (Whisper's front end: 16 kHz, 400-sample FFT, hop
// 160, 80 bands), then change fields: every field is passed to libcore as
// it is, so 0 means what the header says for that field (FMax 0: half the
// sample rate; WindowFrames 0: one window for the whole stream), and the
// zero LogMelOptions is not valid.
type LogMelOptions struct {
	SampleRate int        // Hz, 1000 .. 384000
	NFFT       int        // FFT size = window length, 2 .. LogMelMaxFFT
	Hop        int        // samples between frames, >= 1
	NMels      int        // mel bands, 1 .. NFFT/2 + 1 (Whisper large-v3: 128)
	FMin       float64    // lowest filter edge, Hz
	FMax       float64    // highest filter edge, Hz; 0: SampleRate / 2; FMin < FMax <= SampleRate / 2
	Mode       LogMelMode // LogMelWhisper or LogMelLog10
	// WindowFrames is, for a LogMelStream in LogMelWhisper mode only, the
	// frames per normalization window (the max - 8 floor is taken per
	// window; Whisper's 30 s is 3000); 0: one window for the whole stream,
	// emitted at Flush. LogMel.Compute ignores it.
	WindowFrames int
}

// logMelOptions has the layout of core_logmel_options_t (checked below),
// so it is handed to core_logmel_options_init and _create as is.
type logMelOptions struct {
	structSize   uint64
	sampleRate   uint32
	nFFT         uint32
	hop          uint32
	nMels        uint32
	fmin         float64
	fmax         float64
	mode         int32
	windowFrames uint32
}

func _() {
	var x [1]struct{}
	var o logMelOptions
	_ = x[capi.LogMelOptionsSize-unsafe.Sizeof(o)]
	_ = x[unsafe.Sizeof(o)-capi.LogMelOptionsSize]
	_ = x[capi.LogMelOptionsOffSize-unsafe.Offsetof(o.structSize)]
	_ = x[capi.LogMelOptionsOffRate-unsafe.Offsetof(o.sampleRate)]
	_ = x[capi.LogMelOptionsOffNFFT-unsafe.Offsetof(o.nFFT)]
	_ = x[capi.LogMelOptionsOffHop-unsafe.Offsetof(o.hop)]
	_ = x[capi.LogMelOptionsOffNMels-unsafe.Offsetof(o.nMels)]
	_ = x[capi.LogMelOptionsOffFMin-unsafe.Offsetof(o.fmin)]
	_ = x[capi.LogMelOptionsOffFMax-unsafe.Offsetof(o.fmax)]
	_ = x[capi.LogMelOptionsOffMode-unsafe.Offsetof(o.mode)]
	_ = x[capi.LogMelOptionsOffWindow-unsafe.Offsetof(o.windowFrames)]
	_ = x[capi.LogMelOptionsRateSize-unsafe.Sizeof(o.sampleRate)]
	_ = x[capi.LogMelOptionsModeSize-unsafe.Sizeof(o.mode)]
	_ = x[capi.LogMelOptionsWindowSize-unsafe.Sizeof(o.windowFrames)]
	_ = x[capi.LogMelOptionsFMinSize-unsafe.Sizeof(o.fmin)]
	_ = x[capi.LogMelWhisper-int(LogMelWhisper)]
	_ = x[int(LogMelWhisper)-capi.LogMelWhisper]
	_ = x[capi.LogMelLog10-int(LogMelLog10)]
	_ = x[int(LogMelLog10)-capi.LogMelLog10]
	_ = x[capi.LogMelMaxFFT-LogMelMaxFFT]
	_ = x[LogMelMaxFFT-capi.LogMelMaxFFT]
}

// DefaultLogMelOptions returns libcore's defaults, as
// core_logmel_options_init fills them (the numbers live in libcore only).
func DefaultLogMelOptions() LogMelOptions {
	o := new(logMelOptions)
	if r := capi.Core_logmel_options_init(unsafe.Pointer(o)); r != 0 {
		panic(fail("core.DefaultLogMelOptions", r)) // only for NULL: a binding bug
	}
	return LogMelOptions{
		SampleRate:   int(o.sampleRate),
		NFFT:         int(o.nFFT),
		Hop:          int(o.hop),
		NMels:        int(o.nMels),
		FMin:         o.fmin,
		FMax:         o.fmax,
		Mode:         LogMelMode(o.mode),
		WindowFrames: int(o.windowFrames),
	}
}

// u32Arg checks that an int option fits the C uint32_t it becomes.
func u32Arg(op, name string, v int) (uint32, error) {
	if v < 0 || uint64(v) > math.MaxUint32 {
		return 0, argError(op, ErrInvalidArgument, "%s = %d is outside [0, %d]", name, v, uint32(math.MaxUint32))
	}
	return uint32(v), nil
}

// cOptions fills the C layout: libcore's defaults first (struct_size and
// any field this binding does not know), then every field of opts.
// libcore checks the ranges; the binding only those of the C types.
func (opts LogMelOptions) cOptions(op string) (*logMelOptions, error) {
	if opts == (LogMelOptions{}) {
		return nil, argError(op, ErrInvalidArgument,
			"the zero LogMelOptions is not valid: start from core.DefaultLogMelOptions()")
	}
	o := new(logMelOptions)
	if r := capi.Core_logmel_options_init(unsafe.Pointer(o)); r != 0 {
		return nil, fail(op, r)
	}
	var err error
	set := func(dst *uint32, name string, v int) {
		if err == nil {
			*dst, err = u32Arg(op, name, v)
		}
	}
	set(&o.sampleRate, "SampleRate", opts.SampleRate)
	set(&o.nFFT, "NFFT", opts.NFFT)
	set(&o.hop, "Hop", opts.Hop)
	set(&o.nMels, "NMels", opts.NMels)
	set(&o.windowFrames, "WindowFrames", opts.WindowFrames)
	if err != nil {
		return nil, err
	}
	if int64(opts.Mode) != int64(int32(opts.Mode)) {
		return nil, argError(op, ErrInvalidArgument, "Mode = %d is out of range", opts.Mode)
	}
	o.fmin, o.fmax, o.mode = opts.FMin, opts.FMax, int32(opts.Mode)
	return o, nil
}

// Spectrogram is a log-mel spectrogram as LogMel.Compute returns it:
// NMels x NFrames float32, mel-major (row-major with one row per band),
// like Whisper's (80, 3000) tensor: Data[m*NFrames+t] is band m of frame
// t, and frame t is centred on sample t*Hop.
type Spectrogram struct {
	NMels   int
	NFrames int
	Data    []float32 // len NMels*NFrames
}

// At is band m of frame t: Data[m*NFrames+t].
func (s Spectrogram) At(m, t int) float32 { return s.Data[m*s.NFrames+t] }

// Band is row m (frame 0 to NFrames-1 of band m), a slice of Data: no copy.
func (s Spectrogram) Band(m int) []float32 {
	return s.Data[m*s.NFrames : (m+1)*s.NFrames : (m+1)*s.NFrames]
}

// LogMel is an immutable log-mel analyser (core_logmel_t): options,
// periodic Hann window, Slaney mel filterbank (librosa's defaults, what
// Whisper's mel_filters.npz holds) and FFT plans. Every method may run in
// any number of goroutines at once, on one LogMel (libcore's guarantee for
// the C object); long inputs are split over libcore's threads, with
// results bit-identical for every thread count.
//
// # Close
//
// Close releases the C analyser (core_logmel_destroy). It is idempotent,
// may be called from any goroutine and never blocks: calls already running
// finish normally and the last of them releases the analyser. Every call
// that starts after Close returns an error matching ErrClosed (and
// ErrInvalidArgument). A finalizer closes a LogMel that becomes
// unreachable without Close, but call Close: the Go collector does not see
// the C memory behind it (the filterbank and FFT plans).
type LogMel struct {
	state     int64 // calls in progress, plus logMelClosed once Close ran
	destroyed int32
	lm        uintptr
	opts      LogMelOptions
}

const (
	logMelName   = "LogMel"
	logMelClosed = int64(1) << 62
)

// NewLogMel creates an analyser (core_logmel_create). ErrInvalidArgument
// for a field outside its range (libcore's message names it, in C:
// "n_mels", "fmax", ...), or a field too large for its C type (the
// binding's message names the Go field).
func NewLogMel(opts LogMelOptions) (*LogMel, error) {
	const op = "core.NewLogMel"
	o, err := opts.cOptions(op)
	if err != nil {
		return nil, err
	}
	var h [1]uintptr
	if r := capi.Core_logmel_create(unsafe.Pointer(o), h[:]); r != 0 {
		return nil, fail(op, r)
	}
	l := &LogMel{lm: h[0], opts: opts}
	runtime.SetFinalizer(l, (*LogMel).Close)
	return l, nil
}

// Close releases the analyser, now or, when calls are in progress, when
// the last of them returns. A second Close and a Close of a nil *LogMel do
// nothing. Always nil: the error is there for io.Closer.
func (l *LogMel) Close() error {
	if l == nil {
		return nil
	}
	for {
		s := atomic.LoadInt64(&l.state)
		if s&logMelClosed != 0 {
			return nil
		}
		if atomic.CompareAndSwapInt64(&l.state, s, s|logMelClosed) {
			runtime.SetFinalizer(l, nil)
			if s == 0 {
				l.destroy()
			}
			return nil
		}
	}
}

func (l *LogMel) destroy() {
	if atomic.CompareAndSwapInt32(&l.destroyed, 0, 1) {
		capi.Core_logmel_destroy(l.lm)
	}
}

// acquire registers a call and returns the handle; release ends it.
func (l *LogMel) acquire(op string) (uintptr, error) {
	if l == nil {
		return 0, argError(op, ErrInvalidArgument, "nil *LogMel")
	}
	if atomic.AddInt64(&l.state, 1)&logMelClosed != 0 {
		l.release()
		return 0, closedError(op, logMelName)
	}
	return l.lm, nil
}

func (l *LogMel) release() {
	if atomic.AddInt64(&l.state, -1) == logMelClosed {
		l.destroy()
	}
}

// Options returns the options the analyser was created with.
func (l *LogMel) Options() LogMelOptions {
	if l == nil {
		return LogMelOptions{}
	}
	return l.opts
}

// NMels is the number of mel bands (the rows of a Spectrogram).
func (l *LogMel) NMels() int {
	if l == nil {
		return 0
	}
	return l.opts.NMels
}

// Frames is the number of frames Compute gives for n samples, n / Hop
// (core_logmel_frames). ErrInvalidArgument for n < NFFT (libcore needs a
// whole window of samples) or n negative.
func (l *LogMel) Frames(n int) (int, error) {
	const op = "core.LogMel.Frames"
	if err := checkSize(op, "n", n); err != nil {
		return 0, err
	}
	h, err := l.acquire(op)
	if err != nil {
		return 0, err
	}
	c := getCells()
	r := capi.Core_logmel_frames(h, int64(n), c.u[:1])
	l.release()
	v, err := c.count(op, r)
	return int(v), err
}

// Filters returns the mel filterbank (core_logmel_filters): NMels rows of
// NFFT/2 + 1 float32 weights, row-major (row m is band m's weight of each
// FFT bin), the matrix Whisper's mel_filters.npz holds for its options.
func (l *LogMel) Filters() ([]float32, error) {
	const op = "core.LogMel.Filters"
	h, err := l.acquire(op)
	if err != nil {
		return nil, err
	}
	defer l.release()
	c := getCells()
	defer c.put()
	n := uint64(l.opts.NMels) * uint64(l.opts.NFFT/2+1)
	for try := 0; ; try++ {
		out := make([]float32, n)
		r := capi.Core_logmel_filters(h, out, int64(len(out)), c.u[:1])
		if r == 0 {
			return out[:c.u[0]], nil
		}
		if try > 0 || Status(capi.Core_go_error_status(r)) != ErrBufferTooSmall {
			return nil, fail(op, r)
		}
		capi.Core_go_error_free(r)
		n = c.u[0] // libcore's count: never reached while NMels*(NFFT/2+1) is the rule
	}
}

// Compute returns the log-mel spectrogram of samples (core_logmel_compute):
// NMels x (len(samples)/Hop) values, mel-major. samples (mono float32,
// nominally in [-1, 1]: PCM16 / 32768) is read in place, without a copy.
// ErrInvalidArgument when len(samples) < NFFT. A frame touching a NaN or
// an infinity is NaN in every band (header, convention 3).
func (l *LogMel) Compute(samples []float32) (Spectrogram, error) {
	const op = "core.LogMel.Compute"
	h, err := l.acquire(op)
	if err != nil {
		return Spectrogram{}, err
	}
	defer l.release()
	c := getCells()
	defer c.put()
	nm := l.opts.NMels
	frames := len(samples) / l.opts.Hop // header, convention 2; libcore says if it differs
	for try := 0; ; try++ {
		out := make([]float32, nm*frames)
		r := capi.Core_logmel_compute(h, samples, int64(len(samples)), out, int64(len(out)), c.u[:1])
		if r == 0 {
			nf := int(c.u[0])
			return Spectrogram{NMels: nm, NFrames: nf, Data: out[: nm*nf : nm*nf]}, nil
		}
		if try > 0 || Status(capi.Core_go_error_status(r)) != ErrBufferTooSmall {
			return Spectrogram{}, fail(op, r)
		}
		capi.Core_go_error_free(r)
		frames = int(c.u[0])
	}
}

// ComputeInto writes the log-mel spectrogram of samples to dst and returns
// its frame count nf (core_logmel_compute): dst[m*nf+t] is band m of frame
// t, in dst[:NMels*nf]. Nothing is allocated. When len(dst) < NMels*nf:
// ErrBufferTooSmall, nothing written, and the count returned is nf (size
// dst with NMels*Frames(len(samples))). Otherwise as Compute.
func (l *LogMel) ComputeInto(samples, dst []float32) (int, error) {
	const op = "core.LogMel.ComputeInto"
	h, err := l.acquire(op)
	if err != nil {
		return 0, err
	}
	c := getCells()
	r := capi.Core_logmel_compute(h, samples, int64(len(samples)), dst, int64(len(dst)), c.u[:1])
	l.release()
	nf := int(c.u[0])
	c.put()
	if r == 0 {
		return nf, nil
	}
	err = fail(op, r)
	if err.(*Error).Status == ErrBufferTooSmall {
		return nf, err
	}
	return 0, err
}

// ComputeBatch computes each clip's spectrogram, in parallel
// (core_logmel_compute_batch): out[i] is bit for bit Compute(clips[i]),
// each clip on its own (its own reflection, its own Whisper maximum). The
// spectrograms share one allocation (each Data is a full slice expression
// of it: an append to one copies). ErrInvalidArgument, before anything is
// computed, when a clip is shorter than NFFT (the message names it). No
// clips give an empty, non-nil result.
//
// Costs. cgo may not hand C an array of Go pointers, so the binding does
// what BatchStats does: clips that are sub-slices of one buffer are read
// in place, in one cgo call (a C helper builds the arrays of pointers);
// otherwise a clip of 128 Ki samples or more is computed in place by a
// call of its own (libcore splits it over its threads) and smaller clips
// are copied into a pooled 1 Mi-sample buffer, one call per buffer-full.
// The copy is small beside the spectrogram's cost.
func (l *LogMel) ComputeBatch(clips [][]float32) ([]Spectrogram, error) {
	const op = "core.LogMel.ComputeBatch"
	h, err := l.acquire(op)
	if err != nil {
		return nil, err
	}
	defer l.release()
	res := make([]Spectrogram, len(clips))
	if len(clips) == 0 {
		return res, nil
	}
	nm := uint64(l.opts.NMels)
	// The frame counts come from libcore, which also rejects short clips.
	caps := make([]uint64, len(clips))
	outOffs := make([]uint64, len(clips))
	nf := make([]uint64, len(clips))
	total := uint64(0)
	for i, clip := range clips {
		if r := capi.Core_logmel_frames(h, int64(len(clip)), nf[i:i+1]); r != 0 {
			e := fail(op, r).(*Error)
			e.Message = "clips[" + strconv.Itoa(i) + "]: " + e.Message
			return nil, e
		}
		caps[i] = nm * nf[i]
		outOffs[i] = total
		total += caps[i]
	}
	// One spare float of capacity: a group whose clips all give 0 frames
	// (Hop > len) may start at len(out), and its slice's data pointer must
	// still point into this allocation.
	out := make([]float32, total, total+1)

	call := func(x []float32, clipOffs, lens []uint64, first, last int) int64 {
		return capi.Core_go_logmel_batch(h, x, int64(len(x)), clipOffs, lens, int64(last-first),
			out[outOffs[first]:], int64(len(out)-int(outOffs[first])), nil, caps[first:last], nf[first:last])
	}
	if base, offs, lens, ok := sharedBacking(clips); ok {
		if r := call(base, offs, lens, 0, len(clips)); r != 0 {
			return nil, fail(op, r)
		}
	} else {
		bp := scratchF32.Get().(*[]float32)
		defer scratchF32.Put(bp)
		buf := *bp
		var one [1]uint64
		// flush computes the group clips[first:last], copied to buf[:used].
		first, used := 0, 0
		flush := func(last int) int64 {
			if last == first {
				return 0
			}
			glens := make([]uint64, last-first)
			for i := range glens {
				glens[i] = uint64(len(clips[first+i]))
			}
			return call(buf[:used], nil, glens, first, last)
		}
		for i, a := range clips {
			if len(a) < batchDirect && len(a) <= len(buf)-used {
				used += copy(buf[used:], a)
				continue
			}
			if r := flush(i); r != 0 {
				return nil, fail(op, r)
			}
			first, used = i, 0
			if len(a) >= batchDirect {
				one[0] = uint64(len(a))
				if r := call(a, nil, one[:], i, i+1); r != 0 {
					return nil, fail(op, r)
				}
				first = i + 1
			} else {
				used = copy(buf, a)
			}
		}
		if r := flush(len(clips)); r != 0 {
			return nil, fail(op, r)
		}
	}
	for i := range res {
		o, n := outOffs[i], nm*nf[i]
		res[i] = Spectrogram{NMels: int(nm), NFrames: int(nf[i]), Data: out[o : o+n : o+n]}
	}
	return res, nil
}
