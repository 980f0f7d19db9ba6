/* Out-of-memory scenarios of ring.h: create in its three storage forms
 * (plain, mirrored with its documented fallback, mirror required), create
 * publishing into a metrics registry (all or nothing), and the producer /
 * consumer calls, documented allocation-free after create. */
#include <string.h>

#include "oom.h"

typedef struct ring_ctx {
  core_ring_options_t o;
  core_ring_t *r;
  int out_written; /* create wrote *out although it failed */
  core_metrics_t *m;
} ring_ctx;

static void fill(float *x, size_t n, float base) {
  for (size_t i = 0; i < n; ++i) x[i] = base + (float)i * 0.25f;
}

/* What a ring does: data in, the same data out, its shape. (Whether it is
 * mirrored is left out: a fallback to a plain buffer is documented.) */
static void ring_use(core_ring_t *r, oom_fp *fp) {
  static float x[1500], y[3000];
  static int16_t pcm[200];
  fill(x, 1500, 1.0f);
  for (int i = 0; i < 200; ++i) pcm[i] = (int16_t)(i * 97 - 9000);
  OOM_OK(core_ring_append_f32(r, x, 1500));
  OOM_OK(core_ring_append_i16(r, pcm, 200));
  size_t n = 0;
  OOM_OK(core_ring_read_all(r, y, 3000, &n));
  fp_add(fp, "cap=%zu policy=%d size=%zu ", core_ring_capacity(r), (int)core_ring_get_policy(r),
         n);
  fp_hash(fp, "data", y, n * sizeof(float));
  size_t got = 0;
  OOM_OK(core_ring_pop(r, y, 3000, &got));
  fp_add(fp, "popped=%zu dropped=%llu", got, (unsigned long long)core_ring_dropped(r));
}

static void ring_setup(void *c, size_t cap, core_ring_policy policy, int mirror) {
  ring_ctx *x = c;
  OOM_OK(core_ring_options_init(&x->o));
  x->o.capacity = cap;
  x->o.policy = policy;
  x->o.mirror = mirror;
}
static void setup_plain(void *c) { ring_setup(c, 4096, CORE_RING_REJECT, CORE_RING_MIRROR_OFF); }
static void setup_mirror(void *c) {
  ring_setup(c, 3000, CORE_RING_OVERWRITE, CORE_RING_MIRROR_ON);
}
static void setup_require(void *c) {
  ring_setup(c, 2048, CORE_RING_REJECT, CORE_RING_MIRROR_REQUIRE);
}
static void setup_metrics(void *c) {
  ring_ctx *x = c;
  ring_setup(c, 4096, CORE_RING_REJECT, CORE_RING_MIRROR_OFF);
  OOM_OK(core_metrics_create(NULL, &x->m));
  core_metric_id_t id;
  OOM_OK(core_metrics_counter(x->m, "other.requests", NULL, NULL, 0, &id));
  x->o.metrics = x->m;
  x->o.metrics_prefix = "oom_ring";
}

static core_status op_create(void *c) {
  ring_ctx *x = c;
  core_ring_t *r = OOM_SENTINEL;
  const core_status st = core_ring_create(&x->o, &r);
  if (st == CORE_OK) x->r = r;
  else x->out_written = r != OOM_SENTINEL;
  return st;
}

static void result_ring(void *c, oom_fp *fp) {
  ring_ctx *x = c;
  ring_use(x->r, fp);
}

static void result_mirror_required(void *c, oom_fp *fp) {
  ring_ctx *x = c;
  fp_add(fp, "mirrored=%d ", core_ring_is_mirrored(x->r));
  ring_use(x->r, fp);
}

