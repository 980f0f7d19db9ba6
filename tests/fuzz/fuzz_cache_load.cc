// libFuzzer target: core_cache_load on arbitrary file contents.
//
// Input: byte 0 chooses the cache options and whether the harness repairs
// the checksum; the rest is the file. With the repair bit set and at least
// 32 bytes, the last 8 bytes are overwritten with the XXH3-64 of the bytes
// before them (what core_cache_save writes), so mutations get past the
// checksum into the entry parser instead of all ending as CORE_E_FORMAT.
//
// The file is written to /dev/shm (or $TMPDIR, /tmp) and loaded into a
// cache that already holds three entries. The contract checked:
//  - the status is CORE_OK, CORE_E_FORMAT or CORE_E_IO (CORE_E_OUT_OF_MEMORY
//    is tolerated: the ASan allocator may refuse a huge entry);
//  - on an error the cache is unchanged: the same three entries with the
//    same values and shapes, nothing else (stats.entries == 3);
//  - on CORE_OK the file is well formed (the harness parses it too); every
//    key the cache now holds has either its old value or the value of an
//    entry of the file with that key; with the unbounded configuration
//    every last entry of each key in the file is there, exactly; the bounds
//    hold; load counts no insert, hit or miss; and save then load into a
//    fresh cache gives back the same number of entries.
//
// FUZZ_WRITE_SEEDS=DIR: write valid files made by core_cache_save (both
// with and without the repair bit) to DIR and exit.
#include <core/cache.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

std::string g_path, g_path2;

