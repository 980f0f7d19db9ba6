using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibCore;

/// <summary>
/// A float32 tensor as the <see cref="EncoderCache"/> stores it: the elements,
/// row-major, and a shape of 1 to 4 dimensions whose product is the element
/// count. A plain value: the cache copies data in and out and never keeps
/// these arrays.
/// </summary>
public readonly struct Tensor
{
    /// <summary>A tensor over <paramref name="data"/> (not copied) with the given
    /// shape; no shape means one dimension, {data.Length}. The shape is checked
    /// when the tensor is stored (<see cref="CoreException"/>(InvalidArgument) for a
    /// product that is not data.Length, a zero dimension or more than 4).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or
    /// <paramref name="shape"/> is null.</exception>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        Data = data;
        Shape = shape.Length == 0 ? new[] { data.Length } : shape;
    }

    /// <summary>The elements, row-major (null only for default(Tensor)).</summary>
    public float[] Data { get; }

    /// <summary>The dimensions (null only for default(Tensor)).</summary>
    public int[] Shape { get; }

    /// <summary>The number of elements, Data.Length.</summary>
    public int Length => Data?.Length ?? 0;

    /// <inheritdoc/>
    public override string ToString() =>
        Data is null ? "Tensor(empty)" : $"Tensor({string.Join("x", Shape)}, {Data.Length} floats)";
}

/// <summary>The counters of an <see cref="EncoderCache"/> (core_cache_stats_t, every
/// field). Exact: kept under the shard locks. See cache.h, convention 7.</summary>
/// <param name="Hits">Lookups (Get, TryGet, GetOrCompute) that found a live entry.</param>
/// <param name="Misses">Lookups that did not (expired entries included).</param>
/// <param name="Inserts">Entries stored by Put and GetOrCompute (not by Load).</param>
/// <param name="Evictions">Entries removed to honour the bounds.</param>
/// <param name="Expirations">Entries removed because their TTL passed.</param>
/// <param name="Entries">Entries held now (after sweeping expired ones).</param>
/// <param name="Bytes">Bytes held now, as <see cref="EncoderCache.EntryBytes"/> counts them.</param>
/// <param name="HitRate">Hits / (Hits + Misses), 0 when there were none.</param>
/// <param name="Computes">Compute delegates run by GetOrCompute.</param>
/// <param name="ComputeFailures">Of those, the ones that failed (threw).</param>
/// <param name="ComputeWaits">GetOrCompute calls that waited for another thread's
/// computation instead of computing.</param>
public sealed record CacheStats(long Hits, long Misses, long Inserts, long Evictions, long Expirations,
                                long Entries, long Bytes, double HitRate, long Computes, long ComputeFailures,
                                long ComputeWaits);

/// <summary>Creation options of an <see cref="EncoderCache"/> (core_cache_options_t).</summary>
public sealed class EncoderCacheOptions
{
    /// <summary>At most this many entries; 0 = no count bound; null = libcore's
    /// default (4096).</summary>
    public long? MaxEntries { get; set; }

    /// <summary>At most this many bytes, each entry counting
    /// <see cref="EncoderCache.EntryBytes"/>(n); 0 = no byte bound; null =
    /// libcore's default (256 MiB). At least one bound must be set.</summary>
    public long? MaxBytes { get; set; }

    /// <summary>Expire entries this long after they were written (a read does not
    /// extend it); <see cref="TimeSpan.Zero"/> (default) = never. Whole
    /// milliseconds (a fraction rounds up).</summary>
    public TimeSpan Ttl { get; set; }

    /// <summary>Lock shards: a power of two up to 256, or 0 (default) for automatic
    /// (up to 16, at least 64 entries each). Bounds are split between shards;
    /// LRU order is exact within a shard. 1 = one exact LRU.</summary>
    public int Shards { get; set; }

    /// <summary>
    /// The clock the TTL is measured with, in milliseconds of any fixed epoch,
    /// never decreasing; null (default) = the wall clock (CLOCK_REALTIME), which
    /// keeps the write times of <see cref="EncoderCache.Save"/> meaningful after
    /// a restart. For deterministic tests. libcore calls it on any thread
    /// that uses the cache, while holding a shard lock: it must be quick, must
    /// not use the cache and must not wait for a thread that might. A negative
    /// value counts as 0; if it throws, the exception is swallowed and the last
    /// value it returned is used (time stands still). The cache keeps the
    /// delegate (and what it captures) alive until it is disposed.
    /// </summary>
    public Func<long>? Clock { get; set; }
}

