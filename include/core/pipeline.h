/*
 * libcore pipeline module: the streaming speech front end, composed of the
 * other modules, and the generic batcher under it.
 *
 *   push (f32 or int16 chunks, any size)
 *     -> ring buffer (ring.h; the producer never blocks or allocates)
 *     -> VAD (audio.h): speech start / end
 *     -> analysis windows of window_ms every hop_ms (inside speech only,
 *        unless asked otherwise)
 *     -> log-mel features per window (audio.h)
 *     -> encoder cache lookup (cache.h; the key is the window's audio)
 *     -> on a miss, the batcher: windows wait until max_batch are waiting
 *        or the oldest has waited max_delay_ms, then one encoder call
 *     -> events, pulled by the consumer.
 *
 * Conventions (see core.h for the ones shared by every header):
 *
 *  1. Threads. One producer thread calls push_f32 / push_i16 / flush; one
 *     consumer thread calls next_event / submit_embedding; they may be the
 *     same thread. Queries (stats, metrics) may run on any thread. The
 *     producer side only appends to the ring and counts: all analysis runs
 *     inside next_event, on the consumer's thread (so an audio callback
 *     can push). create and destroy must not run concurrently with any
 *     other call on the pipeline.
 *  2. Events are pulled: next_event returns CORE_E_EMPTY when nothing is
 *     ready. Pointers inside an event (features, embedding) stay valid
 *     until the next call of next_event or submit_embedding on that
 *     pipeline, or its destroy.
 *  3. Nothing is lost silently. Samples the ring drops (a consumer that
 *     stops reading, under CORE_RING_OVERWRITE) are counted in
 *     core_pipeline_stats_t.dropped_samples and the metrics; under
 *     CORE_RING_REJECT a push that does not fit returns CORE_E_FULL and
 *     writes nothing. An encoder failure becomes a CORE_EVENT_ENCODER_ERROR
 *     event per window of the failed batch.
 *  4. Positions are samples since the first push (the pipeline's own
 *     timeline); window ids count from 0 in window order.
 */
#ifndef CORE_PIPELINE_H
#define CORE_PIPELINE_H

#include "core.h"
#include "audio.h"
#include "cache.h"
#include "metrics.h"
#include "ring.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== the batcher ========================================================== */

/* A generic dynamic batcher: items (an id and a length) wait in length
 * buckets; a bucket's batch is released when it holds max_batch items,
 * when its oldest item has waited max_delay_ms, or on flush (the TTS
 * document's batching by length category with timeouts; Triton's
 * dynamic batcher, plus the buckets it lacks). Not thread-safe: one thread
 * at a time per batcher. */
typedef struct core_batcher core_batcher_t;

/* Clock for the batcher and the pipeline: nanoseconds in any fixed epoch,
 * non-decreasing. Tests inject one; NULL means CLOCK_MONOTONIC. */
typedef uint64_t (*core_clock_ns_fn)(void *user);

/* The most length buckets a batcher takes. */
#define CORE_BATCHER_MAX_BUCKETS 16

typedef struct core_batcher_options_t {
  size_t struct_size;      /* sizeof(core_batcher_options_t), set by _init */
  size_t max_batch;        /* items per batch, default 8; >= 1 */
  uint32_t max_delay_ms;   /* longest wait of an item, default 50; 0: every
                              item is released at the next call of next */
  size_t n_buckets;        /* length buckets, default 0 = one bucket */
  uint64_t bucket_bounds[CORE_BATCHER_MAX_BUCKETS]; /* ascending upper
                              bounds (inclusive) of the first n_buckets - 1
                              buckets; the last bucket takes the rest */
  core_clock_ns_fn clock;  /* NULL: CLOCK_MONOTONIC */
  void *clock_user;
} core_batcher_options_t;

