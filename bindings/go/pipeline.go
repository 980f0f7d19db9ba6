package core

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// The streaming speech front end (include/core/pipeline.h): audio pushed
// in chunks goes through a ring buffer, the VAD, fixed analysis windows,
// log-mel features, an encoder cache and the encoder, and comes out as
// events pulled with NextEvent.

// PipelineOptions are the options of NewPipeline (core_pipeline_options_t).
// Start from DefaultPipelineOptions, which holds libcore's values (nested
// VAD and log-mel options included), set Dim, then change fields: every
// field is passed to libcore as it is, and the zero PipelineOptions is not
// valid.
type PipelineOptions struct {
	SampleRate int        // Hz; the VAD's and the log-mel's rates are set from it
	RingMs     int        // ring capacity in ms (default 10 s)
	RingPolicy RingPolicy // default RingOverwrite: a stalled consumer loses the oldest audio, counted in Stats
	VAD        VADOptions // the speech detector (SampleRate is overridden by the pipeline's)
	LogMel     LogMelOptions
	WindowMs   int  // analysis window (default 1000); its sample count must be >= LogMel.NFFT
	HopMs      int  // between window starts (default 500), >= 1
	SpeechOnly bool // true (default): windows only inside speech segments; false: over the whole stream, no segment events
	// Dim is the number of floats of an embedding; libcore's default is 0,
	// which NewPipeline refuses: set it.
	Dim           int
	CacheDecimals int // the window audio is rounded to this many decimals for the cache key (default 4)
	// MetricsPrefix is prepended, with a '.', to the names of the
	// pipeline's metrics ("" : none).
	MetricsPrefix string
}

// pipelineOptions has the layout of core_pipeline_options_t (checked
// below). The pointer fields stay 0 in Go memory; core_go_pipeline_create
// sets them in its C copy.
type pipelineOptions struct {
	structSize    uint64
	sampleRate    uint32
	ringMs        uint32
	ringPolicy    int32
	vad           vadOptions
	logmel        logMelOptions
	windowMs      uint32
	hopMs         uint32
	speechOnly    int32
	dim           uint64
	encoder       uintptr
	encoderUser   uintptr
	cache         uintptr
	cacheOptions  cacheOptions
	cacheDecimals int32
	batch         batcherOptions
	metrics       uintptr
	metricsPrefix uintptr
}

// pipelineEvent has the layout of core_event_t (checked below): libcore
// writes C pointers into features and embedding.
type pipelineEvent struct {
	kind      int32
	windowID  uint64
	start     uint64
	end       uint64
	features  unsafe.Pointer
	nMels     uint64
	nFrames   uint64
	embedding unsafe.Pointer
	dim       uint64
	cacheHit  int32
	status    int32
}

// PipelineStats are a pipeline's counters (core_pipeline_stats_t, same
// layout).
type PipelineStats struct {
	Chunks, Samples   uint64 // pushed
	DroppedSamples    uint64 // lost by the ring (RingOverwrite)
	Segments, Windows uint64 // speech segments ended, windows cut
	CacheHits         uint64 // window lookups that hit
	CacheMisses       uint64
	EncoderCalls      uint64 // libcore's own encoder calls: 0 in Go (the Go encoder runs outside libcore)
	EncoderErrors     uint64
	AudioSeconds      float64 // Samples / SampleRate
	ProcessingSeconds float64 // time inside push and next_event (the Go encoder's time not included)
	RealTimeFactor    float64 // ProcessingSeconds / AudioSeconds (< 1: faster than real time)
	CacheHitRate      float64 // hits / lookups, NaN before any
}