/// <summary>
/// The encoder cache (cache.h): a bounded, sharded LRU of float32
/// <see cref="Tensor"/>s keyed by 128-bit <see cref="CacheKey"/>s, with a TTL,
/// single-flight <see cref="GetOrCompute"/>, exact statistics, and atomic
/// save/load. Every member may be called from any number of threads at once.
/// </summary>
/// <remarks>
/// <para><b>Copies.</b> Put copies the data into the cache; Get/TryGet/GetOrCompute
/// return a new array sized by the binding (a too-small first guess is retried
/// with the size libcore reports: <see cref="CoreStatus.BufferTooSmall"/> never
/// reaches you).</para>
/// <para><b>Single flight.</b> Concurrent <see cref="GetOrCompute"/> calls for one
/// key run the delegate once, on the thread that missed first; the others wait
/// for it and get its value. If the delegate throws, that thread gets the
/// original exception, every waiter gets a <see cref="CoreException"/> whose
/// status the exception maps to (see <see cref="GetOrCompute"/>), and nothing is
/// cached.</para>
/// <para><b>Lifetime.</b> The native cache is owned by a SafeHandle.
/// <see cref="Dispose"/> (core_cache_destroy) may be called any number of times
/// from any thread, also from inside a compute delegate; afterwards every
/// member except Dispose and IsDisposed throws <see cref="ObjectDisposedException"/>.
/// Calls already running (a waiting GetOrCompute included) finish normally:
/// the native cache is released when the last of them returns. An undisposed
/// cache is released by the handle's finalizer.</para>
/// <para><b>Errors.</b> libcore's statuses become <see cref="CoreException"/>s:
/// InvalidArgument (empty data, a bad shape or option, a nested GetOrCompute
/// of the key being computed), Full (an entry larger than a shard's share of
/// MaxBytes), Io (a file that cannot be written or read), Format (a load file
/// that is empty, truncated, corrupt or of another version: the cache is
/// unchanged), OutOfMemory. A miss is false from TryGet/Remove, and
/// <see cref="KeyNotFoundException"/> from Get.</para>
/// </remarks>
public sealed class EncoderCache : IDisposable
{
    // Values up to this many floats are fetched in one call with the last size
    // seen as the guess; a larger guess would make every miss allocate it.
    private const int MaxGuess = 1 << 16;

    private readonly CacheHandle _handle;
    private readonly int _shards;
    private int _sizeHint;
    private volatile bool _disposed;

    /// <summary>A cache with libcore's defaults: 4096 entries, 256 MiB, no TTL,
    /// automatic shards, the wall clock.</summary>
    public EncoderCache() : this(new EncoderCacheOptions())
    {
    }

    /// <summary>Creates a cache (core_cache_options_init + core_cache_create).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative bound, shard count or TTL.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for both
    /// bounds 0 or a shard count that is not a power of two up to 256;
    /// <see cref="CoreStatus.OutOfMemory"/>.</exception>
    public unsafe EncoderCache(EncoderCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        NativeCacheOptions native;
        CoreNative.core_cache_options_init(&native);
        if (options.MaxEntries is long maxEntries)
            native.MaxEntries = (ulong)NonNegative(maxEntries, nameof(options.MaxEntries));
        if (options.MaxBytes is long maxBytes)
            native.MaxBytes = (ulong)NonNegative(maxBytes, nameof(options.MaxBytes));
        if (options.Ttl < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options.Ttl), options.Ttl, "The TTL must not be negative.");
        native.TtlMs = (ulong)Math.Ceiling(options.Ttl.TotalMilliseconds);
        native.Shards = (ulong)NonNegative(options.Shards, nameof(options.Shards));

