package core

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

func newVAD(t *testing.T, opts VADOptions) *VAD {
	t.Helper()
	v, err := NewVAD(opts)
	noErr(t, err)
	t.Cleanup(func() { v.Close() })
	return v
}

// drain takes every finished segment.
func drain(t *testing.T, v *VAD) []Segment {
	t.Helper()
	segs := []Segment{}
	for {
		s, ok, err := v.NextSegment()
		noErr(t, err)
		if !ok {
			return segs
		}
		segs = append(segs, s)
	}
}

// vadPushChunks pushes x in chunks of n, flushes and returns the segments.
func vadPushChunks(t *testing.T, v *VAD, x []float32, n int) []Segment {
	t.Helper()
	var segs []Segment
	for i := 0; i < len(x); i += n {
		end := i + n
		if end > len(x) {
			end = len(x)
		}
		noErr(t, v.Push(x[i:end]))
		if i%(50*n) == 0 {
			segs = append(segs, drain(t, v)...)
		}
	}
	noErr(t, v.Flush())
	return append(segs, drain(t, v)...)
}

func sameSegments(t *testing.T, what string, got, want []Segment) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: %v, want %v", what, got, want)
		}
	}
}

// The options come from libcore: DefaultVADOptions is the VADDefault
// preset, and the presets differ as the header says.
func TestVADOptions(t *testing.T) {
	d := DefaultVADOptions()
	want := VADOptions{SampleRate: 16000, FrameMs: 30, Threshold: 0.5, NegThreshold: 0,
		MinSpeechMs: 250, MinSilenceMs: 100, SpeechPadMs: 30, MaxSpeechMs: 0}
	if d != want {
		t.Fatalf("DefaultVADOptions() = %+v, want Silero's %+v", d, want)
	}
	p, err := VADPresetOptions(VADDefault)
	noErr(t, err)
	if p != d {
		t.Fatalf("VADDefault %+v != DefaultVADOptions %+v", p, d)
	}
	tr, err := VADPresetOptions(VADTranscribe)
	noErr(t, err)
	if tr.MinSilenceMs <= d.MinSilenceMs || tr.SpeechPadMs <= d.SpeechPadMs || tr.Threshold != d.Threshold {
		t.Fatalf("VADTranscribe %+v vs default %+v", tr, d)
	}
	ag, err := VADPresetOptions(VADAggressive)
	noErr(t, err)
	if ag.Threshold <= d.Threshold || ag.MinSpeechMs <= d.MinSpeechMs {
		t.Fatalf("VADAggressive %+v vs default %+v", ag, d)
	}
	for _, o := range []VADOptions{d, tr, ag} {
		v, err := NewVAD(o) // every preset is valid
		noErr(t, err)
		noErr(t, v.Close())
	}
	_, err = VADPresetOptions(3)
	wantErr(t, err, ErrInvalidArgument, "core_vad_options_preset", "preset")
	if VADTranscribe.String() != "VADTranscribe" {
		t.Fatal("VADPreset.String")
	}
	s := Segment{Start: 8000, End: 24000}
	a, b := s.Seconds(16000)
	if a != 0.5 || b != 1.5 || s.Len() != 16000 {
		t.Fatalf("Seconds = %g, %g; Len = %d", a, b, s.Len())
	}
}

