/*
 * libcore audio module: the speech front end. Whisper-exact log-mel
 * spectrograms (offline, batched, streaming), voice activity detection and
 * audio file reading.
 *
 * Conventions (see core.h for the ones shared by every header):
 *
 *  1. Samples are float32, mono, nominally in [-1, 1] (PCM16 / 32768, as
 *     Whisper's loader makes them). Positions and lengths are counted in
 *     samples at the object's sample rate.
 *  2. Framing. Frame t of a log-mel spectrogram is centred on sample
 *     t * hop and covers samples [t * hop - n_fft / 2, t * hop + n_fft / 2)
 *     (n_fft / 2 rounded down), with the signal reflected at both ends
 *     (torch.stft(center=True, pad_mode="reflect"): sample -i is sample i,
 *     sample n - 1 + i is sample n - 1 - i). As in Whisper, the frame that
 *     torch.stft adds last is dropped: n samples give n / hop frames
 *     (rounded down). The input must hold at least n_fft samples. (For
 *     odd n_fft a frame is [t * hop - n_fft / 2, t * hop - n_fft / 2 +
 *     n_fft), as torch.stft lays it out, and the count is still n / hop,
 *     where torch.stft(...)[..., :-1] would give (n - 1) / hop.)
 *  3. Non-finite samples. A frame whose samples include a NaN or an
 *     infinity, or whose power overflows float32, comes out NaN in every
 *     band; frames that do not touch such a sample are unaffected (a stream
 *     recovers as soon as the bad samples leave the analysis window).
 *     WHISPER mode's global maximum ignores NaN frames. The VAD treats a
 *     frame holding a non-finite sample as non-speech and does not let it
 *     move its noise estimate.
 *  4. Threads. core_logmel_t is immutable after create: compute and
 *     compute_batch may run on any number of threads at once on one object.
 *     A stream (core_logmel_stream_t) and a VAD (core_vad_t) are used by one
 *     thread at a time. Large inputs are processed in parallel in libcore's
 *     task arena (core_set_num_threads); results are bit-identical for every
 *     thread count.
 *  5. Options structs start with struct_size; fill them with their _init
 *     function, then change fields. Fields are only ever appended.
 */
#ifndef CORE_AUDIO_H
#define CORE_AUDIO_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== log-mel spectrogram ================================================ */

/* What happens after log10(max(mel power, 1e-10)). Pinned values. */
typedef enum core_logmel_mode {
  /* openai/whisper's log_mel_spectrogram: clamp every value to at least
   * (maximum over the whole output - 8), then (x + 4) / 4. */
  CORE_LOGMEL_WHISPER = 0,
  /* log10 of the mel power with the 1e-10 floor, nothing else: each frame
   * depends only on its own samples. */
  CORE_LOGMEL_LOG10 = 1
} core_logmel_mode;

/* The largest n_fft accepted. */
#define CORE_LOGMEL_MAX_FFT 65536

/* Options for core_logmel_create and core_logmel_stream_create. */
typedef struct core_logmel_options_t {
  size_t struct_size;    /* sizeof(core_logmel_options_t), set by _init */
  uint32_t sample_rate;  /* Hz, default 16000; 1000 .. 384000 */
  uint32_t n_fft;        /* FFT size = window length, default 400; 2 .. CORE_LOGMEL_MAX_FFT */
  uint32_t hop;          /* samples between frames, default 160; >= 1 */
  uint32_t n_mels;       /* mel bands, default 80 (Whisper large-v3: 128);
                            1 .. n_fft / 2 + 1 */
  double fmin;           /* lowest filter edge, Hz, default 0; finite, >= 0 */
  double fmax;           /* highest filter edge, Hz; default 0 meaning
                            sample_rate / 2; fmin < fmax <= sample_rate / 2 */
  int mode;              /* a core_logmel_mode, default CORE_LOGMEL_WHISPER */
  uint32_t window_frames; /* streaming in WHISPER mode only: frames per
                            normalization window (the max - 8 floor is taken
                            per window). Default 3000 (Whisper's 30 s);
                            0 = one window for the whole stream, emitted at
                            flush. Ignored by core_logmel_compute. */
} core_logmel_options_t;