func _() {
	var x [1]struct{}
	var o pipelineOptions
	var e pipelineEvent
	var s PipelineStats
	_ = x[capi.PipelineOptionsSize-unsafe.Sizeof(o)]
	_ = x[unsafe.Sizeof(o)-capi.PipelineOptionsSize]
	_ = x[capi.PipelineOptionsOffSize-unsafe.Offsetof(o.structSize)]
	_ = x[capi.PipelineOptionsOffRate-unsafe.Offsetof(o.sampleRate)]
	_ = x[capi.PipelineOptionsOffRingMs-unsafe.Offsetof(o.ringMs)]
	_ = x[capi.PipelineOptionsOffPolicy-unsafe.Offsetof(o.ringPolicy)]
	_ = x[capi.PipelineOptionsOffVAD-unsafe.Offsetof(o.vad)]
	_ = x[capi.PipelineOptionsOffLogMel-unsafe.Offsetof(o.logmel)]
	_ = x[capi.PipelineOptionsOffWindowMs-unsafe.Offsetof(o.windowMs)]
	_ = x[capi.PipelineOptionsOffHopMs-unsafe.Offsetof(o.hopMs)]
	_ = x[capi.PipelineOptionsOffSpeechOnly-unsafe.Offsetof(o.speechOnly)]
	_ = x[capi.PipelineOptionsOffDim-unsafe.Offsetof(o.dim)]
	_ = x[capi.PipelineOptionsOffEncoder-unsafe.Offsetof(o.encoder)]
	_ = x[capi.PipelineOptionsOffEncoderUser-unsafe.Offsetof(o.encoderUser)]
	_ = x[capi.PipelineOptionsOffCache-unsafe.Offsetof(o.cache)]
	_ = x[capi.PipelineOptionsOffCacheOpts-unsafe.Offsetof(o.cacheOptions)]
	_ = x[capi.PipelineOptionsOffDecimals-unsafe.Offsetof(o.cacheDecimals)]
	_ = x[capi.PipelineOptionsOffBatch-unsafe.Offsetof(o.batch)]
	_ = x[capi.PipelineOptionsOffMetrics-unsafe.Offsetof(o.metrics)]
	_ = x[capi.PipelineOptionsOffPrefix-unsafe.Offsetof(o.metricsPrefix)]
	_ = x[capi.PipelineOptionsRateSize-unsafe.Sizeof(o.sampleRate)]
	_ = x[capi.PipelineOptionsRingMsSize-unsafe.Sizeof(o.ringMs)]
	_ = x[capi.PipelineOptionsPolicySize-unsafe.Sizeof(o.ringPolicy)]
	_ = x[capi.PipelineOptionsWindowMsSize-unsafe.Sizeof(o.windowMs)]
	_ = x[capi.PipelineOptionsHopMsSize-unsafe.Sizeof(o.hopMs)]
	_ = x[capi.PipelineOptionsSpeechOnlySize-unsafe.Sizeof(o.speechOnly)]
	_ = x[capi.PipelineOptionsDimSize-unsafe.Sizeof(o.dim)]
	_ = x[capi.PipelineOptionsDecimalsSize-unsafe.Sizeof(o.cacheDecimals)]
	_ = x[capi.EventSize-unsafe.Sizeof(e)]
	_ = x[unsafe.Sizeof(e)-capi.EventSize]
	_ = x[capi.EventOffKind-unsafe.Offsetof(e.kind)]
	_ = x[capi.EventOffWindowID-unsafe.Offsetof(e.windowID)]
	_ = x[capi.EventOffStart-unsafe.Offsetof(e.start)]
	_ = x[capi.EventOffEnd-unsafe.Offsetof(e.end)]
	_ = x[capi.EventOffFeatures-unsafe.Offsetof(e.features)]
	_ = x[capi.EventOffNMels-unsafe.Offsetof(e.nMels)]
	_ = x[capi.EventOffNFrames-unsafe.Offsetof(e.nFrames)]
	_ = x[capi.EventOffEmbedding-unsafe.Offsetof(e.embedding)]
	_ = x[capi.EventOffDim-unsafe.Offsetof(e.dim)]
	_ = x[capi.EventOffCacheHit-unsafe.Offsetof(e.cacheHit)]
	_ = x[capi.EventOffStatus-unsafe.Offsetof(e.status)]
	_ = x[capi.EventKindSize-unsafe.Sizeof(e.kind)]
	_ = x[capi.EventWindowIDSize-unsafe.Sizeof(e.windowID)]
	_ = x[capi.EventNMelsSize-unsafe.Sizeof(e.nMels)]
	_ = x[capi.EventCacheHitSize-unsafe.Sizeof(e.cacheHit)]
	_ = x[capi.EventStatusSize-unsafe.Sizeof(e.status)]
	_ = x[capi.PipelineStatsSize-unsafe.Sizeof(s)]
	_ = x[unsafe.Sizeof(s)-capi.PipelineStatsSize]
	_ = x[capi.PipelineStatsOffChunks-unsafe.Offsetof(s.Chunks)]
	_ = x[capi.PipelineStatsOffSamples-unsafe.Offsetof(s.Samples)]
	_ = x[capi.PipelineStatsOffDropped-unsafe.Offsetof(s.DroppedSamples)]
	_ = x[capi.PipelineStatsOffSegments-unsafe.Offsetof(s.Segments)]
	_ = x[capi.PipelineStatsOffWindows-unsafe.Offsetof(s.Windows)]
	_ = x[capi.PipelineStatsOffHits-unsafe.Offsetof(s.CacheHits)]
	_ = x[capi.PipelineStatsOffMisses-unsafe.Offsetof(s.CacheMisses)]
	_ = x[capi.PipelineStatsOffEncCalls-unsafe.Offsetof(s.EncoderCalls)]
	_ = x[capi.PipelineStatsOffEncErrors-unsafe.Offsetof(s.EncoderErrors)]
	_ = x[capi.PipelineStatsOffAudio-unsafe.Offsetof(s.AudioSeconds)]
	_ = x[capi.PipelineStatsOffProcessing-unsafe.Offsetof(s.ProcessingSeconds)]
	_ = x[capi.PipelineStatsOffRTF-unsafe.Offsetof(s.RealTimeFactor)]
	_ = x[capi.PipelineStatsOffHitRate-unsafe.Offsetof(s.CacheHitRate)]
	_ = x[capi.PipelineStatsChunksSize-unsafe.Sizeof(s.Chunks)]
	_ = x[capi.PipelineStatsHitRateSize-unsafe.Sizeof(s.CacheHitRate)]
	_ = x[capi.EventSpeechStart-int(EventSpeechStart)]
	_ = x[int(EventSpeechStart)-capi.EventSpeechStart]
	_ = x[capi.EventSpeechEnd-int(EventSpeechEnd)]
	_ = x[int(EventSpeechEnd)-capi.EventSpeechEnd]
	_ = x[capi.EventWindow-int(EventWindow)]
	_ = x[int(EventWindow)-capi.EventWindow]
	_ = x[capi.EventNeedsEncoding-int(EventNeedsEncoding)]
	_ = x[int(EventNeedsEncoding)-capi.EventNeedsEncoding]
	_ = x[capi.EventEncoderError-int(EventEncoderError)]
	_ = x[int(EventEncoderError)-capi.EventEncoderError]
	_ = x[capi.EventEnd-int(EventEnd)]
	_ = x[int(EventEnd)-capi.EventEnd]
}

