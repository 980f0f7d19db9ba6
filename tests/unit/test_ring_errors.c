/* Unit tests for ring.h bad input: every NULL, every bad option, sizes that
 * can never fit, reads of more than is there, and out of memory (forced by
 * lowering RLIMIT_AS in Criterion's per-test child). Each error is checked
 * for its status, for the message naming the function, and for the state
 * being left unchanged. */
#include <sys/resource.h>

#include "test_ring_util.h"

Test(ring_errors, null_ring_everywhere) {
  float x[4] = {0};
  int16_t pcm[4] = {0};
  size_t n = 0;
  const float *p = NULL;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_append_f32", "ring is NULL",
         core_ring_append_f32(NULL, x, 4));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_append_i16", core_ring_append_i16(NULL, pcm, 4));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_read", core_ring_read(NULL, x, 4));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_read_all", core_ring_read_all(NULL, x, 4, &n));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_read_latest", core_ring_read_latest(NULL, x, 4));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_regions", core_ring_regions(NULL, &p, &n, &p, &n));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_consume", core_ring_consume(NULL, 1));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_pop", core_ring_pop(NULL, x, 4, &n));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_clear", core_ring_clear(NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_wait_readable", core_ring_wait_readable(NULL, 1, 0));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_wait_writable", core_ring_wait_writable(NULL, 1, 0));
}

Test(ring_errors, null_buffers) {
  core_ring_t *r = ring_make(16, CORE_RING_REJECT, 0);
  push_seq(r, 0, 8);
  size_t n = 77;
  const float *p = NULL;
  float x[4];
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_append_f32", "x is NULL",
         core_ring_append_f32(r, NULL, 3));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_append_i16", "is NULL",
         core_ring_append_i16(r, NULL, 3));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_read", core_ring_read(r, NULL, 3));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_read_latest", core_ring_read_latest(r, NULL, 3));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_read_all", core_ring_read_all(r, NULL, 3, &n));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_read_all", core_ring_read_all(r, x, 4, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_pop", core_ring_pop(r, NULL, 3, &n));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_pop", core_ring_pop(r, x, 3, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_regions", core_ring_regions(r, NULL, &n, &p, &n));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_regions", core_ring_regions(r, &p, NULL, &p, &n));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_regions", core_ring_regions(r, &p, &n, NULL, &n));
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_regions", core_ring_regions(r, &p, &n, &p, NULL));
  cr_assert_eq(n, 77, "an out-parameter was written on error");
  cr_assert_eq(core_ring_size(r), 8, "a failed call changed the ring");
  pop_seq(r, 0, 8);
  core_ring_destroy(r);
}

static core_ring_options_t opts(size_t cap) {
  core_ring_options_t o;
  OK(core_ring_options_init(&o));
  o.capacity = cap;
  return o;
}

Test(ring_errors, bad_options) {
  core_ring_t *r = (core_ring_t *)&r; /* must stay unchanged */
  core_ring_t *const sentinel = r;
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_options_init", core_ring_options_init(NULL));
  core_ring_options_t o = opts(10);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_create", "opts is NULL", core_ring_create(NULL, &r));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_create", "out is NULL", core_ring_create(&o, NULL));
  o = opts(0);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_create", "capacity must be > 0, got 0",
         core_ring_create(&o, &r));
  o = opts(CORE_RING_MAX_CAPACITY + 1);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_create", "CORE_RING_MAX_CAPACITY",
         core_ring_create(&o, &r));
  o = opts(SIZE_MAX);
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_create", core_ring_create(&o, &r));
  o = opts(10);
  o.policy = (core_ring_policy)2;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_create", "policy", core_ring_create(&o, &r));
  o = opts(10);
  o.policy = (core_ring_policy)-1;
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_create", core_ring_create(&o, &r));
  o = opts(10);
  o.mirror = 3;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_create", "mirror", core_ring_create(&o, &r));
  o = opts(10);
  o.mirror = -1;
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_create", core_ring_create(&o, &r));
  /* struct_size: forgotten init, an impossible layout, a newer libcore's. */
  core_ring_options_t raw = {0};
  raw.capacity = 10;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_create", "struct_size",
         core_ring_create(&raw, &r));
  o = opts(10);
  o.struct_size = sizeof o - 1;
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_create", core_ring_create(&o, &r));
  o = opts(10);
  o.struct_size = sizeof o + 8;
  ERRMSG(CORE_E_UNSUPPORTED, "core_ring_create", "newer", core_ring_create(&o, &r));
  cr_assert_eq(r, sentinel, "*out was written by a failing create");
}

Test(ring_errors, out_of_memory) {
  /* 1 GiB of samples under a 256 MiB address-space limit. */
  struct rlimit old, small;
  cr_assert_eq(getrlimit(RLIMIT_AS, &old), 0);
  small = old;
  small.rlim_cur = (rlim_t)256 << 20;
  cr_assert_eq(setrlimit(RLIMIT_AS, &small), 0);
  core_ring_t *r = NULL;
  core_ring_options_t o = opts((size_t)1 << 28);
  const core_status st = core_ring_create(&o, &r);
  o.policy = CORE_RING_OVERWRITE;
  o.mirror = CORE_RING_MIRROR_ON;
  const core_status st2 = core_ring_create(&o, &r);
  const int has_msg = tu_message_has("core_ring_create");
  cr_assert_eq(setrlimit(RLIMIT_AS, &old), 0);
  cr_expect_eq(st, CORE_E_OUT_OF_MEMORY, "%s", core_status_str(st));
  cr_expect_eq(st2, CORE_E_OUT_OF_MEMORY, "%s", core_status_str(st2));
  cr_expect(has_msg, "%s", core_last_error_message());
  cr_assert_null(r);
}

