package core

// Collections (include/core/collection.h): RunCollection analyses a list
// of audio files in parallel in libcore's arena and returns one FileResult
// per file, in input order.
//
// core_collection_run reports each file through a C callback on one of
// libcore's threads; calling Go from there would attach a foreign thread
// per file. Instead the C shim bindings/collection_shim.h (compiled into
// the wrapper) keeps every file's record in C memory during the run, and
// this file reads the records afterwards. The shim's collection lives for
// one RunCollection call only (created, filled, run and freed inside it),
// so its misuse cases (a second run, an add after the run, NULL) cannot
// happen here.

import (
	"math"
	"strings"
	"time"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// CollectionMaxChunk is the largest ChunkSamples accepted
// (CORE_COLLECTION_MAX_CHUNK, 2^24 samples).
const CollectionMaxChunk = 1 << 24

// CollectionAllSegments as CollectionOptions.MaxSegments keeps every
// segment in the JSON records (SIZE_MAX in C).
const CollectionAllSegments = -1

// CollectionOptions are the options of RunCollection
// (core_collection_options_t). Start from DefaultCollectionOptions, which
// holds libcore's values, then change fields; the zero CollectionOptions
// is not valid. libcore checks the ranges and names the field at fault.
type CollectionOptions struct {
	SampleRate   int  // analysis rate in Hz, 1000 .. 384000 (files are resampled to it)
	ChunkSamples int  // samples read per step, 1 .. CollectionMaxChunk: the memory bound per file
	VAD          bool // find speech segments
	// VADOptions tune the detector; libcore sets their SampleRate from
	// SampleRate (the value here is ignored).
	VADOptions VADOptions
	// Features writes each file's log-mel, float32 (frames, NMels), to
	// outputs[i] as a NumPy .npy file (written to outputs[i] + ".partial",
	// then renamed: an interrupted run never leaves a complete-looking file).
	Features bool
	// LogMel are the log-mel options used with Features (checked only
	// then); libcore sets their SampleRate from SampleRate.
	LogMel LogMelOptions
	// MaxSegments is how many segments each JSON record lists (more are
	// counted in FileResult.Segments); CollectionAllSegments: all.
	MaxSegments int
}

// collectionOptions has the layout of core_collection_options_t (checked
// below). metrics stays 0: the binding passes no registry.
type collectionOptions struct {
	structSize   uint64
	sampleRate   uint32
	chunkSamples uint64
	vad          int32
	vadOptions   vadOptions
	features     int32
	logmel       logMelOptions
	maxSegments  uint64
	metrics      uintptr
}

func _() {
	var x [1]struct{}
	var o collectionOptions
	_ = x[capi.CollectionOptionsSize-unsafe.Sizeof(o)]
	_ = x[unsafe.Sizeof(o)-capi.CollectionOptionsSize]
	_ = x[capi.CollectionOptionsOffSize-unsafe.Offsetof(o.structSize)]
	_ = x[capi.CollectionOptionsOffRate-unsafe.Offsetof(o.sampleRate)]
	_ = x[capi.CollectionOptionsOffChunk-unsafe.Offsetof(o.chunkSamples)]
	_ = x[capi.CollectionOptionsOffVAD-unsafe.Offsetof(o.vad)]
	_ = x[capi.CollectionOptionsOffVADOpts-unsafe.Offsetof(o.vadOptions)]
	_ = x[capi.CollectionOptionsOffFeatures-unsafe.Offsetof(o.features)]
	_ = x[capi.CollectionOptionsOffLogMel-unsafe.Offsetof(o.logmel)]
	_ = x[capi.CollectionOptionsOffMaxSeg-unsafe.Offsetof(o.maxSegments)]
	_ = x[capi.CollectionOptionsOffMetrics-unsafe.Offsetof(o.metrics)]
	_ = x[capi.CollectionOptionsRateSize-unsafe.Sizeof(o.sampleRate)]
	_ = x[capi.CollectionOptionsVADSize-unsafe.Sizeof(o.vad)]
	_ = x[capi.CollectionOptionsFeaturesSize-unsafe.Sizeof(o.features)]
	_ = x[capi.CollectionMaxChunk-CollectionMaxChunk]
	_ = x[CollectionMaxChunk-capi.CollectionMaxChunk]
}

// DefaultCollectionOptions returns libcore's defaults, as
// core_collection_options_init fills them (the numbers live in libcore
// only): 16 kHz, 65536-sample chunks, VAD on with DefaultVADOptions,
// features off with DefaultLogMelOptions, 100000 segments per record.
func DefaultCollectionOptions() CollectionOptions {
	o := new(collectionOptions)
	if r := capi.Core_collection_options_init(unsafe.Pointer(o)); r != 0 {
		panic(fail("core.DefaultCollectionOptions", r)) // only for NULL: a binding bug
	}
	maxSeg := CollectionAllSegments
	if o.maxSegments <= math.MaxInt {
		maxSeg = int(o.maxSegments)
	}
	return CollectionOptions{
		SampleRate:   int(o.sampleRate),
		ChunkSamples: int(o.chunkSamples),
		VAD:          o.vad != 0,
		VADOptions:   o.vadOptions.goOptions(),
		Features:     o.features != 0,
		LogMel:       o.logmel.goOptions(),
		MaxSegments:  maxSeg,
	}
}

func boolInt(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// cOptions fills the C layout: libcore's defaults first (struct_size and
// any field this binding does not know), then every field of opts. The
// binding checks only what the C types cannot hold; libcore the ranges.
func (opts CollectionOptions) cOptions(op string) (*collectionOptions, error) {
	if opts == (CollectionOptions{}) {
		return nil, argError(op, ErrInvalidArgument,
			"the zero CollectionOptions is not valid: start from core.DefaultCollectionOptions()")
	}
	o := new(collectionOptions)
	if r := capi.Core_collection_options_init(unsafe.Pointer(o)); r != 0 {
		return nil, fail(op, r)
	}
	var err error
	if o.sampleRate, err = u32Arg(op, "SampleRate", opts.SampleRate); err != nil {
		return nil, err
	}
	if err := checkSize(op, "ChunkSamples", opts.ChunkSamples); err != nil {
		return nil, err
	}
	o.chunkSamples = uint64(opts.ChunkSamples)
	switch {
	case opts.MaxSegments == CollectionAllSegments:
		o.maxSegments = math.MaxUint64
	case opts.MaxSegments < 0:
		return nil, argError(op, ErrInvalidArgument,
			"MaxSegments = %d is negative (CollectionAllSegments = -1 keeps all)", opts.MaxSegments)
	default:
		o.maxSegments = uint64(opts.MaxSegments)
	}
	v, err := opts.VADOptions.cOptions(op)
	if err != nil {
		return nil, err
	}
	l, err := opts.LogMel.cOptions(op)
	if err != nil {
		return nil, err
	}
	o.vadOptions, o.logmel = *v, *l
	o.vad, o.features = boolInt(opts.VAD), boolInt(opts.Features)
	return o, nil
}

// goOptions is the Go view of the C layout.
func (o *logMelOptions) goOptions() LogMelOptions {
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

// FileResult is one file's summary from RunCollection
// (core_file_summary_t, read back through the shim).
type FileResult struct {
	Path    string // as given
	Status  Status // StatusOK, or why this file failed (ErrNotFound, ErrFormat, ...)
	Message string // "" on success, else libcore's message for the failing call
	// JSON is the file's record exactly as core_file_summary_json writes
	// it: one line, {"path":..., "status":"CORE_OK", ...}, the same bytes
	// as every other front end writes for the file.
	JSON      string
	Samples   int64         // samples at the analysis rate
	Duration  time.Duration // Samples / SampleRate (the JSON has libcore's exact seconds)
	Speech    time.Duration // total length of the speech segments
	RMS       float64       // sqrt(mean of squares) of the samples, 0 for none
	Segments  int           // speech segments found (all, also beyond MaxSegments)
	MelFrames int64         // log-mel frames written (Features with an output)
}

// OK reports whether the file was analysed (Status is StatusOK).
func (r FileResult) OK() bool { return r.Status == StatusOK }

// Err is nil for a file analysed, else a *Error (Op "core.RunCollection")
// carrying the file's status and message, for errors.Is.
func (r FileResult) Err() error {
	if r.OK() {
		return nil
	}
	return &Error{Op: "core.RunCollection", Status: r.Status, Message: r.Message}
}

// RunCollection analyses the audio files at paths in parallel in
// libcore's task arena (core_collection_run; SetNumThreads sizes it), one
// file per task, each streamed in chunks (memory per file is bounded
// whatever its length). It returns one FileResult per path, in the order
// of paths; the results do not depend on the thread count or ChunkSamples.
//
// outputs may be nil (no features) or hold one entry per path, "" for no
// .npy for that file; with opts.Features, file i's log-mel goes to
// outputs[i]. opts nil means DefaultCollectionOptions().
//
// A file that fails (missing, not audio, truncated, its output not
// writable) is a FileResult with its Status and Message; the others go
// on: the error is nil. The error is non-nil, with no results, for the
// run as a whole: ErrInvalidArgument for len(outputs) != len(paths), a
// path or output holding a NUL byte, or options libcore refuses (the
// message names the field); ErrUnsupported for a libcore built without
// audio file support; ErrOutOfMemory. The call blocks its goroutine (and
// an OS thread) until every file is done; it cannot be cancelled. Any
// number of goroutines may call it at once.
func RunCollection(paths []string, outputs []string, opts *CollectionOptions) ([]FileResult, error) {
	const op = "core.RunCollection"
	if outputs != nil && len(outputs) != len(paths) {
		return nil, argError(op, ErrInvalidArgument,
			"len(outputs) = %d, want len(paths) = %d (or outputs nil)", len(outputs), len(paths))
	}
	// A Go string holding a NUL would reach C cut short: another file.
	for i, p := range paths {
		if strings.IndexByte(p, 0) >= 0 {
			return nil, argError(op, ErrInvalidArgument, "paths[%d] holds a NUL byte", i)
		}
	}
	for i, p := range outputs {
		if strings.IndexByte(p, 0) >= 0 {
			return nil, argError(op, ErrInvalidArgument, "outputs[%d] holds a NUL byte", i)
		}
	}
	var o *collectionOptions
	if opts == nil {
		o = new(collectionOptions)
		if r := capi.Core_collection_options_init(unsafe.Pointer(o)); r != 0 {
			return nil, fail(op, r)
		}
	} else {
		var err error
		if o, err = opts.cOptions(op); err != nil {
			return nil, err
		}
	}

	c := capi.Corebind_collection_new()
	if c == 0 {
		return nil, argError(op, ErrOutOfMemory, "no memory for the collection")
	}
	defer capi.Corebind_collection_free(c)
	for i, p := range paths {
		out := ""
		if outputs != nil {
			out = outputs[i]
		}
		// The shim's add fails only for want of memory (the arguments are
		// valid here) and sets no libcore message: say it ourselves.
		if r := capi.Corebind_collection_add(c, p, out); r != 0 {
			st := Status(capi.Core_go_error_status(r))
			capi.Core_go_error_free(r)
			return nil, argError(op, st, "cannot add paths[%d] to the collection (%s)", i, st)
		}
	}
	if r := capi.Corebind_collection_run(c, unsafe.Pointer(o)); r != 0 {
		err := fail(op, r).(*Error)
		// libcore's messages start with the failing function's name. The
		// shim's own CORE_E_OUT_OF_MEMORY (a record could not be kept)
		// sets none, so the thread's message is then an older one.
		if !strings.HasPrefix(err.Message, "core_collection_run") {
			err.Message = "a file's record could not be kept (the run itself completed)"
		}
		return nil, err
	}

	n := int(capi.Corebind_collection_count(c))
	res := make([]FileResult, n)
	for i := range res {
		k := int64(i)
		r := &res[i]
		r.Path = capi.Corebind_collection_path(c, k)
		r.Status = Status(capi.Corebind_collection_status(c, k))
		if r.Status != StatusOK {
			r.Message = capi.Corebind_collection_message(c, k)
		}
		r.JSON = capi.Corebind_collection_json(c, k)
		r.Samples = int64(capi.Corebind_collection_samples(c, k))
		r.Duration = secondsToDuration(capi.Corebind_collection_duration(c, k))
		r.Speech = secondsToDuration(capi.Corebind_collection_speech(c, k))
		r.RMS = capi.Corebind_collection_rms(c, k)
		r.Segments = int(capi.Corebind_collection_segments(c, k))
		r.MelFrames = int64(capi.Corebind_collection_mel_frames(c, k))
	}
	return res, nil
}
