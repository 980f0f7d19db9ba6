package core

import (
	"runtime"
	"sync"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// Voice activity detection (include/core/audio.h): a streaming detector
// (VAD) and the offline function VADSegments, which gives exactly what a
// detector pushed the whole signal and flushed gives.

// Segment is a speech segment [Start, End) in samples at the detector's
// sample rate, padding included (core_segment_t, same layout).
type Segment struct {
	Start, End uint64
}

// Len is End - Start, in samples.
func (s Segment) Len() uint64 { return s.End - s.Start }

// Seconds returns Start and End in seconds at sampleRate (the VAD's
// SampleRate).
func (s Segment) Seconds(sampleRate int) (start, end float64) {
	r := float64(sampleRate)
	return float64(s.Start) / r, float64(s.End) / r
}

// VADPreset is a starting point for VADOptions (core_vad_preset).
type VADPreset int

const (
	// VADDefault is Silero VAD's defaults (threshold 0.5, min speech
	// 250 ms, min silence 100 ms, pad 30 ms): what DefaultVADOptions gives.
	VADDefault VADPreset = 0
	// VADTranscribe gives long segments for transcription (faster-whisper's
	// VadOptions): short pauses do not split, generous padding.
	VADTranscribe VADPreset = 1
	// VADAggressive is for noisy rooms: a higher threshold and a longer
	// minimum speech, so taps, clicks and bursts of noise are not reported.
	VADAggressive VADPreset = 2
)

func (p VADPreset) String() string {
	switch p {
	case VADDefault:
		return "VADDefault"
	case VADTranscribe:
		return "VADTranscribe"
	case VADAggressive:
		return "VADAggressive"
	}
	return "VADPreset(?)"
}

// VADOptions are the options of NewVAD and VADSegments
// (core_vad_options_t). Start from DefaultVADOptions or VADPresetOptions,
// which hold libcore's values, then change fields: every field is passed
// to libcore as it is (0 means what the header says: NegThreshold 0 is
// Threshold - 0.15, MaxSpeechMs 0 no limit), and the zero VADOptions is
// not valid.
type VADOptions struct {
	SampleRate   int     // Hz, 8000 .. 192000, SampleRate*FrameMs a multiple of 1000
	FrameMs      int     // analysis frame: 10, 20 or 30 ms
	Threshold    float32 // entry threshold on a frame's speech score, in (0, 1)
	NegThreshold float32 // exit threshold (hysteresis), 0 <= NegThreshold < Threshold; 0: Threshold - 0.15 (at least 0.01)
	MinSpeechMs  int     // shorter speech is dropped
	MinSilenceMs int     // shorter pauses do not end a segment
	SpeechPadMs  int     // added on both sides of a segment (clipped to the stream; split between close segments)
	MaxSpeechMs  int     // longer segments are split at the quietest frame of their last part; 0: no limit
}

// vadOptions has the layout of core_vad_options_t (checked below).
type vadOptions struct {
	structSize   uint64
	sampleRate   uint32
	frameMs      uint32
	threshold    float32
	negThreshold float32
	minSpeechMs  uint32
	minSilenceMs uint32
	speechPadMs  uint32
	maxSpeechMs  uint32
}

func _() {
	var x [1]struct{}
	var o vadOptions
	var s Segment
	_ = x[capi.VADOptionsSize-unsafe.Sizeof(o)]
	_ = x[unsafe.Sizeof(o)-capi.VADOptionsSize]
	_ = x[capi.VADOptionsOffSize-unsafe.Offsetof(o.structSize)]
	_ = x[capi.VADOptionsOffRate-unsafe.Offsetof(o.sampleRate)]
	_ = x[capi.VADOptionsOffFrameMs-unsafe.Offsetof(o.frameMs)]
	_ = x[capi.VADOptionsOffThreshold-unsafe.Offsetof(o.threshold)]
	_ = x[capi.VADOptionsOffNegThreshold-unsafe.Offsetof(o.negThreshold)]
	_ = x[capi.VADOptionsOffMinSpeech-unsafe.Offsetof(o.minSpeechMs)]
	_ = x[capi.VADOptionsOffMinSilence-unsafe.Offsetof(o.minSilenceMs)]
	_ = x[capi.VADOptionsOffPad-unsafe.Offsetof(o.speechPadMs)]
	_ = x[capi.VADOptionsOffMaxSpeech-unsafe.Offsetof(o.maxSpeechMs)]
	_ = x[capi.VADOptionsRateSize-unsafe.Sizeof(o.sampleRate)]
	_ = x[capi.VADOptionsThresholdSize-unsafe.Sizeof(o.threshold)]
	_ = x[capi.VADOptionsMaxSpeechSize-unsafe.Sizeof(o.maxSpeechMs)]
	_ = x[capi.SegmentSize-unsafe.Sizeof(s)]
	_ = x[unsafe.Sizeof(s)-capi.SegmentSize]
	_ = x[capi.SegmentOffStart-unsafe.Offsetof(s.Start)]
	_ = x[capi.SegmentOffEnd-unsafe.Offsetof(s.End)]
	_ = x[capi.SegmentStartSize-unsafe.Sizeof(s.Start)]
	_ = x[capi.VADPresetDefault-int(VADDefault)]
	_ = x[int(VADDefault)-capi.VADPresetDefault]
	_ = x[capi.VADPresetTranscribe-int(VADTranscribe)]
	_ = x[int(VADTranscribe)-capi.VADPresetTranscribe]
	_ = x[capi.VADPresetAggressive-int(VADAggressive)]
	_ = x[int(VADAggressive)-capi.VADPresetAggressive]
}

func (o *vadOptions) goOptions() VADOptions {
	return VADOptions{
		SampleRate:   int(o.sampleRate),
		FrameMs:      int(o.frameMs),
		Threshold:    o.threshold,
		NegThreshold: o.negThreshold,
		MinSpeechMs:  int(o.minSpeechMs),
		MinSilenceMs: int(o.minSilenceMs),
		SpeechPadMs:  int(o.speechPadMs),
		MaxSpeechMs:  int(o.maxSpeechMs),
	}
}

// DefaultVADOptions returns libcore's defaults, VADDefault, as
// core_vad_options_init fills them (the numbers live in libcore only):
// 16 kHz, 30 ms frames, Silero's thresholds and durations.
func DefaultVADOptions() VADOptions {
	o := new(vadOptions)
	if r := capi.Core_vad_options_init(unsafe.Pointer(o)); r != 0 {
		panic(fail("core.DefaultVADOptions", r)) // only for NULL: a binding bug
	}
	return o.goOptions()
}

// VADPresetOptions returns the options of a preset
// (core_vad_options_preset): the defaults with the preset applied.
// ErrInvalidArgument for an unknown preset.
func VADPresetOptions(p VADPreset) (VADOptions, error) {
	const op = "core.VADPresetOptions"
	if int64(p) != int64(int32(p)) {
		return VADOptions{}, argError(op, ErrInvalidArgument, "preset %d is out of range", p)
	}
	o := new(vadOptions)
	if r := capi.Core_vad_options_preset(unsafe.Pointer(o), int(p)); r != 0 {
		return VADOptions{}, fail(op, r)
	}
	return o.goOptions(), nil
}

// cOptions fills the C layout: libcore's defaults first (struct_size and
// any field this binding does not know), then every field of opts.
func (opts VADOptions) cOptions(op string) (*vadOptions, error) {
	if opts == (VADOptions{}) {
		return nil, argError(op, ErrInvalidArgument,
			"the zero VADOptions is not valid: start from core.DefaultVADOptions() or core.VADPresetOptions")
	}
	o := new(vadOptions)
	if r := capi.Core_vad_options_init(unsafe.Pointer(o)); r != 0 {
		return nil, fail(op, r)
	}
	var err error
	set := func(dst *uint32, name string, v int) {
		if err == nil {
			*dst, err = u32Arg(op, name, v)
		}
	}
	set(&o.sampleRate, "SampleRate", opts.SampleRate)
	set(&o.frameMs, "FrameMs", opts.FrameMs)
	set(&o.minSpeechMs, "MinSpeechMs", opts.MinSpeechMs)
	set(&o.minSilenceMs, "MinSilenceMs", opts.MinSilenceMs)
	set(&o.speechPadMs, "SpeechPadMs", opts.SpeechPadMs)
	set(&o.maxSpeechMs, "MaxSpeechMs", opts.MaxSpeechMs)
	if err != nil {
		return nil, err
	}
	o.threshold, o.negThreshold = opts.Threshold, opts.NegThreshold
	return o, nil
}

// VAD is a streaming voice activity detector (core_vad_t): push audio in
// chunks of any size (the segments never depend on how the stream was
// cut), take the finished segments with NextSegment. A frame holding a
// NaN or an infinity counts as non-speech.
//
// # Goroutines and Close
//
// libcore lets one thread at a time use a detector; the binding
// serializes the methods with a mutex, so a second goroutine waits its
// turn instead of corrupting it. Close (idempotent, also on a nil *VAD)
// waits for the call in progress, then releases the C detector
// (core_vad_destroy); every call after Close returns an error matching
// ErrClosed (and ErrInvalidArgument). A finalizer closes a lost detector,
// but call Close.
type VAD struct {
	mu   sync.Mutex
	v    uintptr // 0 once closed
	out  *vadOut
	opts VADOptions
}

// vadOut holds the out-parameters of the calls: Go memory without Go
// pointers, guarded by the mutex, so that a call allocates nothing.
type vadOut struct {
	seg   [1]Segment
	start [1]uint64
}

const vadName = "VAD"

// NewVAD creates a detector (core_vad_create). ErrInvalidArgument for a
// field outside its range (libcore's message names it, in C:
// "sample_rate", "frame_ms", "threshold", ...).
func NewVAD(opts VADOptions) (*VAD, error) {
	const op = "core.NewVAD"
	o, err := opts.cOptions(op)
	if err != nil {
		return nil, err
	}
	var h [1]uintptr
	if r := capi.Core_vad_create(unsafe.Pointer(o), h[:]); r != 0 {
		return nil, fail(op, r)
	}
	v := &VAD{v: h[0], out: new(vadOut), opts: opts}
	runtime.SetFinalizer(v, (*VAD).Close)
	return v, nil
}

// Close releases the detector (see the type's documentation). Always nil:
// the error is there for io.Closer.
func (v *VAD) Close() error {
	if v == nil {
		return nil
	}
	v.mu.Lock()
	if v.v != 0 {
		runtime.SetFinalizer(v, nil)
		capi.Core_vad_destroy(v.v)
		v.v = 0
	}
	v.mu.Unlock()
	return nil
}

// lock locks the detector and returns its handle; on error it is not
// locked.
func (v *VAD) lock(op string) (uintptr, error) {
	if v == nil {
		return 0, argError(op, ErrInvalidArgument, "nil *VAD")
	}
	v.mu.Lock()
	if v.v == 0 {
		v.mu.Unlock()
		return 0, closedError(op, vadName)
	}
	return v.v, nil
}

// Options returns the options the detector was created with.
func (v *VAD) Options() VADOptions {
	if v == nil {
		return VADOptions{}
	}
	return v.opts
}

// SampleRate is the detector's sample rate, the unit of its segments.
func (v *VAD) SampleRate() int {
	if v == nil {
		return 0
	}
	return v.opts.SampleRate
}

// Push analyses x (core_vad_push); finished segments become readable
// through NextSegment. x is read during the call only, without a copy; an
// empty x does nothing. ErrInvalidArgument after Flush (Reset first).
func (v *VAD) Push(x []float32) error {
	const op = "core.VAD.Push"
	h, err := v.lock(op)
	if err != nil {
		return err
	}
	r := capi.Core_vad_push(h, x, int64(len(x)))
	v.mu.Unlock()
	return check(op, r)
}

// Flush ends the stream (core_vad_flush): a trailing partial frame is
// analysed and an open segment closed at the end of the stream. A second
// Flush does nothing.
func (v *VAD) Flush() error {
	const op = "core.VAD.Flush"
	h, err := v.lock(op)
	if err != nil {
		return err
	}
	r := capi.Core_vad_flush(h)
	v.mu.Unlock()
	return check(op, r)
}

// NextSegment takes the oldest finished segment (core_vad_next_segment):
// ok is false, with a nil error, when none is ready (libcore's
// CORE_E_EMPTY). Segments come in order, never overlap and are final
// (padding included).
func (v *VAD) NextSegment() (seg Segment, ok bool, err error) {
	const op = "core.VAD.NextSegment"
	h, err := v.lock(op)
	if err != nil {
		return Segment{}, false, err
	}
	r := capi.Core_vad_next_segment(h, unsafe.Pointer(&v.out.seg[0]))
	seg = v.out.seg[0]
	v.mu.Unlock()
	return seg, r == 0, emptyIsFalse(op, r)
}

// OpenSegmentStart is the start (padding included) of the speech segment
// in progress (core_vad_open_segment): speech has lasted MinSpeechMs and
// has not ended yet, for "speech started" events before the segment is
// final. ok is false, with a nil error, when no segment is open.
func (v *VAD) OpenSegmentStart() (start uint64, ok bool, err error) {
	const op = "core.VAD.OpenSegmentStart"
	h, err := v.lock(op)
	if err != nil {
		return 0, false, err
	}
	r := capi.Core_vad_open_segment(h, v.out.start[:])
	start = v.out.start[0]
	v.mu.Unlock()
	if r != 0 {
		start = 0
	}
	return start, r == 0, emptyIsFalse(op, r)
}

// emptyIsFalse turns the result of a raw call into an error, except
// CORE_E_EMPTY, which is nil (the caller reports it as ok == false).
func emptyIsFalse(op string, r int64) error {
	if r == 0 {
		return nil
	}
	if Status(capi.Core_go_error_status(r)) == ErrEmpty {
		capi.Core_go_error_free(r)
		return nil
	}
	return fail(op, r)
}

// Reset forgets the stream (samples, noise estimate, pending segments) and
// accepts pushes again, positions restarting at 0 (core_vad_reset).
func (v *VAD) Reset() error {
	const op = "core.VAD.Reset"
	h, err := v.lock(op)
	if err != nil {
		return err
	}
	r := capi.Core_vad_reset(h)
	v.mu.Unlock()
	return check(op, r)
}

// VADSegments returns the speech segments of x (core_vad_segments):
// exactly what a VAD with these options gives when pushed x and flushed.
// x is read in place. No speech gives an empty, non-nil slice.
// ErrInvalidArgument for bad options (as NewVAD).
func VADSegments(x []float32, opts VADOptions) ([]Segment, error) {
	const op = "core.VADSegments"
	o, err := opts.cOptions(op)
	if err != nil {
		return nil, err
	}
	// Room for one segment per frame (each holds at least one frame of
	// speech, and they do not overlap) plus one: one call in practice;
	// libcore's count on CORE_E_BUFFER_TOO_SMALL otherwise.
	n := uint64(1)
	if fs := uint64(o.sampleRate) * uint64(o.frameMs) / 1000; fs > 0 {
		n = uint64(len(x))/fs + 2
	}
	c := getCells()
	defer c.put()
	for try := 0; ; try++ {
		out := make([]Segment, n)
		r := capi.Core_vad_segments(x, int64(len(x)), unsafe.Pointer(o), unsafe.Pointer(&out[0]),
			int64(len(out)), c.u[:1])
		if r == 0 {
			k := c.u[0]
			if k < n/2 { // do not keep the bound's memory for a few segments
				return append(make([]Segment, 0, k), out[:k]...), nil
			}
			return out[:k:k], nil
		}
		if try > 0 || Status(capi.Core_go_error_status(r)) != ErrBufferTooSmall {
			return nil, fail(op, r)
		}
		capi.Core_go_error_free(r)
		n = c.u[0]
	}
}
