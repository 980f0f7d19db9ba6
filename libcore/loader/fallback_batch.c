/* Portable batch statistics (batch.h): many arrays, the frames of one
 * signal, and the streaming accumulator. Files are in fallback_batch_file.c.
 *
 * Every summary is the fallback's core_fb_stats_* of the same values, as
 * every summary of the library's batch module is its core_stats_*:
 *  - core_fb_batch_stats_* and core_fb_stats_frames_* call core_fb_stats_*
 *    once per array or frame, serially (the library's tasks and thread
 *    counts change nothing in its results, so nothing is lost but speed);
 *  - the accumulator follows libcore/batch/accumulator.cpp step by step on
 *    the same core_stats_acc_t: the values of the unfinished block wait in
 *    acc->pending, each full block goes through the fallback's block kernel
 *    (core_fb_block_kernel, the one core_fb_stats_* uses), becomes a leaf
 *    whose mean is an offset from the reference K (the first finite block
 *    shift), and leaves are merged on the stack with core_fb_summary_merge
 *    while they are siblings: in the midpoint tree of fallback_stats.c when
 *    the total is declared, in the binary-counter tree otherwise. So
 *    batch.h's guarantees (a), (b) and (c) hold relative to core_fb_stats_*,
 *    and the fallback's accumulator is as close to the library's as the
 *    fallback's core_stats_* is to the library's.
 * Argument checks, statuses and messages are those of libcore/abi/batch.cpp.
 * An accumulator filled by one backend must not be handed to the other
 * (their block roundings differ); the struct layout is the same. */
#include "libcore/loader/fallback_util.h"

/* libcore/batch/batch.h: kAccMagic ("core-acc") and the dtype tags. */
#define FB_ACC_MAGIC UINT64_C(0x636f72652d616363)
enum { FB_ACC_NONE = 0, FB_ACC_F32 = 1, FB_ACC_F64 = 2 };

_Static_assert(CORE_STATS_ACC_BLOCK == 2048 && FB_BLOCK == 2048,
               "the accumulator buffers one reduction block");
_Static_assert(sizeof(core_stats_acc_t) == 21120, "core_stats_acc_t changed size");

/* ---- many arrays ------------------------------------------------------------ */

#define FB_BATCH(sfx, T)                                                                  \
  core_status core_fb_batch_stats_##sfx(const T *const *arrays, const size_t *lens,      \
                                        size_t count, core_nan_policy nan,               \
                                        core_stats_t *out) {                             \
    static const char *const fb_fn = "core_batch_stats_" #sfx;                           \
    size_t i, total = 0, out_bytes;                                                      \
    FB_REQUIRE_NAN_POLICY(nan);                                                          \
    if (count == 0) return CORE_OK;                                                      \
    FB_REQUIRE_OUT(arrays);                                                              \
    FB_REQUIRE_OUT(lens);                                                                \
    FB_REQUIRE_OUT(out);                                                                 \
    /* Every array is checked before anything is computed, so an error leaves \
     * out untouched. */                                                                 \
    for (i = 0; i < count; ++i) {                                                        \
      FB_REQUIRE(arrays[i] != NULL || lens[i] == 0, "arrays[%zu] is NULL but lens[%zu] = %zu", \
                 i, i, lens[i]);                                                         \
      FB_REQUIRE(lens[i] <= SIZE_MAX - total,                                            \
                 "the sum of lens overflows size_t at lens[%zu] = %zu", i, lens[i]);     \
      total += lens[i];                                                                  \
    }                                                                                    \
    out_bytes = fb_bytes(count, sizeof(core_stats_t));                                   \
    FB_REQUIRE(!fb_overlaps(out, out_bytes, arrays, fb_bytes(count, sizeof *arrays)) &&  \
                   !fb_overlaps(out, out_bytes, lens, fb_bytes(count, sizeof *lens)),    \
               "out overlaps arrays or lens");                                           \
    /* Cannot fail now: the policy is valid and every array is non-NULL or empty. */     \
    for (i = 0; i < count; ++i) (void)core_fb_stats_##sfx(arrays[i], lens[i], nan, &out[i]); \
    return CORE_OK;                                                                      \
  }
