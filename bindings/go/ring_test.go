package core

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newRing(t *testing.T, capacity int, policy RingPolicy, mirror RingMirror) *RingBuffer {
	t.Helper()
	r, err := NewRingBuffer(RingOptions{Capacity: capacity, Policy: policy, Mirror: mirror})
	noErr(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

// seq is [from, from+n) as float32 (exact below 2^24).
func seq(from, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(from + i)
	}
	return out
}

func wantSamples(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d samples %v, want %d %v", what, len(got), got, len(want), want)
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: sample %d = %v, want %v (got %v)", what, i, got[i], want[i], got)
		}
	}
}

func wantSizes(t *testing.T, r *RingBuffer, size, space int) {
	t.Helper()
	if r.Size() != size || r.Space() != space {
		t.Fatalf("size %d space %d, want %d and %d", r.Size(), r.Space(), size, space)
	}
}

func TestRingBasics(t *testing.T) {
	r := newRing(t, 10, RingReject, MirrorOff)
	if r.Capacity() != 10 || r.Policy() != RingReject || r.IsMirrored() || r.Dropped() != 0 {
		t.Fatalf("capacity %d policy %d mirrored %v dropped %d", r.Capacity(), r.Policy(), r.IsMirrored(), r.Dropped())
	}
	wantSizes(t, r, 0, 10)
	noErr(t, r.Append(seq(0, 4)))
	noErr(t, r.Append(nil))
	noErr(t, r.Append(seq(4, 3)))
	wantSizes(t, r, 7, 3)

	// Read copies without consuming
	buf := make([]float32, 5)
	noErr(t, r.Read(buf))
	wantSamples(t, "read", buf, seq(0, 5))
	wantSizes(t, r, 7, 3)
	noErr(t, r.Read(nil))
	// Consume discards the oldest
	noErr(t, r.Consume(2))
	noErr(t, r.Consume(0))
	wantSizes(t, r, 5, 5)
	// ReadLatest: the newest, oldest first
	latest := make([]float32, 3)
	noErr(t, r.ReadLatest(latest))
	wantSamples(t, "latest", latest, seq(4, 3))
	// ReadAll and ReadAllInto
	all, err := r.ReadAll()
	noErr(t, err)
	wantSamples(t, "all", all, seq(2, 5))
	into := make([]float32, 8)
	n, err := r.ReadAllInto(into)
	noErr(t, err)
	wantSamples(t, "all into", into[:n], seq(2, 5))
	// Pop moves up to len(dst)
	pop := make([]float32, 3)
	n, err = r.Pop(pop)
	noErr(t, err)
	wantSamples(t, "pop", pop[:n], seq(2, 3))
	n, err = r.Pop(make([]float32, 10))
	noErr(t, err)
	if n != 2 {
		t.Fatalf("pop of the rest: %d", n)
	}
	wantSizes(t, r, 0, 10)
	// Clear
	noErr(t, r.Append(seq(0, 6)))
	noErr(t, r.Clear())
	wantSizes(t, r, 0, 10)
	all, err = r.ReadAll()
	noErr(t, err)
	if all == nil || len(all) != 0 {
		t.Fatalf("ReadAll of an empty ring: %v", all)
	}
	if r.Dropped() != 0 {
		t.Fatalf("dropped %d under REJECT", r.Dropped())
	}
}

// Many laps around a capacity that is not a power of two.
func TestRingWrapAround(t *testing.T) {
	for _, m := range []RingMirror{MirrorOff, MirrorOn} {
		r := newRing(t, 1000, RingReject, m)
		next, want := 0, 0
		buf := make([]float32, 777)
		for lap := 0; lap < 40; lap++ {
			k := 1 + (lap*397)%(r.Space())
			noErr(t, r.Append(seq(next, k)))
			next += k
			n, err := r.Pop(buf[:1+(lap*131)%len(buf)])
			noErr(t, err)
			wantSamples(t, fmt.Sprintf("mirror %d lap %d", m, lap), buf[:n], seq(want, n))
			want += n
		}
		rest, err := r.ReadAll()
		noErr(t, err)
		wantSamples(t, "rest", rest, seq(want, next-want))
	}
}

