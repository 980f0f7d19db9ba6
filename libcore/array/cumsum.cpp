// cumsum driver: serial for small inputs; for large ones two parallel passes
// whose result equals the serial one bit for bit.
//
// The serial kernel adds each segment's total to a compensated carry in
// order. Pass 1 computes every chunk's segment totals in parallel, with the
// kernel's own arithmetic; a serial scan over them makes exactly the
// kernel's carry additions and records the carry at the start of each
// range; pass 2 runs the ranges in parallel from those carries. The extra
// read of x is cheap next to the dependency chain it breaks.
#include <vector>

#include "libcore/array/array.h"
#include "libcore/runtime/parallel.h"
#include "libcore/simd/carry.h"
#include "libcore/simd/kernels.h"

namespace core {

// Below this many chunks (~256 Ki elements) one thread is faster than
// paying for a second pass and waking workers.
constexpr std::size_t kParallelMinChunks = 256;
// Ranges per thread: a little slack for load balance on a busy machine.
constexpr std::size_t kRangesPerThread = 4;

template <class T>
void cumsum(const T *x, std::size_t n, T *out) {
  const std::size_t chunk = simd::cumsum_chunk();
  const std::size_t nchunks = n / chunk;
  const std::size_t threads = nchunks >= kParallelMinChunks ? num_threads() : 1;
  if (threads <= 1) {
    simd::cumsum_from(x, n, simd::Carry{}, out);
    return;
  }
  const std::size_t lanes = chunk / simd::kCumsumSegment;
  const std::size_t ranges = threads * kRangesPerThread;
  auto first_chunk = [&](std::size_t r) { return nchunks * r / ranges; };

  std::vector<double> totals(nchunks * 2 * lanes);  // pass 1
  for_each_index(ranges, [&](std::size_t r) {
    const std::size_t b = first_chunk(r), e = first_chunk(r + 1);
    simd::cumsum_totals(x + b * chunk, e - b, totals.data() + b * 2 * lanes);
  });

  std::vector<simd::Carry> starts(ranges);  // the serial carry, range by range
  simd::Carry carry;
  for (std::size_t r = 0; r < ranges; ++r) {
    starts[r] = carry;
    for (std::size_t c = first_chunk(r); c < first_chunk(r + 1); ++c) {
      const double *t = totals.data() + c * 2 * lanes;
      for (std::size_t j = 0; j < lanes; ++j) carry.add_segment(t[j], t[lanes + j]);
    }
  }

  for_each_index(ranges, [&](std::size_t r) {  // pass 2; the last range takes the tail
    const std::size_t b = first_chunk(r) * chunk;
    const std::size_t e = r + 1 == ranges ? n : first_chunk(r + 1) * chunk;
    simd::cumsum_from(x + b, e - b, starts[r], out + b);
  });
}

template void cumsum<float>(const float *, std::size_t, float *);
template void cumsum<double>(const double *, std::size_t, double *);

}  // namespace core