/* An immutable log-mel analyser: options, window, mel filterbank, FFT
 * plans. Created by core_logmel_create, released by core_logmel_destroy. */
typedef struct core_logmel core_logmel_t;

/* Fills *opts with the defaults above (Whisper's front end) and sets
 * struct_size. CORE_E_INVALID_ARGUMENT for opts NULL. Any thread.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_options_init(core_logmel_options_t *opts);

/* Creates an analyser: periodic Hann window of n_fft samples, Slaney-scale
 * mel filters with Slaney area normalization (librosa.filters.mel's
 * defaults, which is what Whisper's mel_filters.npz holds), FFT plans.
 * CORE_E_INVALID_ARGUMENT for opts or out NULL, a struct_size smaller than
 * the first layout, or any field outside its range (the message names it);
 * CORE_E_UNSUPPORTED for a struct_size larger than this library knows;
 * CORE_E_OUT_OF_MEMORY. *out is unchanged on error. Any thread. Since 0.1.
 *
 * The FFT: libcore's batched SIMD kernel for the sizes it plans (even n_fft
 * with n_fft / 2 = 2^a 3^b 5^c, Whisper's 400 among them), else KissFFT, or
 * FFTW3 in builds made with -Dfft=fftw. Setting the environment variable
 * LIBCORE_FFT=kissfft (or =fftw, in such builds) before create makes that
 * analyser use the library FFT instead, for comparisons; results then
 * differ in the last float32 bits, not more (all are float32 FFTs). */
CORE_API CORE_NODISCARD core_status core_logmel_create(const core_logmel_options_t *opts,
                                                       core_logmel_t **out);

/* Releases the analyser. NULL is a no-op. Since 0.1. */
CORE_API void core_logmel_destroy(core_logmel_t *lm);

/* *n_frames = n_samples / hop, the frames core_logmel_compute gives for
 * n_samples samples (convention 2). CORE_E_INVALID_ARGUMENT for lm or
 * n_frames NULL, or n_samples < n_fft. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_frames(const core_logmel_t *lm,
                                                       size_t n_samples, size_t *n_frames);

/* The mel filterbank, n_mels x (n_fft / 2 + 1) float32, row-major, into
 * out[0, cap); *count = the number of floats. CORE_E_BUFFER_TOO_SMALL
 * (writing the needed count to *count, nothing to out) when cap is too
 * small, so cap 0 with out NULL asks for the count; CORE_E_INVALID_ARGUMENT
 * for lm or count NULL, out NULL with cap > 0. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_filters(const core_logmel_t *lm, float *out,
                                                        size_t cap, size_t *count);

/* The log-mel spectrogram of samples[0, n): out[m * n_frames + t] is band m
 * of frame t (n_mels x n_frames, row-major, like Whisper's (80, 3000)
 * tensor), *n_frames = n / hop. Long inputs are split across threads.
 * CORE_E_BUFFER_TOO_SMALL when cap < n_mels * n_frames (the frame count is
 * written to *n_frames, nothing to out); CORE_E_INVALID_ARGUMENT for lm or
 * n_frames NULL, samples NULL, out NULL with cap > 0, n < n_fft, or out
 * overlapping samples (the n_mels * n_frames floats it would write). Any
 * thread (convention 4). Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_compute(core_logmel_t *lm, const float *samples,
                                                        size_t n, float *out, size_t cap,
                                                        size_t *n_frames);

/* core_logmel_compute on count clips at once, in parallel, each clip on its
 * own (its own reflection, its own WHISPER maximum): outs[i] receives
 * clips[i][0, lens[i]) with capacity caps[i], n_frames[i] its frame count.
 * Every argument is checked before anything is computed: on any error no
 * output is written except n_frames on CORE_E_BUFFER_TOO_SMALL (every
 * clip's count; the message names the first clip that does not fit).
 * CORE_E_INVALID_ARGUMENT for a NULL array with count > 0, a NULL clip or
 * output, a clip shorter than n_fft, or an output overlapping an input or
 * another output (outputs are written concurrently; inputs may share
 * memory). count == 0 does nothing. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_compute_batch(core_logmel_t *lm,
                                                              const float *const *clips,
                                                              const size_t *lens, size_t count,
                                                              float *const *outs,
                                                              const size_t *caps,
                                                              size_t *n_frames);

/* ---- streaming log-mel ------------------------------------------------------ */

