package core

import (
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
)

// meanEncoder is the tests' encoder: the mean of the features of each
// band (dim = nMels), like tests/unit/test_pipeline_util.h. It counts its
// calls.
type meanEncoder struct {
	calls int
}

func (m *meanEncoder) encode(features []float32, nMels, nFrames int) ([]float32, error) {
	m.calls++
	return bandMeans(features, nMels, nFrames), nil
}

func bandMeans(features []float32, nMels, nFrames int) []float32 {
	out := make([]float32, nMels)
	for b := 0; b < nMels; b++ {
		s := 0.0
		for _, v := range features[b*nFrames : (b+1)*nFrames] {
			s += float64(v)
		}
		out[b] = float32(s / float64(nFrames))
	}
	return out
}

// voiced is a synthetic utterance: 1 s of silence (noise at -60 dBFS),
// 1.5 s of a voiced-like signal (harmonics of 140 Hz with a 1/k spectrum,
// plus breath noise), 1 s of silence.
func voiced(rate int) []float32 {
	x := make([]float32, rate*7/2)
	gaussian(x, 1e-3, 41)
	v := x[rate : rate*5/2]
	for k := 1; k <= 12; k++ {
		h := sine(len(v), float64(rate), 140*float64(k), 0.25/float64(k))
		for i := range v {
			v[i] += h[i]
		}
	}
	gaussian(v, 0.01, 42)
	return x
}

func pipelineOpts(t *testing.T) PipelineOptions {
	t.Helper()
	o := DefaultPipelineOptions()
	o.Dim = o.LogMel.NMels
	return o
}

func newPipeline(t *testing.T, o PipelineOptions, enc Encoder) *Pipeline {
	t.Helper()
	p, err := NewPipeline(o, enc)
	noErr(t, err)
	t.Cleanup(func() { p.Close() })
	return p
}

// drainEvents takes every ready event.
func drainEvents(t *testing.T, p *Pipeline) []Event {
	t.Helper()
	var evs []Event
	for {
		e, ok, err := p.NextEvent()
		noErr(t, err)
		if !ok {
			return evs
		}
		evs = append(evs, e)
	}
}

// runPipeline pushes x in chunks of n, reading events after each push,
// then flushes and reads to the end.
func runPipeline(t *testing.T, p *Pipeline, x []float32, n int) []Event {
	t.Helper()
	var evs []Event
	for i := 0; i < len(x); i += n {
		end := i + n
		if end > len(x) {
			end = len(x)
		}
		noErr(t, p.PushF32(x[i:end]))
		evs = append(evs, drainEvents(t, p)...)
	}
	noErr(t, p.Flush())
	return append(evs, drainEvents(t, p)...)
}

func kinds(evs []Event) []EventKind {
	k := make([]EventKind, len(evs))
	for i, e := range evs {
		k[i] = e.Kind
	}
	return k
}

func TestPipelineOptions(t *testing.T) {
	o := DefaultPipelineOptions()
	if o.SampleRate != 16000 || o.RingMs != 10000 || o.RingPolicy != RingOverwrite ||
		o.WindowMs != 1000 || o.HopMs != 500 || !o.SpeechOnly || o.Dim != 0 || o.CacheDecimals != 4 {
		t.Fatalf("DefaultPipelineOptions() = %+v", o)
	}
	if o.VAD != DefaultVADOptions() || o.LogMel != DefaultLogMelOptions() {
		t.Fatalf("nested options %+v / %+v, want the defaults", o.VAD, o.LogMel)
	}
	// libcore refuses, its message names the option.
	_, err := NewPipeline(o, nil)
	wantErr(t, err, ErrInvalidArgument, "core_pipeline_create", "dim is 0")
	o.Dim = 8
	o.WindowMs = 20 // 320 samples < n_fft 400
	_, err = NewPipeline(o, nil)
	wantErr(t, err, ErrInvalidArgument, "shorter than logmel.n_fft")
	o = pipelineOpts(t)
	o.HopMs = 0
	_, err = NewPipeline(o, nil)
	wantErr(t, err, ErrInvalidArgument, "hop_ms is 0")
	o = pipelineOpts(t)
	o.VAD.FrameMs = 25
	_, err = NewPipeline(o, nil)
	wantErr(t, err, ErrInvalidArgument, "vad:")
	// The binding refuses what does not fit the C types.
	o = pipelineOpts(t)
	o.Dim = -1
	_, err = NewPipeline(o, nil)
	wantErr(t, err, ErrInvalidArgument, "Dim = -1")
	o = pipelineOpts(t)
	o.WindowMs = -5
	_, err = NewPipeline(o, nil)
	wantErr(t, err, ErrInvalidArgument, "WindowMs = -5")
	_, err = NewPipeline(PipelineOptions{}, nil)
	wantErr(t, err, ErrInvalidArgument, "DefaultPipelineOptions")
	// A prefix reaches the metric names.
	o = pipelineOpts(t)
	o.MetricsPrefix = "lid"
	p := newPipeline(t, o, nil)
	text, err := p.ExportPrometheus()
	noErr(t, err)
	if !strings.Contains(text, "lid_pipeline_push") {
		t.Fatalf("prefix missing from the export:\n%.400s", text)
	}
	if p.Options() != o || p.Dim() != o.Dim {
		t.Fatalf("Options() = %+v", p.Options())
	}
	if EventWindow.String() != "Window" || EventKind(9).String() != "EventKind(9)" {
		t.Fatal("EventKind.String")
	}
}

