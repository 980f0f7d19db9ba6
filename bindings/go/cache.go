package core

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/cgo"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"libcore.dev/core/internal/capi"
)

// The encoder cache (include/core/cache.h): a bounded, sharded LRU of
// float32 tensors keyed by 128-bit XXH3 digests of their input, with TTL,
// single-flight get-or-compute, statistics and atomic save/load.

// Key is a cache key: a 128-bit XXH3 digest (core_key_t; Lo is the low 64
// bits). A plain comparable value.
type Key struct {
	Lo, Hi uint64
}

// Tensor is a cache value: float32 data and its shape (1 to
// CacheMaxDims dimensions whose product is len(Data)).
type Tensor struct {
	Data  []float32
	Shape []int
}

// The cache limits (CORE_CACHE_MAX_DIMS, _MAX_DECIMALS, _MAX_SHARDS,
// _ENTRY_OVERHEAD).
const (
	CacheMaxDims       = 4
	CacheMaxDecimals   = 10
	CacheMaxShards     = 256
	CacheEntryOverhead = 256
)

// NoLimit, as CacheOptions.MaxEntries or MaxBytes, turns that bound off
// (libcore's 0). At least one bound must stay on.
const NoLimit = -1

// CacheOptions are the creation options of an EncoderCache. The zero value
// gives libcore's defaults: 4096 entries, 256 MiB, no TTL, automatic
// shards, the wall clock.
type CacheOptions struct {
	// MaxEntries bounds the entry count: 0 = the default 4096, NoLimit =
	// no count bound.
	MaxEntries int
	// MaxBytes bounds the bytes held, each entry counting
	// CacheEntryBytes(len(Data)): 0 = the default 256 MiB, NoLimit = no
	// byte bound.
	MaxBytes int64
	// TTL expires an entry TTL after it was written (a Get does not extend
	// it); 0 = never. Rounded up to whole milliseconds.
	TTL time.Duration
	// Shards: a power of two up to CacheMaxShards, or 0 for automatic.
	// Bounds are split evenly between shards; LRU order is exact within a
	// shard (Shards = 1: one exact LRU).
	Shards int
	// Clock, when not nil, replaces the wall clock for the TTL (for tests:
	// a fake clock). Only its millisecond count matters, and the binding
	// never lets it go backwards. libcore calls it under a shard lock, from
	// the goroutine of whichever cache call needs the time: it must be
	// quick, must not block, and must not call the cache (that deadlocks).
	// A panic in it is recovered (the last time is used again).
	Clock func() time.Time
}

// cacheOptions has the layout of core_cache_options_t (checked below).
type cacheOptions struct {
	structSize uint64
	maxEntries uint64
	maxBytes   uint64
	ttlMs      uint64
	shards     uint64
	clock      uintptr // set in C by core_go_cache_create
	clockUser  uintptr
	// Layout 2 (publishing into a metrics registry): not offered by the
	// Go binding yet; left NULL.
	metrics       uintptr
	metricsPrefix uintptr
}

// CacheStats are the counters of an EncoderCache (core_cache_stats_t).
type CacheStats struct {
	Hits            uint64  // lookups that found a live entry
	Misses          uint64  // lookups that did not (expired ones included)
	Inserts         uint64  // entries stored by Put and GetOrCompute (not Load)
	Evictions       uint64  // entries removed to honour the bounds
	Expirations     uint64  // entries removed because their TTL passed
	Entries         uint64  // entries held now
	Bytes           uint64  // bytes held now (CacheEntryBytes per entry)
	HitRate         float64 // Hits / (Hits + Misses), 0 when there were none
	Computes        uint64  // functions run by GetOrCompute
	ComputeFailures uint64  // of those, the ones that failed
	ComputeWaits    uint64  // GetOrCompute calls that waited for another's computation
}

// cacheStats has the layout of core_cache_stats_t.
type cacheStats struct {
	structSize uint64
	s          CacheStats
}

