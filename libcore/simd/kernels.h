// The SIMD kernels, as plain C++ declarations: Highway types stay inside
// libcore/simd/*.cc. Each function dispatches once per call to the best
// target this CPU supports (HWY_DYNAMIC_DISPATCH).
//
// Reduction kernels work on one block of at most kBlock elements; the
// modules combine blocks with core::reduce_blocks (runtime/parallel.h), so
// block boundaries, and therefore results, never depend on thread count.
#ifndef LIBCORE_SIMD_KERNELS_H
#define LIBCORE_SIMD_KERNELS_H

#include <cstddef>
#include <cstdint>

namespace core {
namespace simd {

// Elements per reduction block: 8 KiB of float32 / 16 KiB of float64, so a
// block stays in L1 between the two sweeps of the moments kernel.
constexpr std::size_t kBlock = 2048;

// Name of the Highway target chosen for this CPU ("AVX3", "SCALAR", ...).
const char *target_name();

// ---- moments (moments_kernels.cc) -----------------------------------------

// Summary of one block. mean = shift + dsum / count. For finite data, shift
// is the block's approximate mean and m2 the sum of squared deviations from
// the exact block mean. With an infinity present, sum, shift and the mean
// follow IEEE arithmetic and m2 is NaN; under propagate with a NaN present,
// every moment is NaN.
struct BlockMoments {
  std::uint64_t count;      // values summarized (NaNs excluded when omitted)
  std::uint64_t nan_count;  // NaNs seen
  double min, max, sum;
  double shift, dsum, m2;
};
void block_moments(const float *x, std::size_t n, bool omit_nan, BlockMoments *out);
void block_moments(const double *x, std::size_t n, bool omit_nan, BlockMoments *out);

// ---- plain reductions over one block (reduce_kernels.cc) ------------------

double block_sum(const float *x, std::size_t n);
double block_sum(const double *x, std::size_t n);
double block_sum_squares(const float *x, std::size_t n);
double block_sum_squares(const double *x, std::size_t n);
double block_dot(const float *x, const float *y, std::size_t n);
double block_dot(const double *x, const double *y, std::size_t n);

// Sums around fixed centres mx, my: dx = sum(x - mx), dy, sxx = sum((x-mx)^2),
// syy, sxy = sum((x-mx)(y-my)).
struct CoMoments {
  double dx, dy, sxx, syy, sxy;
};
void block_co_moments(const float *x, const float *y, std::size_t n, double mx, double my,
                      CoMoments *out);
void block_co_moments(const double *x, const double *y, std::size_t n, double mx, double my,
                      CoMoments *out);

// Pairs (x[i-1], x[i]), 1 <= i < n, whose signs differ (0 counts positive,
// NaN negative).
std::uint64_t block_sign_changes(const float *x, std::size_t n);
std::uint64_t block_sign_changes(const double *x, std::size_t n);

// ---- prefix sums (scan_kernels.cc) ----------------------------------------

struct Carry;  // carry.h

// Elements per lane of a cumsum chunk: a chunk has 2 * lanes totals.
constexpr std::size_t kCumsumSegment = 128;

// Elements per cumsum chunk on this CPU's target (lanes x segment length).
std::size_t cumsum_chunk();
// out[i] = carry + x[0] + ... + x[i] in compensated float64, rounded once;
// out may equal x. Carry is what came before x (zero for a whole array).
void cumsum_from(const float *x, std::size_t n, Carry carry, float *out);
void cumsum_from(const double *x, std::size_t n, Carry carry, double *out);
// The segment totals of nchunks whole chunks (2 * lanes doubles per chunk),
// exactly as cumsum_from adds them to its carry.
void cumsum_totals(const float *x, std::size_t nchunks, double *totals);
void cumsum_totals(const double *x, std::size_t nchunks, double *totals);

// ---- generators (generate_kernels.cc) -------------------------------------

// out[i] = start + (double)(first + i) * step, one multiply and one add in
// float64 (never fused), rounded once to the output type.
void affine_index(float *out, std::size_t n, double start, double step, std::size_t first);
void affine_index(double *out, std::size_t n, double start, double step, std::size_t first);
void fill(float *out, std::size_t n, float value);
void fill(double *out, std::size_t n, double value);

// ---- element-wise transforms (transform_kernels.cc) -----------------------

// x[i] = (x[i] - mean) / std, computed in float64. NaN stays NaN.
void zscore(float *x, std::size_t n, double mean, double std);
void zscore(double *x, std::size_t n, double mean, double std);
// out[i] = exp(-z^2 / 2) / (std sqrt(2 pi)), z = (x[i] - mean) / std, in float64.
void normal_pdf(const float *x, std::size_t n, double mean, double std, float *out);
void normal_pdf(const double *x, std::size_t n, double mean, double std, double *out);
// int16 <-> float PCM; the float -> int16 direction returns the number of
// samples clipped or NaN.
void pcm16_to_float(const std::int16_t *in, std::size_t n, float *out);
void pcm16_to_float(const std::int16_t *in, std::size_t n, double *out);
std::size_t float_to_pcm16(const float *in, std::size_t n, std::int16_t *out);
std::size_t float_to_pcm16(const double *in, std::size_t n, std::int16_t *out);

}  // namespace simd
}  // namespace core

#endif