// The synthetic utterance in 20 ms chunks with the Go encoder: START, its
// windows with the encoder's embeddings, END, then End last.
func TestPipelineSyntheticSpeech(t *testing.T) {
	const rate = 16000
	x := voiced(rate)
	o := pipelineOpts(t)
	enc := &meanEncoder{}
	p := newPipeline(t, o, enc.encode)
	evs := runPipeline(t, p, x, rate/50)
	t.Logf("events: %v", kinds(evs))
	if len(evs) < 4 {
		t.Fatalf("%d events %v", len(evs), kinds(evs))
	}
	if evs[0].Kind != EventSpeechStart || evs[len(evs)-1].Kind != EventEnd ||
		evs[len(evs)-2].Kind != EventSpeechEnd {
		t.Fatalf("events %v: want SpeechStart, Window..., SpeechEnd, End", kinds(evs))
	}
	seg := evs[len(evs)-2]
	if seg.Start != evs[0].Start || seg.End <= seg.Start {
		t.Fatalf("segment [%d, %d), start event at %d", seg.Start, seg.End, evs[0].Start)
	}
	// The segment covers the voiced part (1 s .. 2.5 s) within 0.1 s.
	if math.Abs(float64(seg.Start)-rate) > rate/10 || math.Abs(float64(seg.End)-2.5*rate) > rate/10 {
		t.Fatalf("segment [%d, %d), want about [%d, %d)", seg.Start, seg.End, rate, rate*5/2)
	}
	if want, _ := VADSegments(x, o.VAD); len(want) != 1 || want[0] != (Segment{seg.Start, seg.End}) {
		t.Fatalf("segment [%d, %d), VADSegments %v", seg.Start, seg.End, want)
	}
	wins := evs[1 : len(evs)-2]
	W, H := uint64(o.WindowMs*rate/1000), uint64(o.HopMs*rate/1000)
	nWant := 0
	for s := seg.Start; s+W <= seg.End; s += H {
		nWant++
	}
	if len(wins) != nWant || nWant == 0 {
		t.Fatalf("%d windows, want %d (segment of %d samples)", len(wins), nWant, seg.End-seg.Start)
	}
	for i, w := range wins {
		if w.Kind != EventWindow || w.WindowID != uint64(i) || w.Start != seg.Start+uint64(i)*H || w.End != w.Start+W {
			t.Fatalf("window %d: %+v", i, w)
		}
		if w.NMels != o.LogMel.NMels || w.NFrames != int(W)/o.LogMel.Hop || len(w.Features) != w.NMels*w.NFrames {
			t.Fatalf("window %d: %d x %d features (%d values)", i, w.NMels, w.NFrames, len(w.Features))
		}
		if len(w.Embedding) != o.Dim || w.CacheHit {
			t.Fatalf("window %d: embedding of %d, hit %v", i, len(w.Embedding), w.CacheHit)
		}
		sameBits(t, "embedding = the encoder's band means", w.Embedding, bandMeans(w.Features, w.NMels, w.NFrames))
		// The features are log-mel of the window's samples.
		lm, err := NewLogMel(o.LogMel)
		noErr(t, err)
		spec, err := lm.Compute(x[w.Start:w.End])
		lm.Close()
		noErr(t, err)
		sameBits(t, "features = LogMel.Compute of the window", w.Features, spec.Data)
	}
	if enc.calls != nWant {
		t.Fatalf("encoder called %d times, want %d", enc.calls, nWant)
	}
	st, err := p.Stats()
	noErr(t, err)
	if st.Samples != uint64(len(x)) || st.Chunks != uint64((len(x)+319)/320) || st.Segments != 1 ||
		st.Windows != uint64(nWant) || st.CacheMisses != uint64(nWant) || st.CacheHits != 0 ||
		st.DroppedSamples != 0 || math.Abs(st.AudioSeconds-3.5) > 1e-9 || st.CacheHitRate != 0 {
		t.Fatalf("stats %+v", st)
	}
	text, err := p.ExportPrometheus()
	noErr(t, err)
	for _, name := range []string{"pipeline_push", "vad_process", "features_logmel", "pipeline_windows"} {
		if !strings.Contains(text, name) {
			t.Fatalf("export lacks %s:\n%.600s", name, text)
		}
	}
	// After End: nothing more, not an error.
	if _, ok, err := p.NextEvent(); ok || err != nil {
		t.Fatalf("after End: ok %v, err %v", ok, err)
	}
	// Pushing after Flush is refused.
	wantErr(t, p.PushF32(x[:320]), ErrInvalidArgument, "after flush")
	wantErr(t, p.PushI16(make([]int16, 320)), ErrInvalidArgument, "after flush")
	noErr(t, p.Flush()) // a second Flush does nothing

	// A second pipeline gives the same events; the same audio as PCM16
	// in other chunk sizes gives the same segments and windows.
	evs2 := runPipeline(t, newPipeline(t, o, (&meanEncoder{}).encode), x, 320)
	if len(evs2) != len(evs) {
		t.Fatalf("second pipeline: %v, first %v", kinds(evs2), kinds(evs))
	}
	for i := range evs {
		a, b := evs[i], evs2[i]
		if a.Kind != b.Kind || a.WindowID != b.WindowID || a.Start != b.Start || a.End != b.End {
			t.Fatalf("event %d: %+v vs %+v", i, b, a)
		}
		sameBits(t, "features", b.Features, a.Features)
		sameBits(t, "embedding", b.Embedding, a.Embedding)
	}
}