FB_BATCH(f32, float)
FB_BATCH(f64, double)

/* ---- frames of one signal ---------------------------------------------------- */

/* The checks core_stats_frames_len and core_stats_frames_* share. */
#define FB_REQUIRE_FRAMES(n, frame, hop)                                                  \
  do {                                                                                    \
    FB_REQUIRE((frame) > 0, "frame must be > 0");                                         \
    FB_REQUIRE((hop) > 0, "hop must be > 0");                                             \
    FB_REQUIRE((frame) <= (n), "frame = %zu is longer than the signal, n = %zu", (frame), \
               (n));                                                                      \
  } while (0)

/* 1 + (n - frame) / hop: whole frames only (batch.h convention 3). */
static size_t frame_count(size_t n, size_t frame, size_t hop) {
  return 1 + (n - frame) / hop;
}

core_status core_fb_stats_frames_len(size_t n, size_t frame, size_t hop, size_t *frames) {
  static const char *const fb_fn = "core_stats_frames_len";
  FB_REQUIRE_OUT(frames);
  FB_REQUIRE_FRAMES(n, frame, hop);
  *frames = frame_count(n, frame, hop);
  return CORE_OK;
}

#define FB_FRAMES(sfx, T)                                                                 \
  core_status core_fb_stats_frames_##sfx(const T *x, size_t n, size_t frame, size_t hop, \
                                         core_stats_t *out, size_t cap, size_t *frames) { \
    static const char *const fb_fn = "core_stats_frames_" #sfx;                          \
    size_t need, i;                                                                      \
    FB_REQUIRE_OUT(frames);                                                              \
    FB_REQUIRE_ARRAY(x, n);                                                              \
    FB_REQUIRE_ARRAY(out, cap);                                                          \
    FB_REQUIRE_FRAMES(n, frame, hop);                                                    \
    need = frame_count(n, frame, hop);                                                   \
    if (cap < need) {                                                                    \
      *frames = need;                                                                    \
      core_fb_set_error(fb_fn, "cap is %zu but there are %zu frames", cap, need);        \
      return CORE_E_BUFFER_TOO_SMALL;                                                    \
    }                                                                                    \
    FB_REQUIRE(!fb_overlaps(x, fb_bytes(n, sizeof(T)), out,                              \
                            fb_bytes(need, sizeof(core_stats_t))),                       \
               "out overlaps x");                                                        \
    /* Cannot fail: every frame lies inside x, and the policy is a valid one. */         \
    for (i = 0; i < need; ++i)                                                           \
      (void)core_fb_stats_##sfx(x + i * hop, frame, CORE_NAN_PROPAGATE, &out[i]);        \
    *frames = need;                                                                      \
    return CORE_OK;                                                                      \
  }
FB_FRAMES(f32, float)
FB_FRAMES(f64, double)

/* ---- the accumulator: the block tree ------------------------------------------ */

typedef core_stats_acc_node_t fb_node;

static core_stats_t to_stats(const fb_node *n) {
  core_stats_t s;
  s.count = n->count;
  s.nan_count = n->nan_count;
  s.min = n->min;
  s.max = n->max;
  s.sum = n->sum;
  s.mean = n->mean;
  s.m2 = n->m2;
  return s;
}

static fb_node to_node(uint64_t begin, uint64_t end, const core_stats_t *s) {
  fb_node n;
  n.begin = begin;
  n.end = end;
  n.count = s->count;
  n.nan_count = s->nan_count;
  n.min = s->min;
  n.max = s->max;
  n.sum = s->sum;
  n.mean = s->mean;
  n.m2 = s->m2;
  return n;
}

/* Whether [a, e) is a node of the tree over blocks [0, n) that
 * fallback_stats.c's tree() builds: [lo, hi) splits at lo + (hi - lo) / 2. */
