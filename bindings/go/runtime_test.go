package core

import (
	"fmt"
	"testing"
)

func TestVersion(t *testing.T) {
	n := VersionNumber()
	want := fmt.Sprintf("%d.%d.%d", n/10000, n/100%100, n%100)
	if v := Version(); v != want {
		t.Errorf("Version() = %q, VersionNumber() = %d (%s)", v, n, want)
	}
	if n != HeaderVersionNumber {
		t.Errorf("loaded libcore %d, headers %d", n, HeaderVersionNumber)
	}
	if ABIVersion() != 1 {
		t.Errorf("ABIVersion() = %d, want 1 (libcore.so.1)", ABIVersion())
	}
}

func TestSimdTarget(t *testing.T) {
	s := SimdTarget()
	if s == "" {
		t.Fatal("SimdTarget() is empty")
	}
	t.Logf("SIMD target: %s", s)
}

func TestNumThreads(t *testing.T) {
	defer func() { noErr(t, SetNumThreads(0)) }()
	noErr(t, SetNumThreads(1))
	if n := NumThreads(); n != 1 {
		t.Errorf("NumThreads() = %d after SetNumThreads(1)", n)
	}
	noErr(t, SetNumThreads(0))
	if n := NumThreads(); n < 1 {
		t.Errorf("NumThreads() = %d with the default", n)
	}
	wantErr(t, SetNumThreads(-1), ErrInvalidArgument, "core_set_num_threads")
	wantErr(t, SetNumThreads(1<<40), ErrInvalidArgument, "C int")
}

// Results do not depend on the thread count (libcore's promise), through
// the binding too.
func TestResultsIndependentOfThreads(t *testing.T) {
	defer func() { noErr(t, SetNumThreads(0)) }()
	x := toF32(randF64(7, 3000017, -1, 3))
	var ref Summary
	var refCum []float32
	for i, n := range []int{1, 2, 0} {
		noErr(t, SetNumThreads(n))
		s, err := Stats(x, NanPropagate)
		noErr(t, err)
		c, err := Cumsum(x)
		noErr(t, err)
		if i == 0 {
			ref, refCum = s, c
			continue
		}
		if s != ref {
			t.Errorf("%d threads: %+v, 1 thread: %+v", n, s, ref)
		}
		for j := range c {
			if c[j] != refCum[j] {
				t.Fatalf("%d threads: cumsum[%d] = %g, 1 thread %g", n, j, c[j], refCum[j])
			}
		}
	}
}
