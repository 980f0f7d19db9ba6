// The streaming accumulator: core::summarize, one block at a time.
//
// summarize cuts an array into 2048-element blocks, turns each block's
// moments into a summary whose mean is an offset from a reference K (the
// shift of the first block whose shift is finite), merges the block
// summaries in reduce_blocks' midpoint tree, and adds K back at the end.
// The accumulator does the same with bounded memory:
//   - the values of the current block wait in acc->pending until it is
//     full, so block boundaries sit at the same stream positions whatever
//     the pushes were (guarantee (a) of batch.h);
//   - finished subtrees wait on a stack (post-order evaluation), and an
//     incoming subtree is merged with the top while the two are siblings.
//     With a declared total the tree is summarize's own midpoint tree over
//     ceil(total / 2048) blocks (guarantee (b)); with an unknown length it
//     is the binary-counter tree (equal sizes, aligned), which coincides
//     with the midpoint tree when the block count is a power of two, and
//     whatever is left on the stack is folded right to left at the end
//     (guarantee (c)).
//   - K is fixed by the first block with a finite shift. Blocks before it
//     have a non-finite shift, and their offset mean (shift - K) + dsum/count
//     is the same non-finite value for every finite K, so they can be
//     converted before K is known.
#include <cmath>
#include <cstring>

#include "libcore/batch/batch.h"
#include "libcore/runtime/parallel.h"
#include "libcore/simd/kernels.h"
#include "libcore/stats/stats.h"

namespace core {

namespace {

using Node = core_stats_acc_node_t;
constexpr std::size_t kBlock = simd::kBlock;
static_assert(kBlock == CORE_STATS_ACC_BLOCK, "the accumulator buffers one reduction block");
// The caller allocates the struct: its size is part of the ABI, frozen.
static_assert(sizeof(core_stats_acc_t) == 21120, "core_stats_acc_t changed size");

// Blocks whose moments are computed at once (in parallel when there are
// enough) before being merged in order: 14 KiB of stack, no allocation.
constexpr std::size_t kBatchBlocks = 256;
constexpr std::size_t kBlocksPerTask = 8;

core_stats_t to_stats(const Node &n) {
  return core_stats_t{n.count, n.nan_count, n.min, n.max, n.sum, n.mean, n.m2};
}

Node to_node(std::uint64_t begin, std::uint64_t end, const core_stats_t &s) {
  return Node{begin, end, s.count, s.nan_count, s.min, s.max, s.sum, s.mean, s.m2};
}

// Whether [a, e) is a node of reduce_blocks' tree over [0, n), which splits
// [lo, hi) at lo + (hi - lo) / 2.
bool is_node(std::uint64_t a, std::uint64_t e, std::uint64_t n) {
  std::uint64_t lo = 0, hi = n;
  while (lo != a || hi != e) {
    if (hi - lo <= 1) return false;
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (e <= mid)
      hi = mid;
    else if (a >= mid)
      lo = mid;
    else
      return false;
  }
  return true;
}

// Whether l and r (adjacent, l first) are the two children of one node.
// nblocks == 0: length unknown, the binary-counter tree.
bool siblings(const Node &l, const Node &r, std::uint64_t nblocks) {
  if (nblocks == 0) {
    const std::uint64_t size = l.end - l.begin;
    return r.end - r.begin == size && l.begin % (2 * size) == 0;
  }
  return l.begin + (r.end - l.begin) / 2 == l.end && is_node(l.begin, r.end, nblocks);
}

// The merge state: the stack and the reference, either the accumulator's
// own or a copy of them (acc_result must not modify the accumulator).
struct Tree {
  Node *stack;
  std::uint64_t *depth;
  double *ref;
  std::uint64_t *has_ref;
  std::uint64_t nblocks;  // 0 = unknown