static int is_node(uint64_t a, uint64_t e, uint64_t n) {
  uint64_t lo = 0, hi = n;
  while (lo != a || hi != e) {
    uint64_t mid;
    if (hi - lo <= 1) return 0;
    mid = lo + (hi - lo) / 2;
    if (e <= mid)
      hi = mid;
    else if (a >= mid)
      lo = mid;
    else
      return 0;
  }
  return 1;
}

/* Whether l and r (adjacent, l first) are the two children of one node.
 * nblocks == 0: length unknown, the binary-counter tree. */
static int siblings(const fb_node *l, const fb_node *r, uint64_t nblocks) {
  if (nblocks == 0) {
    const uint64_t size = l->end - l->begin;
    return r->end - r->begin == size && l->begin % (2 * size) == 0;
  }
  return l->begin + (r->end - l->begin) / 2 == l->end && is_node(l->begin, r->end, nblocks);
}

/* The merge state: the accumulator's own, or copies (result() must not
 * modify the accumulator). */
typedef struct fb_tree {
  fb_node *stack;
  uint64_t *depth;
  double *ref;
  uint64_t *has_ref;
  uint64_t nblocks; /* 0 = unknown */
} fb_tree;

static void add_leaf(const fb_tree *t, uint64_t block, const fb_block *m) {
  core_stats_t s;
  fb_node n;
  if (!*t->has_ref && isfinite(m->shift)) {
    *t->ref = m->shift;
    *t->has_ref = 1;
  }
  /* A block before the reference has a non-finite shift, so its offset mean
   * is the same for every finite reference: 0 will do. */
  s = core_fb_summary_of_block(m, *t->has_ref ? *t->ref : 0.0);
  n = to_node(block, block + 1, &s);
  while (*t->depth > 0 && siblings(&t->stack[*t->depth - 1], &n, t->nblocks)) {
    const core_stats_t l = to_stats(&t->stack[*t->depth - 1]), r = to_stats(&n);
    const core_stats_t lr = core_fb_summary_merge(&l, &r);
    n = to_node(t->stack[*t->depth - 1].begin, n.end, &lr);
    --*t->depth;
  }
  /* Depth <= 1 + log2(blocks) <= 54 for 2^64 values (either tree); only a
   * corrupted accumulator reaches the array's end: fold into the top node
   * rather than write past it (as libcore/batch/accumulator.cpp does). */
  if (*t->depth == CORE_STATS_ACC_DEPTH) {
    const core_stats_t l = to_stats(&t->stack[*t->depth - 1]), r = to_stats(&n);
    const core_stats_t lr = core_fb_summary_merge(&l, &r);
    n = to_node(t->stack[*t->depth - 1].begin, n.end, &lr);
    --*t->depth;
  }
  t->stack[(*t->depth)++] = n;
}

static uint64_t tree_blocks(const core_stats_acc_t *acc) {
  return acc->total == 0 ? 0 : (acc->total + FB_BLOCK - 1) / FB_BLOCK;
}

static fb_tree tree_of(core_stats_acc_t *acc) {
  fb_tree t;
  t.stack = acc->stack;
  t.depth = &acc->depth;
  t.ref = &acc->ref;
  t.has_ref = &acc->has_ref;
  t.nblocks = tree_blocks(acc);
  return t;
}

/* ---- the accumulator: unchecked operations -------------------------------------- */

void core_fb_acc_start(core_stats_acc_t *acc, int omit, uint64_t total) {
  const core_stats_t empty = core_fb_summary_empty(0);
  memset(acc, 0, sizeof *acc);
  acc->magic = FB_ACC_MAGIC;
  acc->nan_policy = omit ? CORE_NAN_OMIT : CORE_NAN_PROPAGATE;
  acc->dtype = FB_ACC_NONE;
  acc->total = total;
  acc->base = to_node(0, 0, &empty);
}

