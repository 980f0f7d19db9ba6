package core

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// The ring buffer (include/core/ring.h): a preallocated float32 ring for
// audio, one producer and one consumer, lock-free, no allocation after
// creation.

// RingPolicy is what an append does when the samples do not fit
// (core_ring_policy).
type RingPolicy int

const (
	// RingReject: an append that does not fit writes nothing and returns
	// ErrFull; the caller still holds its data.
	RingReject RingPolicy = 0
	// RingOverwrite: an append always succeeds; the oldest samples make
	// room and are counted by Dropped.
	RingOverwrite RingPolicy = 1
)

// RingMirror says whether the ring's storage is mapped twice, back to
// back, so that every readable span is contiguous (core_ring_mirror).
type RingMirror int

const (
	// MirrorOff: a plain buffer; View may see two spans.
	MirrorOff RingMirror = 0
	// MirrorOn: mirrored when the system allows (memfd_create and two
	// mmaps), else a plain buffer: ask IsMirrored.
	MirrorOn RingMirror = 1
	// MirrorRequire: mirrored, or NewRingBuffer fails with ErrUnsupported.
	MirrorRequire RingMirror = 2
)

// RingMaxCapacity is the largest capacity accepted, in samples (2^32,
// CORE_RING_MAX_CAPACITY).
const RingMaxCapacity = 1 << 32

// RingOptions are the creation options of a RingBuffer. The zero value of
// Policy and Mirror are libcore's defaults (RingReject, MirrorOff).
type RingOptions struct {
	Capacity int        // samples, 1 .. RingMaxCapacity, honoured exactly
	Policy   RingPolicy // what an append that does not fit does
	Mirror   RingMirror // double mapping for contiguous spans
}

// ringOptions has the layout of core_ring_options_t (checked below), so it
// is handed to core_ring_options_init and core_ring_create as is.
type ringOptions struct {
	structSize uint64
	capacity   uint64
	policy     int32
	mirror     int32
	// Layout 2 (publishing into a metrics registry): not offered by the
	// Go binding yet; left NULL.
	metrics       uintptr
	metricsPrefix uintptr
}

func _() {
	var x [1]struct{}
	var o ringOptions
	_ = x[capi.RingOptionsSize-unsafe.Sizeof(o)]
	_ = x[unsafe.Sizeof(o)-capi.RingOptionsSize]
	_ = x[capi.RingOptionsOffSize-unsafe.Offsetof(o.structSize)]
	_ = x[capi.RingOptionsOffCap-unsafe.Offsetof(o.capacity)]
	_ = x[capi.RingOptionsOffPolicy-unsafe.Offsetof(o.policy)]
	_ = x[capi.RingOptionsOffMirror-unsafe.Offsetof(o.mirror)]
	_ = x[capi.RingOptionsPolicySize-unsafe.Sizeof(o.policy)]
	_ = x[capi.RingOptionsMirrorSize-unsafe.Sizeof(o.mirror)]
	_ = x[capi.RingMaxCapacity-RingMaxCapacity]
	_ = x[RingMaxCapacity-capi.RingMaxCapacity]
}