// DefaultPipelineOptions returns libcore's defaults, as
// core_pipeline_options_init fills them (nested VAD and log-mel options
// included). Dim is 0 there: set it before NewPipeline.
func DefaultPipelineOptions() PipelineOptions {
	o := new(pipelineOptions)
	if r := capi.Core_pipeline_options_init(unsafe.Pointer(o)); r != 0 {
		panic(fail("core.DefaultPipelineOptions", r)) // only for NULL: a binding bug
	}
	return PipelineOptions{
		SampleRate: int(o.sampleRate),
		RingMs:     int(o.ringMs),
		RingPolicy: RingPolicy(o.ringPolicy),
		VAD:        o.vad.goOptions(),
		LogMel: LogMelOptions{
			SampleRate: int(o.logmel.sampleRate), NFFT: int(o.logmel.nFFT), Hop: int(o.logmel.hop),
			NMels: int(o.logmel.nMels), FMin: o.logmel.fmin, FMax: o.logmel.fmax,
			Mode: LogMelMode(o.logmel.mode), WindowFrames: int(o.logmel.windowFrames),
		},
		WindowMs:      int(o.windowMs),
		HopMs:         int(o.hopMs),
		SpeechOnly:    o.speechOnly != 0,
		Dim:           int(o.dim),
		CacheDecimals: int(o.cacheDecimals),
	}
}

