using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// One event of a <see cref="Pipeline"/> (core_event_t), with everything copied out of
/// libcore: it stays valid forever. Events come in order: a segment's
/// <see cref="PipelineEventKind.SpeechStart"/>, its windows in id order, its
/// <see cref="PipelineEventKind.SpeechEnd"/>; <see cref="PipelineEventKind.End"/> last,
/// after <see cref="Pipeline.Flush"/>.
/// </summary>
public sealed class PipelineEvent
{
    internal PipelineEvent(PipelineEventKind kind, ulong windowId, ulong start, ulong end,
                           float[]? features, int nMels, int nFrames, float[]? embedding,
                           bool cacheHit, CoreStatus status)
    {
        Kind = kind;
        WindowId = windowId;
        Start = start;
        End = end;
        Features = features;
        NMels = nMels;
        NFrames = nFrames;
        Embedding = embedding;
        CacheHit = cacheHit;
        Status = status;
    }

    /// <summary>What happened.</summary>
    public PipelineEventKind Kind { get; }

    /// <summary>The window's id, counting from 0 in window order (Window, NeedsEncoding,
    /// EncoderError; 0 otherwise).</summary>
    public ulong WindowId { get; }

    /// <summary>In samples since the first push: the segment's start (SpeechStart,
    /// SpeechEnd), the window's first sample (Window, NeedsEncoding, EncoderError), the
    /// samples analysed (End).</summary>
    public ulong Start { get; }

    /// <summary>One past the segment's (SpeechEnd) or the window's last sample.</summary>
    public ulong End { get; }

    /// <summary>The window's log-mel features, mel-major (Features[m * NFrames + t]), a
    /// copy; null when the event carries none.</summary>
    public float[]? Features { get; }

    /// <summary>Mel bands of <see cref="Features"/> (0 when none).</summary>
    public int NMels { get; }

    /// <summary>Frames of <see cref="Features"/> (0 when none).</summary>
    public int NFrames { get; }

    /// <summary>The window's embedding, <see cref="PipelineOptions.Dim"/> floats, a copy
    /// (Window; null otherwise).</summary>
    public float[]? Embedding { get; }

    /// <summary>Window: true when the embedding came from the cache.</summary>
    public bool CacheHit { get; }

    /// <summary>EncoderError: what the encoder returned; <see cref="CoreStatus.Ok"/> otherwise.</summary>
    public CoreStatus Status { get; }

    /// <summary>The range [Start, End) as a <see cref="Segment"/>.</summary>
    public Segment Range => new(Start, End);

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        PipelineEventKind.SpeechStart => $"PipelineEvent(SpeechStart, Start={Start})",
        PipelineEventKind.SpeechEnd => $"PipelineEvent(SpeechEnd, [{Start}, {End}))",
        PipelineEventKind.End => $"PipelineEvent(End, Start={Start})",
        PipelineEventKind.EncoderError => $"PipelineEvent(EncoderError, Window {WindowId} [{Start}, {End}), {Status})",
        _ => $"PipelineEvent({Kind}, Window {WindowId} [{Start}, {End}), {NMels}x{NFrames} features, " +
             $"embedding {(Embedding is null ? "none" : Embedding.Length.ToString())}{(CacheHit ? ", cache hit" : "")})",
    };

    /// <summary>Copies a borrowed core_event_t (valid until the next call).</summary>
    internal static unsafe PipelineEvent From(in NativeEvent e)
    {
        float[]? features = null;
        int nMels = 0, nFrames = 0;
        if (e.Features != null && e.NMels > 0 && e.NFrames > 0)
        {
            nMels = Guard.ArrayLength(e.NMels, "The features");
            nFrames = Guard.ArrayLength(e.NFrames, "The features");
            features = new ReadOnlySpan<float>(e.Features, Guard.ArrayLength(e.NMels * e.NFrames, "The features")).ToArray();
        }
        float[]? embedding = e.Embedding != null && e.Dim > 0
            ? new ReadOnlySpan<float>(e.Embedding, Guard.ArrayLength(e.Dim, "The embedding")).ToArray()
            : null;
        return new PipelineEvent((PipelineEventKind)e.Kind, e.WindowId, e.Start, e.End, features, nMels, nFrames,
                                 embedding, e.CacheHit != 0, (CoreStatus)e.Status);
    }
}

/// <summary>core_event_t, version 0.1 layout (checked by a test). Its pointers are
/// borrowed from the pipeline until its next next_event or submit_embedding.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeEvent
{
    internal int Kind;
    internal ulong WindowId;
    internal ulong Start;
    internal ulong End;
    internal float* Features;
    internal ulong NMels;
    internal ulong NFrames;
    internal float* Embedding;
    internal ulong Dim;
    internal int CacheHit;
    internal int Status;
}
