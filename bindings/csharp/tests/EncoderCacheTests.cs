using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace LibCore.Tests;

/// <summary>CacheKey and EncoderCache (cache.h): keys, every member, misses, the
/// binding's output sizing, bounds, TTL with an injected clock, single flight,
/// exceptions in the compute delegate, save/load, disposal.</summary>
public class EncoderCacheTests
{
    private static float[] Seq(int n, float start = 0) => Enumerable.Range(0, n).Select(i => start + i).ToArray();
    private static CacheKey K(int i) => CacheKey.Of(BitConverter.GetBytes(i));

    // ---- keys ------------------------------------------------------------------------

    [Fact]
    public void Key_of_bytes_is_xxh3_128()
    {
        // Reference values from libxxhash's XXH3_128bits.
        CacheKey empty = CacheKey.Of(ReadOnlySpan<byte>.Empty);
        Assert.Equal(0x6001c324468d497fUL, empty.Lo);
        Assert.Equal(0x99aa06d3014798d8UL, empty.Hi);
        Assert.Equal("99aa06d3014798d86001c324468d497f", empty.ToString());
        CacheKey fox = CacheKey.Of("the quick brown fox"u8);
        Assert.Equal(new CacheKey(0xab2ec4cf7e8d85d2UL, 0x2830e9c6299d0ff9UL), fox);
        Assert.True(fox == CacheKey.Of("the quick brown fox"u8.ToArray()));
        Assert.True(fox != empty);
        Assert.False(fox.Equals((object)empty));
        Assert.Equal(fox.GetHashCode(), new CacheKey(fox.Lo, fox.Hi).GetHashCode());
        Assert.Equal(16, Unsafe.SizeOf<CacheKey>());
    }