func _() {
	var x [1]struct{}
	var k Key
	var o cacheOptions
	var s cacheStats
	_ = x[capi.CacheKeySize-unsafe.Sizeof(k)]
	_ = x[unsafe.Sizeof(k)-capi.CacheKeySize]
	_ = x[capi.CacheKeyOffHi-unsafe.Offsetof(k.Hi)]
	_ = x[capi.CacheOptionsSize-unsafe.Sizeof(o)]
	_ = x[unsafe.Sizeof(o)-capi.CacheOptionsSize]
	_ = x[capi.CacheOptionsOffTTL-unsafe.Offsetof(o.ttlMs)]
	_ = x[capi.CacheOptionsOffShard-unsafe.Offsetof(o.shards)]
	_ = x[capi.CacheOptionsOffClock-unsafe.Offsetof(o.clock)]
	_ = x[capi.CacheOptionsOffUser-unsafe.Offsetof(o.clockUser)]
	_ = x[capi.CacheStatsSize-unsafe.Sizeof(s)]
	_ = x[unsafe.Sizeof(s)-capi.CacheStatsSize]
	_ = x[capi.CacheStatsOffRate-unsafe.Offsetof(s.s)-unsafe.Offsetof(s.s.HitRate)]
	_ = x[capi.CacheStatsOffWaits-unsafe.Offsetof(s.s)-unsafe.Offsetof(s.s.ComputeWaits)]
	_ = x[capi.CacheMaxDims-CacheMaxDims]
	_ = x[CacheMaxDims-capi.CacheMaxDims]
	_ = x[capi.CacheMaxDecimals-CacheMaxDecimals]
	_ = x[CacheMaxDecimals-capi.CacheMaxDecimals]
	_ = x[capi.CacheMaxShards-CacheMaxShards]
	_ = x[CacheMaxShards-capi.CacheMaxShards]
	_ = x[capi.CacheEntryOverhead-CacheEntryOverhead]
	_ = x[CacheEntryOverhead-capi.CacheEntryOverhead]
}

// ---- keys ----------------------------------------------------------------------

// KeyOfBytes is XXH3-128 (seed 0) of b (core_cache_key_bytes), the value
// any xxhash implementation gives. An empty b is allowed.
func KeyOfBytes(b []byte) Key {
	k := new(Key)
	if r := capi.Core_cache_key_bytes(b, int64(len(b)), unsafe.Pointer(k)); r != 0 {
		panic(fail("core.KeyOfBytes", r)) // only for NULL pointers: a binding bug
	}
	return *k
}

// KeyOfAudio is the key of an audio clip (core_cache_key_audio): two clips
// of the same length get the same key when np.round(clip, decimals) gives
// equal float32 arrays (-0.0 equal to 0.0; exact for |x|*10^decimals <
// 2^24). ErrInvalidArgument for decimals outside 0 .. CacheMaxDecimals or
// a NaN sample (the message gives its index). An empty clip is allowed.
func KeyOfAudio(samples []float32, decimals int) (Key, error) {
	const op = "core.KeyOfAudio"
	if decimals < 0 || decimals > CacheMaxDecimals {
		return Key{}, argError(op, ErrInvalidArgument, "decimals = %d is outside [0, %d]", decimals, CacheMaxDecimals)
	}
	k := new(Key)
	if r := capi.Core_cache_key_audio(samples, int64(len(samples)), decimals, unsafe.Pointer(k)); r != 0 {
		return Key{}, fail(op, r)
	}
	return *k, nil
}

// CacheEntryBytes is what an entry of n floats counts for against
// MaxBytes: 4*n + CacheEntryOverhead (core_cache_entry_bytes).
func CacheEntryBytes(n int) int64 {
	if n < 0 {
		return 0
	}
	b := uint64(capi.Core_cache_entry_bytes(int64(n)))
	if b > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(b)
}

// ---- the cache -------------------------------------------------------------------

// EncoderCache is a thread-safe cache of float32 tensors (core_cache_t),
// for example encoder outputs keyed by KeyOfAudio of their input. Every
// method may run in any number of goroutines at once. Values are copied in
// by Put and out by Get: the cache never holds Go memory, and a returned
// Tensor belongs to the caller.
//
// # Close
//
// Close releases the C cache (core_cache_destroy). It is idempotent, may
// be called from any goroutine (also from a GetOrCompute function), and
// never blocks: calls already running finish normally and the last of
// them releases the cache. Every call that starts after Close returns an
// error matching ErrClosed (and ErrInvalidArgument). A finalizer closes an
// EncoderCache that becomes unreachable without Close, but call Close:
// the Go collector does not see the C memory behind it.
type EncoderCache struct {
	// state counts the calls in progress, plus cacheClosed once Close ran.
	state     int64
	destroyed int32
	hint      int64 // atomic: the output capacity a Get starts with
	cache     uintptr
	clock     cgo.Handle // 0 without a Go clock
	shards    int
}