// RingBuffer is a single-producer, single-consumer float32 ring buffer
// (core_ring_t), for example microphone chunks appended by one goroutine
// and analysis windows read by another. Its memory is C memory, mapped
// and prefaulted by NewRingBuffer; no call allocates after that (except
// ReadAll, which returns a new slice).
//
// # Goroutines
//
// The methods form two sides:
//
//	producer: Append, AppendInt16, WaitWritable
//	consumer: Read, ReadAll, ReadAllInto, ReadLatest, View, Consume, Pop,
//	          Clear, WaitReadable
//	any:      Size, Space, Capacity, Dropped, IsMirrored, Policy, Close
//
// Run the producer methods from one goroutine and the consumer methods
// from one goroutine at a time (they may be the same goroutine); the two
// sides never block each other. The binding also serializes each side
// with a mutex of its own (uncontended in that use, a few ns, and only
// ever touched by that side), so a second producer or consumer goroutine
// waits its turn instead of corrupting the ring. The queries may run in
// any goroutine at any time.
//
// # Close
//
// Close releases the C ring (core_ring_destroy). It is idempotent and may
// be called from any goroutine, also while the other sides are busy: it
// waits for the calls in progress to return (a WaitReadable or
// WaitWritable sleeping without limit notices within 50 ms and returns an
// error matching ErrClosed). After Close every method returns an error
// matching ErrClosed (and ErrInvalidArgument); Size and Space return 0,
// Dropped the count at Close; Capacity, Policy and IsMirrored keep their
// creation values. A finalizer closes a RingBuffer that becomes
// unreachable without Close, but call Close: the Go collector does not see
// the C memory behind it.
type RingBuffer struct {
	cons sync.Mutex // the consumer side; Close takes cons, then prod, then query
	_    [64]byte   // cons and prod on their own cache lines
	prod sync.Mutex // the producer side
	_    [64]byte
	query sync.RWMutex // queries against Close

	ring    uintptr // the C handle; 0 once destroyed (written under all three locks)
	closed  int32   // atomic: Close was called
	viewing int32   // atomic: View's callback is running
	dropped uint64  // Dropped() at Close
	out     *ringOut

	capacity int
	policy   RingPolicy
	mirrored bool
}

// ringOut holds the consumer calls' out-parameters: Go memory without Go
// pointers (regions writes C pointers to p), guarded by the consumer mutex.
type ringOut struct {
	p [2]unsafe.Pointer
	u [2]uint64
}

const ringName = "RingBuffer"

// NewRingBuffer creates a ring of opts.Capacity samples (core_ring_create).
// ErrInvalidArgument for a capacity of 0, negative or above
// RingMaxCapacity, or a Policy or Mirror outside its constants;
// ErrUnsupported for MirrorRequire where the mirror is impossible;
// ErrOutOfMemory when the memory cannot be had.
func NewRingBuffer(opts RingOptions) (*RingBuffer, error) {
	const op = "core.NewRingBuffer"
	if err := checkSize(op, "Capacity", opts.Capacity); err != nil {
		return nil, err
	}
	if int64(opts.Policy) != int64(int32(opts.Policy)) || int64(opts.Mirror) != int64(int32(opts.Mirror)) {
		return nil, argError(op, ErrInvalidArgument, "Policy = %d, Mirror = %d: out of range", opts.Policy, opts.Mirror)
	}
	o := new(ringOptions)
	if r := capi.Core_ring_options_init(unsafe.Pointer(o)); r != 0 {
		return nil, fail(op, r)
	}
	o.capacity = uint64(opts.Capacity)
	o.policy = int32(opts.Policy)
	o.mirror = int32(opts.Mirror)
	var h [1]uintptr
	if r := capi.Core_ring_create(unsafe.Pointer(o), h[:]); r != 0 {
		return nil, fail(op, r)
	}
	rb := &RingBuffer{
		ring:     h[0],
		out:      new(ringOut),
		capacity: int(capi.Core_ring_capacity(h[0])),
		policy:   RingPolicy(capi.Core_ring_get_policy(h[0])),
		mirrored: capi.Core_ring_is_mirrored(h[0]) != 0,
	}
	runtime.SetFinalizer(rb, (*RingBuffer).Close)
	return rb, nil
}

// Close releases the ring (core_ring_destroy). A second Close, and a Close
// of a nil *RingBuffer, do nothing and return nil. Close called from
// View's callback, or while it runs, takes effect when the callback
// returns. Always nil: the error is there for io.Closer.
func (r *RingBuffer) Close() error {
	if r == nil || !atomic.CompareAndSwapInt32(&r.closed, 0, 1) {
		return nil
	}
	runtime.SetFinalizer(r, nil)
	if !r.cons.TryLock() {
		if atomic.LoadInt32(&r.viewing) != 0 {
			// View (maybe this very goroutine, from its callback) holds the
			// consumer side; it destroys the ring when the callback returns
			// (it reads closed after clearing viewing, and we set closed
			// before reading viewing: one of the two sees the other).
			return nil
		}
		r.cons.Lock()
	}
	r.destroy()
	r.cons.Unlock()
	return nil
}

