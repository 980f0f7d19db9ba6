/* Times the first core_api() call of a fresh process: dlopen of libcore
 * and its dependencies, symbol resolution, self-test. bench_loader runs it
 * many times (one process per sample) and reports the distribution.
 * With arguments, those libraries are dlopened first (untimed): the
 * loader's own cost, once libcore's dependencies (libstdc++, libhwy,
 * libtbb) are already in the process, as in a C++ host.
 * Prints "<microseconds> <backend>" on stdout. */
#include <dlfcn.h>
#include <stdio.h>
#include <time.h>

#include <core/loader.h>

int main(int argc, char **argv) {
  struct timespec a, b;
  const core_api_t *api;
  int i;
  for (i = 1; i < argc; ++i) {
    if (dlopen(argv[i], RTLD_NOW | RTLD_GLOBAL) == NULL) {
      fprintf(stderr, "bench_loader_first: %s\n", dlerror());
      return 1;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &a);
  api = core_api();
  clock_gettime(CLOCK_MONOTONIC, &b);
  if (api == NULL) {
    fprintf(stderr, "bench_loader_first: %s\n", core_api_load_error());
    return 1;
  }
  printf("%.1f %s\n", (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3,
         api->backend == CORE_BACKEND_NATIVE ? "native" : "fallback");
  return 0;
}
