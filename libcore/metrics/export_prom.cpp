// Prometheus text exposition format 0.0.4. Families in registration order
// (a family is every series of one registered name); timers as histograms
// (or summaries) in seconds; HELP escapes \ and newline, label values also ".
#include <cmath>

#include "libcore/metrics/format.h"
#include "libcore/metrics/metrics.h"

namespace core {
namespace metrics {

namespace {

void escape(std::string *out, const std::string &s, bool quote) {
  for (char c : s) {
    if (c == '\\') *out += "\\\\";
    else if (c == '\n') *out += "\\n";
    else if (quote && c == '"') *out += "\\\"";
    else *out += c;
  }
}

// name{labels[,extra]} (no braces when there is nothing to put in them)
void series(std::string *out, const std::string &name, const char *suffix, const Labels &labels,
            const char *extra_name = nullptr, const std::string &extra_value = std::string()) {
  *out += name;
  *out += suffix;
  if (labels.empty() && extra_name == nullptr) {
    *out += ' ';
    return;
  }
  *out += '{';
  bool first = true;
  for (const auto &l : labels) {
    if (!first) *out += ',';
    first = false;
    *out += l.first;
    *out += "=\"";
    escape(out, l.second, true);
    *out += '"';
  }
  if (extra_name != nullptr) {
    if (!first) *out += ',';
    *out += extra_name;
    *out += "=\"";
    *out += extra_value;
    *out += '"';
  }
  *out += "} ";
}

std::string num(double v) {
  std::string s;
  append_double(&s, v);
  return s;
}

// ends[b]: the first histogram bucket whose lowest value is above
// boundary b (computed once per export, shared by every timer).
std::vector<std::size_t> bucket_ends(const Snapshot &s) {
  std::vector<std::size_t> ends;
  std::size_t i = 0;
  for (double le : s.prom) {
    const double le_ns = le * 1e9;
    while (i < s.layout.len && static_cast<double>(s.layout.lowest_at(i)) <= le_ns) ++i;
    ends.push_back(i);
  }
  return ends;
}

void histogram(std::string *out, const SnapMetric &m, const std::vector<std::string> &les,
               const std::vector<std::size_t> &ends) {
  const HistData &d = m.hist;
  std::size_t i = 0;
  std::uint64_t cum = 0;
  for (std::size_t b = 0; b < les.size(); ++b) {
    for (; i < ends[b]; ++i) cum += d.counts[i];
    series(out, m.desc.family, "_bucket", m.desc.labels, "le", les[b]);
    append_u64(out, cum);
    *out += '\n';
  }
  series(out, m.desc.family, "_bucket", m.desc.labels, "le", "+Inf");
  append_u64(out, d.total);
  *out += '\n';
}

void summary(std::string *out, const Snapshot &s, const SnapMetric &m) {
  static const double qs[] = {0.5, 0.9, 0.95, 0.99, 0.999};
  for (double q : qs) {
    series(out, m.desc.family, "", m.desc.labels, "quantile", num(q));
    if (m.hist.total == 0)
      *out += "NaN";
    else
      append_double(out, static_cast<double>(percentile(s.layout, m.hist, q)) / 1e9);
    *out += '\n';
  }
}

}  // namespace

void export_prometheus(const Snapshot &s, unsigned flags, std::string *out) {
  const bool as_summary = (flags & CORE_METRICS_EXPORT_SUMMARY) != 0;
  out->reserve(out->size() + s.metrics.size() * 1024);
  std::vector<bool> done(s.metrics.size(), false);
  std::vector<std::string> les;  // the le values, formatted once
  for (double le : s.prom) les.push_back(num(le));
  const std::vector<std::size_t> ends = bucket_ends(s);
  for (std::size_t f = 0; f < s.metrics.size(); ++f) {
    if (done[f]) continue;
    const Desc &fd = s.metrics[f].desc;
    *out += "# HELP ";
    *out += fd.family;
    *out += ' ';
    escape(out, fd.help, false);
    *out += "\n# TYPE ";
    *out += fd.family;
    *out += fd.kind == CORE_METRIC_TIMER ? (as_summary ? " summary\n" : " histogram\n")
            : fd.kind == CORE_METRIC_COUNTER ? " counter\n"
                                             : " gauge\n";
    for (std::size_t i = f; i < s.metrics.size(); ++i) {
      const SnapMetric &m = s.metrics[i];
      if (done[i] || m.desc.name != fd.name) continue;
      done[i] = true;
      if (m.desc.kind == CORE_METRIC_TIMER) {
        if (as_summary)
          summary(out, s, m);
        else
          histogram(out, m, les, ends);
        series(out, m.desc.family, "_sum", m.desc.labels);
        append_double(out, static_cast<double>(m.hist.sum) / 1e9);
        *out += '\n';
        series(out, m.desc.family, "_count", m.desc.labels);
        append_u64(out, m.hist.total);
        *out += '\n';
      } else if (m.desc.kind == CORE_METRIC_COUNTER) {
        series(out, m.desc.family, "", m.desc.labels);
        append_u64(out, m.counter);
        *out += '\n';
      } else {
        series(out, m.desc.family, "", m.desc.labels);
        append_double(out, m.gauge);
        *out += '\n';
      }
    }
  }
}

}  // namespace metrics
}  // namespace core
