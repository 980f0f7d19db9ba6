// The metrics module's internal C++ interface (the extern "C" layer in
// libcore/abi/metrics.cpp checks arguments and writes messages; nothing here
// touches the thread-local error: failures carry their detail in an Error).
//
// Files: layout.cpp (the log-linear bucket math), histogram.cpp (atomic
// recording, reset, copies), query.cpp (count, mean, stddev, percentile over
// a copy), registry.cpp (names, labels, sanitizing, registration),
// snapshot.cpp (snapshots, merges), export_prom.cpp (Prometheus 0.0.4),
// export_text.cpp (JSON, table), clock.cpp (core_now_ns), group.cpp (a
// ring's or cache's published metrics, registered all or nothing).
#ifndef LIBCORE_METRICS_METRICS_H
#define LIBCORE_METRICS_METRICS_H

#include <core/metrics.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace core {
namespace metrics {

constexpr std::uint32_t kMagic = 0x4d455452;      // "METR"
constexpr std::uint32_t kSnapMagic = 0x534e4150;  // "SNAP"

struct Error {
  core_status status = CORE_OK;
  char message[300] = "";
  core_status set(core_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
};

// ---- layout.cpp: HdrHistogram's bucket math ---------------------------------
// Buckets: `half` sub-buckets per power of two above the first 2 * half
// values (each unit_magnitude-scaled).
struct Layout {
  std::uint64_t lowest = 1, highest = 1;
  int digits = 2;
  int unit_mag = 0;       // floor(log2(lowest))
  int sub_mag = 0;        // log2(sub-bucket count)
  int half_mag = 0;       // sub_mag - 1
  std::uint64_t sub_count = 0, half = 0, sub_mask = 0;
  int buckets = 0;
  std::size_t len = 0;    // number of counters

  static Layout make(std::uint64_t lowest, std::uint64_t highest, int digits);
  bool same(const Layout &o) const {
    return lowest == o.lowest && highest == o.highest && digits == o.digits;
  }
  std::size_t index(std::uint64_t v) const noexcept {
    const int pow2ceil = 64 - __builtin_clzll(v | sub_mask);
    const int b = pow2ceil - unit_mag - sub_mag;
    const std::uint64_t sub = v >> (b + unit_mag);
    return (static_cast<std::size_t>(b + 1) << half_mag) + static_cast<std::size_t>(sub - half);
  }
  std::uint64_t lowest_at(std::size_t i) const noexcept;   // lowest value of bucket i
  std::uint64_t width_at(std::size_t i) const noexcept;    // its number of values
  std::uint64_t median_at(std::size_t i) const noexcept { return lowest_at(i) + width_at(i) / 2; }
  std::uint64_t highest_at(std::size_t i) const noexcept { return lowest_at(i) + width_at(i) - 1; }
};

// ---- histogram.cpp ----------------------------------------------------------
struct alignas(64) Hist {
  explicit Hist(const Layout &l);
  ~Hist();
  Hist(const Hist &) = delete;
  Hist &operator=(const Hist &) = delete;

