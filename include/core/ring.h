/*
 * libcore ring module: a preallocated float32 ring buffer for audio.
 *
 * Conventions (see core.h for the ones shared by every header):
 *
 *  1. Threads. A ring has one producer side and one consumer side. At any
 *     moment at most one thread may run producer calls and at most one
 *     thread consumer calls; they may be the same thread. Any other sharing
 *     (two producers, two consumers, a third thread reading) needs the
 *     caller's own lock around the calls of that side. The queries marked
 *     "any thread" may run anywhere, at any time. create and destroy must
 *     not run concurrently with any other call on the same ring.
 *       producer: append_f32, append_i16, wait_writable
 *       consumer: read, read_all, read_latest, regions, consume, pop, clear,
 *                 wait_readable
 *       any:      size, space, capacity, dropped, is_mirrored, policy
 *  2. Lock-free. Producer and consumer never block each other: the indices
 *     are free-running 64-bit counters with acquire/release ordering, each
 *     on its own cache line, and each side keeps a cached copy of the other
 *     side's index. Only the wait_* calls sleep, and only when asked to.
 *  3. No allocation after create. core_ring_create allocates the handle and
 *     maps the sample memory (prefaulted); no other call allocates, maps,
 *     locks or makes a system call, except wait_* when it must sleep or
 *     wake a sleeper.
 *  4. Capacity. `capacity` is the logical size in samples and is honoured
 *     exactly: size() never exceeds it. The storage behind it is a power of
 *     two (twice as large under CORE_RING_OVERWRITE, see 6), at least one
 *     page with the mirror.
 *  5. Full policy, chosen at creation.
 *     CORE_RING_REJECT: an append that does not fit writes nothing and
 *       returns CORE_E_FULL; the caller still holds its data, nothing is
 *       lost silently.
 *     CORE_RING_OVERWRITE: an append always succeeds; the oldest samples
 *       make room and are counted by core_ring_dropped(). A consumer call
 *       never returns torn data: every sample it returns is exactly a sample
 *       the producer appended, in order.
 *  6. OVERWRITE details. The producer moves the consumer's read index, so
 *     there it is advanced by compare-and-swap on both sides, and a consumer
 *     copy publishes the position it reads from: the producer never writes
 *     over samples the consumer is copying (or holds through regions). The
 *     storage is twice the capacity, so the producer can always append at
 *     least `capacity` more samples past such a position. If one consumer
 *     copy, or a regions span held between calls, lasts longer than that
 *     (a real-time producer at 16 kHz needs capacity / 16000 seconds), the
 *     producer drops the newest samples of its appends instead of waiting,
 *     until the consumer's next call; they are counted in dropped() like
 *     any other, never silent. The producer never waits; the consumer may
 *     retry a copy that the producer overran (lock-free, not wait-free).
 *     Every sample appended is either returned by pop exactly once, or
 *     counted in dropped() exactly once, or discarded by consume/clear.
 *  7. The mirror (options.mirror). The storage is mapped twice, back to
 *     back (memfd_create + two mmaps), so every readable span is one
 *     contiguous pointer and copies never split at the wrap. Where that is
 *     impossible (no memfd, no file descriptor left, a mapping refused) the
 *     ring silently uses a plain buffer under CORE_RING_MIRROR_ON (ask
 *     core_ring_is_mirrored) or fails under CORE_RING_MIRROR_REQUIRE.
 *  8. Conversions. append_f32 stores values bit for bit (NaN payloads,
 *     infinities and values outside [-1, 1] included). append_i16 converts
 *     PCM16 on the way in as v / 32768, exactly: -32768 gives -1.0 and
 *     32767 gives 32767/32768, so every result lies in [-1, 1).
 *  9. Status. CORE_E_FULL: the append does not fit (REJECT), or a
 *     wait_writable timed out. CORE_E_EMPTY: fewer samples are readable than
 *     asked for (nothing was copied or consumed), or a wait_readable timed
 *     out. CORE_E_INVALID_ARGUMENT: a NULL ring or buffer, a bad option, a
 *     request that can never be satisfied by a wait. Every error writes a
 *     message for core_last_error_message().
 */
