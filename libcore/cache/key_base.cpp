// The key digests for the base target (see key_impl.h; flags in meson.build).
#define CORE_KEY_NS base
#include "libcore/cache/key_impl.h"
