using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibCore;

/// <summary>Reads the readable samples of a <see cref="RingBuffer"/> in place, oldest
/// first: <paramref name="first"/>, then <paramref name="second"/> (empty when the
/// ring is mirrored or the samples do not wrap). See <see cref="RingBuffer.Peek{TResult}(RingPeekFunc{TResult})"/>.</summary>
public delegate TResult RingPeekFunc<TResult>(ReadOnlySpan<float> first, ReadOnlySpan<float> second);

/// <summary>As <see cref="RingPeekFunc{TResult}"/>, with a caller state (no closure
/// allocation).</summary>
public delegate TResult RingPeekFunc<TState, TResult>(ReadOnlySpan<float> first, ReadOnlySpan<float> second,
                                                      TState state);

/// <summary>
/// A preallocated, lock-free float32 ring buffer for audio (ring.h): one
/// producer thread appends samples (float, or PCM16 converted on the way in),
/// one consumer thread reads, peeks and consumes them.
/// </summary>
/// <remarks>
/// <para><b>Thread contract.</b> At any moment at most one thread may call the
/// producer members and at most one thread the consumer members; they may be
/// the same thread. Two producers or two consumers need your own lock around
/// that side. The queries may be called from any thread at any time.</para>
/// <list type="bullet">
/// <item>producer: <see cref="Append(ReadOnlySpan{float})"/>,
/// <see cref="Append(ReadOnlySpan{short})"/>, <see cref="TryAppend(ReadOnlySpan{float})"/>,
/// <see cref="TryAppend(ReadOnlySpan{short})"/>, <see cref="WaitWritable(int, int)"/></item>
/// <item>consumer: <see cref="Read(Span{float})"/>, <see cref="ReadAll(Span{float})"/>,
/// <see cref="ReadLatest(Span{float})"/>, <see cref="Peek{TResult}(RingPeekFunc{TResult})"/>,
/// <see cref="Consume(int)"/>, <see cref="Consume(RingPeekFunc{int})"/>,
/// <see cref="Pop(Span{float})"/>, <see cref="Clear"/>,
/// <see cref="WaitReadable(int, int)"/> (and their overloads)</item>
/// <item>any thread: <see cref="Size"/>, <see cref="Space"/>, <see cref="Capacity"/>,
/// <see cref="Dropped"/>, <see cref="IsMirrored"/>, <see cref="Policy"/>,
/// <see cref="IsDisposed"/>, <see cref="Dispose"/></item>
/// </list>
/// <para>Producer and consumer never block each other and no call allocates
/// native memory after construction; only the Wait methods sleep, and only
/// when asked to.</para>
/// <para><b>Full policy.</b> Under <see cref="RingPolicy.Reject"/> an append that
/// does not fit writes nothing and throws <see cref="CoreException"/>
/// (<see cref="CoreStatus.Full"/>): the caller still holds its samples.
/// Under <see cref="RingPolicy.Overwrite"/> appends always succeed; the oldest
/// samples make room and are counted in <see cref="Dropped"/>, and a consumer
/// never sees torn data.</para>
/// <para><b>Copies.</b> Spans and arrays are pinned for the call, never
/// marshalled: Append copies the samples into the ring and Read/Pop copy
/// them out into your span, once each (that is the ring's job).
/// <see cref="Peek{TResult}(RingPeekFunc{TResult})"/> reads them in place
/// with no copy at all. Methods that return a new array allocate it.</para>
/// <para><b>Lifetime.</b> The native ring is owned by a SafeHandle.
/// <see cref="Dispose"/> (core_ring_destroy) may be called any number of times
/// from any thread; afterwards every member except Dispose and IsDisposed
/// throws <see cref="ObjectDisposedException"/>. A call already running when
/// another thread disposes finishes normally: the native memory is released
/// only when the last such call returns, so disposal never makes a call touch
/// freed memory. A Wait in progress is not interrupted by Dispose (it ends at
/// its timeout, or when the samples or space arrive), so give threads you want
/// to stop finite timeouts. A ring that is never disposed is destroyed by the
/// handle's finalizer.</para>
/// <para><b>Errors.</b> Statuses become <see cref="CoreException"/>:
/// <see cref="CoreStatus.Full"/> (an append that does not fit under Reject),
/// <see cref="CoreStatus.Empty"/> (fewer samples readable than asked for;
/// nothing copied or consumed), <see cref="CoreStatus.InvalidArgument"/>
/// (a bad option, a wait for more than the capacity),
/// <see cref="CoreStatus.BufferTooSmall"/>, <see cref="CoreStatus.Unsupported"/>,
/// <see cref="CoreStatus.OutOfMemory"/>. A Wait that times out returns false
/// instead. Negative counts are <see cref="ArgumentOutOfRangeException"/>.</para>
/// </remarks>
public sealed class RingBuffer : IDisposable
{
    private readonly RingHandle _handle;
    private readonly int _capacity;
    private readonly RingPolicy _policy;
    private bool _peeking; // touched by the consumer thread only
    private volatile bool _disposed;

