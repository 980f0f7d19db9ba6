using System;
using System.Buffers;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// Statistics over many arrays at once, over the frames of one signal, and
/// over a raw float32 file (batch.h). For a stream pushed chunk by chunk see
/// <see cref="StatsAccumulator"/>.
/// </summary>
/// <remarks>
/// <para>Every <see cref="LibCore.Stats"/> returned here is bit for bit the one
/// <see cref="LibCore.Stats.Of(ReadOnlySpan{float}, NanPolicy)"/> gives for the
/// same values (per array, per frame, over the file range). Work runs in
/// parallel in libcore's task arena, split at fixed boundaries and merged in a
/// fixed order, so results are bit-identical for every
/// <see cref="Core.NumThreads"/>.</para>
/// <para>Nothing is copied. The jagged overloads pin each array for the call
/// with a pinned GCHandle (about 80 ns per non-empty array measured on the
/// build VM: 20-30% of the time for 1,000-float arrays, most of it for
/// tiny ones); the flat overloads pin one span and point into it, so they
/// are the cheapest way to summarize many small arrays. Only the table of
/// pointers and lengths that libcore reads is built (on the stack up to 128
/// arrays, otherwise in pooled arrays). Every method may run on any number
/// of threads at once.</para>
/// <para>Errors follow <see cref="CoreException"/>'s policy: what libcore checks
/// (frame or hop 0, frame longer than the signal, a missing file, a bad
/// <see cref="NanPolicy"/>) is a <see cref="CoreException"/> with libcore's
/// status and message; null arrays, negative sizes and lengths that do not
/// add up are refused before the native call.</para>
/// </remarks>
public static class Batch
{
    private const int StackLimit = 128;

    // ---- many arrays: jagged ----------------------------------------------------

    /// <summary>One summary per array, result[i] = Stats.Of(arrays[i], nan) bit for
    /// bit (core_batch_stats_f32), computed in parallel. Each array is pinned
    /// for the call, not copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="arrays"/> or one of
    /// its elements is null (the parameter name gives the index).</exception>
    /// <exception cref="CoreException">A bad <paramref name="nan"/> policy
    /// (<see cref="CoreStatus.InvalidArgument"/>).</exception>
    public static Stats[] Stats(float[][] arrays, NanPolicy nan = NanPolicy.Propagate) =>
        JaggedCore(arrays, nan);

    /// <summary>One summary per array, result[i] = Stats.Of(arrays[i], nan) bit for
    /// bit (core_batch_stats_f64), computed in parallel. Each array is pinned
    /// for the call, not copied.</summary>
    /// <inheritdoc cref="Stats(float[][], NanPolicy)" path="/exception"/>
    public static Stats[] Stats(double[][] arrays, NanPolicy nan = NanPolicy.Propagate) =>
        JaggedCore(arrays, nan);

    // ---- many arrays: flat ------------------------------------------------------

    /// <summary>
    /// One summary per segment of <paramref name="flat"/>: segment i is the
    /// next <c>lengths[i]</c> values, so segments are back to back and the
    /// lengths must add up to <c>flat.Length</c>. Zero-copy: the span is pinned
    /// once and libcore reads the segments in place. Bit for bit
    /// Stats.Of(segment, nan).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative.</exception>
    /// <exception cref="ArgumentException">The lengths do not add up to flat.Length.</exception>
    /// <exception cref="CoreException">A bad <paramref name="nan"/> policy.</exception>
    public static Stats[] Stats(ReadOnlySpan<float> flat, ReadOnlySpan<int> lengths,
                                NanPolicy nan = NanPolicy.Propagate)
    {
        var result = new Stats[lengths.Length];
        FlatCore(flat, lengths, result, nan);
        return result;
    }

    /// <inheritdoc cref="Stats(ReadOnlySpan{float}, ReadOnlySpan{int}, NanPolicy)"/>
    public static Stats[] Stats(ReadOnlySpan<double> flat, ReadOnlySpan<int> lengths,
                                NanPolicy nan = NanPolicy.Propagate)
    {
        var result = new Stats[lengths.Length];
        FlatCore(flat, lengths, result, nan);
        return result;
    }

    /// <summary>As <see cref="Stats(ReadOnlySpan{float}, ReadOnlySpan{int}, NanPolicy)"/>,
    /// writing the summaries to the start of <paramref name="destination"/>:
    /// no allocation at all for up to 128 segments.</summary>
    /// <exception cref="ArgumentException">destination is shorter than lengths, or
    /// the lengths do not add up to flat.Length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative.</exception>
    /// <exception cref="CoreException">A bad <paramref name="nan"/> policy.</exception>
    public static void Stats(ReadOnlySpan<float> flat, ReadOnlySpan<int> lengths,
                             Span<Stats> destination, NanPolicy nan = NanPolicy.Propagate) =>
        FlatCore(flat, lengths, destination, nan);

