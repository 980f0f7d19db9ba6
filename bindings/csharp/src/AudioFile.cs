using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>What <see cref="AudioFile.Info"/> reports about an audio file
/// (core_audio_info_t).</summary>
/// <param name="SampleRate">Hz, as stored in the file.</param>
/// <param name="Channels">Channels (interleaved in the file).</param>
/// <param name="Frames">Samples per channel.</param>
/// <param name="Duration">Seconds: Frames / SampleRate.</param>
/// <param name="Format">The container (RIFF WAVE, WAVE_FORMAT_EXTENSIBLE and RF64 are
/// all <see cref="AudioFormat.Wav"/>).</param>
/// <param name="Bits">Bits per sample of PCM data, losslessly coded PCM included (FLAC,
/// ALAC: their PCM depth); 0 for lossy, companded (u-law, a-law), ADPCM or
/// floating-point data.</param>
public readonly record struct AudioInfo(int SampleRate, int Channels, long Frames, double Duration,
                                        AudioFormat Format, int Bits);

/// <summary>
/// Reads audio files (audio.h: core_audio_info, core_audio_read): WAV, FLAC,
/// Ogg/Vorbis and the other formats libsndfile reads, as mono float32 at the rate
/// you ask for (libsoxr, high quality). Every method may run on any number of
/// threads at once.
/// </summary>
/// <remarks>
/// <para>Errors are <see cref="CoreException"/>s with libcore's status and message:
/// <see cref="CoreStatus.NotFound"/> for a missing file, <see cref="CoreStatus.Io"/>
/// when it cannot be opened or read (a directory included),
/// <see cref="CoreStatus.Format"/> when it is not audio libsndfile understands or is
/// truncated or corrupt (also a 0-byte file, and NaN or infinite samples),
/// <see cref="CoreStatus.InvalidArgument"/> for a target rate above 384000 Hz,
/// <see cref="CoreStatus.Unsupported"/> when libcore was built without audio file
/// support (meson -Daudio_io=disabled). A null path is
/// <see cref="ArgumentNullException"/>, a path holding a NUL character
/// <see cref="ArgumentException"/>, a negative rate <see cref="ArgumentOutOfRangeException"/>.</para>
/// </remarks>
public static class AudioFile
{
    // A file whose header changes between the size query and the read is retried.
    private const int Attempts = 4;

    /// <summary>Describes the audio file at <paramref name="path"/> without decoding it
    /// (core_audio_info). The header is checked against the file's size: a WAV whose
    /// data runs past the end, a cut FLAC or an Ogg stream without its last page
    /// is <see cref="CoreStatus.Format"/>.</summary>
    /// <exception cref="CoreException">See the class remarks.</exception>
    public static unsafe AudioInfo Info(string path)
    {
        CheckPath(path);
        NativeAudioInfo info = default;
        info.StructSize = (ulong)sizeof(NativeAudioInfo);
        CoreNative.core_audio_info(path, &info);
        return new AudioInfo(checked((int)info.SampleRate), checked((int)info.Channels), checked((long)info.Frames),
                             info.Duration, (AudioFormat)info.Format, checked((int)info.Bits));
    }

    /// <summary>
    /// Reads the whole file as mono float32 at <paramref name="targetRate"/> Hz
    /// (core_audio_read): channels are averaged, integer PCM is scaled as
    /// v / 2^(bits-1) (PCM16 gives exactly Whisper's int16 / 32768), and the result
    /// is resampled with libsoxr when the rates differ. The sample count is fixed by
    /// the header (<see cref="SampleCount"/>); the array is allocated once, with it.
    /// A header announcing 0 frames gives an empty array.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="targetRate">Hz, up to 384000; 0 (the default) = the file's own rate.</param>
    /// <exception cref="CoreException">See the class remarks; also
    /// <see cref="CoreStatus.Format"/> when the data ends before the header says
    /// (nothing is returned as if complete).</exception>
    public static unsafe float[] Read(string path, int targetRate = 0)
    {
        CheckPath(path);
        uint rate = Rate(targetRate);
        ulong n = 0;
        // The needed-size protocol: an empty buffer asks for the count without
        // reading the data (BUFFER_TOO_SMALL, or OK for an empty file).
        if (CoreNative.core_audio_read(path, rate, Span<float>.Empty, &n) == CoreStatus.Ok)
            return Array.Empty<float>();
        for (int attempt = 0; attempt < Attempts; ++attempt)
        {
            float[] result = GC.AllocateUninitializedArray<float>(Guard.ArrayLength(n, "The audio"));
            ulong got = 0;
            if (CoreNative.core_audio_read(path, rate, result, &got) == CoreStatus.Ok)
                return got == (ulong)result.Length ? result : result.AsSpan(0, (int)got).ToArray();
            n = got; // the file grew meanwhile: its new count
        }
        throw new System.IO.IOException($"The audio file '{path}' kept changing its length while it was read.");
    }

    /// <summary>The number of samples <see cref="Read"/> returns for the file at
    /// <paramref name="targetRate"/> Hz: frames * targetRate / rate, rounded to
    /// nearest (halves up), from the header alone (core_audio_read with no buffer).</summary>
    /// <param name="path">The file.</param>
    /// <param name="targetRate">Hz, up to 384000; 0 (the default) = the file's own rate.</param>
    /// <exception cref="CoreException">See the class remarks.</exception>
    public static unsafe long SampleCount(string path, int targetRate = 0)
    {
        CheckPath(path);
        ulong n = 0;
        CoreNative.core_audio_read(path, Rate(targetRate), Span<float>.Empty, &n);
        return checked((long)n);
    }

    private static void CheckPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\0'))
            throw new ArgumentException("The path holds a NUL character (C would read a shorter path).", nameof(path));
    }

    private static uint Rate(int targetRate)
    {
        if (targetRate < 0)
            throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate,
                "targetRate must be >= 0 (0: the file's own rate).");
        return (uint)targetRate;
    }
}

/// <summary>core_audio_info_t, version 0.1 layout (checked against the wrapper's sizeof
/// by a test). The caller sets StructSize; libcore writes the fields that fit.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeAudioInfo
{
    internal ulong StructSize;
    internal uint SampleRate;
    internal uint Channels;
    internal ulong Frames;
    internal double Duration;
    internal int Format;
    internal uint Bits;
}