const (
	cacheName    = "EncoderCache"
	cacheClosed  = int64(1) << 62
	hintStart    = 1024
	hintMax      = 1 << 20 // floats: larger values take a second call
	statusFailed = ErrUnavailable
)

// NewEncoderCache creates a cache (core_cache_create). ErrInvalidArgument
// for a negative bound other than NoLimit, both bounds NoLimit, a negative
// TTL, or Shards not 0 and not a power of two up to CacheMaxShards.
func NewEncoderCache(opts CacheOptions) (*EncoderCache, error) {
	const op = "core.NewEncoderCache"
	if opts.MaxEntries < NoLimit || opts.MaxBytes < NoLimit {
		return nil, argError(op, ErrInvalidArgument, "MaxEntries = %d, MaxBytes = %d: negative (NoLimit is -1)", opts.MaxEntries, opts.MaxBytes)
	}
	if opts.TTL < 0 {
		return nil, argError(op, ErrInvalidArgument, "TTL = %v is negative", opts.TTL)
	}
	if err := checkSize(op, "Shards", opts.Shards); err != nil {
		return nil, err
	}
	o := new(cacheOptions)
	if r := capi.Core_cache_options_init(unsafe.Pointer(o)); r != 0 {
		return nil, fail(op, r)
	}
	switch opts.MaxEntries {
	case NoLimit:
		o.maxEntries = 0
	case 0:
	default:
		o.maxEntries = uint64(opts.MaxEntries)
	}
	switch opts.MaxBytes {
	case NoLimit:
		o.maxBytes = 0
	case 0:
	default:
		o.maxBytes = uint64(opts.MaxBytes)
	}
	o.ttlMs = uint64((opts.TTL + time.Millisecond - 1) / time.Millisecond)
	o.shards = uint64(opts.Shards)
	var clock cgo.Handle
	if opts.Clock != nil {
		clock = cgo.NewHandle(newCacheClock(opts.Clock))
	}
	var h [1]uintptr
	if r := capi.Core_go_cache_create(unsafe.Pointer(o), uintptr(clock), h[:]); r != 0 {
		if clock != 0 {
			clock.Delete()
		}
		return nil, fail(op, r)
	}
	c := &EncoderCache{cache: h[0], clock: clock, hint: hintStart}
	c.shards = int(capi.Core_cache_shards(h[0]))
	runtime.SetFinalizer(c, (*EncoderCache).Close)
	return c, nil
}

// newCacheClock wraps a user clock as the func() uint64 the capi
// trampoline calls: milliseconds since the Unix epoch (0 before it), never
// decreasing, and the last value again if the clock panics.
func newCacheClock(clock func() time.Time) func() uint64 {
	var last uint64
	return func() (ms uint64) {
		defer func() {
			if recover() != nil {
				ms = atomic.LoadUint64(&last)
			}
		}()
		now := clock().UnixMilli()
		if now < 0 {
			now = 0
		}
		ms = uint64(now)
		for {
			l := atomic.LoadUint64(&last)
			if ms <= l {
				return l
			}
			if atomic.CompareAndSwapUint64(&last, l, ms) {
				return ms
			}
		}
	}
}

// Close releases the cache, now or, when calls are in progress, when the
// last of them returns (see the type's documentation). A second Close and
// a Close of a nil *EncoderCache do nothing. Always nil: the error is there
// for io.Closer.
func (c *EncoderCache) Close() error {
	if c == nil {
		return nil
	}
	for {
		s := atomic.LoadInt64(&c.state)
		if s&cacheClosed != 0 {
			return nil
		}
		if atomic.CompareAndSwapInt64(&c.state, s, s|cacheClosed) {
			runtime.SetFinalizer(c, nil)
			if s == 0 {
				c.destroy()
			}
			return nil
		}
	}
}

// destroy runs once, when the cache is closed and no call is in progress.
func (c *EncoderCache) destroy() {
	if !atomic.CompareAndSwapInt32(&c.destroyed, 0, 1) {
		return
	}
	capi.Core_cache_destroy(c.cache)
	if c.clock != 0 {
		c.clock.Delete()
	}
}