    /// <inheritdoc cref="Stats(ReadOnlySpan{float}, ReadOnlySpan{int}, Span{LibCore.Stats}, NanPolicy)"/>
    public static void Stats(ReadOnlySpan<double> flat, ReadOnlySpan<int> lengths,
                             Span<Stats> destination, NanPolicy nan = NanPolicy.Propagate) =>
        FlatCore(flat, lengths, destination, nan);

    // ---- frames -------------------------------------------------------------------

    /// <summary>
    /// The number of whole frames of <paramref name="frame"/> values every
    /// <paramref name="hop"/> values in a signal of <paramref name="length"/>
    /// values: 1 + (length - frame) / hop. A partial last frame is dropped
    /// (librosa.util.frame, sliding_window_view[::hop]); pad the signal to keep
    /// it (core_stats_frames_len).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative argument.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for
    /// frame 0, hop 0, or frame &gt; length.</exception>
    public static unsafe long FrameCount(long length, int frame, int hop)
    {
        if (length < 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, "length must be >= 0.");
        Guard.Count(frame, nameof(frame));
        Guard.Count(hop, nameof(hop));
        ulong frames;
        CoreNative.core_stats_frames_len((ulong)length, (ulong)frame, (ulong)hop, &frames);
        return (long)frames;
    }

    /// <summary>
    /// One summary per whole frame: result[i] = Stats.Of(x.Slice(i * hop, frame))
    /// bit for bit, NaN propagating as in np.mean per frame (NanCount still
    /// says which frames held one). See <see cref="FrameCount"/> for the number
    /// of frames. Parallel over frames; x is pinned, not copied
    /// (core_stats_frames_f32).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null (array overloads).</exception>
    /// <exception cref="ArgumentOutOfRangeException">frame or hop is negative.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for
    /// frame 0, hop 0, or frame &gt; x.Length.</exception>
    public static Stats[] Frames(ReadOnlySpan<float> x, int frame, int hop)
    {
        var result = new Stats[FrameCount(x.Length, frame, hop)];
        Frames(x, frame, hop, result);
        return result;
    }

    /// <inheritdoc cref="Frames(ReadOnlySpan{float}, int, int)"/>
    public static Stats[] Frames(ReadOnlySpan<double> x, int frame, int hop)
    {
        var result = new Stats[FrameCount(x.Length, frame, hop)];
        Frames(x, frame, hop, result);
        return result;
    }

