package core

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newCache(t *testing.T, opts CacheOptions) *EncoderCache {
	t.Helper()
	c, err := NewEncoderCache(opts)
	noErr(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func ramp(n int, base float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = base + float32(i)
	}
	return x
}

func wantTensor(t *testing.T, got Tensor, data []float32, shape []int) {
	t.Helper()
	if !reflect.DeepEqual(got.Data, data) && !(len(got.Data) == 0 && len(data) == 0) {
		t.Fatalf("data %v, want %v", got.Data, data)
	}
	if !reflect.DeepEqual(got.Shape, shape) {
		t.Fatalf("shape %v, want %v", got.Shape, shape)
	}
}

func wantStats(t *testing.T, c *EncoderCache, f func(s CacheStats) bool) CacheStats {
	t.Helper()
	s, err := c.Stats()
	noErr(t, err)
	if !f(s) {
		t.Fatalf("unexpected stats %+v", s)
	}
	return s
}

func TestCacheKeys(t *testing.T) {
	t.Run("bytes", func(t *testing.T) {
		a, b := KeyOfBytes([]byte("hello")), KeyOfBytes([]byte("hello"))
		if a != b || a == KeyOfBytes([]byte("hellp")) || a == (Key{}) {
			t.Fatalf("keys %v %v", a, b)
		}
		// XXH3-128 of the empty input (xxhash's reference value).
		if e := KeyOfBytes(nil); e != (Key{Lo: 0x6001c324468d497f, Hi: 0x99aa06d3014798d8}) {
			t.Fatalf("XXH3-128(\"\") = %#x %#x", e.Hi, e.Lo)
		}
	})
	t.Run("audio", func(t *testing.T) {
		x := []float32{0.1234564, -0.0, 0.5}
		y := []float32{0.1234561, 0.0, 0.5}
		kx, err := KeyOfAudio(x, 6)
		noErr(t, err)
		ky, err := KeyOfAudio(y, 6)
		noErr(t, err)
		if kx != ky {
			t.Fatalf("equal after rounding, keys differ: %v %v", kx, ky)
		}
		k7, err := KeyOfAudio(x, 7)
		noErr(t, err)
		if k7 == kx {
			t.Fatal("decimals not in the key")
		}
		kshort, err := KeyOfAudio(x[:2], 6)
		noErr(t, err)
		if kshort == kx {
			t.Fatal("length not in the key")
		}
		_, err = KeyOfAudio(nil, 6)
		noErr(t, err)
	})
	t.Run("audio_errors", func(t *testing.T) {
		_, err := KeyOfAudio([]float32{1, float32NaN()}, 3)
		wantErr(t, err, ErrInvalidArgument, "1")
		_, err = KeyOfAudio([]float32{1}, 11)
		wantErr(t, err, ErrInvalidArgument)
		_, err = KeyOfAudio([]float32{1}, -1)
		wantErr(t, err, ErrInvalidArgument)
	})
	t.Run("entry_bytes", func(t *testing.T) {
		if CacheEntryBytes(10) != 40+CacheEntryOverhead || CacheEntryBytes(-1) != 0 {
			t.Fatal(CacheEntryBytes(10))
		}
	})
}

func float32NaN() float32 {
	var z float32
	return z / z
}

func TestCacheBasics(t *testing.T) {
	c := newCache(t, CacheOptions{Shards: 1})
	k := KeyOfBytes([]byte("a"))
	t.Run("miss", func(t *testing.T) {
		got, ok, err := c.Get(k)
		noErr(t, err)
		if ok || got.Data != nil {
			t.Fatalf("miss returned %v %v", got, ok)
		}
		in, err := c.Contains(k)
		noErr(t, err)
		if in {
			t.Fatal("Contains on empty cache")
		}
	})
	t.Run("put_get", func(t *testing.T) {
		noErr(t, c.Put(k, []float32{1, 2, 3, 4, 5, 6}, []int{2, 3}))
		got, ok, err := c.Get(k)
		noErr(t, err)
		if !ok {
			t.Fatal("miss after Put")
		}
		wantTensor(t, got, []float32{1, 2, 3, 4, 5, 6}, []int{2, 3})
		noErr(t, c.PutTensor(k, Tensor{Data: []float32{7, 8}}))
		got, _, err = c.Get(k)
		noErr(t, err)
		wantTensor(t, got, []float32{7, 8}, []int{2})
		in, err := c.Contains(k)
		noErr(t, err)
		if !in {
			t.Fatal("Contains after Put")
		}
	})
	t.Run("put_copies", func(t *testing.T) {
		x := []float32{1, 2}
		noErr(t, c.Put(k, x, nil))
		x[0] = 99
		got, _, _ := c.Get(k)
		got.Data[1] = 42
		again, _, _ := c.Get(k)
		wantTensor(t, again, []float32{1, 2}, []int{2})
	})
	t.Run("buffer_too_small_hidden", func(t *testing.T) {
		big := KeyOfBytes([]byte("big"))
		x := ramp(5000, 0) // above the first guess of 1024
		noErr(t, c.Put(big, x, []int{50, 100}))
		noErr(t, c.ResetStats())
		atomic.StoreInt64(&c.hint, 16) // force the retry path
		got, ok, err := c.Get(big)
		noErr(t, err)
		if !ok {
			t.Fatal("miss")
		}
		wantTensor(t, got, x, []int{50, 100})
		wantStats(t, c, func(s CacheStats) bool { return s.Hits == 1 && s.Misses == 0 })
	})
	t.Run("remove", func(t *testing.T) {
		ok, err := c.Remove(k)
		noErr(t, err)
		if !ok {
			t.Fatal("Remove of a present key said absent")
		}
		ok, err = c.Remove(k)
		noErr(t, err)
		if ok {
			t.Fatal("second Remove said present")
		}
		if _, ok, _ := c.Get(k); ok {
			t.Fatal("hit after Remove")
		}
	})
	t.Run("clear_stats", func(t *testing.T) {
		noErr(t, c.Put(KeyOfBytes([]byte("x")), []float32{1}, nil))
		noErr(t, c.Put(KeyOfBytes([]byte("y")), []float32{1, 2}, nil))
		noErr(t, c.ResetStats())
		c.Get(KeyOfBytes([]byte("x")))
		c.Get(KeyOfBytes([]byte("nope")))
		s := wantStats(t, c, func(s CacheStats) bool {
			return s.Hits == 1 && s.Misses == 1 && s.HitRate == 0.5 && s.Entries >= 2 &&
				s.Bytes == s.Entries*CacheEntryOverhead+4*(1+2+5000) && s.Inserts == 0
		})
		_ = s
		noErr(t, c.Clear())
		wantStats(t, c, func(s CacheStats) bool { return s.Entries == 0 && s.Bytes == 0 && s.Hits == 1 })
		noErr(t, c.ResetStats())
		wantStats(t, c, func(s CacheStats) bool { return s == CacheStats{} })
	})
	t.Run("bad_values", func(t *testing.T) {
		wantErr(t, c.Put(k, nil, nil), ErrInvalidArgument)
		wantErr(t, c.Put(k, []float32{1, 2, 3}, []int{2, 2}), ErrInvalidArgument)
		wantErr(t, c.Put(k, []float32{1, 2}, []int{2, -1}), ErrInvalidArgument)
		wantErr(t, c.Put(k, []float32{1}, []int{1, 1, 1, 1, 1}), ErrInvalidArgument)
		wantErr(t, c.Put(k, []float32{1}, []int{}), ErrInvalidArgument)
		if in, _ := c.Contains(k); in {
			t.Fatal("a failed Put stored something")
		}
	})
}

func TestCacheOptions(t *testing.T) {
	t.Run("bounds_and_eviction", func(t *testing.T) {
		c := newCache(t, CacheOptions{MaxEntries: 2, Shards: 1})
		if c.Shards() != 1 {
			t.Fatal(c.Shards())
		}
		a, b, d := Key{1, 1}, Key{2, 2}, Key{3, 3}
		noErr(t, c.Put(a, []float32{1}, nil))
		noErr(t, c.Put(b, []float32{2}, nil))
		c.Get(a) // b is now the least recently used
		noErr(t, c.Put(d, []float32{3}, nil))
		if in, _ := c.Contains(b); in {
			t.Fatal("LRU entry not evicted")
		}
		wantStats(t, c, func(s CacheStats) bool { return s.Evictions == 1 && s.Entries == 2 })
	})
	t.Run("full", func(t *testing.T) {
		c := newCache(t, CacheOptions{MaxEntries: NoLimit, MaxBytes: 1000, Shards: 1})
		noErr(t, c.Put(Key{1, 0}, []float32{1}, nil))
		wantErr(t, c.Put(Key{2, 0}, ramp(1000, 0), nil), ErrFull)
		if in, _ := c.Contains(Key{1, 0}); !in {
			t.Fatal("ErrFull evicted an entry")
		}
	})
	t.Run("defaults", func(t *testing.T) {
		c := newCache(t, CacheOptions{})
		if c.Shards() < 1 {
			t.Fatal(c.Shards())
		}
	})
	t.Run("bad", func(t *testing.T) {
		for _, o := range []CacheOptions{
			{MaxEntries: NoLimit, MaxBytes: NoLimit},
			{MaxEntries: -2},
			{TTL: -time.Second},
			{Shards: 3},
			{Shards: -1},
			{Shards: 512},
		} {
			c, err := NewEncoderCache(o)
			if c != nil {
				t.Fatalf("%+v: got a cache", o)
			}
			wantErr(t, err, ErrInvalidArgument)
		}
	})
}

// fakeClock is an injectable clock for TTL tests.
type fakeClock struct{ ms int64 }

func (f *fakeClock) now() time.Time       { return time.UnixMilli(atomic.LoadInt64(&f.ms)) }
func (f *fakeClock) add(d time.Duration)  { atomic.AddInt64(&f.ms, d.Milliseconds()) }
func newFakeClock(start int64) *fakeClock { return &fakeClock{ms: start} }

func TestCacheTTL(t *testing.T) {
	clk := newFakeClock(1_700_000_000_000)
	c := newCache(t, CacheOptions{TTL: 100 * time.Millisecond, Shards: 1, Clock: clk.now})
	k := Key{7, 7}
	t.Run("expires_after_write", func(t *testing.T) {
		noErr(t, c.Put(k, []float32{1}, nil))
		clk.add(99 * time.Millisecond)
		if _, ok, _ := c.Get(k); !ok {
			t.Fatal("expired too early")
		}
		clk.add(1 * time.Millisecond) // a Get does not extend the TTL
		if _, ok, _ := c.Get(k); ok {
			t.Fatal("not expired at the TTL")
		}
		wantStats(t, c, func(s CacheStats) bool { return s.Expirations == 1 && s.Entries == 0 })
	})
	t.Run("put_restarts", func(t *testing.T) {
		noErr(t, c.Put(k, []float32{1}, nil))
		clk.add(60 * time.Millisecond)
		noErr(t, c.Put(k, []float32{2}, nil))
		clk.add(60 * time.Millisecond)
		got, ok, _ := c.Get(k)
		if !ok || got.Data[0] != 2 {
			t.Fatal("rewritten entry expired")
		}
	})
	t.Run("clock_backwards_and_panic", func(t *testing.T) {
		var mode int32
		base := time.UnixMilli(1_000_000)
		c2 := newCache(t, CacheOptions{TTL: time.Second, Shards: 1, Clock: func() time.Time {
			switch atomic.LoadInt32(&mode) {
			case 1:
				return base.Add(-time.Hour) // backwards: held at the last value
			case 2:
				panic("clock broke")
			}
			return base
		}})
		noErr(t, c2.Put(k, []float32{1}, nil))
		atomic.StoreInt32(&mode, 1)
		if _, ok, _ := c2.Get(k); !ok {
			t.Fatal("miss with a clock going backwards")
		}
		atomic.StoreInt32(&mode, 2)
		if _, ok, err := c2.Get(k); !ok || err != nil {
			t.Fatal("miss with a panicking clock", err)
		}
	})
}

func TestCacheGetOrCompute(t *testing.T) {
	t.Run("compute_then_hit", func(t *testing.T) {
		c := newCache(t, CacheOptions{Shards: 1})
		k := Key{1, 2}
		calls := 0
		fn := func(got Key) (Tensor, error) {
			calls++
			if got != k {
				t.Errorf("fn got key %v", got)
			}
			return Tensor{Data: []float32{1, 2, 3, 4}, Shape: []int{2, 2}}, nil
		}
		for i := 0; i < 3; i++ {
			got, err := c.GetOrCompute(k, fn)
			noErr(t, err)
			wantTensor(t, got, []float32{1, 2, 3, 4}, []int{2, 2})
		}
		if calls != 1 {
			t.Fatalf("fn ran %d times", calls)
		}
		wantStats(t, c, func(s CacheStats) bool {
			return s.Computes == 1 && s.Inserts == 1 && s.Hits == 2 && s.Misses == 1
		})
	})
	t.Run("large_value", func(t *testing.T) {
		c := newCache(t, CacheOptions{Shards: 1})
		x := ramp(3000, 1)
		got, err := c.GetOrCompute(Key{5, 5}, func(Key) (Tensor, error) { return Tensor{Data: x}, nil })
		noErr(t, err)
		wantTensor(t, got, x, []int{3000})
		atomic.StoreInt64(&c.hint, 8) // the hit path with a too small first guess
		got, err = c.GetOrCompute(Key{5, 5}, func(Key) (Tensor, error) { t.Fatal("recomputed"); return Tensor{}, nil })
		noErr(t, err)
		wantTensor(t, got, x, []int{3000})
		wantStats(t, c, func(s CacheStats) bool { return s.Computes == 1 && s.Hits >= 1 })
	})
	t.Run("single_flight", func(t *testing.T) {
		c := newCache(t, CacheOptions{Shards: 4})
		k := Key{9, 9}
		var calls int32
		release := make(chan struct{})
		started := make(chan struct{})
		fn := func(Key) (Tensor, error) {
			if atomic.AddInt32(&calls, 1) == 1 {
				close(started)
			}
			<-release
			return Tensor{Data: []float32{4, 2}}, nil
		}
		const g = 8
		var wg sync.WaitGroup
		errs := make([]error, g)
		res := make([]Tensor, g)
		for i := 0; i < g; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				res[i], errs[i] = c.GetOrCompute(k, fn)
			}(i)
		}
		<-started
		// Let the others reach the wait.
		for i := 0; i < 200; i++ {
			s, _ := c.Stats()
			if s.ComputeWaits+s.Hits >= g-1 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		close(release)
		wg.Wait()
		for i := 0; i < g; i++ {
			noErr(t, errs[i])
			wantTensor(t, res[i], []float32{4, 2}, []int{2})
		}
		if calls != 1 {
			t.Fatalf("fn ran %d times", calls)
		}
		wantStats(t, c, func(s CacheStats) bool { return s.Computes == 1 && s.ComputeWaits+s.Hits == g-1 })
	})
	t.Run("error_propagation", func(t *testing.T) {
		c := newCache(t, CacheOptions{Shards: 1})
		k := Key{3, 4}
		boom := errors.New("encoder failed")
		release := make(chan struct{})
		started := make(chan struct{})
		var calls int32
		fn := func(Key) (Tensor, error) {
			atomic.AddInt32(&calls, 1)
			close(started)
			<-release
			return Tensor{}, boom
		}
		var computeErr error
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); _, computeErr = c.GetOrCompute(k, fn) }()
		<-started
		const waiters = 3
		waitErrs := make([]error, waiters)
		for i := 0; i < waiters; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, waitErrs[i] = c.GetOrCompute(k, func(Key) (Tensor, error) {
					return Tensor{Data: []float32{1}}, nil // runs only if it missed the flight
				})
			}(i)
		}
		for i := 0; i < 200; i++ {
			if s, _ := c.Stats(); s.ComputeWaits >= waiters {
				break
			}
			time.Sleep(time.Millisecond)
		}
		s, _ := c.Stats()
		close(release)
		wg.Wait()
		if computeErr != boom {
			t.Fatalf("computing goroutine got %v, want the original error", computeErr)
		}
		if s.ComputeWaits >= waiters {
			for _, err := range waitErrs {
				wantErr(t, err, ErrUnavailable)
			}
			if in, _ := c.Contains(k); in {
				t.Fatal("a failed computation was cached")
			}
		} else {
			t.Logf("only %d of %d waiters reached the wait in time", s.ComputeWaits, waiters)
		}
		wantStats(t, c, func(s CacheStats) bool { return s.ComputeFailures == 1 })
	})
	t.Run("errors_nothing_cached", func(t *testing.T) {
		c := newCache(t, CacheOptions{Shards: 1, MaxBytes: 4096, MaxEntries: NoLimit})
		k := Key{8, 8}
		noErr(t, c.Put(Key{1, 1}, []float32{1}, nil))
		cases := []struct {
			name string
			fn   func(Key) (Tensor, error)
			st   Status
		}{
			{"libcore_status", func(Key) (Tensor, error) { return Tensor{}, ErrIO }, ErrIO},
			{"panic", func(Key) (Tensor, error) { panic("kaboom") }, ErrInternal},
			{"bad_shape", func(Key) (Tensor, error) { return Tensor{Data: []float32{1, 2}, Shape: []int{3}}, nil }, ErrInvalidArgument},
			{"empty", func(Key) (Tensor, error) { return Tensor{}, nil }, ErrInvalidArgument},
			{"full", func(Key) (Tensor, error) { return Tensor{Data: ramp(2000, 0)}, nil }, ErrFull},
		}
		for _, tc := range cases {
			_, err := c.GetOrCompute(k, tc.fn)
			if tc.st == ErrIO {
				if err != ErrIO {
					t.Fatalf("%s: %v, want ErrIO as returned", tc.name, err)
				}
			} else {
				wantErr(t, err, tc.st)
			}
			if in, _ := c.Contains(k); in {
				t.Fatalf("%s: cached", tc.name)
			}
		}
		if in, _ := c.Contains(Key{1, 1}); !in {
			t.Fatal("a failed computation lost an entry")
		}
		wantStats(t, c, func(s CacheStats) bool { return s.ComputeFailures == uint64(len(cases)) })
	})
	t.Run("fn_uses_cache", func(t *testing.T) {
		c := newCache(t, CacheOptions{Shards: 1})
		k := Key{6, 6}
		_, err := c.GetOrCompute(k, func(k Key) (Tensor, error) {
			noErr(t, c.Put(Key{100, 0}, []float32{1}, nil))
			_, err := c.GetOrCompute(k, func(Key) (Tensor, error) { return Tensor{Data: []float32{1}}, nil })
			wantErr(t, err, ErrInvalidArgument) // nested, same key
			return Tensor{Data: []float32{5}}, nil
		})
		noErr(t, err)
		if in, _ := c.Contains(Key{100, 0}); !in {
			t.Fatal("Put from fn lost")
		}
		_, err = c.GetOrCompute(k, nil)
		wantErr(t, err, ErrInvalidArgument)
	})
}

