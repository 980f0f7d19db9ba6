// libFuzzer target: the metrics registry (metrics.h) with arbitrary names,
// labels, values and operation sequences, against a model.
//
// Input: byte 0 chooses the registry options (defaults, or a small
// max_metrics, other digits / lowest / highest, custom Prometheus buckets,
// some out of range); then operations: an opcode byte and its bytes.
// Names and label values are built from the input over an alphabet that
// mixes what sanitizing keeps ([a-zA-Z0-9_:]), what it replaces ('.', '-',
// ' ', '"', '\\', newline, '{', '='), multi-byte UTF-8 and leading
// digits, with lengths up to just past CORE_METRICS_MAX_NAME.
//
// Checked against include/core/metrics.h:
//  - create accepts exactly the documented options;
//  - registration (convention 3 and 4, modelled independently): the
//    exported name (sanitized, '_' before a leading digit, _seconds /
//    _total appended unless present); invalid names and labels, another
//    kind under the same name, and a collision of any exported series name
//    with another metric's are CORE_E_INVALID_ARGUMENT; the same name,
//    kind and label set (in any order) returns the first id; a full
//    registry is CORE_E_FULL; new ids count up from 0; find gives the
//    first series of a name;
//  - recording: counters add modulo 2^64 (delta >= 2^63 refused), gauges
//    set/add (non-finite refused) equal the model's doubles bit for bit,
//    timers count, sum, min, max, underflows and overflows exactly
//    (convention 5: negative values become 0, values above highest_ns
//    become highest_ns), percentile 0 and 1 give min and max; a wrong
//    kind or an unknown id is CORE_E_INVALID_ARGUMENT;
//  - export (convention 9) in every format and flag: *needed always
//    written, CORE_E_BUFFER_TOO_SMALL below it with nothing written,
//    CORE_OK at exactly *needed with strlen + 1 == *needed; an unknown
//    format or flag is refused; the Prometheus text is well formed line by
//    line (HELP and TYPE per family, one TYPE per registered name, sample
//    names that belong to their family, label syntax and escapes, values
//    that parse as numbers); the JSON text is valid RFC 8259 with one
//    element per metric in its kind's array;
//  - a snapshot exports the same text as its registry; snapshot_and_reset
//    empties the timers; merging a registry into another either succeeds
//    or fails with a documented status, and exports stay well formed.
//
// FUZZ_WRITE_SEEDS=DIR: write a few hand-made inputs to DIR and exit.
// FUZZ_TRACE=1: print each operation.
#define FUZZ_NAME "fuzz_metrics"
#include "fuzz_common.h"

#include <core/metrics.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace {

bool trace = false;

// ---- the model ------------------------------------------------------------------

typedef std::vector<std::pair<std::string, std::string>> Labels;

struct MMetric {
  core_metric_kind kind;
  std::string name, family;
  Labels sorted;  // by label name
  uint64_t counter = 0;
  double gauge = 0.0;
  uint64_t count = 0, sum = 0, min = 0, max = 0, under = 0, over = 0;
};

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The exported name, or "" when the name is invalid (convention 3).
std::string family_of(const std::string &name, core_metric_kind kind) {
  if (name.empty() || name.size() > CORE_METRICS_MAX_NAME) return "";
  std::string f;
  bool meaningful = false;
  for (char c : name) {
    const bool keep = is_alpha(c) || is_digit(c) || c == ':';
    meaningful = meaningful || keep;
    f += keep ? c : '_';
  }
  if (!meaningful) return "";
  if (is_digit(f[0])) f = "_" + f;
  const auto ends = [&](const char *s) {
    const size_t n = std::strlen(s);
    return f.size() >= n && f.compare(f.size() - n, n, s) == 0;
  };
  if (kind == CORE_METRIC_TIMER && !ends("_seconds")) f += "_seconds";
  if (kind == CORE_METRIC_COUNTER && !ends("_total")) f += "_total";
  return f;
}

std::vector<std::string> series_of(const std::string &family, core_metric_kind kind) {
  std::vector<std::string> s{family};
  if (kind == CORE_METRIC_TIMER)
    for (const char *x : {"_bucket", "_sum", "_count"}) s.push_back(family + x);
  return s;
}

