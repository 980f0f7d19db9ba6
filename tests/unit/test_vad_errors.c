/* Unit tests for the VAD's bad input: every NULL, every option out of its
 * range, handles that are not live detectors, calls in the wrong state and
 * buffers too small. Each error is checked for its status, for the message
 * naming the function and what was wrong, and for outputs left unchanged. */
#include "test_vad_util.h"

static core_vad_options_t opts(void) { return vu_opts(); }

/* core_vad_create and core_vad_segments both refuse `o` with `needle`. */
static void refused(core_vad_options_t o, core_status status, const char *needle) {
  core_vad_t *v = (core_vad_t *)&v;
  core_vad_t *const sentinel = v;
  ERRMSG(status, "core_vad_create", needle, core_vad_create(&o, &v));
  cr_assert_eq(v, sentinel, "*out was written on error");
  const float x[4] = {0};
  core_segment_t out[2] = {{7, 8}, {9, 10}};
  size_t count = 99;
  ERRMSG(status, "core_vad_segments", needle, core_vad_segments(x, 4, &o, out, 2, &count));
  cr_assert_eq(count, 99, "*count was written on error");
  cr_assert_eq(out[0].start, 7, "out was written on error");
}

Test(vad_errors, options_null_and_unknown_preset) {
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_options_init", "opts is NULL",
         core_vad_options_init(NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_options_preset", "opts is NULL",
         core_vad_options_preset(NULL, CORE_VAD_PRESET_DEFAULT));
  core_vad_options_t o;
  memset(&o, 0x5a, sizeof o);
  const core_vad_options_t before = o;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_options_preset", "unknown preset 3",
         core_vad_options_preset(&o, 3));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_options_preset", "unknown preset -1",
         core_vad_options_preset(&o, -1));
  cr_assert(memcmp(&o, &before, sizeof o) == 0, "an unknown preset changed the options");
}

Test(vad_errors, create_nulls) {
  core_vad_options_t o = opts();
  core_vad_t *v = NULL;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_create", "opts is NULL", core_vad_create(NULL, &v));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_create", "out is NULL", core_vad_create(&o, NULL));
  cr_assert_null(v);
}

Test(vad_errors, struct_size) {
  core_vad_options_t o = opts();
  o.struct_size = 0;
  refused(o, CORE_E_INVALID_ARGUMENT, "smaller than any core_vad_options_t layout");
  o.struct_size = sizeof o - 4;
  refused(o, CORE_E_INVALID_ARGUMENT, "smaller than any core_vad_options_t layout");
  o.struct_size = sizeof o + 8;
  refused(o, CORE_E_UNSUPPORTED, "newer libcore");
}

Test(vad_errors, sample_rate_and_frame) {
  core_vad_options_t o = opts();
  o.sample_rate = 7999;
  refused(o, CORE_E_INVALID_ARGUMENT, "sample_rate must be 8000 .. 192000 Hz, got 7999");
  o.sample_rate = 192001;
  refused(o, CORE_E_INVALID_ARGUMENT, "got 192001");
  o.sample_rate = 0;
  refused(o, CORE_E_INVALID_ARGUMENT, "got 0");
  const unsigned bad_frames[] = {0, 5, 15, 25, 40, 32};
  for (size_t i = 0; i < 6; ++i) {
    o = opts();
    o.frame_ms = bad_frames[i];
    char needle[64];
    snprintf(needle, sizeof needle, "frame_ms must be 10, 20 or 30, got %u", bad_frames[i]);
    refused(o, CORE_E_INVALID_ARGUMENT, needle);
  }
  /* 8001 Hz * 10 ms = 80.01 samples; 22050 Hz works with 20 ms only */
  o = opts();
  o.sample_rate = 8001;
  o.frame_ms = 10;
  refused(o, CORE_E_INVALID_ARGUMENT, "does not give whole frames");
  o.sample_rate = 22050;
  o.frame_ms = 30;
  refused(o, CORE_E_INVALID_ARGUMENT, "sample_rate 22050 Hz does not give whole frames of 30 ms");
  o.frame_ms = 20;
  core_vad_t *v = vu_make(&o);
  core_vad_destroy(v);
}

Test(vad_errors, thresholds) {
  const float bad[] = {0.0f, 1.0f, -0.1f, 1.5f, NAN, INFINITY, -INFINITY};
  for (size_t i = 0; i < 7; ++i) {
    core_vad_options_t o = opts();
    o.threshold = bad[i];
    refused(o, CORE_E_INVALID_ARGUMENT, "threshold must be in (0, 1)");
  }
  const float bad_neg[] = {0.5f, 0.6f, -0.1f, NAN, INFINITY};
  for (size_t i = 0; i < 5; ++i) {
    core_vad_options_t o = opts();
    o.neg_threshold = bad_neg[i];
    refused(o, CORE_E_INVALID_ARGUMENT, "neg_threshold must be below threshold (0.5)");
  }
  /* at the edges: accepted */
  core_vad_options_t o = opts();
  o.threshold = 0.001f; /* default exit: half of it */
  core_vad_destroy(vu_make(&o));
  o.threshold = 0.999f;
  o.neg_threshold = 0.998f;
  core_vad_destroy(vu_make(&o));
}

