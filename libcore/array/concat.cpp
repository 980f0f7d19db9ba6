// concatenate: one memcpy per part, in order.
#include <cstring>

#include "libcore/array/array.h"

namespace core {

template <class T>
void concat(const T *const *parts, const std::size_t *lens, std::size_t count, T *out) {
  for (std::size_t i = 0; i < count; ++i) {
    if (lens[i] == 0) continue;
    std::memcpy(out, parts[i], lens[i] * sizeof(T));
    out += lens[i];
  }
}

template void concat<float>(const float *const *, const std::size_t *, std::size_t, float *);
template void concat<double>(const double *const *, const std::size_t *, std::size_t,
                             double *);

}  // namespace core