// destroy releases the C ring; the caller holds r.cons.
func (r *RingBuffer) destroy() {
	r.prod.Lock()
	r.query.Lock()
	if r.ring != 0 {
		r.dropped = capi.Core_ring_dropped(r.ring)
		capi.Core_ring_destroy(r.ring)
		r.ring = 0
	}
	r.query.Unlock()
	r.prod.Unlock()
}

func nilRing(op string) error {
	return argError(op, ErrInvalidArgument, "nil *RingBuffer")
}

// producer locks the producer side and returns the handle; on error the
// side is not locked.
func (r *RingBuffer) producer(op string) (uintptr, error) {
	if r == nil {
		return 0, nilRing(op)
	}
	r.prod.Lock()
	if r.ring == 0 || atomic.LoadInt32(&r.closed) != 0 {
		r.prod.Unlock()
		return 0, closedError(op, ringName)
	}
	return r.ring, nil
}

// consumer locks the consumer side and returns the handle; on error the
// side is not locked. A consumer call made while View's callback runs
// would wait for the callback, forever if the callback made it: it is an
// error instead.
func (r *RingBuffer) consumer(op string) (uintptr, error) {
	if r == nil {
		return 0, nilRing(op)
	}
	if !r.cons.TryLock() {
		if atomic.LoadInt32(&r.viewing) != 0 {
			return 0, argError(op, ErrInvalidArgument,
				"a consumer call while View's callback runs (from the callback, or a second consumer goroutine)")
		}
		r.cons.Lock()
	}
	if r.ring == 0 || atomic.LoadInt32(&r.closed) != 0 {
		r.cons.Unlock()
		return 0, closedError(op, ringName)
	}
	return r.ring, nil
}

// ---- producer side -----------------------------------------------------------

// Append appends x (core_ring_append_f32), bit for bit. RingReject: all of
// x or nothing; ErrFull when it does not fit now (the message says when it
// never can: len(x) > Capacity). RingOverwrite: always nil; the oldest
// samples make room and count in Dropped (with len(x) > Capacity only the
// last Capacity samples of x are kept). An empty x does nothing. x is read
// during the call only.
func (r *RingBuffer) Append(x []float32) error {
	const op = "core.RingBuffer.Append"
	h, err := r.producer(op)
	if err != nil {
		return err
	}
	res := capi.Core_ring_append_f32(h, x, int64(len(x)))
	r.prod.Unlock()
	return check(op, res)
}

// AppendInt16 appends PCM16 samples converted to float32 on the way in as
// v / 32768, exactly, so every value lies in [-1, 1) (core_ring_append_i16).
// Otherwise as Append.
func (r *RingBuffer) AppendInt16(pcm []int16) error {
	const op = "core.RingBuffer.AppendInt16"
	h, err := r.producer(op)
	if err != nil {
		return err
	}
	res := capi.Core_ring_append_i16(h, pcm, int64(len(pcm)))
	r.prod.Unlock()
	return check(op, res)
}

// WaitWritable sleeps until Space() >= n or the timeout has passed
// (core_ring_wait_writable): nil when the space is there, ErrFull on
// timeout. A negative timeout waits without limit; 0 just tests; others
// are rounded up to whole milliseconds. Under RingOverwrite appends never
// fail, so this only serves a producer that prefers waiting to dropping.
// ErrInvalidArgument for n > Capacity (the wait could never end) or n
// negative. The goroutine sleeps inside C (futex), holding an OS thread;
// the wait is cut into sleeps of at most 50 ms so that Close is noticed.
func (r *RingBuffer) WaitWritable(n int, timeout time.Duration) error {
	const op = "core.RingBuffer.WaitWritable"
	if err := checkSize(op, "n", n); err != nil {
		return err
	}
	h, err := r.producer(op)
	if err != nil {
		return err
	}
	defer r.prod.Unlock()
	return r.wait(op, h, n, timeout, capi.Core_ring_wait_writable, ErrFull, "free")
}