Test(vad_errors, max_speech_too_short) {
  core_vad_options_t o = opts();
  o.max_speech_ms = 369; /* 250 + 2 * 30 + 2 * 30 = 370 */
  refused(o, CORE_E_INVALID_ARGUMENT,
          "max_speech_ms must be 0 (no limit) or at least min_speech_ms + 2 * speech_pad_ms + "
          "2 * frame_ms = 370, got 369");
  o.max_speech_ms = 370;
  core_vad_destroy(vu_make(&o));
  /* no overflow with the largest fields */
  o.min_speech_ms = UINT32_MAX;
  o.speech_pad_ms = UINT32_MAX;
  o.max_speech_ms = UINT32_MAX;
  refused(o, CORE_E_INVALID_ARGUMENT, "max_speech_ms must be 0 (no limit) or at least");
}

/* A detector-shaped block that is not a live core_vad_t (destroyed, or
 * never created): its magic number is wrong. */
Test(vad_errors, null_and_dead_handles) {
  float x[4] = {0};
  core_segment_t seg = {1, 2};
  uint64_t start = 5;
  static uint64_t fake[64]; /* zeros: not the magic */
  core_vad_t *dead = (core_vad_t *)fake;
  core_vad_t *handles[] = {NULL, dead};
  const char *needles[] = {"vad is NULL", "not a live core_vad_t"};
  for (int i = 0; i < 2; ++i) {
    core_vad_t *h = handles[i];
    ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_push", needles[i], core_vad_push(h, x, 4));
    ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_flush", needles[i], core_vad_flush(h));
    ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_next_segment", needles[i],
           core_vad_next_segment(h, &seg));
    ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_open_segment", needles[i],
           core_vad_open_segment(h, &start));
    ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_reset", needles[i], core_vad_reset(h));
  }
  cr_assert(seg.start == 1 && seg.end == 2 && start == 5, "an output was written on error");
  core_vad_destroy(NULL);
  core_vad_destroy(dead); /* not ours: ignored */
}

Test(vad_errors, null_buffers) {
  core_vad_options_t o = opts();
  core_vad_t *v = vu_make(&o);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_push", "x is NULL but its length is 3",
         core_vad_push(v, NULL, 3));
  OK(core_vad_push(v, NULL, 0));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_next_segment", "out is NULL",
         core_vad_next_segment(v, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_open_segment", "start is NULL",
         core_vad_open_segment(v, NULL));
  core_vad_destroy(v);
}

Test(vad_errors, empty_is_reported_with_a_message) {
  core_vad_options_t o = opts();
  core_vad_t *v = vu_make(&o);
  core_segment_t seg = {1, 2};
  uint64_t start = 5;
  ERRMSG(CORE_E_EMPTY, "core_vad_next_segment", "no finished segment",
         core_vad_next_segment(v, &seg));
  ERRMSG(CORE_E_EMPTY, "core_vad_open_segment", "no segment is open",
         core_vad_open_segment(v, &start));
  cr_assert(seg.start == 1 && seg.end == 2 && start == 5, "an output was written when empty");
  core_vad_destroy(v);
}

Test(vad_errors, push_after_flush_until_reset) {
  core_vad_options_t o = opts();
  core_vad_t *v = vu_make(&o);
  float x[480] = {0};
  OK(core_vad_push(v, x, 480));
  OK(core_vad_flush(v));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_push", "push after flush", core_vad_push(v, x, 480));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_push", "core_vad_reset", core_vad_push(v, x, 0));
  OK(core_vad_flush(v)); /* a second flush is fine */
  OK(core_vad_reset(v));
  OK(core_vad_push(v, x, 480));
  core_vad_destroy(v);
}

Test(vad_errors, segments_arguments) {
  core_vad_options_t o = opts();
  const float x[4] = {0};
  core_segment_t out[2];
  size_t count = 99;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_segments", "opts is NULL",
         core_vad_segments(x, 4, NULL, out, 2, &count));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_segments", "count is NULL",
         core_vad_segments(x, 4, &o, out, 2, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_segments", "x is NULL but its length is 4",
         core_vad_segments(NULL, 4, &o, out, 2, &count));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_vad_segments", "out is NULL but cap is 2",
         core_vad_segments(x, 4, &o, NULL, 2, &count));
  cr_assert_eq(count, 99);
  OK(core_vad_segments(NULL, 0, &o, NULL, 0, &count)); /* nothing in, nothing out */
  cr_assert_eq(count, 0);
}

/* Three voices, room for two: the count is written, out is not touched. */
Test(vad_errors, segments_buffer_too_small) {
  const size_t n = 16000 * 5;
  float *x = calloc(n, sizeof(float));
  cr_assert_not_null(x);
  vu_add_noise(x, n, 1e-3, 1);
  for (int k = 0; k < 3; ++k)
    vu_add_voice(x, (size_t)(16000 * (0.5 + 1.5 * k)), 16000, 16000, 0.05);
  core_vad_options_t o = opts();
  core_segment_t out[3] = {{7, 8}, {7, 8}, {7, 8}};
  size_t count = 0;
  ERRMSG(CORE_E_BUFFER_TOO_SMALL, "core_vad_segments", "found 3 segments, more than cap = 2",
         core_vad_segments(x, n, &o, out, 2, &count));
  cr_assert_eq(count, 3, "the needed count is %zu", count);
  cr_assert(out[0].start == 7 && out[1].start == 7, "out was written");
  ERRMSG(CORE_E_BUFFER_TOO_SMALL, "core_vad_segments", "cap = 0",
         core_vad_segments(x, n, &o, NULL, 0, &count));
  OK(core_vad_segments(x, n, &o, out, 3, &count));
  cr_assert_eq(count, 3);
  free(x);
}
