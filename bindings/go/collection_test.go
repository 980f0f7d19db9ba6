package core

// Tests of RunCollection (collection.go): the reference speech
// (jfk_16k.wav, speech_gaps_16k.wav from the test data folder; skipped
// like the AudioFile tests when missing) plus files written in a temporary
// folder. They check per-file statuses and messages in input order, the
// summary against the binding's own ReadAudio and Stats of the same file,
// the JSON record, the .npy features (written atomically), failures of
// one file among others, invariance to the thread count and chunk size,
// and the run-level errors (bad options, wrong outputs length).

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// record is the part of a JSON record the tests read back.
type record struct {
	Path          string     `json:"path"`
	Status        string     `json:"status"`
	Error         *string    `json:"error"`
	Rate          int        `json:"rate"`
	Samples       int64      `json:"samples"`
	Duration      float64    `json:"duration"`
	Min           float64    `json:"min"`
	Max           float64    `json:"max"`
	Mean          float64    `json:"mean"`
	Std           float64    `json:"std"`
	RMS           float64    `json:"rms"`
	Speech        float64    `json:"speech"`
	Segments      [][]uint64 `json:"segments"`
	SegmentsTotal int        `json:"segments_total"`
	Features      *string    `json:"features"`
	MelFrames     int64      `json:"mel_frames"`
}

func parseRecord(t *testing.T, line string) record {
	t.Helper()
	if strings.ContainsRune(line, '\n') {
		t.Fatalf("record %q is not one line", line)
	}
	var r record
	dec := json.NewDecoder(strings.NewReader(line))
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("record %q: %v", line, err)
	}
	return r
}