// acquire registers a call and returns the handle; release ends it.
func (c *EncoderCache) acquire(op string) (uintptr, error) {
	if c == nil {
		return 0, argError(op, ErrInvalidArgument, "nil *EncoderCache")
	}
	if atomic.AddInt64(&c.state, 1)&cacheClosed != 0 {
		c.release()
		return 0, closedError(op, cacheName)
	}
	return c.cache, nil
}

func (c *EncoderCache) release() {
	if atomic.AddInt64(&c.state, -1) == cacheClosed {
		c.destroy()
	}
}

// Shards is the number of shards the cache uses (its options resolved).
func (c *EncoderCache) Shards() int {
	if c == nil {
		return 0
	}
	return c.shards
}

// cacheOut holds the size out-parameters of get and get_or_compute: heap
// memory without Go pointers.
type cacheOut struct {
	n     [1]uint64
	ndim  [1]uint64
	shape [CacheMaxDims]uint64
}

func (o *cacheOut) shapeInts() []int {
	nd := int(o.ndim[0])
	if nd > CacheMaxDims {
		nd = CacheMaxDims
	}
	s := make([]int, nd)
	for i := range s {
		s[i] = int(o.shape[i])
	}
	return s
}

// tensor makes the result of a get that copied o.n floats into buf.
func (o *cacheOut) tensor(buf []float32) Tensor {
	n := int(o.n[0])
	if n < len(buf)/2 {
		buf = append([]float32(nil), buf[:n]...)
	}
	return Tensor{Data: buf[:n:n], Shape: o.shapeInts()}
}

// startCap is the capacity a Get tries first.
func (c *EncoderCache) startCap() int { return int(atomic.LoadInt64(&c.hint)) }

// noteSize raises the start capacity to n (up to hintMax).
func (c *EncoderCache) noteSize(n int) {
	if n > hintMax {
		return
	}
	for {
		h := atomic.LoadInt64(&c.hint)
		if int64(n) <= h || atomic.CompareAndSwapInt64(&c.hint, h, int64(n)) {
			return
		}
	}
}

// shapeArg converts a shape for libcore (nil stays nil: one dimension).
func shapeArg(op string, shape []int) ([]uint64, error) {
	if shape == nil {
		return nil, nil
	}
	if len(shape) == 0 || len(shape) > CacheMaxDims {
		return nil, argError(op, ErrInvalidArgument, "a shape of %d dimensions (want 1 to %d, or nil)", len(shape), CacheMaxDims)
	}
	s := make([]uint64, len(shape))
	for i, d := range shape {
		if d <= 0 {
			return nil, argError(op, ErrInvalidArgument, "shape[%d] = %d is not positive", i, d)
		}
		s[i] = uint64(d)
	}
	return s, nil
}

// Put stores a copy of data with the given shape under key
// (core_cache_put), replacing the key's value and restarting its TTL; a nil
// shape means one dimension, {len(data)}. Least recently used entries of
// the key's shard are evicted as the bounds require. ErrInvalidArgument for
// empty data, a shape of 0 or more than CacheMaxDims dimensions, a
// dimension <= 0 or a product other than len(data); ErrFull when the entry
// is larger than its shard's share of MaxBytes (nothing is evicted).
func (c *EncoderCache) Put(key Key, data []float32, shape []int) error {
	const op = "core.EncoderCache.Put"
	s, err := shapeArg(op, shape)
	if err != nil {
		return err
	}
	h, err := c.acquire(op)
	if err != nil {
		return err
	}
	k := &key
	r := capi.Core_cache_put(h, unsafe.Pointer(k), data, int64(len(data)), s, int64(len(s)))
	c.release()
	if r != 0 {
		return fail(op, r)
	}
	c.noteSize(len(data))
	return nil
}

// PutTensor is Put(key, t.Data, t.Shape).
func (c *EncoderCache) PutTensor(key Key, t Tensor) error { return c.Put(key, t.Data, t.Shape) }

// Get returns a copy of key's value (core_cache_get) and true, or false on
// a miss (no entry, or an expired one). The entry becomes the most
// recently used. The binding sizes the output itself: a value larger than
// its first guess costs a second call, which libcore counts only once.
func (c *EncoderCache) Get(key Key) (Tensor, bool, error) {
	const op = "core.EncoderCache.Get"
	h, err := c.acquire(op)
	if err != nil {
		return Tensor{}, false, err
	}
	defer c.release()
	t, found, err := c.get(op, h, &key, c.startCap())
	return t, found, err
}

