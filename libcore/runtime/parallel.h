// Deterministic parallel reduction over fixed-size blocks.
//
// The input is cut into blocks at fixed boundaries and the block results are
// combined in a fixed binary tree (split [b, e) at b + (e - b) / 2). The
// thread count only decides which subtrees run concurrently, never the tree,
// so results are bit-identical for every thread count, and the pairwise
// tree keeps rounding error at O(log n) like NumPy's pairwise sum.
#ifndef LIBCORE_RUNTIME_PARALLEL_H
#define LIBCORE_RUNTIME_PARALLEL_H

#include <cstddef>

#include "libcore/runtime/threads.h"

#if CORE_HAVE_TBB
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#endif

namespace core {

// Block count from which a reduction enters the arena, and below which a
// subtree is not split into tasks. At 2048 elements a block, 64 blocks are
// 128 Ki elements (~40 us of work): enough to pay for waking a worker.
// Measured with tests/bench (stats at 1e4 vs 1e6); see README.
constexpr std::size_t kParallelMinBlocks = 64;
constexpr std::size_t kTaskMinBlocks = 16;

namespace detail {

template <class R, class Leaf, class Merge>
R tree_reduce(std::size_t begin, std::size_t end, bool parallel, const Leaf &leaf,
              const Merge &merge) {
  if (end - begin == 1) return leaf(begin);
  const std::size_t mid = begin + (end - begin) / 2;
  R left, right;
#if CORE_HAVE_TBB
  if (parallel && end - begin >= kTaskMinBlocks) {
    tbb::parallel_invoke([&] { left = tree_reduce<R>(begin, mid, true, leaf, merge); },
                         [&] { right = tree_reduce<R>(mid, end, true, leaf, merge); });
    return merge(left, right);
  }
#endif
  (void)parallel;
  left = tree_reduce<R>(begin, mid, false, leaf, merge);
  right = tree_reduce<R>(mid, end, false, leaf, merge);
  return merge(left, right);
}

}  // namespace detail

// Reduces blocks [0, nblocks) (nblocks >= 1): leaf(b) -> R, merge(R, R) -> R.
// Neither may throw from inside a task unless the caller catches on return.
template <class R, class Leaf, class Merge>
R reduce_blocks(std::size_t nblocks, const Leaf &leaf, const Merge &merge) {
  if (nblocks < kParallelMinBlocks || num_threads() <= 1)
    return detail::tree_reduce<R>(0, nblocks, false, leaf, merge);
  R result;
  run_in_arena([&] { result = detail::tree_reduce<R>(0, nblocks, true, leaf, merge); });
  return result;
}

// Runs fn(i) for every i in [0, count), concurrently in libcore's arena
// when it has more than one thread. fn must write disjoint data; the order
// of the calls is unspecified, so results must not depend on it.
template <class Fn>
void for_each_index(std::size_t count, const Fn &fn) {
#if CORE_HAVE_TBB
  if (count > 1 && num_threads() > 1) {
    run_in_arena([&] { tbb::parallel_for(std::size_t(0), count, [&](std::size_t i) { fn(i); }); });
    return;
  }
#endif
  for (std::size_t i = 0; i < count; ++i) fn(i);
}

// Number of blocks of `block` elements covering n (n >= 1).
constexpr std::size_t block_count(std::size_t n, std::size_t block) {
  return (n + block - 1) / block;
}

}  // namespace core

#endif
