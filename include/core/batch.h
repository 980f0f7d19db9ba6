/*
 * libcore batch module: statistics over many arrays, over the frames of one
 * signal, over a stream pushed chunk by chunk, and over a raw float32 file.
 *
 * Conventions (see core.h for the ones shared by every header):
 *
 *  1. One definition of a summary. Every core_stats_t written here is bit
 *     for bit the one core_stats_f32 / core_stats_f64 (stats.h) gives for
 *     the same values: per array in core_batch_stats_*, per frame in
 *     core_stats_frames_*, over the chosen range in core_stats_file_f32,
 *     and for the accumulator under the rule of convention 4.
 *  2. Determinism. Work runs in parallel in libcore's task arena, split at
 *     fixed 2048-element block boundaries and merged in a fixed tree, so
 *     results are bit-identical for every core_set_num_threads value and
 *     every chunking of the work. Small arrays and frames are grouped into
 *     tasks of about 32 Ki elements (a measured grain); a batch of fewer
 *     than 8 Ki elements runs on the calling thread.
 *  3. Frames. Frame i covers x[i * hop, i * hop + frame); only whole frames
 *     are summarized (librosa.util.frame, NumPy sliding_window_view[::hop]):
 *     frames = 1 + (n - frame) / hop for frame <= n, so a partial last frame
 *     is dropped. Pad the signal yourself to keep it. frame > n is an error.
 *  4. Accumulator. core_stats_acc_t is plain data owned by the caller: no
 *     handle, no allocation, nothing to destroy. It buffers up to one 2048-
 *     element block and keeps the partial sums of the block tree, so
 *       (a) the result never depends on how the stream was cut into pushes;
 *       (b) when the stream length was declared at init (total > 0) and
 *           exactly that many values were pushed, the result equals
 *           core_stats_f32/_f64 on the whole stream, bit for bit;
 *       (c) with total = 0 (length unknown) it is bit-identical as well
 *           when the number of blocks, ceil(n / 2048), is a power of two
 *           (so for any n <= 2048); otherwise count, nan_count, min and max
 *           are exact and sum, mean and m2 differ from core_stats_* only by
 *           the order of the final pairwise merges (a few ulps).
 *     A summary read before the declared total is reached is the running
 *     summary of what was pushed, as in (c).
 *  5. File. core_stats_file_f32 reads raw native-endian float32 values;
 *     offset and count are in VALUES, not bytes (np.fromfile takes its
 *     offset in bytes: divide it by 4). See the function for statuses and
 *     for what happens when the file changes size during the call.
 *  6. Threads. core_batch_stats_*, core_stats_frames_* and
 *     core_stats_file_f32 may run on any number of threads at once. An
 *     accumulator has no lock: one thread at a time may push to or merge
 *     into it; result() only reads it.
 *  7. Ownership. The caller owns every buffer and the accumulator; libcore
 *     keeps no pointer after a call returns. On an error nothing is written
 *     to the out-parameters (CORE_E_BUFFER_TOO_SMALL writes *frames) and an
 *     accumulator is left as it was.
 */
#ifndef CORE_BATCH_H
#define CORE_BATCH_H

#include "core.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Summaries are core_stats_t (stats.h). They are named here as struct
 * core_stats_t, and the accumulator spells its fields out, because core.h
 * includes this header at its end: in a file whose first include is
 * stats.h, this text is read before stats.h has defined core_stats_t. */
struct core_stats_t;

/* ---- many arrays --------------------------------------------------------- */

/* out[i] = the summary of arrays[i][0, lens[i]) for i < count, bit for bit
 * core_stats_f32/_f64(arrays[i], lens[i], nan). arrays[i] may be NULL when
 * lens[i] == 0. Arrays are summarized in parallel; an array of 128 Ki
 * elements or more is itself split into blocks.
 * Returns CORE_E_INVALID_ARGUMENT for arrays, lens or out NULL with
 * count > 0, arrays[i] NULL with lens[i] > 0, lens whose sum overflows
 * size_t, out overlapping arrays or lens, or a bad nan policy. count == 0
 * does nothing. arrays, lens and out are the caller's, borrowed for the
 * call. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_batch_stats_f32(const float *const *arrays,
                                                         const size_t *lens, size_t count,
                                                         core_nan_policy nan,
                                                         struct core_stats_t *out);
CORE_API CORE_NODISCARD core_status core_batch_stats_f64(const double *const *arrays,
                                                         const size_t *lens, size_t count,
                                                         core_nan_policy nan,
                                                         struct core_stats_t *out);

/* ---- frames of one signal ------------------------------------------------ */