/* A stream: push samples in chunks of any size, read frames as soon as
 * they exist. Frame t of a stream equals frame t of core_logmel_compute on
 * everything pushed (LOG10: bit for bit; WHISPER with window_frames = 0:
 * the whole stream is one window, bit for bit).
 *
 * Boundaries. The left edge is reflected exactly as offline, so frame t is
 * ready once t * hop + n_fft / 2 samples have arrived: n_fft / 2 samples of
 * latency, no extra padding. Frames near the end need the reflected right
 * edge and are produced by core_logmel_stream_flush. A stream that ends
 * with fewer than n_fft samples in total produces no frames. Precisely, a
 * push makes frame t ready when all three hold: its last sample is there
 * (t * hop + n_fft - n_fft / 2 samples), it exists whatever comes next
 * ((t + 1) * hop samples, stricter only for hop > n_fft - n_fft / 2), and
 * n_fft samples have arrived (so Whisper's first two frames wait for 400).
 *
 * WHISPER mode. Its floor (maximum - 8) needs the maximum of the frames it
 * applies to, so a stream normalizes windows of window_frames frames:
 * frames are readable once their whole window is complete (the last,
 * shorter window at flush), each window floored by its own maximum. This
 * is what Whisper's own streaming users do per 30-s chunk, without their
 * chunk-edge padding errors: the samples at a window edge are never padded.
 *
 * Output is frame-major: out[f * n_mels + m] is band m of the f-th frame
 * read (a stream hands out frames one after another, so each frame's bands
 * are contiguous). Memory: the samples of one analysis window plus the
 * frames computed but not yet read (in WHISPER mode at least one window). */
typedef struct core_logmel_stream core_logmel_stream_t;

/* Creates a stream with the options of core_logmel_create (same checks and
 * statuses). Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_stream_create(const core_logmel_options_t *opts,
                                                              core_logmel_stream_t **out);

/* Releases the stream. NULL is a no-op. Since 0.1. */
CORE_API void core_logmel_stream_destroy(core_logmel_stream_t *s);

/* Appends x[0, n) and computes every frame whose samples are now all there.
 * n == 0 does nothing. CORE_E_INVALID_ARGUMENT for s NULL, x NULL with
 * n > 0, or a push after flush, even of 0 samples (reset first);
 * CORE_E_OUT_OF_MEMORY, with the stream unchanged (nothing of x taken).
 * x is borrowed for the call. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_stream_push(core_logmel_stream_t *s,
                                                            const float *x, size_t n);

/* Ends the stream: computes the last frames (reflected right edge) and, in
 * WHISPER mode, normalizes the last window. Pushes are refused afterwards;
 * frames stay readable. A second flush does nothing. CORE_E_INVALID_ARGUMENT
 * for s NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_stream_flush(core_logmel_stream_t *s);

/* Copies up to max_frames ready frames (frame-major, n_mels floats each) to
 * out and writes their number to *n_frames; 0 when none is ready (CORE_OK:
 * nothing ready is not an error). CORE_E_INVALID_ARGUMENT for s or
 * n_frames NULL, or out NULL with max_frames > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_stream_read(core_logmel_stream_t *s, float *out,
                                                            size_t max_frames,
                                                            size_t *n_frames);

/* *n_frames = frames ready to read now. CORE_E_INVALID_ARGUMENT for a NULL
 * argument. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_stream_available(const core_logmel_stream_t *s,
                                                                 size_t *n_frames);

/* Forgets every sample and frame and accepts pushes again, as if new
 * (keeps its memory). CORE_E_INVALID_ARGUMENT for s NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_logmel_stream_reset(core_logmel_stream_t *s);

/* ==== voice activity detection =========================================== */

