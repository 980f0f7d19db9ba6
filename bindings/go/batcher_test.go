package core

import (
	"testing"
	"time"
)

// batcherClock is a settable clock for the Batcher.
type batcherClock struct{ now time.Duration }

func (c *batcherClock) clock() time.Duration { return c.now }

func newBatcher(t *testing.T, o BatcherOptions) *Batcher {
	t.Helper()
	b, err := NewBatcher(o)
	noErr(t, err)
	t.Cleanup(func() { b.Close() })
	return b
}

func sameIDs(t *testing.T, what string, got, want []uint64) {
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

func TestBatcherOptions(t *testing.T) {
	d := DefaultBatcherOptions()
	if d.MaxBatch != 8 || d.MaxDelay != 50*time.Millisecond || d.BucketBounds != nil || d.Clock != nil {
		t.Fatalf("DefaultBatcherOptions() = %+v", d)
	}
	o := d
	o.MaxBatch = 0
	_, err := NewBatcher(o)
	wantErr(t, err, ErrInvalidArgument, "core_batcher_create")
	o = d
	o.BucketBounds = []uint64{10, 5}
	_, err = NewBatcher(o)
	wantErr(t, err, ErrInvalidArgument, "core_batcher_create")
	o.BucketBounds = make([]uint64, BatcherMaxBuckets)
	_, err = NewBatcher(o)
	wantErr(t, err, ErrInvalidArgument, "BucketBounds")
	o = d
	o.MaxDelay = -time.Millisecond
	_, err = NewBatcher(o)
	wantErr(t, err, ErrInvalidArgument, "MaxDelay")
}

// Released at MaxBatch, then on Flush; not before.
func TestBatcherMaxBatchAndFlush(t *testing.T) {
	c := &batcherClock{now: time.Second}
	o := DefaultBatcherOptions()
	o.MaxBatch = 3
	o.Clock = c.clock
	b := newBatcher(t, o)
	for id := uint64(0); id < 2; id++ {
		noErr(t, b.Add(id, 100))
	}
	if _, _, ok, err := b.Next(); ok || err != nil {
		t.Fatalf("2 of 3: ok %v, err %v", ok, err)
	}
	noErr(t, b.Add(2, 100))
	noErr(t, b.Add(3, 100))
	ids, bucket, ok, err := b.Next()
	noErr(t, err)
	if !ok || bucket != 0 {
		t.Fatalf("ok %v bucket %d", ok, bucket)
	}
	sameIDs(t, "full batch", ids, []uint64{0, 1, 2})
	if b.Pending() != 1 {
		t.Fatalf("Pending() = %d", b.Pending())
	}
	if _, _, ok, _ := b.Next(); ok {
		t.Fatal("one item released before its deadline")
	}
	noErr(t, b.Flush())
	ids, _, ok, err = b.Next()
	noErr(t, err)
	if !ok {
		t.Fatal("flush released nothing")
	}
	sameIDs(t, "flushed", ids, []uint64{3})
	if b.Pending() != 0 {
		t.Fatalf("Pending() = %d", b.Pending())
	}
	if _, ok, err := b.NextDeadline(); ok || err != nil {
		t.Fatalf("nothing waits: ok %v, err %v", ok, err)
	}
}

// MaxDelay on the fake clock, with NextDeadline.
func TestBatcherDelay(t *testing.T) {
	c := &batcherClock{now: time.Second}
	o := DefaultBatcherOptions()
	o.Clock = c.clock
	b := newBatcher(t, o)
	noErr(t, b.Add(7, 1))
	d, ok, err := b.NextDeadline()
	noErr(t, err)
	if !ok || d != 50*time.Millisecond {
		t.Fatalf("deadline %v, ok %v", d, ok)
	}
	c.now += 49 * time.Millisecond
	if _, _, ok, _ := b.Next(); ok {
		t.Fatal("released at 49 ms")
	}
	d, _, _ = b.NextDeadline()
	if d != time.Millisecond {
		t.Fatalf("deadline %v, want 1ms", d)
	}
	c.now += time.Millisecond
	d, _, _ = b.NextDeadline()
	if d != 0 {
		t.Fatalf("deadline %v, want 0 (due)", d)
	}
	ids, _, ok, err := b.Next()
	noErr(t, err)
	if !ok {
		t.Fatal("not released at 50 ms")
	}
	sameIDs(t, "timed out", ids, []uint64{7})
}

// Buckets by length: each batch holds one bucket's items, in arrival
// order.
func TestBatcherBuckets(t *testing.T) {
	o := DefaultBatcherOptions()
	o.MaxBatch = 2
	o.BucketBounds = []uint64{10, 100}
	c := &batcherClock{}
	o.Clock = c.clock
	b := newBatcher(t, o)
	if b.Buckets() != 3 {
		t.Fatalf("Buckets() = %d", b.Buckets())
	}
	for _, it := range []struct{ id, length uint64 }{{1, 5}, {2, 500}, {3, 50}, {4, 10}, {5, 1000}, {6, 100}} {
		noErr(t, b.Add(it.id, it.length))
	}
	got := map[int][]uint64{}
	for {
		ids, bucket, ok, err := b.Next()
		noErr(t, err)
		if !ok {
			break
		}
		got[bucket] = append(got[bucket], ids...)
	}
	sameIDs(t, "bucket 0 (<= 10)", got[0], []uint64{1, 4})
	sameIDs(t, "bucket 1 (<= 100)", got[1], []uint64{3, 6})
	sameIDs(t, "bucket 2", got[2], []uint64{2, 5})
}

func TestBatcherClose(t *testing.T) {
	o := DefaultBatcherOptions()
	o.Clock = func() time.Duration { panic("clock") } // recovered: time 0
	b, err := NewBatcher(o)
	noErr(t, err)
	noErr(t, b.Add(1, 1))
	noErr(t, b.Close())
	noErr(t, b.Close())
	wantClosed(t, b.Add(1, 1))
	wantClosed(t, b.Flush())
	_, _, _, err = b.Next()
	wantClosed(t, err)
	_, _, err = b.NextDeadline()
	wantClosed(t, err)
	if b.Pending() != 0 {
		t.Fatal("Pending after Close")
	}
	var nilB *Batcher
	noErr(t, nilB.Close())
	wantErr(t, nilB.Add(1, 1), ErrInvalidArgument, "nil *Batcher")
}