/* The published metrics after some appends. */
static void result_metrics(void *c, oom_fp *fp) {
  ring_ctx *x = c;
  ring_use(x->r, fp);
  core_metric_id_t id;
  uint64_t v = 0;
  double g = 0;
  fp_add(fp, " metrics=%zu", core_metrics_count(x->m));
  OOM_OK(core_metrics_find(x->m, "oom_ring_appended", &id, NULL));
  OOM_OK(core_metrics_counter_get(x->m, id, &v));
  OOM_OK(core_metrics_find(x->m, "oom_ring_capacity", &id, NULL));
  OOM_OK(core_metrics_gauge_get(x->m, id, &g));
  fp_add(fp, " appended=%llu capacity=%g", (unsigned long long)v, g);
}

static void state_create(void *c, oom_fp *fp) {
  ring_ctx *x = c;
  fp_add(fp, "out_written=%d", x->out_written);
  if (x->m) fp_add(fp, " metrics=%zu", core_metrics_count(x->m));
}

static void teardown_ring(void *c) {
  ring_ctx *x = c;
  core_ring_destroy(x->r);
  core_metrics_destroy(x->m);
}

/* ---- the data path: no allocation after create (ring.h convention 3) ---- */

static void setup_io(void *c) {
  ring_ctx *x = c;
  ring_setup(c, 1000, CORE_RING_OVERWRITE, CORE_RING_MIRROR_OFF);
  OOM_OK(core_ring_create(&x->o, &x->r));
}

static core_status op_io(void *c) {
  ring_ctx *x = c;
  static float in[700], out[1000];
  static int16_t pcm[300];
  fill(in, 700, -3.0f);
  for (int i = 0; i < 300; ++i) pcm[i] = (int16_t)(i * 31);
  core_status st;
  size_t n = 0;
  const float *p1, *p2;
  size_t n1, n2;
  for (int lap = 0; lap < 4; ++lap) { /* past the capacity: OVERWRITE drops */
    if ((st = core_ring_append_f32(x->r, in, 700)) != CORE_OK) return st;
    if ((st = core_ring_append_i16(x->r, pcm, 300)) != CORE_OK) return st;
  }
  if ((st = core_ring_read(x->r, out, 100)) != CORE_OK) return st;
  if ((st = core_ring_read_latest(x->r, out, 200)) != CORE_OK) return st;
  if ((st = core_ring_regions(x->r, &p1, &n1, &p2, &n2)) != CORE_OK) return st;
  if ((st = core_ring_consume(x->r, 50)) != CORE_OK) return st;
  if ((st = core_ring_read_all(x->r, out, 1000, &n)) != CORE_OK) return st;
  if ((st = core_ring_pop(x->r, out, 1000, &n)) != CORE_OK) return st;
  return core_ring_wait_writable(x->r, 10, 0);
}

static void result_io(void *c, oom_fp *fp) {
  ring_ctx *x = c;
  fp_add(fp, "size=%zu dropped=%llu", core_ring_size(x->r),
         (unsigned long long)core_ring_dropped(x->r));
}

static const oom_scenario kRing[] = {
    {.name = "ring_create", .fn = "core_ring_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_plain, .op = op_create, .result = result_ring,
     .state = state_create, .teardown = teardown_ring},
    {.name = "ring_create_mirror_overwrite", .fn = "core_ring_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED | OOM_ABSORBS,
     .why = "a mirror mapping refused: a plain buffer under CORE_RING_MIRROR_ON, ring.h 7",
     .setup = setup_mirror, .op = op_create, .result = result_ring, .state = state_create,
     .teardown = teardown_ring},
    {.name = "ring_create_mirror_require", .fn = "core_ring_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_require, .op = op_create,
     .result = result_mirror_required, .state = state_create, .teardown = teardown_ring},
    {.name = "ring_create_metrics", .fn = "core_ring_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_metrics, .op = op_create, .result = result_metrics,
     .state = state_create, .teardown = teardown_ring},
    {.name = "ring_append_read_pop", .fn = "core_ring_append_f32",
     .also = {"core_ring_pop", "core_ring_read_all"}, .expect = OOM_NONE, .setup = setup_io,
     .op = op_io, .result = result_io, .teardown = teardown_ring},
};

const oom_module oom_ring_module = {"ring", kRing, sizeof kRing / sizeof kRing[0]};