// ---- consumer side -----------------------------------------------------------

// Read copies the len(dst) oldest samples to dst without consuming them
// (core_ring_read). ErrEmpty when fewer are readable (nothing copied). A
// later Consume(k) consumes the first k of exactly these samples.
func (r *RingBuffer) Read(dst []float32) error {
	const op = "core.RingBuffer.Read"
	h, err := r.consumer(op)
	if err != nil {
		return err
	}
	res := capi.Core_ring_read(h, dst, int64(len(dst)))
	r.cons.Unlock()
	return check(op, res)
}

// ReadAll returns a copy of every readable sample, oldest first, without
// consuming them (core_ring_read_all); an empty ring gives an empty slice.
// It allocates the slice (ReadAllInto does not).
func (r *RingBuffer) ReadAll() ([]float32, error) {
	const op = "core.RingBuffer.ReadAll"
	h, err := r.consumer(op)
	if err != nil {
		return nil, err
	}
	defer r.cons.Unlock()
	// The producer may append between the size and the copy: then read_all
	// says how many it needs; a second retry takes the whole capacity.
	n := uint64(capi.Core_ring_size(h))
	for try := 0; ; try++ {
		out := make([]float32, n)
		res := capi.Core_ring_read_all(h, out, int64(len(out)), r.out.u[:1])
		if res == 0 {
			return out[:r.out.u[0]], nil
		}
		err := fail(op, res)
		if err.(*Error).Status != ErrBufferTooSmall {
			return nil, err
		}
		n = r.out.u[0]
		if try > 0 {
			n = uint64(r.capacity)
		}
	}
}

// ReadAllInto copies every readable sample to dst without consuming them
// and returns their number (core_ring_read_all). When more than len(dst)
// are readable: ErrBufferTooSmall, nothing copied, and the number returned
// is the count needed.
func (r *RingBuffer) ReadAllInto(dst []float32) (int, error) {
	const op = "core.RingBuffer.ReadAllInto"
	h, err := r.consumer(op)
	if err != nil {
		return 0, err
	}
	res := capi.Core_ring_read_all(h, dst, int64(len(dst)), r.out.u[:1])
	n := int(r.out.u[0])
	r.cons.Unlock()
	if res == 0 {
		return n, nil
	}
	err = fail(op, res)
	if err.(*Error).Status == ErrBufferTooSmall {
		return n, err
	}
	return 0, err
}

// ReadLatest copies the len(dst) newest samples (the last len(dst) / rate
// seconds of audio) to dst, oldest first, without consuming anything
// (core_ring_read_latest). ErrEmpty when fewer are readable.
func (r *RingBuffer) ReadLatest(dst []float32) error {
	const op = "core.RingBuffer.ReadLatest"
	h, err := r.consumer(op)
	if err != nil {
		return err
	}
	res := capi.Core_ring_read_latest(h, dst, int64(len(dst)))
	r.cons.Unlock()
	return check(op, res)
}

