using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Xunit;

namespace LibCore.Tests;

/// <summary>RingBuffer (ring.h): every operation, both policies, the mirror,
/// errors, disposal, and a producer and a consumer on two threads.</summary>
public class RingBufferTests
{
    private static float[] Seq(int start, int n) => Enumerable.Range(start, n).Select(i => (float)i).ToArray();

    [Fact]
    public void A_new_ring()
    {
        using var ring = new RingBuffer(1000);
        Assert.Equal(1000, ring.Capacity);
        Assert.Equal(RingPolicy.Reject, ring.Policy);
        Assert.Equal(0, ring.Size);
        Assert.Equal(1000, ring.Space);
        Assert.Equal(0, ring.Dropped);
        Assert.False(ring.IsMirrored);
        Assert.False(ring.IsDisposed);
        Assert.Equal("RingBuffer(Capacity=1000, Policy=Reject, Size=0, Dropped=0)", ring.ToString());
        using var over = new RingBuffer(5, RingPolicy.Overwrite);
        Assert.Equal(RingPolicy.Overwrite, over.Policy);
        Assert.Equal(5, over.Capacity);
    }

    [Fact]
    public void Enum_values_are_pinned()
    {
        Assert.Equal(0, (int)RingPolicy.Reject);
        Assert.Equal(1, (int)RingPolicy.Overwrite);
        Assert.Equal(0, (int)RingMirror.Off);
        Assert.Equal(1, (int)RingMirror.On);
        Assert.Equal(2, (int)RingMirror.Require);
    }

    [Fact]
    public void Options_and_stats_have_the_layout_the_wrapper_was_compiled_with()
    {
        Assert.Equal(40, Unsafe.SizeOf<NativeRingOptions>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(1), (ulong)Unsafe.SizeOf<NativeRingOptions>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(2), (ulong)Unsafe.SizeOf<Stats>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(0), (ulong)StatsAccumulator.StateSize);
    }

    [Fact]
    public void Append_read_consume_pop_with_wrap_around()
    {
        using var ring = new RingBuffer(8);
        int next = 0, expect = 0;
        var buf = new float[5];
        for (int round = 0; round < 50; ++round)
        {
            int n = 1 + round % 5;
            ring.Append(Seq(next, n));
            next += n;
            Assert.Equal(next - expect, ring.Size);
            Assert.Equal(8 - ring.Size, ring.Space);
            float[] peek = ring.Read(ring.Size);
            Assert.Equal(Seq(expect, peek.Length), peek);
            if (round % 2 == 0)
            {
                int got = ring.Pop(buf);
                Assert.Equal(Seq(expect, got), buf.Take(got));
                expect += got;
            }
            else
            {
                int k = Math.Min(3, ring.Size);
                ring.Consume(k);
                expect += k;
            }
        }
        Assert.Equal(Seq(expect, next - expect), ring.ReadAll());
    }

