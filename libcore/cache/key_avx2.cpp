// The key digests for the avx2 target (see key_impl.h; flags in meson.build).
#define CORE_KEY_NS avx2
#include "libcore/cache/key_impl.h"