bool valid_label_name(const std::string &n) {
  if (n.empty() || !(is_alpha(n[0]) || n[0] == '_')) return false;
  for (char c : n)
    if (!(is_alpha(c) || is_digit(c) || c == '_')) return false;
  if (n.size() >= 2 && n[0] == '_' && n[1] == '_') return false;
  return n != "le" && n != "quantile";
}

struct Model {
  size_t cap = 1024;
  uint64_t highest = 3600000000000ull;
  std::vector<MMetric> metrics;
  std::map<std::string, size_t> first;               // name -> first id
  std::map<std::string, std::string> reserved;       // series name -> metric name
  std::map<std::string, core_metric_kind> kind_of;   // name -> kind

  // The expected status and id of a registration.
  core_status expect(core_metric_kind kind, const std::string &name, const Labels &labels,
                     size_t *id) const {
    const std::string fam = family_of(name, kind);
    if (fam.empty()) return CORE_E_INVALID_ARGUMENT;
    if (labels.size() > CORE_METRICS_MAX_LABELS) return CORE_E_INVALID_ARGUMENT;
    std::set<std::string> seen;
    for (const auto &l : labels) {
      if (!valid_label_name(l.first) || !seen.insert(l.first).second)
        return CORE_E_INVALID_ARGUMENT;
    }
    auto k = kind_of.find(name);
    if (k != kind_of.end() && k->second != kind) return CORE_E_INVALID_ARGUMENT;
    Labels sorted = labels;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < metrics.size(); ++i)
      if (metrics[i].name == name && metrics[i].sorted == sorted) {
        *id = i;
        return CORE_OK;
      }
    for (const std::string &s : series_of(fam, kind)) {
      auto r = reserved.find(s);
      if (r != reserved.end() && r->second != name) return CORE_E_INVALID_ARGUMENT;
    }
    if (metrics.size() >= cap) return CORE_E_FULL;
    *id = metrics.size();
    return CORE_OK;
  }
  void add(core_metric_kind kind, const std::string &name, const Labels &labels) {
    MMetric m;
    m.kind = kind;
    m.name = name;
    m.family = family_of(name, kind);
    m.sorted = labels;
    std::sort(m.sorted.begin(), m.sorted.end());
    first.emplace(name, metrics.size());
    kind_of.emplace(name, kind);
    for (const std::string &s : series_of(m.family, kind)) reserved.emplace(s, name);
    metrics.push_back(m);
  }
  size_t names() const { return first.size(); }
};

// ---- strings from the input ---------------------------------------------------------

const char *const kPieces[] = {"a",  "b",  "z", "Q",  "_",  ":",  "0",  "7",  ".",  "-",
                               " ",  "\"", "\\", "\n", "{",  "=",  "\xc3\xa9", "\xe6\x97\xa5",
                               "_total", "_seconds", "_bucket", "_count", "_sum", "le",
                               "__", "quantile", "lid", "\t", "}", ","};
constexpr size_t kNumPieces = sizeof kPieces / sizeof kPieces[0];

std::string make_string(Reader &in, bool allow_long) {
  const uint8_t len = in.u8();
  if (allow_long && len == 0xff) return std::string(CORE_METRICS_MAX_NAME, 'x');
  if (allow_long && len == 0xfe) return std::string(CORE_METRICS_MAX_NAME + 1, 'y');
  if (allow_long && len == 0xfd) return "x" + std::string(CORE_METRICS_MAX_NAME - 9, '.') + "_seconds";
  std::string s;
  for (size_t i = 0; i < size_t(len % 7); ++i) s += kPieces[in.pick(kNumPieces)];
  return s;
}

// ---- validators ---------------------------------------------------------------------

bool prom_name(const std::string &s) {
  if (s.empty() || !(is_alpha(s[0]) || s[0] == '_' || s[0] == ':')) return false;
  for (char c : s)
    if (!(is_alpha(c) || is_digit(c) || c == '_' || c == ':')) return false;
  return true;
}

[[noreturn]] void bad_text(const char *what, const std::string &line, const std::string &text) {
  std::fprintf(stderr, "%s in line: [%s]\n--- whole text ---\n%s\n", what, line.c_str(),
               text.c_str());
  fuzz_fail(__LINE__, what, CORE_OK);
}

