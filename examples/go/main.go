// Command example shows the Go binding of libcore on a short synthetic
// audio clip: PCM conversion, a one-pass summary, signal measures, a
// percentile, frame statistics, a ring buffer, an encoder cache, metrics,
// a log-mel spectrogram, voice activity detection, array creation and error
// handling.
//
// Run it from the build tree (see bindings/go/README.md):
//
//	ninja -C build bindings/go/core_go_example && build/bindings/go/core_go_example
//
// or from this folder with `go run .` once go.mod's replace line points at
// the module (the build tree's build/bindings/go/module, or an installed
// <prefix>/share/libcore/go) and pkg-config finds libcore.pc.
package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"

	"libcore.dev/core"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "example:", err)
		os.Exit(1)
	}
}

func run() error {
	fmt.Printf("libcore %s (ABI %d), SIMD target %s, %d threads\n",
		core.Version(), core.ABIVersion(), core.SimdTarget(), core.NumThreads())

	// 0.5 s of a 440 Hz tone at 16 kHz as int16 PCM.
	const rate = 16000
	t, err := core.Arange(0, 0.5, 1.0/rate)
	if err != nil {
		return err
	}
	pcm := make([]int16, len(t))
	for i, s := range t {
		pcm[i] = int16(math.Round(0.8 * 32767 * math.Sin(2*math.Pi*440*float64(s))))
	}

	x, err := core.FromPCM16(pcm) // float32 in [-1, 1), no copy into C
	if err != nil {
		return err
	}
	s, err := core.Stats(x, core.NanOmit)
	if err != nil {
		return err
	}
	std, err := s.Std(1)
	if err != nil {
		return err
	}
	fmt.Printf("samples %d: min %.4f max %.4f mean %+.2e std %.4f\n", s.Count, s.Min, s.Max, s.Mean, std)

	rms, err := core.Rms(x)
	if err != nil {
		return err
	}
	zcr, err := core.ZeroCrossingRate(x)
	if err != nil {
		return err
	}
	p95, err := core.Percentile(x, 95, core.NanOmit)
	if err != nil {
		return err
	}
	fmt.Printf("rms %.4f, zero crossings %.1f per second, 95th percentile %.4f\n",
		rms, zcr*rate, p95)

	// Batch statistics: 25 ms frames every 10 ms, in parallel, one call.
	frames, err := core.StatsFrames(x, rate/40, rate/100)
	if err != nil {
		return err
	}
	fmt.Printf("%d frames of 25 ms: first mean %+.2e, max of frame 10 %.4f\n",
		len(frames), frames[0].Mean, frames[10].Max)

	// A ring buffer: a producer appends PCM chunks, a consumer reads the
	// newest 10 ms (usually two goroutines; one here).
	ring, err := core.NewRingBuffer(core.RingOptions{Capacity: rate, Policy: core.RingOverwrite})
	if err != nil {
		return err
	}
	defer ring.Close()
	for i := 0; i+320 <= len(pcm); i += 320 {
		if err := ring.AppendInt16(pcm[i : i+320]); err != nil {
			return err
		}
	}
	last := make([]float32, rate/100)
	if err := ring.ReadLatest(last); err != nil {
		return err
	}
	fmt.Printf("ring: %d of %d samples held, %d dropped; last 10 ms: %d samples\n",
		ring.Size(), ring.Capacity(), ring.Dropped(), len(last))

	// An encoder cache: the key of the rounded audio; the "encoder" (here a
	// frame count) runs once, the second request is a hit.
	cache, err := core.NewEncoderCache(core.CacheOptions{MaxEntries: 1000})
	if err != nil {
		return err
	}
	defer cache.Close()
	key, err := core.KeyOfAudio(x, 6)
	if err != nil {
		return err
	}
	encode := func(core.Key) (core.Tensor, error) {
		return core.Tensor{Data: []float32{float32(len(frames)), float32(frames[0].Mean)}, Shape: []int{1, 2}}, nil
	}
	for i := 0; i < 2; i++ {
		if _, err := cache.GetOrCompute(key, encode); err != nil {
			return err
		}
	}
	cs, err := cache.Stats()
	if err != nil {
		return err
	}
	fmt.Printf("cache: %d entry, %d hit, %d miss, %d compute\n", cs.Entries, cs.Hits, cs.Misses, cs.Computes)

	// Metrics: time each request into a histogram, export for Prometheus.
	metrics, err := core.NewMetrics(core.MetricsOptions{})
	if err != nil {
		return err
	}
	defer metrics.Close()
	for i := 0; i < 3; i++ {
		func() {
			defer metrics.Time("lid.encoder_forward")()
			_, _ = cache.GetOrCompute(key, encode)
		}()
	}
	fwd, err := metrics.Timer("lid.encoder_forward")
	if err != nil {
		return err
	}
	ms, err := fwd.Stats()
	if err != nil {
		return err
	}
	prom, err := metrics.Export(core.MetricsPrometheus, false)
	if err != nil {
		return err
	}
	fmt.Printf("metrics: %d timed calls; Prometheus export has lid_encoder_forward_seconds_count: %v\n",
		ms.Count, strings.Contains(prom, "lid_encoder_forward_seconds_count 3"))

	// The speech front end: Whisper's log-mel spectrogram of the tone, and
	// voice activity detection on 0.5 s of silence, the tone, 0.5 s of
	// silence.
	lm, err := core.NewLogMel(core.DefaultLogMelOptions())
	if err != nil {
		return err
	}
	defer lm.Close()
	spec, err := lm.Compute(x)
	if err != nil {
		return err
	}
	loudest := 0
	for m := 0; m < spec.NMels; m++ {
		if spec.At(m, spec.NFrames/2) > spec.At(loudest, spec.NFrames/2) {
			loudest = m
		}
	}
	fmt.Printf("log-mel: %d bands x %d frames; the 440 Hz tone is loudest in band %d\n",
		spec.NMels, spec.NFrames, loudest)
	clip := make([]float32, rate/2, rate+len(x))
	clip = append(append(clip, x...), make([]float32, rate/2)...)
	segs, err := core.VADSegments(clip, core.DefaultVADOptions())
	if err != nil {
		return err
	}
	for _, sg := range segs {
		a, b := sg.Seconds(rate)
		fmt.Printf("VAD: speech from %.2f s to %.2f s (padding included)\n", a, b)
	}

	// A gain of 1.5 and back to PCM: the clipped count reports the
	// saturation instead of hiding it.
	for i := range x {
		x[i] *= 1.5
	}
	_, clipped, err := core.ToPCM16(x)
	if err != nil {
		return err
	}
	fmt.Printf("gain 1.5, back to PCM16: %d of %d samples clipped\n", clipped, len(x))

	grid, err := core.LinspaceF64(0, 1, 5, true)
	if err != nil {
		return err
	}
	fmt.Printf("linspace(0, 1, 5) = %v\n", grid)

	// Errors are *core.Error values carrying libcore's status and message.
	if _, err := core.Min(nil); errors.Is(err, core.ErrEmpty) {
		fmt.Printf("min of nothing: %v\n", err)
	} else {
		return fmt.Errorf("min of nothing gave %v", err)
	}
	if _, err := core.Dot([]float32{1, 2}, []float32{1}); err == nil {
		return errors.New("mismatched lengths were accepted")
	}
	return nil
}
