package core

import (
	"math"
	"runtime"
	"sync"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// AudioReader reads an audio file front to back in chunks of any size, as
// mono float32 at a chosen rate (core_audio_reader_t, audio.h "chunked
// reading"): memory stays bounded (a decoding block, the resampler's
// state) whatever the file's length.
//
//	r, err := core.OpenAudio("talk.flac", 16000)
//	if err != nil { ... }
//	defer r.Close()
//	buf := make([]float32, 16000)
//	for {
//		n, err := r.ReadInto(buf) // one second at a time; 0 at the end
//		if err != nil { ... }
//		if n == 0 { break }
//		vad.Push(buf[:n])
//	}
//
// # Samples
//
// The conversions of ReadAudio (channels averaged, PCM scaled, libsoxr
// resampling), and chunking never changes the samples: any sequence of
// reads gives, concatenated, exactly what ReadAudio gives for the file
// (total samples in all, see Length). A read gives as many samples as
// asked while that many remain, fewer only at the end, none once the end
// was reached. ReadInto decodes straight into the caller's slice (no
// copy, nothing allocated); Read allocates the result.
//
// # Errors
//
// OpenAudio: ErrNotFound for a missing file, ErrIO when it cannot be
// opened or read (a directory too), ErrFormat when it is not audio
// libsndfile understands or is truncated (the checks of ReadAudioInfo),
// ErrInvalidArgument for an empty path, one with a NUL byte or targetRate
// outside [0, 384000], ErrUnsupported without audio file support. A read:
// ErrFormat for damage found while decoding (a NaN or infinite sample,
// data ending before the header says: never an early end as if complete),
// ErrIO when the file can no longer be read; the reader is failed from
// then on (every later read returns the same error; Info and Length still
// answer).
//
// # Goroutines and Close
//
// libcore lets one thread at a time use a reader; the binding serializes
// the methods with a mutex, so a second goroutine waits its turn. Distinct
// readers run in parallel. The file stays open until Close (idempotent,
// also on a nil *AudioReader), which waits for the call in progress, then
// releases the reader (core_audio_reader_close); every call after Close
// returns an error matching ErrClosed (and ErrInvalidArgument). A
// finalizer closes a lost reader, but call Close.
type AudioReader struct {
	mu   sync.Mutex
	r    uintptr // 0 once closed
	rate int
}

const audioReaderName = "AudioReader"

// OpenAudio opens the file at path for chunked reading at targetRate Hz
// (0: the file's own rate) (core_audio_open). The header is checked here;
// the decoding happens in the reads. Errors: see AudioReader.
func OpenAudio(path string, targetRate int) (*AudioReader, error) {
	const op = "core.OpenAudio"
	if err := checkPath(op, path); err != nil {
		return nil, err
	}
	rate, err := audioRateArg(op, targetRate)
	if err != nil {
		return nil, err
	}
	var h [1]uintptr
	if r := capi.Core_audio_open(path, rate, h[:]); r != 0 {
		return nil, fail(op, r)
	}
	a := &AudioReader{r: h[0], rate: targetRate}
	runtime.SetFinalizer(a, (*AudioReader).Close)
	if targetRate == 0 {
		info, err := a.Info()
		if err != nil {
			a.Close()
			return nil, err
		}
		a.rate = info.SampleRate
	}
	return a, nil
}

// Close closes the file and releases the reader (see the type's
// documentation). Always nil: the error is there for io.Closer.
func (a *AudioReader) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	if a.r != 0 {
		runtime.SetFinalizer(a, nil)
		capi.Core_audio_reader_close(a.r)
		a.r = 0
	}
	a.mu.Unlock()
	return nil
}

// lock locks the reader and returns its handle; on error it is not locked.
func (a *AudioReader) lock(op string) (uintptr, error) {
	if a == nil {
		return 0, argError(op, ErrInvalidArgument, "nil *AudioReader")
	}
	a.mu.Lock()
	if a.r == 0 {
		a.mu.Unlock()
		return 0, closedError(op, audioReaderName)
	}
	return a.r, nil
}

// SampleRate is the rate of the samples read, Hz (the target rate, or the
// file's own).
func (a *AudioReader) SampleRate() int {
	if a == nil {
		return 0
	}
	return a.rate
}

// Info is the file's header, as ReadAudioInfo gives it
// (core_audio_reader_info; answers on a failed reader too).
func (a *AudioReader) Info() (AudioInfo, error) {
	const op = "core.AudioReader.Info"
	h, err := a.lock(op)
	if err != nil {
		return AudioInfo{}, err
	}
	c := new(audioInfo)
	c.structSize = uint64(unsafe.Sizeof(*c))
	r := capi.Core_audio_reader_info(h, unsafe.Pointer(c))
	a.mu.Unlock()
	if r != 0 {
		return AudioInfo{}, fail(op, r)
	}
	frames := int64(math.MaxInt64)
	if c.frames <= math.MaxInt64 {
		frames = int64(c.frames)
	}
	return AudioInfo{
		SampleRate: int(c.sampleRate),
		Channels:   int(c.channels),
		Frames:     frames,
		Duration:   secondsToDuration(c.duration),
		Format:     AudioFormat(c.format),
		Bits:       int(c.bits),
	}, nil
}

// Length is the number of samples the reader gives in all (ReadAudio's
// count) and how many it gave so far (the sum of the successful reads'
// counts) (core_audio_reader_length).
func (a *AudioReader) Length() (total, done int64, err error) {
	const op = "core.AudioReader.Length"
	h, err := a.lock(op)
	if err != nil {
		return 0, 0, err
	}
	defer a.mu.Unlock()
	return a.length(op, h)
}

// length runs core_audio_reader_length; the reader is locked.
func (a *AudioReader) length(op string, h uintptr) (total, done int64, err error) {
	var t, d [1]uint64
	if r := capi.Core_audio_reader_length(h, t[:], d[:]); r != 0 {
		return 0, 0, fail(op, r)
	}
	return int64(t[0]), int64(d[0]), nil
}

// Read returns the next samples, at most n, in a new slice of exactly the
// count read: n while that many remain, fewer at the end, empty (non-nil)
// once the end was reached. It allocates at most the samples that remain,
// whatever n is. ErrInvalidArgument for n negative.
func (a *AudioReader) Read(n int) ([]float32, error) {
	const op = "core.AudioReader.Read"
	if err := checkSize(op, "n", n); err != nil {
		return nil, err
	}
	h, err := a.lock(op)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	total, done, err := a.length(op, h)
	if err != nil {
		return nil, err
	}
	if rest := total - done; int64(n) > rest {
		n = int(rest) // nothing else reads meanwhile: the reader is locked
	}
	out := make([]float32, n)
	c := getCells()
	defer c.put()
	if r := capi.Core_audio_reader_read(h, out, int64(n), c.u[:1]); r != 0 {
		return nil, fail(op, r)
	}
	return out[:c.u[0]], nil
}

// ReadInto reads the next samples into dst and returns their count
// (core_audio_reader_read): len(dst) while that many remain, fewer at the
// end, 0 once the end was reached. Nothing is allocated; on an error dst
// may have been partly written and the count is 0.
func (a *AudioReader) ReadInto(dst []float32) (int, error) {
	const op = "core.AudioReader.ReadInto"
	h, err := a.lock(op)
	if err != nil {
		return 0, err
	}
	c := getCells()
	r := capi.Core_audio_reader_read(h, dst, int64(len(dst)), c.u[:1])
	a.mu.Unlock()
	n, err := c.count(op, r)
	return int(n), err
}