// Prometheus text exposition 0.0.4, line by line. Returns the TYPE lines.
size_t check_prometheus(const std::string &text, bool summary) {
  size_t types = 0, pos = 0;
  std::string family, type;
  std::set<std::string> families;
  if (!text.empty() && text.back() != '\n') bad_text("no final newline", "", text);
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.compare(0, 7, "# HELP ") == 0) {
      const size_t sp = line.find(' ', 7);
      if (sp == std::string::npos || !prom_name(line.substr(7, sp - 7)))
        bad_text("bad HELP name", line, text);
      for (size_t i = sp + 1; i < line.size(); ++i)
        if (line[i] == '\\') {
          if (i + 1 >= line.size() || (line[i + 1] != '\\' && line[i + 1] != 'n'))
            bad_text("bad escape in HELP", line, text);
          ++i;
        }
      continue;
    }
    if (line.compare(0, 7, "# TYPE ") == 0) {
      const size_t sp = line.find(' ', 7);
      family = line.substr(7, sp - 7);
      type = sp == std::string::npos ? "" : line.substr(sp + 1);
      if (!prom_name(family)) bad_text("bad TYPE name", line, text);
      if (type != "counter" && type != "gauge" && type != (summary ? "summary" : "histogram"))
        bad_text("bad TYPE", line, text);
      if (!families.insert(family).second) bad_text("a family twice", line, text);
      ++types;
      continue;
    }
    // A sample: name[{labels}] value
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    const std::string name = line.substr(0, i);
    if (!prom_name(name)) bad_text("bad sample name", line, text);
    bool ok = name == family;
    if (type == "histogram")
      ok = ok || name == family + "_bucket" || name == family + "_sum" || name == family + "_count";
    if (type == "summary") ok = ok || name == family + "_sum" || name == family + "_count";
    if (!ok) bad_text("a sample outside its family", line, text);
    if (i < line.size() && line[i] == '{') {
      ++i;
      bool first = true;
      while (i < line.size() && line[i] != '}') {
        if (!first) {
          if (line[i] != ',') bad_text("no comma between labels", line, text);
          ++i;
        }
        first = false;
        size_t j = i;
        while (j < line.size() && line[j] != '=') ++j;
        if (!valid_label_name(line.substr(i, j - i)) && line.substr(i, j - i) != "le" &&
            line.substr(i, j - i) != "quantile")
          bad_text("bad label name", line, text);
        if (j + 1 >= line.size() || line[j + 1] != '"') bad_text("no label quote", line, text);
        i = j + 2;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\') {
            if (i + 1 >= line.size() ||
                (line[i + 1] != '\\' && line[i + 1] != 'n' && line[i + 1] != '"'))
              bad_text("bad escape in a label value", line, text);
            ++i;
          }
          ++i;
        }
        if (i >= line.size()) bad_text("unterminated label value", line, text);
        ++i;
      }
      if (i >= line.size()) bad_text("unterminated labels", line, text);
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') bad_text("no space before the value", line, text);
    const std::string value = line.substr(i + 1);
    char *end = nullptr;
    std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0') bad_text("bad value", line, text);
  }
  return types;
}

