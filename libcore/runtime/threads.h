// libcore's thread control: one library-owned oneTBB task arena.
//
// tbb::global_control would cap every TBB user in the host process; an arena
// of our own limits only libcore's work. Changing the thread count swaps in
// a new arena; calls already running keep theirs alive through shared_ptr.
#ifndef LIBCORE_RUNTIME_THREADS_H
#define LIBCORE_RUNTIME_THREADS_H

#include <functional>

namespace core {

// Threads libcore's parallel work uses now (>= 1).
int num_threads();
// 0 = default (all CPUs available to the process), else the exact count.
// Precondition: count >= 0 (checked by the abi layer).
void set_num_threads(int count);

// Runs fn inside libcore's arena, blocking until it and the tasks it spawns
// finish. Without oneTBB, or with one thread, fn runs on the calling thread.
void run_in_arena(const std::function<void()> &fn);

}  // namespace core

#endif
