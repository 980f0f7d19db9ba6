package core

import (
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// BatcherMaxBuckets is the most length buckets a Batcher takes
// (CORE_BATCHER_MAX_BUCKETS).
const BatcherMaxBuckets = 16

// BatcherOptions are the options of NewBatcher (core_batcher_options_t).
// Start from DefaultBatcherOptions (libcore's defaults: batches of 8, 50 ms
// longest wait, one bucket), then change fields.
type BatcherOptions struct {
	// MaxBatch is the most items per batch (>= 1).
	MaxBatch int
	// MaxDelay is the longest an item waits before its bucket's batch is
	// released, rounded up to whole milliseconds; 0: every item is released
	// at the next call of Next.
	MaxDelay time.Duration
	// BucketBounds are the ascending, inclusive upper length bounds of the
	// first len(BucketBounds) buckets; one more bucket takes the longer
	// items. nil: one bucket. At most BatcherMaxBuckets-1 bounds.
	BucketBounds []uint64
	// Clock, when not nil, replaces CLOCK_MONOTONIC (for tests: a fake
	// clock): nanoseconds since any fixed epoch. The binding never lets it
	// go backwards. It is called from the goroutine of the Batcher call
	// that needs the time, with the Batcher locked: it must be quick and
	// must not call the Batcher (that deadlocks). A panic in it is
	// recovered (the last time is used again).
	Clock func() time.Duration
}

// batcherOptions has the layout of core_batcher_options_t (checked below).
type batcherOptions struct {
	structSize   uint64
	maxBatch     uint64
	maxDelayMs   uint32
	nBuckets     uint64
	bucketBounds [BatcherMaxBuckets]uint64
	clock        uintptr // set in C by core_go_batcher_create
	clockUser    uintptr
}

func _() {
	var x [1]struct{}
	var o batcherOptions
	_ = x[capi.BatcherOptionsSize-unsafe.Sizeof(o)]
	_ = x[unsafe.Sizeof(o)-capi.BatcherOptionsSize]
	_ = x[capi.BatcherOptionsOffSize-unsafe.Offsetof(o.structSize)]
	_ = x[capi.BatcherOptionsOffMaxBatch-unsafe.Offsetof(o.maxBatch)]
	_ = x[capi.BatcherOptionsOffDelay-unsafe.Offsetof(o.maxDelayMs)]
	_ = x[capi.BatcherOptionsOffNBuckets-unsafe.Offsetof(o.nBuckets)]
	_ = x[capi.BatcherOptionsOffBounds-unsafe.Offsetof(o.bucketBounds)]
	_ = x[capi.BatcherOptionsOffClock-unsafe.Offsetof(o.clock)]
	_ = x[capi.BatcherOptionsOffClockUser-unsafe.Offsetof(o.clockUser)]
	_ = x[capi.BatcherOptionsMaxBatchSize-unsafe.Sizeof(o.maxBatch)]
	_ = x[capi.BatcherOptionsDelaySize-unsafe.Sizeof(o.maxDelayMs)]
	_ = x[capi.BatcherOptionsNBucketsSize-unsafe.Sizeof(o.nBuckets)]
	_ = x[capi.BatcherOptionsBoundsSize-unsafe.Sizeof(o.bucketBounds)]
	_ = x[capi.BatcherMaxBuckets-BatcherMaxBuckets]
	_ = x[BatcherMaxBuckets-capi.BatcherMaxBuckets]
}

func (o *batcherOptions) goOptions() BatcherOptions {
	r := BatcherOptions{
		MaxBatch: int(o.maxBatch),
		MaxDelay: time.Duration(o.maxDelayMs) * time.Millisecond,
	}
	if o.nBuckets > 1 {
		r.BucketBounds = append([]uint64(nil), o.bucketBounds[:o.nBuckets-1]...)
	}
	return r
}

// DefaultBatcherOptions returns libcore's defaults, as
// core_batcher_options_init fills them.
func DefaultBatcherOptions() BatcherOptions {
	o := new(batcherOptions)
	if r := capi.Core_batcher_options_init(unsafe.Pointer(o)); r != 0 {
		panic(fail("core.DefaultBatcherOptions", r)) // only for NULL: a binding bug
	}
	return o.goOptions()
}

// cOptions fills the C layout: libcore's defaults first, then opts.
func (opts BatcherOptions) cOptions(op string) (*batcherOptions, error) {
	if err := checkSize(op, "MaxBatch", opts.MaxBatch); err != nil {
		return nil, err
	}
	if opts.MaxDelay < 0 {
		return nil, argError(op, ErrInvalidArgument, "MaxDelay = %v is negative", opts.MaxDelay)
	}
	ms := (opts.MaxDelay + time.Millisecond - 1) / time.Millisecond
	if ms > 1<<32-1 {
		return nil, argError(op, ErrInvalidArgument, "MaxDelay = %v is too long", opts.MaxDelay)
	}
	if len(opts.BucketBounds) > BatcherMaxBuckets-1 {
		return nil, argError(op, ErrInvalidArgument, "%d BucketBounds: at most %d (%d buckets)",
			len(opts.BucketBounds), BatcherMaxBuckets-1, BatcherMaxBuckets)
	}
	o := new(batcherOptions)
	if r := capi.Core_batcher_options_init(unsafe.Pointer(o)); r != 0 {
		return nil, fail(op, r)
	}
	o.maxBatch = uint64(opts.MaxBatch)
	o.maxDelayMs = uint32(ms)
	o.nBuckets = 0
	if len(opts.BucketBounds) > 0 {
		o.nBuckets = uint64(len(opts.BucketBounds) + 1)
		copy(o.bucketBounds[:], opts.BucketBounds)
	}
	return o, nil
}

// Batcher is libcore's generic dynamic batcher (core_batcher_t): items (an
// id and a length) wait in length buckets; a bucket's batch is released
// when it holds MaxBatch items, when its oldest item has waited MaxDelay,
// or after Flush. Use it to batch encoder calls yourself (the Pipeline's
// Go encoder is called one window at a time).
//
// # Goroutines and Close
//
// libcore lets one thread at a time use a batcher; the binding serializes
// the methods with a mutex. Close (idempotent, also on a nil *Batcher)
// waits for the call in progress, then releases the C batcher
// (core_batcher_destroy); every call after Close returns an error matching
// ErrClosed (and ErrInvalidArgument). A finalizer closes a lost batcher,
// but call Close.
type Batcher struct {
	mu       sync.Mutex
	b        uintptr // 0 once closed
	clock    cgo.Handle
	maxBatch int
	nBuckets int
	ids      []uint64 // Next's buffer, MaxBatch ids
	out      *batcherOut
}

// batcherOut holds the scalar out-parameters (Go memory without Go
// pointers, guarded by the mutex).
type batcherOut struct {
	count  [1]uint64
	bucket [1]uint64
	ns     [1]uint64
}

const batcherName = "Batcher"

// NewBatcher creates a batcher (core_batcher_create). ErrInvalidArgument
// for MaxBatch 0, more than BatcherMaxBuckets-1 bounds or bounds not
// strictly ascending (libcore's message names the option).
func NewBatcher(opts BatcherOptions) (*Batcher, error) {
	const op = "core.NewBatcher"
	o, err := opts.cOptions(op)
	if err != nil {
		return nil, err
	}
	var h cgo.Handle
	if opts.Clock != nil {
		var last uint64
		clock := opts.Clock
		h = cgo.NewHandle(func() (ns uint64) {
			defer func() {
				if recover() != nil {
					ns = last
				}
			}()
			if d := clock(); d > 0 && uint64(d) > last {
				last = uint64(d)
			}
			return last
		})
	}
	var out [1]uintptr
	if r := capi.Core_go_batcher_create(unsafe.Pointer(o), uintptr(h), out[:]); r != 0 {
		if h != 0 {
			h.Delete()
		}
		return nil, fail(op, r)
	}
	nb := int(o.nBuckets)
	if nb == 0 {
		nb = 1
	}
	b := &Batcher{b: out[0], clock: h, maxBatch: opts.MaxBatch, nBuckets: nb,
		ids: make([]uint64, opts.MaxBatch), out: new(batcherOut)}
	runtime.SetFinalizer(b, (*Batcher).Close)
	return b, nil
}

// Close releases the batcher (see the type's documentation). Always nil:
// the error is there for io.Closer.
func (b *Batcher) Close() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	if b.b != 0 {
		runtime.SetFinalizer(b, nil)
		capi.Core_batcher_destroy(b.b)
		b.b = 0
		if b.clock != 0 {
			b.clock.Delete()
			b.clock = 0
		}
	}
	b.mu.Unlock()
	return nil
}