// A validating JSON parser (RFC 8259) that counts the elements of the
// top-level arrays.
struct Json {
  const std::string &s;
  size_t i = 0;
  explicit Json(const std::string &t) : s(t) {}
  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
  }
  bool lit(const char *w) {
    const size_t n = std::strlen(w);
    if (s.compare(i, n, w) != 0) return false;
    i += n;
    return true;
  }
  bool string(std::string *out) {
    if (i >= s.size() || s[i] != '"') return false;
    ++i;
    while (i < s.size() && s[i] != '"') {
      const unsigned char c = s[i];
      if (c < 0x20) return false;
      if (c == '\\') {
        ++i;
        if (i >= s.size()) return false;
        const char e = s[i];
        if (e == 'u') {
          for (int k = 1; k <= 4; ++k)
            if (i + k >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + k])))
              return false;
          i += 4;
        } else if (!std::strchr("\"\\/bfnrt", e)) {
          return false;
        }
      }
      if (out) *out += s[i];
      ++i;
    }
    if (i >= s.size()) return false;
    ++i;
    return true;
  }
  bool number() {
    const size_t start = i;
    if (i < s.size() && s[i] == '-') ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    if (s[i] == '0') ++i;
    else while (i < s.size() && is_digit(s[i])) ++i;
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (i >= s.size() || !is_digit(s[i])) return false;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (i >= s.size() || !is_digit(s[i])) return false;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
    return i > start;
  }
  bool value(int depth, size_t *elements) {
    ws();
    if (depth > 16 || i >= s.size()) return false;
    const char c = s[i];
    if (c == '{') {
      ++i;
      ws();
      if (i < s.size() && s[i] == '}') return ++i, true;
      for (;;) {
        ws();
        if (!string(nullptr)) return false;
        ws();
        if (i >= s.size() || s[i] != ':') return false;
        ++i;
        if (!value(depth + 1, nullptr)) return false;
        ws();
        if (i < s.size() && s[i] == ',') { ++i; continue; }
        if (i < s.size() && s[i] == '}') return ++i, true;
        return false;
      }
    }
    if (c == '[') {
      ++i;
      ws();
      if (i < s.size() && s[i] == ']') return ++i, true;
      for (;;) {
        if (!value(depth + 1, nullptr)) return false;
        if (elements) ++*elements;
        ws();
        if (i < s.size() && s[i] == ',') { ++i; continue; }
        if (i < s.size() && s[i] == ']') return ++i, true;
        return false;
      }
    }
    if (c == '"') return string(nullptr);
    if (lit("true") || lit("false") || lit("null")) return true;
    return number();
  }
  // {"timers":[...],"counters":[...],"gauges":[...]}
  bool top(size_t counts[3]) {
    ws();
    if (!lit("{")) return false;
    const char *const keys[] = {"timers", "counters", "gauges"};
    for (int k = 0; k < 3; ++k) {
      ws();
      std::string key;
      if (!string(&key) || key != keys[k]) return false;
      ws();
      if (!lit(":")) return false;
      ws();
      if (i >= s.size() || s[i] != '[') return false;
      if (!value(1, &counts[k])) return false;
      ws();
      if (!lit(k < 2 ? "," : "}")) return false;
    }
    ws();
    return i == s.size();
  }
};

// ---- the harness ----------------------------------------------------------------------

struct Harness {
  Reader in;
  core_metrics_t *m = nullptr;
  Model model;
  explicit Harness(const uint8_t *d, size_t n) : in(d, n) {}

  // The export size protocol; returns the text.
  std::string export_checked(core_metrics_format fmt, unsigned flags,
                             const core_metrics_snapshot_t *snap = nullptr) {
    const auto call = [&](char *buf, size_t cap, size_t *needed) {
      return snap ? core_metrics_snapshot_export(snap, fmt, flags, buf, cap, needed)
                  : core_metrics_export(m, fmt, flags, buf, cap, needed);
    };
    size_t needed = 0;
    EXPECT(call(nullptr, 0, &needed), CORE_E_BUFFER_TOO_SMALL);
    CHECK(needed >= 1);
    std::vector<char> buf(needed + 16, '#');
    size_t n2 = 0;
    EXPECT(call(buf.data(), needed - 1, &n2), CORE_E_BUFFER_TOO_SMALL);
    CHECK(n2 == needed);
    CHECK(std::all_of(buf.begin(), buf.end(), [](char c) { return c == '#'; }));  // untouched
    n2 = 0;
    CHECK_OK(call(buf.data(), needed, &n2));
    CHECK(n2 == needed);
    CHECK(std::strlen(buf.data()) + 1 == needed);
    CHECK(buf[needed] == '#');  // nothing past the NUL
    size_t n3 = 0;
    CHECK_OK(call(buf.data(), buf.size(), &n3));
    CHECK(n3 == needed);
    return std::string(buf.data());
  }