func TestCachePersist(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.bin")
	t.Run("round_trip", func(t *testing.T) {
		c := newCache(t, CacheOptions{Shards: 2})
		want := map[Key]Tensor{}
		for i := 0; i < 20; i++ {
			k := KeyOfBytes([]byte{byte(i)})
			v := Tensor{Data: ramp(6, float32(i)), Shape: []int{3, 2}}
			noErr(t, c.Put(k, v.Data, v.Shape))
			want[k] = v
		}
		noErr(t, c.Save(path))
		fi, err := os.Stat(path)
		noErr(t, err)
		if fi.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v", fi.Mode())
		}
		d := newCache(t, CacheOptions{Shards: 2})
		noErr(t, d.Load(path))
		for k, v := range want {
			got, ok, err := d.Get(k)
			noErr(t, err)
			if !ok {
				t.Fatalf("key %v lost", k)
			}
			wantTensor(t, got, v.Data, v.Shape)
		}
		wantStats(t, d, func(s CacheStats) bool { return s.Entries == 20 && s.Inserts == 0 })
	})
	t.Run("corrupt", func(t *testing.T) {
		b, err := os.ReadFile(path)
		noErr(t, err)
		b[len(b)/2] ^= 0xff
		bad := filepath.Join(dir, "bad.bin")
		noErr(t, os.WriteFile(bad, b, 0o600))
		c := newCache(t, CacheOptions{})
		noErr(t, c.Put(Key{1, 1}, []float32{1}, nil))
		wantErr(t, c.Load(bad), ErrFormat)
		noErr(t, os.WriteFile(bad, b[:len(b)/3], 0o600))
		wantErr(t, c.Load(bad), ErrFormat)
		noErr(t, os.WriteFile(bad, nil, 0o600))
		wantErr(t, c.Load(bad), ErrFormat)
		wantStats(t, c, func(s CacheStats) bool { return s.Entries == 1 })
	})
	t.Run("io_errors", func(t *testing.T) {
		c := newCache(t, CacheOptions{})
		wantErr(t, c.Save(filepath.Join(dir, "missing", "x.bin")), ErrIO)
		wantErr(t, c.Load(filepath.Join(dir, "missing.bin")), ErrIO)
		wantErr(t, c.Save(""), ErrInvalidArgument)
		wantErr(t, c.Load("a\x00b"), ErrInvalidArgument)
	})
}