// writeText writes a text file named like audio (x.wav in dir).
func writeText(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "x.wav")
	if err := os.WriteFile(p, []byte("not audio: a text file with a .wav name\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunCollectionStatuses(t *testing.T) {
	jfk := testdata(t, "jfk_16k.wav")
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.wav")
	text := writeText(t, dir)
	paths := []string{jfk, missing, text}

	res, err := RunCollection(paths, nil, nil)
	noErr(t, err)
	if len(res) != 3 {
		t.Fatalf("%d results, want 3", len(res))
	}
	for i, want := range []Status{StatusOK, ErrNotFound, ErrFormat} {
		r := res[i]
		if r.Path != paths[i] {
			t.Fatalf("result %d: path %q, want %q (input order)", i, r.Path, paths[i])
		}
		if r.Status != want {
			t.Fatalf("result %d (%s): status %v (%q), want %v", i, r.Path, r.Status, r.Message, want)
		}
		if r.OK() != (want == StatusOK) {
			t.Fatalf("result %d: OK() = %v with status %v", i, r.OK(), r.Status)
		}
		if want == StatusOK {
			if r.Message != "" || r.Err() != nil {
				t.Fatalf("result %d: message %q, Err %v for a file analysed", i, r.Message, r.Err())
			}
			continue
		}
		if r.Message == "" {
			t.Fatalf("result %d: empty message for %v", i, r.Status)
		}
		if !errors.Is(r.Err(), want) {
			t.Fatalf("result %d: Err() = %v, want one matching %v", i, r.Err(), want)
		}
		rec := parseRecord(t, r.JSON)
		if rec.Path != paths[i] || rec.Status != want.String() || rec.Error == nil || *rec.Error != r.Message {
			t.Fatalf("result %d: record %q, want path %q, status %v, error %q", i, r.JSON, paths[i], want, r.Message)
		}
		if r.Samples != 0 || r.Segments != 0 || r.MelFrames != 0 {
			t.Fatalf("result %d: failed file with samples %d, segments %d, mel frames %d", i, r.Samples, r.Segments, r.MelFrames)
		}
	}

	// The file analysed, against the binding's whole-file read of it.
	r := res[0]
	x, err := ReadAudio(jfk, 16000)
	noErr(t, err)
	if r.Samples != int64(len(x)) || r.Samples == 0 {
		t.Fatalf("samples %d, want ReadAudio's %d", r.Samples, len(x))
	}
	if r.Duration != secondsToDuration(float64(len(x))/16000) {
		t.Fatalf("duration %v, want %d samples at 16 kHz", r.Duration, len(x))
	}
	if !strings.HasPrefix(r.JSON, `{"path":`) || !strings.Contains(r.JSON, `"status":"CORE_OK"`) {
		t.Fatalf("record %q", r.JSON)
	}
	rec := parseRecord(t, r.JSON)
	if rec.Path != jfk || rec.Error != nil || rec.Rate != 16000 || rec.Samples != r.Samples {
		t.Fatalf("record %q: path, error, rate or samples differ from the result (%+v)", r.JSON, r)
	}
	// The statistics are exactly Stats of the whole file's samples (the
	// header's promise), printed with 17 digits: an exact round trip.
	s, err := Stats(x, NanPropagate)
	noErr(t, err)
	std, err := s.Std(0)
	noErr(t, err)
	wantVal(t, "record min", rec.Min, s.Min)
	wantVal(t, "record max", rec.Max, s.Max)
	wantVal(t, "record mean", rec.Mean, s.Mean)
	wantVal(t, "record std", rec.Std, std)
	wantVal(t, "record rms", rec.RMS, r.RMS)
	rms, err := Rms(x)
	noErr(t, err)
	wantNear(t, "rms", r.RMS, rms, 1e-6)
	// JFK speaks for most of the 11 s: the default VAD finds segments.
	if r.Segments == 0 || rec.SegmentsTotal != r.Segments || len(rec.Segments) != r.Segments {
		t.Fatalf("segments %d, record: %d listed, total %d", r.Segments, len(rec.Segments), rec.SegmentsTotal)
	}
	if r.Speech <= 0 || r.Speech > r.Duration || r.Speech != secondsToDuration(rec.Speech) {
		t.Fatalf("speech %v of %v (record %g s)", r.Speech, r.Duration, rec.Speech)
	}
	if r.MelFrames != 0 || rec.Features != nil {
		t.Fatalf("features off, but mel frames %d, features %v", r.MelFrames, rec.Features)
	}
}

// npyShape checks a float32 .npy file and returns its shape (rows, cols).
func npyShape(t *testing.T, path string) (rows, cols int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x93NUMPY")) || len(b) < 10 {
		t.Fatalf("%s does not start with \\x93NUMPY", path)
	}
	hlen := int(binary.LittleEndian.Uint16(b[8:10]))
	if b[6] != 1 || 10+hlen > len(b) {
		t.Fatalf("%s: npy version %d, header length %d of %d bytes", path, b[6], hlen, len(b))
	}
	header := string(b[10 : 10+hlen])
	m := regexp.MustCompile(`'descr': '<f4'.*'shape': \((\d+), (\d+)\)`).FindStringSubmatch(header)
	if m == nil {
		t.Fatalf("%s: header %q, want '<f4' and a 2-d shape", path, header)
	}
	rows, _ = strconv.ParseInt(m[1], 10, 64)
	cols, _ = strconv.ParseInt(m[2], 10, 64)
	if int64(len(b)-10-hlen) != rows*cols*4 {
		t.Fatalf("%s: %d data bytes, want %d x %d float32", path, len(b)-10-hlen, rows, cols)
	}
	return rows, cols
}