/* Appends x[0, n) of elements of `elem` bytes (the dtype already checked). */
static void acc_add(core_stats_acc_t *acc, const void *xv, size_t n, int f64) {
  const size_t elem = f64 ? sizeof(double) : sizeof(float);
  const int omit = acc->nan_policy == CORE_NAN_OMIT;
  const fb_block_fn kernel = core_fb_block_kernel(f64);
  const fb_tree tree = tree_of(acc);
  char *buf = f64 ? (char *)acc->pending.f64 : (char *)acc->pending.f32;
  const char *x = (const char *)xv;
  const size_t fill = (size_t)(acc->pushed % FB_BLOCK);
  size_t whole, rest, b;
  fb_block m;
  if (n == 0) return;
  acc->dtype = f64 ? FB_ACC_F64 : FB_ACC_F32;
  if (fill != 0) { /* top up the unfinished block first */
    const size_t take = n < FB_BLOCK - fill ? n : FB_BLOCK - fill;
    memcpy(buf + fill * elem, x, take * elem);
    acc->pushed += take;
    x += take * elem;
    n -= take;
    if (fill + take < FB_BLOCK) return;
    kernel(buf, FB_BLOCK, omit, &m);
    add_leaf(&tree, acc->pushed / FB_BLOCK - 1, &m);
  }
  /* On a block boundary now: whole blocks are read in place, the rest
   * waits in the buffer. */
  whole = n / FB_BLOCK;
  for (b = 0; b < whole; ++b) {
    kernel(x + b * FB_BLOCK * elem, FB_BLOCK, omit, &m);
    add_leaf(&tree, acc->pushed / FB_BLOCK, &m);
    acc->pushed += FB_BLOCK;
  }
  rest = n - whole * FB_BLOCK;
  if (rest != 0) memcpy(buf, x + whole * FB_BLOCK * elem, rest * elem);
  acc->pushed += rest;
}

void core_fb_acc_add_f32(core_stats_acc_t *acc, const float *x, size_t n) {
  acc_add(acc, x, n, 0);
}

core_stats_t core_fb_acc_summary(const core_stats_acc_t *acc) {
  /* Work on copies: the unfinished block becomes the last leaf here only. */
  fb_node stack[CORE_STATS_ACC_DEPTH];
  uint64_t depth = acc->depth, has_ref = acc->has_ref, i;
  double ref = acc->ref;
  const size_t fill = (size_t)(acc->pushed % FB_BLOCK);
  core_stats_t s = core_fb_summary_empty(0), base;
  fb_tree tree;
  memcpy(stack, acc->stack, (size_t)depth * sizeof(fb_node));
  tree.stack = stack;
  tree.depth = &depth;
  tree.ref = &ref;
  tree.has_ref = &has_ref;
  tree.nblocks = tree_blocks(acc);
  if (fill != 0) {
    const int f64 = acc->dtype == FB_ACC_F64;
    fb_block m;
    core_fb_block_kernel(f64)(f64 ? (const void *)acc->pending.f64
                                  : (const void *)acc->pending.f32,
                              fill, acc->nan_policy == CORE_NAN_OMIT, &m);
    add_leaf(&tree, acc->pushed / FB_BLOCK, &m);
  }
  if (depth != 0) {
    s = to_stats(&stack[depth - 1]);
    for (i = depth - 1; i > 0; --i) {
      const core_stats_t l = to_stats(&stack[i - 1]);
      s = core_fb_summary_merge(&l, &s);
    }
    if (s.count == 0)
      s = core_fb_summary_empty(s.nan_count);
    else
      s.mean = (has_ref ? ref : 0.0) + s.mean;
  }
  /* The base is the empty summary until a merge, and merging with it is
   * exact. */
  base = to_stats(&acc->base);
  return core_fb_summary_merge(&base, &s);
}

/* ---- the accumulator: public functions -------------------------------------------- */

/* An accumulator is caller memory: besides the magic set by init, check the
 * fields the code indexes with, so a corrupted one is refused, not trusted. */