  std::atomic<std::uint64_t> *counts;  // layout.len counters
  alignas(64) std::atomic<std::uint64_t> sum{0};
  std::atomic<std::uint64_t> min{UINT64_MAX};
  std::atomic<std::uint64_t> max{0};
  alignas(64) std::atomic<std::uint64_t> under{0};
  std::atomic<std::uint64_t> over{0};
};

// A plain copy of a histogram: what queries and export read.
struct HistData {
  std::vector<std::uint64_t> counts;
  std::uint64_t total = 0, sum = 0, min = UINT64_MAX, max = 0, under = 0, over = 0;
};

inline void record(const Layout &L, Hist &h, std::int64_t ns) noexcept {
  std::uint64_t v;
  if (__builtin_expect(ns < 0, 0)) {
    v = 0;
    h.under.fetch_add(1, std::memory_order_relaxed);
  } else if (__builtin_expect(static_cast<std::uint64_t>(ns) > L.highest, 0)) {
    v = L.highest;
    h.over.fetch_add(1, std::memory_order_relaxed);
  } else {
    v = static_cast<std::uint64_t>(ns);
  }
  h.counts[L.index(v)].fetch_add(1, std::memory_order_relaxed);
  h.sum.fetch_add(v, std::memory_order_relaxed);
  std::uint64_t cur = h.min.load(std::memory_order_relaxed);
  while (v < cur && !h.min.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
  cur = h.max.load(std::memory_order_relaxed);
  while (v > cur && !h.max.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

// Copies h into out (reset: swapping every field with its empty value).
void copy(const Layout &L, Hist &h, HistData *out, bool reset);
// Adds d (in layout from) into the live h (in layout to).
void add_into(const Layout &to, Hist &h, const Layout &from, const HistData &d);
// Adds d (layout from) into e (layout to).
void add_into(const Layout &to, HistData &e, const Layout &from, const HistData &d);

// ---- query.cpp -------------------------------------------------------------
void stats(const Layout &L, const HistData &d, core_timer_stats_t *out);
// Nearest-rank percentile; d.total must be > 0.
std::uint64_t percentile(const Layout &L, const HistData &d, double q);

// ---- registry.cpp ----------------------------------------------------------
using Labels = std::vector<std::pair<std::string, std::string>>;

struct Desc {
  std::string name;    // as registered
  std::string family;  // exported name (sanitized + unit suffix)
  std::string help;
  Labels labels;
  core_metric_kind kind = CORE_METRIC_TIMER;
};

struct Metric {
  Desc desc;
  std::unique_ptr<Hist> hist;                 // timers
  alignas(64) std::atomic<std::uint64_t> value{0};  // counter, or gauge double bits
};

// The name tables shared by registries and snapshots.
struct Names {
  std::unordered_map<std::string, std::size_t> by_key;     // name + labels -> id
  std::unordered_map<std::string, std::size_t> first;      // name -> first id
  std::unordered_map<std::string, std::string> reserved;   // series name -> owner name
  std::unordered_map<std::string, core_metric_kind> kind_of; // name -> kind
};

struct Registry {
  std::uint32_t magic = kMagic;
  Layout layout;
  std::vector<double> prom;  // le boundaries, seconds
  std::size_t cap = 0;
  std::unique_ptr<Metric *[]> slots;
  std::atomic<std::uint32_t> n{0};
  mutable std::mutex mu;
  Names names;
  ~Registry();

  Metric *get(core_metric_id_t id, core_metric_kind kind) const noexcept {
    if (id >= n.load(std::memory_order_acquire)) return nullptr;
    Metric *m = slots[id];
    return m->desc.kind == kind ? m : nullptr;
  }
};

// The key of (name, labels) in Names::by_key.
std::string series_key(const std::string &name, const Labels &labels);
// Builds and checks a Desc (name, help, labels); the collision check is
// check_names.
core_status make_desc(core_metric_kind kind, const char *name, const char *help,
                      const core_metric_label_t *labels, std::size_t nlabels, Desc *out,
                      Error *err);
// Looks the desc up in names: *existing = its id if the same series exists;
// else checks kind conflicts and collisions of its series names.
core_status check_names(const Names &names, const Desc &d, std::size_t *existing, Error *err);
// Adds d's names as id `id`. Strong guarantee: when an insertion throws
// (out of memory) the ones made are undone, so a failed registration leaves
// no name behind (a stale entry would hand out an id never registered, or
// refuse the retry as a collision).
void add_names(Names &names, const Desc &d, std::size_t id);
// Several descs' names added as one step: add() them, then commit(); until
// then the destructor (or undo()) erases every name added, without
// allocating.
class NamesUndo {
 public:
  NamesUndo(Names &names, std::size_t descs);  // room for `descs` add() calls
  ~NamesUndo() { undo(); }
  NamesUndo(const NamesUndo &) = delete;
  NamesUndo &operator=(const NamesUndo &) = delete;
  void add(const Desc &d, std::size_t id);  // throws std::bad_alloc
  void undo() noexcept;
  void commit() noexcept;

 private:
  Names &names_;
  std::vector<const std::string *> by_key_, first_, kind_of_, reserved_;
};
// Registers (under r.mu). *id = the id.
core_status register_metric(Registry &r, Desc d, core_metric_id_t *id, Error *err);
core_status register_locked(Registry &r, Desc d, core_metric_id_t *id, Error *err);
// Registers descs, already checked (new names, no collisions, room for all),
// as the next ids (ids[i] for descs[i]), all or nothing: every allocation
// comes before the registry changes. Under r.mu. Throws std::bad_alloc, r
// then unchanged.
void register_new_locked(Registry &r, std::vector<Desc> descs, core_metric_id_t *ids);
Registry *create(const core_metrics_options_t &opts);
core_status default_prom(const Layout &L, std::vector<double> *out);
core_status find(const Names &names, const char *name, std::size_t *id);

// ---- group.cpp -------------------------------------------------------------
// One metric of a group registered under a common prefix.
struct GroupSpec {
  const char *suffix;
  core_metric_kind kind;
  const char *help;
};
// Registers prefix + specs[i].suffix for each of the n specs into m, all or
// nothing: checks m's magic, builds and checks every name, refuses names
// already registered and a registry without room for n more, then registers
// (taking m's lock once). ids[i] = the id of specs[i]. On failure writes a
// message naming the metric and the prefix into msg (cap bytes); owner
// ("ring", "cache") names the publisher in it.
core_status register_group(core_metrics_t *m, const char *prefix, const char *owner,
                           const GroupSpec *specs, std::size_t n, core_metric_id_t *ids,
                           char *msg, std::size_t cap);

// ---- snapshot.cpp ----------------------------------------------------------
struct SnapMetric {
  Desc desc;
  HistData hist;
  std::uint64_t counter = 0;
  double gauge = 0;
};

struct Snapshot {
  std::uint32_t magic = kSnapMagic;
  Layout layout;
  std::vector<double> prom;
  std::vector<SnapMetric> metrics;
  Names names;
  ~Snapshot() { magic = 0; }
};

Snapshot *take(Registry &r, bool reset);
core_status merge(Snapshot &dst, const Snapshot &src, Error *err);
core_status merge(Registry &dst, const Snapshot &src, Error *err);

// ---- export_prom.cpp / export_text.cpp -------------------------------------------
void export_prometheus(const Snapshot &s, unsigned flags, std::string *out);
void export_json(const Snapshot &s, std::string *out);
void export_table(const Snapshot &s, std::string *out);

// ---- clock.cpp -------------------------------------------------------------------
std::uint64_t now_ns() noexcept;

}  // namespace metrics
}  // namespace core

#endif
