/**
 * Java binding of libcore: NumPy-style arrays and one-pass SIMD statistics.
 *
 * <p>Entry points: {@link dev.libcore.Stats} (mergeable summaries),
 * {@link dev.libcore.Reductions} (min, max, mean, var, std, dot, corrcoef,
 * energy, rms, zeroCrossingRate, percentile), {@link dev.libcore.CoreArrays}
 * (arange, linspace, zeros, ones, full, fill, concat, cumsum, normalize,
 * normalPdf), {@link dev.libcore.Pcm} (int16 PCM conversion),
 * {@link dev.libcore.Batch} (summaries of many arrays, of frames, of a raw
 * float32 file), {@link dev.libcore.StatsAccumulator} (a stream summarized
 * chunk by chunk), {@link dev.libcore.RingBuffer} (a lock-free audio ring),
 * {@link dev.libcore.EncoderCache} (a concurrent LRU of float32 tensors with
 * single-flight getOrCompute), {@link dev.libcore.LogMel} and
 * {@link dev.libcore.LogMelStream} (Whisper log-mel spectrograms, offline,
 * batched and streaming), {@link dev.libcore.Vad} (voice activity
 * detection), {@link dev.libcore.AudioFile} (WAV, FLAC, Ogg to mono float32),
 * {@link dev.libcore.Pipeline} (the streaming front end: VAD, windows,
 * features, cached embeddings, events), {@link dev.libcore.Batcher} (a
 * length-bucket dynamic batcher) and {@link dev.libcore.Core} (version,
 * SIMD target, threads). Every method
 * is safe to call from any number of threads, except that a
 * {@link dev.libcore.RingBuffer} takes one producer thread and one consumer
 * thread at a time, and a {@link dev.libcore.LogMelStream} or a
 * {@link dev.libcore.Vad} one thread at a time, and a
 * {@link dev.libcore.Pipeline} one producer and one consumer thread
 * (checked: a second one gets a
 * {@link java.util.ConcurrentModificationException}).
 *
 * <h2>Errors</h2>
 * <ul>
 *   <li>{@link java.lang.NullPointerException}: a null array, buffer, policy
 *       or stats argument;</li>
 *   <li>{@link java.lang.IllegalArgumentException}: what the C signature
 *       cannot express or see: a negative size or ddof (unsigned in C), two
 *       arrays of different lengths (dot, corrcoef, buffer outputs), a
 *       result longer than a Java array, a heap, foreign-byte-order or
 *       misaligned buffer where a direct one is needed;</li>
 *   <li>{@link java.nio.ReadOnlyBufferException}: a read-only output buffer;</li>
 *   <li>{@link java.lang.IllegalStateException}: a {@link dev.libcore.RingBuffer},
 *       {@link dev.libcore.EncoderCache}, {@link dev.libcore.LogMel},
 *       {@link dev.libcore.LogMelStream}, {@link dev.libcore.Vad},
 *       {@link dev.libcore.Pipeline} or {@link dev.libcore.Batcher} used
 *       after {@code close()};</li>
 *   <li>{@link dev.libcore.CoreException}: everything libcore itself refuses
 *       (step 0, a non-finite bound, q outside [0, 100], min of an empty
 *       array...), with libcore's status and message. A failed call never
 *       returns a NaN or zero instead.</li>
 * </ul>
 * Empty arrays are valid input and follow NumPy: mean/var/std/energy/rms of
 * nothing are NaN, min/max/percentile throw {@code CoreException(EMPTY)}.
 *
 * <h2>Memory: which path each method uses</h2>
 * <ul>
 *   <li>{@code float[]}, {@code double[]}, {@code short[]} arguments of up to
 *       {@link dev.libcore.Core#CRITICAL_ARRAY_MAX_ELEMENTS} elements: no
 *       copy (JNI critical access). The GC waits for the call, which stays
 *       serial at that size.</li>
 *   <li>Longer arrays: copied in, and out for outputs (JNI
 *       Get/Release&lt;Type&gt;ArrayElements), so a long parallel call never
 *       holds the GC off.</li>
 *   <li>Direct {@code FloatBuffer}/{@code DoubleBuffer} arguments (Stats.of,
 *       every Reductions method, cumsum, normalize, normalPdf): never copied
 *       and never pinning anything, at any size. Use them for large data.
 *       They must be in native byte order and start on a whole element
 *       (always so for {@code ByteBuffer.allocateDirect}); their remaining
 *       elements are used and their positions are not changed.</li>
 *   <li>Batches ({@link dev.libcore.Batch}: arrays of arrays, flat arrays,
 *       frames; {@link dev.libcore.StatsAccumulator} pushes): no copy at any
 *       total size. The binding takes the arrays critically in groups of at
 *       most {@link dev.libcore.Core#CRITICAL_ARRAY_MAX_ELEMENTS} elements, one
 *       libcore call per group, so the GC never waits longer than one group;
 *       only a single array (or frame) longer than that is copied.</li>
 *   <li>Results that are arrays (arange, linspace, concat, cumsum,
 *       normalPdf, Pcm) are allocated by the binding, with the length
 *       libcore reports ({@code core_arange_len}, {@code core_concat_len})
 *       or the input's.</li>
 * </ul>
 *
 * <h2>Native library</h2>
 * {@link dev.libcore.NativeLibrary} loads {@code libcore_java.so} on first
 * use and explains any failure.
 */
package dev.libcore;