    /// <summary>
    /// Creates a ring of <paramref name="capacity"/> samples (core_ring_create).
    /// The capacity is honoured exactly (<see cref="Size"/> never exceeds it);
    /// the storage behind it is a power of two (twice as large under
    /// Overwrite), prefaulted now so that no later call allocates.
    /// </summary>
    /// <param name="capacity">Samples, 1 to int.MaxValue (the C limit is 2^32; a
    /// .NET span cannot show more than int.MaxValue).</param>
    /// <param name="policy">What an append that does not fit does.</param>
    /// <param name="mirror">Map the storage twice so that
    /// <see cref="Peek{TResult}(RingPeekFunc{TResult})"/> always sees one span.
    /// <see cref="RingMirror.On"/> falls back silently to a plain buffer (see
    /// <see cref="IsMirrored"/>); <see cref="RingMirror.Require"/> throws instead.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for
    /// capacity 0 or a policy or mirror value outside its enum;
    /// <see cref="CoreStatus.Unsupported"/> for <see cref="RingMirror.Require"/> where
    /// the mirror is impossible; <see cref="CoreStatus.OutOfMemory"/>.</exception>
    public unsafe RingBuffer(int capacity, RingPolicy policy = RingPolicy.Reject, RingMirror mirror = RingMirror.Off)
    {
        Guard.Count(capacity, nameof(capacity));
        NativeRingOptions options;
        CoreNative.core_ring_options_init(&options);
        options.Capacity = (ulong)capacity;
        options.Policy = policy;
        options.Mirror = (int)mirror;
        var handle = new RingHandle();
        IntPtr ring = IntPtr.Zero;
        try
        {
            CoreNative.core_ring_create(&options, &ring);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        handle.Attach(ring);
        _handle = handle;
        _capacity = checked((int)CoreNative.core_ring_capacity(ring));
        _policy = CoreNative.core_ring_get_policy(ring);
    }

    // ---- queries (any thread) -------------------------------------------------------

    /// <summary>The logical capacity in samples given at creation (core_ring_capacity).</summary>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public int Capacity
    {
        get
        {
            ThrowIfDisposed();
            return _capacity;
        }
    }

    /// <summary>The full policy given at creation (core_ring_get_policy).</summary>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public RingPolicy Policy
    {
        get
        {
            ThrowIfDisposed();
            return _policy;
        }
    }

    /// <summary>Samples readable now, 0 to <see cref="Capacity"/> (core_ring_size). A
    /// snapshot: from the consumer's thread it can only grow until it consumes;
    /// from the producer's, only shrink until it appends.</summary>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public int Size
    {
        get
        {
            IntPtr h = AddRef();
            try { return (int)CoreNative.core_ring_size(h); }
            finally { _handle.DangerousRelease(); }
        }
    }

    /// <summary>Capacity - Size: samples an append can take now without failing
    /// (Reject) or dropping (Overwrite) (core_ring_space). A snapshot.</summary>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public int Space
    {
        get
        {
            IntPtr h = AddRef();
            try { return (int)CoreNative.core_ring_space(h); }
            finally { _handle.DangerousRelease(); }
        }
    }

    /// <summary>Samples dropped by <see cref="RingPolicy.Overwrite"/> since creation
    /// (always 0 under Reject; <see cref="Clear"/> and <see cref="Consume(int)"/> do not
    /// count) (core_ring_dropped).</summary>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public long Dropped
    {
        get
        {
            IntPtr h = AddRef();
            try { return (long)CoreNative.core_ring_dropped(h); }
            finally { _handle.DangerousRelease(); }
        }
    }

    /// <summary>Whether the storage is mirrored, so <see cref="Peek{TResult}(RingPeekFunc{TResult})"/>
    /// always sees one span (core_ring_is_mirrored). False with
    /// <see cref="RingMirror.Off"/>, or when <see cref="RingMirror.On"/> fell back.</summary>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public bool IsMirrored
    {
        get
        {
            IntPtr h = AddRef();
            try { return CoreNative.core_ring_is_mirrored(h) != 0; }
            finally { _handle.DangerousRelease(); }
        }
    }

    /// <summary>Whether <see cref="Dispose"/> was called. Any thread.</summary>
    public bool IsDisposed => _disposed;

    // ---- producer -----------------------------------------------------------------

    /// <summary>
    /// Appends <paramref name="samples"/>, stored bit for bit (core_ring_append_f32).
    /// Reject: all or nothing. Overwrite: always succeeds; the oldest samples
    /// make room and are counted in <see cref="Dropped"/> (with more samples
    /// than the capacity, only the last Capacity are kept). Empty is a no-op.
    /// Producer side.
    /// </summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Full"/> under Reject when
    /// the samples do not fit now (nothing written; the message says when they
    /// never can, more samples than the capacity).</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public void Append(ReadOnlySpan<float> samples)
    {
        IntPtr h = AddRef();
        try { CoreNative.core_ring_append_f32(h, samples); }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Appends PCM16 <paramref name="samples"/>, converted on the way in as
    /// v / 32768, exactly (-32768 gives -1, 32767 gives 32767/32768)
    /// (core_ring_append_i16). Otherwise as <see cref="Append(ReadOnlySpan{float})"/>.</summary>
    /// <inheritdoc cref="Append(ReadOnlySpan{float})" path="/exception"/>
    public void Append(ReadOnlySpan<short> samples)
    {
        IntPtr h = AddRef();
        try { CoreNative.core_ring_append_i16(h, samples); }
        finally { _handle.DangerousRelease(); }
    }

    /// <inheritdoc cref="Append(ReadOnlySpan{float})"/>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    public void Append(float[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Append(new ReadOnlySpan<float>(samples));
    }

    /// <inheritdoc cref="Append(ReadOnlySpan{short})"/>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    public void Append(short[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Append(new ReadOnlySpan<short>(samples));
    }

