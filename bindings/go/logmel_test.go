package core

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"testing"
	"time"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

func newLogMel(t *testing.T, mutate func(*LogMelOptions)) *LogMel {
	t.Helper()
	o := DefaultLogMelOptions()
	if mutate != nil {
		mutate(&o)
	}
	l, err := NewLogMel(o)
	noErr(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

func log10Mode(o *LogMelOptions) { o.Mode = LogMelLog10 }

// The defaults come from core_logmel_options_init: Whisper's front end, as
// the header documents them.
func TestLogMelDefaults(t *testing.T) {
	o := DefaultLogMelOptions()
	want := LogMelOptions{SampleRate: 16000, NFFT: 400, Hop: 160, NMels: 80, FMin: 0, FMax: 0,
		Mode: LogMelWhisper, WindowFrames: 3000}
	if o != want {
		t.Fatalf("DefaultLogMelOptions() = %+v, want %+v", o, want)
	}
	l := newLogMel(t, nil)
	if l.Options() != o || l.NMels() != 80 {
		t.Fatalf("Options() = %+v, NMels() = %d", l.Options(), l.NMels())
	}
	if LogMelWhisper.String() != "LogMelWhisper" || LogMelLog10.String() != "LogMelLog10" {
		t.Fatal("LogMelMode.String")
	}
}

// A 1 kHz tone: its energy is in the band whose centre is nearest 1 kHz on
// the Slaney mel scale (computed here from librosa's formula, not from
// libcore), far above the bands at the ends; Whisper mode then maps the
// maximum to (log10 max + 4) / 4 and floors everything at 2 below it.
func TestLogMelToneBand(t *testing.T) {
	for _, c := range []struct {
		freq  float64
		nMels int
	}{{1000, 80}, {440, 80}, {3000, 128}} {
		t.Run(fmt.Sprintf("%gHz_%dmels", c.freq, c.nMels), func(t *testing.T) {
			l := newLogMel(t, func(o *LogMelOptions) { o.Mode = LogMelLog10; o.NMels = c.nMels })
			x := sine(16000, 16000, c.freq, 0.5)
			s, err := l.Compute(x)
			noErr(t, err)
			if s.NMels != c.nMels || s.NFrames != 100 || len(s.Data) != c.nMels*100 {
				t.Fatalf("shape %d x %d (%d values), want %d x 100", s.NMels, s.NFrames, len(s.Data), c.nMels)
			}
			mean := make([]float64, c.nMels)
			for m := range mean {
				for _, v := range s.Band(m) {
					mean[m] += float64(v) / float64(s.NFrames)
				}
			}
			best := 0
			for m := range mean {
				if mean[m] > mean[best] {
					best = m
				}
			}
			want := nearestBand(c.freq, c.nMels, 0, 8000)
			if best != want {
				t.Fatalf("loudest band %d (%.2f), want %d (%.2f): %v", best, mean[best], want, mean[want], mean)
			}
			// A sine of amplitude 0.5 under a Hann window: power in the
			// hundreds; far bands hold only leakage, at least 5 decades down.
			if mean[best] < 1 || mean[0] > mean[best]-5 || mean[c.nMels-1] > mean[best]-5 {
				t.Fatalf("band %d: %.2f, band 0: %.2f, band %d: %.2f", best, mean[best], mean[0], c.nMels-1, mean[c.nMels-1])
			}
			// Frame 50's loudest band, through At.
			bf := 0
			for m := 0; m < c.nMels; m++ {
				if s.At(m, 50) > s.At(bf, 50) {
					bf = m
				}
			}
			if bf != want {
				t.Fatalf("frame 50: loudest band %d, want %d", bf, want)
			}

			w := newLogMel(t, func(o *LogMelOptions) { o.NMels = c.nMels })
			ws, err := w.Compute(x)
			noErr(t, err)
			maxLog := float32(math.Inf(-1))
			for _, v := range s.Data {
				if v > maxLog {
					maxLog = v
				}
			}
			top, low := float32(math.Inf(-1)), float32(math.Inf(1))
			for _, v := range ws.Data {
				top = float32(math.Max(float64(top), float64(v)))
				low = float32(math.Min(float64(low), float64(v)))
			}
			wantNear(t, "Whisper maximum", float64(top), (float64(maxLog)+4)/4, 1e-6)
			wantNear(t, "Whisper floor", float64(low), float64(top)-2, 1e-6)
		})
	}
}

func TestLogMelFrames(t *testing.T) {
	l := newLogMel(t, nil)
	for _, c := range []struct{ n, want int }{{400, 2}, {16000, 100}, {16159, 100}, {16160, 101}, {480000, 3000}} {
		got, err := l.Frames(c.n)
		noErr(t, err)
		if got != c.want {
			t.Errorf("Frames(%d) = %d, want %d", c.n, got, c.want)
		}
	}
	_, err := l.Frames(399)
	wantErr(t, err, ErrInvalidArgument, "core_logmel_frames")
	_, err = l.Frames(-1)
	wantErr(t, err, ErrInvalidArgument, "n = -1")
}

// The filterbank: n_mels x (n_fft/2 + 1), non-negative, every band with
// some weight, each band's peak bin rising with the band.
func TestLogMelFiltersShape(t *testing.T) {
	for _, c := range []struct{ nMels, nFFT int }{{80, 400}, {128, 400}, {40, 512}} {
		l := newLogMel(t, func(o *LogMelOptions) { o.NMels, o.NFFT = c.nMels, c.nFFT })
		f, err := l.Filters()
		noErr(t, err)
		bins := c.nFFT/2 + 1
		if len(f) != c.nMels*bins {
			t.Fatalf("%d x %d: %d values, want %d", c.nMels, c.nFFT, len(f), c.nMels*bins)
		}
		prevPeak := -1
		for m := 0; m < c.nMels; m++ {
			row := f[m*bins : (m+1)*bins]
			peak, sum := 0, 0.0
			for k, v := range row {
				if v < 0 || math.IsNaN(float64(v)) {
					t.Fatalf("band %d bin %d = %g", m, k, v)
				}
				sum += float64(v)
				if v > row[peak] {
					peak = k
				}
			}
			if sum <= 0 || peak < prevPeak {
				t.Fatalf("band %d: sum %g, peak bin %d after %d", m, sum, peak, prevPeak)
			}
			prevPeak = peak
		}
	}
}

func TestLogMelComputeBatch(t *testing.T) {
	l := newLogMel(t, nil)
	// A clip's own Whisper maximum: clips of very different levels.
	mk := func(n int, seed uint64, amp float64) []float32 {
		x := sine(n, 16000, 300+float64(seed)*37, amp)
		gaussian(x, amp/10, seed)
		return x
	}
	check := func(t *testing.T, clips [][]float32) {
		t.Helper()
		got, err := l.ComputeBatch(clips)
		noErr(t, err)
		if len(got) != len(clips) {
			t.Fatalf("%d results for %d clips", len(got), len(clips))
		}
		for i, clip := range clips {
			want, err := l.Compute(clip)
			noErr(t, err)
			if got[i].NMels != want.NMels || got[i].NFrames != want.NFrames {
				t.Fatalf("clip %d: %d x %d, Compute %d x %d", i, got[i].NMels, got[i].NFrames, want.NMels, want.NFrames)
			}
			sameBits(t, fmt.Sprintf("clip %d", i), got[i].Data, want.Data)
			if cap(got[i].Data) != len(got[i].Data) {
				t.Fatalf("clip %d: cap %d > len %d: an append would overwrite the next", i, cap(got[i].Data), len(got[i].Data))
			}
		}
	}
	t.Run("separate_arrays", func(t *testing.T) {
		check(t, [][]float32{mk(400, 1, 0.9), mk(16000, 2, 0.01), mk(4321, 3, 0.3)})
	})
	t.Run("sub_slices_of_one_buffer", func(t *testing.T) {
		buf := mk(48000, 4, 0.5)
		check(t, [][]float32{buf[16000:32000], buf[:400], buf[100:20000], buf[47000:]})
	})
	t.Run("long_clip_in_place_and_many_small", func(t *testing.T) {
		clips := [][]float32{mk(batchDirect+1000, 5, 0.2)}
		for i := 0; i < 40; i++ { // > 32: the C helper's arrays are malloc'd
			clips = append(clips, mk(400+37*i, uint64(6+i), 0.01*float64(i+1)))
		}
		clips = append(clips, mk(batchDirect, 99, 0.7))
		check(t, clips)
	})
	t.Run("empty", func(t *testing.T) {
		got, err := l.ComputeBatch(nil)
		noErr(t, err)
		if got == nil || len(got) != 0 {
			t.Fatalf("ComputeBatch(nil) = %v", got)
		}
	})
	t.Run("short_clip", func(t *testing.T) {
		_, err := l.ComputeBatch([][]float32{mk(1000, 1, 0.1), mk(1000, 2, 0.1), make([]float32, 399)})
		wantErr(t, err, ErrInvalidArgument, "clips[2]", "core_logmel_frames")
	})
}

func TestLogMelComputeInto(t *testing.T) {
	l := newLogMel(t, log10Mode)
	x := sine(8000, 16000, 700, 0.25)
	want, err := l.Compute(x)
	noErr(t, err)
	dst := make([]float32, 80*50+7)
	nf, err := l.ComputeInto(x, dst)
	noErr(t, err)
	if nf != 50 {
		t.Fatalf("ComputeInto: %d frames, want 50", nf)
	}
	sameBits(t, "ComputeInto", dst[:80*nf], want.Data)
	if dst[80*50] != 0 {
		t.Fatal("ComputeInto wrote past NMels*frames")
	}
	short := make([]float32, 80*50-1)
	nf, err = l.ComputeInto(x, short)
	wantErr(t, err, ErrBufferTooSmall, "core_logmel_compute")
	if nf != 50 {
		t.Fatalf("ErrBufferTooSmall: count %d, want 50 frames", nf)
	}
	for _, v := range short {
		if v != 0 {
			t.Fatal("ErrBufferTooSmall wrote to dst")
		}
	}
}

// Non-finite samples make their frames NaN in every band; frames that do
// not touch them are untouched (header, convention 3).
func TestLogMelNaNFrames(t *testing.T) {
	l := newLogMel(t, log10Mode)
	x := sine(16000, 16000, 500, 0.5)
	ref, err := l.Compute(x)
	noErr(t, err)
	x[8000] = float32(math.NaN())
	s, err := l.Compute(x)
	noErr(t, err)
	for tt := 0; tt < s.NFrames; tt++ {
		// frame t covers [t*160 - 200, t*160 + 200)
		touches := tt*160-200 <= 8000 && 8000 < tt*160+200
		for m := 0; m < s.NMels; m++ {
			v := s.At(m, tt)
			if touches != math.IsNaN(float64(v)) || (!touches && v != ref.At(m, tt)) {
				t.Fatalf("frame %d band %d = %g (touches the NaN: %v; without it %g)", tt, m, v, touches, ref.At(m, tt))
			}
		}
	}
}

// Bad options are *Error values with ErrInvalidArgument and libcore's
// message naming the C field; values a C field cannot hold are caught by
// the binding, naming the Go field.
func TestLogMelBadOptions(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(*LogMelOptions)
		msg    []string
	}{
		{"n_mels_0", func(o *LogMelOptions) { o.NMels = 0 }, []string{"core_logmel_create", "n_mels"}},
		{"n_mels_above_bins", func(o *LogMelOptions) { o.NMels = 202 }, []string{"n_mels"}},
		{"n_fft_1", func(o *LogMelOptions) { o.NFFT = 1 }, []string{"n_fft"}},
		{"n_fft_too_large", func(o *LogMelOptions) { o.NFFT = LogMelMaxFFT + 2 }, []string{"n_fft"}},
		{"hop_0", func(o *LogMelOptions) { o.Hop = 0 }, []string{"hop"}},
		{"sample_rate_low", func(o *LogMelOptions) { o.SampleRate = 999 }, []string{"sample_rate"}},
		{"fmax_above_nyquist", func(o *LogMelOptions) { o.FMax = 8001 }, []string{"fmax"}},
		{"fmin_not_below_fmax", func(o *LogMelOptions) { o.FMin, o.FMax = 4000, 3000 }, []string{"fmin"}},
		{"fmin_nan", func(o *LogMelOptions) { o.FMin = math.NaN() }, []string{"fmin"}},
		{"mode", func(o *LogMelOptions) { o.Mode = 7 }, []string{"mode"}},
		{"negative_hop", func(o *LogMelOptions) { o.Hop = -160 }, []string{"Hop = -160"}},
		{"window_frames_too_large", func(o *LogMelOptions) { o.WindowFrames = 1 << 33 }, []string{"WindowFrames"}},
		{"zero_value", func(o *LogMelOptions) { *o = LogMelOptions{} }, []string{"DefaultLogMelOptions"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := DefaultLogMelOptions()
			c.mutate(&o)
			l, err := NewLogMel(o)
			wantErr(t, err, ErrInvalidArgument, c.msg...)
			if l != nil {
				t.Fatal("a LogMel came with the error")
			}
			s, err := NewLogMelStream(o)
			wantErr(t, err, ErrInvalidArgument, c.msg[len(c.msg)-1])
			if s != nil {
				t.Fatal("a LogMelStream came with the error")
			}
		})
	}
	// Arguments of the calls.
	l := newLogMel(t, nil)
	_, err := l.Compute(make([]float32, 399))
	wantErr(t, err, ErrInvalidArgument, "core_logmel_compute")
	_, err = l.Compute(nil)
	wantErr(t, err, ErrInvalidArgument, "core_logmel_compute")
}

func TestLogMelClose(t *testing.T) {
	l, err := NewLogMel(DefaultLogMelOptions())
	noErr(t, err)
	_, err = l.Compute(make([]float32, 1000))
	noErr(t, err)
	noErr(t, l.Close())
	noErr(t, l.Close())
	if l.destroyed != 1 {
		t.Fatal("not released by Close")
	}
	_, err = l.Compute(make([]float32, 1000))
	wantClosed(t, err)
	_, err = l.ComputeInto(make([]float32, 1000), make([]float32, 1000))
	wantClosed(t, err)
	_, err = l.ComputeBatch([][]float32{make([]float32, 1000)})
	wantClosed(t, err)
	_, err = l.Frames(1000)
	wantClosed(t, err)
	_, err = l.Filters()
	wantClosed(t, err)
	if l.NMels() != 80 {
		t.Fatal("NMels changed at Close")
	}

	var nilLM *LogMel
	noErr(t, nilLM.Close())
	_, err = nilLM.Compute(make([]float32, 1000))
	wantErr(t, err, ErrInvalidArgument, "nil *LogMel")
}

// One LogMel, many goroutines (libcore allows it); then Close while they
// compute: every call either succeeds with the right values or reports
// ErrClosed, and the last call releases the analyser.
func TestLogMelConcurrent(t *testing.T) {
	l, err := NewLogMel(DefaultLogMelOptions())
	noErr(t, err)
	x := sine(32000, 16000, 440, 0.3)
	gaussian(x, 0.01, 3)
	ref, err := l.Compute(x)
	noErr(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	start := make(chan struct{})
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := 0; ; i++ {
				s, err := l.Compute(x)
				if err != nil {
					if !errors.Is(err, ErrClosed) {
						errs <- err
					}
					return
				}
				for j := range s.Data {
					if math.Float32bits(s.Data[j]) != math.Float32bits(ref.Data[j]) {
						errs <- fmt.Errorf("value %d differs", j)
						return
					}
				}
				if i%4 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	close(start)
	time.Sleep(30 * time.Millisecond)
	noErr(t, l.Close())
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if l.destroyed != 1 {
		t.Fatal("the analyser was not released after the last call")
	}
}

// Analysers and streams dropped without Close are released by their
// finalizers.
func TestLogMelFinalizer(t *testing.T) {
	for i := 0; i < 20; i++ {
		l, err := NewLogMel(DefaultLogMelOptions())
		noErr(t, err)
		_, err = l.Compute(make([]float32, 400))
		noErr(t, err)
		s, err := NewLogMelStream(DefaultLogMelOptions())
		noErr(t, err)
		noErr(t, s.Push(make([]float32, 1000)))
	}
	runtime.GC()
	runtime.GC()
}

// ---- streaming -------------------------------------------------------------------

// pushAll pushes x in chunks of the given sizes (cycled), reading the
// frames as they become ready; then flushes and reads the rest. Returns
// the frames, frame-major.
func pushAll(t *testing.T, s *LogMelStream, x []float32, chunks []int) []float32 {
	t.Helper()
	var out []float32
	for i, k := 0, 0; i < len(x); k++ {
		n := chunks[k%len(chunks)]
		if n > len(x)-i {
			n = len(x) - i
		}
		noErr(t, s.Push(x[i:i+n]))
		i += n
		if k%3 == 0 {
			f, err := s.Read(7)
			noErr(t, err)
			out = append(out, f...)
		}
	}
	noErr(t, s.Flush())
	for {
		f, err := s.Read(1000)
		noErr(t, err)
		if len(f) == 0 {
			return out
		}
		out = append(out, f...)
	}
}

// A stream gives the offline spectrogram, frame-major: LOG10 bit for bit,
// and WHISPER with WindowFrames 0 (one window) bit for bit, whatever the
// chunk sizes.
func TestLogMelStreamMatchesOffline(t *testing.T) {
	x := sine(24321, 16000, 523, 0.4)
	gaussian(x, 0.05, 9)
	for _, c := range []struct {
		name   string
		mutate func(*LogMelOptions)
	}{
		{"log10", log10Mode},
		{"whisper_one_window", func(o *LogMelOptions) { o.WindowFrames = 0 }},
		{"log10_128mels_hop_100", func(o *LogMelOptions) { o.Mode, o.NMels, o.Hop = LogMelLog10, 128, 100 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := DefaultLogMelOptions()
			c.mutate(&o)
			l, err := NewLogMel(o)
			noErr(t, err)
			defer l.Close()
			want, err := l.Compute(x)
			noErr(t, err)
			for _, chunks := range [][]int{{1, 2, 3, 5, 8, 13, 160, 401}, {1000}, {len(x)}} {
				s, err := NewLogMelStream(o)
				noErr(t, err)
				if s.NMels() != o.NMels {
					t.Fatalf("NMels() = %d", s.NMels())
				}
				got := pushAll(t, s, x, chunks)
				noErr(t, s.Close())
				sameBits(t, fmt.Sprintf("chunks %v", chunks), transpose(got, o.NMels), want.Data)
			}
		})
	}
}

// Frame t is ready once t*hop + n_fft/2 samples are there; the last ones
// come with Flush. WHISPER frames come a window at a time.
func TestLogMelStreamLatency(t *testing.T) {
	x := sine(16000, 16000, 440, 0.5)
	o := DefaultLogMelOptions()
	o.Mode = LogMelLog10
	s, err := NewLogMelStream(o)
	noErr(t, err)
	defer s.Close()
	noErr(t, s.Push(x[:1000]))
	n, err := s.Available()
	noErr(t, err)
	if want := (1000-200)/160 + 1; n != want {
		t.Fatalf("after 1000 samples: %d frames ready, want %d", n, want)
	}
	noErr(t, s.Push(x[1000:]))
	n, _ = s.Available()
	if want := (16000-200)/160 + 1; n != want {
		t.Fatalf("after 16000 samples: %d frames ready, want %d", n, want)
	}
	noErr(t, s.Flush())
	n, _ = s.Available()
	if n != 100 {
		t.Fatalf("after Flush: %d frames, want 100", n)
	}
	dst := make([]float32, 80*30+79)
	k, err := s.ReadInto(dst)
	noErr(t, err)
	if k != 30 {
		t.Fatalf("ReadInto: %d frames, want 30", k)
	}
	f, err := s.Read(0)
	noErr(t, err)
	if f == nil || len(f) != 0 {
		t.Fatalf("Read(0) = %v", f)
	}
	_, err = s.Read(-1)
	wantErr(t, err, ErrInvalidArgument, "maxFrames")
	n, _ = s.Available()
	if n != 70 {
		t.Fatalf("after reading 30: %d left, want 70", n)
	}
	wantErr(t, s.Push(x[:10]), ErrInvalidArgument, "core_logmel_stream_push")
	noErr(t, s.Flush()) // a second flush does nothing

	// Reset: a new stream, the same frames again.
	noErr(t, s.Reset())
	n, _ = s.Available()
	if n != 0 {
		t.Fatalf("after Reset: %d frames", n)
	}
	again := pushAll(t, s, x, []int{777})
	l := newLogMel(t, log10Mode)
	want, _ := l.Compute(x)
	sameBits(t, "after Reset", transpose(again, 80), want.Data)

	// WHISPER, windows of 50 frames: nothing before a window is complete.
	o.Mode, o.WindowFrames = LogMelWhisper, 50
	w, err := NewLogMelStream(o)
	noErr(t, err)
	defer w.Close()
	noErr(t, w.Push(x[:49*160+200])) // frames 0..49 ready: one window
	n, _ = w.Available()
	if n != 50 {
		t.Fatalf("WHISPER window 50 after frame 49: %d frames, want 50", n)
	}
	noErr(t, w.Push(x[49*160+200:]))
	n, _ = w.Available()
	if n != 50 {
		t.Fatalf("WHISPER window 50 before the second window completes: %d frames, want 50", n)
	}
	noErr(t, w.Flush())
	n, _ = w.Available()
	if n != 100 {
		t.Fatalf("WHISPER after Flush: %d, want 100", n)
	}
	// A stream shorter than n_fft gives nothing.
	short, err := NewLogMelStream(DefaultLogMelOptions())
	noErr(t, err)
	defer short.Close()
	noErr(t, short.Push(x[:399]))
	noErr(t, short.Flush())
	n, _ = short.Available()
	if n != 0 {
		t.Fatalf("399 samples gave %d frames", n)
	}
}

func TestLogMelStreamClose(t *testing.T) {
	s, err := NewLogMelStream(DefaultLogMelOptions())
	noErr(t, err)
	noErr(t, s.Push(make([]float32, 1000)))
	noErr(t, s.Close())
	noErr(t, s.Close())
	wantClosed(t, s.Push(make([]float32, 10)))
	wantClosed(t, s.Flush())
	wantClosed(t, s.Reset())
	_, err = s.Available()
	wantClosed(t, err)
	_, err = s.Read(10)
	wantClosed(t, err)
	_, err = s.ReadInto(make([]float32, 80))
	wantClosed(t, err)

	var nilS *LogMelStream
	noErr(t, nilS.Close())
	wantErr(t, nilS.Push(nil), ErrInvalidArgument, "nil *LogMelStream")
}

func ExampleLogMel() {
	lm, err := NewLogMel(DefaultLogMelOptions()) // Whisper: 16 kHz, n_fft 400, hop 160, 80 bands
	if err != nil {
		panic(err)
	}
	defer lm.Close()
	x := make([]float32, 16000) // 1 s of a 1 kHz tone
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*1000*float64(i)/16000))
	}
	s, err := lm.Compute(x) // mel-major, like Whisper's (80, 3000) tensor
	if err != nil {
		panic(err)
	}
	best := 0
	for m := 0; m < s.NMels; m++ {
		if s.At(m, 50) > s.At(best, 50) {
			best = m
		}
	}
	fmt.Println(s.NMels, s.NFrames, best)
	// Output: 80 100 26
}

func ExampleLogMelStream() {
	opts := DefaultLogMelOptions()
	opts.Mode = LogMelLog10 // frames are final as soon as their samples are there
	st, err := NewLogMelStream(opts)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	x := make([]float32, 16000) // 1 s of a 440 Hz tone
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/16000))
	}
	frames := 0
	for i := 0; i < len(x); i += 1600 { // 100 ms chunks
		st.Push(x[i : i+1600])
		f, _ := st.Read(100) // frame-major: len(f) / 80 frames
		frames += len(f) / st.NMels()
	}
	st.Flush()
	f, _ := st.Read(100)
	fmt.Println(frames, len(f)/st.NMels())
	// Output: 99 1
}

// libcore's idea of the options struct's size is the Go mirror's: the
// compile-time checks compare with the header; this compares with the
// library actually loaded.
func TestLogMelOptionsLayout(t *testing.T) {
	o := new(logMelOptions)
	if r := capi.Core_logmel_options_init(unsafe.Pointer(o)); r != 0 {
		t.Fatal(fail("init", r))
	}
	if o.structSize != uint64(unsafe.Sizeof(*o)) {
		t.Fatalf("struct_size %d, Go layout %d bytes", o.structSize, unsafe.Sizeof(*o))
	}
}
