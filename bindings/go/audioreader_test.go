package core

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// AudioReader (audio.h's chunked reader). On the shared test data
// (jfk_16k.wav at its own rate, jfk_44k1_stereo_orig.flac resampled to
// 16 kHz): reads in chunks of 1 (the first 4000 samples), 160, 4096 and
// 10^6, and ReadInto with uneven sizes, concatenate to exactly ReadAudio's
// samples; Info equals ReadAudioInfo; Length's total is the sample count
// and done advances with each read. On files written here: ErrNotFound,
// ErrFormat (not audio, truncated, a NaN met while reading: the reader
// stays failed), ErrIO, argument errors, use after Close. Skipped like the
// ReadAudio tests without audio file support or test data.

// openReader opens path or skips the test on a libcore without audio files.
func openReader(t *testing.T, path string, rate int) *AudioReader {
	t.Helper()
	r, err := OpenAudio(path, rate)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

// readAllChunks reads the rest with Read(n), checking the counts after each
// read; fewer than n only at the end.
func readAllChunks(t *testing.T, r *AudioReader, n int) []float32 {
	t.Helper()
	total, done, err := r.Length()
	noErr(t, err)
	all := make([]float32, 0, total-done)
	for {
		chunk, err := r.Read(n)
		noErr(t, err)
		if chunk == nil {
			t.Fatal("Read returned a nil slice")
		}
		if len(chunk) == 0 {
			break
		}
		if len(chunk) > n {
			t.Fatalf("Read(%d) gave %d samples", n, len(chunk))
		}
		all = append(all, chunk...)
		tot, d, err := r.Length()
		noErr(t, err)
		if d != done+int64(len(all)) || tot != total {
			t.Fatalf("after %d samples: Length = (%d, %d), want (%d, %d)", len(all), tot, d, total, done+int64(len(all)))
		}
		if len(chunk) < n && d != total {
			t.Fatalf("a short chunk (%d of %d) before the end (%d of %d)", len(chunk), n, d, total)
		}
	}
	if int64(len(all)) != total-done {
		t.Fatalf("read %d samples, Length said %d", len(all), total-done)
	}
	return all
}

func TestAudioReaderJFKChunks(t *testing.T) {
	wav := testdata(t, "jfk_16k.wav")
	whole, err := ReadAudio(wav, 0)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	info, err := ReadAudioInfo(wav)
	noErr(t, err)
	for _, n := range []int{160, 4096, 1000000} {
		r := openReader(t, wav, 0)
		got, err := r.Info()
		noErr(t, err)
		if got != info {
			t.Fatalf("Info = %+v, ReadAudioInfo = %+v", got, info)
		}
		if r.SampleRate() != 16000 {
			t.Fatalf("SampleRate = %d", r.SampleRate())
		}
		total, done, err := r.Length()
		noErr(t, err)
		if total != int64(len(whole)) || done != 0 {
			t.Fatalf("Length = (%d, %d), want (%d, 0)", total, done, len(whole))
		}
		sameBits(t, "chunks", readAllChunks(t, r, n), whole)
		if k, err := r.ReadInto(make([]float32, 10)); err != nil || k != 0 {
			t.Fatalf("ReadInto at the end: %d, %v", k, err)
		}
		if got, err := r.Info(); err != nil || got != info {
			t.Fatalf("Info at the end: %+v, %v", got, err)
		}
		noErr(t, r.Close())
	}
}

func TestAudioReaderOneSampleAtATime(t *testing.T) {
	wav := testdata(t, "jfk_16k.wav")
	whole, err := ReadAudio(wav, 16000)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	r := openReader(t, wav, 16000)
	first := make([]float32, 4000)
	for i := range first {
		one, err := r.Read(1)
		noErr(t, err)
		if len(one) != 1 {
			t.Fatalf("Read(1) at %d: %d samples", i, len(one))
		}
		first[i] = one[0]
		if _, done, _ := r.Length(); done != int64(i+1) {
			t.Fatalf("done = %d after %d reads", done, i+1)
		}
	}
	sameBits(t, "first 4000 one by one", first, whole[:4000])
	// the rest in one oversized read continues exactly there
	rest, err := r.Read(math.MaxInt)
	noErr(t, err)
	sameBits(t, "the rest", rest, whole[4000:])
}

func TestAudioReaderResampledStereoFLAC(t *testing.T) {
	flac := testdata(t, "jfk_44k1_stereo_orig.flac")
	whole, err := ReadAudio(flac, 16000)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	if len(whole) != 176000 {
		t.Fatalf("ReadAudio: %d samples", len(whole))
	}
	for _, n := range []int{160, 4096, 1000000} {
		r := openReader(t, flac, 16000)
		sameBits(t, "resampled chunks", readAllChunks(t, r, n), whole)
	}
}

// ReadInto with uneven sizes, straight into one big slice.
func TestAudioReaderReadInto(t *testing.T) {
	flac := testdata(t, "jfk_16k.flac")
	whole, err := ReadAudio(flac, 0)
	skipWithoutAudioIO(t, err)
	noErr(t, err)
	r := openReader(t, flac, 0)
	got := make([]float32, len(whole)+7)
	sizes := []int{1, 777, 4096, 4097, 100000, 3, 65537}
	at := 0
	for i := 0; at < len(whole); i++ {
		end := at + sizes[i%len(sizes)]
		if end > len(got) {
			end = len(got)
		}
		k, err := r.ReadInto(got[at:end])
		noErr(t, err)
		if k == 0 {
			t.Fatalf("ReadInto gave nothing at %d of %d", at, len(whole))
		}
		at += k
	}
	if at != len(whole) {
		t.Fatalf("read %d samples, want %d", at, len(whole))
	}
	sameBits(t, "ReadInto", got[:at], whole)
	if k, err := r.ReadInto(nil); err != nil || k != 0 {
		t.Fatalf("ReadInto(nil): %d, %v", k, err)
	}
}

func TestAudioReaderSmallFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ramp.wav")
	writeWAV(t, path, 16000, 1, pcmRamp(16001))
	r := openReader(t, path, 8000)
	if total, _, _ := r.Length(); total != 8001 || r.SampleRate() != 8000 {
		t.Fatalf("total %d, rate %d: want 8001 (16001 * 8000 / 16000, halves up) at 8000", total, r.SampleRate())
	}
	if info, _ := r.Info(); info.Frames != 16001 || info.SampleRate != 16000 {
		t.Fatalf("Info: %+v", info)
	}
	want, err := ReadAudio(path, 8000)
	noErr(t, err)
	sameBits(t, "8 kHz in chunks of 333", readAllChunks(t, r, 333), want)

	empty := filepath.Join(dir, "empty.wav")
	writeWAV(t, empty, 16000, 1, nil)
	e := openReader(t, empty, 0)
	x, err := e.Read(100)
	noErr(t, err)
	if x == nil || len(x) != 0 {
		t.Fatalf("Read on an empty file: %v", x)
	}
	if total, done, _ := e.Length(); total != 0 || done != 0 {
		t.Fatalf("empty file: Length (%d, %d)", total, done)
	}
}

func TestAudioReaderOpenErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.wav")
	writeWAV(t, good, 16000, 1, pcmRamp(100))
	openReader(t, good, 0) // skips without audio file support
	garbage, zero, truncated := writeBadAudioFiles(t, dir)
	for _, c := range []struct {
		name, path string
		rate       int
		st         Status
		msg        string
	}{
		{"missing", filepath.Join(dir, "missing.wav"), 0, ErrNotFound, "core_audio_open"},
		{"not_audio", garbage, 0, ErrFormat, "core_audio_open"},
		{"zero_bytes", zero, 0, ErrFormat, "core_audio_open"},
		{"truncated", truncated, 16000, ErrFormat, "core_audio_open"},
		{"directory", dir, 0, ErrIO, "core_audio_open"},
		{"rate_too_high", good, 384001, ErrInvalidArgument, "core_audio_open"},
		{"rate_negative", good, -1, ErrInvalidArgument, "targetRate = -1"},
		{"empty_path", "", 0, ErrInvalidArgument, "path"},
		{"nul_in_path", "a\x00b.wav", 0, ErrInvalidArgument, "NUL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := OpenAudio(c.path, c.rate)
			wantErr(t, err, c.st, c.msg)
			if r != nil {
				t.Fatal("a reader came with the error")
			}
		})
	}
}