#define FB_REQUIRE_ACC(acc)                                                                \
  do {                                                                                     \
    FB_REQUIRE_OUT(acc);                                                                   \
    FB_REQUIRE((acc)->magic == FB_ACC_MAGIC,                                               \
               "%s is not initialized (call core_stats_acc_init first)", #acc);            \
    FB_REQUIRE((acc)->depth <= CORE_STATS_ACC_DEPTH && (acc)->dtype <= FB_ACC_F64 &&       \
                   (acc)->nan_policy <= CORE_NAN_OMIT &&                                   \
                   ((acc)->total == 0 || (acc)->pushed <= (acc)->total),                   \
               "%s is corrupted (a field is out of range)", #acc);                         \
  } while (0)

core_status core_fb_stats_acc_init(core_stats_acc_t *acc, core_nan_policy nan,
                                   uint64_t total) {
  static const char *const fb_fn = "core_stats_acc_init";
  FB_REQUIRE_OUT(acc);
  FB_REQUIRE_NAN_POLICY(nan);
  core_fb_acc_start(acc, nan == CORE_NAN_OMIT, total);
  return CORE_OK;
}

#define FB_ACC_PUSH(sfx, T, MINE)                                                          \
  core_status core_fb_stats_acc_push_##sfx(core_stats_acc_t *acc, const T *x, size_t n) {  \
    static const char *const fb_fn = "core_stats_acc_push_" #sfx;                         \
    FB_REQUIRE_ACC(acc);                                                                  \
    FB_REQUIRE_ARRAY(x, n);                                                               \
    if (n == 0) return CORE_OK;                                                           \
    FB_REQUIRE(acc->dtype == FB_ACC_NONE || acc->dtype == (MINE),                         \
               "the accumulator holds %s values; it cannot take %s ones",                 \
               acc->dtype == FB_ACC_F32 ? "f32" : "f64", (MINE) == FB_ACC_F32 ? "f32" : "f64"); \
    if (acc->total != 0)                                                                  \
      FB_REQUIRE(n <= acc->total - acc->pushed,                                           \
                 "pushing %zu values would exceed the declared total of %llu (%llu pushed)", \
                 n, (unsigned long long)acc->total, (unsigned long long)acc->pushed);     \
    else                                                                                  \
      FB_REQUIRE(n <= UINT64_MAX - acc->pushed, "the value count would overflow uint64"); \
    acc_add(acc, x, n, (MINE) == FB_ACC_F64);                                             \
    return CORE_OK;                                                                       \
  }
FB_ACC_PUSH(f32, float, FB_ACC_F32)
FB_ACC_PUSH(f64, double, FB_ACC_F64)

core_status core_fb_stats_acc_merge(core_stats_acc_t *dst, const core_stats_acc_t *src) {
  static const char *const fb_fn = "core_stats_acc_merge";
  core_stats_t a, b, ab;
  FB_REQUIRE_ACC(dst);
  FB_REQUIRE_ACC(src);
  FB_REQUIRE(dst->nan_policy == src->nan_policy,
             "dst and src have different nan policies (%u and %u)", (unsigned)dst->nan_policy,
             (unsigned)src->nan_policy);
  /* Both results first: src may be dst. */
  a = core_fb_acc_summary(dst);
  b = core_fb_acc_summary(src);
  FB_REQUIRE(a.count <= UINT64_MAX - b.count && a.nan_count <= UINT64_MAX - b.nan_count,
             "the merged counts would overflow uint64");
  ab = core_fb_summary_merge(&a, &b);
  core_fb_acc_start(dst, dst->nan_policy == CORE_NAN_OMIT, 0);
  dst->base = to_node(0, 0, &ab);
  return CORE_OK;
}

core_status core_fb_stats_acc_result(const core_stats_acc_t *acc, core_stats_t *out) {
  static const char *const fb_fn = "core_stats_acc_result";
  FB_REQUIRE_ACC(acc);
  FB_REQUIRE_OUT(out);
  *out = core_fb_acc_summary(acc);
  return CORE_OK;
}
