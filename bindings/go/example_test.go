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