[[noreturn]] void fail(const char *what, core_status st) {
  std::fprintf(stderr, "fuzz_cache_load: %s (status %s: %s)\n", what, core_status_str(st),
               core_last_error_message());
  std::abort();
}
#define CHECK(c)                                                   \
  do {                                                             \
    if (!(c)) fail("check failed: " #c, CORE_OK);                  \
  } while (0)
#define CHECK_OK(call)                                             \
  do {                                                             \
    core_status st_ = (call);                                      \
    if (st_ != CORE_OK) fail("call failed: " #call, st_);          \
  } while (0)

uint64_t fixed_clock(void *) { return 100000; }

struct Value {
  std::vector<float> data;
  std::vector<size_t> shape;
  bool operator==(const Value &o) const {
    return shape == o.shape && data.size() == o.data.size() &&
           (data.empty() || std::memcmp(data.data(), o.data.data(), 4 * data.size()) == 0);
  }
};

bool key_less(const core_key_t &a, const core_key_t &b) {
  return a.lo != b.lo ? a.lo < b.lo : a.hi < b.hi;
}
struct KeyLess {
  bool operator()(const core_key_t &a, const core_key_t &b) const { return key_less(a, b); }
};

struct Config {
  size_t max_entries, max_bytes, shards;
  uint64_t ttl_ms;
  bool unbounded;  // nothing can be evicted, expired or skipped
};

Config config_of(uint8_t b) {
  switch ((b >> 1) & 3) {
    case 0: return {0, size_t(1) << 30, 1, 0, true};
    case 1: return {4, 0, 1, 0, false};
    case 2: return {8, 4 * 1024, 4, 0, false};
    default: return {0, size_t(1) << 30, 2, 500, false};
  }
}

core_cache_t *make_cache(const Config &cf) {
  core_cache_options_t o;
  CHECK_OK(core_cache_options_init(&o));
  o.max_entries = cf.max_entries;
  o.max_bytes = cf.max_bytes;
  o.shards = cf.shards;
  o.ttl_ms = cf.ttl_ms;
  o.clock = fixed_clock;
  core_cache_t *c = nullptr;
  CHECK_OK(core_cache_create(&o, &c));
  return c;
}

core_key_t key_of(const char *s) {
  core_key_t k;
  CHECK_OK(core_cache_key_bytes(s, std::strlen(s), &k));
  return k;
}

// The entries every cache starts with.
struct Initial {
  core_key_t key;
  Value v;
};
std::vector<Initial> initial_entries() {
  std::vector<Initial> out;
  out.push_back({key_of("alpha"), {{1.5f, -2.0f, 3.25f}, {3}}});
  out.push_back({key_of("beta"), {{0, 1, 2, 3, 4, 5}, {2, 3}}});
  out.push_back({key_of("gamma"), {{-0.0f}, {1, 1, 1, 1}}});
  return out;
}

void put(core_cache_t *c, const core_key_t &k, const Value &v) {
  CHECK_OK(core_cache_put(c, &k, v.data.data(), v.data.size(), v.shape.data(), v.shape.size()));
}

// CORE_E_NOT_FOUND -> false; else the value.
bool get(core_cache_t *c, const core_key_t &k, Value *v) {
  size_t n = 0, shape[CORE_CACHE_MAX_DIMS], ndim = 0;
  core_status st = core_cache_get(c, &k, nullptr, 0, &n, shape, &ndim);
  if (st == CORE_E_NOT_FOUND) return false;
  if (st != CORE_E_BUFFER_TOO_SMALL) fail("get(cap 0) of a present value", st);
  CHECK(n > 0 && ndim >= 1 && ndim <= CORE_CACHE_MAX_DIMS);
  v->data.assign(n, 0.0f);
  size_t n2 = 0, ndim2 = 0;
  CHECK_OK(core_cache_get(c, &k, v->data.data(), n, &n2, shape, &ndim2));
  CHECK(n2 == n && ndim2 == ndim);
  v->shape.assign(shape, shape + ndim);
  size_t prod = 1;
  for (size_t d : v->shape) prod *= d;
  CHECK(prod == n);
  return true;
}

core_cache_stats_t stats(core_cache_t *c) {
  core_cache_stats_t s;
  std::memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  CHECK_OK(core_cache_stats(c, &s));
  return s;
}

// The harness's own parser for a file core_cache_load accepted.
struct FileEntry {
  core_key_t key;
  uint64_t written;
  Value v;
};
bool parse(const uint8_t *p, size_t size, std::vector<FileEntry> *out) {
  if (size < 32 || std::memcmp(p, "LCCACHE\0", 8) != 0) return false;
  uint32_t version;
  std::memcpy(&version, p + 8, 4);
  if (version != CORE_CACHE_FILE_VERSION) return false;
  size_t pos = 16, end = size - 16;
  while (pos < end) {
    if (end - pos < 64) return false;
    uint64_t h[8];
    std::memcpy(h, p + pos, 64);
    pos += 64;
    FileEntry e;
    e.key = {h[0], h[1]};
    e.written = h[2];
    const uint32_t ndim = uint32_t(h[3]);
    if (ndim == 0 || ndim > 4 || (h[3] >> 32) != 0) return false;
    uint64_t n = 1;
    for (uint32_t d = 0; d < 4; ++d) {
      if (d >= ndim) {
        if (h[4 + d] != 0) return false;  // unused dimensions are 0
        continue;
      }
      if (h[4 + d] == 0 || __builtin_mul_overflow(n, h[4 + d], &n)) return false;
      e.v.shape.push_back(h[4 + d]);
    }
    if (n > (end - pos) / 4) return false;
    e.v.data.resize(n);
    std::memcpy(e.v.data.data(), p + pos, 4 * n);
    pos += 4 * n;
    out->push_back(std::move(e));
  }
  uint64_t count;
  std::memcpy(&count, p + end, 8);
  return count == out->size();
}

void write_file(const std::string &path, const uint8_t *p, size_t n) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) fail("cannot write the temporary file", CORE_OK);
  if (n > 0 && std::fwrite(p, 1, n, f) != n) fail("short write", CORE_OK);
  std::fclose(f);
}