// cOptions fills the C layout: libcore's defaults first (struct_size, the
// cache and batch options this binding does not expose), then opts.
func (opts PipelineOptions) cOptions(op string) (*pipelineOptions, error) {
	if opts == (PipelineOptions{}) {
		return nil, argError(op, ErrInvalidArgument,
			"the zero PipelineOptions is not valid: start from core.DefaultPipelineOptions()")
	}
	o := new(pipelineOptions)
	if r := capi.Core_pipeline_options_init(unsafe.Pointer(o)); r != 0 {
		return nil, fail(op, r)
	}
	var err error
	set := func(dst *uint32, name string, v int) {
		if err == nil {
			*dst, err = u32Arg(op, name, v)
		}
	}
	set(&o.sampleRate, "SampleRate", opts.SampleRate)
	set(&o.ringMs, "RingMs", opts.RingMs)
	set(&o.windowMs, "WindowMs", opts.WindowMs)
	set(&o.hopMs, "HopMs", opts.HopMs)
	if err != nil {
		return nil, err
	}
	if err := checkSize(op, "Dim", opts.Dim); err != nil {
		return nil, err
	}
	if int64(opts.RingPolicy) != int64(int32(opts.RingPolicy)) {
		return nil, argError(op, ErrInvalidArgument, "RingPolicy = %d is out of range", opts.RingPolicy)
	}
	if int64(opts.CacheDecimals) != int64(int32(opts.CacheDecimals)) {
		return nil, argError(op, ErrInvalidArgument, "CacheDecimals = %d is out of range", opts.CacheDecimals)
	}
	vad, err := opts.VAD.cOptions(op)
	if err != nil {
		return nil, err
	}
	lm, err := opts.LogMel.cOptions(op)
	if err != nil {
		return nil, err
	}
	o.vad, o.logmel = *vad, *lm
	o.ringPolicy = int32(opts.RingPolicy)
	o.speechOnly = 0
	if opts.SpeechOnly {
		o.speechOnly = 1
	}
	o.dim = uint64(opts.Dim)
	o.cacheDecimals = int32(opts.CacheDecimals)
	return o, nil
}

// EventKind is the kind of a pipeline event (core_event_kind).
type EventKind int

const (
	// EventSpeechStart: speech (padding included) began at Start.
	EventSpeechStart EventKind = 1
	// EventSpeechEnd: the final segment [Start, End).
	EventSpeechEnd EventKind = 2
	// EventWindow: a window [Start, End) with its Features and Embedding.
	EventWindow EventKind = 3
	// EventNeedsEncoding (raw mode, no Go encoder): the window's Features
	// are ready; give its embedding with SubmitEmbedding.
	EventNeedsEncoding EventKind = 4
	// EventEncoderError: libcore's encoder failed the window (Status). Not
	// produced by this binding, whose encoder errors are *EncoderError
	// errors; listed for completeness.
	EventEncoderError EventKind = 5
	// EventEnd: after Flush, everything has been delivered. The last event.
	EventEnd EventKind = 6
)

