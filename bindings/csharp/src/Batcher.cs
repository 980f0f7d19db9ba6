using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibCore;

/// <summary>A batch released by a <see cref="Batcher"/>: the ids of up to MaxBatch items
/// of one length bucket, in arrival order.</summary>
/// <param name="Ids">The items' ids, oldest first.</param>
/// <param name="Bucket">The bucket's index (0 .. BucketCount - 1).</param>
public readonly record struct BatcherBatch(ulong[] Ids, int Bucket)
{
    /// <summary>The number of items: Ids.Length.</summary>
    public int Count => Ids?.Length ?? 0;

    /// <inheritdoc/>
    public override string ToString() => $"BatcherBatch(Bucket={Bucket}, Ids=[{string.Join(", ", Ids ?? Array.Empty<ulong>())}])";
}

/// <summary>
/// A generic dynamic batcher (pipeline.h: core_batcher_t): items — an id of yours and a
/// length — wait in length buckets; a bucket's batch is released when it holds
/// <see cref="BatcherOptions.MaxBatch"/> items, when its oldest item has waited
/// <see cref="BatcherOptions.MaxDelayMs"/>, or after <see cref="Flush"/>. Triton's dynamic
/// batcher, plus length buckets so a batch holds items of similar length.
/// </summary>
/// <remarks>
/// <para><b>Order.</b> Of the due buckets, the one whose oldest item arrived first goes
/// first; a batch holds its bucket's oldest items in arrival order. A timed-out or flushed
/// bucket's batch takes the items behind its oldest too, up to MaxBatch.</para>
/// <para><b>Threads.</b> One thread at a time, as in C. The binding enforces it: a call
/// while another thread's call on the same batcher is running throws
/// <see cref="InvalidOperationException"/>. <see cref="Dispose"/> and
/// <see cref="IsDisposed"/> may be called from any thread.</para>
/// <para><b>Lifetime.</b> A SafeHandle: Dispose is idempotent, later calls throw
/// <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed class Batcher : IDisposable
{
    private readonly BatcherHandle _handle;
    private readonly BatcherOptions _options;
    private volatile bool _disposed;
    private int _busy;

    /// <summary>A batcher with libcore's defaults (8 items, 50 ms, one bucket).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.OutOfMemory"/>.</exception>
    public Batcher() : this(new BatcherOptions())
    {
    }

    /// <summary>Creates a batcher (core_batcher_create). The options are copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative option.</exception>
    /// <exception cref="ArgumentException">More than <see cref="BatcherOptions.MaxBuckets"/> - 1 bounds.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for MaxBatch 0
    /// or bounds that are not strictly ascending (the message says which);
    /// <see cref="CoreStatus.OutOfMemory"/>.</exception>
    public unsafe Batcher(BatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        NativeBatcherOptions native = _options.ToNative();
        var handle = new BatcherHandle();
        IntPtr b = IntPtr.Zero;
        try
        {
            CoreNative.core_batcher_create(&native, &b);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        handle.Attach(b);
        _handle = handle;
    }

    /// <summary>A copy of the options this batcher was created with.</summary>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    public BatcherOptions Options => Alive().Clone();

    /// <summary>The most ids a batch holds (<see cref="BatcherOptions.MaxBatch"/>).</summary>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    public int MaxBatch => Alive().MaxBatch;

    /// <summary>Whether <see cref="Dispose"/> was called. Any thread.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Adds an item, stamped with the clock (core_batcher_add). Its bucket is the
    /// first whose bound is &gt;= <paramref name="length"/>. The id is only handed back;
    /// duplicates are allowed. Allocates only when a bucket holds more items than ever.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.OutOfMemory"/> (nothing added).</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the batcher.</exception>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    public void Add(ulong id, ulong length)
    {
        IntPtr h = Enter();
        try { CoreNative.core_batcher_add(h, id, length); }
        finally { Exit(); }
    }

    /// <summary>Takes the next released batch (core_batcher_next): true and the batch, or
    /// false when none is due now (none full, none timed out, nothing flushed).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the batcher.</exception>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    public bool TryNext(out BatcherBatch batch)
    {
        ulong[] ids = new ulong[Alive().MaxBatch];
        if (TryNext(ids, out int count, out int bucket))
        {
            if (count != ids.Length)
                Array.Resize(ref ids, count);
            batch = new BatcherBatch(ids, bucket);
            return true;
        }
        batch = default;
        return false;
    }

    /// <summary>Takes the next released batch into <paramref name="ids"/> without
    /// allocating (core_batcher_next): true with the ids in ids[0, count) and the bucket's
    /// index, or false (count 0, bucket -1) when none is due.</summary>
    /// <exception cref="ArgumentException"><paramref name="ids"/> is shorter than MaxBatch.</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the batcher.</exception>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    public unsafe bool TryNext(Span<ulong> ids, out int count, out int bucket)
    {
        Guard.Destination(Alive().MaxBatch, ids.Length, nameof(ids));
        IntPtr h = Enter();
        try
        {
            ulong n = 0, b = 0;
            if (CoreNative.core_batcher_next(h, ids, &n, &b) == CoreStatus.Ok)
            {
                count = (int)n;
                bucket = (int)b;
                return true;
            }
            count = 0;
            bucket = -1;
            return false;
        }
        finally { Exit(); }
    }

    /// <summary>Makes every waiting item due: the following <see cref="TryNext(out BatcherBatch)"/>
    /// calls release them, in batches of at most MaxBatch (core_batcher_flush). Items
    /// added afterwards wait as usual (they may fill a flushed batch).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the batcher.</exception>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    public void Flush()
    {
        IntPtr h = Enter();
        try { CoreNative.core_batcher_flush(h); }
        finally { Exit(); }
    }

    /// <summary>Items waiting, due or not (core_batcher_pending).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the batcher.</exception>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    public long Pending
    {
        get
        {
            IntPtr h = Enter();
            try { return (long)CoreNative.core_batcher_pending(h); }
            finally { Exit(); }
        }
    }

    /// <summary>The time until the oldest waiting item times out — <see cref="TimeSpan.Zero"/>
    /// when a batch is due now — or null when nothing waits (core_batcher_next_deadline):
    /// for a consumer that sleeps between calls. Nanoseconds are rounded down to ticks
    /// (100 ns).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the batcher.</exception>
    /// <exception cref="ObjectDisposedException">The batcher was disposed.</exception>
    public unsafe TimeSpan? NextDeadline
    {
        get
        {
            IntPtr h = Enter();
            try
            {
                ulong ns;
                if (CoreNative.core_batcher_next_deadline(h, &ns) != CoreStatus.Ok)
                    return null;
                return TimeSpan.FromTicks((long)Math.Min(ns / 100, (ulong)long.MaxValue));
            }
            finally { Exit(); }
        }
    }

    /// <summary>Releases the native batcher (core_batcher_destroy). Safe to call any number
    /// of times, from any thread; a call in flight finishes first.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed ? "Batcher(disposed)" : $"Batcher(MaxBatch={_options.MaxBatch}, MaxDelayMs={_options.MaxDelayMs}, Buckets={_options.BucketCount})";

    private BatcherOptions Alive() =>
        _disposed ? throw new ObjectDisposedException(nameof(Batcher)) : _options;

    /// <summary>A reference on the handle and the one-thread slot for one call
    /// (<see cref="OneThreadCall"/>); <see cref="Exit"/> gives both back.</summary>
    private IntPtr Enter() =>
        OneThreadCall.Enter(_handle, ref _busy, _disposed, nameof(Batcher),
                            "A Batcher is used by one thread at a time, and another thread's call on it is running.");

    private void Exit() => OneThreadCall.Exit(_handle, ref _busy);
}

/// <summary>Owns a core_batcher_t*: released once, by core_batcher_destroy, when the last
/// reference taken by a call is dropped after Dispose (or by the finalizer).</summary>
internal sealed class BatcherHandle : SafeHandle
{
    internal BatcherHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr b) => SetHandle(b);

    protected override bool ReleaseHandle()
    {
        CoreNative.core_batcher_destroy(handle);
        return true;
    }
}