  void check_exports(const core_metrics_snapshot_t *snap = nullptr) {
    const size_t kinds[3] = {
        size_t(std::count_if(model.metrics.begin(), model.metrics.end(),
                             [](const MMetric &x) { return x.kind == CORE_METRIC_TIMER; })),
        size_t(std::count_if(model.metrics.begin(), model.metrics.end(),
                             [](const MMetric &x) { return x.kind == CORE_METRIC_COUNTER; })),
        size_t(std::count_if(model.metrics.begin(), model.metrics.end(),
                             [](const MMetric &x) { return x.kind == CORE_METRIC_GAUGE; }))};
    for (unsigned flags : {0u, unsigned(CORE_METRICS_EXPORT_SUMMARY)}) {
      const std::string p = export_checked(CORE_METRICS_PROMETHEUS, flags, snap);
      const size_t types = check_prometheus(p, flags != 0);
      if (types != model.names()) {
        std::fprintf(stderr, "%zu TYPE lines, %zu names registered\n%s\n", types,
                     model.names(), p.c_str());
        CHECK(types == model.names());
      }
    }
    const std::string j = export_checked(CORE_METRICS_JSON, 0, snap);
    Json parser(j);
    size_t counts[3] = {0, 0, 0};
    if (!parser.top(counts)) {
      std::fprintf(stderr, "invalid JSON near byte %zu:\n%s\n", parser.i, j.c_str());
      fuzz_fail(__LINE__, "the JSON export is not valid JSON", CORE_OK);
    }
    for (int k = 0; k < 3; ++k) CHECK(counts[k] == kinds[k]);
    const std::string t = export_checked(CORE_METRICS_TABLE, 0, snap);
    CHECK(!t.empty() && t.back() == '\n');
    // Refused formats and flags.
    size_t needed = 0;
    char buf[4];
    EXPECT(core_metrics_export(m, static_cast<core_metrics_format>(3), 0, buf, 4, &needed),
           CORE_E_INVALID_ARGUMENT);
    EXPECT(core_metrics_export(m, CORE_METRICS_JSON, 2, buf, 4, &needed),
           CORE_E_INVALID_ARGUMENT);
    EXPECT(core_metrics_export(m, CORE_METRICS_JSON, 0, nullptr, 4, &needed),
           CORE_E_INVALID_ARGUMENT);
    EXPECT(core_metrics_export(m, CORE_METRICS_JSON, 0, buf, 4, nullptr),
           CORE_E_INVALID_ARGUMENT);
  }

  void check_values(size_t id) {
    const MMetric &mm = model.metrics[id];
    const core_metric_id_t i = core_metric_id_t(id);
    if (mm.kind == CORE_METRIC_COUNTER) {
      uint64_t v = 1;
      CHECK_OK(core_metrics_counter_get(m, i, &v));
      CHECK(v == mm.counter);
    } else if (mm.kind == CORE_METRIC_GAUGE) {
      double v = 1;
      CHECK_OK(core_metrics_gauge_get(m, i, &v));
      CHECK(std::memcmp(&v, &mm.gauge, sizeof v) == 0);
    } else {
      core_timer_stats_t st;
      std::memset(&st, 0xcd, sizeof st);
      st.struct_size = sizeof st;
      CHECK_OK(core_metrics_timer_stats(m, i, &st));
      CHECK(st.count == mm.count && st.sum_ns == mm.sum && st.underflows == mm.under &&
            st.overflows == mm.over);
      CHECK(st.min_ns == (mm.count ? mm.min : 0) && st.max_ns == (mm.count ? mm.max : 0));
      uint64_t p = 7;
      if (mm.count == 0) {
        EXPECT(core_metrics_percentile(m, i, 0.5, &p), CORE_E_EMPTY);
      } else {
        CHECK_OK(core_metrics_percentile(m, i, 0.0, &p));
        CHECK(p == mm.min);
        CHECK_OK(core_metrics_percentile(m, i, 1.0, &p));
        CHECK(p == mm.max);
        CHECK_OK(core_metrics_percentile(m, i, 0.5, &p));
        CHECK(p >= mm.min && p <= mm.max);
      }
      EXPECT(core_metrics_percentile(m, i, std::nan(""), &p), CORE_E_INVALID_ARGUMENT);
      EXPECT(core_metrics_percentile(m, i, 1.5, &p), CORE_E_INVALID_ARGUMENT);
    }
  }

  size_t pick_id() {  // an id: mostly registered ones, sometimes unknown
    const uint8_t b = in.u8();
    if (model.metrics.empty() || b == 0xff) return model.metrics.size() + b % 3;
    return b % model.metrics.size();
  }