/* *frames = 1 + (n - frame) / hop, the number of whole frames (convention
 * 3). Returns CORE_E_INVALID_ARGUMENT for frames NULL, frame == 0,
 * hop == 0 or frame > n. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_frames_len(size_t n, size_t frame, size_t hop,
                                                          size_t *frames);

/* out[i] = core_stats_f32/_f64(x + i * hop, frame, CORE_NAN_PROPAGATE) for
 * every whole frame i, and *frames = their number. NaN propagates, as in
 * np.mean over each frame; nan_count still says which frames held one.
 * With cap too small (cap = 0 and out = NULL asks for the size) returns
 * CORE_E_BUFFER_TOO_SMALL and writes the needed count to *frames, nothing
 * to out. Returns CORE_E_INVALID_ARGUMENT for frames NULL, x NULL with
 * n > 0, out NULL with cap > 0, frame == 0, hop == 0, frame > n, or out
 * overlapping x. x and out are borrowed for the call. Any thread.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_frames_f32(const float *x, size_t n, size_t frame,
                                                          size_t hop, struct core_stats_t *out,
                                                          size_t cap, size_t *frames);
CORE_API CORE_NODISCARD core_status core_stats_frames_f64(const double *x, size_t n,
                                                          size_t frame, size_t hop,
                                                          struct core_stats_t *out, size_t cap,
                                                          size_t *frames);

/* ---- streaming accumulator ----------------------------------------------- */

/* Elements the accumulator buffers (one reduction block) and the depth of
 * its merge stack. Part of the ABI: the struct's size never changes. */
#define CORE_STATS_ACC_BLOCK 2048
#define CORE_STATS_ACC_DEPTH 64

/* A summary of blocks [begin, end): the fields of core_stats_t. Private to
 * the accumulator. */
typedef struct core_stats_acc_node_t {
  uint64_t begin, end;
  uint64_t count, nan_count;
  double min, max, sum, mean, m2;
} core_stats_acc_node_t;

/* A streaming summary (convention 4), about 21 KiB. Plain data: allocate it
 * anywhere, copy it to fork a stream, never free it. Every field is
 * private: use only the core_stats_acc_* functions. */
typedef struct core_stats_acc_t {
  uint64_t magic;         /* set by init; catches use of an uninitialized acc */
  uint32_t nan_policy;    /* core_nan_policy */
  uint32_t dtype;         /* 0 until the first push, then 1 = f32, 2 = f64 */
  uint64_t total;         /* declared stream length, 0 = unknown */
  uint64_t pushed;        /* values pushed since init or the last merge */
  uint64_t depth;         /* nodes on the stack */
  uint64_t has_ref;       /* whether ref is set */
  double ref;             /* the reference the block means are offsets from */
  core_stats_acc_node_t base; /* what merges brought in (begin, end unused) */
  core_stats_acc_node_t stack[CORE_STATS_ACC_DEPTH];
  union {
    float f32[CORE_STATS_ACC_BLOCK];
    double f64[CORE_STATS_ACC_BLOCK];
  } pending;              /* the values of the current, unfinished block */
} core_stats_acc_t;

