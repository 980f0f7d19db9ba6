// The registry: names -> small ids, sanitized exported names and their
// collisions, labels, help text; counters and gauges live in Metric::value.
// Registration takes the registry's lock; the id -> metric table is a fixed
// array published with release stores, so recorders never lock.
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "libcore/metrics/metrics.h"

namespace core {
namespace metrics {

core_status Error::set(core_status st, const char *fmt, ...) {
  status = st;
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(message, sizeof message, fmt, args);
  va_end(args);
  return st;
}

namespace {

const char *kind_name(core_metric_kind k) {
  return k == CORE_METRIC_TIMER ? "timer" : k == CORE_METRIC_COUNTER ? "counter" : "gauge";
}

bool ends_with(const std::string &s, const char *suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The series names a metric exports (convention 3).
std::vector<std::string> series_names(const Desc &d) {
  std::vector<std::string> out{d.family};
  if (d.kind == CORE_METRIC_TIMER)
    for (const char *s : {"_bucket", "_sum", "_count"}) out.push_back(d.family + s);
  return out;
}

}  // namespace

std::string series_key(const std::string &name, const Labels &labels) {
  Labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  std::string key = name;
  for (const auto &l : sorted) {
    key += '\0';
    key += l.first;
    key += '\0';
    key += l.second;
  }
  return key;
}

core_status make_desc(core_metric_kind kind, const char *name, const char *help,
                      const core_metric_label_t *labels, std::size_t nlabels, Desc *out,
                      Error *err) {
  const std::size_t len = std::strlen(name);
  if (len == 0) return err->set(CORE_E_INVALID_ARGUMENT, "name is empty");
  if (len > CORE_METRICS_MAX_NAME)
    return err->set(CORE_E_INVALID_ARGUMENT, "name is %zu bytes long, more than %d", len,
                    CORE_METRICS_MAX_NAME);
  std::string fam;
  bool meaningful = false;
  for (std::size_t i = 0; i < len; ++i) {
    const char c = name[i];
    if (is_alpha(c) || is_digit(c) || c == ':') {
      meaningful = true;
      fam += c;
    } else {
      fam += '_';
    }
  }
  if (!meaningful)
    return err->set(CORE_E_INVALID_ARGUMENT,
                    "name \"%s\" sanitizes to \"%s\": it has no letter, digit or ':' left",
                    name, fam.c_str());
  if (is_digit(fam[0])) fam.insert(fam.begin(), '_');
  if (kind == CORE_METRIC_TIMER && !ends_with(fam, "_seconds")) fam += "_seconds";
  if (kind == CORE_METRIC_COUNTER && !ends_with(fam, "_total")) fam += "_total";

  if (nlabels > CORE_METRICS_MAX_LABELS)
    return err->set(CORE_E_INVALID_ARGUMENT, "%zu labels, more than %d", nlabels,
                    CORE_METRICS_MAX_LABELS);
  Labels ls;
  for (std::size_t i = 0; i < nlabels; ++i) {
    const char *ln = labels[i].name, *lv = labels[i].value;
    if (ln == nullptr) return err->set(CORE_E_INVALID_ARGUMENT, "labels[%zu].name is NULL", i);
    if (lv == nullptr) return err->set(CORE_E_INVALID_ARGUMENT, "labels[%zu].value is NULL", i);
    bool ok = ln[0] != '\0' && (is_alpha(ln[0]) || ln[0] == '_');
    for (const char *p = ln; ok && *p; ++p) ok = is_alpha(*p) || is_digit(*p) || *p == '_';
    if (!ok)
      return err->set(CORE_E_INVALID_ARGUMENT,
                      "labels[%zu].name \"%s\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)", i,
                      ln);
    if (ln[0] == '_' && ln[1] == '_')
      return err->set(CORE_E_INVALID_ARGUMENT,
                      "labels[%zu].name \"%s\" starts with \"__\" (reserved by Prometheus)", i, ln);
    if (std::strcmp(ln, "le") == 0 || std::strcmp(ln, "quantile") == 0)
      return err->set(CORE_E_INVALID_ARGUMENT,
                      "labels[%zu].name \"%s\" is reserved by histogram and summary series", i,
                      ln);
    for (const auto &prev : ls)
      if (prev.first == ln)
        return err->set(CORE_E_INVALID_ARGUMENT, "label \"%s\" is given twice", ln);
    ls.emplace_back(ln, lv);
  }
  out->name = name;
  out->family = std::move(fam);
  out->kind = kind;
  out->labels = std::move(ls);
  if (help != nullptr) {
    out->help = help;
  } else {
    out->help = kind == CORE_METRIC_TIMER ? "Timer " : kind == CORE_METRIC_COUNTER ? "Counter "
                                                                                  : "Gauge ";
    out->help += name;
  }
  return CORE_OK;
}

core_status check_names(const Names &names, const Desc &d, std::size_t *existing, Error *err) {
  *existing = SIZE_MAX;
  const auto k = names.kind_of.find(d.name);
  if (k != names.kind_of.end() && k->second != d.kind)
    return err->set(CORE_E_INVALID_ARGUMENT, "\"%s\" is already registered as a %s, not a %s",
                    d.name.c_str(), kind_name(k->second), kind_name(d.kind));
  const auto same = names.by_key.find(series_key(d.name, d.labels));
  if (same != names.by_key.end()) {
    *existing = same->second;
    return CORE_OK;
  }
  for (const std::string &s : series_names(d)) {
    const auto r = names.reserved.find(s);
    if (r != names.reserved.end() && r->second != d.name)
      return err->set(CORE_E_INVALID_ARGUMENT,
                      "\"%s\" exports the series name %s, which collides with metric \"%s\"",
                      d.name.c_str(), s.c_str(), r->second.c_str());
  }
  return CORE_OK;
}

NamesUndo::NamesUndo(Names &names, std::size_t descs) : names_(names) {
  by_key_.reserve(descs);
  first_.reserve(descs);
  kind_of_.reserve(descs);
  reserved_.reserve(4 * descs);  // a timer reserves 4 series names, others 1
}

void NamesUndo::add(const Desc &d, std::size_t id) {
  const std::vector<std::string> series = series_names(d);  // may throw: nothing added yet
  // Each emplace inserts or throws with no effect; each key inserted is
  // recorded (its node's address is stable) in room reserved above.
  auto k = names_.by_key.emplace(series_key(d.name, d.labels), id);
  if (k.second) by_key_.push_back(&k.first->first);
  auto f = names_.first.emplace(d.name, id);
  if (f.second) first_.push_back(&f.first->first);
  auto t = names_.kind_of.emplace(d.name, d.kind);
  if (t.second) kind_of_.push_back(&t.first->first);
  for (const std::string &s : series) {
    auto r = names_.reserved.emplace(s, d.name);
    if (r.second) reserved_.push_back(&r.first->first);
  }
}

namespace {
// Erases the recorded keys, newest first: find() looks a key up without
// allocating, and the key is read before its node is erased.
template <class Map>
void erase_keys(Map &m, std::vector<const std::string *> &keys) noexcept {
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) m.erase(m.find(**it));
  keys.clear();
}
}  // namespace

void NamesUndo::undo() noexcept {
  erase_keys(names_.reserved, reserved_);
  erase_keys(names_.kind_of, kind_of_);
  erase_keys(names_.first, first_);
  erase_keys(names_.by_key, by_key_);
}

void NamesUndo::commit() noexcept {
  by_key_.clear();
  first_.clear();
  kind_of_.clear();
  reserved_.clear();
}

void add_names(Names &names, const Desc &d, std::size_t id) {
  NamesUndo undo(names, 1);
  undo.add(d, id);
  undo.commit();
}

core_status find(const Names &names, const char *name, std::size_t *id) {
  const auto it = names.first.find(name);
  if (it == names.first.end()) return CORE_E_NOT_FOUND;
  *id = it->second;
  return CORE_OK;
}

core_status register_locked(Registry &r, Desc d, core_metric_id_t *id, Error *err) {
  std::size_t existing;
  if (check_names(r.names, d, &existing, err) != CORE_OK) return err->status;
  if (existing != SIZE_MAX) {
    *id = static_cast<core_metric_id_t>(existing);
    return CORE_OK;
  }
  const std::uint32_t n = r.n.load(std::memory_order_relaxed);
  if (n >= r.cap)
    return err->set(CORE_E_FULL, "the registry holds max_metrics = %zu metrics already", r.cap);
  auto m = std::make_unique<Metric>();
  if (d.kind == CORE_METRIC_TIMER) m->hist = std::make_unique<Hist>(r.layout);
  m->desc = std::move(d);
  add_names(r.names, m->desc, n);
  r.slots[n] = m.release();
  r.n.store(n + 1, std::memory_order_release);
  *id = n;
  return CORE_OK;
}

void register_new_locked(Registry &r, std::vector<Desc> descs, core_metric_id_t *ids) {
  const std::size_t count = descs.size();
  const std::uint32_t n0 = r.n.load(std::memory_order_relaxed);
  std::vector<std::unique_ptr<Metric>> made;
  made.reserve(count);
  for (Desc &d : descs) {
    auto m = std::make_unique<Metric>();
    if (d.kind == CORE_METRIC_TIMER) m->hist = std::make_unique<Hist>(r.layout);
    m->desc = std::move(d);
    made.push_back(std::move(m));
  }
  NamesUndo undo(r.names, count);  // its destructor undoes the names unless committed
  for (std::size_t i = 0; i < count; ++i) undo.add(made[i]->desc, n0 + i);
  undo.commit();
  // Nothing can fail from here on.
  for (std::size_t i = 0; i < count; ++i) {
    r.slots[n0 + i] = made[i].release();
    ids[i] = static_cast<core_metric_id_t>(n0 + i);
  }
  r.n.store(static_cast<std::uint32_t>(n0 + count), std::memory_order_release);
}

core_status register_metric(Registry &r, Desc d, core_metric_id_t *id, Error *err) {
  std::lock_guard<std::mutex> lock(r.mu);
  return register_locked(r, std::move(d), id, err);
}

Registry::~Registry() {
  magic = 0;
  const std::uint32_t count = n.load(std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < count; ++i) delete slots[i];
}

core_status default_prom(const Layout &L, std::vector<double> *out) {
  out->clear();
  // Parsed from decimal text so each boundary is the double nearest to it
  // (2.5e-06, not 2.5 * 1e-06 = 2.4999999999999998e-06).
  for (int e = -6; e <= 1; ++e)
    for (const char *f : {"1", "2.5", "5"}) {
      char text[16];
      std::snprintf(text, sizeof text, "%se%d", f, e);
      out->push_back(std::strtod(text, nullptr));
    }
  out->push_back(100.0);
  while (!out->empty() && out->back() * 1e9 > static_cast<double>(L.highest)) out->pop_back();
  return CORE_OK;
}

Registry *create(const core_metrics_options_t &o) {
  auto r = std::make_unique<Registry>();
  r->layout = Layout::make(o.lowest_ns, o.highest_ns, o.significant_digits);
  if (o.prom_buckets != nullptr)
    r->prom.assign(o.prom_buckets, o.prom_buckets + o.prom_bucket_count);
  else
    default_prom(r->layout, &r->prom);
  r->cap = o.max_metrics;
  r->slots.reset(new Metric *[o.max_metrics]());
  return r.release();
}

}  // namespace metrics
}  // namespace core