  void op_register() {
    const core_metric_kind kind = static_cast<core_metric_kind>(in.pick(3));
    const std::string name = make_string(in, true);
    const size_t nl = in.u8() % 11;
    Labels labels;
    for (size_t i = 0; i < nl && nl <= 9; ++i) {
      // Label names from a short list (valid, reserved, invalid, repeated).
      static const char *const kLabelNames[] = {"lang", "model", "le", "quantile", "__x",
                                                "_ok", "0bad", "", "a-b", "shard"};
      labels.emplace_back(kLabelNames[in.pick(10)], make_string(in, false));
    }
    if (in.u8() & 1) std::reverse(labels.begin(), labels.end());
    const bool with_help = in.u8() & 1;
    const std::string help = make_string(in, false);
    std::vector<core_metric_label_t> cl;
    for (const auto &l : labels) cl.push_back({l.first.c_str(), l.second.c_str()});
    size_t want_id = 0;
    const core_status want = model.expect(kind, name, labels, &want_id);
    core_metric_id_t id = 0xdead;
    const core_status st =
        kind == CORE_METRIC_TIMER
            ? core_metrics_timer(m, name.c_str(), with_help ? help.c_str() : nullptr,
                                 cl.empty() ? nullptr : cl.data(), cl.size(), &id)
        : kind == CORE_METRIC_COUNTER
            ? core_metrics_counter(m, name.c_str(), with_help ? help.c_str() : nullptr,
                                   cl.empty() ? nullptr : cl.data(), cl.size(), &id)
            : core_metrics_gauge(m, name.c_str(), with_help ? help.c_str() : nullptr,
                                 cl.empty() ? nullptr : cl.data(), cl.size(), &id);
    if (trace)
      std::fprintf(stderr, "register %d \"%s\" (%zu labels): %s (model %s)\n", int(kind),
                   name.c_str(), labels.size(), core_status_str(st), core_status_str(want));
    if (st != want) {
      std::fprintf(stderr, "register kind %d name \"%s\" family \"%s\": got %s, model %s\n",
                   int(kind), name.c_str(), family_of(name, kind).c_str(), core_status_str(st),
                   core_status_str(want));
      fuzz_fail(__LINE__, "registration status differs from the header's rules", st);
    }
    if (st != CORE_OK) {
      CHECK(id == 0xdead);
      return;
    }
    CHECK(id == want_id);
    if (want_id == model.metrics.size()) model.add(kind, name, labels);
    CHECK(core_metrics_count(m) == model.metrics.size());
    core_metric_id_t fid = 0;
    core_metric_kind fk = CORE_METRIC_GAUGE;
    CHECK_OK(core_metrics_find(m, name.c_str(), &fid, &fk));
    CHECK(fid == model.first.at(name) && fk == kind);
  }

  void op_record() {
    const size_t id = pick_id();
    const uint8_t how = in.u8();
    const bool known = id < model.metrics.size();
    const core_metric_kind kind = known ? model.metrics[id].kind : CORE_METRIC_TIMER;
    const core_metric_id_t i = core_metric_id_t(id);
    switch (how % 4) {
      case 0: {  // timer
        int64_t v;
        switch ((how >> 2) % 6) {
          case 0: v = int64_t(in.u16()) * 1000; break;
          case 1: v = -int64_t(in.u8()) - 1; break;
          case 2: v = int64_t(model.highest) + in.u8(); break;
          case 3: v = INT64_MAX; break;
          case 4: v = INT64_MIN; break;
          default: v = int64_t(in.u64() >> 2); break;
        }
        const core_status st = core_metrics_record_ns(m, i, v);
        if (!known || kind != CORE_METRIC_TIMER) {
          EXPECT(st, CORE_E_INVALID_ARGUMENT);
          return;
        }
        EXPECT(st, CORE_OK);
        MMetric &mm = model.metrics[id];
        uint64_t c;
        if (v < 0) {
          c = 0;
          mm.under++;
        } else if (uint64_t(v) > model.highest) {
          c = model.highest;
          mm.over++;
        } else {
          c = uint64_t(v);
        }
        mm.min = mm.count ? std::min(mm.min, c) : c;
        mm.max = mm.count ? std::max(mm.max, c) : c;
        mm.count++;
        mm.sum += c;
        break;
      }
      case 1: {  // counter
        uint64_t d;
        switch ((how >> 2) % 4) {
          case 0: d = in.u8(); break;
          case 1: d = (uint64_t(1) << 63) - 1 - in.u8(); break;
          case 2: d = (uint64_t(1) << 63) + in.u8(); break;
          default: d = uint64_t(-1); break;
        }
        const core_status st = core_metrics_counter_add(m, i, d);
        if (!known || kind != CORE_METRIC_COUNTER || d >= (uint64_t(1) << 63)) {
          EXPECT(st, CORE_E_INVALID_ARGUMENT);
          return;
        }
        EXPECT(st, CORE_OK);
        model.metrics[id].counter += d;
        break;
      }
      default: {  // gauge set (2) or add (3)
        static const double kValues[] = {0.0, -0.0, 1.0, -2.5, 1e-300, 4.9e-324, 1e15, 1e16,
                                         -1e15 - 0.5, 1e300, -1e300, 1.7976931348623157e308,
                                         123456789.125, 0.1, std::nan(""), INFINITY, -INFINITY,
                                         9.2233720368547758e18, -9.2233720368547758e18};
        const double v = kValues[in.pick(sizeof kValues / sizeof kValues[0])];
        const bool add = how % 4 == 3;
        const core_status st =
            add ? core_metrics_gauge_add(m, i, v) : core_metrics_gauge_set(m, i, v);
        if (!known || kind != CORE_METRIC_GAUGE || !std::isfinite(v)) {
          EXPECT(st, CORE_E_INVALID_ARGUMENT);
          return;
        }
        EXPECT(st, CORE_OK);
        double &g = model.metrics[id].gauge;
        g = add ? g + v : v;
        break;
      }
    }
    check_values(id);
  }

