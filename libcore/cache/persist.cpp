// save and load. The file (native little-endian):
//   header   8 bytes "LCCACHE\0", uint32 version (CORE_CACHE_FILE_VERSION),
//            uint32 0
//   entries  each: uint64 key.lo, key.hi, written (clock ms), uint32 ndim,
//            uint32 0, uint64 shape[4] (unused dims 0), then prod(shape)
//            float32 values
//   trailer  uint64 entry count, uint64 XXH3-64 (seed 0) of every byte
//            before it (header, entries and count)
// save writes a temporary file beside the target, fsyncs, renames, and
// fsyncs the folder. load parses and checks the whole file into detached
// entries first and touches the cache only when everything is valid.
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "libcore/cache/cache.h"

namespace core {
namespace cache {

namespace {

constexpr char kFileMagic[8] = {'L', 'C', 'C', 'A', 'C', 'H', 'E', '\0'};
constexpr std::size_t kHeader = 16, kEntryHeader = 64, kTrailer = 16;

struct EntryHeader {
  std::uint64_t lo, hi, written;
  std::uint32_t ndim, reserved;
  std::uint64_t shape[CORE_CACHE_MAX_DIMS];
};
static_assert(sizeof(EntryHeader) == kEntryHeader, "entry header layout");

// A FILE* writer that hashes what it writes.
struct Out {
  std::FILE *f;
  XXH3_state_t st;
  bool ok = true;
  void write(const void *p, std::size_t n, bool hash = true) {
    if (ok && std::fwrite(p, 1, n, f) != n) ok = false;
    if (hash) XXH3_64bits_update(&st, p, n);
  }
};

std::string folder_of(const std::string &path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

core_status save(Cache &c, const char *path, Error *err) {
  // Every allocation before the file is touched: once it is renamed over
  // path, a failure (std::bad_alloc for the folder's name, as it was) would
  // report an error for a save that happened.
  const std::string folder = folder_of(path);
  std::string tmp = std::string(path) + ".tmp.XXXXXX";
  const int fd = mkstemp(&tmp[0]);
  if (fd < 0)
    return err->set(CORE_E_IO, "cannot create a temporary file beside \"%s\": %s", path,
                    std::strerror(errno));
  std::FILE *f = fdopen(fd, "wb");
  if (f == nullptr) {  // fdopen fails only for lack of memory here (ENOMEM)
    const int e = errno;
    close(fd);
    ::unlink(tmp.c_str());
    return err->set(e == ENOMEM ? CORE_E_OUT_OF_MEMORY : CORE_E_IO, "fdopen failed: %s",
                    std::strerror(e));
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  Out out{f, {}, true};
  XXH3_64bits_reset(&out.st);
  const std::uint32_t version = CORE_CACHE_FILE_VERSION, zero = 0;
  out.write(kFileMagic, 8);
  out.write(&version, 4);
  out.write(&zero, 4);
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < c.nshards && out.ok; ++i) {
    Shard &s = c.shards[i];
    std::lock_guard<std::mutex> l(s.mu);
    const std::uint64_t now = c.now();
    // Least recently used first, so a load replays the recency order.
    for (const Entry *e = s.lru_old; e != nullptr && out.ok; e = e->lru_next) {
      if (c.ttl_ms != 0 && e->expires <= now) continue;
      EntryHeader h{};
      h.lo = e->key.lo;
      h.hi = e->key.hi;
      h.written = e->written;
      h.ndim = static_cast<std::uint32_t>(e->ndim);
      for (std::size_t d = 0; d < e->ndim; ++d) h.shape[d] = e->shape[d];
      out.write(&h, sizeof h);
      out.write(e->data(), e->n * sizeof(float));
      count += 1;
    }
  }
  out.write(&count, 8);
  const std::uint64_t sum = XXH3_64bits_digest(&out.st);
  out.write(&sum, 8, false);
  int e = 0;
  if (!out.ok || std::fflush(f) != 0) e = errno != 0 ? errno : EIO;
  if (e == 0 && fsync(fd) != 0) e = errno;
  if (std::fclose(f) != 0 && e == 0) e = errno;
  if (e == 0 && std::rename(tmp.c_str(), path) != 0) e = errno;
  if (e != 0) {
    ::unlink(tmp.c_str());
    return err->set(CORE_E_IO, "cannot write \"%s\": %s", path, std::strerror(e));
  }
  const int dfd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {  // best effort: some file systems refuse fsync on folders
    (void)fsync(dfd);
    close(dfd);
  }
  return CORE_OK;
}

namespace {

// Detached entries read from a file; freed unless handed to the cache.
struct Loaded {
  std::vector<Entry *> v;
  ~Loaded() {
    for (Entry *e : v)
      if (e != nullptr) free_entry(e);
  }
};

struct In {
  std::FILE *f;
  XXH3_state_t st;
  bool read(void *p, std::size_t n, bool hash = true) {
    if (std::fread(p, 1, n, f) != n) return false;
    if (hash) XXH3_64bits_update(&st, p, n);
    return true;
  }
};

core_status parse(std::FILE *f, std::uint64_t size, const char *path, Loaded *loaded,
                  Error *err) {
  if (size == 0) return err->set(CORE_E_FORMAT, "\"%s\" is empty", path);
  if (size < kHeader + kTrailer)
    return err->set(CORE_E_FORMAT, "\"%s\" is truncated (%llu bytes)", path,
                    static_cast<unsigned long long>(size));
  In in{f, {}};
  XXH3_64bits_reset(&in.st);
  char magic[8];
  std::uint32_t version = 0, reserved = 0;
  if (!in.read(magic, 8) || !in.read(&version, 4) || !in.read(&reserved, 4))
    return err->set(CORE_E_IO, "cannot read \"%s\"", path);
  if (std::memcmp(magic, kFileMagic, 8) != 0)
    return err->set(CORE_E_FORMAT, "\"%s\" is not a libcore cache file (bad magic)", path);
  if (version != CORE_CACHE_FILE_VERSION)
    return err->set(CORE_E_FORMAT, "\"%s\" has format version %u; this library reads version %d",
                    path, version, CORE_CACHE_FILE_VERSION);
  std::uint64_t left = size - kHeader - kTrailer;
  while (left > 0) {
    EntryHeader h;
    if (left < kEntryHeader || !in.read(&h, sizeof h))
      return err->set(CORE_E_FORMAT, "\"%s\" is truncated or corrupt (entry %zu)", path,
                      loaded->v.size());
    left -= kEntryHeader;
    std::uint64_t n = 1;
    bool bad = h.ndim == 0 || h.ndim > CORE_CACHE_MAX_DIMS || h.reserved != 0;
    for (std::uint32_t d = 0; !bad && d < CORE_CACHE_MAX_DIMS; ++d) {
      if (d < h.ndim)
        bad = h.shape[d] == 0 || __builtin_mul_overflow(n, h.shape[d], &n);
      else
        bad = h.shape[d] != 0;
    }
    if (bad || n > left / sizeof(float))
      return err->set(CORE_E_FORMAT, "\"%s\" is truncated or corrupt (entry %zu: bad shape)",
                      path, loaded->v.size());
    loaded->v.push_back(nullptr);
    Entry *e = alloc_entry(n);
    if (e == nullptr)
      return err->set(CORE_E_OUT_OF_MEMORY, "no memory for an entry of %llu floats",
                      static_cast<unsigned long long>(n));
    loaded->v.back() = e;
    e->key = core_key_t{h.lo, h.hi};
    e->written = h.written;
    e->n = n;
    e->ndim = h.ndim;
    for (std::uint32_t d = 0; d < h.ndim; ++d) e->shape[d] = h.shape[d];
    if (!in.read(e->data(), n * sizeof(float)))
      return err->set(CORE_E_FORMAT, "\"%s\" is truncated (entry %zu)", path,
                      loaded->v.size() - 1);
    left -= n * sizeof(float);
  }
  std::uint64_t count = 0, sum = 0;
  if (!in.read(&count, 8)) return err->set(CORE_E_FORMAT, "\"%s\" is truncated", path);
  const std::uint64_t want = XXH3_64bits_digest(&in.st);
  if (!in.read(&sum, 8, false)) return err->set(CORE_E_FORMAT, "\"%s\" is truncated", path);
  if (sum != want)
    return err->set(CORE_E_FORMAT, "\"%s\" is corrupt: checksum mismatch", path);
  if (count != loaded->v.size())
    return err->set(CORE_E_FORMAT, "\"%s\" is corrupt: %llu entries announced, %zu found", path,
                    static_cast<unsigned long long>(count), loaded->v.size());
  return CORE_OK;
}

}  // namespace

core_status load(Cache &c, const char *path, Error *err) {
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return err->set(CORE_E_IO, "cannot open \"%s\": %s", path, std::strerror(errno));
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    close(fd);
    return err->set(CORE_E_IO, "\"%s\" is not a regular file", path);
  }
  std::FILE *f = fdopen(fd, "rb");
  if (f == nullptr) {  // as in save: out of memory
    const int e = errno;
    close(fd);
    return err->set(e == ENOMEM ? CORE_E_OUT_OF_MEMORY : CORE_E_IO, "fdopen failed: %s",
                    std::strerror(e));
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  Loaded loaded;
  core_status st;
  try {  // parse throws std::bad_alloc (its list of entries): close f first
    st = parse(f, static_cast<std::uint64_t>(sb.st_size), path, &loaded, err);
  } catch (...) {
    std::fclose(f);
    throw;
  }
  std::fclose(f);
  if (st != CORE_OK) return st;

  // Everything is valid: store, least recently used first.
  for (Entry *&e : loaded.v) {
    Shard &s = c.shard_of(e->key);
    std::lock_guard<std::mutex> l(s.mu);
    const std::uint64_t now = c.now();
    const bool dead = c.ttl_ms != 0 && e->written <= now && now - e->written >= c.ttl_ms;
    if (dead || !fits(s, e->n))
      continue;  // expired, or too large for this cache: left to ~Loaded
    sweep_expired(c, s, now);
    insert(c, s, e, false);  // may throw bad_alloc: e stays in `loaded`
    e = nullptr;
  }
  return CORE_OK;
}

}  // namespace cache
}  // namespace core
