// The collection's scheduler: one task per file in libcore's arena
// (dynamic: a long file does not hold up a queue of short ones), the
// callbacks serialized under one lock, a stop flag the callback can raise.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "libcore/collection/collection.h"
#include "libcore/runtime/threads.h"

#if CORE_HAVE_TBB
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#endif

namespace core {
namespace collection {

bool register_timers(core_metrics_t *m, Timers *t, core_status *st, char *why, std::size_t cap) {
  struct Stage {
    const char *name, *help;
    core_metric_id_t *id;
  } stages[] = {
      {"collection.read", "Reading and resampling one chunk of a file", &t->read},
      {"collection.stats", "Statistics of one chunk", &t->stats},
      {"collection.vad", "VAD on one chunk (and the file's end)", &t->vad},
      {"collection.logmel", "Log-mel of one chunk (and the file's end)", &t->logmel},
      {"collection.write", "Writing one chunk's log-mel frames (and publishing the file)",
       &t->write},
      {"collection.file", "One whole file", &t->file},
  };
  for (const Stage &s : stages) {
    *st = core_metrics_timer(m, s.name, s.help, nullptr, 0, s.id);
    if (*st != CORE_OK) {
      std::snprintf(why, cap, "metrics: %s", core_last_error_message());
      return false;
    }
  }
  t->on = true;
  return true;
}

namespace {

// Index of the earlier file with the same output string, or n for none.
std::vector<std::size_t> earlier_same_output(const char *const *outputs, std::size_t n) {
  std::vector<std::size_t> same(n, n);
  if (outputs == nullptr) return same;
  std::unordered_map<std::string, std::size_t> first;
  first.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (outputs[i] == nullptr) continue;
    auto it = first.emplace(outputs[i], i);
    if (!it.second) same[i] = it.first->second;
  }
  return same;
}

class Runner {
 public:
  Runner(const Config &c, const Timers &t, const char *const *paths, const char *const *outputs,
         std::vector<std::size_t> same, core_collection_fn fn, void *user)
      : c_(c), t_(t), paths_(paths), outputs_(outputs), same_(std::move(same)), fn_(fn),
        user_(user) {}

  void file(std::size_t i) {
    if (stop_.load(std::memory_order_acquire)) return;
    const char *out = outputs_ != nullptr && c_.features ? outputs_[i] : nullptr;
    FileResult r;
    if (out != nullptr && same_[i] != same_.size()) {
      r.fail(CORE_E_INVALID_ARGUMENT, "core_collection_run: output " + std::string(out) +
                                          " is also file " + std::to_string(same_[i]) + "'s");
    } else {
      r = analyse_file(c_, t_, paths_[i], out);
    }
    const core_file_summary_t s = summary_of(r, i, paths_[i], c_.rate);
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_.load(std::memory_order_relaxed)) return;  // stopped while this file ran
    if (fn_(&s, user_) != 0) stop_.store(true, std::memory_order_release);
  }

  bool stopped() const { return stop_.load(std::memory_order_acquire); }

 private:
  const Config &c_;
  const Timers &t_;
  const char *const *paths_;
  const char *const *outputs_;
  const std::vector<std::size_t> same_;
  core_collection_fn fn_;
  void *user_;
  std::mutex mutex_;
  std::atomic<bool> stop_{false};
};

}  // namespace

core_status run(const Config &c, const char *const *paths, std::size_t n,
                const char *const *outputs, core_collection_fn fn, void *user, char *why,
                std::size_t cap) {
  Timers t;
  core_status st = CORE_OK;
  if (c.metrics != nullptr && !register_timers(c.metrics, &t, &st, why, cap)) return st;
  Runner runner(c, t, paths, outputs, earlier_same_output(outputs, n), fn, user);
#if CORE_HAVE_TBB
  if (n > 1 && num_threads() > 1) {
    run_in_arena([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1),
                        [&](const tbb::blocked_range<std::size_t> &r) {
                          for (std::size_t i = r.begin(); i != r.end(); ++i) runner.file(i);
                        },
                        tbb::simple_partitioner());
    });
  } else
#endif
  {
    for (std::size_t i = 0; i < n; ++i) runner.file(i);
  }
  if (runner.stopped()) {
    std::snprintf(why, cap, "stopped by the callback");
    return CORE_E_UNAVAILABLE;
  }
  return CORE_OK;
}

}  // namespace collection
}  // namespace core