/* How the detector decides.
 *
 * Frames. Frame t is samples [t * F, (t + 1) * F), F = sample_rate *
 * frame_ms / 1000, analysed once all of them have arrived (a trailing
 * partial frame at flush). Its analysis window is the last 30 ms or more:
 * frame_ms 30, the frame; 20, 40 ms (the frame and the one before); 10,
 * 30 ms (the frame and the two before). Rectangular window, real FFT.
 *
 * Features. The mean power in six bands: 60-300, 300-700, 700-1500,
 * 1500-3000, 3000-5000 and 5000-8000 Hz (at low rates, those below the
 * Nyquist frequency, the last one cut there). Below 60 Hz (hum, rumble) and
 * above 8 kHz nothing counts, so every rate sees the same bands.
 *
 * Noise floor, per band: the minimum of the band's power over the last
 * ~1.5 s (minimum statistics), divided by the ratio such a minimum has to
 * the mean for noise in a band that wide, and never below white noise at
 * -75 dB (re a mean square of 1). It falls at once when the sound gets
 * quieter and rises only as quieter frames leave the window: a louder noise
 * (a fan switched on) is the floor ~1.7 s after it starts. Exact digital
 * silence (-inf dB) gives the -75 dB floor. Consequences: the first frames
 * of a stream set the floor, so speech that starts with the stream is found
 * from its first dip on; and a sound that does not dip for ~1.5 s (a tone,
 * humming) becomes the floor and ends its segment. Speech dips between
 * words, far more often.
 *
 * Speech score, in [0, 1]: with SNR_b = max(0, 10 log10(power_b / floor_b))
 * dB and d the mean of the two largest SNR_b,
 *     score = 1 / (1 + exp(-(d - 5) / 1.5)):
 * 0.5 at d = 5 dB (the default entry threshold), 0.35 at 4.1 dB (the
 * default exit), 0.7 at 6.3 dB (AGGRESSIVE), 0.9 at 8.3 dB. White noise
 * stays below d = 4 dB in 99 % of frames. A frame whose window holds a NaN
 * or an infinity, or whose band power overflows float32, scores 0 and is
 * left out of the floor (convention 3).
 *
 * Segments: Silero VAD's rules, applied frame by frame. Speech starts at a
 * frame scoring >= threshold. A pause starts at a frame scoring <
 * neg_threshold; frames between the two thresholds continue what is in
 * progress; a frame >= threshold ends the pause. A segment ends where its
 * pause started, once the pause has lasted min_silence_ms (from its start
 * to the end of the current frame). Speech shorter than min_speech_ms is
 * dropped. speech_pad_ms is then added on both sides, clipped to [0, end of
 * stream]; two segments closer than 2 * speech_pad_ms share the gap at its
 * middle, and touch. Boundaries are multiples of F, or the stream's end.
 *
 * Latency: a segment is final (readable) once its pause has lasted
 * min_silence_ms and its end padding is settled: at once when
 * min_silence_ms >= 2 * speech_pad_ms (as with every preset), otherwise
 * when the next segment is confirmed or the stream has passed its end plus
 * 2 * speech_pad_ms; the last one at flush at the latest.
 *
 * Cost: one real FFT of the analysis window per frame, about 2 us at
 * 16 kHz (measured on one core of a shared x86-64 machine: ~5000x real
 * time with 10 ms frames, ~14000x with 30 ms; tests/bench/bench_vad.cpp).
 * No allocation after create while the finished segments are read as they
 * come. */

