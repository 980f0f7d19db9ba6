package core

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"libcore.dev/core/internal/capi"
)

// The Go constants are the C enum, value by value and name by name.
func TestStatusValuesMatchC(t *testing.T) {
	cases := []struct {
		goval Status
		cval  capi.Enum_SS_core_status
		name  string
	}{
		{StatusOK, capi.CORE_OK, "CORE_OK"},
		{ErrInvalidArgument, capi.CORE_E_INVALID_ARGUMENT, "CORE_E_INVALID_ARGUMENT"},
		{ErrOutOfMemory, capi.CORE_E_OUT_OF_MEMORY, "CORE_E_OUT_OF_MEMORY"},
		{ErrBufferTooSmall, capi.CORE_E_BUFFER_TOO_SMALL, "CORE_E_BUFFER_TOO_SMALL"},
		{ErrFull, capi.CORE_E_FULL, "CORE_E_FULL"},
		{ErrEmpty, capi.CORE_E_EMPTY, "CORE_E_EMPTY"},
		{ErrNotFound, capi.CORE_E_NOT_FOUND, "CORE_E_NOT_FOUND"},
		{ErrIO, capi.CORE_E_IO, "CORE_E_IO"},
		{ErrFormat, capi.CORE_E_FORMAT, "CORE_E_FORMAT"},
		{ErrUnsupported, capi.CORE_E_UNSUPPORTED, "CORE_E_UNSUPPORTED"},
		{ErrUnavailable, capi.CORE_E_UNAVAILABLE, "CORE_E_UNAVAILABLE"},
		{ErrInternal, capi.CORE_E_INTERNAL, "CORE_E_INTERNAL"},
	}
	for _, c := range cases {
		if int(c.goval) != int(c.cval) {
			t.Errorf("%s: Go %d, C %d", c.name, int(c.goval), int(c.cval))
		}
		if c.goval.String() != c.name || c.goval.Error() != c.name {
			t.Errorf("Status(%d).String() = %q, want %q", int(c.goval), c.goval.String(), c.name)
		}
	}
	if s := Status(1000).String(); s != "CORE_E_UNKNOWN" {
		t.Errorf("Status(1000) = %q", s)
	}
	if int(NanPropagate) != int(capi.CORE_NAN_PROPAGATE) || int(NanOmit) != int(capi.CORE_NAN_OMIT) {
		t.Errorf("NanPolicy values differ from core_nan_policy")
	}
}

func TestErrorShape(t *testing.T) {
	_, err := Min(nil)
	wantErr(t, err, ErrEmpty, "core_min_f32")
	var e *Error
	errors.As(err, &e)
	if e.Op != "core.Min" {
		t.Errorf("Op = %q", e.Op)
	}
	want := "core.Min: CORE_E_EMPTY: " + e.Message
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if !errors.Is(err, ErrEmpty) || errors.Is(err, ErrInvalidArgument) {
		t.Errorf("errors.Is does not follow the status")
	}
	if errors.Unwrap(err) != ErrEmpty {
		t.Errorf("Unwrap = %v", errors.Unwrap(err))
	}
	wrapped := fmt.Errorf("loading features: %w", err)
	if !errors.Is(wrapped, ErrEmpty) || !errors.As(wrapped, &e) {
		t.Errorf("a wrapped *Error is not found by errors.Is / errors.As")
	}
	if (&Error{Op: "core.X", Status: ErrFull}).Error() != "core.X: CORE_E_FULL" {
		t.Errorf("Error() without message")
	}
}

// The libcore message is captured inside the failing C call. Many
// goroutines fail at once with different messages, with more goroutines
// than threads so the scheduler moves them between OS threads; each must
// get its own message back.
func TestErrorMessagesAreNotMixedAcrossThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	calls := []struct {
		want string
		call func() error
	}{
		{"core_min_f32", func() error { _, err := Min(nil); return err }},
		{"core_max_f64", func() error { _, err := MaxF64([]float64{}); return err }},
		{"core_stats_f32", func() error { _, err := Stats([]float32{1}, 9); return err }},
		{"core_arange_len", func() error { _, err := Arange(0, 1, 0); return err }},
		{"core_percentile_f64", func() error { _, err := PercentileF64([]float64{1}, 101, NanOmit); return err }},
		{"core_normalize_f32", func() error { return NormalizeInPlace([]float32{3, 3}, 0, NanOmit) }},
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				c := calls[(g+i)%len(calls)]
				err := c.call()
				var e *Error
				if !errors.As(err, &e) || !strings.Contains(e.Message, c.want) {
					errs <- fmt.Sprintf("goroutine %d: got %v, want a message naming %s", g, err, c.want)
					return
				}
				if i%7 == 0 {
					runtime.Gosched()
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