func TestRingRejectFull(t *testing.T) {
	r := newRing(t, 8, RingReject, MirrorOff)
	noErr(t, r.Append(seq(0, 6)))
	wantErr(t, r.Append(seq(6, 3)), ErrFull, "core_ring_append_f32", "does not fit")
	wantErr(t, r.AppendInt16([]int16{1, 2, 3}), ErrFull, "core_ring_append_i16")
	wantErr(t, r.Append(seq(0, 9)), ErrFull, "can never fit")
	// nothing was written: the caller keeps its data
	all, err := r.ReadAll()
	noErr(t, err)
	wantSamples(t, "after rejected appends", all, seq(0, 6))
	noErr(t, r.Append(seq(6, 2)))
	wantSizes(t, r, 8, 0)
	wantErr(t, r.Append(seq(0, 1)), ErrFull)
	if r.Dropped() != 0 {
		t.Fatal("REJECT dropped samples")
	}
}

func TestRingEmpty(t *testing.T) {
	r := newRing(t, 8, RingReject, MirrorOff)
	n, err := r.Pop(make([]float32, 4))
	wantErr(t, err, ErrEmpty, "core_ring_pop")
	if n != 0 {
		t.Fatalf("pop from empty: %d", n)
	}
	n, err = r.Pop(nil)
	noErr(t, err)
	if n != 0 {
		t.Fatalf("pop of nothing: %d", n)
	}
	noErr(t, r.Append(seq(0, 3)))
	wantErr(t, r.Read(make([]float32, 4)), ErrEmpty, "core_ring_read", "only 3 readable")
	wantErr(t, r.ReadLatest(make([]float32, 4)), ErrEmpty, "core_ring_read_latest")
	wantErr(t, r.Consume(4), ErrEmpty, "core_ring_consume")
	wantErr(t, r.Read(make([]float32, 9)), ErrEmpty, "never readable")
	wantErr(t, r.Consume(-1), ErrInvalidArgument, "n = -1")
	// nothing consumed
	wantSizes(t, r, 3, 5)
	n, err = r.ReadAllInto(make([]float32, 2))
	wantErr(t, err, ErrBufferTooSmall, "core_ring_read_all")
	if n != 3 {
		t.Fatalf("ReadAllInto too small: needs %d, want 3", n)
	}
	n, err = r.ReadAllInto(nil)
	wantErr(t, err, ErrBufferTooSmall)
	if n != 3 {
		t.Fatalf("ReadAllInto(nil): needs %d", n)
	}
}

func TestRingOverwrite(t *testing.T) {
	r := newRing(t, 8, RingOverwrite, MirrorOff)
	if r.Policy() != RingOverwrite {
		t.Fatalf("policy %d", r.Policy())
	}
	noErr(t, r.Append(seq(0, 6)))
	noErr(t, r.Append(seq(6, 5))) // 3 oldest dropped
	if r.Dropped() != 3 {
		t.Fatalf("dropped %d, want 3", r.Dropped())
	}
	all, err := r.ReadAll()
	noErr(t, err)
	wantSamples(t, "after overwrite", all, seq(3, 8))
	noErr(t, r.Append(seq(11, 20))) // more than the capacity: the last 8 kept
	all, err = r.ReadAll()
	noErr(t, err)
	wantSamples(t, "longer than capacity", all, seq(23, 8))
	if r.Dropped() != 3+8+12 {
		t.Fatalf("dropped %d, want 23", r.Dropped())
	}
	// WaitWritable still waits for space under OVERWRITE
	wantErr(t, r.WaitWritable(1, 0), ErrFull, "core_ring_wait_writable")
	noErr(t, r.Consume(2))
	noErr(t, r.WaitWritable(2, 0))
}

func TestRingAppendInt16(t *testing.T) {
	r := newRing(t, 16, RingReject, MirrorOff)
	pcm := []int16{-32768, -16384, 0, 1, 16384, 32767}
	noErr(t, r.AppendInt16(pcm))
	noErr(t, r.AppendInt16(nil))
	got := make([]float32, len(pcm))
	noErr(t, r.Read(got))
	wantSamples(t, "pcm16", got, []float32{-1, -0.5, 0, 1.0 / 32768, 0.5, 32767.0 / 32768})
	for _, v := range got {
		if v < -1 || v >= 1 {
			t.Fatalf("%v outside [-1, 1)", v)
		}
	}
	// append_f32 is bit for bit, NaN payloads and out-of-range values too
	odd := []float32{math.Float32frombits(0x7fc00123), float32(math.Inf(-1)), 3.5, -0.0}
	noErr(t, r.Consume(len(pcm)))
	noErr(t, r.Append(odd))
	back := make([]float32, len(odd))
	noErr(t, r.Read(back))
	wantSamples(t, "bit for bit", back, odd)
}