// Raw mode: NeedsEncoding events with the features, SubmitEmbedding, then
// the Window event with that embedding; an unknown id is ErrNotFound.
func TestPipelineRawMode(t *testing.T) {
	const rate = 16000
	o := pipelineOpts(t)
	o.SpeechOnly = false
	o.Dim = 4
	p := newPipeline(t, o, nil)
	x := make([]float32, 2*rate)
	gaussian(x, 0.1, 51)
	noErr(t, p.PushF32(x))
	noErr(t, p.Flush())
	var windows []Event
	needs := 0
	for {
		e, ok, err := p.NextEvent()
		noErr(t, err)
		if !ok {
			t.Fatal("ran dry before End")
		}
		if e.Kind == EventEnd {
			if e.Start != uint64(len(x)) {
				t.Fatalf("End at %d", e.Start)
			}
			break
		}
		switch e.Kind {
		case EventNeedsEncoding:
			needs++
			if len(e.Features) != e.NMels*e.NFrames || e.NMels != o.LogMel.NMels || e.Embedding != nil {
				t.Fatalf("NeedsEncoding %+v", e)
			}
			err := p.SubmitEmbedding(e.WindowID, []float32{1, 2, 3, float32(e.WindowID)})
			noErr(t, err)
			// Submitted already: not waiting any more.
			wantErr(t, p.SubmitEmbedding(e.WindowID, []float32{1, 2, 3, 4}), ErrNotFound)
		case EventWindow:
			windows = append(windows, e)
		default:
			t.Fatalf("event %+v with SpeechOnly false", e)
		}
	}
	if needs != 3 || len(windows) != 3 { // windows at 0, 0.5 s, 1 s
		t.Fatalf("%d NeedsEncoding, %d windows", needs, len(windows))
	}
	for i, w := range windows {
		sameBits(t, "submitted embedding", w.Embedding, []float32{1, 2, 3, float32(i)})
		if w.WindowID != uint64(i) || w.Start != uint64(i*rate/2) {
			t.Fatalf("window %d: %+v", i, w)
		}
	}
	wantErr(t, p.SubmitEmbedding(1234, []float32{1, 2, 3, 4}), ErrNotFound)
	err := p.SubmitEmbedding(1234, []float32{1, 2, 3, 4})
	var e *Error
	if !errors.As(err, &e) || e.Status != ErrNotFound || !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}

	// A wrong dim is refused, and the window still waits.
	p2 := newPipeline(t, o, nil)
	noErr(t, p2.PushF32(x[:rate]))
	e1, ok, err := p2.NextEvent()
	noErr(t, err)
	if !ok || e1.Kind != EventNeedsEncoding {
		t.Fatalf("%+v %v", e1, ok)
	}
	wantErr(t, p2.SubmitEmbedding(e1.WindowID, []float32{1, 2}), ErrInvalidArgument)
	noErr(t, p2.SubmitEmbedding(e1.WindowID, []float32{1, 2, 3, 4}))
	e2, ok, err := p2.NextEvent()
	noErr(t, err)
	if !ok || e2.Kind != EventWindow || e2.WindowID != e1.WindowID {
		t.Fatalf("%+v", e2)
	}
	// The same audio again hits the cache: no NeedsEncoding.
	noErr(t, p2.PushF32(x[:rate]))
	noErr(t, p2.Flush())
	var evs []Event
	hits := 0
	for len(evs) == 0 || evs[len(evs)-1].Kind != EventEnd {
		e, ok, err := p2.NextEvent()
		noErr(t, err)
		if !ok {
			t.Fatalf("ran dry: %v", kinds(evs))
		}
		evs = append(evs, e)
		if e.Kind == EventNeedsEncoding {
			noErr(t, p2.SubmitEmbedding(e.WindowID, []float32{0, 0, 0, 0}))
		}
		if e.Kind == EventWindow && e.CacheHit {
			hits++
			sameBits(t, "cached embedding", e.Embedding, []float32{1, 2, 3, 4})
		}
	}
	if hits != 1 || evs[len(evs)-1].Kind != EventEnd {
		t.Fatalf("%d hits, events %v", hits, kinds(evs))
	}
	st, err := p2.Stats()
	noErr(t, err)
	if st.CacheHits != 1 || st.Windows != 3 || st.CacheHitRate != 1.0/3 {
		t.Fatalf("stats %+v", st)
	}
}