// get is Get with a first capacity of n; the caller holds a call.
func (c *EncoderCache) get(op string, h uintptr, k *Key, n int) (Tensor, bool, error) {
	o := new(cacheOut)
	for {
		buf := make([]float32, n)
		r := capi.Core_cache_get(h, unsafe.Pointer(k), buf, int64(n), o.n[:], o.shape[:], o.ndim[:])
		if r == 0 {
			c.noteSize(int(o.n[0]))
			return o.tensor(buf), true, nil
		}
		err := fail(op, r)
		switch err.(*Error).Status {
		case ErrNotFound:
			return Tensor{}, false, nil
		case ErrBufferTooSmall: // the value was replaced by a larger one: again
			n = int(o.n[0])
			c.noteSize(n)
			continue
		}
		return Tensor{}, false, err
	}
}

// Contains reports whether key has a live entry (core_cache_contains),
// without counting a hit or miss or refreshing the entry.
func (c *EncoderCache) Contains(key Key) (bool, error) {
	const op = "core.EncoderCache.Contains"
	h, err := c.acquire(op)
	if err != nil {
		return false, err
	}
	var found [1]int32
	k := &key
	r := capi.Core_cache_contains(h, unsafe.Pointer(k), found[:])
	c.release()
	if r != 0 {
		return false, fail(op, r)
	}
	return found[0] != 0, nil
}