func TestRingView(t *testing.T) {
	r := newRing(t, 8, RingReject, MirrorOff)
	// empty ring: two empty spans
	noErr(t, r.View(func(a, b []float32) int {
		if len(a)+len(b) != 0 {
			t.Errorf("empty ring: %v %v", a, b)
		}
		return 0
	}))
	// wrap the plain buffer: the storage is a power of two (8 here), so
	// 6 appended, 6 consumed, 5 appended wrap at 8
	noErr(t, r.Append(seq(0, 6)))
	noErr(t, r.Consume(6))
	noErr(t, r.Append(seq(6, 5)))
	var joined []float32
	noErr(t, r.View(func(a, b []float32) int {
		if len(b) == 0 {
			t.Errorf("no wrap seen: %v", a)
		}
		if cap(a) != len(a) || cap(b) != len(b) {
			t.Errorf("spans with spare capacity: %d/%d %d/%d", len(a), cap(a), len(b), cap(b))
		}
		joined = append(append(joined, a...), b...)
		return 2
	}))
	wantSamples(t, "two spans", joined, seq(6, 5))
	wantSizes(t, r, 3, 5)
	all, _ := r.ReadAll()
	wantSamples(t, "after view consumed 2", all, seq(8, 3))

	// a count outside [0, size]: an error, nothing consumed
	err := r.View(func(a, b []float32) int { return 4 })
	wantErr(t, err, ErrInvalidArgument, "fn returned 4")
	err = r.View(func(a, b []float32) int { return -1 })
	wantErr(t, err, ErrInvalidArgument, "fn returned -1")
	wantSizes(t, r, 3, 5)

	// from the callback: producer calls and queries work, consumer calls
	// are errors (they would deadlock)
	noErr(t, r.View(func(a, b []float32) int {
		if err := r.Append(seq(11, 1)); err != nil {
			t.Errorf("append from View: %v", err)
		}
		if r.Size() != 4 {
			t.Errorf("size from View: %d", r.Size())
		}
		_, err := r.Pop(make([]float32, 1))
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("pop from View: %v", err)
		}
		if err := r.View(func(a, b []float32) int { return 0 }); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("nested View: %v", err)
		}
		return len(a) + len(b)
	}))
	wantSizes(t, r, 1, 7)

	// a panicking callback releases the consumer side
	func() {
		defer func() {
			if recover() == nil {
				t.Error("no panic")
			}
		}()
		r.View(func(a, b []float32) int { panic("boom") })
	}()
	n, err := r.Pop(make([]float32, 4))
	noErr(t, err)
	if n != 1 {
		t.Fatalf("pop after a panicking View: %d", n)
	}
}

// With the mirror, View sees one contiguous span across the wrap.
func TestRingMirror(t *testing.T) {
	r, err := NewRingBuffer(RingOptions{Capacity: 4096, Mirror: MirrorRequire})
	if errors.Is(err, ErrUnsupported) {
		t.Skipf("no mirror on this system: %v", err)
	}
	noErr(t, err)
	defer r.Close()
	if !r.IsMirrored() {
		t.Fatal("MirrorRequire gave a plain ring")
	}
	next := 0
	for lap := 0; lap < 5; lap++ {
		noErr(t, r.Append(seq(next, 3000)))
		next += 3000
		noErr(t, r.View(func(a, b []float32) int {
			if len(b) != 0 || len(a) != 3000 {
				t.Errorf("lap %d: spans %d and %d", lap, len(a), len(b))
			}
			wantSamples(t, "mirror span", a, seq(next-3000, 3000))
			return len(a)
		}))
	}
	on := newRing(t, 100, RingOverwrite, MirrorOn) // not a page multiple: may fall back
	t.Logf("MirrorOn, capacity 100: mirrored %v", on.IsMirrored())
	noErr(t, on.Append(seq(0, 150)))
	all, err := on.ReadAll()
	noErr(t, err)
	wantSamples(t, "MirrorOn overwrite", all, seq(50, 100))
	off := newRing(t, 4096, RingReject, MirrorOff)
	if off.IsMirrored() {
		t.Fatal("MirrorOff gave a mirrored ring")
	}
}

