// What the byte-seeded fuzz targets share: FUZZ_WRITE_SEEDS=DIR makes a
// target write its hand-made inputs to DIR/seed0, seed1, ... and exit
// (run.sh calls each target so before fuzzing it).
#ifndef LIBCORE_FUZZ_SEEDS_H
#define LIBCORE_FUZZ_SEEDS_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

inline void write_seed_files(const char *dir, const std::vector<std::vector<uint8_t>> &seeds) {
  int i = 0;
  for (const auto &s : seeds) {
    const std::string path = std::string(dir) + "/seed" + std::to_string(i++);
    FILE *f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) std::abort();
    std::fwrite(s.data(), 1, s.size(), f);
    std::fclose(f);
  }
}

// The LLVMFuzzerInitialize of a target whose only setup is the seeds.
#define FUZZ_INITIALIZE_WITH_SEEDS(seeds_fn)                   \
  extern "C" int LLVMFuzzerInitialize(int *, char ***) {      \
    if (const char *dir = std::getenv("FUZZ_WRITE_SEEDS")) {  \
      write_seed_files(dir, seeds_fn());                      \
      std::exit(0);                                           \
    }                                                         \
    return 0;                                                 \
  }

#endif