        var handle = new CacheHandle();
        IntPtr cache = IntPtr.Zero;
        try
        {
            if (options.Clock is Func<long> clock)
            {
                handle.Clock = GCHandle.Alloc(new ClockState(clock));
                native.Clock = (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, ulong>)&ClockCallback;
                native.ClockUser = GCHandle.ToIntPtr(handle.Clock);
            }
            CoreNative.core_cache_create(&native, &cache);
        }
        catch
        {
            handle.Dispose(); // frees the clock's GCHandle; no cache was made
            throw;
        }
        handle.Attach(cache);
        _handle = handle;
        _shards = (int)CoreNative.core_cache_shards(cache);
    }

    /// <summary>The number of lock shards in use, the options resolved
    /// (core_cache_shards).</summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public int Shards
    {
        get
        {
            ThrowIfDisposed();
            return _shards;
        }
    }

    /// <summary>Whether <see cref="Dispose"/> was called. Any thread.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Bytes an entry of <paramref name="count"/> floats counts for against
    /// MaxBytes: 4 * count + a fixed overhead of 256 (core_cache_entry_bytes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is negative.</exception>
    public static long EntryBytes(long count)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 0.");
        ulong b = CoreNative.core_cache_entry_bytes((ulong)count);
        return b > long.MaxValue ? long.MaxValue : (long)b;
    }

    // ---- entries ----------------------------------------------------------------------

    /// <summary>Stores a copy of <paramref name="data"/> as a one-dimensional value
    /// under <paramref name="key"/>, replacing any value it had (its TTL restarts);
    /// least recently used entries of its shard are evicted as the bounds need
    /// (core_cache_put).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for empty
    /// data; <see cref="CoreStatus.Full"/> when the entry is larger than its shard's
    /// share of MaxBytes (nothing evicted); <see cref="CoreStatus.OutOfMemory"/>.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public void Put(CacheKey key, ReadOnlySpan<float> data) => Put(key, data, ReadOnlySpan<ulong>.Empty);

    /// <summary>As <see cref="Put(CacheKey, ReadOnlySpan{float})"/>, with a shape of 1 to
    /// 4 dimensions whose product is data.Length.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for empty
    /// data, more than 4 dimensions, a zero dimension or a product that is not
    /// data.Length; otherwise as the one-dimensional Put.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public void Put(CacheKey key, ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        Span<ulong> dims = shape.Length <= 8 ? stackalloc ulong[shape.Length] : new ulong[shape.Length];
        ToDims(shape, dims);
        Put(key, data, dims);
    }

    /// <inheritdoc cref="Put(CacheKey, ReadOnlySpan{float}, ReadOnlySpan{int})"/>
    public void Put(CacheKey key, ReadOnlySpan<float> data, ReadOnlySpan<long> shape)
    {
        Span<ulong> dims = shape.Length <= 8 ? stackalloc ulong[shape.Length] : new ulong[shape.Length];
        for (int i = 0; i < shape.Length; ++i)
            dims[i] = (ulong)NonNegative(shape[i], nameof(shape));
        Put(key, data, dims);
    }

    /// <summary>Stores a copy of <paramref name="value"/> (its data and shape).</summary>
    /// <exception cref="ArgumentException">default(Tensor).</exception>
    /// <inheritdoc cref="Put(CacheKey, ReadOnlySpan{float}, ReadOnlySpan{int})" path="/exception"/>
    public void Put(CacheKey key, Tensor value)
    {
        if (value.Data is null)
            throw new ArgumentException("default(Tensor) has no data.", nameof(value));
        Put(key, value.Data, value.Shape);
    }

    private unsafe void Put(CacheKey key, ReadOnlySpan<float> data, ReadOnlySpan<ulong> dims)
    {
        IntPtr h = AddRef();
        try { CoreNative.core_cache_put(h, &key, data, dims); }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>
    /// Copies the value of <paramref name="key"/> into a new <see cref="Tensor"/> and
    /// returns true, or returns false on a miss (no entry, or an expired one,
    /// which is removed) (core_cache_get). The entry becomes the most recently
    /// used. Counts one hit or one miss.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public unsafe bool TryGet(CacheKey key, out Tensor value)
    {
        IntPtr h = AddRef();
        try
        {
            ulong* shape = stackalloc ulong[4];
            int cap = Guess();
            while (true)
            {
                float[] buffer = cap == 0 ? Array.Empty<float>() : GC.AllocateUninitializedArray<float>(cap);
                ulong n = 0, ndim = 0;
                CoreStatus status = CoreNative.core_cache_get(h, &key, buffer, &n, shape, &ndim);
                if (status == CoreStatus.NotFound)
                {
                    value = default;
                    return false;
                }
                if (status == CoreStatus.BufferTooSmall) // nothing counted: ask again with its size
                {
                    cap = Guard.ArrayLength(n, "The cached value");
                    continue;
                }
                value = MakeTensor(buffer, n, shape, ndim);
                return true;
            }
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>The value of <paramref name="key"/>, as <see cref="TryGet"/>.</summary>
    /// <exception cref="KeyNotFoundException">A miss.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public Tensor Get(CacheKey key)
    {
        if (!TryGet(key, out Tensor value))
            throw new KeyNotFoundException($"The cache has no live entry for key {key}.");
        return value;
    }

    /// <summary>Whether <paramref name="key"/> has a live entry (core_cache_contains).
    /// Changes no counter and no LRU position (an expired entry is removed).</summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public unsafe bool Contains(CacheKey key)
    {
        IntPtr h = AddRef();
        try
        {
            int found;
            CoreNative.core_cache_contains(h, &key, &found);
            return found != 0;
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Removes the entry of <paramref name="key"/>; false when there was none
    /// (or only an expired one, which is removed) (core_cache_remove).</summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public unsafe bool Remove(CacheKey key)
    {
        IntPtr h = AddRef();
        try { return CoreNative.core_cache_remove(h, &key) == CoreStatus.Ok; }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Removes every entry (not counted as evictions; counters are kept)
    /// (core_cache_clear). A computation in progress still stores its value.</summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public void Clear()
    {
        IntPtr h = AddRef();
        try { CoreNative.core_cache_clear(h); }
        finally { _handle.DangerousRelease(); }
    }

    // ---- get or compute -----------------------------------------------------------------

    /// <summary>
    /// The value of <paramref name="key"/>, computed by <paramref name="compute"/> on
    /// a miss and stored (core_cache_get_or_compute). Concurrent calls for one
    /// key run one delegate: the first thread that misses runs it (with no lock
    /// held: it may use this cache, except GetOrCompute of the same key), the
    /// others wait for it and copy its value. Counts one hit or one miss.
    /// </summary>
    /// <remarks>
    /// <para>If the delegate throws, nothing is cached. The thread that ran it gets
    /// the original exception, rethrown with its stack trace. Each waiting thread
    /// gets a <see cref="CoreException"/> with the status the exception maps to:
    /// a <see cref="CoreException"/>'s own status, InvalidArgument for an
    /// <see cref="ArgumentException"/>, OutOfMemory for an
    /// <see cref="OutOfMemoryException"/>, Unavailable for anything else (and for a
    /// CoreException with status BufferTooSmall), as the Java and Go bindings do. A returned value that cannot be
    /// stored (default(Tensor), a bad shape, Full) fails the same way, with the
    /// CoreException of the store as the original exception.</para>
    /// <para>On the computing thread the result is the delegate's own Tensor
    /// when the cache's copy would not fit the binding's first guess; otherwise,
    /// as everywhere else, a copy of the cached value. A waiting thread whose
    /// first guess was too small copies the value with a second lookup, which
    /// counts one more hit (its wait already counted a miss); the binding's
    /// guess is the size of the last value it returned, so this only happens
    /// when sizes change.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="compute"/> is null.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for a
    /// nested call for the key this thread is computing; on a waiting thread,
    /// the failure of the computation it waited for.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public unsafe Tensor GetOrCompute(CacheKey key, Func<CacheKey, Tensor> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        IntPtr h = AddRef();
        var state = new ComputeState(compute);
        GCHandle user = GCHandle.Alloc(state);
        try
        {
            ulong* shape = stackalloc ulong[4];
            int cap = Guess();
            IntPtr fn = (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, CacheKey*, IntPtr, int>)&ComputeCallback;
            while (true)
            {
                float[] buffer = cap == 0 ? Array.Empty<float>() : GC.AllocateUninitializedArray<float>(cap);
                ulong n = 0, ndim = 0;
                CoreStatus status;
                try
                {
                    status = CoreNative.core_cache_get_or_compute(h, &key, fn, GCHandle.ToIntPtr(user), buffer,
                                                                  &n, shape, &ndim);
                }
                catch (CoreException) when (state.Error is not null)
                {
                    ExceptionDispatchInfo.Throw(state.Error); // the delegate's own exception
                    throw; // not reached
                }
                if (status == CoreStatus.BufferTooSmall)
                {
                    if (state.Computed) // this thread computed it: the delegate's value is the value
                        return state.Result;
                    cap = Guard.ArrayLength(n, "The cached value");
                    continue;
                }
                return MakeTensor(buffer, n, shape, ndim);
            }
        }
        finally
        {
            user.Free();
            _handle.DangerousRelease();
        }
    }

    private sealed class ComputeState
    {
        internal readonly Func<CacheKey, Tensor> Compute;
        internal Exception? Error;
        internal Tensor Result;
        internal bool Computed;

        internal ComputeState(Func<CacheKey, Tensor> compute) => Compute = compute;
    }

    /// <summary>core_cache_compute_fn. Runs on the computing thread (the caller of
    /// GetOrCompute), with no lock held. Never lets an exception out.</summary>
    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static unsafe int ComputeCallback(IntPtr user, CacheKey* key, IntPtr writer)
    {
        ComputeState? state = null;
        try
        {
            state = (ComputeState)GCHandle.FromIntPtr(user).Target!;
            Tensor value = state.Compute(*key);
            if (value.Data is null)
                throw new CoreException(CoreStatus.InvalidArgument,
                    "EncoderCache.GetOrCompute: the compute delegate returned default(Tensor), which has no data");
            int[] shape = value.Shape;
            Span<ulong> dims = shape.Length <= 8 ? stackalloc ulong[shape.Length] : new ulong[shape.Length];
            ToDims(shape, dims);
            CoreNative.core_cache_writer_put(writer, value.Data, dims); // copies
            state.Result = value;
            state.Computed = true;
            return (int)CoreStatus.Ok;
        }
        catch (Exception e)
        {
            if (state is not null)
                state.Error = e;
            return (int)StatusOf(e);
        }
    }

    /// <summary>The status a delegate's exception fails the computation with.</summary>
    internal static CoreStatus StatusOf(Exception e) => e switch
    {
        CoreException c when c.Status != CoreStatus.Ok && c.Status != CoreStatus.BufferTooSmall => c.Status,
        ArgumentException => CoreStatus.InvalidArgument,
        OutOfMemoryException => CoreStatus.OutOfMemory,
        _ => CoreStatus.Unavailable,
    };

    // ---- statistics ------------------------------------------------------------------

    /// <summary>The counters, after sweeping expired entries (core_cache_stats).</summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public unsafe CacheStats GetStats()
    {
        IntPtr h = AddRef();
        try
        {
            NativeCacheStats s = default;
            s.StructSize = (ulong)sizeof(NativeCacheStats);
            CoreNative.core_cache_stats(h, &s);
            return new CacheStats((long)s.Hits, (long)s.Misses, (long)s.Inserts, (long)s.Evictions,
                                  (long)s.Expirations, (long)s.Entries, (long)s.Bytes, s.HitRate,
                                  (long)s.Computes, (long)s.ComputeFailures, (long)s.ComputeWaits);
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Zeroes the counters (Entries and Bytes describe the contents and stay)
    /// (core_cache_stats_reset).</summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public void ResetStats()
    {
        IntPtr h = AddRef();
        try { CoreNative.core_cache_stats_reset(h); }
        finally { _handle.DangerousRelease(); }
    }

    // ---- persistence -----------------------------------------------------------------

    /// <summary>Writes every live entry (key, write time, shape, data) to
    /// <paramref name="path"/> atomically: a temporary file beside it, fsync'ed and
    /// renamed over it; a failure leaves the file as it was (core_cache_save).
    /// The file gets mode 0600.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for an
    /// empty path; <see cref="CoreStatus.Io"/> when the file cannot be written (the
    /// message has the system's reason).</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        IntPtr h = AddRef();
        try { CoreNative.core_cache_save(h, path); }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Reads a file written by <see cref="Save"/> and stores its entries,
    /// keeping their write times (entries already expired are dropped; bounds
    /// apply as for Put) (core_cache_load). The whole file is verified first.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.Format"/> for an empty,
    /// truncated or corrupt file, a bad checksum or another format version (the
    /// cache is unchanged); <see cref="CoreStatus.Io"/> when it cannot be opened or
    /// read; <see cref="CoreStatus.OutOfMemory"/>.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public void Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        IntPtr h = AddRef();
        try { CoreNative.core_cache_load(h, path); }
        finally { _handle.DangerousRelease(); }
    }

    // ---- life cycle ------------------------------------------------------------------

    /// <summary>Releases the native cache (core_cache_destroy). Safe to call any number
    /// of times, from any thread; calls in flight finish first (see the remarks).</summary>
    public void Dispose()
    {
        _disposed = true;  // from now on no new call starts
        _handle.Dispose(); // released now, or when the last call in flight returns
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        try
        {
            CacheStats s = GetStats();
            return $"EncoderCache(Entries={s.Entries}, Bytes={s.Bytes}, Shards={_shards}, HitRate={s.HitRate:F3})";
        }
        catch (ObjectDisposedException)
        {
            return "EncoderCache(disposed)";
        }
    }

    // ---- implementation ----------------------------------------------------------------

    private sealed class ClockState
    {
        internal readonly Func<long> Clock;
        internal long Last;

        internal ClockState(Func<long> clock) => Clock = clock;
    }

    /// <summary>core_cache_clock_fn: runs on any thread under a shard lock. Never
    /// lets an exception out.</summary>
    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static ulong ClockCallback(IntPtr user)
    {
        ClockState? state = null;
        try
        {
            state = (ClockState)GCHandle.FromIntPtr(user).Target!;
            long now = Math.Max(0, state.Clock());
            Volatile.Write(ref state.Last, now);
            return (ulong)now;
        }
        catch
        {
            return state is null ? 0 : (ulong)Volatile.Read(ref state.Last);
        }
    }

    private int Guess()
    {
        int hint = Volatile.Read(ref _sizeHint);
        return hint <= MaxGuess ? hint : 0;
    }

    private unsafe Tensor MakeTensor(float[] buffer, ulong n, ulong* shape, ulong ndim)
    {
        int length = (int)n; // <= buffer.Length
        Volatile.Write(ref _sizeHint, length);
        float[] data = length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
        var dims = new int[(int)ndim];
        for (int i = 0; i < dims.Length; ++i)
            dims[i] = (int)shape[i]; // each divides n <= int.MaxValue
        return new Tensor(data, dims);
    }

    private static void ToDims(ReadOnlySpan<int> shape, Span<ulong> dims)
    {
        for (int i = 0; i < shape.Length; ++i)
            dims[i] = (ulong)NonNegative(shape[i], nameof(shape));
    }

    private static long NonNegative(long value, string name)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0.");
        return value;
    }

    /// <summary>Takes a reference on the handle for one native call (release it
    /// with DangerousRelease in a finally); throws once disposed.</summary>
    private IntPtr AddRef()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(EncoderCache));
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(EncoderCache));
        }
        return _handle.DangerousGetHandle();
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(EncoderCache));
    }
}