// Remove removes key's entry (core_cache_remove) and reports whether there
// was a live one.
func (c *EncoderCache) Remove(key Key) (bool, error) {
	const op = "core.EncoderCache.Remove"
	h, err := c.acquire(op)
	if err != nil {
		return false, err
	}
	k := &key
	r := capi.Core_cache_remove(h, unsafe.Pointer(k))
	c.release()
	if r != 0 {
		err := fail(op, r)
		if err.(*Error).Status == ErrNotFound {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// Clear removes every entry (core_cache_clear; not counted as evictions,
// counters kept). Computations in progress still store their value.
func (c *EncoderCache) Clear() error {
	const op = "core.EncoderCache.Clear"
	h, err := c.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_cache_clear(h)
	c.release()
	return check(op, r)
}

// Stats returns the counters (core_cache_stats), after sweeping expired
// entries.
func (c *EncoderCache) Stats() (CacheStats, error) {
	const op = "core.EncoderCache.Stats"
	h, err := c.acquire(op)
	if err != nil {
		return CacheStats{}, err
	}
	s := &cacheStats{structSize: uint64(unsafe.Sizeof(cacheStats{}))}
	r := capi.Core_cache_stats(h, unsafe.Pointer(s))
	c.release()
	if r != 0 {
		return CacheStats{}, fail(op, r)
	}
	return s.s, nil
}

// ResetStats zeroes every counter but Entries and Bytes
// (core_cache_stats_reset).
func (c *EncoderCache) ResetStats() error {
	const op = "core.EncoderCache.ResetStats"
	h, err := c.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_cache_stats_reset(h)
	c.release()
	return check(op, r)
}

// checkPath rejects a path libcore would misread.
func checkPath(op, path string) error {
	if path == "" || strings.IndexByte(path, 0) >= 0 {
		return argError(op, ErrInvalidArgument, "path %q: empty or with a NUL byte", path)
	}
	return nil
}

// Save writes every live entry to path (core_cache_save), atomically (a
// temporary file beside path, fsync, rename): a failure leaves path as it
// was. The file has mode 0600. ErrIO when it cannot be written (the
// message gives the system's reason).
func (c *EncoderCache) Save(path string) error {
	const op = "core.EncoderCache.Save"
	if err := checkPath(op, path); err != nil {
		return err
	}
	h, err := c.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_cache_save(h, path)
	c.release()
	return check(op, r)
}

// Load stores the entries of a file written by Save (core_cache_load),
// keeping their write times (entries already expired are dropped) and
// applying the bounds as Put does. The whole file is verified first:
// ErrFormat for an empty, truncated or corrupt file or another format
// version, and the cache is unchanged; ErrIO when it cannot be read.
func (c *EncoderCache) Load(path string) error {
	const op = "core.EncoderCache.Load"
	if err := checkPath(op, path); err != nil {
		return err
	}
	h, err := c.acquire(op)
	if err != nil {
		return err
	}
	r := capi.Core_cache_load(h, path)
	c.release()
	return check(op, r)
}

// ---- get or compute ----------------------------------------------------------------

// computeState is what the compute trampoline reaches through its
// cgo.Handle: the func, and what it did.
type computeState struct {
	key    Key
	fn     func(Key) (Tensor, error)
	ran    bool
	result Tensor
	err    error
}

// run is called by libcore (through capi's exported coreGoCacheCompute)
// on the goroutine of the GetOrCompute call that computes.
func (s *computeState) run(writer uintptr) (st int32) {
	const op = "core.EncoderCache.GetOrCompute"
	s.ran = true
	defer func() {
		if p := recover(); p != nil {
			s.err = &Error{Op: op, Status: ErrInternal, Message: fmt.Sprintf("the compute func panicked: %v", p)}
			st = int32(ErrInternal)
		}
	}()
	t, err := s.fn(s.key)
	if err != nil {
		s.err = err
		return int32(computeStatus(err))
	}
	shape, err := shapeArg(op, t.Shape)
	if err != nil {
		s.err = err
		return int32(ErrInvalidArgument)
	}
	if r := capi.Core_cache_writer_put(writer, t.Data, int64(len(t.Data)), shape, int64(len(shape))); r != 0 {
		err := fail(op, r)
		s.err = err
		return int32(err.(*Error).Status)
	}
	s.result = t
	return 0
}

// computeStatus is the status the waiters of a failed computation get: the
// Status of a libcore error (an *Error or a Status), else ErrUnavailable.
func computeStatus(err error) Status {
	var st Status
	if e := (*Error)(nil); errors.As(err, &e) {
		st = e.Status
	} else if !errors.As(err, &st) {
		st = statusFailed
	}
	if st <= StatusOK || st > ErrInternal || st == ErrBufferTooSmall {
		st = statusFailed // statuses that would mean success or "retry bigger"
	}
	return st
}

// GetOrCompute returns key's value, computing it with fn on a miss
// (core_cache_get_or_compute): fn's Tensor is stored (a copy) and
// returned. Concurrent calls for one key compute once: the first runs fn
// on its goroutine, the others wait for it and get its value, or its
// failure.
//
// When fn returns an error, or panics, nothing is cached: the goroutine
// that ran fn gets fn's error as is (a panic becomes an *Error with
// ErrInternal), and every waiting goroutine gets an *Error with the
// status of that failure: the Status of a libcore error returned by fn,
// ErrInternal for a panic, ErrUnavailable for any other error. A value that
// cannot be stored (a bad shape, ErrFull) fails the same way.
//
// fn runs with no lock held and may use the cache, except GetOrCompute of
// the same key (ErrInvalidArgument). It must return: waiters wait without
// a time limit.
func (c *EncoderCache) GetOrCompute(key Key, fn func(Key) (Tensor, error)) (Tensor, error) {
	const op = "core.EncoderCache.GetOrCompute"
	if fn == nil {
		return Tensor{}, argError(op, ErrInvalidArgument, "nil compute func")
	}
	h, err := c.acquire(op)
	if err != nil {
		return Tensor{}, err
	}
	defer c.release()
	st := &computeState{key: key, fn: fn}
	handle := cgo.NewHandle(st.run)
	defer handle.Delete()
	k := new(Key) // its own allocation: st holds Go pointers, C may not see it
	*k = key
	o := new(cacheOut)
	for {
		n := c.startCap()
		buf := make([]float32, n)
		r := capi.Core_go_cache_get_or_compute(h, unsafe.Pointer(k), uintptr(handle), buf, int64(n),
			o.n[:], o.shape[:], o.ndim[:])
		if r == 0 {
			c.noteSize(int(o.n[0]))
			return o.tensor(buf), nil
		}
		err := fail(op, r)
		status := err.(*Error).Status
		if st.ran {
			if st.err != nil {
				return Tensor{}, st.err
			}
			if status == ErrBufferTooSmall { // stored; return fn's value
				c.noteSize(len(st.result.Data))
				return Tensor{Data: append([]float32(nil), st.result.Data...), Shape: o.shapeInts()}, nil
			}
			return Tensor{}, err
		}
		if status != ErrBufferTooSmall {
			return Tensor{}, err
		}
		// A hit (or another's computation) too large for buf: read it with
		// get at its size; if it went meanwhile, start over.
		c.noteSize(int(o.n[0]))
		t, found, err := c.get(op, h, k, int(o.n[0]))
		if err != nil || found {
			return t, err
		}
	}
}