#ifndef CORE_RING_H
#define CORE_RING_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque ring. Created by core_ring_create, released by
 * core_ring_destroy. See the conventions above for its thread contract. */
typedef struct core_ring core_ring_t;

/* What an append does when the samples do not fit. Pinned values. */
typedef enum core_ring_policy {
  CORE_RING_REJECT = 0,   /* write nothing, return CORE_E_FULL */
  CORE_RING_OVERWRITE = 1 /* drop the oldest samples, count them */
} core_ring_policy;

/* Values of core_ring_options_t.mirror. Pinned values. */
typedef enum core_ring_mirror {
  CORE_RING_MIRROR_OFF = 0,     /* plain buffer: regions may be two spans */
  CORE_RING_MIRROR_ON = 1,      /* mirrored when the system allows, else plain */
  CORE_RING_MIRROR_REQUIRE = 2  /* mirrored, or create fails (CORE_E_UNSUPPORTED) */
} core_ring_mirror;

/* The largest capacity accepted, in samples (2^32: 16 GiB of float32). */
#define CORE_RING_MAX_CAPACITY ((size_t)1 << 32)

struct core_metrics; /* core_metrics_t of metrics.h */

/* Creation options. Fill with core_ring_options_init, then set fields.
 * Fields are only ever appended; struct_size tells the library which
 * layout the caller has. */
typedef struct core_ring_options_t {
  size_t struct_size;      /* sizeof(core_ring_options_t), set by _init */
  size_t capacity;         /* samples, 1 .. CORE_RING_MAX_CAPACITY; default 0:
                              the caller must choose */
  core_ring_policy policy; /* default CORE_RING_REJECT */
  int mirror;              /* a core_ring_mirror value; default
                              CORE_RING_MIRROR_OFF */
  /* ---- appended in 0.1 layout 2 (see CORE_RING_OPTIONS_V1_SIZE) ---- */
  struct core_metrics *metrics; /* a core_metrics_t registry (metrics.h) to
                              publish into, or NULL (default): no
                              publishing. Borrowed: it must outlive the
                              ring. See "Publishing metrics" below */
  const char *metrics_prefix; /* the metric names' prefix; NULL (default)
                              means "core_ring". Copied (only read during
                              create); sanitized by the registry */
} core_ring_options_t;

/* The struct_size of the first layout (without metrics and
 * metrics_prefix). core_ring_create accepts it and then publishes nothing:
 * a caller compiled against the older header, which fills struct_size with
 * its own (smaller) sizeof, keeps working. core_ring_options_init writes
 * the current layout (sizeof(core_ring_options_t)): call it only on a
 * struct of the current layout. */
#define CORE_RING_OPTIONS_V1_SIZE (offsetof(core_ring_options_t, metrics))

/* Publishing metrics. With options.metrics set, create registers in that
 * registry, under prefix P = options.metrics_prefix (default "core_ring"):
 *   counter P_appended (exported as P_appended_total): samples accepted by
 *           the appends that succeeded (under OVERWRITE all n of each call,
 *           the ones dropped at once included);
 *   counter P_dropped (P_dropped_total): core_ring_dropped();
 *   gauge   P_fill: readable samples as of the last successful append
 *           (the producer reads head then; consumer calls do not update it,
 *           so between appends it is an upper bound of core_ring_size);
 *   gauge   P_capacity: the capacity, set once at create.
 * The producer updates them after each successful append: two relaxed
 * stores and a relaxed load of head (it is their only writer), nothing
 * when publishing is off. Registration is all or nothing and happens in
 * create: a name that exists in the registry already (another ring with
 * the same prefix, or any metric whose exported series collide) fails with
 * CORE_E_INVALID_ARGUMENT, a registry without room for the 4 metrics with
 * CORE_E_FULL; then no ring is created and nothing is registered. The
 * metrics stay registered after core_ring_destroy (a registry cannot
 * unregister) and stop changing. */

/* ---- life cycle ----------------------------------------------------------- */