func TestRunCollectionFeatures(t *testing.T) {
	jfk := testdata(t, "jfk_16k.wav")
	dir := t.TempDir()
	out := filepath.Join(dir, "jfk.npy")
	lost := filepath.Join(dir, "no_such_folder", "jfk.npy")
	opts := DefaultCollectionOptions()
	opts.Features = true

	// The same file three times: with an output, with one in a missing
	// folder (that file alone fails), with none ("": no .npy).
	res, err := RunCollection([]string{jfk, jfk, jfk}, []string{out, lost, ""}, &opts)
	noErr(t, err)
	if len(res) != 3 {
		t.Fatalf("%d results, want 3", len(res))
	}
	if !res[0].OK() || !res[2].OK() {
		t.Fatalf("statuses %v (%q), %v (%q), want OK", res[0].Status, res[0].Message, res[2].Status, res[2].Message)
	}
	if res[1].Status != ErrNotFound || res[1].Message == "" {
		t.Fatalf("output in a missing folder: status %v, message %q, want %v and a message",
			res[1].Status, res[1].Message, ErrNotFound)
	}
	r := res[0]
	if r.MelFrames != r.Samples/160 || r.MelFrames == 0 {
		t.Fatalf("mel frames %d, want samples/160 = %d", r.MelFrames, r.Samples/160)
	}
	rows, cols := npyShape(t, out)
	if rows != r.MelFrames || cols != int64(opts.LogMel.NMels) {
		t.Fatalf(".npy shape (%d, %d), want (%d, %d)", rows, cols, r.MelFrames, opts.LogMel.NMels)
	}
	rec := parseRecord(t, r.JSON)
	if rec.Features == nil || *rec.Features != out || rec.MelFrames != r.MelFrames {
		t.Fatalf("record %q: features %v, mel frames %d, want %q, %d", r.JSON, rec.Features, rec.MelFrames, out, r.MelFrames)
	}
	if res[2].MelFrames != 0 || parseRecord(t, res[2].JSON).Features != nil {
		t.Fatalf("no output: mel frames %d, record %q", res[2].MelFrames, res[2].JSON)
	}
	// Written under a temporary name and renamed: nothing else is left.
	entries, err := os.ReadDir(dir)
	noErr(t, err)
	if len(entries) != 1 || entries[0].Name() != "jfk.npy" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("folder holds %v, want only jfk.npy (no .partial)", names)
	}
}

func TestRunCollectionOptions(t *testing.T) {
	jfk := testdata(t, "jfk_16k.wav")
	base, err := RunCollection([]string{jfk}, nil, nil)
	noErr(t, err)
	if !base[0].OK() || base[0].Segments < 2 {
		t.Fatalf("status %v, %d segments: want OK and at least 2 for the test below", base[0].Status, base[0].Segments)
	}

	// MaxSegments bounds the list in the record, not the count.
	opts := DefaultCollectionOptions()
	opts.MaxSegments = 1
	res, err := RunCollection([]string{jfk}, nil, &opts)
	noErr(t, err)
	rec := parseRecord(t, res[0].JSON)
	if len(rec.Segments) != 1 || rec.SegmentsTotal != base[0].Segments || res[0].Segments != base[0].Segments {
		t.Fatalf("MaxSegments 1: %d listed, total %d / %d, want 1 and %d",
			len(rec.Segments), rec.SegmentsTotal, res[0].Segments, base[0].Segments)
	}

	// VAD off: no segments, no speech, the same samples.
	opts = DefaultCollectionOptions()
	opts.VAD = false
	res, err = RunCollection([]string{jfk}, nil, &opts)
	noErr(t, err)
	if !res[0].OK() || res[0].Segments != 0 || res[0].Speech != 0 || res[0].Samples != base[0].Samples {
		t.Fatalf("VAD off: %+v", res[0])
	}

	// Another analysis rate: the file is resampled to it.
	opts = DefaultCollectionOptions()
	opts.SampleRate = 8000
	res, err = RunCollection([]string{jfk}, nil, &opts)
	noErr(t, err)
	x, err := ReadAudio(jfk, 8000)
	noErr(t, err)
	if !res[0].OK() || res[0].Samples != int64(len(x)) || parseRecord(t, res[0].JSON).Rate != 8000 {
		t.Fatalf("8 kHz: status %v, samples %d, want ReadAudio's %d", res[0].Status, res[0].Samples, len(x))
	}
}