/* A speech segment in samples, [start, end). */
typedef struct core_segment_t {
  uint64_t start;
  uint64_t end;
} core_segment_t;

/* Starting points for core_vad_options_preset. Pinned values. */
typedef enum core_vad_preset {
  /* Silero VAD's defaults: threshold 0.5, min speech 250 ms, min silence
   * 100 ms, pad 30 ms. What core_vad_options_init gives. */
  CORE_VAD_PRESET_DEFAULT = 0,
  /* Long segments for transcription (faster-whisper's VadOptions): short
   * pauses do not split (min silence 2000 ms), generous padding (400 ms),
   * no minimum speech (0 ms); threshold 0.5, no maximum length. */
  CORE_VAD_PRESET_TRANSCRIBE = 1,
  /* Noisy rooms: a higher threshold and longer minimum speech, so taps,
   * clicks and bursts of noise are not reported: threshold 0.7 (exit
   * 0.55), min speech 400 ms; the rest as DEFAULT. */
  CORE_VAD_PRESET_AGGRESSIVE = 2
} core_vad_preset;

/* Options for core_vad_create and core_vad_segments. */
typedef struct core_vad_options_t {
  size_t struct_size;       /* sizeof(core_vad_options_t), set by _init */
  uint32_t sample_rate;     /* Hz, default 16000; 8000 .. 192000, with
                               sample_rate * frame_ms a multiple of 1000 */
  uint32_t frame_ms;        /* 10, 20 or 30; default 30 */
  float threshold;          /* entry threshold on the frame's speech score
                               (defined above), (0, 1), default 0.5 */
  float neg_threshold;      /* exit threshold (hysteresis), 0 <= neg <
                               threshold; default 0 meaning threshold - 0.15
                               (at least 0.01), as Silero; for a threshold
                               <= 0.01, where that is not below it, half
                               the threshold */
  uint32_t min_speech_ms;   /* shorter speech is dropped, default 250 */
  uint32_t min_silence_ms;  /* shorter pauses do not end a segment, default
                               100; a pause is counted in whole frames, so
                               with 30 ms frames a 128 ms gap between words
                               (3 silent frames and two partly spoken ones)
                               does not split, with 10 ms frames it may */
  uint32_t speech_pad_ms;   /* added on both sides of a segment (clipped to
                               the stream and, between close segments, split
                               so they do not overlap), default 30 */
  uint32_t max_speech_ms;   /* longer segments are split; default 0: no
                               limit, else at least min_speech_ms + 2 *
                               speech_pad_ms + 2 * frame_ms. A segment's
                               speech is held to max_speech_ms - 2 *
                               speech_pad_ms, so that padded it fits. On
                               reaching it, it is cut where a pause in
                               progress began, else at the start of its
                               quietest frame (lowest power over floor)
                               in its second half; the pieces touch and
                               each is kept, whatever min_speech_ms */
} core_vad_options_t;

/* A streaming voice activity detector. */
typedef struct core_vad core_vad_t;

/* Fills *opts with CORE_VAD_PRESET_DEFAULT and sets struct_size.
 * CORE_E_INVALID_ARGUMENT for opts NULL. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_vad_options_init(core_vad_options_t *opts);

/* Fills *opts like core_vad_options_init, then applies a preset.
 * CORE_E_INVALID_ARGUMENT for opts NULL or an unknown preset. Any thread.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_vad_options_preset(core_vad_options_t *opts,
                                                            int preset);

/* Creates a detector. CORE_E_INVALID_ARGUMENT for opts or out NULL, a
 * struct_size smaller than the first layout, or a field outside its range
 * (the message names it); CORE_E_UNSUPPORTED for a struct_size larger than
 * this library knows; CORE_E_OUT_OF_MEMORY. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_vad_create(const core_vad_options_t *opts,
                                                    core_vad_t **out);

/* Releases the detector. NULL is a no-op. Since 0.1. */
CORE_API void core_vad_destroy(core_vad_t *vad);

