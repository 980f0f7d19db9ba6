using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// A 128-bit cache key (core_key_t): the XXH3-128 digest of some input,
/// <see cref="Lo"/> its low 64 bits and <see cref="Hi"/> its high 64 bits.
/// A plain value with exactly the layout of core_key_t; two keys are equal
/// when both words are.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct CacheKey : IEquatable<CacheKey>
{
    private readonly ulong _lo;
    private readonly ulong _hi;

    /// <summary>A key from its two words (for example one computed elsewhere with
    /// any XXH3-128 implementation, seed 0).</summary>
    public CacheKey(ulong lo, ulong hi)
    {
        _lo = lo;
        _hi = hi;
    }

    /// <summary>The low 64 bits of the digest (XXH128_hash_t.low64).</summary>
    public ulong Lo => _lo;

    /// <summary>The high 64 bits of the digest (XXH128_hash_t.high64).</summary>
    public ulong Hi => _hi;

    /// <summary>XXH3-128 (seed 0) of <paramref name="data"/>, the value any xxhash
    /// binding gives (core_cache_key_bytes). Empty input is allowed. Any thread;
    /// allocates nothing.</summary>
    public static unsafe CacheKey Of(ReadOnlySpan<byte> data)
    {
        CacheKey key;
        CoreNative.core_cache_key_bytes(data, &key);
        return key;
    }

    /// <summary>
    /// The key of an audio clip (core_cache_key_audio): equal for clips of the
    /// same length that are equal after <c>np.round(clip, decimals)</c> on
    /// float32 (round half to even; -0.0 counts as 0.0). The length and
    /// <paramref name="decimals"/> are part of the digest. Any thread; allocates
    /// nothing. See cache.h for the exact quantization.
    /// </summary>
    /// <param name="samples">The clip; empty is allowed.</param>
    /// <param name="decimals">0 to 10 decimal places (6 is what the Python
    /// EncoderCache used).</param>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for
    /// decimals outside 0 to 10 or a NaN sample (the message gives its index).</exception>
    public static unsafe CacheKey OfAudio(ReadOnlySpan<float> samples, int decimals)
    {
        CacheKey key;
        CoreNative.core_cache_key_audio(samples, decimals, &key);
        return key;
    }

    /// <inheritdoc/>
    public bool Equals(CacheKey other) => _lo == other._lo && _hi == other._hi;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CacheKey k && Equals(k);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)_lo ^ (int)(_lo >> 32) ^ (int)_hi ^ (int)(_hi >> 32);

    /// <summary>Whether both words are equal.</summary>
    public static bool operator ==(CacheKey a, CacheKey b) => a.Equals(b);

    /// <summary>Whether a word differs.</summary>
    public static bool operator !=(CacheKey a, CacheKey b) => !a.Equals(b);

    /// <summary>The digest as 32 lowercase hex digits, high word first (the
    /// canonical XXH128 form, as xxhash's hexdigest prints it).</summary>
    public override string ToString() => $"{_hi:x16}{_lo:x16}";
}
