// Internal C++ interface of the stats module. Arguments are already checked
// by libcore/abi/stats.cpp; these functions only compute.
#ifndef LIBCORE_STATS_STATS_H
#define LIBCORE_STATS_STATS_H

#include <core/stats.h>

#include <cstddef>
#include <cstdint>

#include "libcore/simd/kernels.h"

namespace core {

template <class T>
core_stats_t summarize(const T *x, std::size_t n, bool omit_nan);

// The summary of no values, after nan_count skipped NaNs: count 0, sum 0,
// NaN moments. Shared with the batch accumulator, whose results must equal
// summarize()'s bit for bit.
core_stats_t empty_stats(std::uint64_t nan_count);

// A block's summary with its mean expressed as an offset from k (the
// reference value that keeps merges of large offsets exact).
core_stats_t from_block(const simd::BlockMoments &b, double k);

// Chan et al. pairwise merge; an empty summary is the identity.
core_stats_t merge(const core_stats_t &a, const core_stats_t &b);

// m2 / (count - ddof), NaN when count <= ddof.
double variance(const core_stats_t &s, unsigned ddof);

template <class T>
double dot(const T *x, const T *y, std::size_t n);
template <class T>
double corrcoef(const T *x, const T *y, std::size_t n);
template <class T>
double sum_squares(const T *x, std::size_t n);
template <class T>
std::size_t sign_changes(const T *x, std::size_t n);

// False when no value is left (n == 0, or all NaN under omit).
template <class T>
bool percentile(const T *x, std::size_t n, double q, bool omit_nan, T *scratch, double *out);

}  // namespace core

#endif
