package core

import (
	"math"
	"time"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// Audio files (include/core/audio.h): WAV, FLAC, OGG/Vorbis and the other
// formats libsndfile reads, described by AudioInfo and read as mono
// float32 at any rate by ReadAudio (libsoxr resamples). A libcore built
// with -Daudio_io=disabled returns ErrUnsupported.

// AudioFormat is a container format (core_audio_format).
type AudioFormat int

const (
	AudioFormatOther AudioFormat = 0 // something else libsndfile reads
	AudioFormatWAV   AudioFormat = 1 // RIFF WAVE, WAVE_FORMAT_EXTENSIBLE and RF64
	AudioFormatFLAC  AudioFormat = 2
	AudioFormatOGG   AudioFormat = 3
)

func (f AudioFormat) String() string {
	switch f {
	case AudioFormatOther:
		return "other"
	case AudioFormatWAV:
		return "WAV"
	case AudioFormatFLAC:
		return "FLAC"
	case AudioFormatOGG:
		return "OGG"
	}
	return "AudioFormat(?)"
}

// AudioInfo describes an audio file (core_audio_info_t).
type AudioInfo struct {
	SampleRate int           // Hz, as stored in the file
	Channels   int           // interleaved channels
	Frames     int64         // samples per channel
	Duration   time.Duration // Frames / SampleRate (libcore's seconds, to the nanosecond)
	Format     AudioFormat   // the container
	// Bits is the bits per sample of PCM data, losslessly coded PCM
	// included (FLAC: its PCM depth); 0 for lossy, companded (u-law,
	// a-law), ADPCM or floating-point data.
	Bits int
}

// audioInfo has the layout of core_audio_info_t (checked below).
type audioInfo struct {
	structSize uint64
	sampleRate uint32
	channels   uint32
	frames     uint64
	duration   float64
	format     int32
	bits       uint32
}

func _() {
	var x [1]struct{}
	var a audioInfo
	_ = x[capi.AudioInfoSize-unsafe.Sizeof(a)]
	_ = x[unsafe.Sizeof(a)-capi.AudioInfoSize]
	_ = x[capi.AudioInfoOffSize-unsafe.Offsetof(a.structSize)]
	_ = x[capi.AudioInfoOffRate-unsafe.Offsetof(a.sampleRate)]
	_ = x[capi.AudioInfoOffChannels-unsafe.Offsetof(a.channels)]
	_ = x[capi.AudioInfoOffFrames-unsafe.Offsetof(a.frames)]
	_ = x[capi.AudioInfoOffDuration-unsafe.Offsetof(a.duration)]
	_ = x[capi.AudioInfoOffFormat-unsafe.Offsetof(a.format)]
	_ = x[capi.AudioInfoOffBits-unsafe.Offsetof(a.bits)]
	_ = x[capi.AudioInfoRateSize-unsafe.Sizeof(a.sampleRate)]
	_ = x[capi.AudioInfoFramesSize-unsafe.Sizeof(a.frames)]
	_ = x[capi.AudioInfoFormatSize-unsafe.Sizeof(a.format)]
	_ = x[capi.AudioInfoBitsSize-unsafe.Sizeof(a.bits)]
	_ = x[capi.AudioFormatOther-int(AudioFormatOther)]
	_ = x[int(AudioFormatOther)-capi.AudioFormatOther]
	_ = x[capi.AudioFormatWAV-int(AudioFormatWAV)]
	_ = x[int(AudioFormatWAV)-capi.AudioFormatWAV]
	_ = x[capi.AudioFormatFLAC-int(AudioFormatFLAC)]
	_ = x[int(AudioFormatFLAC)-capi.AudioFormatFLAC]
	_ = x[capi.AudioFormatOGG-int(AudioFormatOGG)]
	_ = x[int(AudioFormatOGG)-capi.AudioFormatOGG]
}

// audioRateArg checks that targetRate fits the C uint32_t; libcore checks
// its own limit (384000 Hz) and names it.
func audioRateArg(op string, targetRate int) (uint, error) {
	v, err := u32Arg(op, "targetRate", targetRate)
	return uint(v), err
}

// ReadAudioInfo describes the audio file at path (core_audio_info), reading
// its header only (the function is not called AudioInfo, the name of its
// result type). ErrNotFound when the file does not exist; ErrIO when it
// cannot be opened or read, or is not a regular file; ErrFormat when it is
// not audio libsndfile understands, or is truncated (a WAV whose data chunk
// runs past the end of the file, a cut FLAC, an Ogg stream without its
// last page); ErrInvalidArgument for an empty path or one with a NUL byte.
func ReadAudioInfo(path string) (AudioInfo, error) {
	const op = "core.ReadAudioInfo"
	if err := checkPath(op, path); err != nil {
		return AudioInfo{}, err
	}
	a := new(audioInfo)
	a.structSize = uint64(unsafe.Sizeof(*a))
	if r := capi.Core_audio_info(path, unsafe.Pointer(a)); r != 0 {
		return AudioInfo{}, fail(op, r)
	}
	frames := int64(math.MaxInt64)
	if a.frames <= math.MaxInt64 {
		frames = int64(a.frames)
	}
	return AudioInfo{
		SampleRate: int(a.sampleRate),
		Channels:   int(a.channels),
		Frames:     frames,
		Duration:   secondsToDuration(a.duration),
		Format:     AudioFormat(a.format),
		Bits:       int(a.bits),
	}, nil
}

func secondsToDuration(s float64) time.Duration {
	ns := math.Round(s * 1e9)
	if ns >= math.MaxInt64 || math.IsNaN(ns) {
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// ReadAudio reads the whole file at path as mono float32 at targetRate Hz
// (0: the file's own rate) (core_audio_read): channels are averaged,
// integer PCM is scaled as v / 2^(bits-1) (PCM16 gives exactly Whisper's
// int16 / 32768), and libsoxr (high quality) resamples when the rates
// differ. The count is fixed by the header: Frames * targetRate /
// SampleRate, rounded to nearest. The binding asks libcore for it first
// (a call that reads the header only), allocates, then reads. A header
// announcing 0 frames gives an empty, non-nil slice.
//
// Errors as ReadAudioInfo, plus ErrFormat when the data ends before the
// header says (nothing is returned as if complete) or decodes to a NaN or
// an infinity, ErrInvalidArgument for targetRate negative or above
// libcore's limit.
func ReadAudio(path string, targetRate int) ([]float32, error) {
	const op = "core.ReadAudio"
	if err := checkPath(op, path); err != nil {
		return nil, err
	}
	rate, err := audioRateArg(op, targetRate)
	if err != nil {
		return nil, err
	}
	c := getCells()
	defer c.put()
	var out []float32
	// The size query (no buffer), then the read; the file may be replaced
	// between the two, so a second "too small" asks again, up to 3 times.
	for try := 0; ; try++ {
		r := capi.Core_audio_read(path, rate, out, int64(len(out)), c.u[:1])
		if r == 0 {
			if out == nil {
				return []float32{}, nil // 0 frames: the query itself succeeded
			}
			return out[:c.u[0]], nil
		}
		if try >= 3 || Status(capi.Core_go_error_status(r)) != ErrBufferTooSmall {
			return nil, fail(op, r)
		}
		capi.Core_go_error_free(r)
		out = make([]float32, c.u[0])
	}
}

// ReadAudioInto reads the file at path as ReadAudio does, into dst, and
// returns the sample count (core_audio_read). When the file holds more
// than len(dst) samples: ErrBufferTooSmall, nothing read, and the count
// returned is the number needed. Nothing is allocated. On another error
// dst may have been partly written.
func ReadAudioInto(path string, targetRate int, dst []float32) (int, error) {
	const op = "core.ReadAudioInto"
	if err := checkPath(op, path); err != nil {
		return 0, err
	}
	rate, err := audioRateArg(op, targetRate)
	if err != nil {
		return 0, err
	}
	c := getCells()
	r := capi.Core_audio_read(path, rate, dst, int64(len(dst)), c.u[:1])
	n := int(c.u[0])
	c.put()
	if r == 0 {
		return n, nil
	}
	err = fail(op, r)
	if err.(*Error).Status == ErrBufferTooSmall {
		return n, err
	}
	return 0, err
}