/* Fills *opts with the defaults above (struct_size set, bounds zero).
 * CORE_E_INVALID_ARGUMENT for opts NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_batcher_options_init(core_batcher_options_t *opts);

/* Creates a batcher (*out: new, release with core_batcher_destroy; opts
 * is read only during the call). CORE_E_INVALID_ARGUMENT for NULLs,
 * max_batch 0, n_buckets above CORE_BATCHER_MAX_BUCKETS, bounds not
 * strictly ascending (bounds past n_buckets - 1 are ignored), a
 * struct_size that is not a layout (CORE_E_UNSUPPORTED: one from a newer
 * libcore); CORE_E_OUT_OF_MEMORY. *out is untouched on error. destroy(NULL)
 * does nothing. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_batcher_create(const core_batcher_options_t *opts,
                                                        core_batcher_t **out);
CORE_API void core_batcher_destroy(core_batcher_t *b);

/* Adds an item, stamped with the clock: its bucket is the first whose
 * bound is >= length. The id is the caller's (the batcher only hands it
 * back; duplicates are allowed). Storage is reused: this allocates only
 * when a bucket holds more items than ever before. CORE_E_INVALID_ARGUMENT
 * for b NULL; CORE_E_OUT_OF_MEMORY (nothing added). Since 0.1. */
CORE_API CORE_NODISCARD core_status core_batcher_add(core_batcher_t *b, uint64_t id,
                                                     uint64_t length);

/* The next released batch, oldest first (of the due buckets, the one whose
 * oldest item arrived first): up to max_batch ids of that bucket, in
 * arrival order, into ids[0, *count) (caller's buffer of cap ids), and its
 * bucket index into *bucket (bucket may be NULL). A timed-out or flushed
 * bucket's batch takes the items behind its oldest too, up to max_batch.
 * CORE_E_EMPTY when no batch is due now (none full, none timed out, nothing
 * flushed; outputs untouched). cap must be at least max_batch; NULL b, ids
 * or count: CORE_E_INVALID_ARGUMENT. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_batcher_next(core_batcher_t *b, uint64_t *ids,
                                                      size_t cap, size_t *count,
                                                      size_t *bucket);

/* Makes every waiting item due: the following next calls release them
 * (in batches of at most max_batch). Items added after the flush wait as
 * usual (they may fill a flushed batch). CORE_E_INVALID_ARGUMENT for b
 * NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_batcher_flush(core_batcher_t *b);

/* Items waiting (due or not). 0 for b NULL. Since 0.1. */
CORE_API size_t core_batcher_pending(const core_batcher_t *b);

/* Nanoseconds from now (the batcher's clock) until the oldest waiting item
 * times out (0 when a batch is due now) into *ns, or CORE_E_EMPTY when
 * nothing waits (*ns untouched): for a consumer that sleeps between calls.
 * CORE_E_INVALID_ARGUMENT for b or ns NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_batcher_next_deadline(const core_batcher_t *b,
                                                               uint64_t *ns);

/* ==== the pipeline ========================================================= */

typedef struct core_pipeline core_pipeline_t;

/* The encoder: embeds `batch` windows at once. features holds batch x
 * n_mels x n_frames floats (window after window, each mel-major like
 * core_logmel_compute); out receives batch x dim floats. Return CORE_OK,
 * or any other status to fail the whole batch (each of its windows then
 * becomes a CORE_EVENT_ENCODER_ERROR event carrying that status). Called
 * on the consumer's thread, inside next_event or flush. */
typedef core_status (*core_encoder_fn)(const float *features, size_t batch, size_t n_mels,
                                       size_t n_frames, float *out, size_t dim, void *user);

