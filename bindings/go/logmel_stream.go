package core

import (
	"runtime"
	"sync"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// LogMelStream computes a log-mel spectrogram from samples pushed in
// chunks of any size (core_logmel_stream_t): frame t of the stream equals
// frame t of LogMel.Compute on everything pushed (LogMelLog10: bit for
// bit; LogMelWhisper with WindowFrames 0: the whole stream is one window,
// bit for bit). A frame is ready NFFT/2 samples after its centre; the last
// frames (reflected right edge) come with Flush. In LogMelWhisper mode
// frames are readable once their whole window of WindowFrames frames is
// complete, each window floored by its own maximum.
//
// Output is frame-major, unlike Compute: Read returns frames one after
// another, NMels floats each (out[f*NMels+m] is band m of the f-th frame
// read).
//
// # Goroutines and Close
//
// libcore lets one thread at a time use a stream; the binding serializes
// the methods with a mutex, so a second goroutine waits its turn instead of
// corrupting the stream. Close (idempotent, also on a nil *LogMelStream)
// waits for the call in progress, then releases the C stream
// (core_logmel_stream_destroy); every call after Close returns an error
// matching ErrClosed (and ErrInvalidArgument). A finalizer closes a lost
// stream, but call Close.
type LogMelStream struct {
	mu    sync.Mutex
	s     uintptr // 0 once closed
	nMels int
}

const logMelStreamName = "LogMelStream"

// NewLogMelStream creates a stream with the options of NewLogMel (same
// checks and errors; core_logmel_stream_create).
func NewLogMelStream(opts LogMelOptions) (*LogMelStream, error) {
	const op = "core.NewLogMelStream"
	o, err := opts.cOptions(op)
	if err != nil {
		return nil, err
	}
	var h [1]uintptr
	if r := capi.Core_logmel_stream_create(unsafe.Pointer(o), h[:]); r != 0 {
		return nil, fail(op, r)
	}
	s := &LogMelStream{s: h[0], nMels: opts.NMels}
	runtime.SetFinalizer(s, (*LogMelStream).Close)
	return s, nil
}

// Close releases the stream (see the type's documentation). Always nil:
// the error is there for io.Closer.
func (s *LogMelStream) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	if s.s != 0 {
		runtime.SetFinalizer(s, nil)
		capi.Core_logmel_stream_destroy(s.s)
		s.s = 0
	}
	s.mu.Unlock()
	return nil
}

// lock locks the stream and returns its handle; on error it is not locked.
func (s *LogMelStream) lock(op string) (uintptr, error) {
	if s == nil {
		return 0, argError(op, ErrInvalidArgument, "nil *LogMelStream")
	}
	s.mu.Lock()
	if s.s == 0 {
		s.mu.Unlock()
		return 0, closedError(op, logMelStreamName)
	}
	return s.s, nil
}

// NMels is the number of bands of each frame.
func (s *LogMelStream) NMels() int {
	if s == nil {
		return 0
	}
	return s.nMels
}

// Push appends x and computes every frame whose samples are now all there
// (core_logmel_stream_push). x is read during the call only, without a
// copy; an empty x does nothing. ErrInvalidArgument after Flush (Reset
// first).
func (s *LogMelStream) Push(x []float32) error {
	const op = "core.LogMelStream.Push"
	h, err := s.lock(op)
	if err != nil {
		return err
	}
	r := capi.Core_logmel_stream_push(h, x, int64(len(x)))
	s.mu.Unlock()
	return check(op, r)
}

// Flush ends the stream (core_logmel_stream_flush): the last frames are
// computed and, in LogMelWhisper mode, the last window normalized. Pushes
// are refused afterwards; frames stay readable. A second Flush does
// nothing. A stream of fewer than NFFT samples in all gives no frame.
func (s *LogMelStream) Flush() error {
	const op = "core.LogMelStream.Flush"
	h, err := s.lock(op)
	if err != nil {
		return err
	}
	r := capi.Core_logmel_stream_flush(h)
	s.mu.Unlock()
	return check(op, r)
}

// Available is the number of frames ready to read now
// (core_logmel_stream_available).
func (s *LogMelStream) Available() (int, error) {
	const op = "core.LogMelStream.Available"
	h, err := s.lock(op)
	if err != nil {
		return 0, err
	}
	c := getCells()
	r := capi.Core_logmel_stream_available(h, c.u[:1])
	s.mu.Unlock()
	n, err := c.count(op, r)
	return int(n), err
}

// Read returns up to maxFrames ready frames, frame-major: len(result) is
// NMels times the number of frames (core_logmel_stream_read). None ready
// is not an error: an empty, non-nil slice. ErrInvalidArgument for
// maxFrames negative. It allocates the result (ReadInto does not).
func (s *LogMelStream) Read(maxFrames int) ([]float32, error) {
	const op = "core.LogMelStream.Read"
	if err := checkSize(op, "maxFrames", maxFrames); err != nil {
		return nil, err
	}
	h, err := s.lock(op)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	c := getCells()
	defer c.put()
	if r := capi.Core_logmel_stream_available(h, c.u[:1]); r != 0 {
		return nil, fail(op, r)
	}
	if n := int(c.u[0]); n < maxFrames {
		maxFrames = n // nothing else pushes meanwhile: the stream is locked
	}
	out := make([]float32, maxFrames*s.nMels)
	if r := capi.Core_logmel_stream_read(h, out, int64(maxFrames), c.u[:1]); r != 0 {
		return nil, fail(op, r)
	}
	return out[:int(c.u[0])*s.nMels], nil
}

// ReadInto copies up to len(dst)/NMels ready frames to dst, frame-major,
// and returns their number (core_logmel_stream_read); 0 when none is
// ready. Nothing is allocated.
func (s *LogMelStream) ReadInto(dst []float32) (int, error) {
	const op = "core.LogMelStream.ReadInto"
	h, err := s.lock(op)
	if err != nil {
		return 0, err
	}
	c := getCells()
	r := capi.Core_logmel_stream_read(h, dst, int64(len(dst)/s.nMels), c.u[:1])
	s.mu.Unlock()
	n, err := c.count(op, r)
	return int(n), err
}

// Reset forgets every sample and frame and accepts pushes again, as if
// new (core_logmel_stream_reset; the memory is kept).
func (s *LogMelStream) Reset() error {
	const op = "core.LogMelStream.Reset"
	h, err := s.lock(op)
	if err != nil {
		return err
	}
	r := capi.Core_logmel_stream_reset(h)
	s.mu.Unlock()
	return check(op, r)
}
