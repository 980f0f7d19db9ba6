// JSON (RFC 8259) and a human-readable fixed-width table.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "libcore/metrics/format.h"
#include "libcore/metrics/metrics.h"

namespace core {
namespace metrics {

namespace {

void json_string(std::string *out, const std::string &s) {
  *out += '"';
  for (unsigned char c : s) {
    if (c == '"') *out += "\\\"";
    else if (c == '\\') *out += "\\\\";
    else if (c == '\n') *out += "\\n";
    else if (c == '\t') *out += "\\t";
    else if (c == '\r') *out += "\\r";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      *out += buf;
    } else {
      *out += static_cast<char>(c);
    }
  }
  *out += '"';
}

void json_head(std::string *out, const Desc &d) {
  *out += "{\"name\":";
  json_string(out, d.name);
  *out += ",\"exported_name\":";
  json_string(out, d.family);
  *out += ",\"labels\":{";
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    if (i) *out += ',';
    json_string(out, d.labels[i].first);
    *out += ':';
    json_string(out, d.labels[i].second);
  }
  *out += '}';
}

void field(std::string *out, const char *name, unsigned long long v) {
  *out += ",\"";
  *out += name;
  *out += "\":";
  append_u64(out, v);
}
void field(std::string *out, const char *name, double v) {
  *out += ",\"";
  *out += name;
  *out += "\":";
  // JSON has no infinity or NaN (a gauge added up past DBL_MAX printed
  // "inf", invalid JSON: found by tests/fuzz/fuzz_metrics): null instead.
  if (!std::isfinite(v)) {
    *out += "null";
    return;
  }
  append_double(out, v);
}

std::string duration(std::uint64_t ns) {
  char buf[32];
  const double v = static_cast<double>(ns);
  if (ns < 1000) std::snprintf(buf, sizeof buf, "%lluns", static_cast<unsigned long long>(ns));
  else if (ns < 1000000) std::snprintf(buf, sizeof buf, "%.3gus", v / 1e3);
  else if (ns < 1000000000) std::snprintf(buf, sizeof buf, "%.3gms", v / 1e6);
  else std::snprintf(buf, sizeof buf, "%.4gs", v / 1e9);
  return buf;
}

std::string display_name(const Desc &d) {
  std::string s = d.name;
  if (!d.labels.empty()) {
    s += '{';
    for (std::size_t i = 0; i < d.labels.size(); ++i) {
      if (i) s += ',';
      s += d.labels[i].first + "=" + d.labels[i].second;
    }
    s += '}';
  }
  return s;
}

}  // namespace

void export_json(const Snapshot &s, std::string *out) {
  static const char *const kinds[] = {"timers", "counters", "gauges"};
  *out += '{';
  for (int k = 0; k < 3; ++k) {
    if (k) *out += ',';
    *out += '"';
    *out += kinds[k];
    *out += "\":[";
    bool first = true;
    for (const SnapMetric &m : s.metrics) {
      if (m.desc.kind != static_cast<core_metric_kind>(k)) continue;
      if (!first) *out += ',';
      first = false;
      json_head(out, m.desc);
      if (k == CORE_METRIC_TIMER) {
        core_timer_stats_t st;
        stats(s.layout, m.hist, &st);
        field(out, "count", static_cast<unsigned long long>(st.count));
        field(out, "sum_ns", static_cast<unsigned long long>(st.sum_ns));
        field(out, "min_ns", static_cast<unsigned long long>(st.min_ns));
        field(out, "max_ns", static_cast<unsigned long long>(st.max_ns));
        field(out, "mean_ns", st.mean_ns);
        field(out, "stddev_ns", st.stddev_ns);
        static const std::pair<const char *, double> qs[] = {
            {"p50_ns", 0.5}, {"p90_ns", 0.9}, {"p95_ns", 0.95}, {"p99_ns", 0.99},
            {"p999_ns", 0.999}};
        for (const auto &q : qs)
          field(out, q.first,
                static_cast<unsigned long long>(
                    st.count ? percentile(s.layout, m.hist, q.second) : 0));
        field(out, "underflows", static_cast<unsigned long long>(st.underflows));
        field(out, "overflows", static_cast<unsigned long long>(st.overflows));
      } else if (k == CORE_METRIC_COUNTER) {
        field(out, "value", static_cast<unsigned long long>(m.counter));
      } else {
        field(out, "value", m.gauge);
      }
      *out += '}';
    }
    *out += ']';
  }
  *out += "}\n";
}

void export_table(const Snapshot &s, std::string *out) {
  std::size_t w = 6;
  for (const SnapMetric &m : s.metrics) w = std::max(w, display_name(m.desc).size());
  char line[512];
  const int iw = static_cast<int>(w);
  std::snprintf(line, sizeof line, "%-*s %12s %10s %10s %10s %10s\n", iw, "timer", "count",
                "p50", "p95", "p99", "max");
  *out += line;
  for (const SnapMetric &m : s.metrics) {
    if (m.desc.kind != CORE_METRIC_TIMER) continue;
    const HistData &d = m.hist;
    const bool any = d.total != 0;
    auto p = [&](double q) { return any ? duration(percentile(s.layout, d, q)) : "-"; };
    std::snprintf(line, sizeof line, "%-*s %12llu %10s %10s %10s %10s\n", iw,
                  display_name(m.desc).c_str(), static_cast<unsigned long long>(d.total),
                  p(0.5).c_str(), p(0.95).c_str(), p(0.99).c_str(),
                  any ? duration(d.max).c_str() : "-");
    *out += line;
  }
  bool header = false;
  for (const SnapMetric &m : s.metrics) {
    if (m.desc.kind == CORE_METRIC_TIMER) continue;
    if (!header) {
      std::snprintf(line, sizeof line, "\n%-*s %8s %20s\n", iw, "metric", "kind", "value");
      *out += line;
      header = true;
    }
    std::string v;
    if (m.desc.kind == CORE_METRIC_COUNTER) append_u64(&v, m.counter);
    else append_double(&v, m.gauge);
    std::snprintf(line, sizeof line, "%-*s %8s %20s\n", iw, display_name(m.desc).c_str(),
                  m.desc.kind == CORE_METRIC_COUNTER ? "counter" : "gauge", v.c_str());
    *out += line;
  }
}

}  // namespace metrics
}  // namespace core