/* Fills *opts with the defaults above and sets struct_size to
 * sizeof(core_ring_options_t), the current layout (with metrics).
 * Returns CORE_E_INVALID_ARGUMENT for opts NULL. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_options_init(core_ring_options_t *opts);

/* Creates a ring and writes it to *out (a new reference: release it with
 * core_ring_destroy). opts is only read, and not kept. Allocates the handle
 * and maps and prefaults the sample memory; nothing allocates afterwards.
 * struct_size may be CORE_RING_OPTIONS_V1_SIZE or
 * sizeof(core_ring_options_t). Returns CORE_E_INVALID_ARGUMENT for opts or
 * out NULL, a struct_size smaller than the first layout or between the two
 * layouts, capacity 0 or above CORE_RING_MAX_CAPACITY, a policy or mirror
 * value outside its enum, metrics not a live registry, or a metric name
 * that is invalid or taken (see "Publishing metrics"); CORE_E_FULL when the
 * registry has no room for the metrics; CORE_E_UNSUPPORTED for a
 * struct_size larger than this library knows (options from a newer
 * libcore), or CORE_RING_MIRROR_REQUIRE where the mirror is impossible;
 * CORE_E_OUT_OF_MEMORY when the memory cannot be had. *out is left
 * unchanged on error. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_create(const core_ring_options_t *opts,
                                                     core_ring_t **out);

/* Releases the ring and its memory. NULL is a no-op. No other call on the
 * ring may run concurrently or afterwards (destroying twice is undefined;
 * the language bindings make a second close safe). Since 0.1. */
CORE_API void core_ring_destroy(core_ring_t *ring);

/* ---- producer side -------------------------------------------------------- */

/* Appends x[0, n). REJECT: all n samples or none; CORE_E_FULL when they do
 * not fit now (the message says when they never can: n > capacity).
 * OVERWRITE: always CORE_OK; the oldest samples make room and are counted
 * in dropped() (with n > capacity only the last `capacity` samples of x are
 * kept and the others count as dropped). n == 0 is a no-op.
 * CORE_E_INVALID_ARGUMENT for ring NULL or x NULL with n > 0. x is
 * borrowed for the call. Producer side. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_append_f32(core_ring_t *ring, const float *x,
                                                         size_t n);

/* As core_ring_append_f32, for PCM16 samples converted to float32 on the
 * way in (v / 32768, see convention 8). Producer side. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_append_i16(core_ring_t *ring,
                                                         const int16_t *pcm, size_t n);

/* Sleeps until space() >= n or timeout_ms milliseconds have passed
 * (timeout_ms < 0: no limit; 0: just test). CORE_OK when the space is
 * there, CORE_E_FULL on timeout. Under OVERWRITE appends never fail, so
 * this only serves a producer that prefers waiting to dropping.
 * CORE_E_INVALID_ARGUMENT for ring NULL or n > capacity (never
 * satisfiable). Cost: nothing for the other calls while nobody waits; a
 * system call (futex) per consumer call that frees space while the producer
 * sleeps, and one membarrier call per sleep. Producer side. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_wait_writable(core_ring_t *ring, size_t n,
                                                            int timeout_ms);

/* ---- consumer side -------------------------------------------------------- */