// View is the zero-copy read (core_ring_regions, like JACK's read vector):
// it calls fn with the readable samples, oldest first, as the slices first
// and second over the ring's own C memory (second is empty when the
// samples do not wrap, and always with the mirror: one contiguous span),
// then consumes the number of samples fn returns (0 keeps them all; at
// most len(first)+len(second), else ErrInvalidArgument and nothing is
// consumed).
//
// The slices are valid only while fn runs: do not keep them, or slices of
// them, after fn returns (copy what you need), and do not write to them.
// While fn runs the samples stay unchanged, also under RingOverwrite; a
// producer that meanwhile appends more than Capacity samples drops the
// newest ones of its appends instead (counted in Dropped), so keep fn
// short. fn runs with the consumer side held: it may call producer methods
// and queries, but a consumer method called from fn returns an error
// (ErrInvalidArgument), and Close takes effect after fn returns.
func (r *RingBuffer) View(fn func(first, second []float32) (consume int)) error {
	const op = "core.RingBuffer.View"
	h, err := r.consumer(op)
	if err != nil {
		return err
	}
	o := r.out
	res := capi.Core_ring_regions(h, o.p[0:1], o.u[0:1], o.p[1:2], o.u[1:2])
	if res != 0 {
		r.cons.Unlock()
		return fail(op, res)
	}
	first := unsafe.Slice((*float32)(o.p[0]), o.u[0])
	second := unsafe.Slice((*float32)(o.p[1]), o.u[1])
	// No C pointer stays in Go memory past this call: once the ring is
	// unmapped, Go could map its heap there and take it for a bad pointer.
	o.p[0], o.p[1] = nil, nil
	atomic.StoreInt32(&r.viewing, 1)
	defer r.endView()
	k := fn(first, second)
	if atomic.LoadInt32(&r.closed) != 0 {
		return closedError(op, ringName)
	}
	if k < 0 || k > len(first)+len(second) {
		return argError(op, ErrInvalidArgument, "fn returned %d, outside [0, %d]: nothing consumed",
			k, len(first)+len(second))
	}
	if k > 0 {
		return check(op, capi.Core_ring_consume(h, int64(k)))
	}
	return nil
}

// endView ends View, also when its callback panics: the ring is destroyed
// here if Close was called meanwhile.
func (r *RingBuffer) endView() {
	atomic.StoreInt32(&r.viewing, 0)
	if atomic.LoadInt32(&r.closed) != 0 {
		r.destroy()
	}
	r.cons.Unlock()
}

// Consume discards the n oldest samples (core_ring_consume): right after
// Read or ReadAll, the first n samples they showed. ErrEmpty when fewer
// than n are there (nothing consumed); ErrInvalidArgument for n negative.
func (r *RingBuffer) Consume(n int) error {
	const op = "core.RingBuffer.Consume"
	if err := checkSize(op, "n", n); err != nil {
		return err
	}
	h, err := r.consumer(op)
	if err != nil {
		return err
	}
	res := capi.Core_ring_consume(h, int64(n))
	r.cons.Unlock()
	return check(op, res)
}

// Pop moves up to len(dst) of the oldest samples to dst (copy, then
// consume, as one step) and returns their number (core_ring_pop). An empty
// ring gives 0 and ErrEmpty (an empty dst gives 0, nil). Under
// RingOverwrite every sample is either popped or counted in Dropped, never
// both.
func (r *RingBuffer) Pop(dst []float32) (int, error) {
	const op = "core.RingBuffer.Pop"
	h, err := r.consumer(op)
	if err != nil {
		return 0, err
	}
	res := capi.Core_ring_pop(h, dst, int64(len(dst)), r.out.u[:1])
	n := int(r.out.u[0])
	r.cons.Unlock()
	if res != 0 {
		return 0, fail(op, res)
	}
	return n, nil
}

// Clear discards every readable sample, not counted in Dropped
// (core_ring_clear). Samples appended concurrently may or may not survive.
// A consumer method: a producer that wants to clear must ask the consumer.
func (r *RingBuffer) Clear() error {
	const op = "core.RingBuffer.Clear"
	h, err := r.consumer(op)
	if err != nil {
		return err
	}
	res := capi.Core_ring_clear(h)
	r.cons.Unlock()
	return check(op, res)
}

// WaitReadable sleeps until Size() >= n or the timeout has passed
// (core_ring_wait_readable): nil when the samples are there, ErrEmpty on
// timeout. Timeouts and errors as WaitWritable (n > Capacity is
// ErrInvalidArgument).
func (r *RingBuffer) WaitReadable(n int, timeout time.Duration) error {
	const op = "core.RingBuffer.WaitReadable"
	if err := checkSize(op, "n", n); err != nil {
		return err
	}
	h, err := r.consumer(op)
	if err != nil {
		return err
	}
	defer r.cons.Unlock()
	return r.wait(op, h, n, timeout, capi.Core_ring_wait_readable, ErrEmpty, "readable")
}