func TestRunCollectionThreadsAndChunks(t *testing.T) {
	paths := []string{testdata(t, "jfk_16k.wav"), testdata(t, "speech_gaps_16k.wav")}
	defer func() { noErr(t, SetNumThreads(0)) }()
	run := func(threads, chunk int) []FileResult {
		t.Helper()
		noErr(t, SetNumThreads(threads))
		opts := DefaultCollectionOptions()
		opts.ChunkSamples = chunk
		res, err := RunCollection(paths, nil, &opts)
		noErr(t, err)
		for _, r := range res {
			if !r.OK() {
				t.Fatalf("%s: %v %q", r.Path, r.Status, r.Message)
			}
		}
		return res
	}
	one := run(1, DefaultCollectionOptions().ChunkSamples)
	for _, c := range []struct{ threads, chunk int }{{2, DefaultCollectionOptions().ChunkSamples}, {2, 1000}} {
		got := run(c.threads, c.chunk)
		for i := range one {
			if got[i].JSON != one[i].JSON {
				t.Fatalf("%d threads, chunk %d: record %d differs from 1 thread's:\n%s\n%s",
					c.threads, c.chunk, i, got[i].JSON, one[i].JSON)
			}
		}
	}
}

func TestRunCollectionErrors(t *testing.T) {
	// Bad options fail the run before any file (the file need not exist).
	paths := []string{filepath.Join(t.TempDir(), "never_read.wav")}
	opts := DefaultCollectionOptions()
	opts.SampleRate = 999
	res, err := RunCollection(paths, nil, &opts)
	wantErr(t, err, ErrInvalidArgument, "core_collection_run", "sample_rate")
	if res != nil {
		t.Fatalf("results %v with a run-level error", res)
	}
	opts = DefaultCollectionOptions()
	opts.ChunkSamples = 0
	_, err = RunCollection(paths, nil, &opts)
	wantErr(t, err, ErrInvalidArgument, "core_collection_run", "chunk_samples")
	opts.ChunkSamples = CollectionMaxChunk + 1
	_, err = RunCollection(paths, nil, &opts)
	wantErr(t, err, ErrInvalidArgument, "core_collection_run", "chunk_samples")

	// Found by the binding, with the Go names.
	_, err = RunCollection(paths, nil, &CollectionOptions{})
	wantErr(t, err, ErrInvalidArgument, "zero CollectionOptions")
	opts = DefaultCollectionOptions()
	opts.ChunkSamples = -1
	_, err = RunCollection(paths, nil, &opts)
	wantErr(t, err, ErrInvalidArgument, "ChunkSamples")
	opts = DefaultCollectionOptions()
	opts.MaxSegments = -2
	_, err = RunCollection(paths, nil, &opts)
	wantErr(t, err, ErrInvalidArgument, "MaxSegments")
	_, err = RunCollection([]string{"a\x00b.wav"}, nil, nil)
	wantErr(t, err, ErrInvalidArgument, "paths[0]", "NUL")

	// outputs: nil or one per path.
	_, err = RunCollection([]string{"a.wav", "b.wav"}, []string{"a.npy"}, nil)
	wantErr(t, err, ErrInvalidArgument, "len(outputs) = 1", "len(paths) = 2")
	_, err = RunCollection([]string{"a.wav"}, []string{}, nil)
	wantErr(t, err, ErrInvalidArgument, "len(outputs) = 0")

	// No files: no results, no error.
	res, err = RunCollection(nil, nil, nil)
	noErr(t, err)
	if len(res) != 0 {
		t.Fatalf("%d results for no files", len(res))
	}
}

func TestDefaultCollectionOptions(t *testing.T) {
	o := DefaultCollectionOptions()
	// The nested defaults are those of the VAD and log-mel types.
	if o.VADOptions != DefaultVADOptions() || o.LogMel != DefaultLogMelOptions() {
		t.Fatalf("nested options %+v / %+v differ from the types' defaults", o.VADOptions, o.LogMel)
	}
	if o.SampleRate != 16000 || o.ChunkSamples != 65536 || !o.VAD || o.Features || o.MaxSegments != 100000 {
		t.Fatalf("defaults %+v, want collection.h's", o)
	}
	// Round trip through the C layout.
	c, err := o.cOptions("test")
	noErr(t, err)
	if c.sampleRate != 16000 || c.chunkSamples != 65536 || c.vad != 1 || c.features != 0 ||
		c.maxSegments != 100000 || c.metrics != 0 || c.vadOptions.goOptions() != o.VADOptions {
		t.Fatalf("C layout %+v", *c)
	}
}