  void op_snapshot() {
    const uint8_t how = in.u8();
    core_metrics_snapshot_t *s = nullptr;
    if (how & 1) {
      CHECK_OK(core_metrics_snapshot(m, &s));
      CHECK(core_metrics_snapshot_count(s) == model.metrics.size());
      // A snapshot exports exactly what its registry does (nothing moved).
      for (core_metrics_format f : {CORE_METRICS_PROMETHEUS, CORE_METRICS_JSON}) {
        const std::string a = export_checked(f, 0), b = export_checked(f, 0, s);
        CHECK(a == b);
      }
    } else {
      CHECK_OK(core_metrics_snapshot_and_reset(m, &s));
      for (MMetric &mm : model.metrics)
        if (mm.kind == CORE_METRIC_TIMER) {
          mm.count = mm.sum = mm.min = mm.max = mm.under = mm.over = 0;
        }
    }
    check_exports(s);
    core_metrics_snapshot_destroy(s);
  }

  void op_merge() {
    // This registry into a fresh one (same options): succeeds, and the
    // copy exports well-formed text.
    core_metrics_t *other = nullptr;
    CHECK_OK(core_metrics_create(nullptr, &other));
    const core_status st = core_metrics_merge(other, m);
    CHECK(st == CORE_OK || st == CORE_E_FULL || st == CORE_E_INVALID_ARGUMENT);
    if (model.metrics.size() <= 1024) EXPECT(st, CORE_OK);
    size_t needed = 0;
    EXPECT(core_metrics_export(other, CORE_METRICS_JSON, 0, nullptr, 0, &needed),
           CORE_E_BUFFER_TOO_SMALL);
    std::vector<char> buf(needed);
    CHECK_OK(core_metrics_export(other, CORE_METRICS_JSON, 0, buf.data(), needed, &needed));
    size_t counts[3] = {0, 0, 0};
    const std::string text(buf.data());
    Json p2(text);
    CHECK(p2.top(counts));
    EXPECT(core_metrics_merge(m, m), CORE_E_INVALID_ARGUMENT);
    core_metrics_destroy(other);
  }

  void op() {
    switch (in.u8() % 8) {
      case 0: case 1: case 2: op_register(); break;
      case 3: case 4: case 5: op_record(); break;
      case 6: if (in.u8() % 4 == 0) op_snapshot(); else check_exports(); break;
      default: if (in.u8() % 8 == 0) op_merge(); break;
    }
  }
};