/* Copies the n oldest samples to out[0, n) without consuming them.
 * CORE_E_EMPTY when fewer than n are readable (nothing copied).
 * CORE_E_INVALID_ARGUMENT for ring NULL or out NULL with n > 0. A later
 * core_ring_consume(ring, k) consumes the first k of exactly these samples,
 * even if the producer overwrote some of them in between (OVERWRITE).
 * Consumer side. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_read(core_ring_t *ring, float *out, size_t n);

/* Copies every readable sample (at most cap) to out and writes the count
 * to *n, without consuming. CORE_E_BUFFER_TOO_SMALL when more than cap are
 * readable: *n receives the count needed and nothing is copied. An empty
 * ring gives CORE_OK and *n = 0. CORE_E_INVALID_ARGUMENT for ring or n
 * NULL, or out NULL with cap > 0. Consumer side. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_read_all(core_ring_t *ring, float *out,
                                                       size_t cap, size_t *n);

/* Copies the n newest samples (the last n / rate seconds of audio) to
 * out[0, n), oldest first, without consuming anything. CORE_E_EMPTY when
 * fewer than n are readable. CORE_E_INVALID_ARGUMENT for ring NULL or out
 * NULL with n > 0. Consumer side (in REJECT mode only the consumer keeps
 * those samples from being freed and overwritten). Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_read_latest(core_ring_t *ring, float *out,
                                                          size_t n);

/* Zero-copy view of the readable samples, oldest first: *p1 holds *n1
 * samples, then *p2 holds *n2 (like JACK's read vector). With the mirror,
 * *n2 is always 0 and *p2 NULL; an empty ring gives *n1 = *n2 = 0. The
 * pointers are borrowed: they stay valid, and the samples unchanged (also
 * under OVERWRITE), until the next consumer call on this ring; release them
 * with core_ring_consume (n may be 0). Do not write through them.
 * CORE_E_INVALID_ARGUMENT for any NULL argument. Consumer side. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_regions(core_ring_t *ring, const float **p1,
                                                      size_t *n1, const float **p2,
                                                      size_t *n2);

/* Discards the n oldest samples. Right after core_ring_read, _read_all or
 * _regions, "oldest" means the first n samples those calls showed
 * (under OVERWRITE the producer may have dropped some of them since; they
 * are then counted in dropped() and not consumed twice). CORE_E_EMPTY when
 * fewer than n are there to consume (nothing consumed).
 * CORE_E_INVALID_ARGUMENT for ring NULL. Consumer side. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_consume(core_ring_t *ring, size_t n);

/* Moves up to n of the oldest samples to out (copy, then consume, as one
 * step) and writes the count to *got. CORE_E_EMPTY with *got = 0 when the
 * ring is empty and n > 0. Under OVERWRITE every sample is either popped or
 * counted as dropped, never both. CORE_E_INVALID_ARGUMENT for ring or got
 * NULL, or out NULL with n > 0. Consumer side. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_pop(core_ring_t *ring, float *out, size_t n,
                                                  size_t *got);

/* Discards every readable sample (not counted in dropped()). Samples the
 * producer appends concurrently may or may not survive. CORE_OK, or
 * CORE_E_INVALID_ARGUMENT for ring NULL. Consumer side: the producer may
 * keep appending, but a producer that wants to clear must ask the consumer
 * (or hold a lock shared with it). Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_clear(core_ring_t *ring);

/* Sleeps until size() >= n or timeout_ms milliseconds have passed
 * (timeout_ms < 0: no limit; 0: just test). CORE_OK when the samples are
 * there, CORE_E_EMPTY on timeout. CORE_E_INVALID_ARGUMENT for ring NULL or
 * n > capacity. Cost: as core_ring_wait_writable, mirrored. Consumer side.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_ring_wait_readable(core_ring_t *ring, size_t n,
                                                            int timeout_ms);

/* ---- queries (any thread, snapshots) --------------------------------------- */

/* Readable samples now, 0 .. capacity. 0 for ring NULL. Since 0.1. */
CORE_API size_t core_ring_size(const core_ring_t *ring);

/* capacity - size: samples an append can take now without failing (REJECT)
 * or dropping (OVERWRITE). 0 for ring NULL. Since 0.1. */
CORE_API size_t core_ring_space(const core_ring_t *ring);

/* The logical capacity given at creation. 0 for ring NULL. Since 0.1. */
CORE_API size_t core_ring_capacity(const core_ring_t *ring);

/* Samples dropped by OVERWRITE since creation (always 0 under REJECT).
 * 0 for ring NULL. Since 0.1. */
CORE_API uint64_t core_ring_dropped(const core_ring_t *ring);

/* 1 when the storage is mirrored (regions is always one span), 0 when it
 * is a plain buffer (mirror off, or the fallback) or ring is NULL.
 * Since 0.1. */
CORE_API int core_ring_is_mirrored(const core_ring_t *ring);

/* The full policy given at creation; CORE_RING_REJECT for ring NULL.
 * Since 0.1. */
CORE_API core_ring_policy core_ring_get_policy(const core_ring_t *ring);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_RING_H */
