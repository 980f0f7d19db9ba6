/*
 * The bad-input sweep (tests/badinput/): shared declarations of the runner
 * (sweep_main.c), the fixtures (fixtures.c) and the generated calls
 * (sweep_calls.c, written by gen_sweep.py from the public headers and
 * sweep_table.txt).
 *
 * A variant is one call of a public function: every argument from its
 * fixture, then one argument replaced by a bad value (NULL, 0, a huge
 * size). Each variant runs on a fresh fx_ctx: its fixtures are made for it
 * and released after it, so no call sees another's state.
 */
#ifndef CORE_TEST_BADINPUT_SWEEP_H
#define CORE_TEST_BADINPUT_SWEEP_H

#include <core/core.h>
#include <core/collection.h>
#include <core/pipeline.h>

#include <stddef.h>
#include <stdint.h>

typedef struct fx_ctx fx_ctx;

/* One generated call. */
typedef struct fx_variant {
  const char *desc; /* "valid call", "x = NULL", "n = SIZE_MAX", ... */
  void (*run)(fx_ctx *ctx);
} fx_variant;

/* One public function: its variants, or why it cannot be swept (no table
 * line, no fixture, ...: the test reports it as a failure). */
typedef struct fx_function {
  const char *name;
  const fx_variant *variants;
  size_t count;
  const char *error;
  int in_compute; /* run each variant inside a get_or_compute callback */
} fx_function;

extern const fx_function fx_functions[];
extern const size_t fx_function_count;

/* Sizes of the fixtures. FX_N: the length of input arrays (enough for a
 * log-mel frame of 400 samples); FX_CAP: the capacity of output buffers;
 * FX_COUNT: the entries of arrays of arrays (parts, clips, lens, caps). */
#define FX_N 1024
#define FX_CAP 16384
#define FX_COUNT 2
#define FX_DIM 16 /* the pipeline fixture's embedding size */
/* The ids of the metrics registry fixture. */
#define FX_TIMER 0
#define FX_COUNTER 1
#define FX_GAUGE 2

/* ---- used by the generated calls ---------------------------------------- */

/* Makes a known failure (of another function) so that the message the call
 * under test leaves can be told apart from an older one. */
void fx_prime(fx_ctx *ctx);
/* Checks a core_status result: the expected status, a message starting
 * with "<function>:" after an error (and naming `null_param` when the
 * variant passed that parameter NULL), the message untouched after
 * success. */
void fx_check_status(fx_ctx *ctx, core_status got, core_status want, const char *null_param);
/* Checks a non-status result (ok is the comparison's truth). */
void fx_check_value(fx_ctx *ctx, int ok, const char *want);
/* A call whose result is not checked (void, or any value) was made. */
void fx_called(fx_ctx *ctx);
/* The call took ownership of p (a destroy): its fixture must not free it. */
void fx_disown(fx_ctx *ctx, const void *p);
/* The smallest element count whose byte size overflows size_t (for
 * elem == 1, the first count past PTRDIFF_MAX, which no object can have). */
size_t fx_overflowing_count(size_t elem);
/* The smallest element count no array can have: its byte size is past
 * PTRDIFF_MAX (the largest object size) but does not overflow. */
size_t fx_unaddressable_count(size_t elem);

/* ---- used by fixtures.c ------------------------------------------------- */

/* Runs fn(p) when the variant ends. */
void fx_defer(fx_ctx *ctx, void (*fn)(void *), void *p);
/* Memory released when the variant ends (exactly `bytes`, so that the
 * sanitizer build catches any access past it). */
void *fx_alloc(fx_ctx *ctx, size_t bytes);
/* A slot for an out-handle (T **out): holds a sentinel before the call,
 * which must still be there after an error ("*out is unchanged on error");
 * a handle written there is released with destroy when the variant ends. */
void **fx_out_slot(fx_ctx *ctx, void (*destroy)(void *));
/* Records a failure of the current variant. */
void fx_fail(fx_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Files written once per run: a raw float32 file and a 16 kHz mono PCM16
 * WAV, in the run's temporary folder, and that folder. */
const char *fx_tmpdir(void);
/* The live cache writer of an in_compute variant (NULL otherwise). */
core_cache_writer_t *fx_current_writer(fx_ctx *ctx);

#endif
