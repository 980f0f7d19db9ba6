// The key digests for the avx512 target (see key_impl.h; flags in meson.build).
#define CORE_KEY_NS avx512
#include "libcore/cache/key_impl.h"