typedef struct core_pipeline_options_t {
  size_t struct_size;          /* sizeof(core_pipeline_options_t), set by _init */
  uint32_t sample_rate;        /* Hz, default 16000 (the VAD's and log-mel's
                                  rates are set from it) */
  uint32_t ring_ms;            /* ring capacity, default 10000 (10 s) */
  int ring_policy;             /* core_ring_policy, default CORE_RING_OVERWRITE:
                                  a stalled consumer loses the oldest audio,
                                  counted */
  core_vad_options_t vad;      /* filled by _init (core_vad_options_init) */
  core_logmel_options_t logmel; /* filled by _init (core_logmel_options_init);
                                  WHISPER mode normalizes each window alone */
  uint32_t window_ms;          /* analysis window, default 1000; its sample
                                  count must be >= logmel.n_fft */
  uint32_t hop_ms;             /* between window starts (the source's
                                  lid_hop_ms), default 500; >= 1 */
  int speech_only;             /* 1 (default): windows only inside speech
                                  segments; 0: over the whole stream */
  size_t dim;                  /* encoder output floats per window, default 0:
                                  the caller must set it (>= 1) */
  core_encoder_fn encoder;     /* NULL: no callback; windows that miss the
                                  cache become CORE_EVENT_NEEDS_ENCODING */
  void *encoder_user;
  core_cache_t *cache;         /* a cache to share (borrowed, must outlive
                                  the pipeline), or NULL: the pipeline
                                  creates its own from cache_options */
  core_cache_options_t cache_options; /* filled by _init; used when cache is NULL */
  int cache_decimals;          /* key quantization (core_cache_key_audio),
                                  default 4 */
  core_batcher_options_t batch; /* filled by _init: max_batch 8,
                                  max_delay_ms 50; its clock is the pipeline's */
  core_metrics_t *metrics;     /* a registry to share (borrowed), or NULL:
                                  the pipeline creates its own */
  const char *metrics_prefix;  /* prepended to the stage names with a '.';
                                  NULL (default): none. Copied */
} core_pipeline_options_t;

/* Fills *opts with the defaults above, including the nested options.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_pipeline_options_init(core_pipeline_options_t *opts);

/* CORE_E_INVALID_ARGUMENT for NULLs, a bad struct_size (this one's or a
 * nested one's), dim 0, a window shorter than logmel.n_fft or logmel.hop
 * (no frame) or not a whole number of samples, a rate the VAD or log-mel
 * refuses (the message names the option), metric names taken in a shared
 * registry; CORE_E_OUT_OF_MEMORY. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_pipeline_create(const core_pipeline_options_t *opts,
                                                         core_pipeline_t **out);
CORE_API void core_pipeline_destroy(core_pipeline_t *p);

/* Producer side: appends a chunk (any size). int16 is converted as v / 32768.
 * CORE_E_FULL under CORE_RING_REJECT when the ring cannot take it (nothing
 * written); CORE_E_INVALID_ARGUMENT after flush. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_pipeline_push_f32(core_pipeline_t *p, const float *x,
                                                           size_t n);
CORE_API CORE_NODISCARD core_status core_pipeline_push_i16(core_pipeline_t *p, const int16_t *x,
                                                           size_t n);

/* Producer side: end of stream. The consumer's next calls finish the VAD,
 * cut the last windows and release every waiting batch. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_pipeline_flush(core_pipeline_t *p);

typedef enum core_event_kind {
  CORE_EVENT_SPEECH_START = 1,   /* start: where speech (padding included) began */
  CORE_EVENT_SPEECH_END = 2,     /* start, end: the final segment */
  CORE_EVENT_WINDOW = 3,         /* a window with its features and embedding */
  CORE_EVENT_NEEDS_ENCODING = 4, /* no encoder: features ready, submit the embedding */
  CORE_EVENT_ENCODER_ERROR = 5,  /* the encoder failed this window (status) */
  CORE_EVENT_END = 6             /* after flush: everything has been delivered */
} core_event_kind;

typedef struct core_event_t {
  int kind;                /* a core_event_kind */
  uint64_t window_id;      /* WINDOW, NEEDS_ENCODING, ENCODER_ERROR */
  uint64_t start, end;     /* samples: the segment or the window's range */
  const float *features;   /* n_mels x n_frames, mel-major; borrowed (2) */
  size_t n_mels, n_frames;
  const float *embedding;  /* dim floats (WINDOW); borrowed (2) */
  size_t dim;
  int cache_hit;           /* WINDOW: 1 when the embedding came from the cache */
  core_status status;      /* ENCODER_ERROR: what the encoder returned */
} core_event_t;