    /// <inheritdoc cref="Frames(ReadOnlySpan{float}, int, int)"/>
    public static Stats[] Frames(float[] x, int frame, int hop)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Frames(new ReadOnlySpan<float>(x), frame, hop);
    }

    /// <inheritdoc cref="Frames(ReadOnlySpan{float}, int, int)"/>
    public static Stats[] Frames(double[] x, int frame, int hop)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Frames(new ReadOnlySpan<double>(x), frame, hop);
    }

    /// <summary>Writes the frame summaries of <paramref name="x"/> to the start of
    /// <paramref name="destination"/> and returns their number (no allocation).</summary>
    /// <exception cref="ArgumentOutOfRangeException">frame or hop is negative.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.BufferTooSmall"/> when
    /// destination holds fewer than <see cref="FrameCount"/> summaries (nothing
    /// written); otherwise as <see cref="Frames(ReadOnlySpan{float}, int, int)"/>.</exception>
    public static unsafe int Frames(ReadOnlySpan<float> x, int frame, int hop, Span<Stats> destination)
    {
        Guard.Count(frame, nameof(frame));
        Guard.Count(hop, nameof(hop));
        ulong frames;
        fixed (Stats* p = destination)
            CoreNative.core_stats_frames_f32(x, (ulong)frame, (ulong)hop, p, (ulong)destination.Length, &frames);
        return (int)frames;
    }

    /// <inheritdoc cref="Frames(ReadOnlySpan{float}, int, int, Span{LibCore.Stats})"/>
    public static unsafe int Frames(ReadOnlySpan<double> x, int frame, int hop, Span<Stats> destination)
    {
        Guard.Count(frame, nameof(frame));
        Guard.Count(hop, nameof(hop));
        ulong frames;
        fixed (Stats* p = destination)
            CoreNative.core_stats_frames_f64(x, (ulong)frame, (ulong)hop, p, (ulong)destination.Length, &frames);
        return (int)frames;
    }

    // ---- files ----------------------------------------------------------------------

    /// <summary>
    /// Summarizes values [offset, offset + count) of the raw native-endian
    /// float32 file at <paramref name="path"/> (count 0: to the end), bit for
    /// bit what Stats.Of gives on the same values in memory
    /// (core_stats_file_f32). offset and count are in values, not bytes
    /// (np.fromfile's offset is in bytes: divide it by 4).
    /// </summary>
    /// <remarks>
    /// libcore maps a regular file and reduces it in parallel, unless the
    /// process already has a SIGBUS handler of its own — the .NET runtime
    /// installs one — in which case it reads the file with read(2) into a
    /// buffer: the same bits, serial reads, and a file that shrinks during the
    /// call is an ordinary <see cref="CoreStatus.Io"/> error, never a crash.
    /// Pipes and devices are read as streams. The file is opened read-only
    /// and closed before the call returns.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">offset or count is negative.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.NotFound"/> when the path
    /// does not exist; <see cref="CoreStatus.Io"/> for any other failure to open or
    /// read (permission, a directory, the file shrinking);
    /// <see cref="CoreStatus.Format"/> when the size is not a multiple of 4;
    /// <see cref="CoreStatus.InvalidArgument"/> for an offset or range past the end,
    /// or a bad policy.</exception>
    public static unsafe Stats StatsFile(string path, long offset = 0, long count = 0,
                                         NanPolicy nan = NanPolicy.Propagate)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (offset < 0)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "offset must be >= 0.");
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 0.");
        Stats s;
        CoreNative.core_stats_file_f32(path, (ulong)offset, (ulong)count, nan, &s);
        return s;
    }

    // ---- implementation -------------------------------------------------------------

    private static unsafe Stats[] JaggedCore<T>(T[][] arrays, NanPolicy nan) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(arrays);
        int count = arrays.Length;
        for (int i = 0; i < count; ++i)
        {
            if (arrays[i] is null)
                throw new ArgumentNullException($"{nameof(arrays)}[{i}]");
        }
        var result = new Stats[count];
        ulong[]? lensRented = null;
        nint[]? ptrsRented = null;
        GCHandle[]? pins = count == 0 ? null : ArrayPool<GCHandle>.Shared.Rent(count);
        int pinned = 0;
        try
        {
            Span<ulong> lens = count <= StackLimit
                ? stackalloc ulong[count]
                : (lensRented = ArrayPool<ulong>.Shared.Rent(count)).AsSpan(0, count);
            Span<nint> ptrs = count <= StackLimit
                ? stackalloc nint[count]
                : (ptrsRented = ArrayPool<nint>.Shared.Rent(count)).AsSpan(0, count);
            for (int i = 0; i < count; ++i)
            {
                T[] a = arrays[i];
                lens[i] = (ulong)a.Length;
                if (a.Length == 0)
                {
                    ptrs[i] = 0; // libcore accepts NULL for an empty array
                    continue;
                }
                pins![pinned] = GCHandle.Alloc(a, GCHandleType.Pinned);
                ptrs[i] = pins[pinned++].AddrOfPinnedObject();
            }
            fixed (nint* pp = ptrs)
            fixed (Stats* po = result)
            {
                if (typeof(T) == typeof(float))
                    CoreNative.core_batch_stats_f32((float**)pp, lens, nan, po);
                else
                    CoreNative.core_batch_stats_f64((double**)pp, lens, nan, po);
            }
        }
        finally
        {
            for (int i = 0; i < pinned; ++i)
                pins![i].Free();
            if (pins is not null)
                ArrayPool<GCHandle>.Shared.Return(pins, clearArray: true);
            if (lensRented is not null)
                ArrayPool<ulong>.Shared.Return(lensRented);
            if (ptrsRented is not null)
                ArrayPool<nint>.Shared.Return(ptrsRented);
        }
        return result;
    }

    private static unsafe void FlatCore<T>(ReadOnlySpan<T> flat, ReadOnlySpan<int> lengths,
                                           Span<Stats> destination, NanPolicy nan) where T : unmanaged
    {
        int count = lengths.Length;
        Guard.Destination(count, destination.Length);
        ulong[]? lensRented = null;
        nint[]? ptrsRented = null;
        try
        {
            Span<ulong> lens = count <= StackLimit
                ? stackalloc ulong[count]
                : (lensRented = ArrayPool<ulong>.Shared.Rent(count)).AsSpan(0, count);
            Span<nint> ptrs = count <= StackLimit
                ? stackalloc nint[count]
                : (ptrsRented = ArrayPool<nint>.Shared.Rent(count)).AsSpan(0, count);
            fixed (T* start = flat)
            {
                long offset = 0;
                for (int i = 0; i < count; ++i)
                {
                    int len = lengths[i];
                    if (len < 0)
                        throw new ArgumentOutOfRangeException(nameof(lengths), len,
                            $"lengths[{i}] is negative.");
                    lens[i] = (ulong)len;
                    ptrs[i] = len == 0 || offset + len > flat.Length ? 0 : (nint)(start + offset);
                    offset += len;
                }
                if (offset != flat.Length)
                    throw new ArgumentException(
                        $"The lengths add up to {offset} values, flat has {flat.Length}.", nameof(lengths));
                fixed (nint* pp = ptrs)
                fixed (Stats* po = destination)
                {
                    if (typeof(T) == typeof(float))
                        CoreNative.core_batch_stats_f32((float**)pp, lens, nan, po);
                    else
                        CoreNative.core_batch_stats_f64((double**)pp, lens, nan, po);
                }
            }
        }
        finally
        {
            if (lensRented is not null)
                ArrayPool<ulong>.Shared.Return(lensRented);
            if (ptrsRented is not null)
                ArrayPool<nint>.Shared.Return(ptrsRented);
        }
    }
}
