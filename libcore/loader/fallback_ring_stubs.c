/* The ring in the fallback table. A ring is state shared between two
 * threads inside libcore.so; a portable copy would be a second
 * implementation to keep in step for a program that cannot load the real
 * one, so the fallback has none: options_init works (it only fills a
 * struct), create returns CORE_E_UNAVAILABLE with a message, and since no
 * ring can exist, every other call refuses its handle the same way, the
 * queries answer 0 and destroy does nothing. */
#include <string.h>

#include "libcore/loader/fallback_util.h"

core_status core_fb_ring_options_init(core_ring_options_t *opts) {
  static const char *const fb_fn = "core_ring_options_init";
  FB_REQUIRE_OUT(opts);
  memset(opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
  opts->policy = CORE_RING_REJECT;
  opts->mirror = CORE_RING_MIRROR_OFF;
  return CORE_OK;
}

core_status core_fb_ring_create(const core_ring_options_t *opts, core_ring_t **out) {
  (void)opts;
  if (out != NULL) *out = NULL;
  FB_UNAVAILABLE("core_ring_create", "ring");
}

void core_fb_ring_destroy(core_ring_t *ring) { (void)ring; }

/* The calls on a handle: none can be valid here. */
#define FB_RING_STUB(name, ...)                          \
  core_status core_fb_ring_##name(__VA_ARGS__) {         \
    FB_UNAVAILABLE("core_ring_" #name, "ring");                  \
  }

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
FB_RING_STUB(append_f32, core_ring_t *ring, const float *x, size_t n)
FB_RING_STUB(append_i16, core_ring_t *ring, const int16_t *pcm, size_t n)
FB_RING_STUB(wait_writable, core_ring_t *ring, size_t n, int timeout_ms)
FB_RING_STUB(read, core_ring_t *ring, float *out, size_t n)
FB_RING_STUB(read_all, core_ring_t *ring, float *out, size_t cap, size_t *n)
FB_RING_STUB(read_latest, core_ring_t *ring, float *out, size_t n)
FB_RING_STUB(regions, core_ring_t *ring, const float **p1, size_t *n1, const float **p2,
             size_t *n2)
FB_RING_STUB(consume, core_ring_t *ring, size_t n)
FB_RING_STUB(pop, core_ring_t *ring, float *out, size_t n, size_t *got)
FB_RING_STUB(clear, core_ring_t *ring)
FB_RING_STUB(wait_readable, core_ring_t *ring, size_t n, int timeout_ms)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

size_t core_fb_ring_size(const core_ring_t *ring) { (void)ring; return 0; }
size_t core_fb_ring_space(const core_ring_t *ring) { (void)ring; return 0; }
size_t core_fb_ring_capacity(const core_ring_t *ring) { (void)ring; return 0; }
uint64_t core_fb_ring_dropped(const core_ring_t *ring) { (void)ring; return 0; }
int core_fb_ring_is_mirrored(const core_ring_t *ring) { (void)ring; return 0; }
core_ring_policy core_fb_ring_get_policy(const core_ring_t *ring) {
  (void)ring;
  return CORE_RING_REJECT;
}