/* Analyses x[0, n) (any chunk size: the segments never depend on how the
 * stream was cut). Finished segments become readable through
 * core_vad_next_segment. CORE_E_INVALID_ARGUMENT for vad NULL, x NULL with
 * n > 0, or a push after flush (reset first); CORE_E_OUT_OF_MEMORY when
 * the queue of unread segments cannot grow (the stream is then incomplete:
 * reset it). x is borrowed for the call. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_vad_push(core_vad_t *vad, const float *x, size_t n);

/* End of stream: a trailing partial frame is analysed, an open segment is
 * closed at the end of the stream. A second flush does nothing.
 * CORE_E_INVALID_ARGUMENT for vad NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_vad_flush(core_vad_t *vad);

/* Moves the oldest finished segment to *out. CORE_E_EMPTY when none is
 * ready. Segments come in order, never overlap, and are final (padding
 * included). CORE_E_INVALID_ARGUMENT for a NULL argument. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_vad_next_segment(core_vad_t *vad, core_segment_t *out);

/* The start (padding included) of the speech segment in progress: speech
 * has lasted min_speech_ms and has not ended yet. CORE_E_EMPTY when no
 * segment is open. For "speech started" events before the segment is
 * final: the start does not change while the segment is open and is the
 * start it will have (a segment cut by max_speech_ms opens the next piece
 * at the cut). CORE_E_INVALID_ARGUMENT for a NULL argument. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_vad_open_segment(const core_vad_t *vad,
                                                          uint64_t *start);

/* Forgets the stream (samples, noise estimate, pending segments) and
 * accepts pushes again, positions restarting at 0. CORE_E_INVALID_ARGUMENT
 * for vad NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_vad_reset(core_vad_t *vad);

/* Offline: the speech segments of x[0, n), exactly what a detector with
 * these options gives when pushed x and flushed. CORE_E_BUFFER_TOO_SMALL
 * when more than cap segments are found (their number is written to
 * *count, nothing to out); CORE_E_INVALID_ARGUMENT for opts or count NULL,
 * x NULL with n > 0, out NULL with cap > 0, or bad options (as
 * core_vad_create, with the same messages); CORE_E_UNSUPPORTED for a
 * struct_size larger than this library knows; CORE_E_OUT_OF_MEMORY. Any
 * thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_vad_segments(const float *x, size_t n,
                                                      const core_vad_options_t *opts,
                                                      core_segment_t *out, size_t cap,
                                                      size_t *count);

/* ==== audio files ========================================================= */

/* Container formats. Pinned values. */
typedef enum core_audio_format {
  CORE_AUDIO_FORMAT_OTHER = 0, /* something else libsndfile reads */
  CORE_AUDIO_FORMAT_WAV = 1,
  CORE_AUDIO_FORMAT_FLAC = 2,
  CORE_AUDIO_FORMAT_OGG = 3
} core_audio_format;

/* What core_audio_info reports. Set struct_size to sizeof(core_audio_info_t)
 * before the call: the library writes only the fields that fit, so callers
 * built against an older (shorter) layout keep working. The smallest
 * struct_size accepted is this 0.1 layout's; a larger one (a caller built
 * against a newer libcore) is accepted, the bytes past the fields this
 * library knows left untouched. */
typedef struct core_audio_info_t {
  size_t struct_size;   /* set by the caller */
  uint32_t sample_rate; /* Hz, as stored in the file */
  uint32_t channels;
  uint64_t frames;      /* samples per channel */
  double duration;      /* seconds: frames / sample_rate */
  int format;           /* a core_audio_format (RIFF WAVE, WAVE_FORMAT_EXTENSIBLE
                           and RF64 are all CORE_AUDIO_FORMAT_WAV) */
  uint32_t bits;        /* bits per sample of PCM data, losslessly coded PCM
                           included (FLAC, ALAC: their PCM depth); 0 for lossy,
                           companded (u-law, a-law), ADPCM or floating-point
                           data */
} core_audio_info_t;

