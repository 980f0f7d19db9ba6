using System;
using System.Linq;
using System.Threading;
using Xunit;

namespace LibCore.Tests;

/// <summary>Batcher and BatcherOptions (pipeline.h, the generic batcher): defaults, release
/// at MaxBatch, on timeout and on Flush, length buckets, the deadline, errors, disposal.</summary>
public class BatcherTests
{
    private static Batcher Make(int maxBatch, int delayMs, params ulong[] bounds) =>
        new(new BatcherOptions { MaxBatch = maxBatch, MaxDelayMs = delayMs, BucketBounds = bounds });

    [Fact]
    public void Options_hold_libcore_defaults()
    {
        var o = new BatcherOptions();
        Assert.Equal(8, o.MaxBatch);
        Assert.Equal(50, o.MaxDelayMs);
        Assert.Empty(o.BucketBounds);
        Assert.Equal(1, o.BucketCount);
        Assert.Equal(16, BatcherOptions.MaxBuckets);
        BatcherOptions c = o.Clone();
        c.BucketBounds = new ulong[] { 1 };
        Assert.Empty(o.BucketBounds);
        using var b = new Batcher();
        Assert.Equal(8, b.MaxBatch);
        Assert.Equal(0, b.Pending);
        Assert.Null(b.NextDeadline);
        Assert.False(b.TryNext(out _));
    }