// A float WAV with a NaN at sample 9000: the samples before it, then
// ErrFormat, and the same error on every later read.
func TestAudioReaderFailureIsFinal(t *testing.T) {
	const n = 12000
	b := make([]byte, 44+4*n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], 36+4*n)
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 3) // IEEE float
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], 16000)
	binary.LittleEndian.PutUint32(b[28:], 16000*4)
	binary.LittleEndian.PutUint16(b[32:], 4)
	binary.LittleEndian.PutUint16(b[34:], 32)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], 4*n)
	value := func(i int) float32 { return float32(i%100) / 100 }
	for i := 0; i < n; i++ {
		v := math.Float32bits(value(i))
		if i == 9000 {
			v = math.Float32bits(float32(math.NaN()))
		}
		binary.LittleEndian.PutUint32(b[44+4*i:], v)
	}
	path := filepath.Join(t.TempDir(), "nan.wav")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := openReader(t, path, 0)
	before := 0
	var first error
	for first == nil {
		chunk, err := r.Read(1000)
		if err != nil {
			first = err
			break
		}
		if len(chunk) != 1000 {
			t.Fatalf("a chunk of %d before the NaN: an early end", len(chunk))
		}
		for i, v := range chunk {
			if v != value(before+i) {
				t.Fatalf("sample %d = %g, want %g", before+i, v, value(before+i))
			}
		}
		before += len(chunk)
	}
	wantErr(t, first, ErrFormat, "core_audio_reader_read")
	if before > 9000 {
		t.Fatalf("the NaN's chunk was given (%d samples before the error)", before)
	}
	if _, done, _ := r.Length(); done != int64(before) {
		t.Fatalf("done = %d, want %d (the successful reads only)", done, before)
	}
	_, again := r.Read(10)
	wantErr(t, again, ErrFormat, "core_audio_reader_read")
	if again.(*Error).Message != first.(*Error).Message {
		t.Fatalf("the failure changed: %q then %q", first.(*Error).Message, again.(*Error).Message)
	}
	k, err := r.ReadInto(make([]float32, 5))
	wantErr(t, err, ErrFormat, "core_audio_reader_read")
	if k != 0 {
		t.Fatalf("ReadInto: %d with the error", k)
	}
	if info, err := r.Info(); err != nil || info.Frames != n {
		t.Fatalf("Info on a failed reader: %+v, %v", info, err)
	}
}

func TestAudioReaderArgumentsAndClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.wav")
	writeWAV(t, path, 16000, 1, pcmRamp(5000))
	r := openReader(t, path, 0)
	_, err := r.Read(-1)
	wantErr(t, err, ErrInvalidArgument, "n = -1")
	if _, done, _ := r.Length(); done != 0 {
		t.Fatalf("a refused read advanced the reader to %d", done)
	}
	x, err := r.Read(math.MaxInt) // allocates only what remains
	noErr(t, err)
	if len(x) != 5000 {
		t.Fatalf("Read(MaxInt): %d samples", len(x))
	}
	noErr(t, r.Close())
	noErr(t, r.Close())
	_, err = r.Read(10)
	wantClosed(t, err)
	_, err = r.ReadInto(make([]float32, 3))
	wantClosed(t, err)
	_, err = r.Info()
	wantClosed(t, err)
	_, _, err = r.Length()
	wantClosed(t, err)

	var none *AudioReader
	noErr(t, none.Close())
	_, err = none.Read(1)
	wantErr(t, err, ErrInvalidArgument, "nil")
}