/* Describes the audio file at path (WAV, FLAC, OGG/Vorbis, and the other
 * formats libsndfile reads). CORE_E_INVALID_ARGUMENT for path or info NULL,
 * or a struct_size too small for the first fields; CORE_E_NOT_FOUND when
 * the file does not exist; CORE_E_IO when it cannot be opened or read;
 * CORE_E_FORMAT when it is not audio libsndfile understands, or is
 * truncated or corrupt; CORE_E_UNSUPPORTED when libcore was built without
 * audio file support (meson -Daudio_io=disabled). Any thread. Since 0.1.
 *
 * Details. *info is written only on success. A directory, FIFO, device or
 * anything else but a regular file is CORE_E_IO. The header is checked
 * against the data without decoding it: a WAV whose data chunk runs past
 * the end of the file (libsndfile alone would read it as a shorter
 * complete file), a file whose last announced frame cannot be read (a cut
 * FLAC) and an Ogg stream without its end-of-stream page (its length is
 * unknown) are CORE_E_FORMAT; damage inside compressed data is found only
 * by core_audio_read, which decodes it all. The argument checks come first
 * in every build. Calls on several threads run in parallel, except for
 * libsndfile's open, which libcore serializes (libsndfile reports a failed
 * open through one process-wide variable). */
CORE_API CORE_NODISCARD core_status core_audio_info(const char *path, core_audio_info_t *info);

/* Reads the whole file at path as mono float32 at target_rate Hz
 * (0: the file's own rate): channels are averaged, integer PCM is scaled
 * as v / 2^(bits-1) (PCM16 gives exactly Whisper's int16 / 32768), and the
 * result is resampled with libsoxr (high quality) when the rates differ.
 * out receives at most cap samples, *n their number. The count for a file
 * is fixed by its header: frames * target_rate / rate, rounded to nearest;
 * CORE_E_BUFFER_TOO_SMALL writes it to *n when cap is smaller (cap 0 and out
 * NULL ask for it without reading the data). A zero-length file gives
 * CORE_OK with *n = 0. Statuses as core_audio_info, plus
 * CORE_E_INVALID_ARGUMENT for n NULL, out NULL with cap > 0, or
 * target_rate above 384000; CORE_E_FORMAT when the data ends before the
 * header says (a truncated file: nothing is returned as if complete);
 * CORE_E_OUT_OF_MEMORY. Any thread. Since 0.1.
 *
 * Details. "Zero-length" means a header announcing 0 frames (a WAV with an
 * empty data chunk): CORE_OK, *n = 0. A 0-byte file has no header and is
 * not audio: CORE_E_FORMAT. The count rounds halves up (1 frame at 16000
 * read at 8000 is 1 sample). Frames past the header's count are ignored.
 * The resampler is streamed block by block and flushed at the end; its
 * output is trimmed to the count, and were it short by a sample or two the
 * tail would be zero-filled (libsoxr 0.1.3 has always given the exact
 * count). The output of a successful call is finite: a NaN or an infinity
 * among the file's samples (float data), or a resampled value overflowing
 * float, is CORE_E_FORMAT. On CORE_E_BUFFER_TOO_SMALL nothing is written
 * to out; on any other error *n is unchanged and out[0, cap) may have been
 * partly written (damage inside compressed data is found while decoding).
 * Memory is bounded (a block of samples and libsoxr's filter state),
 * whatever the file's length; libsoxr runs on the calling thread. */
CORE_API CORE_NODISCARD core_status core_audio_read(const char *path, uint32_t target_rate,
                                                    float *out, size_t cap, size_t *n);