// An encoder error is an *EncoderError; the window stays pending and is
// encoded again on the next call; SubmitEmbedding can answer it instead.
func TestPipelineEncoderError(t *testing.T) {
	const rate = 16000
	o := pipelineOpts(t)
	o.SpeechOnly = false
	boom := errors.New("model unavailable")
	fail := 1
	calls := 0
	p := newPipeline(t, o, func(f []float32, nMels, nFrames int) ([]float32, error) {
		calls++
		if fail > 0 {
			fail--
			return nil, boom
		}
		return bandMeans(f, nMels, nFrames), nil
	})
	x := make([]float32, 2*rate)
	gaussian(x, 0.1, 61)
	noErr(t, p.PushF32(x))
	noErr(t, p.Flush())
	_, ok, err := p.NextEvent()
	var ee *EncoderError
	if ok || !errors.As(err, &ee) || !errors.Is(err, boom) || ee.WindowID != 0 || ee.End != uint64(rate) {
		t.Fatalf("ok %v, err %v", ok, err)
	}
	if !strings.Contains(err.Error(), "model unavailable") {
		t.Fatal(err)
	}
	// Retried: the stream goes on.
	evs := drainEvents(t, p)
	if len(evs) != 4 || evs[0].Kind != EventWindow || evs[0].WindowID != 0 || evs[3].Kind != EventEnd {
		t.Fatalf("after the retry: %v", kinds(evs))
	}
	if calls != 4 {
		t.Fatalf("%d encoder calls, want 4 (one failed)", calls)
	}

	// A wrong length is an EncoderError too; a fallback is submitted.
	p2 := newPipeline(t, o, func(f []float32, nMels, nFrames int) ([]float32, error) {
		return []float32{1}, nil
	})
	noErr(t, p2.PushF32(x[:rate]))
	noErr(t, p2.Flush())
	_, _, err = p2.NextEvent()
	if !errors.As(err, &ee) {
		t.Fatalf("%v", err)
	}
	wantErr(t, ee.Err, ErrInvalidArgument, "returned 1 floats")
	fallback := make([]float32, o.Dim)
	noErr(t, p2.SubmitEmbedding(ee.WindowID, fallback))
	evs = drainEvents(t, p2)
	if len(evs) != 2 || evs[0].Kind != EventWindow || evs[1].Kind != EventEnd {
		t.Fatalf("after the fallback: %v", kinds(evs))
	}
	sameBits(t, "fallback", evs[0].Embedding, fallback)
}