  void add_leaf(std::uint64_t block, const simd::BlockMoments &m) {
    if (!*has_ref && std::isfinite(m.shift)) {
      *ref = m.shift;
      *has_ref = 1;
    }
    Node n = to_node(block, block + 1, from_block(m, *has_ref ? *ref : 0.0));
    while (*depth > 0 && siblings(stack[*depth - 1], n, nblocks)) {
      const Node &l = stack[*depth - 1];
      n = to_node(l.begin, n.end, merge(to_stats(l), to_stats(n)));
      --*depth;
    }
    // Depth <= 1 + log2(blocks) <= 54 for 2^64 values (either tree). Only a
    // corrupted accumulator that passed the field checks (fuzz_stats_acc
    // found one) reaches the array's end: fold into the top node rather
    // than write past it. Its summary is then meaningless, never unsafe.
    if (*depth == CORE_STATS_ACC_DEPTH) {
      const Node &l = stack[*depth - 1];
      n = to_node(l.begin, n.end, merge(to_stats(l), to_stats(n)));
      --*depth;
    }
    stack[(*depth)++] = n;
  }
};

std::uint64_t tree_blocks(const core_stats_acc_t &acc) {
  return acc.total == 0 ? 0 : (acc.total + kBlock - 1) / kBlock;
}

Tree tree_of(core_stats_acc_t *acc) {
  return Tree{acc->stack, &acc->depth, &acc->ref, &acc->has_ref, tree_blocks(*acc)};
}

template <class T>
T *pending(core_stats_acc_t *acc);
template <>
float *pending<float>(core_stats_acc_t *acc) { return acc->pending.f32; }
template <>
double *pending<double>(core_stats_acc_t *acc) { return acc->pending.f64; }

template <class T>
constexpr std::uint32_t dtype_of() { return sizeof(T) == sizeof(float) ? kAccF32 : kAccF64; }

// Adds `whole` complete blocks read from x, the first being block `first`.
template <class T>
void add_blocks(core_stats_acc_t *acc, const T *x, std::size_t whole, std::uint64_t first) {
  const bool omit = acc->nan_policy == CORE_NAN_OMIT;
  Tree tree = tree_of(acc);
  simd::BlockMoments m[kBatchBlocks];
  for (std::size_t done = 0; done < whole; done += kBatchBlocks) {
    const std::size_t count = whole - done < kBatchBlocks ? whole - done : kBatchBlocks;
    const T *p = x + done * kBlock;
    auto run = [&](std::size_t t) {
      const std::size_t end = (t + 1) * kBlocksPerTask < count ? (t + 1) * kBlocksPerTask : count;
      for (std::size_t b = t * kBlocksPerTask; b < end; ++b)
        simd::block_moments(p + b * kBlock, kBlock, omit, &m[b]);
    };
    const std::size_t tasks = (count + kBlocksPerTask - 1) / kBlocksPerTask;
    if (count >= kParallelMinBlocks)
      for_each_index(tasks, run);
    else
      for (std::size_t t = 0; t < tasks; ++t) run(t);
    for (std::size_t b = 0; b < count; ++b) tree.add_leaf(first + done + b, m[b]);
  }
}

}  // namespace

void acc_init(core_stats_acc_t *acc, bool omit_nan, std::uint64_t total) {
  std::memset(acc, 0, sizeof *acc);
  acc->magic = kAccMagic;
  acc->nan_policy = omit_nan ? CORE_NAN_OMIT : CORE_NAN_PROPAGATE;
  acc->dtype = kAccNone;
  acc->total = total;
  acc->base = to_node(0, 0, empty_stats(0));
}

template <class T>
void acc_push(core_stats_acc_t *acc, const T *x, std::size_t n) {
  if (n == 0) return;
  acc->dtype = dtype_of<T>();
  T *buf = pending<T>(acc);
  const std::size_t fill = static_cast<std::size_t>(acc->pushed % kBlock);
  if (fill != 0) {  // top up the unfinished block first
    const std::size_t take = n < kBlock - fill ? n : kBlock - fill;
    std::memcpy(buf + fill, x, take * sizeof(T));
    acc->pushed += take;
    x += take;
    n -= take;
    if (fill + take < kBlock) return;
    simd::BlockMoments m;
    simd::block_moments(buf, kBlock, acc->nan_policy == CORE_NAN_OMIT, &m);
    tree_of(acc).add_leaf(acc->pushed / kBlock - 1, m);
  }
  // The stream position is now on a block boundary: whole blocks are read
  // in place, the rest waits in the buffer.
  const std::size_t whole = n / kBlock;
  add_blocks(acc, x, whole, acc->pushed / kBlock);
  acc->pushed += whole * kBlock;
  const std::size_t rest = n - whole * kBlock;
  if (rest != 0) std::memcpy(buf, x + whole * kBlock, rest * sizeof(T));
  acc->pushed += rest;
}

template void acc_push<float>(core_stats_acc_t *, const float *, std::size_t);
template void acc_push<double>(core_stats_acc_t *, const double *, std::size_t);

core_stats_t acc_result(const core_stats_acc_t &acc) {
  // Work on copies: the unfinished block becomes the last leaf here only.
  Node stack[CORE_STATS_ACC_DEPTH];
  std::uint64_t depth = acc.depth, has_ref = acc.has_ref;
  double ref = acc.ref;
  std::memcpy(stack, acc.stack, depth * sizeof(Node));
  Tree tree{stack, &depth, &ref, &has_ref, tree_blocks(acc)};

  const std::size_t fill = static_cast<std::size_t>(acc.pushed % kBlock);
  if (fill != 0) {
    const bool omit = acc.nan_policy == CORE_NAN_OMIT;
    simd::BlockMoments m;
    if (acc.dtype == kAccF32)
      simd::block_moments(acc.pending.f32, fill, omit, &m);
    else
      simd::block_moments(acc.pending.f64, fill, omit, &m);
    tree.add_leaf(acc.pushed / kBlock, m);
  }
  core_stats_t s = empty_stats(0);
  if (depth != 0) {
    s = to_stats(stack[depth - 1]);
    for (std::uint64_t i = depth - 1; i > 0; --i) s = merge(to_stats(stack[i - 1]), s);
    if (s.count == 0)
      s = empty_stats(s.nan_count);
    else
      s.mean = (has_ref ? ref : 0.0) + s.mean;
  }
  // The base is empty_stats(0) until a merge, and merging with it is exact.
  return merge(to_stats(acc.base), s);
}

bool acc_merge(core_stats_acc_t *dst, const core_stats_acc_t &src) {
  const core_stats_t a = acc_result(*dst), b = acc_result(src);
  if (a.count > UINT64_MAX - b.count || a.nan_count > UINT64_MAX - b.nan_count) return false;
  const bool omit = dst->nan_policy == CORE_NAN_OMIT;
  acc_init(dst, omit, 0);
  dst->base = to_node(0, 0, merge(a, b));
  return true;
}

}  // namespace core