// lock locks the batcher and returns its handle; on error it is not locked.
func (b *Batcher) lock(op string) (uintptr, error) {
	if b == nil {
		return 0, argError(op, ErrInvalidArgument, "nil *Batcher")
	}
	b.mu.Lock()
	if b.b == 0 {
		b.mu.Unlock()
		return 0, closedError(op, batcherName)
	}
	return b.b, nil
}

// Buckets is the number of length buckets (len(BucketBounds) + 1).
func (b *Batcher) Buckets() int {
	if b == nil {
		return 0
	}
	return b.nBuckets
}

// Add adds an item, stamped with the clock (core_batcher_add): its bucket
// is the first whose bound is >= length. The id is the caller's, handed
// back by Next (duplicates are allowed).
func (b *Batcher) Add(id, length uint64) error {
	const op = "core.Batcher.Add"
	h, err := b.lock(op)
	if err != nil {
		return err
	}
	r := capi.Core_batcher_add(h, id, length)
	b.mu.Unlock()
	return check(op, r)
}

// Next returns the next released batch (core_batcher_next), oldest first:
// up to MaxBatch ids of one bucket in arrival order, and the bucket's
// index. ok is false, with a nil error, when no batch is due now (none
// full, none timed out, nothing flushed): call again after more Adds or
// after NextDeadline. ids is a new slice.
func (b *Batcher) Next() (ids []uint64, bucket int, ok bool, err error) {
	const op = "core.Batcher.Next"
	h, err := b.lock(op)
	if err != nil {
		return nil, 0, false, err
	}
	defer b.mu.Unlock()
	r := capi.Core_batcher_next(h, b.ids, int64(len(b.ids)), b.out.count[:], b.out.bucket[:])
	if r != 0 {
		return nil, 0, false, emptyIsFalse(op, r)
	}
	n := b.out.count[0]
	return append([]uint64(nil), b.ids[:n]...), int(b.out.bucket[0]), true, nil
}

