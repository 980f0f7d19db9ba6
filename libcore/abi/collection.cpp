// extern "C" entry points of collections (collection.h): argument and
// option checks, then libcore/collection/.
#include <core/collection.h>

#include <cstring>
#include <new>
#include <string>

#include "libcore/abi/guard.h"
#include "libcore/collection/collection.h"

namespace {

// One layout so far.
constexpr std::size_t kOptionsV1 = sizeof(core_collection_options_t);
constexpr std::size_t kSummaryV1 = sizeof(core_file_summary_t);

}  // namespace

#define CORE_REQUIRE_NESTED(field, type) \
  CORE_REQUIRE_NESTED_OPTIONS(o, field, type, core_collection_options_init)

extern "C" {

CORE_API core_status core_collection_options_init(core_collection_options_t *opts) {
  CORE_ABI_BEGIN("core_collection_options_init")
  CORE_REQUIRE_OUT(opts);
  *opts = core_collection_options_t{};
  opts->struct_size = kOptionsV1;
  opts->sample_rate = 16000;
  opts->chunk_samples = 65536;
  opts->vad = 1;
  opts->features = 0;
  opts->max_segments = 100000;
  if (core_vad_options_init(&opts->vad_options) != CORE_OK ||
      core_logmel_options_init(&opts->logmel_options) != CORE_OK)
    return ::core::abi::fail(CORE_E_INTERNAL, core_abi_fn_, "nested options_init failed");
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_collection_run(const char *const *paths, size_t n,
                                         const char *const *outputs,
                                         const core_collection_options_t *opts,
                                         core_collection_fn fn, void *user) {
  CORE_ABI_BEGIN("core_collection_run")
  CORE_REQUIRE_ARRAY(paths, n);
  CORE_REQUIRE_COUNT(outputs, n);
  CORE_REQUIRE(fn != nullptr, "fn is NULL");
  for (size_t i = 0; i < n; ++i) CORE_REQUIRE(paths[i] != nullptr, "paths[%zu] is NULL", i);
  core_collection_options_t defaults, o;
  if (opts == nullptr) {
    CORE_CHECK(core_collection_options_init(&defaults) == CORE_OK, CORE_E_INTERNAL,
               "options_init failed");
    opts = &defaults;
  }
  CORE_READ_OPTIONS(opts, o, core_collection_options_t, core_collection_options_init,
                    kOptionsV1, kOptionsV1);
  CORE_REQUIRE_NESTED(vad_options, core_vad_options_t);
  CORE_REQUIRE_NESTED(logmel_options, core_logmel_options_t);
  CORE_REQUIRE(o.sample_rate >= 1000 && o.sample_rate <= 384000,
               "sample_rate is %u, outside 1000 .. 384000", o.sample_rate);
  CORE_REQUIRE(o.chunk_samples >= 1 && o.chunk_samples <= CORE_COLLECTION_MAX_CHUNK,
               "chunk_samples is %zu, outside 1 .. CORE_COLLECTION_MAX_CHUNK (%zu)",
               o.chunk_samples, CORE_COLLECTION_MAX_CHUNK);
  CORE_REQUIRE(o.vad == 0 || o.vad == 1, "vad is %d, not 0 or 1", o.vad);
  CORE_REQUIRE(o.features == 0 || o.features == 1, "features is %d, not 0 or 1", o.features);

  core::collection::Config c;
  c.rate = o.sample_rate;
  c.chunk = o.chunk_samples;
  c.vad = o.vad == 1;
  c.vad_options = o.vad_options;
  c.vad_options.sample_rate = o.sample_rate;  // set from sample_rate (collection.h)
  c.features = o.features == 1;
  c.logmel_options = o.logmel_options;
  c.logmel_options.sample_rate = o.sample_rate;
  c.max_segments = o.max_segments;
  c.metrics = o.metrics;

  // Building on other public calls, whose failures write the message: a
  // success leaves the caller's message as it was (KeepMessage, guard.h).
  const ::core::abi::KeepMessage keep;
  // The stages' options are checked once, up front, by the stages
  // themselves (a bad option fails the run, not every file), and the
  // build's audio support with them.
  if (c.vad) {
    core_vad_t *v = nullptr;
    const core_status st = core_vad_create(&c.vad_options, &v);
    CORE_CHECK(st == CORE_OK, st, "vad_options: %s", core_last_error_message());
    core_vad_destroy(v);
  }
  if (c.features) {
    core_logmel_stream_t *s = nullptr;
    const core_status st = core_logmel_stream_create(&c.logmel_options, &s);
    CORE_CHECK(st == CORE_OK, st, "logmel_options: %s", core_last_error_message());
    core_logmel_stream_destroy(s);
  }
#if !CORE_HAVE_AUDIO_IO
  CORE_CHECK(false, CORE_E_UNSUPPORTED,
             "libcore was built without audio file support (meson -Daudio_io=disabled)");
#endif

  char why[600] = "";
  const core_status st = core::collection::run(c, paths, n, outputs, fn, user, why, sizeof why);
  CORE_CHECK(st == CORE_OK, st, "%s", why);
  keep.restore();
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_file_summary_json(const core_file_summary_t *s, char *buf, size_t cap,
                                            size_t *len) {
  CORE_ABI_BEGIN("core_file_summary_json")
  CORE_REQUIRE_OUT(s);
  CORE_REQUIRE_OUT(len);
  CORE_REQUIRE_ARRAY(buf, cap);
  CORE_REQUIRE(s->struct_size >= kSummaryV1,
               "s->struct_size is %zu, smaller than the 0.1 layout (%zu)", s->struct_size,
               kSummaryV1);
  CORE_REQUIRE(s->path != nullptr, "s->path is NULL");
  CORE_REQUIRE(s->segments != nullptr || s->n_segments == 0,
               "s->segments is NULL but s->n_segments is %zu", s->n_segments);
  const std::string j = core::collection::summary_json(*s);
  if (j.size() >= cap) {
    *len = j.size();
    return ::core::abi::fail(CORE_E_BUFFER_TOO_SMALL, core_abi_fn_,
                             "the record is %zu bytes and its NUL, cap is %zu", j.size(), cap);
  }
  std::memcpy(buf, j.c_str(), j.size() + 1);
  *len = j.size();
  return CORE_OK;
  CORE_ABI_END
}

}  // extern "C"