func TestCacheClose(t *testing.T) {
	t.Run("double_close_and_use_after", func(t *testing.T) {
		c, err := NewEncoderCache(CacheOptions{})
		noErr(t, err)
		noErr(t, c.Put(Key{1, 1}, []float32{1}, nil))
		noErr(t, c.Close())
		noErr(t, c.Close())
		k := Key{1, 1}
		check := func(err error) {
			t.Helper()
			wantErr(t, err, ErrInvalidArgument, "closed")
			if !errors.Is(err, ErrClosed) {
				t.Fatalf("%v does not match ErrClosed", err)
			}
		}
		check(c.Put(k, []float32{1}, nil))
		_, _, err = c.Get(k)
		check(err)
		_, err = c.Contains(k)
		check(err)
		_, err = c.Remove(k)
		check(err)
		check(c.Clear())
		_, err = c.Stats()
		check(err)
		check(c.ResetStats())
		check(c.Save(filepath.Join(t.TempDir(), "x")))
		check(c.Load(filepath.Join(t.TempDir(), "x")))
		_, err = c.GetOrCompute(k, func(Key) (Tensor, error) { return Tensor{}, nil })
		check(err)
		var nilc *EncoderCache
		noErr(t, nilc.Close())
		_, _, err = nilc.Get(k)
		wantErr(t, err, ErrInvalidArgument)
	})
	t.Run("close_from_compute", func(t *testing.T) {
		c, err := NewEncoderCache(CacheOptions{})
		noErr(t, err)
		got, err := c.GetOrCompute(Key{2, 2}, func(Key) (Tensor, error) {
			noErr(t, c.Close()) // takes effect when this call returns
			_, _, err := c.Get(Key{2, 2})
			if !errors.Is(err, ErrClosed) {
				t.Errorf("Get after Close: %v", err)
			}
			return Tensor{Data: []float32{3}}, nil
		})
		noErr(t, err)
		wantTensor(t, got, []float32{3}, []int{1})
		if atomic.LoadInt32(&c.destroyed) != 1 {
			t.Fatal("not released after the last call")
		}
	})
	t.Run("close_while_busy", func(t *testing.T) {
		c, err := NewEncoderCache(CacheOptions{Clock: time.Now, TTL: time.Hour})
		noErr(t, err)
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; ; i++ {
					k := Key{uint64(g), uint64(i % 50)}
					if err := c.Put(k, []float32{float32(i)}, nil); err != nil {
						if !errors.Is(err, ErrClosed) {
							t.Errorf("Put: %v", err)
						}
						return
					}
					if _, err := c.GetOrCompute(Key{uint64(i % 7), 1}, func(Key) (Tensor, error) {
						return Tensor{Data: []float32{1, 2}}, nil
					}); err != nil && !errors.Is(err, ErrClosed) {
						t.Errorf("GetOrCompute: %v", err)
					}
				}
			}(g)
		}
		time.Sleep(20 * time.Millisecond)
		noErr(t, c.Close())
		wg.Wait()
		if atomic.LoadInt32(&c.destroyed) != 1 {
			t.Fatal("not released")
		}
	})
	t.Run("finalizer", func(t *testing.T) {
		func() {
			c, err := NewEncoderCache(CacheOptions{Clock: time.Now})
			noErr(t, err)
			noErr(t, c.Put(Key{1, 1}, []float32{1}, nil))
		}()
		for i := 0; i < 3; i++ {
			runtime.GC()
		}
	})
}

func TestCacheConcurrent(t *testing.T) {
	c := newCache(t, CacheOptions{MaxEntries: 64})
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				k := Key{uint64(i % 100), 0}
				v := []float32{float32(i % 100), float32(i % 100)}
				switch i % 4 {
				case 0:
					if err := c.Put(k, v, []int{1, 2}); err != nil {
						t.Error(err)
						return
					}
				case 1:
					got, ok, err := c.Get(k)
					if err != nil || (ok && got.Data[0] != float32(i%100)) {
						t.Errorf("Get: %v %v", got, err)
						return
					}
				default:
					got, err := c.GetOrCompute(k, func(Key) (Tensor, error) { return Tensor{Data: v, Shape: []int{2, 1}}, nil })
					if err != nil || got.Data[0] != float32(i%100) {
						t.Errorf("GetOrCompute: %v %v", got, err)
						return
					}
				}
			}
		}(g)
	}
	wg.Wait()
	wantStats(t, c, func(s CacheStats) bool { return s.Entries <= 64 })
}