/* Consumer side: runs the analysis the pushed audio allows and returns the
 * next event in order (segment starts before their windows, windows in id
 * order, a segment's end after its windows). CORE_E_EMPTY when nothing is
 * ready (call again after more pushes, or after the batcher's deadline).
 * Decisions (0.1):
 *  - Windows are fixed-length (window_ms), every hop_ms from a segment's
 *    start, whole windows only ([s + k hop, s + k hop + window) inside the
 *    segment). A segment shorter than a window gets one window from its
 *    start, reaching past its end, once those samples exist (none when the
 *    stream ends first). speech_only 0: every hop from sample 0, no VAD,
 *    no SPEECH_START/END events.
 *  - An open segment (core_vad_open_segment) is windowed while it lasts,
 *    up to frame_ms + min_silence_ms (+ max_speech_ms when set) behind the
 *    audio analysed, where its end can no longer fall: the windows are the
 *    final segments' windows whatever the chunk sizes.
 *  - NEEDS_ENCODING events come as soon as a window misses (before the
 *    ordered events); the WINDOW events stay in id order. Without an
 *    encoder the batcher is not used.
 *  - A batch is also released when every window slot (2 * max_batch + 2
 *    windows in flight) is taken, so cache hits queued behind a miss do not
 *    wait for its deadline; while the slots are taken, analysis pauses and
 *    audio waits in the ring.
 *  - A window holding a NaN has no cache key: not looked up or stored,
 *    counted as a miss, encoded with its NaN frames. The VAD treats NaN
 *    frames as non-speech.
 *  - Samples the ring drops are not on the timeline: positions count the
 *    samples analysed (convention 4 holds while nothing is dropped).
 *  - After END, CORE_E_EMPTY. A second flush does nothing.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_pipeline_next_event(core_pipeline_t *p,
                                                             core_event_t *ev);

/* Consumer side, for callers without an encoder callback: the embedding of
 * a window announced by CORE_EVENT_NEEDS_ENCODING. It goes into the cache
 * and the window's CORE_EVENT_WINDOW follows. CORE_E_NOT_FOUND for an id
 * not waiting; CORE_E_INVALID_ARGUMENT for dim != options.dim. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_pipeline_submit_embedding(core_pipeline_t *p,
                                                                   uint64_t window_id,
                                                                   const float *embedding,
                                                                   size_t dim);

typedef struct core_pipeline_stats_t {
  uint64_t chunks, samples;          /* pushed */
  uint64_t dropped_samples;          /* lost by the ring (OVERWRITE) */
  uint64_t segments, windows;        /* speech segments ended, windows cut */
  uint64_t cache_hits, cache_misses; /* window lookups */
  uint64_t encoder_calls, encoder_errors;
  double audio_seconds;              /* samples / sample_rate */
  double processing_seconds;         /* time inside push and next_event */
  double real_time_factor;           /* processing / audio seconds (< 1: faster) */
  double cache_hit_rate;             /* hits / lookups, NaN before any */
} core_pipeline_stats_t;

/* Any thread (a snapshot; counters may lag a call in progress).
 * encoder_errors counts failed encoder calls (each failed window is an
 * ENCODER_ERROR event). Since 0.1. */
CORE_API CORE_NODISCARD core_status core_pipeline_stats(const core_pipeline_t *p,
                                                        core_pipeline_stats_t *out);

/* The registry the pipeline records into (shared or its own; borrowed:
 * valid until destroy), for export. Timers: pipeline.push, vad.process,
 * features.logmel, encoder.lookup, encoder.forward; encoder.batch_size;
 * counters pipeline.chunks, pipeline.samples, pipeline.windows,
 * encoder.cache_hits, encoder.cache_misses, pipeline.dropped_samples
 * (each under metrics_prefix when set). encoder.batch_size is a timer
 * (registries hold only nanosecond histograms) recording 1 ns per window of
 * each encoder call: read its values as window counts. NULL for p NULL.
 * Since 0.1. */
CORE_API core_metrics_t *core_pipeline_metrics(const core_pipeline_t *p);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_PIPELINE_H */
