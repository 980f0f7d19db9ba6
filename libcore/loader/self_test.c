/* The check a native table passes before the loader accepts it: the same
 * summaries through libcore.so and through the portable fallback. A library
 * that loads but computes something else (a broken build, a mismatched
 * struct layout, a wrong status numbering) must not be used silently. */
#include <math.h>
#include <stdio.h>

#include "libcore/loader/loader_internal.h"
#include "libcore/loader/table.h"

enum { kSelfTestN = 1031 }; /* not a multiple of any SIMD width */

static int close_enough(double a, double b) {
  return a == b || fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b));
}

/* 0 and a reason when two summaries of the same data disagree. */
static int same_summary(const char *fn, const core_stats_t *native,
                        const core_stats_t *portable, char *why, size_t cap) {
  const char *field = NULL;
  double got = 0, want = 0;
  if (native->count != portable->count || native->nan_count != portable->nan_count) {
    field = "count", got = (double)native->count, want = (double)portable->count;
  } else if (native->min != portable->min) {
    field = "min", got = native->min, want = portable->min;
  } else if (native->max != portable->max) {
    field = "max", got = native->max, want = portable->max;
  } else if (!close_enough(native->mean, portable->mean)) {
    field = "mean", got = native->mean, want = portable->mean;
  } else if (!close_enough(native->m2, portable->m2)) {
    field = "m2", got = native->m2, want = portable->m2;
  }
  if (field == NULL) return 1;
  snprintf(why, cap, "self-test: %s %s %.17g differs from the portable %.17g", fn, field, got,
           want);
  return 0;
}

int core_loader_self_test(const core_api_t *native, char *why, size_t cap) {
  const core_api_t *portable = &core_loader_fallback_table;
  double x64[kSelfTestN];
  float x32[kSelfTestN];
  core_stats_t a, b;
  core_status st;
  int i;

  /* Deterministic, offset from zero, with a NaN to exercise the policy. */
  for (i = 0; i < kSelfTestN; ++i) {
    x64[i] = 100.0 + (double)((i * 7919) % 1000) / 1000.0;
    x32[i] = (float)x64[i];
  }
  x64[17] = NAN;
  x32[17] = NAN;

  st = native->stats_f64(x64, kSelfTestN, CORE_NAN_OMIT, &a);
  if (st != CORE_OK || portable->stats_f64(x64, kSelfTestN, CORE_NAN_OMIT, &b) != CORE_OK) {
    snprintf(why, cap, "self-test: core_stats_f64 returned status %d", (int)st);
    return 0;
  }
  if (!same_summary("core_stats_f64", &a, &b, why, cap)) return 0;

  st = native->stats_f32(x32, kSelfTestN, CORE_NAN_OMIT, &a);
  if (st != CORE_OK || portable->stats_f32(x32, kSelfTestN, CORE_NAN_OMIT, &b) != CORE_OK) {
    snprintf(why, cap, "self-test: core_stats_f32 returned status %d", (int)st);
    return 0;
  }
  if (!same_summary("core_stats_f32", &a, &b, why, cap)) return 0;

  /* The status numbering is part of the contract too. */
  st = native->stats_f64(NULL, 1, CORE_NAN_OMIT, &a);
  if (st != CORE_E_INVALID_ARGUMENT) {
    snprintf(why, cap, "self-test: core_stats_f64(NULL, 1) returned status %d, want %d",
             (int)st, (int)CORE_E_INVALID_ARGUMENT);
    return 0;
  }
  return 1;
}