/* Starts an empty stream in *acc (caller memory; any previous content is
 * overwritten). total is the number of values that will be pushed when
 * known (the result is then exactly core_stats_*'s), or 0. Returns
 * CORE_E_INVALID_ARGUMENT for acc NULL or a bad nan policy. One thread at
 * a time per accumulator. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_acc_init(core_stats_acc_t *acc,
                                                        core_nan_policy nan, uint64_t total);

/* Appends x[0, n) to the stream. The first non-empty push fixes the dtype:
 * an accumulator takes only f32 or only f64 values (the two kernels round
 * differently). Large pushes are summarized in parallel. Returns
 * CORE_E_INVALID_ARGUMENT, leaving *acc unchanged, for acc NULL, not
 * initialized or corrupted, x NULL with n > 0, the other dtype, or a push
 * that would exceed the declared total. x is copied or read during the
 * call only. One thread at a time per accumulator. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_acc_push_f32(core_stats_acc_t *acc,
                                                            const float *x, size_t n);
CORE_API CORE_NODISCARD core_status core_stats_acc_push_f64(core_stats_acc_t *acc,
                                                            const double *x, size_t n);

/* Folds src into dst: dst's summary becomes core_stats_merge(result(dst),
 * result(src)) (Chan et al.; exact in count, nan_count, min and max, to
 * rounding in the rest), for combining the accumulators of workers that
 * each saw part of the data. Values pushed to dst afterwards start a new
 * segment (any dtype, length unknown) merged after it. src is unchanged
 * and may equal dst. Returns CORE_E_INVALID_ARGUMENT, leaving dst
 * unchanged, for a NULL, uninitialized or corrupted accumulator, different
 * nan policies, or counts that would overflow. No other thread may push to
 * or merge into dst or src meanwhile. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_acc_merge(core_stats_acc_t *dst,
                                                         const core_stats_acc_t *src);

/* *out = the summary of everything pushed (and merged) so far; acc is not
 * modified, so a stream can be read while it grows (from several threads
 * at once, when none pushes). Returns CORE_E_INVALID_ARGUMENT for acc or
 * out NULL, or acc not initialized or corrupted. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_acc_result(const core_stats_acc_t *acc,
                                                          struct core_stats_t *out);

/* ---- files ----------------------------------------------------------------- */

/* Summarizes values [offset, offset + count) of the raw float32 file at
 * path (count == 0: to the end of the file), bit for bit what
 * core_stats_f32 gives on the same values in memory.
 *
 * A regular file is mapped (mmap) and reduced in parallel without being
 * read into memory, so it may be larger than RAM. Reading a page of a
 * mapping that the file no longer covers raises SIGBUS; to make a file
 * truncated during the call harmless, libcore installs, on the first call
 * and only if the process has no SIGBUS handler of its own (disposition
 * SIG_DFL), a handler that maps zeros over the lost pages of its own
 * mappings and passes every other SIGBUS on to the default action. The call
 * then returns CORE_E_IO ("file shrank while mapped"). When SIGBUS belongs
 * to someone else (a JVM, the Go or .NET runtime, a sanitizer, Python's
 * faulthandler), when the mapping fails, or when the environment sets
 * LIBCORE_NO_MMAP=1, the file is read with read(2) into a buffer instead:
 * slower, serial reads, the same bits, and a file that shrinks is an
 * ordinary CORE_E_IO. (So is any call beyond 64 running at once.) A file that grows during the call is summarized as
 * it was at the start; values rewritten in place during the call give an
 * unspecified summary.
 *
 * Pipes, character devices and other non-regular files are read with
 * read(2) as a stream (offset values are read and discarded); with
 * count == 0 the length is not known in advance, and the result follows
 * convention 4 (c).
 *
 * Returns CORE_E_NOT_FOUND when path does not exist, CORE_E_IO for any
 * other failure to open or read (permission, a directory, a read error, the
 * file shrinking during the call), CORE_E_FORMAT when a regular file's
 * size, or the bytes a stream delivers, are not a multiple of 4,
 * CORE_E_INVALID_ARGUMENT for path or out NULL, a bad nan policy, offset
 * past the end, or offset + count past the end. offset == the number of
 * values with count == 0 gives an empty summary. path is read during the
 * call only; the file is opened read-only and closed before returning.
 * Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_file_f32(const char *path, uint64_t offset,
                                                        uint64_t count, core_nan_policy nan,
                                                        struct core_stats_t *out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_BATCH_H */
