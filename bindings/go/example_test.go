package core_test

import (
	"errors"
	"fmt"

	"libcore.dev/core"
)

func ExampleStats() {
	s, err := core.Stats([]float32{1, 2, 3, 4}, core.NanPropagate)
	if err != nil {
		panic(err)
	}
	std, _ := s.Std(1)
	fmt.Printf("count %d min %g max %g mean %g std %.4f\n", s.Count, s.Min, s.Max, s.Mean, std)
	// Output: count 4 min 1 max 4 mean 2.5 std 1.2910
}

func ExampleSummary_Merge() {
	a, _ := core.Stats([]float32{1, 2}, core.NanOmit)
	b, _ := core.StatsF64([]float64{3, 4}, core.NanOmit)
	m, _ := a.Merge(b)
	v, _ := m.Variance(0)
	fmt.Println(m.Count, m.Mean, v)
	// Output: 4 2.5 1.25
}

func ExampleArange() {
	x, _ := core.Arange(0, 1, 0.1)
	fmt.Println(len(x), x[9])
	// Output: 10 0.9
}

func ExampleMin_error() {
	_, err := core.Min(nil)
	fmt.Println(errors.Is(err, core.ErrEmpty))
	var e *core.Error
	if errors.As(err, &e) {
		fmt.Println(e.Op, e.Status)
	}
	// Output:
	// true
	// core.Min CORE_E_EMPTY
}

func ExampleToPCM16() {
	pcm, clipped, _ := core.ToPCM16([]float32{0.5, -0.25, 1.5})
	fmt.Println(pcm, clipped)
	// Output: [16384 -8192 32767] 1
}

func ExampleBatchStats() {
	signal := []float32{1, 2, 3, 4, 5, 6, 7, 8}
	// sub-slices of one buffer: summarized in place, in one call
	s, err := core.BatchStats([][]float32{signal[:2], signal[2:5], signal[5:]}, core.NanOmit)
	if err != nil {
		panic(err)
	}
	for _, x := range s {
		fmt.Printf("count %d mean %g\n", x.Count, x.Mean)
	}
	// the same arrays as one flat slice and their lengths
	s, _ = core.BatchStatsFlat(signal, []int{2, 3, 3}, core.NanOmit)
	fmt.Println(len(s), s[1].Sum)
	// Output:
	// count 2 mean 1.5
	// count 3 mean 4
	// count 3 mean 7
	// 3 12
}

func ExampleStatsFrames() {
	x := []float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	frames, _ := core.StatsFrames(x, 4, 3) // x[0:4], x[3:7], x[6:10]
	for _, f := range frames {
		fmt.Println(f.Mean)
	}
	// Output:
	// 1.5
	// 4.5
	// 7.5
}

func ExampleStatsAcc() {
	acc, _ := core.NewStatsAcc(core.NanOmit, 6) // 6 values will come
	acc.Push([]float32{1, 2})
	acc.Push([]float32{3, 4, 5, 6})
	s, _ := acc.Result() // bit for bit core.Stats of the 6 values
	fmt.Println(s.Count, s.Mean, s.Max)
	// Output: 6 3.5 6
}

func ExampleRingBuffer() {
	ring, err := core.NewRingBuffer(core.RingOptions{Capacity: 16000, Policy: core.RingOverwrite})
	if err != nil {
		panic(err)
	}
	defer ring.Close()

	ring.AppendInt16([]int16{16384, -16384, 8192}) // producer goroutine: PCM in
	ring.Append([]float32{0.125})

	last := make([]float32, 2)
	ring.ReadLatest(last) // the newest samples, nothing consumed
	window := make([]float32, 3)
	n, _ := ring.Pop(window) // consumer goroutine: the oldest, consumed
	fmt.Println(last, window[:n], ring.Size())
	// Output: [0.25 0.125] [0.5 -0.5 0.25] 1
}