    [Fact]
    public void Key_of_audio_is_equal_after_rounding()
    {
        float[] a = { 0.1234561f, -0.5f, 0.0f, 0.25f };
        float[] b = { 0.1234559f, -0.5f, -0.0f, 0.25f }; // equal after np.round(x, 6); -0.0 == 0.0
        Assert.Equal(CacheKey.OfAudio(a, 6), CacheKey.OfAudio(b, 6));
        Assert.NotEqual(CacheKey.OfAudio(a, 6), CacheKey.OfAudio(a, 7));     // decimals are hashed
        Assert.NotEqual(CacheKey.OfAudio(a, 6), CacheKey.OfAudio(a.AsSpan(0, 3), 6)); // so is the length
        Assert.NotEqual(CacheKey.OfAudio(a, 6), CacheKey.Of(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan())));
        Assert.Equal(CacheKey.OfAudio(ReadOnlySpan<float>.Empty, 6), CacheKey.OfAudio(Array.Empty<float>(), 6));
        Assert.NotEqual(CacheKey.OfAudio(Array.Empty<float>(), 6), CacheKey.OfAudio(Array.Empty<float>(), 5));
    }

    [Fact]
    public void Key_of_audio_rejects_nan_and_bad_decimals()
    {
        var e = Assert.Throws<CoreException>(() => CacheKey.OfAudio(new[] { 0f, float.NaN }, 6));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_cache_key_audio", e.LibCoreMessage);
        Assert.Equal(CoreStatus.InvalidArgument,
                     Assert.Throws<CoreException>(() => CacheKey.OfAudio(new[] { 0f }, 11)).Status);
        Assert.Equal(CoreStatus.InvalidArgument,
                     Assert.Throws<CoreException>(() => CacheKey.OfAudio(new[] { 0f }, -1)).Status);
        CacheKey.OfAudio(new[] { 0f }, 10); // the largest accepted
    }

    [Fact]
    public void Native_structs_have_the_layout_the_wrapper_was_compiled_with()
    {
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(3), (ulong)Unsafe.SizeOf<NativeCacheOptions>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(4), (ulong)Unsafe.SizeOf<NativeCacheStats>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(5), (ulong)Unsafe.SizeOf<CacheKey>());
        Assert.Equal(72, Unsafe.SizeOf<NativeCacheOptions>());
        Assert.Equal(96, Unsafe.SizeOf<NativeCacheStats>());
    }

    // ---- entries -----------------------------------------------------------------------

    [Fact]
    public void Put_and_get_with_shapes()
    {
        using var cache = new EncoderCache();
        cache.Put(K(1), Seq(6));
        cache.Put(K(2), Seq(6, 10), new[] { 2, 3 });
        cache.Put(K(3), Seq(24, 20), new long[] { 2, 3, 2, 2 });
        cache.Put(K(4), new Tensor(Seq(4, 30), 4, 1));
        cache.Put(K(5), new Tensor(Seq(3, 40)));

        Tensor t1 = cache.Get(K(1));
        Assert.Equal(Seq(6), t1.Data);
        Assert.Equal(new[] { 6 }, t1.Shape);
        Assert.Equal(6, t1.Length);
        Tensor t2 = cache.Get(K(2));
        Assert.Equal(Seq(6, 10), t2.Data);
        Assert.Equal(new[] { 2, 3 }, t2.Shape);
        Assert.True(cache.TryGet(K(3), out Tensor t3));
        Assert.Equal(Seq(24, 20), t3.Data);
        Assert.Equal(new[] { 2, 3, 2, 2 }, t3.Shape);
        Assert.Equal(new[] { 4, 1 }, cache.Get(K(4)).Shape);
        Assert.Equal(new[] { 3 }, cache.Get(K(5)).Shape);
        Assert.Equal("Tensor(2x3, 6 floats)", t2.ToString());

        cache.Put(K(1), Seq(2, 100)); // replaces
        Assert.Equal(Seq(2, 100), cache.Get(K(1)).Data);
        Assert.Equal(5, cache.GetStats().Entries);
    }

    [Fact]
    public void A_miss()
    {
        using var cache = new EncoderCache();
        Assert.False(cache.TryGet(K(1), out Tensor t));
        Assert.Null(t.Data);
        Assert.Equal(0, t.Length);
        Assert.Throws<KeyNotFoundException>(() => cache.Get(K(1)));
        Assert.False(cache.Contains(K(1)));
        Assert.False(cache.Remove(K(1)));
        CacheStats s = cache.GetStats();
        Assert.Equal(0, s.Hits);
        Assert.Equal(2, s.Misses);
        Assert.Equal(0.0, s.HitRate);
    }

    [Fact]
    public void Buffer_too_small_is_hidden_and_counts_one_hit()
    {
        using var cache = new EncoderCache(new EncoderCacheOptions { MaxBytes = 0, MaxEntries = 100 });
        cache.Put(K(1), Seq(3));
        cache.Put(K(2), Seq(1000, 1));
        cache.Put(K(3), Seq(100_000, 2), new[] { 1000, 100 }); // above the binding's largest guess
        cache.Put(K(4), Seq(1, 3));
        for (int round = 0; round < 3; ++round)
            foreach (int i in new[] { 1, 2, 1, 3, 3, 4, 2 })
            {
                Tensor t = cache.Get(K(i));
                int n = i switch { 1 => 3, 2 => 1000, 3 => 100_000, _ => 1 };
                Assert.Equal(n, t.Data.Length);
                Assert.Equal(i - 1, t.Data[0]);
                Assert.Equal(i - 1 + n - 1, t.Data[^1]);
            }
        CacheStats s = cache.GetStats();
        Assert.Equal(21, s.Hits);   // a retried lookup counts once
        Assert.Equal(0, s.Misses);
        // GetOrCompute hits size their output the same way.
        Assert.Equal(100_000, cache.GetOrCompute(K(3), _ => throw new InvalidOperationException()).Length);
        Assert.Equal(3, cache.GetOrCompute(K(1), _ => throw new InvalidOperationException()).Length);
        Assert.Equal(1000, cache.GetOrCompute(K(2), _ => throw new InvalidOperationException()).Length);
        Assert.Equal(24, cache.GetStats().Hits);
    }

    [Fact]
    public void Contains_remove_clear()
    {
        using var cache = new EncoderCache();
        for (int i = 0; i < 10; ++i)
            cache.Put(K(i), Seq(4, i));
        Assert.True(cache.Contains(K(3)));
        Assert.True(cache.Remove(K(3)));
        Assert.False(cache.Contains(K(3)));
        Assert.False(cache.Remove(K(3)));
        Assert.Equal(9, cache.GetStats().Entries);
        cache.Clear();
        Assert.False(cache.Contains(K(0)));
        CacheStats s = cache.GetStats();
        Assert.Equal(0, s.Entries);
        Assert.Equal(0, s.Bytes);
        Assert.Equal(0, s.Evictions);  // clear is not eviction
        Assert.Equal(10, s.Inserts);   // counters are kept
        Assert.Equal(0, s.Hits + s.Misses); // contains and remove count nothing
        cache.Clear(); // empty: fine
    }

    [Fact]
    public void Stats_every_field_and_reset()
    {
        using var cache = new EncoderCache(new EncoderCacheOptions { MaxEntries = 2, Shards = 1 });
        Assert.Equal(1, cache.Shards);
        cache.Put(K(1), Seq(10));
        cache.Put(K(2), Seq(20));
        cache.Get(K(1));              // 1 becomes most recent
        cache.Put(K(3), Seq(30));     // evicts 2, the least recently used
        Assert.False(cache.Contains(K(2)));
        Assert.True(cache.Contains(K(1)));
        cache.TryGet(K(2), out _);
        cache.GetOrCompute(K(4), _ => new Tensor(Seq(5)));
        CacheStats s = cache.GetStats();
        Assert.Equal(1, s.Hits);
        Assert.Equal(2, s.Misses);
        Assert.Equal(4, s.Inserts);
        Assert.Equal(2, s.Evictions);
        Assert.Equal(0, s.Expirations);
        Assert.Equal(2, s.Entries);
        Assert.Equal(EncoderCache.EntryBytes(30) + EncoderCache.EntryBytes(5), s.Bytes);
        Assert.Equal(1.0 / 3.0, s.HitRate, 12);
        Assert.Equal(1, s.Computes);
        Assert.Equal(0, s.ComputeFailures);
        Assert.Equal(0, s.ComputeWaits);

        cache.ResetStats();
        CacheStats r = cache.GetStats();
        Assert.Equal(new CacheStats(0, 0, 0, 0, 0, s.Entries, s.Bytes, 0.0, 0, 0, 0), r);
        Assert.StartsWith("EncoderCache(Entries=2, ", cache.ToString());
    }

    [Fact]
    public void Entry_bytes()
    {
        Assert.Equal(256, EncoderCache.EntryBytes(0));
        Assert.Equal(4 * 512 + 256, EncoderCache.EntryBytes(512));
        Assert.Throws<ArgumentOutOfRangeException>(() => EncoderCache.EntryBytes(-1));
    }

    [Fact]
    public void Byte_bound_and_full()
    {
        long one = EncoderCache.EntryBytes(100);
        using var cache = new EncoderCache(new EncoderCacheOptions { MaxEntries = 0, MaxBytes = 3 * one, Shards = 1 });
        for (int i = 0; i < 5; ++i)
            cache.Put(K(i), Seq(100, i));
        CacheStats s = cache.GetStats();
        Assert.Equal(3, s.Entries);
        Assert.Equal(3 * one, s.Bytes);
        Assert.Equal(2, s.Evictions);
        var e = Assert.Throws<CoreException>(() => cache.Put(K(9), Seq(1000)));
        Assert.Equal(CoreStatus.Full, e.Status);
        Assert.Contains("core_cache_put", e.LibCoreMessage);
        Assert.Equal(3, cache.GetStats().Entries); // nothing evicted
    }

    [Fact]
    public void Bad_values_and_options()
    {
        using var cache = new EncoderCache();
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => cache.Put(K(1), Array.Empty<float>())).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => cache.Put(K(1), Seq(6), new[] { 4, 2 })).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => cache.Put(K(1), Seq(6), new[] { 6, 0 })).Status);
        Assert.Equal(CoreStatus.InvalidArgument,
                     Assert.Throws<CoreException>(() => cache.Put(K(1), Seq(1), new[] { 1, 1, 1, 1, 1 })).Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Put(K(1), Seq(6), new[] { -6 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Put(K(1), Seq(6), new long[] { -6 }));
        Assert.Throws<ArgumentException>(() => cache.Put(K(1), default(Tensor)));
        Assert.Throws<ArgumentNullException>(() => new Tensor(null!));
        Assert.Equal(0, cache.GetStats().Entries); // nothing stored by a failed put

        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(
            () => new EncoderCache(new EncoderCacheOptions { MaxEntries = 0, MaxBytes = 0 })).Status);
        var e = Assert.Throws<CoreException>(() => new EncoderCache(new EncoderCacheOptions { Shards = 3 }));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_cache_create", e.LibCoreMessage);
        Assert.Throws<CoreException>(() => new EncoderCache(new EncoderCacheOptions { Shards = 512 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EncoderCache(new EncoderCacheOptions { MaxEntries = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EncoderCache(new EncoderCacheOptions { Ttl = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentNullException>(() => new EncoderCache(null!));
        // A failed creation with a clock frees the clock's handle (nothing to observe but no crash).
        Assert.Throws<CoreException>(() => new EncoderCache(new EncoderCacheOptions { Shards = 3, Clock = () => 0 }));

        using var four = new EncoderCache(new EncoderCacheOptions { Shards = 4 });
        Assert.Equal(4, four.Shards);
    }

    // ---- TTL with an injected clock ---------------------------------------------------

    [Fact]
    public void Ttl_with_an_injected_clock()
    {
        long now = 1_000;
        using var cache = new EncoderCache(new EncoderCacheOptions
        {
            Ttl = TimeSpan.FromMilliseconds(100),
            Clock = () => Interlocked.Read(ref now),
        });
        cache.Put(K(1), Seq(4));
        cache.Put(K(2), Seq(4));
        Interlocked.Exchange(ref now, 1_050);
        cache.Put(K(3), Seq(4));
        Assert.True(cache.TryGet(K(1), out _)); // a read does not extend the TTL
        Interlocked.Exchange(ref now, 1_120);
        Assert.False(cache.TryGet(K(1), out _));
        Assert.False(cache.Contains(K(2)));
        Assert.True(cache.Contains(K(3)));
        CacheStats s = cache.GetStats();
        Assert.Equal(2, s.Expirations);
        Assert.Equal(1, s.Entries);
        Interlocked.Exchange(ref now, 1_200);
        Assert.Equal(0, cache.GetStats().Entries); // stats sweeps
        Assert.Equal(3, cache.GetStats().Expirations);
        // A put restarts the TTL; GetOrCompute stores with the clock's time too.
        cache.Put(K(1), Seq(4));
        Assert.Equal(7f, cache.GetOrCompute(K(4), _ => new Tensor(new[] { 7f }, 1)).Data[0]);
        Interlocked.Exchange(ref now, 1_299);
        Assert.True(cache.Contains(K(1)) && cache.Contains(K(4)));
        Interlocked.Exchange(ref now, 1_400);
        Assert.False(cache.Contains(K(1)) || cache.Contains(K(4)));
    }

    [Fact]
    public void A_clock_that_throws_stands_still()
    {
        long now = 500;
        bool fail = false;
        using var cache = new EncoderCache(new EncoderCacheOptions
        {
            Ttl = TimeSpan.FromMilliseconds(10),
            Clock = () => Volatile.Read(ref fail) ? throw new InvalidOperationException("clock") : Interlocked.Read(ref now),
        });
        cache.Put(K(1), Seq(2));
        Interlocked.Exchange(ref now, 100_000);
        Volatile.Write(ref fail, true);
        Assert.True(cache.Contains(K(1))); // the clock threw: still 500
        Volatile.Write(ref fail, false);
        Assert.False(cache.Contains(K(1)));
    }

    [Fact]
    public void The_clock_delegate_is_kept_alive()
    {
        // Only the cache references the delegate; a GC must not free it.
        static EncoderCache Make(long[] box) =>
            new(new EncoderCacheOptions { Ttl = TimeSpan.FromMilliseconds(5), Clock = () => Interlocked.Read(ref box[0]) });
        long[] box = { 10 };
        using var cache = Make(box);
        cache.Put(K(1), Seq(2));
        for (int i = 0; i < 3; ++i)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.True(cache.Contains(K(1)));
        Interlocked.Exchange(ref box[0], 20);
        Assert.False(cache.Contains(K(1)));
    }

    // ---- get or compute ------------------------------------------------------------------

    [Fact]
    public void Get_or_compute_computes_once_then_hits()
    {
        using var cache = new EncoderCache();
        int calls = 0;
        CacheKey seen = default;
        Tensor Compute(CacheKey k)
        {
            ++calls;
            seen = k;
            return new Tensor(Seq(6, 1), 3, 2);
        }
        Tensor a = cache.GetOrCompute(K(7), Compute);
        Tensor b = cache.GetOrCompute(K(7), Compute);
        Assert.Equal(1, calls);
        Assert.Equal(K(7), seen);
        Assert.Equal(Seq(6, 1), a.Data);
        Assert.Equal(new[] { 3, 2 }, a.Shape);
        Assert.Equal(a.Data, b.Data);
        Assert.Equal(new[] { 3, 2 }, b.Shape);
        Assert.Equal(new[] { 3, 2 }, cache.Get(K(7)).Shape);
        CacheStats s = cache.GetStats();
        Assert.Equal((2L, 1L, 1L, 1L), (s.Hits, s.Misses, s.Computes, s.Inserts));
        Assert.Throws<ArgumentNullException>(() => cache.GetOrCompute(K(8), null!));
    }

    [Fact]
    public void Get_or_compute_of_a_value_larger_than_the_guess()
    {
        using var cache = new EncoderCache();
        cache.Put(K(1), Seq(2));
        cache.Get(K(1)); // the binding's guess is now 2 floats
        var big = new Tensor(Seq(5000), 50, 100);
        Tensor got = cache.GetOrCompute(K(2), _ => big);
        Assert.Same(big.Data, got.Data);  // the computing thread gets the delegate's own value
        Tensor again = cache.GetOrCompute(K(2), _ => throw new InvalidOperationException());
        Assert.Equal(big.Data, again.Data);
        Assert.Equal(big.Shape, again.Shape);
        CacheStats s = cache.GetStats();
        Assert.Equal((2L, 1L), (s.Hits, s.Misses));
    }

    [Fact]
    public void Single_flight_runs_the_delegate_once_for_many_threads()
    {
        using var cache = new EncoderCache();
        const int threads = 8;
        int calls = 0;
        // Teach the binding the value's size first: a waiter whose first guess is
        // too small copies the value with a second lookup, which counts a hit.
        cache.Put(K(1), Seq(512));
        cache.Get(K(1));
        cache.ResetStats();
        using var start = new Barrier(threads);
        var results = new Tensor[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            results[t] = cache.GetOrCompute(K(42), k =>
            {
                Interlocked.Increment(ref calls);
                // Wait until every other thread has at least started waiting, or a while.
                var sw = System.Diagnostics.Stopwatch.StartNew();
                while (cache.GetStats().ComputeWaits < threads - 1 && sw.ElapsedMilliseconds < 10_000)
                    Thread.Sleep(1);
                return new Tensor(Seq(512, 3), 2, 256);
            });
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Equal(1, calls);
        foreach (Tensor r in results)
        {
            Assert.Equal(Seq(512, 3), r.Data);
            Assert.Equal(new[] { 2, 256 }, r.Shape);
        }
        CacheStats s = cache.GetStats();
        Assert.Equal(1, s.Computes);
        Assert.Equal(1, s.Inserts);
        Assert.Equal(threads, s.Hits + s.Misses); // one each
        Assert.Equal(threads - 1, s.ComputeWaits); // the delegate waited for all of them
    }

    [Fact]
    public void An_exception_reaches_the_computing_thread_and_nothing_is_cached()
    {
        using var cache = new EncoderCache();
        cache.Put(K(1), Seq(3));
        var boom = new InvalidOperationException("encoder failed");
        var thrown = Assert.Throws<InvalidOperationException>(() => cache.GetOrCompute(K(2), _ => throw boom));
        Assert.Same(boom, thrown);
        Assert.False(cache.Contains(K(2)));
        Assert.True(cache.Contains(K(1))); // nothing lost
        CacheStats s = cache.GetStats();
        Assert.Equal((1L, 1L, 0L, 1L), (s.Computes, s.ComputeFailures, s.Inserts - 1, s.Entries));
        // Nothing was cached: the next call computes.
        Assert.Equal(5f, cache.GetOrCompute(K(2), _ => new Tensor(new[] { 5f })).Data[0]);
        // A CoreException keeps its identity too.
        var core = new CoreException(CoreStatus.Unavailable, "model not loaded");
        Assert.Same(core, Assert.Throws<CoreException>(() => cache.GetOrCompute(K(3), _ => throw core)));
    }

    [Fact]
    public void Waiters_get_a_core_exception_with_the_mapped_status()
    {
        using var cache = new EncoderCache();
        const int waiters = 3;
        Exception? leaderError = null;
        var waiterErrors = new Exception?[waiters];
        using var computing = new ManualResetEventSlim();
        var leader = new Thread(() =>
        {
            try
            {
                cache.GetOrCompute(K(9), _ =>
                {
                    computing.Set();
                    var sw = System.Diagnostics.Stopwatch.StartNew();
                    while (cache.GetStats().ComputeWaits < waiters && sw.ElapsedMilliseconds < 5000)
                        Thread.Sleep(1);
                    throw new TimeoutException("encoder timed out");
                });
            }
            catch (Exception e) { leaderError = e; }
        });
        leader.Start();
        computing.Wait();
        var others = Enumerable.Range(0, waiters).Select(i => new Thread(() =>
        {
            try { cache.GetOrCompute(K(9), _ => throw new InvalidOperationException("must not run")); }
            catch (Exception e) { waiterErrors[i] = e; }
        })).ToList();
        others.ForEach(t => t.Start());
        others.ForEach(t => t.Join());
        leader.Join();

        Assert.IsType<TimeoutException>(leaderError);
        foreach (Exception? e in waiterErrors)
        {
            var ce = Assert.IsType<CoreException>(e);
            Assert.Equal(CoreStatus.Unavailable, ce.Status);
            Assert.Contains("another caller", ce.LibCoreMessage);
        }
        CacheStats s = cache.GetStats();
        Assert.Equal((1L, 1L, (long)waiters, 0L), (s.Computes, s.ComputeFailures, s.ComputeWaits, s.Entries));
    }

    [Fact]
    public void Exceptions_map_to_statuses()
    {
        Assert.Equal(CoreStatus.Unavailable, EncoderCache.StatusOf(new CoreException(CoreStatus.Unavailable, "x")));
        Assert.Equal(CoreStatus.Unavailable, EncoderCache.StatusOf(new CoreException(CoreStatus.BufferTooSmall, "x")));
        Assert.Equal(CoreStatus.InvalidArgument, EncoderCache.StatusOf(new ArgumentOutOfRangeException("x")));
        Assert.Equal(CoreStatus.OutOfMemory, EncoderCache.StatusOf(new OutOfMemoryException()));
        Assert.Equal(CoreStatus.Unavailable, EncoderCache.StatusOf(new InvalidOperationException()));
    }

    [Fact]
    public void A_bad_computed_value_fails_and_caches_nothing()
    {
        using var cache = new EncoderCache(new EncoderCacheOptions { MaxEntries = 0, MaxBytes = EncoderCache.EntryBytes(10), Shards = 1 });
        var e = Assert.Throws<CoreException>(() => cache.GetOrCompute(K(1), _ => default));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        e = Assert.Throws<CoreException>(() => cache.GetOrCompute(K(1), _ => new Tensor(Seq(6), 4, 2)));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_cache_writer_put", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => cache.GetOrCompute(K(1), _ => new Tensor(Seq(11))));
        Assert.Equal(CoreStatus.Full, e.Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.GetOrCompute(K(1), _ => new Tensor(Seq(6), -6)));
        CacheStats s = cache.GetStats();
        Assert.Equal((4L, 4L, 0L), (s.Computes, s.ComputeFailures, s.Entries));
    }

    [Fact]
    public void The_delegate_may_use_the_cache_but_not_recompute_its_key()
    {
        using var cache = new EncoderCache();
        Tensor t = cache.GetOrCompute(K(1), k =>
        {
            var nested = Assert.Throws<CoreException>(() => cache.GetOrCompute(k, _ => new Tensor(Seq(1))));
            Assert.Equal(CoreStatus.InvalidArgument, nested.Status);
            cache.Put(K(2), Seq(2));                                   // other keys are fine
            Tensor other = cache.GetOrCompute(K(3), _ => new Tensor(Seq(3)));
            return new Tensor(other.Data.Concat(cache.Get(K(2)).Data).ToArray());
        });
        Assert.Equal(new float[] { 0, 1, 2, 0, 1 }, t.Data);
        Assert.Equal(3, cache.GetStats().Entries);
    }

    // ---- save and load --------------------------------------------------------------------

    private sealed class TempDir : IDisposable
    {
        public readonly string Path = Directory.CreateTempSubdirectory("libcore-cache-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() => Directory.Delete(Path, true);
    }

    [Fact]
    public void Save_and_load_round_trip()
    {
        using var dir = new TempDir();
        string path = dir.File("cache.bin");
        using (var cache = new EncoderCache())
        {
            cache.Put(K(1), Seq(6), new[] { 2, 3 });
            cache.Put(K(2), Seq(1000, 5));
            cache.Put(K(3), Seq(24, -1), new[] { 1, 2, 3, 4 });
            cache.Save(path);
            cache.Save(path); // replaces atomically
        }
        Assert.True(File.Exists(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path)); // no temporary left over

        using var loaded = new EncoderCache();
        loaded.Put(K(2), Seq(1, 99)); // replaced by the file's entry
        loaded.Load(path);
        Assert.Equal(new[] { 2, 3 }, loaded.Get(K(1)).Shape);
        Assert.Equal(Seq(6), loaded.Get(K(1)).Data);
        Assert.Equal(Seq(1000, 5), loaded.Get(K(2)).Data);
        Assert.Equal(new[] { 1, 2, 3, 4 }, loaded.Get(K(3)).Shape);
        Assert.Equal(Seq(24, -1), loaded.Get(K(3)).Data);
        CacheStats s = loaded.GetStats();
        Assert.Equal(3, s.Entries);
        Assert.Equal(1, s.Inserts); // load is not counted as inserts
    }

    [Fact]
    public void Load_keeps_write_times_and_drops_expired_entries()
    {
        using var dir = new TempDir();
        string path = dir.File("ttl.bin");
        long now = 10_000;
        var options = new EncoderCacheOptions { Ttl = TimeSpan.FromMilliseconds(100), Clock = () => Interlocked.Read(ref now) };
        using (var cache = new EncoderCache(options))
        {
            cache.Put(K(1), Seq(2));
            Interlocked.Exchange(ref now, 10_080);
            cache.Put(K(2), Seq(2));
            cache.Save(path);
        }
        Interlocked.Exchange(ref now, 10_150);
        using var loaded = new EncoderCache(options);
        loaded.Load(path);
        Assert.False(loaded.Contains(K(1))); // written at 10 000: expired
        Assert.True(loaded.Contains(K(2)));  // written at 10 080: 30 ms left
        Interlocked.Exchange(ref now, 10_190);
        Assert.False(loaded.Contains(K(2)));
    }

    [Fact]
    public void A_corrupt_file_is_a_format_error_and_changes_nothing()
    {
        using var dir = new TempDir();
        string path = dir.File("good.bin");
        using (var cache = new EncoderCache())
        {
            for (int i = 0; i < 4; ++i)
                cache.Put(K(i), Seq(64, i));
            cache.Save(path);
        }
        byte[] good = File.ReadAllBytes(path);

        using var target = new EncoderCache();
        target.Put(K(100), Seq(3));
        void ExpectFormat(byte[] bytes, string name)
        {
            string p = dir.File(name);
            File.WriteAllBytes(p, bytes);
            var e = Assert.Throws<CoreException>(() => target.Load(p));
            Assert.Equal(CoreStatus.Format, e.Status);
            Assert.Contains("core_cache_load", e.LibCoreMessage);
            Assert.Equal(1, target.GetStats().Entries);
            Assert.True(target.Contains(K(100)));
        }
        byte[] flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x40;
        ExpectFormat(flipped, "flipped.bin");
        ExpectFormat(good[..(good.Length - 7)], "truncated.bin");
        ExpectFormat(Array.Empty<byte>(), "empty.bin");
        ExpectFormat(new byte[100], "zeros.bin");

        var io = Assert.Throws<CoreException>(() => target.Load(dir.File("missing.bin")));
        Assert.Equal(CoreStatus.Io, io.Status);
        io = Assert.Throws<CoreException>(() => target.Save(dir.File(Path.Combine("no-such-dir", "x.bin"))));
        Assert.Equal(CoreStatus.Io, io.Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => target.Save("")).Status);
        Assert.Throws<ArgumentNullException>(() => target.Save(null!));
        Assert.Throws<ArgumentNullException>(() => target.Load(null!));
        target.Load(path); // the good file still loads
        Assert.Equal(5, target.GetStats().Entries);
    }

    // ---- disposal and threads -------------------------------------------------------------

    [Fact]
    public void Double_dispose_and_use_after_dispose()
    {
        var cache = new EncoderCache(new EncoderCacheOptions { Clock = () => 1 });
        cache.Put(K(1), Seq(2));
        Assert.False(cache.IsDisposed);
        cache.Dispose();
        cache.Dispose();
        Assert.True(cache.IsDisposed);
        Assert.Equal("EncoderCache(disposed)", cache.ToString());
        var calls = new Action[]
        {
            () => cache.Put(K(1), Seq(2)),
            () => cache.Put(K(1), Seq(2), new[] { 2 }),
            () => cache.Put(K(1), Seq(2), new long[] { 2 }),
            () => cache.Put(K(1), new Tensor(Seq(2))),
            () => cache.TryGet(K(1), out _),
            () => cache.Get(K(1)),
            () => cache.Contains(K(1)),
            () => cache.Remove(K(1)),
            () => cache.Clear(),
            () => cache.GetOrCompute(K(1), _ => new Tensor(Seq(1))),
            () => cache.GetStats(),
            () => cache.ResetStats(),
            () => cache.Save("/tmp/never-written"),
            () => cache.Load("/tmp/never-read"),
            () => _ = cache.Shards,
        };
        foreach (Action call in calls)
            Assert.Throws<ObjectDisposedException>(call);
        Assert.False(File.Exists("/tmp/never-written"));
        // Keys need no cache.
        Assert.Equal(CacheKey.Of(new byte[] { 1 }), CacheKey.Of(new byte[] { 1 }));
    }

    [Fact]
    public void Dispose_inside_the_compute_delegate_lets_the_call_finish()
    {
        var cache = new EncoderCache();
        Tensor t = cache.GetOrCompute(K(1), _ =>
        {
            cache.Dispose();
            return new Tensor(Seq(4));
        });
        Assert.Equal(Seq(4), t.Data);
        Assert.True(cache.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => cache.Get(K(1)));
    }

    [Fact]
    public void Dispose_while_waiters_wait_is_safe()
    {
        var cache = new EncoderCache();
        using var computing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Tensor fromLeader = default, fromWaiter = default;
        var leader = new Thread(() => fromLeader = cache.GetOrCompute(K(1), _ =>
        {
            computing.Set();
            release.Wait();
            return new Tensor(Seq(8));
        }));
        leader.Start();
        computing.Wait();
        var waiter = new Thread(() => fromWaiter = cache.GetOrCompute(K(1), _ => new Tensor(Seq(1))));
        waiter.Start();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (cache.GetStats().ComputeWaits < 1 && sw.ElapsedMilliseconds < 5000)
            Thread.Sleep(1);
        cache.Dispose(); // the native cache outlives both calls
        release.Set();
        leader.Join();
        waiter.Join();
        Assert.Equal(Seq(8), fromLeader.Data);
        Assert.Equal(Seq(8), fromWaiter.Data);
        Assert.Throws<ObjectDisposedException>(() => cache.Contains(K(1)));
    }

    [Fact]
    public void Many_threads_put_and_get()
    {
        using var cache = new EncoderCache(new EncoderCacheOptions { MaxEntries = 64 });
        const int threads = 4, ops = 20_000;
        long computed = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var rng = new Random(t);
            for (int i = 0; i < ops; ++i)
            {
                int k = rng.Next(200);
                switch (rng.Next(10))
                {
                case 0:
                    cache.Put(K(k), Seq(16, k));
                    break;
                case 1:
                    Tensor c = cache.GetOrCompute(K(k), _ =>
                    {
                        Interlocked.Increment(ref computed);
                        return new Tensor(Seq(16, k));
                    });
                    Assert.Equal(k, c.Data[0]);
                    break;
                default:
                    if (cache.TryGet(K(k), out Tensor v))
                        Assert.Equal(k + 15, v.Data[15]);
                    break;
                }
            }
        });
        CacheStats s = cache.GetStats();
        Assert.True(s.Entries <= 64);
        Assert.Equal(computed, s.Computes);
        Assert.True(s.Hits + s.Misses > 0);
    }
}