/// <summary>core_cache_options_t, version 0.1 layout (checked against the
/// wrapper's sizeof by a test). Filled by core_cache_options_init.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeCacheOptions
{
    internal ulong StructSize;
    internal ulong MaxEntries;
    internal ulong MaxBytes;
    internal ulong TtlMs;
    internal ulong Shards;
    internal IntPtr Clock;
    internal IntPtr ClockUser;
    // 0.1 layout 2 (core_cache_options_init writes this layout): metrics publishing,
    // left NULL (off) by init; not exposed yet.
    internal IntPtr Metrics;
    internal IntPtr MetricsPrefix;
}

/// <summary>core_cache_stats_t, version 0.1 layout (checked by a test).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeCacheStats
{
    internal ulong StructSize;
    internal ulong Hits;
    internal ulong Misses;
    internal ulong Inserts;
    internal ulong Evictions;
    internal ulong Expirations;
    internal ulong Entries;
    internal ulong Bytes;
    internal double HitRate;
    internal ulong Computes;
    internal ulong ComputeFailures;
    internal ulong ComputeWaits;
}

/// <summary>Owns a core_cache_t* and the GCHandle of its clock: released once, by
/// core_cache_destroy (then the clock is freed), when the last reference taken
/// by a call is dropped after Dispose, or by the finalizer.</summary>
internal sealed class CacheHandle : SafeHandle
{
    internal GCHandle Clock;

    internal CacheHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => false; // always release: the clock may need freeing

    internal void Attach(IntPtr cache) => SetHandle(cache);

    protected override bool ReleaseHandle()
    {
        if (handle != IntPtr.Zero)
            CoreNative.core_cache_destroy(handle); // NULL is a no-op anyway
        if (Clock.IsAllocated)
            Clock.Free(); // after destroy: nothing can call the clock any more
        return true;
    }
}