    [Fact]
    public void A_full_bucket_is_released_at_max_batch()
    {
        using Batcher b = Make(3, 60_000);
        b.Add(10, 5);
        b.Add(11, 5);
        Assert.False(b.TryNext(out _));
        Assert.Equal(2, b.Pending);
        b.Add(12, 5);
        b.Add(13, 5);
        Assert.True(b.TryNext(out BatcherBatch batch));
        Assert.Equal(new ulong[] { 10, 11, 12 }, batch.Ids);
        Assert.Equal(0, batch.Bucket);
        Assert.Equal(3, batch.Count);
        Assert.Equal(1, b.Pending);
        Assert.False(b.TryNext(out _));
        TimeSpan? d = b.NextDeadline;
        Assert.NotNull(d);
        Assert.InRange(d!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Flush_releases_everything_in_batches_of_at_most_max_batch()
    {
        using Batcher b = Make(4, 60_000, 10);
        for (ulong id = 0; id < 6; ++id)
            b.Add(id, 1);     // bucket 0: a full batch of 4, then 2 waiting
        b.Add(100, 50);       // bucket 1: 1 waiting
        Assert.True(b.TryNext(out BatcherBatch first));
        Assert.Equal(new ulong[] { 0, 1, 2, 3 }, first.Ids);
        Assert.False(b.TryNext(out _)); // 3 waiting, no bucket full, none timed out
        Assert.Equal(3, b.Pending);
        Assert.True(b.NextDeadline > TimeSpan.FromSeconds(50));
        b.Flush();
        Assert.Equal(TimeSpan.Zero, b.NextDeadline);
        Assert.True(b.TryNext(out BatcherBatch second));
        Assert.Equal(new ulong[] { 4, 5 }, second.Ids);
        Assert.Equal(0, second.Bucket);
        Assert.True(b.TryNext(out BatcherBatch third));
        Assert.Equal(new ulong[] { 100 }, third.Ids);
        Assert.Equal(1, third.Bucket);
        Assert.False(b.TryNext(out _));
        Assert.Equal(0, b.Pending);
        Assert.Null(b.NextDeadline);
    }

    [Fact]
    public void Items_wait_in_length_buckets()
    {
        using Batcher b = Make(2, 60_000, 100, 1000); // [0, 100], (100, 1000], the rest
        b.Add(1, 50);
        b.Add(2, 500);
        b.Add(3, 5000);
        b.Add(4, 100);   // the bound is inclusive: bucket 0, now full
        Assert.True(b.TryNext(out BatcherBatch small));
        Assert.Equal(0, small.Bucket);
        Assert.Equal(new ulong[] { 1, 4 }, small.Ids);
        Assert.False(b.TryNext(out _));
        b.Add(5, 1000);
        Assert.True(b.TryNext(out BatcherBatch middle));
        Assert.Equal(1, middle.Bucket);
        Assert.Equal(new ulong[] { 2, 5 }, middle.Ids);
        b.Add(6, ulong.MaxValue);
        Assert.True(b.TryNext(out BatcherBatch large));
        Assert.Equal(2, large.Bucket);
        Assert.Equal(new ulong[] { 3, 6 }, large.Ids);
        Assert.Equal(0, b.Pending);
    }

    [Fact]
    public void Timed_out_items_are_released_oldest_bucket_first()
    {
        using Batcher b = Make(8, 0, 10); // delay 0: due at the next call
        b.Add(1, 50);   // bucket 1, oldest
        b.Add(2, 5);    // bucket 0
        b.Add(3, 50);
        Assert.Equal(TimeSpan.Zero, b.NextDeadline);
        Assert.True(b.TryNext(out BatcherBatch first));
        Assert.Equal(1, first.Bucket);
        Assert.Equal(new ulong[] { 1, 3 }, first.Ids);
        Assert.True(b.TryNext(out BatcherBatch second));
        Assert.Equal(0, second.Bucket);
        Assert.Equal(new ulong[] { 2 }, second.Ids);

        using Batcher t = Make(8, 20);
        t.Add(7, 1);
        Assert.False(t.TryNext(out _));
        Thread.Sleep(60);
        Assert.Equal(TimeSpan.Zero, t.NextDeadline);
        Assert.True(t.TryNext(out BatcherBatch late));
        Assert.Equal(new ulong[] { 7 }, late.Ids);
    }

    [Fact]
    public void The_span_form_allocates_nothing_and_checks_its_length()
    {
        using Batcher b = Make(2, 60_000);
        b.Add(42, 1);
        b.Add(42, 1); // duplicates are allowed
        Span<ulong> ids = stackalloc ulong[4];
        Assert.True(b.TryNext(ids, out int count, out int bucket));
        Assert.Equal(2, count);
        Assert.Equal(0, bucket);
        Assert.Equal(42UL, ids[0]);
        Assert.Equal(42UL, ids[1]);
        Assert.False(b.TryNext(ids, out count, out bucket));
        Assert.Equal(0, count);
        Assert.Equal(-1, bucket);
        Assert.Throws<ArgumentException>(() => b.TryNext(new ulong[1], out _, out _));
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        var e = Assert.Throws<CoreException>(() => Make(0, 50));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_batcher_create", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => Make(4, 50, 100, 100));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        e = Assert.Throws<CoreException>(() => Make(4, 50, 100, 50));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Throws<ArgumentException>(() => Make(4, 50, Enumerable.Range(1, 16).Select(i => (ulong)i).ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(-1, 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(4, -1));
        Assert.Throws<ArgumentNullException>(() => new Batcher(null!));
        using Batcher most = Make(4, 50, Enumerable.Range(1, 15).Select(i => (ulong)i).ToArray());
        Assert.Equal(16, most.Options.BucketCount);
    }

    [Fact]
    public void Dispose_twice_then_every_call_throws()
    {
        Batcher b = Make(2, 50);
        b.Add(1, 1);
        b.Dispose();
        b.Dispose();
        Assert.True(b.IsDisposed);
        Assert.Equal("Batcher(disposed)", b.ToString());
        Assert.Throws<ObjectDisposedException>(() => b.Add(2, 1));
        Assert.Throws<ObjectDisposedException>(() => b.TryNext(out _));
        Assert.Throws<ObjectDisposedException>(() => b.TryNext(new ulong[2], out _, out _));
        Assert.Throws<ObjectDisposedException>(() => b.Flush());
        Assert.Throws<ObjectDisposedException>(() => b.Pending);
        Assert.Throws<ObjectDisposedException>(() => b.NextDeadline);
        Assert.Throws<ObjectDisposedException>(() => b.Options);
    }
}