// ringWaitSlice bounds one sleep in C, so that Close is noticed.
const ringWaitSlice = 50 // ms

// wait runs a wait_* call of the side the caller holds: in one call when
// the timeout is at most one slice, else in slices until the condition
// holds, the deadline passes (timedOut, with a message of its own: the C
// message names the last slice only) or the ring is closed.
func (r *RingBuffer) wait(op string, h uintptr, n int, timeout time.Duration,
	call func(h uintptr, n int64, ms int) int64, timedOut Status, what string) error {
	ms := -1 // no limit: a negative timeout, or one beyond a C int of ms (24 days)
	if timeout >= 0 && timeout <= math.MaxInt32*time.Millisecond {
		ms = int((timeout + time.Millisecond - 1) / time.Millisecond)
	}
	if ms >= 0 && ms <= ringWaitSlice {
		return check(op, call(h, int64(n), ms))
	}
	var deadline time.Time
	if ms > 0 {
		deadline = time.Now().Add(timeout)
	}
	for {
		slice := ringWaitSlice
		if ms > 0 {
			left := time.Until(deadline)
			if left <= 0 {
				return &Error{Op: op, Status: timedOut, Message: fmt.Sprintf(
					"timed out after %v: %d of the %d samples asked for are %s", timeout,
					r.sizeOrSpace(h, timedOut == ErrFull), n, what)}
			}
			if left < ringWaitSlice*time.Millisecond {
				slice = int((left + time.Millisecond - 1) / time.Millisecond)
			}
		}
		res := call(h, int64(n), slice)
		if res == 0 {
			return nil
		}
		err := fail(op, res)
		if err.(*Error).Status != timedOut {
			return err
		}
		if atomic.LoadInt32(&r.closed) != 0 {
			return closedError(op, ringName)
		}
	}
}

func (r *RingBuffer) sizeOrSpace(h uintptr, space bool) uint64 {
	if space {
		return uint64(capi.Core_ring_space(h))
	}
	return uint64(capi.Core_ring_size(h))
}

// ---- queries (any goroutine) -------------------------------------------------

// Size is the number of readable samples now, 0 .. Capacity
// (core_ring_size); 0 after Close.
func (r *RingBuffer) Size() int {
	if r == nil {
		return 0
	}
	r.query.RLock()
	n := capi.Core_ring_size(r.ring) // 0 for the NULL of a closed ring
	r.query.RUnlock()
	return int(n)
}

// Space is Capacity - Size: the samples an append can take now without
// failing (RingReject) or dropping (RingOverwrite) (core_ring_space); 0
// after Close.
func (r *RingBuffer) Space() int {
	if r == nil {
		return 0
	}
	r.query.RLock()
	n := capi.Core_ring_space(r.ring)
	r.query.RUnlock()
	return int(n)
}

// Dropped is the number of samples dropped by RingOverwrite since creation
// (core_ring_dropped; always 0 under RingReject); after Close, the number
// at Close.
func (r *RingBuffer) Dropped() uint64 {
	if r == nil {
		return 0
	}
	r.query.RLock()
	n := r.dropped
	if r.ring != 0 {
		n = capi.Core_ring_dropped(r.ring)
	}
	r.query.RUnlock()
	return n
}

// Capacity is the logical capacity given at creation (core_ring_capacity).
func (r *RingBuffer) Capacity() int {
	if r == nil {
		return 0
	}
	return r.capacity
}

// Policy is the full policy given at creation (core_ring_get_policy).
func (r *RingBuffer) Policy() RingPolicy {
	if r == nil {
		return RingReject
	}
	return r.policy
}

// IsMirrored reports whether the storage is mirrored, so that View always
// sees one span (core_ring_is_mirrored): false with MirrorOff, and with
// MirrorOn where the system refused the mirror.
func (r *RingBuffer) IsMirrored() bool {
	if r == nil {
		return false
	}
	return r.mirrored
}
