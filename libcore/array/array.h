// Internal C++ interface of the array module. Arguments are already
// checked by libcore/abi/array.cpp; these functions only compute.
#ifndef LIBCORE_ARRAY_ARRAY_H
#define LIBCORE_ARRAY_ARRAY_H

#include <cstddef>

namespace core {

// NumPy's arange length rule; false when the length is not representable.
bool arange_length(double start, double stop, double step, std::size_t *n);

template <class T>
void linspace(double start, double stop, std::size_t num, bool endpoint, T *out);

// Compensated cumsum; large inputs in two parallel passes, bit-identical
// to the serial result.
template <class T>
void cumsum(const T *x, std::size_t n, T *out);

template <class T>
void concat(const T *const *parts, const std::size_t *lens, std::size_t count, T *out);

}  // namespace core

#endif