Test(ring_errors, reject_append_that_can_never_fit) {
  core_ring_t *r = ring_make(100, CORE_RING_REJECT, 0);
  float *x = fbuf(101);
  int16_t pcm[101] = {0};
  seq_fill(x, 0, 101);
  ERRMSG(CORE_E_FULL, "core_ring_append_f32", "can never fit", core_ring_append_f32(r, x, 101));
  ERRMSG(CORE_E_FULL, "core_ring_append_i16", "can never fit", core_ring_append_i16(r, pcm, 101));
  cr_assert_eq(core_ring_size(r), 0);
  push_seq(r, 0, 60);
  ERRMSG(CORE_E_FULL, "core_ring_append_f32", "40 of 100 free", core_ring_append_f32(r, x, 41));
  cr_assert(tu_message_has("nothing written"));
  cr_assert_eq(core_ring_size(r), 60);
  pop_seq(r, 0, 60);
  free(x);
  core_ring_destroy(r);
}

Test(ring_errors, reading_more_than_is_there) {
  for (int policy = 0; policy <= 1; ++policy) {
    core_ring_t *r = ring_make(100, (core_ring_policy)policy, 0);
    push_seq(r, 0, 30);
    float out[200];
    size_t n = 0;
    ERRMSG(CORE_E_EMPTY, "core_ring_read", "only 30 readable", core_ring_read(r, out, 31));
    ERRMSG(CORE_E_EMPTY, "core_ring_read", "never readable", core_ring_read(r, out, 101));
    ERRMSG(CORE_E_EMPTY, "core_ring_read_latest", "only 30",
           core_ring_read_latest(r, out, 31));
    ERRMSG(CORE_E_EMPTY, "core_ring_consume", "nothing consumed", core_ring_consume(r, 31));
    ERRMSG(CORE_E_BUFFER_TOO_SMALL, "core_ring_read_all", "30 samples",
           core_ring_read_all(r, out, 29, &n));
    cr_assert_eq(n, 30, "read_all must write the size needed");
    cr_assert_eq(core_ring_size(r), 30, "a failed read consumed something");
    pop_seq(r, 0, 30);
    size_t got = 5;
    ERRMSG(CORE_E_EMPTY, "core_ring_pop", "empty", core_ring_pop(r, out, 1, &got));
    cr_assert_eq(got, 0);
    ERR(CORE_E_EMPTY, "core_ring_consume", core_ring_consume(r, 1));
    OK(core_ring_consume(r, 0));
    core_ring_destroy(r);
  }
}

Test(ring_errors, waits_that_could_never_end) {
  core_ring_t *r = ring_make(100, CORE_RING_REJECT, 0);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_wait_readable", "never end",
         core_ring_wait_readable(r, 101, -1));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_wait_writable", "never end",
         core_ring_wait_writable(r, 101, -1));
  ERRMSG(CORE_E_EMPTY, "core_ring_wait_readable", "timed out", core_ring_wait_readable(r, 1, 0));
  push_seq(r, 0, 100);
  ERRMSG(CORE_E_FULL, "core_ring_wait_writable", "timed out", core_ring_wait_writable(r, 1, 0));
  core_ring_destroy(r);
}

/* Repeated identical failures skip re-formatting the message (the polling
 * path); the message must still always describe the latest failure. */
Test(ring_errors, repeated_failures_keep_the_right_message) {
  core_ring_t *r = ring_make(100, CORE_RING_REJECT, 0);
  float out[8];
  size_t got = 0;
  for (int i = 0; i < 3; ++i) {
    ERRMSG(CORE_E_EMPTY, "core_ring_read", "n = 8 but only 0", core_ring_read(r, out, 8));
    ERRMSG(CORE_E_EMPTY, "core_ring_read_latest", "n = 8 but only 0",
           core_ring_read_latest(r, out, 8));
    ERRMSG(CORE_E_EMPTY, "core_ring_pop", "asked for 8", core_ring_pop(r, out, 8, &got));
    /* Another function fails in between... */
    ERR(CORE_E_INVALID_ARGUMENT, "core_stats_f32", core_stats_f32(NULL, 3, CORE_NAN_OMIT, NULL));
    /* ...and the same ring failure again must say so again. */
    ERRMSG(CORE_E_EMPTY, "core_ring_pop", "asked for 8", core_ring_pop(r, out, 8, &got));
    ERRMSG(CORE_E_EMPTY, "core_ring_pop", "asked for 7", core_ring_pop(r, out, 7, &got));
  }
  push_seq(r, 0, 100);
  ERRMSG(CORE_E_FULL, "core_ring_append_f32", "0 of 100 free", core_ring_append_f32(r, out, 1));
  OK(core_ring_consume(r, 1));
  ERRMSG(CORE_E_FULL, "core_ring_append_f32", "1 of 100 free", core_ring_append_f32(r, out, 2));
  ERRMSG(CORE_E_FULL, "core_ring_append_i16", "1 of 100 free",
         core_ring_append_i16(r, (const int16_t *)out, 2));
  core_ring_destroy(r);
}
