#include "libcore/runtime/threads.h"

#include <memory>
#include <mutex>

#if CORE_HAVE_TBB
#include <tbb/info.h>
#include <tbb/task_arena.h>
#endif

namespace core {

#if CORE_HAVE_TBB
namespace {

int default_threads() {
  int n = tbb::info::default_concurrency();
  return n > 0 ? n : 1;
}

struct ArenaState {
  std::mutex mutex;
  int requested = 0;  // 0 = default
  std::shared_ptr<tbb::task_arena> arena;
};

ArenaState &state() {
  static ArenaState s;  // constructed on first use, thread-safe
  return s;
}

std::shared_ptr<tbb::task_arena> current_arena() {
  ArenaState &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.arena) {
    int n = s.requested > 0 ? s.requested : default_threads();
    s.arena = std::make_shared<tbb::task_arena>(n);
  }
  return s.arena;
}

}  // namespace

int num_threads() {
  ArenaState &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.requested > 0 ? s.requested : default_threads();
}

void set_num_threads(int count) {
  ArenaState &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (count == s.requested && s.arena) return;
  s.requested = count;
  s.arena.reset();  // the next parallel call builds one of the new size
}

void run_in_arena(const std::function<void()> &fn) {
  // Always through the arena, even with one slot: tasks spawned by fn must
  // stay in libcore's arena, never spill into the host's default one.
  std::shared_ptr<tbb::task_arena> arena = current_arena();
  arena->execute(fn);
}

#else  // no oneTBB: everything is serial, with the same results.

namespace {
int requested_threads = 0;
}

int num_threads() { return 1; }
void set_num_threads(int count) { requested_threads = count; }
void run_in_arena(const std::function<void()> &fn) { fn(); }

#endif

}  // namespace core