func (k EventKind) String() string {
	switch k {
	case EventSpeechStart:
		return "SpeechStart"
	case EventSpeechEnd:
		return "SpeechEnd"
	case EventWindow:
		return "Window"
	case EventNeedsEncoding:
		return "NeedsEncoding"
	case EventEncoderError:
		return "EncoderError"
	case EventEnd:
		return "End"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one pipeline event (core_event_t). Positions are samples since
// the first push (those the ring dropped are not counted). Features and
// Embedding are copies, owned by the caller.
type Event struct {
	Kind       EventKind
	WindowID   uint64 // Window, NeedsEncoding: ids count from 0 in window order
	Start, End uint64 // samples: the segment, or the window's range
	// Features: NMels x NFrames log-mel values, mel-major (as
	// Spectrogram.Data), for Window and NeedsEncoding events.
	Features       []float32
	NMels, NFrames int
	Embedding      []float32 // Window: Dim floats
	CacheHit       bool      // Window: the embedding came from the cache
	Status         Status    // EncoderError: what the encoder returned
}

// Encoder computes the embedding of one window: features holds nMels x
// nFrames log-mel values, mel-major (features[m*nFrames+t]); it returns Dim
// floats. features is the encoder's to keep.
type Encoder func(features []float32, nMels, nFrames int) ([]float32, error)

// EncoderError is the error NextEvent returns when the Go encoder fails a
// window (or returns other than Dim floats). The window stays pending: the
// next NextEvent calls the encoder for it again (a transient failure
// recovers), or SubmitEmbedding(WindowID, fallback) supplies an embedding
// instead. Windows after it are not delivered until it has one (events
// keep window order). errors.As(err, &ee) finds it; errors.Is and
// errors.As see the encoder's own error through Unwrap.
type EncoderError struct {
	WindowID   uint64
	Start, End uint64
	Err        error // what the encoder returned
}

func (e *EncoderError) Error() string {
	return fmt.Sprintf("core.Pipeline.NextEvent: the encoder failed window %d [%d, %d): %v",
		e.WindowID, e.Start, e.End, e.Err)
}

// Unwrap returns the encoder's error.
func (e *EncoderError) Unwrap() error { return e.Err }

// pendingWindow is a NEEDS_ENCODING window the Go encoder has not
// answered yet.
type pendingWindow struct {
	id, start, end uint64
	features       []float32
	nMels, nFrames int
}

// Pipeline is the streaming front end (core_pipeline_t). Push audio with
// PushF32 / PushI16 (any chunk size), end it with Flush, pull events with
// NextEvent until EventEnd.
//
// The encoder: with a Go Encoder (NewPipeline(opts, enc)), NextEvent calls
// it synchronously, on its own goroutine, for each window that misses the
// cache, submits the result and goes on: it returns Window events with
// their embeddings, never NeedsEncoding. One window per call (libcore's
// batcher is not used without a C encoder; use a Batcher and raw mode to
// batch yourself). With a nil Encoder (raw mode), NextEvent returns a
// NeedsEncoding event for each miss; answer it with SubmitEmbedding, and
// the window's Window event follows. libcore never calls back into Go.
//
// # Goroutines and Close
//
// As libcore allows (pipeline.h, convention 1), one producer goroutine may
// push while one consumer goroutine takes events: the producer methods
// (PushF32, PushI16, Flush) are serialized by one mutex, the consumer
// methods (NextEvent, SubmitEmbedding) by another, so a slow encoder never
// blocks a push; Stats and ExportPrometheus run from any goroutine.
// The encoder must not call its own pipeline's consumer methods (that
// deadlocks). Close is idempotent (also on a nil *Pipeline), may be called
// from any goroutine and never blocks: calls already running finish
// normally and the last of them releases the C pipeline
// (core_pipeline_destroy). Every call that starts after Close returns an
// error matching ErrClosed (and ErrInvalidArgument). A finalizer closes a
// lost pipeline, but call Close: it holds the ring, the cache and the
// features in C memory.
type Pipeline struct {
	state     int64 // calls in progress, plus pipelineClosed once Close ran
	destroyed int32
	hint      int64 // atomic: the buffer size ExportPrometheus starts with
	p         uintptr
	prod      sync.Mutex
	cons      sync.Mutex
	ev        *pipelineEvent // guarded by cons
	pending   *pendingWindow // guarded by cons
	encoder   Encoder
	opts      PipelineOptions
}

const (
	pipelineName   = "Pipeline"
	pipelineClosed = int64(1) << 62
)

// NewPipeline creates a pipeline (core_pipeline_create) with encoder, or
// in raw mode when encoder is nil. ErrInvalidArgument for Dim 0, a window
// shorter than LogMel.NFFT or not a whole number of samples, a rate the
// VAD or the log-mel refuses, or any field out of range; libcore's message
// names the option ("dim is 0", "window_ms ... shorter than logmel.n_fft").
func NewPipeline(opts PipelineOptions, encoder Encoder) (*Pipeline, error) {
	const op = "core.NewPipeline"
	o, err := opts.cOptions(op)
	if err != nil {
		return nil, err
	}
	var prefix []byte
	if opts.MetricsPrefix != "" {
		prefix = append([]byte(opts.MetricsPrefix), 0)
	}
	var h [1]uintptr
	if r := capi.Core_go_pipeline_create(unsafe.Pointer(o), prefix, h[:]); r != 0 {
		return nil, fail(op, r)
	}
	p := &Pipeline{p: h[0], ev: new(pipelineEvent), encoder: encoder, opts: opts, hint: exportHintInit}
	runtime.SetFinalizer(p, (*Pipeline).Close)
	return p, nil
}

// Close releases the pipeline, now or, when calls are in progress, when
// the last of them returns. A second Close does nothing. Always nil: the
// error is there for io.Closer.
func (p *Pipeline) Close() error {
	if p == nil {
		return nil
	}
	for {
		s := atomic.LoadInt64(&p.state)
		if s&pipelineClosed != 0 {
			return nil
		}
		if atomic.CompareAndSwapInt64(&p.state, s, s|pipelineClosed) {
			runtime.SetFinalizer(p, nil)
			if s == 0 {
				p.destroy()
			}
			return nil
		}
	}
}

func (p *Pipeline) destroy() {
	if atomic.CompareAndSwapInt32(&p.destroyed, 0, 1) {
		capi.Core_pipeline_destroy(p.p)
	}
}

// acquire registers a call and returns the handle; release ends it.
func (p *Pipeline) acquire(op string) (uintptr, error) {
	if p == nil {
		return 0, argError(op, ErrInvalidArgument, "nil *Pipeline")
	}
	if atomic.AddInt64(&p.state, 1)&pipelineClosed != 0 {
		p.release()
		return 0, closedError(op, pipelineName)
	}
	return p.p, nil
}

func (p *Pipeline) release() {
	if atomic.AddInt64(&p.state, -1) == pipelineClosed {
		p.destroy()
	}
}

// Options returns the options the pipeline was created with.
func (p *Pipeline) Options() PipelineOptions {
	if p == nil {
		return PipelineOptions{}
	}
	return p.opts
}

// Dim is the number of floats of an embedding.
func (p *Pipeline) Dim() int {
	if p == nil {
		return 0
	}
	return p.opts.Dim
}

// PushF32 appends a chunk of any size (core_pipeline_push_f32); x is read
// during the call only. The producer side only appends to the ring and
// counts: the analysis runs in NextEvent. ErrFull under RingReject when
// the ring cannot take x (nothing written); ErrInvalidArgument after Flush.
func (p *Pipeline) PushF32(x []float32) error {
	const op = "core.Pipeline.PushF32"
	h, err := p.acquire(op)
	if err != nil {
		return err
	}
	p.prod.Lock()
	r := capi.Core_pipeline_push_f32(h, x, int64(len(x)))
	p.prod.Unlock()
	p.release()
	return check(op, r)
}

// PushI16 appends PCM16 samples, converted as v / 32768
// (core_pipeline_push_i16). As PushF32.
func (p *Pipeline) PushI16(x []int16) error {
	const op = "core.Pipeline.PushI16"
	h, err := p.acquire(op)
	if err != nil {
		return err
	}
	p.prod.Lock()
	r := capi.Core_pipeline_push_i16(h, x, int64(len(x)))
	p.prod.Unlock()
	p.release()
	return check(op, r)
}

// Flush ends the stream (core_pipeline_flush): the next NextEvent calls
// finish the VAD, cut the last windows and deliver everything, then
// EventEnd. Pushes are refused afterwards; a second Flush does nothing.
func (p *Pipeline) Flush() error {
	const op = "core.Pipeline.Flush"
	h, err := p.acquire(op)
	if err != nil {
		return err
	}
	p.prod.Lock()
	r := capi.Core_pipeline_flush(h)
	p.prod.Unlock()
	p.release()
	return check(op, r)
}

// NextEvent runs the analysis the pushed audio allows and returns the next
// event in order (core_pipeline_next_event): a segment's start before its
// windows, windows in id order, a segment's end after its windows, EventEnd
// last after Flush. ok is false, with a nil error, when nothing is ready
// (libcore's CORE_E_EMPTY: push more, or call again; also after EventEnd).
// With a Go encoder, windows that miss the cache are encoded inside this
// call; an encoder failure is an *EncoderError (see there).
func (p *Pipeline) NextEvent() (ev Event, ok bool, err error) {
	const op = "core.Pipeline.NextEvent"
	h, err := p.acquire(op)
	if err != nil {
		return Event{}, false, err
	}
	defer p.release()
	p.cons.Lock()
	defer p.cons.Unlock()
	for {
		if w := p.pending; w != nil {
			if err := p.encode(h, w); err != nil {
				return Event{}, false, err
			}
			p.pending = nil
		}
		r := capi.Core_pipeline_next_event(h, unsafe.Pointer(p.ev))
		if r != 0 {
			return Event{}, false, emptyIsFalse(op, r)
		}
		e := p.ev
		if EventKind(e.kind) == EventNeedsEncoding && p.encoder != nil {
			p.pending = &pendingWindow{id: e.windowID, start: e.start, end: e.end,
				features: copyFloats(e.features, e.nMels*e.nFrames),
				nMels:    int(e.nMels), nFrames: int(e.nFrames)}
			continue
		}
		ev = Event{
			Kind:     EventKind(e.kind),
			WindowID: e.windowID,
			Start:    e.start,
			End:      e.end,
			NMels:    int(e.nMels),
			NFrames:  int(e.nFrames),
			CacheHit: e.cacheHit != 0,
			Status:   Status(e.status),
		}
		if e.features != nil {
			ev.Features = copyFloats(e.features, e.nMels*e.nFrames)
		}
		if e.embedding != nil {
			ev.Embedding = copyFloats(e.embedding, e.dim)
		}
		return ev, true, nil
	}
}

// encode runs the Go encoder on w and submits its embedding.
func (p *Pipeline) encode(h uintptr, w *pendingWindow) error {
	emb, err := p.encoder(w.features, w.nMels, w.nFrames)
	if err == nil && len(emb) != p.opts.Dim {
		err = argError("core.Pipeline.NextEvent", ErrInvalidArgument,
			"the encoder returned %d floats, want Dim = %d", len(emb), p.opts.Dim)
	}
	if err != nil {
		return &EncoderError{WindowID: w.id, Start: w.start, End: w.end, Err: err}
	}
	return check("core.Pipeline.NextEvent", capi.Core_pipeline_submit_embedding(h, w.id, emb, int64(len(emb))))
}

// copyFloats copies n floats of C memory into a new Go slice.
func copyFloats(ptr unsafe.Pointer, n uint64) []float32 {
	out := make([]float32, n)
	if n > 0 {
		copy(out, unsafe.Slice((*float32)(ptr), n))
	}
	return out
}

// SubmitEmbedding gives the embedding of a window announced by a
// NeedsEncoding event (core_pipeline_submit_embedding): it goes into the
// cache and the window's Window event follows. With a Go encoder, it
// answers a window whose encoding failed (EncoderError.WindowID).
// embedding is read during the call only. ErrNotFound for an id not
// waiting; ErrInvalidArgument when len(embedding) != Dim.
func (p *Pipeline) SubmitEmbedding(windowID uint64, embedding []float32) error {
	const op = "core.Pipeline.SubmitEmbedding"
	h, err := p.acquire(op)
	if err != nil {
		return err
	}
	defer p.release()
	p.cons.Lock()
	defer p.cons.Unlock()
	r := capi.Core_pipeline_submit_embedding(h, windowID, embedding, int64(len(embedding)))
	if r == 0 && p.pending != nil && p.pending.id == windowID {
		p.pending = nil
	}
	return check(op, r)
}

// Stats returns a snapshot of the counters (core_pipeline_stats), from
// any goroutine; they may lag a call in progress.
func (p *Pipeline) Stats() (PipelineStats, error) {
	const op = "core.Pipeline.Stats"
	h, err := p.acquire(op)
	if err != nil {
		return PipelineStats{}, err
	}
	defer p.release()
	s := new(PipelineStats)
	if r := capi.Core_pipeline_stats(h, unsafe.Pointer(s)); r != 0 {
		return PipelineStats{}, fail(op, r)
	}
	return *s, nil
}

// ExportPrometheus writes the pipeline's metrics registry
// (core_pipeline_metrics) in the Prometheus text format 0.0.4, timers as
// histograms in seconds: timers pipeline.push, vad.process,
// features.logmel, encoder.lookup, encoder.forward, encoder.batch_size;
// counters pipeline.chunks, pipeline.samples, pipeline.windows,
// encoder.cache_hits, encoder.cache_misses, pipeline.dropped_samples
// (under MetricsPrefix; exported names sanitized: pipeline_push_seconds).
// The Go encoder's time is outside libcore: encoder.forward records
// nothing for it.
func (p *Pipeline) ExportPrometheus() (string, error) {
	return p.ExportMetrics(MetricsPrometheus, false)
}

// ExportMetrics writes the pipeline's metrics as Metrics.Export does
// (core_metrics_export on core_pipeline_metrics).
func (p *Pipeline) ExportMetrics(format MetricsFormat, summary bool) (string, error) {
	const op = "core.Pipeline.ExportMetrics"
	h, err := p.acquire(op)
	if err != nil {
		return "", err
	}
	defer p.release()
	m := capi.Core_pipeline_metrics(h)
	return exportText(op, &p.hint, format, summary,
		func(format int, flags uint, buf []byte, n int64, needed []uint64) int64 {
			return capi.Core_metrics_export(m, format, flags, buf, n, needed)
		})
}
