// Package core is the Go binding of libcore, the native engine for
// real-time speech and ML services: NumPy-style array creation and
// one-pass SIMD statistics over float32 and float64 slices.
//
// Module path: libcore.dev/core (installed by `meson install` as source to
// <prefix>/share/libcore/go; see README.md for how a program uses it). The
// package is a thin layer over a SWIG-generated raw binding
// (internal/capi), which is in turn a thin layer over the C API in
// include/core/*.h: the headers are the contract for every value, NaN rule
// and error returned here.
//
// # Names
//
// Functions are the NumPy / C names in Go CamelCase. The unsuffixed
// function takes float32 ([]float32, the dtype of audio and ML features);
// its float64 twin has the same name with the suffix F64: Stats /
// StatsF64, Arange / ArangeF64, CumsumInto / CumsumIntoF64. Statistics
// are accumulated and returned in float64 for both dtypes.
//
// Functions returning a slice allocate it (sized with libcore's *_len
// helpers where the length is not given). The ...Into and ...InPlace
// variants write into a slice the caller owns, for loops that must not
// allocate.
//
// # Slices
//
// Slices are passed to C without a copy: libcore reads (or writes) the
// slice's own memory during the call and keeps no reference afterwards.
// This is legal under the cgo pointer rules and checked under
// GODEBUG=cgocheck=2 by the tests. A nil or empty slice is an array of
// length 0: what that means (an error, NaN, or an empty summary) is what
// the C header says, as documented on each function.
//
// # Errors
//
// Every function that can fail returns an error, which is nil or a *Error
// carrying the libcore status (a Status, like syscall.Errno) and the
// libcore detail message. The message is captured inside the same C call
// that failed: libcore keeps it per OS thread and the Go scheduler may move
// a goroutine to another thread between two cgo calls, so it is never read
// by a second call. Errors found by the binding before calling libcore
// (mismatched lengths, negative sizes or ddof) are *Error values too, with
// Status ErrInvalidArgument (or ErrBufferTooSmall for a short destination)
// and a message naming the Go arguments. Test with errors.Is:
//
//	if errors.Is(err, core.ErrEmpty) { ... }
//
// On error the float64 result is NaN and slices are nil, so an ignored
// error does not pass for a value.
//
// Handle types own C memory and have a Close method that releases it:
// RingBuffer, EncoderCache, Metrics, MetricsSnapshot, LogMel, LogMelStream,
// VAD, Pipeline and Batcher. Close is idempotent, and any call after it
// returns an error matching ErrClosed rather than touching freed memory.
//
// # Batches, streams and rings
//
// BatchStats, BatchStatsFlat, StatsFrames and StatsFile summarize many
// arrays, the frames of a signal or a raw float32 file in one call, in
// parallel; StatsAcc summarizes a stream chunk by chunk. Each summary is
// bit for bit what Stats gives for the same values. RingBuffer is the
// preallocated single-producer, single-consumer audio ring; see its
// documentation for the goroutine contract.
//
// # Threads
//
// Every function may be called from any number of goroutines at once.
// libcore runs large inputs in parallel in its own oneTBB arena, sized by
// SetNumThreads; results do not depend on the thread count. The stateful
// types say what they allow: a StatsAcc is used by one goroutine at a
// time, a RingBuffer by one producer and one consumer goroutine, a LogMel
// by any number at once; LogMelStream, VAD and Batcher serialize their
// calls; a Pipeline takes one producer and one consumer goroutine at once.
//
// # Audio
//
// LogMel computes Whisper's log-mel spectrogram (offline, ComputeBatch in
// parallel), LogMelStream the same frames as audio arrives, VAD and
// VADSegments find speech, ReadAudio and ReadAudioInfo read WAV, FLAC and
// Ogg files as mono float32 at any rate.
// RunCollection analyses many files in parallel (summary, speech
// segments, log-mel .npy files) and returns one FileResult per file.
//
// # Pipeline
//
// Pipeline is the streaming front end (ring, VAD, windows, log-mel,
// encoder cache, encoder): push audio, pull events (speech start and end,
// windows with their features and embeddings). The encoder is a Go func
// called by NextEvent (never a C callback), or, with none, the caller
// answers NeedsEncoding events with SubmitEmbedding. Batcher is libcore's
// length-bucket dynamic batcher on its own.
package core