// Silence (noise at -60 dBFS), a 1 s burst of noise or of a tone, silence:
// one segment, from 1 s to 2 s within a frame plus the padding.
func TestVADOneSegment(t *testing.T) {
	const rate = 16000
	burstTone := make([]float32, 3*rate)
	gaussian(burstTone, 1e-3, 21)
	copy(burstTone[rate:2*rate], sine(rate, rate, 440, 0.3))
	gaussian(burstTone[rate:2*rate], 1e-3, 22)
	for _, c := range []struct {
		name string
		x    []float32
		opts func(*VADOptions)
	}{
		{"noise_burst", scene(rate, 3, 1, 2, 17), nil},
		{"tone_burst", burstTone, nil},
		{"noise_burst_10ms_frames_pad_0", scene(rate, 3, 1, 2, 18), func(o *VADOptions) { o.FrameMs, o.SpeechPadMs = 10, 0 }},
		{"noise_burst_8k", scene(8000, 3, 1, 2, 19), func(o *VADOptions) { o.SampleRate = 8000 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := DefaultVADOptions()
			if c.opts != nil {
				c.opts(&o)
			}
			segs, err := VADSegments(c.x, o)
			noErr(t, err)
			if len(segs) != 1 {
				t.Fatalf("%d segments %v, want 1", len(segs), segs)
			}
			// Within a frame, and at least 30 ms: frames of 10 and 20 ms
			// are analysed over the last 30 and 40 ms, so the burst's end
			// is still seen that much later.
			r := uint64(o.SampleRate)
			pad, tol := uint64(o.SpeechPadMs)*r/1000, uint64(o.FrameMs)*r/1000
			if tol < 30*r/1000 {
				tol = 30 * r / 1000
			}
			s := segs[0]
			if d := math.Abs(float64(s.Start) - float64(r-pad)); d > float64(tol) {
				t.Errorf("start %d, want %d - %d (pad) within %d", s.Start, r, pad, tol)
			}
			if d := math.Abs(float64(s.End) - float64(2*r+pad)); d > float64(tol) {
				t.Errorf("end %d, want %d + %d (pad) within %d", s.End, 2*r, pad, tol)
			}
			a, b := s.Seconds(o.SampleRate)
			t.Logf("segment %v: %.3f s .. %.3f s", s, a, b)
			// The streaming detector agrees.
			v := newVAD(t, o)
			sameSegments(t, "stream", vadPushChunks(t, v, c.x, 4000), segs)
			if v.SampleRate() != o.SampleRate || v.Options() != o {
				t.Fatalf("SampleRate() = %d, Options() = %+v", v.SampleRate(), v.Options())
			}
		})
	}
	// Silence only: no segment, an empty non-nil slice.
	quiet := make([]float32, 3*rate)
	gaussian(quiet, 1e-3, 5)
	for _, x := range [][]float32{quiet, make([]float32, 3*rate), nil} {
		segs, err := VADSegments(x, DefaultVADOptions())
		noErr(t, err)
		if segs == nil || len(segs) != 0 {
			t.Fatalf("silence of %d samples: %v", len(x), segs)
		}
	}
}

// The segments do not depend on how the stream is cut: chunks of 1 and of
// 1000 samples, and the offline function, agree exactly.
func TestVADChunkSizes(t *testing.T) {
	const rate = 16000
	x := make([]float32, 6*rate)
	gaussian(x, 1e-3, 31)
	for _, iv := range [][2]float64{{0.5, 1.5}, {2.0, 2.6}, {4.0, 5.5}} {
		gaussian(x[int(iv[0]*rate):int(iv[1]*rate)], 0.08, uint64(iv[0]*10))
	}
	for _, p := range []VADPreset{VADDefault, VADTranscribe, VADAggressive} {
		t.Run(p.String(), func(t *testing.T) {
			o, err := VADPresetOptions(p)
			noErr(t, err)
			offline, err := VADSegments(x, o)
			noErr(t, err)
			if len(offline) == 0 {
				t.Fatal("no segment")
			}
			one := vadPushChunks(t, newVAD(t, o), x, 1)
			thousand := vadPushChunks(t, newVAD(t, o), x, 1000)
			sameSegments(t, "chunks of 1 vs 1000", one, thousand)
			sameSegments(t, "stream vs VADSegments", thousand, offline)
			for i, s := range offline {
				if s.Start >= s.End || (i > 0 && s.Start < offline[i-1].End) || s.End > uint64(len(x)) {
					t.Fatalf("segments out of order or overlapping: %v", offline)
				}
			}
			t.Logf("%v: %v", p, offline)
		})
	}
}

// NextSegment and OpenSegmentStart: "none" is ok == false, not an error;
// a segment in progress is reported open before it is final; Reset starts
// a new stream at position 0.
func TestVADStreaming(t *testing.T) {
	const rate = 16000
	x := scene(rate, 3, 1, 2, 41)
	v := newVAD(t, DefaultVADOptions())
	if s, ok, err := v.NextSegment(); err != nil || ok || s != (Segment{}) {
		t.Fatalf("NextSegment on a new VAD: %v %v %v", s, ok, err)
	}
	if st, ok, err := v.OpenSegmentStart(); err != nil || ok || st != 0 {
		t.Fatalf("OpenSegmentStart on a new VAD: %v %v %v", st, ok, err)
	}
	noErr(t, v.Push(x[:rate*3/2])) // into the burst
	open, ok, err := v.OpenSegmentStart()
	noErr(t, err)
	if !ok || math.Abs(float64(open)-float64(rate)) > 0.06*rate {
		t.Fatalf("OpenSegmentStart in the burst: %d, %v; want about %d", open, ok, rate)
	}
	if _, ok, _ := v.NextSegment(); ok {
		t.Fatal("a segment was final before its end")
	}
	noErr(t, v.Push(x[rate*3/2:]))
	noErr(t, v.Flush())
	noErr(t, v.Flush()) // a second flush does nothing
	segs := drain(t, v)
	if len(segs) != 1 || segs[0].Start != open {
		t.Fatalf("segments %v, open start was %d", segs, open)
	}
	if _, ok, err := v.OpenSegmentStart(); err != nil || ok {
		t.Fatalf("OpenSegmentStart after flush: %v %v", ok, err)
	}
	wantErr(t, v.Push(x[:10]), ErrInvalidArgument, "core_vad_push")

	noErr(t, v.Reset())
	again := vadPushChunks(t, v, x, 3333)
	sameSegments(t, "after Reset", again, segs)
}