    [Fact]
    public void Samples_are_stored_bit_for_bit()
    {
        float nanPayload = BitConverter.Int32BitsToSingle(0x7fc12345);
        float[] x = { nanPayload, float.PositiveInfinity, -0.0f, 3.5f, -1e30f, float.Epsilon };
        using var ring = new RingBuffer(16);
        ring.Append(x);
        var back = new float[x.Length];
        Assert.Equal(x.Length, ring.Pop(back));
        Assert.Equal(x.Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Pcm16_is_converted_exactly_on_the_way_in()
    {
        using var ring = new RingBuffer(16);
        ring.Append(new short[] { -32768, -16384, 0, 1, 32767 });
        Assert.True(ring.TryAppend(new short[] { 16384 }.AsSpan()));
        Assert.Equal(new[] { -1f, -0.5f, 0f, 1f / 32768, 32767f / 32768, 0.5f }, ring.ReadAll());
    }

    [Fact]
    public void Reject_keeps_the_callers_data_when_full()
    {
        using var ring = new RingBuffer(4);
        ring.Append(Seq(0, 3));
        var e = Assert.Throws<CoreException>(() => ring.Append(Seq(3, 2)));
        Assert.Equal(CoreStatus.Full, e.Status);
        Assert.Contains("core_ring_append_f32", e.LibCoreMessage);
        Assert.Contains("does not fit", e.LibCoreMessage);
        Assert.Equal(3, ring.Size); // nothing written
        Assert.False(ring.TryAppend(Seq(3, 2)));
        Assert.False(ring.TryAppend(new short[2].AsSpan()));
        Assert.Equal(3, ring.Size);
        Assert.True(ring.TryAppend(Seq(3, 1)));
        Assert.Equal(Seq(0, 4), ring.ReadAll());
        Assert.Equal(0, ring.Dropped);
        e = Assert.Throws<CoreException>(() => ring.Append(new short[1]));
        Assert.Contains("core_ring_append_i16", e.LibCoreMessage);
    }

    [Fact]
    public void More_than_the_capacity_can_never_fit_under_Reject()
    {
        using var ring = new RingBuffer(4);
        var e = Assert.Throws<CoreException>(() => ring.Append(new float[5]));
        Assert.Equal(CoreStatus.Full, e.Status);
        Assert.Contains("never fit", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => ring.TryAppend(new float[5].AsSpan()));
        Assert.Contains("never fit", e.LibCoreMessage);
        Assert.Equal(0, ring.Size);
    }

    [Fact]
    public void Overwrite_drops_the_oldest_and_counts_them()
    {
        using var ring = new RingBuffer(4, RingPolicy.Overwrite);
        ring.Append(Seq(0, 6));
        Assert.Equal(4, ring.Size);
        Assert.Equal(2, ring.Dropped);
        Assert.Equal(Seq(2, 4), ring.ReadAll());
        Assert.True(ring.TryAppend(Seq(6, 10))); // more than the capacity in one append
        Assert.Equal(Seq(12, 4), ring.ReadAll());
        Assert.Equal(12, ring.Dropped);
        ring.Consume(1);
        ring.Clear();
        Assert.Equal(0, ring.Size);
        Assert.Equal(12, ring.Dropped); // consume and clear do not count
    }

    [Fact]
    public void Reading_more_than_is_there_is_Empty_and_changes_nothing()
    {
        using var ring = new RingBuffer(8);
        var e = Assert.Throws<CoreException>(() => ring.Pop(new float[4]));
        Assert.Equal(CoreStatus.Empty, e.Status);
        Assert.Contains("core_ring_pop", e.LibCoreMessage);
        ring.Append(Seq(0, 3));
        e = Assert.Throws<CoreException>(() => ring.Read(new float[4]));
        Assert.Equal(CoreStatus.Empty, e.Status);
        Assert.Contains("only 3 readable", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => ring.Consume(4));
        Assert.Equal(CoreStatus.Empty, e.Status);
        Assert.Contains("core_ring_consume", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => ring.ReadLatest(4));
        Assert.Equal(CoreStatus.Empty, e.Status);
        Assert.Equal(3, ring.Size); // nothing consumed
        Assert.Equal(0, ring.Pop(Span<float>.Empty));
        Assert.Equal(Seq(0, 3), ring.ReadAll());
    }

    [Fact]
    public void ReadAll_into_a_span()
    {
        using var ring = new RingBuffer(8);
        Assert.Equal(0, ring.ReadAll(Span<float>.Empty));
        Assert.Empty(ring.ReadAll());
        ring.Append(Seq(0, 5));
        var dest = new float[8];
        Assert.Equal(5, ring.ReadAll(dest));
        Assert.Equal(Seq(0, 5), dest.Take(5));
        var e = Assert.Throws<CoreException>(() => ring.ReadAll(new float[4]));
        Assert.Equal(CoreStatus.BufferTooSmall, e.Status);
        Assert.Equal(5, ring.Size);
    }

    [Fact]
    public void ReadLatest_gives_the_newest_oldest_first()
    {
        using var ring = new RingBuffer(8);
        ring.Append(Seq(0, 6));
        ring.Consume(2);
        ring.Append(Seq(6, 3)); // wraps
        Assert.Equal(Seq(6, 3), ring.ReadLatest(3));
        var dest = new float[7];
        ring.ReadLatest(dest);
        Assert.Equal(Seq(2, 7), dest);
        Assert.Empty(ring.ReadLatest(0));
        Assert.Equal(7, ring.Size);
    }

    [Fact]
    public void Peek_shows_the_samples_in_place_in_two_spans_at_the_wrap()
    {
        using var ring = new RingBuffer(8);
        ring.Append(Seq(0, 6));
        ring.Consume(4);
        ring.Append(Seq(6, 5)); // samples 4..10 at storage 4..7, 0..2
        (float[] a, float[] b) = ring.Peek((x, y) => (x.ToArray(), y.ToArray()));
        Assert.Equal(Seq(4, 7), a.Concat(b));
        Assert.Equal(4, a.Length); // the storage of capacity 8 is 8 samples
        Assert.Equal(3, b.Length);
        Assert.Equal(7, ring.Size); // nothing consumed
        ring.Consume(ring.Peek((x, y) => x.Length)); // consume what was used
        Assert.Equal(Seq(8, 3), ring.ReadAll());
        float sum = ring.Peek(10f, (x, y, s) => s + x.ToArray().Sum() + y.ToArray().Sum());
        Assert.Equal(10 + 8 + 9 + 10, sum);
    }

    [Fact]
    public void Consume_with_a_reader_consumes_what_it_returns()
    {
        using var ring = new RingBuffer(8);
        ring.Append(Seq(0, 6));
        ring.Consume(4);
        ring.Append(Seq(6, 5)); // 4..10, wrapped
        float first = -1;
        int n = ring.Consume((a, b) =>
        {
            first = a[0];
            Assert.Equal(7, a.Length + b.Length);
            return 5;
        });
        Assert.Equal(5, n);
        Assert.Equal(4, first);
        Assert.Equal(Seq(9, 2), ring.ReadAll());
        Assert.Equal(0, ring.Consume((a, b) => 0));
        Assert.Equal(2, ring.Consume(100, (a, b, s) => Math.Min(s, a.Length + b.Length)));
        Assert.Equal(0, ring.Size);
        Assert.Equal(0, ring.Consume((a, b) => a.Length + b.Length)); // empty ring
    }

    [Fact]
    public void Consume_with_a_reader_that_fails_consumes_nothing()
    {
        using var ring = new RingBuffer(8);
        ring.Append(Seq(0, 3));
        Assert.Throws<InvalidOperationException>(() => ring.Consume((a, b) => 4)); // more than shown
        Assert.Throws<InvalidOperationException>(() => ring.Consume((a, b) => -1));
        Assert.Throws<FormatException>(() => ring.Consume((a, b) => throw new FormatException()));
        Assert.Equal(Seq(0, 3), ring.ReadAll());
        Assert.Throws<ArgumentNullException>(() => ring.Consume((RingPeekFunc<int>)null!));
        Assert.Throws<ArgumentNullException>(() => ring.Consume(0, (RingPeekFunc<int, int>)null!));
        Assert.Equal(3, ring.Consume((a, b) => 3));
    }

    [Fact]
    public void Consume_after_Peek_under_Overwrite_never_counts_a_sample_twice()
    {
        using var ring = new RingBuffer(4, RingPolicy.Overwrite);
        ring.Append(Seq(0, 4));
        float[] seen = ring.Peek((a, b) => a.ToArray().Concat(b.ToArray()).ToArray());
        Assert.Equal(Seq(0, 4), seen);
        ring.Append(Seq(4, 2)); // the producer drops 0 and 1 while they are shown
        Assert.Equal(2, ring.Dropped);
        ring.Consume(2); // 0 and 1: already counted as dropped, not consumed again
        Assert.Equal(Seq(2, 4), ring.ReadAll());
        Assert.Equal(2, ring.Dropped);
    }

    [Fact]
    public void Peek_on_an_empty_ring_shows_nothing()
    {
        using var ring = new RingBuffer(8);
        Assert.Equal(0, ring.Peek((a, b) => a.Length + b.Length));
        Assert.Throws<ArgumentNullException>(() => ring.Peek<int>(null!));
        Assert.Throws<ArgumentNullException>(() => ring.Peek<int, int>(0, null!));
    }

    [Fact]
    public void Consumer_calls_inside_Peek_are_refused_producer_calls_allowed()
    {
        using var ring = new RingBuffer(16);
        ring.Append(Seq(0, 4));
        var inner = new Action[]
        {
            () => ring.Consume(1), () => ring.Read(new float[1]), () => ring.Pop(new float[1]),
            () => ring.Clear(), () => ring.ReadAll(), () => ring.ReadLatest(1),
            () => ring.WaitReadable(1, 0), () => ring.Peek((a, b) => 0), () => ring.Consume((a, b) => 0),
        };
        foreach (Action call in inner)
        {
            ring.Peek((a, b) =>
            {
                Assert.Throws<InvalidOperationException>(call);
                return 0;
            });
        }
        float[] seen = ring.Peek((a, b) =>
        {
            ring.Append(Seq(4, 2)); // producer side: fine, the spans stay as they were
            Assert.Equal(6, ring.Size);
            return a.ToArray().Concat(b.ToArray()).ToArray();
        });
        Assert.Equal(Seq(0, 4), seen);
        ring.Consume(6); // and after the callback, consumer calls work again
        Assert.Throws<InvalidOperationException>(() => ring.Peek<int>((a, b) => throw new InvalidOperationException()));
        ring.Append(Seq(0, 1));
        Assert.Equal(1, ring.Pop(new float[4]));
    }

    [Fact]
    public void A_mirrored_ring_always_shows_one_span()
    {
        using var ring = new RingBuffer(1000, RingPolicy.Reject, RingMirror.On);
        var chunk = new float[300];
        int maxSecond = 0;
        for (int i = 0; i < 40; ++i)
        {
            ring.Append(chunk);
            maxSecond = Math.Max(maxSecond, ring.Peek((a, b) => b.Length));
            Assert.Equal(ring.Size, ring.Peek((a, b) => a.Length + b.Length));
            ring.Consume(ring.Size > 500 ? 500 : ring.Size);
        }
        if (ring.IsMirrored)
            Assert.Equal(0, maxSecond);
    }

    [Fact]
    public void Mirror_Require_is_mirrored_or_Unsupported()
    {
        try
        {
            using var ring = new RingBuffer(4096, RingPolicy.Overwrite, RingMirror.Require);
            Assert.True(ring.IsMirrored);
        }
        catch (CoreException e)
        {
            Assert.Equal(CoreStatus.Unsupported, e.Status);
        }
    }

    [Fact]
    public void Bad_construction()
    {
        var e = Assert.Throws<CoreException>(() => new RingBuffer(0));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_ring_create", e.LibCoreMessage);
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => new RingBuffer(8, (RingPolicy)7)).Status);
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => new RingBuffer(8, RingPolicy.Reject, (RingMirror)9)).Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingBuffer(-1));
    }

    [Fact]
    public void Negative_counts_and_timeouts_are_refused_before_the_call()
    {
        using var ring = new RingBuffer(8);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Read(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.ReadLatest(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Consume(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.WaitReadable(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.WaitWritable(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.WaitReadable(1, -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.WaitWritable(1, TimeSpan.FromMilliseconds(-5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.WaitReadable(1, TimeSpan.FromDays(30)));
        Assert.Throws<ArgumentNullException>(() => ring.Append((float[])null!));
        Assert.Throws<ArgumentNullException>(() => ring.Append((short[])null!));
    }

    [Fact]
    public void Waits_test_time_out_and_refuse_the_impossible()
    {
        using var ring = new RingBuffer(8);
        Assert.False(ring.WaitReadable(1, 0));
        Assert.True(ring.WaitWritable(8, 0));
        Assert.True(ring.WaitReadable(0, TimeSpan.Zero));
        ring.Append(Seq(0, 3));
        Assert.True(ring.WaitReadable(3, 0));
        Assert.False(ring.WaitReadable(4, TimeSpan.Zero));
        Assert.False(ring.WaitWritable(6, 0));
        var sw = Stopwatch.StartNew();
        Assert.False(ring.WaitReadable(4, 60));
        Assert.False(ring.WaitWritable(6, TimeSpan.FromMilliseconds(60)));
        Assert.InRange(sw.ElapsedMilliseconds, 100, 10000);
        var e = Assert.Throws<CoreException>(() => ring.WaitReadable(9, 0));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_ring_wait_readable", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => ring.WaitWritable(9, Timeout.Infinite));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_ring_wait_writable", e.LibCoreMessage);
    }

    [Fact]
    public void Waits_wake_up_when_the_other_side_acts()
    {
        using var ring = new RingBuffer(8);
        var producer = new Thread(() =>
        {
            Thread.Sleep(50);
            ring.Append(Seq(0, 5));
        });
        var sw = Stopwatch.StartNew();
        producer.Start();
        Assert.True(ring.WaitReadable(5, 10000));
        Assert.InRange(sw.ElapsedMilliseconds, 0, 9000);
        producer.Join();
        ring.Append(Seq(5, 3)); // full
        var consumer = new Thread(() =>
        {
            Thread.Sleep(50);
            ring.Consume(4);
        });
        consumer.Start();
        Assert.True(ring.WaitWritable(4, TimeSpan.FromSeconds(10)));
        consumer.Join();
        Assert.Equal(Seq(4, 4), ring.ReadAll());
    }

    // ---- disposal ---------------------------------------------------------------------

    [Fact]
    public void Dispose_is_idempotent()
    {
        var ring = new RingBuffer(8);
        ring.Append(Seq(0, 2));
        ring.Dispose();
        Assert.True(ring.IsDisposed);
        ring.Dispose();
        ring.Dispose();
        Assert.True(ring.IsDisposed);
        Assert.Equal("RingBuffer(disposed)", ring.ToString());
    }

    public static TheoryData<string, Action<RingBuffer>> Members => new()
    {
        { "Capacity", r => _ = r.Capacity },
        { "Policy", r => _ = r.Policy },
        { "Size", r => _ = r.Size },
        { "Space", r => _ = r.Space },
        { "Dropped", r => _ = r.Dropped },
        { "IsMirrored", r => _ = r.IsMirrored },
        { "Append float", r => r.Append(new float[1]) },
        { "Append short", r => r.Append(new short[1]) },
        { "TryAppend float", r => r.TryAppend(new float[1].AsSpan()) },
        { "TryAppend short", r => r.TryAppend(new short[1].AsSpan()) },
        { "WaitWritable", r => r.WaitWritable(1, 0) },
        { "WaitWritable TimeSpan", r => r.WaitWritable(1, TimeSpan.Zero) },
        { "Read span", r => r.Read(new float[1]) },
        { "Read count", r => r.Read(1) },
        { "ReadAll span", r => r.ReadAll(new float[1]) },
        { "ReadAll", r => r.ReadAll() },
        { "ReadLatest span", r => r.ReadLatest(new float[1]) },
        { "ReadLatest count", r => r.ReadLatest(1) },
        { "Pop", r => r.Pop(new float[1]) },
        { "Consume", r => r.Consume(1) },
        { "Consume reader", r => r.Consume((a, b) => 0) },
        { "Consume reader with state", r => r.Consume(1, (a, b, s) => 0) },
        { "Clear", r => r.Clear() },
        { "Peek", r => r.Peek((a, b) => 0) },
        { "Peek with state", r => r.Peek(1, (a, b, s) => s) },
        { "WaitReadable", r => r.WaitReadable(1, 0) },
        { "WaitReadable TimeSpan", r => r.WaitReadable(1, TimeSpan.Zero) },
    };

    [Theory]
    [MemberData(nameof(Members))]
    public void Use_after_dispose_is_ObjectDisposedException(string what, Action<RingBuffer> use)
    {
        var ring = new RingBuffer(8);
        ring.Append(Seq(0, 4));
        ring.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => use(ring));
        Assert.Equal(nameof(RingBuffer), e.ObjectName);
        Assert.NotNull(what);
    }

    [Fact]
    public void Dispose_while_another_thread_is_calling_never_crashes()
    {
        for (int round = 0; round < 20; ++round)
        {
            var ring = new RingBuffer(64, RingPolicy.Overwrite);
            Exception? failure = null;
            using var started = new ManualResetEventSlim();
            var worker = new Thread(() =>
            {
                var buf = new float[16];
                var chunk = new float[16];
                try
                {
                    started.Set();
                    while (true)
                    {
                        ring.Append(chunk);
                        ring.Peek((a, b) => a.Length);
                        if (ring.Size > 0)
                            ring.Pop(buf);
                        _ = ring.Dropped;
                    }
                }
                catch (ObjectDisposedException)
                {
                    // the expected end
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            worker.Start();
            started.Wait();
            Thread.Sleep(round % 3);
            ring.Dispose();
            Assert.True(worker.Join(TimeSpan.FromSeconds(10)));
            Assert.Null(failure);
        }
    }

    [Fact]
    public void Dispose_during_Peek_waits_for_the_callback()
    {
        var ring = new RingBuffer(8);
        ring.Append(Seq(0, 8));
        float sum = ring.Peek((a, b) =>
        {
            ring.Dispose(); // the memory stays until the callback returns
            Assert.True(ring.IsDisposed);
            return a.ToArray().Sum() + b.ToArray().Sum();
        });
        Assert.Equal(28, sum);
        Assert.Throws<ObjectDisposedException>(() => ring.Size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Abandon()
    {
        var ring = new RingBuffer(1 << 16);
        ring.Append(new float[100]);
    }

    [Fact]
    public void An_undisposed_ring_is_released_by_the_finalizer()
    {
        for (int i = 0; i < 50; ++i)
            Abandon();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    // ---- two threads --------------------------------------------------------------------

    private const int StreamLength = 1 << 21; // sequence numbers stay exact in float

    [Fact]
    public void Reject_two_threads_the_consumer_sees_exactly_the_sequence()
    {
        using var ring = new RingBuffer(4096);
        Exception? producerFailure = null;
        var deadline = Stopwatch.StartNew();
        var producer = new Thread(() =>
        {
            try
            {
                var chunk = new float[1000];
                for (int next = 0; next < StreamLength;)
                {
                    int n = Math.Min(next % 3 == 0 ? 1000 : 333, StreamLength - next);
                    for (int i = 0; i < n; ++i)
                        chunk[i] = next + i;
                    ReadOnlySpan<float> part = chunk.AsSpan(0, n);
                    while (!ring.TryAppend(part))
                    {
                        if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                            throw new TimeoutException("producer stuck");
                        ring.WaitWritable(n, 100);
                    }
                    next += n;
                }
            }
            catch (Exception e)
            {
                producerFailure = e;
            }
        });
        producer.Start();
        var buf = new float[777];
        int expect = 0;
        while (expect < StreamLength)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"consumer stuck at {expect}");
            Assert.Null(producerFailure);
            if (!ring.WaitReadable(1, 100))
                continue;
            if (expect % 2 == 1)
            {
                // Zero-copy: check the samples in place, then consume them.
                int seen = ring.Peek(expect, CheckSequence);
                ring.Consume(seen);
                expect += seen;
                continue;
            }
            int got = ring.Pop(buf);
            for (int i = 0; i < got; ++i)
            {
                if (buf[i] != expect)
                    Assert.Fail($"sample {expect}: got {buf[i]}");
                ++expect;
            }
        }
        Assert.True(producer.Join(TimeSpan.FromSeconds(10)));
        Assert.Null(producerFailure);
        Assert.Equal(StreamLength, expect);
        Assert.Equal(0, ring.Size);
        Assert.Equal(0, ring.Dropped);
    }

    /// <summary>Checks peeked samples against the sequence from <paramref name="start"/>
    /// and returns how many there were.</summary>
    private static int CheckSequence(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int start)
    {
        int expect = start;
        foreach (float v in a)
        {
            if (v != expect)
                Assert.Fail($"peeked sample {expect}: got {v}");
            ++expect;
        }
        foreach (float v in b)
        {
            if (v != expect)
                Assert.Fail($"peeked sample {expect}: got {v}");
            ++expect;
        }
        return expect - start;
    }

    [Fact]
    public void Overwrite_two_threads_an_increasing_subsequence_with_gaps_equal_to_Dropped()
    {
        using var ring = new RingBuffer(1024, RingPolicy.Overwrite);
        bool done = false;
        Exception? producerFailure = null;
        var producer = new Thread(() =>
        {
            try
            {
                var chunk = new float[256];
                for (int next = 0; next < StreamLength; next += chunk.Length)
                {
                    for (int i = 0; i < chunk.Length; ++i)
                        chunk[i] = next + i;
                    ring.Append(chunk);
                }
            }
            catch (Exception e)
            {
                producerFailure = e;
            }
            Volatile.Write(ref done, true);
        });
        var deadline = Stopwatch.StartNew();
        producer.Start();
        var buf = new float[300];
        long popped = 0;
        float last = -1;
        while (true)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "consumer stuck");
            bool finished = Volatile.Read(ref done);
            if (ring.Size == 0)
            {
                if (finished)
                    break;
                ring.WaitReadable(1, 10);
                continue;
            }
            int got = ring.Pop(buf);
            for (int i = 0; i < got; ++i)
            {
                float v = buf[i];
                if (!(v > last) || v != MathF.Floor(v) || v >= StreamLength)
                    Assert.Fail($"after {last}: got {v}");
                last = v;
            }
            popped += got;
        }
        Assert.True(producer.Join(TimeSpan.FromSeconds(10)));
        Assert.Null(producerFailure);
        // Every sample was popped once or counted as dropped once.
        Assert.Equal(StreamLength, popped + ring.Dropped);
    }
}