void write_seeds(const char *dir) {
  const std::vector<Initial> init = initial_entries();
  std::vector<std::vector<Value>> sets;
  sets.push_back({});
  sets.push_back({init[0].v});
  sets.push_back({init[0].v, init[1].v, init[2].v});
  std::vector<Value> many;
  for (int i = 0; i < 6; ++i) {
    Value v;
    for (int j = 0; j < 5 + 7 * i; ++j) v.data.push_back(float(i * 100 + j) / 8.0f);
    v.shape = {v.data.size()};
    if (i == 3) v.shape = {1, v.data.size()};
    many.push_back(v);
  }
  sets.push_back(many);
  int file = 0;
  for (size_t s = 0; s < sets.size(); ++s) {
    core_cache_t *c = make_cache(config_of(0));
    for (size_t i = 0; i < sets[s].size(); ++i) {
      // Seed set 2 reuses the initial keys (replacement); others new keys.
      core_key_t k = s == 2 ? init[i].key : key_of(("seed" + std::to_string(s * 10 + i)).c_str());
      put(c, k, sets[s][i]);
    }
    CHECK_OK(core_cache_save(c, g_path.c_str()));
    core_cache_destroy(c);
    FILE *f = std::fopen(g_path.c_str(), "rb");
    CHECK(f != nullptr);
    std::vector<uint8_t> bytes(1, 0);
    int ch;
    while ((ch = std::fgetc(f)) != EOF) bytes.push_back(uint8_t(ch));
    std::fclose(f);
    for (uint8_t mode : {0x00, 0x01, 0x03, 0x05, 0x07}) {
      bytes[0] = mode;
      write_file(std::string(dir) + "/seed" + std::to_string(file++), bytes.data(), bytes.size());
    }
  }
  unlink(g_path.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : nullptr;
  if (dir == nullptr) dir = std::getenv("TMPDIR");
  if (dir == nullptr || *dir == '\0') dir = "/tmp";
  const std::string base = std::string(dir) + "/libcore_fuzz_cache_" + std::to_string(getpid());
  g_path = base + ".bin";
  g_path2 = base + ".saved";
  if (const char *seeds = std::getenv("FUZZ_WRITE_SEEDS")) {
    write_seeds(seeds);
    std::exit(0);
  }
  std::atexit([] {
    unlink(g_path.c_str());
    unlink(g_path2.c_str());
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const Config cf = config_of(mode);
  std::vector<uint8_t> file(data + 1, data + size);
  if ((mode & 1) && file.size() >= 32) {
    const uint64_t sum = XXH3_64bits(file.data(), file.size() - 8);
    std::memcpy(file.data() + file.size() - 8, &sum, 8);
  }
  write_file(g_path, file.data(), file.size());

  core_cache_t *c = make_cache(cf);
  const std::vector<Initial> init = initial_entries();
  for (const Initial &e : init) put(c, e.key, e.v);
  const core_cache_stats_t before = stats(c);
  CHECK(before.entries == init.size());

  const core_status st = core_cache_load(c, g_path.c_str());
  const core_cache_stats_t after = stats(c);
  CHECK(after.inserts == before.inserts && after.hits == before.hits &&
        after.misses == before.misses);
  if (cf.max_entries) CHECK(after.entries <= cf.max_entries);
  if (cf.max_bytes) CHECK(after.bytes <= cf.max_bytes);

  std::vector<FileEntry> parsed;
  const bool well_formed = parse(file.data(), file.size(), &parsed);

  if (st == CORE_E_FORMAT || st == CORE_E_IO || st == CORE_E_OUT_OF_MEMORY) {
    // Checksum mismatches aside, a well-formed file must not be refused.
    if (st == CORE_E_FORMAT && well_formed && (mode & 1))
      fail("a well-formed file with a valid checksum was refused", st);
    CHECK(after.entries == init.size());
    for (const Initial &e : init) {
      int found = 0;
      CHECK_OK(core_cache_contains(c, &e.key, &found));
      CHECK(found == 1);
      Value v;
      CHECK(get(c, e.key, &v));
      CHECK(v == e.v);
    }
  } else if (st == CORE_OK) {
    if (!well_formed) fail("core_cache_load accepted a malformed file", st);
    // Candidate values of each key: its initial one and every file entry.
    std::map<core_key_t, std::vector<const Value *>, KeyLess> cand;
    std::map<core_key_t, const Value *, KeyLess> last;
    for (const Initial &e : init) cand[e.key].push_back(&e.v);
    for (const FileEntry &e : parsed) {
      cand[e.key].push_back(&e.v);
      last[e.key] = &e.v;
    }
    uint64_t present = 0;
    for (const auto &kv : cand) {
      Value v;
      if (!get(c, kv.first, &v)) continue;
      ++present;
      bool ok = false;
      for (const Value *x : kv.second) ok = ok || v == *x;
      if (!ok) fail("a key holds a value that is neither its old one nor one of the file's",
                    st);
      if (cf.unbounded && last.count(kv.first) && !(v == *last[kv.first]))
        fail("a key does not hold the last value the file gave it", st);
    }
    CHECK(present == after.entries);  // no key from nowhere
    if (cf.unbounded) {
      CHECK(present == cand.size());
      // Round trip: save, load into a fresh cache, same entries.
      CHECK_OK(core_cache_save(c, g_path2.c_str()));
      core_cache_t *c2 = make_cache(cf);
      CHECK_OK(core_cache_load(c2, g_path2.c_str()));
      CHECK(stats(c2).entries == present);
      for (const auto &kv : cand) {
        Value v1, v2;
        CHECK(get(c, kv.first, &v1) && get(c2, kv.first, &v2) && v1 == v2);
      }
      core_cache_destroy(c2);
    }
  } else {
    fail("core_cache_load returned an undocumented status", st);
  }
  core_cache_destroy(c);
  return 0;
}