func TestRingWait(t *testing.T) {
	r := newRing(t, 64, RingReject, MirrorOff)
	wantErr(t, r.WaitReadable(1, 0), ErrEmpty, "core_ring_wait_readable")
	start := time.Now()
	wantErr(t, r.WaitReadable(1, 20*time.Millisecond), ErrEmpty, "timed out")
	if d := time.Since(start); d < 15*time.Millisecond {
		t.Fatalf("a 20 ms wait returned after %v", d)
	}
	// longer than one slice: the binding's own message
	start = time.Now()
	wantErr(t, r.WaitReadable(3, 120*time.Millisecond), ErrEmpty, "timed out after 120ms", "0 of the 3")
	if d := time.Since(start); d < 110*time.Millisecond {
		t.Fatalf("a 120 ms wait returned after %v", d)
	}
	wantErr(t, r.WaitReadable(65, -1), ErrInvalidArgument, "exceeds the capacity")
	wantErr(t, r.WaitWritable(65, time.Second), ErrInvalidArgument, "exceeds the capacity")
	wantErr(t, r.WaitReadable(-1, 0), ErrInvalidArgument, "n = -1")
	wantErr(t, r.WaitWritable(-2, 0), ErrInvalidArgument, "n = -2")
	noErr(t, r.WaitWritable(64, 0))
	noErr(t, r.Append(seq(0, 60)))
	wantErr(t, r.WaitWritable(5, 10*time.Millisecond), ErrFull, "core_ring_wait_writable")
	noErr(t, r.WaitReadable(60, 0))

	// a consumer waiting without limit wakes when the producer appends
	noErr(t, r.Clear())
	done := make(chan error, 1)
	go func() { done <- r.WaitReadable(10, -1) }()
	time.Sleep(70 * time.Millisecond) // past one slice
	noErr(t, r.Append(seq(0, 10)))
	select {
	case err := <-done:
		noErr(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("WaitReadable did not wake")
	}
	// and a producer waiting for space wakes when the consumer pops
	noErr(t, r.Append(seq(10, 54)))
	go func() { done <- r.WaitWritable(20, 5*time.Second) }()
	time.Sleep(20 * time.Millisecond)
	_, err := r.Pop(make([]float32, 30))
	noErr(t, err)
	select {
	case err := <-done:
		noErr(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("WaitWritable did not wake")
	}
}

func TestRingCreateErrors(t *testing.T) {
	for _, c := range []struct {
		o   RingOptions
		st  Status
		msg string
	}{
		{RingOptions{Capacity: 0}, ErrInvalidArgument, "capacity must be > 0"},
		{RingOptions{Capacity: -5}, ErrInvalidArgument, "Capacity = -5"},
		{RingOptions{Capacity: RingMaxCapacity + 1}, ErrInvalidArgument, "CORE_RING_MAX_CAPACITY"},
		{RingOptions{Capacity: 8, Policy: 2}, ErrInvalidArgument, "policy must be"},
		{RingOptions{Capacity: 8, Policy: -1}, ErrInvalidArgument, "policy must be"},
		{RingOptions{Capacity: 8, Mirror: 3}, ErrInvalidArgument, "mirror must be"},
		{RingOptions{Capacity: 8, Policy: 1 << 40}, ErrInvalidArgument, "out of range"},
	} {
		r, err := NewRingBuffer(c.o)
		wantErr(t, err, c.st, c.msg)
		if r != nil {
			t.Fatalf("%+v: a ring with the error", c.o)
		}
	}
}

// Close twice, use after Close, nil rings: errors, never a crash.
func TestRingClose(t *testing.T) {
	r, err := NewRingBuffer(RingOptions{Capacity: 16, Policy: RingOverwrite})
	noErr(t, err)
	noErr(t, r.Append(seq(0, 20)))
	noErr(t, r.Close())
	noErr(t, r.Close())
	buf := make([]float32, 4)
	for name, call := range map[string]func() error{
		"Append":       func() error { return r.Append(buf) },
		"AppendInt16":  func() error { return r.AppendInt16([]int16{1}) },
		"WaitWritable": func() error { return r.WaitWritable(1, -1) },
		"Read":         func() error { return r.Read(buf) },
		"ReadAll":      func() error { _, err := r.ReadAll(); return err },
		"ReadAllInto":  func() error { _, err := r.ReadAllInto(buf); return err },
		"ReadLatest":   func() error { return r.ReadLatest(buf) },
		"View":         func() error { return r.View(func(a, b []float32) int { return 0 }) },
		"Consume":      func() error { return r.Consume(1) },
		"Pop":          func() error { _, err := r.Pop(buf); return err },
		"Clear":        func() error { return r.Clear() },
		"WaitReadable": func() error { return r.WaitReadable(1, -1) },
	} {
		err := call()
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("%s after Close: %v, want ErrClosed", name, err)
		}
		wantErr(t, err, ErrInvalidArgument, "is closed")
	}
	if r.Size() != 0 || r.Space() != 0 || r.Dropped() != 4 || r.Capacity() != 16 || r.Policy() != RingOverwrite {
		t.Fatalf("queries after Close: size %d space %d dropped %d capacity %d policy %d",
			r.Size(), r.Space(), r.Dropped(), r.Capacity(), r.Policy())
	}

	var nilRing *RingBuffer
	noErr(t, nilRing.Close())
	wantErr(t, nilRing.Append(buf), ErrInvalidArgument, "nil *RingBuffer")
	_, err = nilRing.Pop(buf)
	wantErr(t, err, ErrInvalidArgument, "nil *RingBuffer")
	if nilRing.Size() != 0 || nilRing.Space() != 0 || nilRing.Capacity() != 0 || nilRing.Dropped() != 0 ||
		nilRing.IsMirrored() || nilRing.Policy() != RingReject {
		t.Fatal("queries of a nil ring")
	}
}

// Close from another goroutine while both sides sleep without limit: the
// sleepers return ErrClosed within a slice, Close returns.
func TestRingCloseWhileWaiting(t *testing.T) {
	r, err := NewRingBuffer(RingOptions{Capacity: 8})
	noErr(t, err)
	noErr(t, r.Append(seq(0, 8)))
	r2, err := NewRingBuffer(RingOptions{Capacity: 8})
	noErr(t, err)
	errs := make(chan error, 2)
	go func() { errs <- r.WaitWritable(4, -1) }()   // full: sleeps
	go func() { errs <- r2.WaitReadable(4, -1) }() // empty: sleeps
	time.Sleep(30 * time.Millisecond)
	start := time.Now()
	noErr(t, r.Close())
	noErr(t, r2.Close())
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %v", d)
	}
	for i := 0; i < 2; i++ {
		select {
		case err := <-errs:
			if !errors.Is(err, ErrClosed) {
				t.Fatalf("a waiter got %v, want ErrClosed", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a waiter did not return after Close")
		}
	}
}

// Close from View's callback, or from another goroutine while it runs,
// takes effect when the callback returns; the spans stay valid until then.
func TestRingCloseDuringView(t *testing.T) {
	r, err := NewRingBuffer(RingOptions{Capacity: 8})
	noErr(t, err)
	noErr(t, r.Append(seq(0, 5)))
	err = r.View(func(a, b []float32) int {
		noErr(t, r.Close())
		wantSamples(t, "span after Close", a, seq(0, 5))
		return 2
	})
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("View after a Close in its callback: %v", err)
	}
	if r.Size() != 0 {
		t.Fatal("the ring survived")
	}

	r, err = NewRingBuffer(RingOptions{Capacity: 8})
	noErr(t, err)
	noErr(t, r.Append(seq(0, 5)))
	inView, closed := make(chan struct{}), make(chan struct{})
	go func() {
		<-inView
		r.Close()
		close(closed)
	}()
	err = r.View(func(a, b []float32) int {
		close(inView)
		<-closed // Close returned while the callback still runs
		wantSamples(t, "span during Close", a, seq(0, 5))
		return 0
	})
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("View with a concurrent Close: %v", err)
	}
	noErr(t, r.Close())
}