std::vector<std::vector<uint8_t>> seeds() {
  return {
      // defaults: a timer, a counter, a gauge, records, export
      {0x00, 0, 0, 2, 0, 0, 0, 0, 0, 1, 1, 1, 26, 0, 0, 0, 0, 2, 2, 1, 0, 0, 0, 0, 3, 0, 0,
       0x10, 0x27, 3, 1, 1, 5, 3, 2, 2, 2, 6, 1},
      // collisions: counter "a" then gauge "a_total"; timer then "..._count"
      {0x00, 0, 1, 1, 0, 0, 0, 0, 0, 2, 2, 0, 18, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 2,
       0, 21, 0, 0, 0, 0, 6, 0},
      // labels (valid, reserved, repeated), odd characters, export
      {0x00, 0, 0, 3, 26, 2, 3, 2, 0, 0, 1, 3, 10, 11, 12, 0, 0, 0, 1, 0, 4, 1, 2, 0, 13, 0,
       1, 3, 1, 0, 2, 2, 1, 11, 13, 6, 0},
      // small registry (max 2), full; huge gauges
      {0x03, 0, 2, 1, 0, 0, 0, 0, 0, 2, 1, 1, 0, 0, 0, 0, 1, 2, 1, 2, 0, 0, 0, 0, 3, 0, 3, 9,
       3, 0, 3, 9, 6, 0, 4, 0},
      // a gauge added up past DBL_MAX (infinite), then exported
      {0x00, 0, 2, 1, 0, 0, 0, 0, 0, 3, 0, 3, 11, 3, 0, 3, 11, 6, 1},
      // long names, snapshot and reset, merge
      {0x00, 0, 0, 0xff, 0, 0, 0, 0, 0, 0xfe, 0, 0, 0, 0, 0, 0xfd, 0, 0, 0, 3, 0, 0, 0x10,
       3, 0, 4, 6, 0, 0, 7, 0, 6, 1},
  };
}

}  // namespace

FUZZ_INITIALIZE_WITH_SEEDS(seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  trace = std::getenv("FUZZ_TRACE") != nullptr;
  Harness h(data, size);
  const uint8_t cfg = h.in.u8();
  core_metrics_options_t o;
  CHECK_OK(core_metrics_options_init(&o));
  bool valid = true;
  static const double kBuckets[][4] = {{0.001, 0.5, 10, 100},       {0.5, 0.5, 1, 2},
                                       {-1, 1, 2, 3},               {1e-9, 1e-6, 1e9, 1e300},
                                       {0.1, std::nan(""), 1, 2},   {1, 2, INFINITY, 5}};
  switch (cfg % 8) {
    case 0: break;
    case 1:
      o.significant_digits = 1 + (cfg >> 3) % 3;
      if ((cfg & 0xf0) == 0xf0) {
        // 4 and 5 digits over a short range: over the default one they
        // take 3 and 27 MB per timer, too slow to copy on every query.
        o.significant_digits = 4 + (cfg >> 3) % 2;
        o.lowest_ns = 1000;
        o.highest_ns = 1000000;
      }
      break;
    case 2: o.lowest_ns = 1000; o.highest_ns = 1000000; break;
    case 3: o.max_metrics = 1 + (cfg >> 3) % 4; break;
    case 4: {
      const size_t b = (cfg >> 3) % 6;
      o.prom_buckets = kBuckets[b];
      o.prom_bucket_count = 4;
      valid = b == 0 || b == 3;
      break;
    }
    case 5:  // out of range
      switch ((cfg >> 3) % 6) {
        case 0: o.significant_digits = 0; break;
        case 1: o.significant_digits = 6; break;
        case 2: o.lowest_ns = 0; break;
        case 3: o.highest_ns = (uint64_t(1) << 62) + 1; break;
        case 4: o.max_metrics = 0; break;
        default: o.prom_bucket_count = 3; break;  // NULL buckets with a count
      }
      valid = false;
      break;
    case 6: o.highest_ns = uint64_t(1) << 62; o.significant_digits = 3; break;
    default: o.lowest_ns = 7; o.highest_ns = 14; break;
  }
  const core_status st = core_metrics_create(&o, &h.m);
  if (!valid) {
    EXPECT(st, CORE_E_INVALID_ARGUMENT);
    CHECK(h.m == nullptr);
    return 0;
  }
  EXPECT(st, CORE_OK);
  h.model.cap = o.max_metrics;
  h.model.highest = o.highest_ns;
  for (int i = 0; i < 300 && !h.in.empty(); ++i) h.op();
  h.check_exports();
  for (size_t id = 0; id < h.model.metrics.size(); ++id) h.check_values(id);
  core_metrics_destroy(h.m);
  return 0;
}