/* ---- chunked reading --------------------------------------------------- */

/* An open audio file read front to back as mono float32 at a chosen rate,
 * in chunks of any size: memory stays bounded (a decoding block, the
 * resampler's state) whatever the file's length. One thread at a time per
 * reader; distinct readers run in parallel. Without audio_io (meson
 * -Daudio_io=disabled) core_audio_open reports CORE_E_UNSUPPORTED after
 * its argument checks, and so do the other functions for any non-NULL
 * reader (none can exist; close does nothing). */
typedef struct core_audio_reader core_audio_reader_t;

/* Opens the file at path for chunked reading at target_rate Hz (0: the
 * file's own rate), with the conversions of core_audio_read (channels
 * averaged, PCM scaling, libsoxr resampling). Writes the reader to *out
 * (close it with core_audio_reader_close). The open makes the checks
 * core_audio_info makes (a truncated WAV or FLAC, an Ogg stream without its
 * end is CORE_E_FORMAT here). Statuses as core_audio_read:
 * CORE_E_NOT_FOUND, CORE_E_IO, CORE_E_FORMAT, CORE_E_UNSUPPORTED (no
 * audio_io), CORE_E_INVALID_ARGUMENT for path or out NULL or target_rate
 * above 384000, CORE_E_OUT_OF_MEMORY. *out is unchanged on error. The
 * buffers and the resampler are made here; the decoding happens in the
 * reads. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_audio_open(const char *path, uint32_t target_rate,
                                                    core_audio_reader_t **out);

/* Reads the next samples into out[0, n) and writes their number to *got:
 * n while that many remain, fewer only at the end, 0 once the end was
 * reached (CORE_OK each time). Chunking never changes the samples: any
 * sequence of n gives, concatenated, exactly what core_audio_read gives
 * for the file (the count fixed by its header). CORE_E_INVALID_ARGUMENT
 * for r or got NULL, out NULL with n > 0; CORE_E_FORMAT for damage found
 * while decoding, a NaN/Inf sample or data ending before the header says;
 * CORE_E_IO when the file can no longer be read; CORE_E_OUT_OF_MEMORY
 * when libsndfile's decoder cannot allocate. After any of these the reader
 * is failed: every later read repeats the status and message. *got is 0
 * on error, and out[0, n) may have been partly written. Since 0.1.
 *
 * Details. The decoding and resampling run inside the reads, a block
 * (4096 frames) at a time, whatever n is: a chunk smaller than a block
 * copies from the block decoded last, so reads of 1 sample cost a copy,
 * not a decode each. Damage is reported by the read whose decoding meets
 * it; every frame is decoded before the read that reaches the end
 * succeeds, so a stream that is not whole never ends as if it were
 * (samples before the damage have been given by then, where
 * core_audio_read fails as a whole). A reader holds the file open until
 * it is closed. */
CORE_API CORE_NODISCARD core_status core_audio_reader_read(core_audio_reader_t *r, float *out,
                                                           size_t n, size_t *got);

/* The file's header, as core_audio_info gives it (struct_size rules
 * alike). CORE_E_INVALID_ARGUMENT for r or info NULL or a struct_size too
 * small. Answers on a failed reader too. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_audio_reader_info(const core_audio_reader_t *r,
                                                           core_audio_info_t *info);

/* The number of samples the reader gives in all (the count core_audio_read
 * gives: frames * target_rate / rate, rounded halves up) to *total, and how
 * many it gave so far to *done (either may be NULL): the sum of *got over
 * the successful reads. CORE_E_INVALID_ARGUMENT for r NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_audio_reader_length(const core_audio_reader_t *r,
                                                             uint64_t *total, uint64_t *done);

/* Closes the file and frees the reader (failed or not). NULL is a no-op.
 * Since 0.1. */
CORE_API void core_audio_reader_close(core_audio_reader_t *r);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_AUDIO_H */