// Rings dropped without Close are released by their finalizer.
func TestRingFinalizer(t *testing.T) {
	for i := 0; i < 50; i++ {
		r, err := NewRingBuffer(RingOptions{Capacity: 1 << 16, Mirror: MirrorOn})
		noErr(t, err)
		noErr(t, r.Append(seq(0, 100)))
	}
	runtime.GC()
	runtime.GC()
}

// One producer goroutine, one consumer goroutine, sequence numbers through
// a small ring. REJECT: the consumer sees exactly the sequence produced.
// OVERWRITE: an increasing subsequence; with Pop only, its gaps add up to
// Dropped exactly (every sample is popped once or dropped once). Samples
// shown by Read or View and then consumed may also be counted as dropped
// (include/core/ring.h, core_ring_consume), so with those the gaps are at
// most Dropped.
func TestRingProducerConsumer(t *testing.T) {
	const total = 1 << 21 // exact in float32 (< 2^24)
	for _, c := range []struct {
		name    string
		policy  RingPolicy
		mirror  RingMirror
		popOnly bool
	}{{"reject", RingReject, MirrorOff, false}, {"reject_mirror", RingReject, MirrorOn, false},
		{"overwrite_pop", RingOverwrite, MirrorOff, true}, {"overwrite_pop_mirror", RingOverwrite, MirrorOn, true},
		{"overwrite_mixed", RingOverwrite, MirrorOff, false}} {
		t.Run(c.name, func(t *testing.T) {
			r := newRing(t, 4096, c.policy, c.mirror)
			var wg sync.WaitGroup
			var perr error
			var producerDone int32
			wg.Add(1)
			go func() { // producer
				defer wg.Done()
				defer atomic.StoreInt32(&producerDone, 1)
				g := lcg(99)
				for next := 0; next < total; {
					k := 1 + int(g.uniform()*700)
					if k > total-next {
						k = total - next
					}
					chunk := seq(next, k)
					for {
						err := r.Append(chunk)
						if err == nil {
							break
						}
						if !errors.Is(err, ErrFull) {
							perr = err
							return
						}
						if err := r.WaitWritable(k, time.Second); err != nil && !errors.Is(err, ErrFull) {
							perr = err
							return
						}
					}
					next += k
				}
			}()

			// consumer (this goroutine): Pop, View and Read+Consume in turn
			g := lcg(7)
			buf := make([]float32, 1024)
			last, gaps, seen := -1, uint64(0), 0
			check := func(v float32) bool {
				i := int(v)
				if float32(i) != v || i <= last || (c.policy == RingReject && i != last+1) {
					t.Errorf("after %d: got %v", last, v)
					return false
				}
				gaps += uint64(i - last - 1)
				last = i
				seen++
				return true
			}
			deadline := time.Now().Add(20 * time.Second)
			for last < total-1 {
				if time.Now().After(deadline) {
					t.Fatalf("stuck at %d (dropped %d)", last, r.Dropped())
				}
				if atomic.LoadInt32(&producerDone) != 0 && r.Size() == 0 {
					break // OVERWRITE may have dropped the tail's start; all is in
				}
				if err := r.WaitReadable(1, 100*time.Millisecond); err != nil {
					if errors.Is(err, ErrEmpty) {
						continue
					}
					t.Fatal(err)
				}
				ok := true
				mode := int(g.uniform() * 3)
				if c.popOnly {
					mode = 0
				}
				switch mode {
				case 0:
					n, err := r.Pop(buf[:1+int(g.uniform()*float64(len(buf)-1))])
					if err != nil && !errors.Is(err, ErrEmpty) {
						t.Fatal(err)
					}
					for _, v := range buf[:n] {
						ok = ok && check(v)
					}
				case 1:
					err := r.View(func(a, b []float32) int {
						k := 0
						for _, s := range [][]float32{a, b} {
							for _, v := range s {
								if k == 600 || !ok {
									return k
								}
								ok = check(v)
								k++
							}
						}
						return k
					})
					if err != nil {
						t.Fatal(err)
					}
				case 2:
					n := r.Size()
					if n > len(buf) {
						n = len(buf)
					}
					if err := r.Read(buf[:n]); err != nil {
						t.Fatal(err)
					}
					// under OVERWRITE, Consume(n) after Read consumes exactly
					// those n (some may since count as dropped instead)
					for _, v := range buf[:n] {
						ok = ok && check(v)
					}
					if err := r.Consume(n); err != nil && !(c.policy == RingOverwrite && errors.Is(err, ErrEmpty)) {
						t.Fatal(err)
					}
				}
				if !ok {
					t.FailNow()
				}
			}
			wg.Wait()
			if perr != nil {
				t.Fatal(perr)
			}
			if rest, err := r.ReadAll(); err != nil || len(rest) != 0 {
				t.Fatalf("left in the ring: %d (%v)", len(rest), err)
			}
			dropped := r.Dropped()
			gaps += uint64(total - 1 - last)
			t.Logf("%d samples seen, %d dropped, last %d", seen, dropped, last)
			if c.policy == RingReject && (seen != total || dropped != 0) {
				t.Fatalf("REJECT: %d seen of %d, %d dropped", seen, total, dropped)
			}
			if c.policy == RingOverwrite && c.popOnly && gaps != dropped {
				t.Fatalf("OVERWRITE: the gaps add up to %d, dropped says %d", gaps, dropped)
			}
			if c.policy == RingOverwrite && gaps > dropped {
				t.Fatalf("OVERWRITE: the gaps add up to %d, more than dropped, %d", gaps, dropped)
			}
		})
	}
}