// Flush makes every waiting item due (core_batcher_flush): the following
// Next calls release them, in batches of at most MaxBatch. Items added
// afterwards wait as usual.
func (b *Batcher) Flush() error {
	const op = "core.Batcher.Flush"
	h, err := b.lock(op)
	if err != nil {
		return err
	}
	r := capi.Core_batcher_flush(h)
	b.mu.Unlock()
	return check(op, r)
}

// Pending is the number of items waiting, due or not
// (core_batcher_pending); 0 after Close.
func (b *Batcher) Pending() int {
	h, err := b.lock("core.Batcher.Pending")
	if err != nil {
		return 0
	}
	n := capi.Core_batcher_pending(h)
	b.mu.Unlock()
	return int(n)
}

// NextDeadline is the time from now (the batcher's clock) until the
// oldest waiting item times out, 0 when a batch is due now
// (core_batcher_next_deadline): how long a consumer may sleep before its
// next Next. ok is false, with a nil error, when nothing waits.
func (b *Batcher) NextDeadline() (d time.Duration, ok bool, err error) {
	const op = "core.Batcher.NextDeadline"
	h, err := b.lock(op)
	if err != nil {
		return 0, false, err
	}
	r := capi.Core_batcher_next_deadline(h, b.out.ns[:])
	ns := b.out.ns[0]
	b.mu.Unlock()
	if r != 0 {
		return 0, false, emptyIsFalse(op, r)
	}
	if ns > uint64(1<<63-1) {
		ns = 1<<63 - 1
	}
	return time.Duration(ns), true, nil
}