// A producer goroutine pushes while the consumer (with a Go encoder) takes
// events: the same events as one goroutine.
func TestPipelineProducerConsumer(t *testing.T) {
	const rate = 16000
	x := voiced(rate)
	o := pipelineOpts(t)
	want := runPipeline(t, newPipeline(t, o, (&meanEncoder{}).encode), x, 320)
	p := newPipeline(t, o, (&meanEncoder{}).encode)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < len(x); i += 320 {
			if err := p.PushF32(x[i : i+320]); err != nil {
				t.Error(err)
				return
			}
		}
		if err := p.Flush(); err != nil {
			t.Error(err)
		}
	}()
	var got []Event
	for len(got) == 0 || got[len(got)-1].Kind != EventEnd {
		e, ok, err := p.NextEvent()
		noErr(t, err)
		if ok {
			got = append(got, e)
		}
		if _, err := p.Stats(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if len(got) != len(want) {
		t.Fatalf("%v, want %v", kinds(got), kinds(want))
	}
	for i := range got {
		if got[i].Kind != want[i].Kind || got[i].Start != want[i].Start {
			t.Fatalf("event %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// RingReject: a push that does not fit is ErrFull.
func TestPipelineRejectFull(t *testing.T) {
	o := pipelineOpts(t)
	o.RingMs = 100
	o.RingPolicy = RingReject
	p := newPipeline(t, o, nil)
	noErr(t, p.PushI16(make([]int16, 1600)))
	wantErr(t, p.PushF32(make([]float32, 1)), ErrFull, "does not fit")
	st, err := p.Stats()
	noErr(t, err)
	if st.Samples != 1600 || st.Chunks != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestPipelineClose(t *testing.T) {
	p, err := NewPipeline(pipelineOpts(t), nil)
	noErr(t, err)
	noErr(t, p.PushF32(make([]float32, 320)))
	noErr(t, p.Close())
	noErr(t, p.Close())
	wantClosed(t, p.PushF32(make([]float32, 320)))
	wantClosed(t, p.PushI16(make([]int16, 320)))
	wantClosed(t, p.Flush())
	_, _, err = p.NextEvent()
	wantClosed(t, err)
	wantClosed(t, p.SubmitEmbedding(0, make([]float32, p.Dim())))
	_, err = p.Stats()
	wantClosed(t, err)
	_, err = p.ExportPrometheus()
	wantClosed(t, err)
	var nilP *Pipeline
	noErr(t, nilP.Close())
	_, _, err = nilP.NextEvent()
	wantErr(t, err, ErrInvalidArgument, "nil *Pipeline")
}

// JFK through the pipeline: at least one segment and one window, every
// window with the encoder's embedding.
func TestPipelineJFK(t *testing.T) {
	x, err := ReadAudio(testdata(t, "jfk_16k.wav"), 16000)
	noErr(t, err)
	o := pipelineOpts(t)
	enc := &meanEncoder{}
	p := newPipeline(t, o, enc.encode)
	evs := runPipeline(t, p, x, 320)
	segs, wins := 0, 0
	for _, e := range evs {
		switch e.Kind {
		case EventSpeechEnd:
			segs++
		case EventWindow:
			wins++
			sameBits(t, "embedding", e.Embedding, bandMeans(e.Features, e.NMels, e.NFrames))
		}
	}
	want, err := VADSegments(x, o.VAD)
	noErr(t, err)
	if segs < 1 || wins < 1 || segs != len(want) || enc.calls != wins {
		t.Fatalf("%d segments (VADSegments: %d), %d windows, %d encoder calls", segs, len(want), wins, enc.calls)
	}
	if evs[len(evs)-1].Kind != EventEnd {
		t.Fatal("End is not last")
	}
	st, err := p.Stats()
	noErr(t, err)
	t.Logf("jfk: %d segments, %d windows, RTF %.4f", segs, wins, st.RealTimeFactor)
}
