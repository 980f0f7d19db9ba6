// Collections of audio files (include/core/collection.h): the internal
// interface between the abi layer, the scheduler (run.cpp), the per-file
// analysis (file_task.cpp), the .npy writer (npy_writer.cpp) and the JSON
// record (summary_json.cpp).
#ifndef LIBCORE_COLLECTION_COLLECTION_H
#define LIBCORE_COLLECTION_COLLECTION_H

#include <core/collection.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace core {
namespace collection {

// The checked options of one run. vad / logmel carry sample_rate already.
struct Config {
  std::uint32_t rate = 16000;
  std::size_t chunk = 65536;
  bool vad = true;
  core_vad_options_t vad_options{};
  bool features = false;
  core_logmel_options_t logmel_options{};
  std::size_t max_segments = 100000;
  core_metrics_t *metrics = nullptr;
};

// Timer ids in Config::metrics, registered once per run (a registry gives
// the same id for the same name again, so runs share their timers).
struct Timers {
  bool on = false;
  core_metric_id_t read = 0, stats = 0, vad = 0, logmel = 0, write = 0, file = 0;
};

// Registers the timers; false with the failing call's status in *st and
// its message in why.
bool register_timers(core_metrics_t *m, Timers *t, core_status *st, char *why, std::size_t cap);

// Everything the callback's core_file_summary_t points at, owned.
struct FileResult {
  core_status status = CORE_OK;
  std::string message;
  core_audio_info_t info{};
  std::uint64_t samples = 0;
  core_stats_t stats{};
  double rms = 0.0;
  std::vector<core_segment_t> segments;
  std::size_t segments_total = 0;
  std::uint64_t speech_samples = 0;
  std::uint64_t mel_frames = 0;
  std::string output;  // the .npy written, empty for none
  double seconds = 0.0;

  // Records a failure: the status and "what: detail".
  void fail(core_status st, const std::string &what);
};

// Analyses the file at path (the summary's numbers, segments and, when
// output is non-NULL and features are on, the .npy). Never throws: every
// failure, out of memory included, ends up in the result.
FileResult analyse_file(const Config &c, const Timers &t, const char *path, const char *output);

// The public summary view of r (pointers into r and path).
core_file_summary_t summary_of(const FileResult &r, std::size_t index, const char *path,
                               std::uint32_t rate);

// The JSON record of core_file_summary_json (collection.h).
std::string summary_json(const core_file_summary_t &s);

// Runs the collection. Returns CORE_OK, CORE_E_UNAVAILABLE when fn stopped
// it, or CORE_E_OUT_OF_MEMORY (why holds the message) when it could not
// start.
core_status run(const Config &c, const char *const *paths, std::size_t n,
                const char *const *outputs, core_collection_fn fn, void *user, char *why,
                std::size_t cap);

}  // namespace collection
}  // namespace core

#endif