func TestVADBadOptions(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(*VADOptions)
		msg    []string
	}{
		{"frame_ms_25", func(o *VADOptions) { o.FrameMs = 25 }, []string{"frame_ms"}},
		{"sample_rate_low", func(o *VADOptions) { o.SampleRate = 4000 }, []string{"sample_rate"}},
		{"rate_not_whole_frames", func(o *VADOptions) { o.SampleRate, o.FrameMs = 11025, 10 }, []string{"frame_ms"}},
		{"threshold_1", func(o *VADOptions) { o.Threshold = 1 }, []string{"threshold"}},
		{"threshold_nan", func(o *VADOptions) { o.Threshold = float32(math.NaN()) }, []string{"threshold"}},
		{"neg_threshold_above", func(o *VADOptions) { o.NegThreshold = 0.6 }, []string{"neg_threshold"}},
		{"max_speech_too_short", func(o *VADOptions) { o.MaxSpeechMs = 100 }, []string{"max_speech_ms"}},
		{"negative_pad", func(o *VADOptions) { o.SpeechPadMs = -1 }, []string{"SpeechPadMs = -1"}},
		{"zero_value", func(o *VADOptions) { *o = VADOptions{} }, []string{"DefaultVADOptions"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := DefaultVADOptions()
			c.mutate(&o)
			v, err := NewVAD(o)
			wantErr(t, err, ErrInvalidArgument, c.msg...)
			if v != nil {
				t.Fatal("a VAD came with the error")
			}
			_, err = VADSegments(make([]float32, 1000), o)
			wantErr(t, err, ErrInvalidArgument, c.msg...)
		})
	}
}

func TestVADClose(t *testing.T) {
	v, err := NewVAD(DefaultVADOptions())
	noErr(t, err)
	noErr(t, v.Push(make([]float32, 1000)))
	noErr(t, v.Close())
	noErr(t, v.Close())
	wantClosed(t, v.Push(make([]float32, 10)))
	wantClosed(t, v.Flush())
	wantClosed(t, v.Reset())
	_, ok, err := v.NextSegment()
	wantClosed(t, err)
	if ok {
		t.Fatal("NextSegment ok after Close")
	}
	_, _, err = v.OpenSegmentStart()
	wantClosed(t, err)

	var nilV *VAD
	noErr(t, nilV.Close())
	wantErr(t, nilV.Push(nil), ErrInvalidArgument, "nil *VAD")

	for i := 0; i < 20; i++ { // dropped without Close: the finalizer
		v, err := NewVAD(DefaultVADOptions())
		noErr(t, err)
		noErr(t, v.Push(make([]float32, 1000)))
	}
	runtime.GC()
	runtime.GC()
}

func ExampleVADSegments() {
	// 3 s at 16 kHz: silence, a 440 Hz tone from 1 s to 2 s, silence.
	x := make([]float32, 3*16000)
	for i := 16000; i < 2*16000; i++ {
		x[i] = float32(0.3 * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	segs, err := VADSegments(x, DefaultVADOptions())
	if err != nil {
		panic(err)
	}
	for _, s := range segs {
		a, b := s.Seconds(16000)
		fmt.Printf("speech %.1f s .. %.1f s\n", a, b)
	}
	// Output: speech 1.0 s .. 2.0 s
}

func ExampleVAD() {
	vad, err := NewVAD(DefaultVADOptions()) // or VADPresetOptions(VADTranscribe)
	if err != nil {
		panic(err)
	}
	defer vad.Close()
	report := func() {
		for {
			s, ok, err := vad.NextSegment() // ok false: nothing final yet
			if err != nil || !ok {
				return
			}
			a, b := s.Seconds(vad.SampleRate())
			fmt.Printf("speech %.1f s .. %.1f s\n", a, b)
		}
	}
	x := make([]float32, 3*16000) // silence, a tone from 1 s to 2 s, silence
	for i := 16000; i < 2*16000; i++ {
		x[i] = float32(0.3 * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	for i := 0; i < len(x); i += 320 { // 20 ms chunks from a microphone
		vad.Push(x[i : i+320])
		report()
	}
	vad.Flush() // end of stream: closes a segment still open
	report()
	// Output: speech 1.0 s .. 2.0 s
}

func TestVADOptionsLayout(t *testing.T) {
	o := new(vadOptions)
	if r := capi.Core_vad_options_init(unsafe.Pointer(o)); r != 0 {
		t.Fatal(fail("init", r))
	}
	if o.structSize != uint64(unsafe.Sizeof(*o)) {
		t.Fatalf("struct_size %d, Go layout %d bytes", o.structSize, unsafe.Sizeof(*o))
	}
}