    /// <summary>
    /// Appends <paramref name="samples"/> if they fit now and returns true, or
    /// returns false, writing nothing, without the cost of an exception. Under
    /// Overwrite it always appends. Producer side: from the producer's thread
    /// the space can only grow behind its back, so a fit seen here holds.
    /// </summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Full"/> under Reject for
    /// more samples than the capacity (they can never fit).</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public bool TryAppend(ReadOnlySpan<float> samples)
    {
        IntPtr h = AddRef();
        try
        {
            if (!Fits(h, samples.Length))
                return false;
            CoreNative.core_ring_append_f32(h, samples);
            return true;
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>As <see cref="TryAppend(ReadOnlySpan{float})"/>, for PCM16 samples
    /// converted as in <see cref="Append(ReadOnlySpan{short})"/>.</summary>
    /// <inheritdoc cref="TryAppend(ReadOnlySpan{float})" path="/exception"/>
    public bool TryAppend(ReadOnlySpan<short> samples)
    {
        IntPtr h = AddRef();
        try
        {
            if (!Fits(h, samples.Length))
                return false;
            CoreNative.core_ring_append_i16(h, samples);
            return true;
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>
    /// Sleeps until <see cref="Space"/> &gt;= <paramref name="count"/> or the
    /// timeout passes (core_ring_wait_writable). Returns true when the space is
    /// there, false on timeout. Under Overwrite appends never fail, so this
    /// only serves a producer that prefers waiting to dropping. Costs nothing
    /// to the other calls while nobody waits. Producer side.
    /// </summary>
    /// <param name="count">Samples wanted, 0 to <see cref="Capacity"/>.</param>
    /// <param name="millisecondsTimeout"><see cref="Timeout.Infinite"/> (-1) for no
    /// limit, 0 to test and return at once.</param>
    /// <exception cref="ArgumentOutOfRangeException">count is negative, or the timeout
    /// is below -1.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for
    /// count &gt; Capacity (never satisfiable).</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public bool WaitWritable(int count, int millisecondsTimeout)
    {
        Guard.Count(count, nameof(count));
        CheckTimeout(millisecondsTimeout);
        IntPtr h = AddRef();
        try { return CoreNative.core_ring_wait_writable(h, (ulong)count, millisecondsTimeout) == CoreStatus.Ok; }
        finally { _handle.DangerousRelease(); }
    }

    /// <inheritdoc cref="WaitWritable(int, int)"/>
    /// <param name="count">Samples wanted, 0 to <see cref="Capacity"/>.</param>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> for no limit,
    /// <see cref="TimeSpan.Zero"/> to test; at most int.MaxValue ms.</param>
    public bool WaitWritable(int count, TimeSpan timeout) => WaitWritable(count, Milliseconds(timeout));

    // ---- consumer -----------------------------------------------------------------

    /// <summary>Copies the destination.Length oldest samples to
    /// <paramref name="destination"/> without consuming them (core_ring_read). A
    /// later <see cref="Consume(int)"/> discards the first of exactly these samples.
    /// Consumer side.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Empty"/> when fewer are
    /// readable (nothing copied).</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public void Read(Span<float> destination)
    {
        IntPtr h = EnterConsumer();
        try { CoreNative.core_ring_read(h, destination); }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>The <paramref name="count"/> oldest samples as a new array, not
    /// consumed. Consumer side.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is negative.</exception>
    /// <inheritdoc cref="Read(Span{float})" path="/exception"/>
    public float[] Read(int count)
    {
        Guard.Count(count, nameof(count));
        float[] result = GC.AllocateUninitializedArray<float>(count);
        Read(result);
        return result;
    }

    /// <summary>Copies every readable sample to the start of
    /// <paramref name="destination"/> without consuming, and returns how many
    /// (0 for an empty ring) (core_ring_read_all). Consumer side.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.BufferTooSmall"/> when
    /// more samples are readable than destination holds (nothing copied).</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public unsafe int ReadAll(Span<float> destination)
    {
        IntPtr h = EnterConsumer();
        try
        {
            ulong n;
            CoreNative.core_ring_read_all(h, destination, &n);
            return (int)n;
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Every readable sample as a new array, not consumed. Sized from
    /// <see cref="Size"/>; if the producer appends in between, the read is
    /// retried with the larger count. Consumer side.</summary>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public unsafe float[] ReadAll()
    {
        IntPtr h = EnterConsumer();
        try
        {
            int cap = (int)CoreNative.core_ring_size(h);
            while (true)
            {
                float[] buffer = cap == 0 ? Array.Empty<float>() : GC.AllocateUninitializedArray<float>(cap);
                ulong n = 0;
                try
                {
                    CoreNative.core_ring_read_all(h, buffer, &n);
                }
                catch (CoreException e) when (e.Status == CoreStatus.BufferTooSmall)
                {
                    cap = Math.Max(cap + 1, (int)Math.Min(n, (ulong)_capacity));
                    continue;
                }
                return (int)n == buffer.Length ? buffer : buffer.AsSpan(0, (int)n).ToArray();
            }
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Copies the destination.Length newest samples ("the last N ms"),
    /// oldest first, without consuming anything (core_ring_read_latest).
    /// Consumer side.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Empty"/> when fewer are
    /// readable (nothing copied).</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public void ReadLatest(Span<float> destination)
    {
        IntPtr h = EnterConsumer();
        try { CoreNative.core_ring_read_latest(h, destination); }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>The <paramref name="count"/> newest samples as a new array, oldest
    /// first, not consumed. Consumer side.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is negative.</exception>
    /// <inheritdoc cref="ReadLatest(Span{float})" path="/exception"/>
    public float[] ReadLatest(int count)
    {
        Guard.Count(count, nameof(count));
        float[] result = GC.AllocateUninitializedArray<float>(count);
        ReadLatest(result);
        return result;
    }

    /// <summary>
    /// Moves up to destination.Length of the oldest samples to
    /// <paramref name="destination"/> (copy, then consume, as one step) and
    /// returns how many (core_ring_pop). Under Overwrite every sample is either
    /// popped or counted in <see cref="Dropped"/>, never both. An empty
    /// destination returns 0. Consumer side.
    /// </summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Empty"/> when the ring is
    /// empty (check <see cref="Size"/> or <see cref="WaitReadable(int, int)"/> first
    /// in a polling loop).</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public unsafe int Pop(Span<float> destination)
    {
        IntPtr h = EnterConsumer();
        try
        {
            ulong got;
            CoreNative.core_ring_pop(h, destination, &got);
            return (int)got;
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Discards the <paramref name="count"/> oldest samples (core_ring_consume).
    /// Right after <see cref="Read(Span{float})"/>, <see cref="ReadAll(Span{float})"/>
    /// or <see cref="Peek{TResult}(RingPeekFunc{TResult})"/> these are the first
    /// samples those calls showed. Consumer side.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is negative.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.Empty"/> when fewer are
    /// there (nothing consumed).</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public void Consume(int count)
    {
        Guard.Count(count, nameof(count));
        IntPtr h = EnterConsumer();
        try { CoreNative.core_ring_consume(h, (ulong)count); }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Discards every readable sample, not counted in <see cref="Dropped"/>
    /// (core_ring_clear). Samples appended concurrently may or may not survive.
    /// Consumer side: a producer that wants to clear must ask the consumer.</summary>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public void Clear()
    {
        IntPtr h = EnterConsumer();
        try { CoreNative.core_ring_clear(h); }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>
    /// Calls <paramref name="reader"/> with the readable samples in place, oldest
    /// first, without copying or consuming them (core_ring_regions, like JACK's
    /// read vector), and returns what it returns. <c>first</c> holds the
    /// oldest samples, <c>second</c> the rest when they wrap around the end of
    /// the storage (always empty on a mirrored ring). Consume what you used
    /// right afterwards with <see cref="Consume(int)"/> — it then discards the
    /// first of exactly the samples shown — or use
    /// <see cref="Consume(RingPeekFunc{int})"/>, which does both in one call.
    /// Consumer side.
    /// </summary>
    /// <remarks>
    /// <para>This is the safe form of the C call, whose pointers stay valid
    /// only until the next consumer call and the ring's destruction: the spans
    /// exist only inside the callback (a ref struct cannot escape it), the
    /// samples stay unchanged during it even under Overwrite, the ring's
    /// memory cannot be released while it runs (a concurrent Dispose waits
    /// for it), and a consumer call on this ring from inside the callback
    /// throws <see cref="InvalidOperationException"/>. Producer calls are
    /// allowed. Do not keep pointers into the spans.</para>
    /// <para>Under <see cref="RingPolicy.Overwrite"/> the samples shown stay
    /// reserved after the callback, until your next consumer call on this
    /// ring (normally that Consume; 0 is allowed): while they are, a producer
    /// that would have to write over them drops the newest samples of its
    /// appends instead (counted in <see cref="Dropped"/>) once it is
    /// <see cref="Capacity"/> samples ahead. So keep callbacks short and
    /// follow Peek promptly with a consumer call.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a Peek callback.</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public TResult Peek<TResult>(RingPeekFunc<TResult> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Peek(reader, static (a, b, r) => r(a, b));
    }

    /// <inheritdoc cref="Peek{TResult}(RingPeekFunc{TResult})"/>
    public unsafe TResult Peek<TState, TResult>(TState state, RingPeekFunc<TState, TResult> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        IntPtr h = EnterConsumer();
        try
        {
            float* p1, p2;
            ulong n1, n2;
            CoreNative.core_ring_regions(h, &p1, &n1, &p2, &n2);
            _peeking = true;
            try
            {
                return reader(new ReadOnlySpan<float>(p1, (int)n1), new ReadOnlySpan<float>(p2, (int)n2), state);
            }
            finally
            {
                _peeking = false;
            }
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>
    /// Calls <paramref name="reader"/> with the readable samples in place, as
    /// <see cref="Peek{TResult}(RingPeekFunc{TResult})"/> does, then consumes the
    /// number of samples it returns — the first of exactly the samples it was
    /// shown — and returns that number (core_ring_regions + core_ring_consume).
    /// Zero-copy processing in one call: <c>ring.Consume((a, b) =&gt; { Use(a);
    /// Use(b); return a.Length + b.Length; })</c>. Returning 0 consumes nothing
    /// and releases the view. If the reader throws, nothing is consumed.
    /// Consumer side.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The reader returned a count outside
    /// 0 to the number of samples shown (nothing consumed), or Consume was
    /// called from inside a Peek callback.</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public int Consume(RingPeekFunc<int> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Consume(reader, static (a, b, r) => r(a, b));
    }

    /// <inheritdoc cref="Consume(RingPeekFunc{int})"/>
    public unsafe int Consume<TState>(TState state, RingPeekFunc<TState, int> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        IntPtr h = EnterConsumer();
        try
        {
            float* p1, p2;
            ulong n1, n2;
            CoreNative.core_ring_regions(h, &p1, &n1, &p2, &n2);
            int shown = (int)(n1 + n2), n = 0;
            bool valid = false;
            _peeking = true;
            try
            {
                n = reader(new ReadOnlySpan<float>(p1, (int)n1), new ReadOnlySpan<float>(p2, (int)n2), state);
                valid = n >= 0 && n <= shown;
            }
            finally
            {
                _peeking = false;
                if (!valid)
                    CoreNative.core_ring_consume(h, 0); // release the view, consume nothing
            }
            if (!valid)
                throw new InvalidOperationException(
                    $"The reader returned {n}; it may consume 0 to {shown} samples (the ones it was shown).");
            CoreNative.core_ring_consume(h, (ulong)n);
            return n;
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>
    /// Sleeps until <see cref="Size"/> &gt;= <paramref name="count"/> or the timeout
    /// passes (core_ring_wait_readable). Returns true when the samples are
    /// there, false on timeout. Costs nothing to the other calls while nobody
    /// waits. Consumer side.
    /// </summary>
    /// <param name="count">Samples wanted, 0 to <see cref="Capacity"/>.</param>
    /// <param name="millisecondsTimeout"><see cref="Timeout.Infinite"/> (-1) for no
    /// limit, 0 to test and return at once.</param>
    /// <exception cref="ArgumentOutOfRangeException">count is negative, or the timeout
    /// is below -1.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for
    /// count &gt; Capacity (never satisfiable).</exception>
    /// <exception cref="ObjectDisposedException">The ring was disposed.</exception>
    public bool WaitReadable(int count, int millisecondsTimeout)
    {
        Guard.Count(count, nameof(count));
        CheckTimeout(millisecondsTimeout);
        IntPtr h = EnterConsumer();
        try { return CoreNative.core_ring_wait_readable(h, (ulong)count, millisecondsTimeout) == CoreStatus.Ok; }
        finally { _handle.DangerousRelease(); }
    }

    /// <inheritdoc cref="WaitReadable(int, int)"/>
    /// <param name="count">Samples wanted, 0 to <see cref="Capacity"/>.</param>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> for no limit,
    /// <see cref="TimeSpan.Zero"/> to test; at most int.MaxValue ms.</param>
    public bool WaitReadable(int count, TimeSpan timeout) => WaitReadable(count, Milliseconds(timeout));

    // ---- life cycle ---------------------------------------------------------------

    /// <summary>Releases the native ring (core_ring_destroy). Safe to call any
    /// number of times, from any thread; calls in flight finish first (see the
    /// class remarks).</summary>
    public void Dispose()
    {
        _disposed = true; // from now on no new call starts
        _handle.Dispose(); // released now, or when the last call in flight returns
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        try
        {
            return $"RingBuffer(Capacity={_capacity}, Policy={_policy}, Size={Size}, Dropped={Dropped})";
        }
        catch (ObjectDisposedException)
        {
            return "RingBuffer(disposed)";
        }
    }

    // ---- implementation -------------------------------------------------------------

    /// <summary>Takes a reference on the handle for one native call (release it
    /// with DangerousRelease in a finally); throws once disposed.</summary>
    private IntPtr AddRef()
    {
        // The flag makes every call after Dispose fail, even while a call that
        // started before it (say a long wait) still holds the handle open; the
        // handle's own check covers a Dispose racing with this line.
        if (_disposed)
            throw new ObjectDisposedException(nameof(RingBuffer));
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(RingBuffer));
        }
        return _handle.DangerousGetHandle();
    }

    private IntPtr EnterConsumer()
    {
        if (_peeking)
            throw new InvalidOperationException(
                "A RingBuffer consumer call was made from inside a Peek callback; " +
                "return from the callback first (its spans are valid only until the next consumer call).");
        return AddRef();
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(RingBuffer));
    }

    private bool Fits(IntPtr h, int n) =>
        _policy != RingPolicy.Reject || n > _capacity || (ulong)n <= CoreNative.core_ring_space(h);

    private static void CheckTimeout(int millisecondsTimeout)
    {
        if (millisecondsTimeout < Timeout.Infinite)
            throw new ArgumentOutOfRangeException(nameof(millisecondsTimeout), millisecondsTimeout,
                "The timeout must be -1 (infinite) or >= 0 milliseconds.");
    }

    private static int Milliseconds(TimeSpan timeout)
    {
        long ms = (long)timeout.TotalMilliseconds;
        if (ms < Timeout.Infinite || ms > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                "The timeout must be Timeout.InfiniteTimeSpan or 0 to int.MaxValue milliseconds.");
        return (int)ms;
    }
}

/// <summary>core_ring_options_t, version 0.1 layout (checked against the
/// wrapper's sizeof by a test). Filled by core_ring_options_init.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeRingOptions
{
    internal ulong StructSize;
    internal ulong Capacity;
    internal RingPolicy Policy;
    internal int Mirror;
    // 0.1 layout 2 (core_ring_options_init writes this layout): metrics publishing,
    // left NULL (off) by init; not exposed yet.
    internal IntPtr Metrics;
    internal IntPtr MetricsPrefix;
}

/// <summary>Owns a core_ring_t*: released once, by core_ring_destroy, when the
/// last reference taken by a call is dropped after Dispose (or by the finalizer).</summary>
internal sealed class RingHandle : SafeHandle
{
    internal RingHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr ring) => SetHandle(ring);

    protected override bool ReleaseHandle()
    {
        CoreNative.core_ring_destroy(handle);
        return true;
    }
}
