// The console reporter that keeps the figures for the ratios, and the
// "ratios" section printed after the run (see bench_report.h).

#include "bench_report.h"

#include <core/core.h>

#include <cstdio>

#include "bench_paired.h"

namespace bench {

// ---- reporter: the table as usual, plus the figures for the ratios ----------------

void RatioReporter::ReportRuns(const std::vector<Run> &runs) {
  for (const Run &r : runs) {
    if (r.error_occurred) {  // shown once, with its error
      errors_ = true;
      best_[key(r)] = Figure();
      median_[key(r)] = Figure();
      ConsoleReporter::ReportRuns({r});
      return;
    }
  }
  std::vector<Run> shown;
  const Run *best = nullptr;
  for (const Run &r : runs)
    if (r.run_type == Run::RT_Iteration &&
        (!best || r.GetAdjustedRealTime() < best->GetAdjustedRealTime()))
      best = &r;
  if (best) {
    best_[key(*best)] = figure(*best);
    Run b = *best;
    if (b.repetitions > 1) {
      b.run_type = Run::RT_Aggregate;
      b.aggregate_name = "best";
      b.aggregate_unit = benchmark::kTime;
    } else {
      median_[key(*best)] = figure(*best);
    }
    shown.push_back(b);
  }
  for (const Run &r : runs) {
    if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
      median_[key(r)] = figure(r);
      shown.push_back(r);
    }
  }
  if (!shown.empty()) ConsoleReporter::ReportRuns(shown);
}

std::string RatioReporter::key(const Run &r) {
  return r.run_name.function_name + "/" + r.run_name.args;
}

Figure RatioReporter::figure(const Run &r) {
  Figure f;
  f.seconds = r.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
  auto it = r.counters.find("bytes_per_second");
  if (it != r.counters.end()) f.bytes_per_sec = it->second.value;
  f.ok = true;
  return f;
}

const Figure *RatioReporter::find(const std::map<std::string, Figure> &m,
                                  const std::string &k) {
  auto it = m.find(k);
  return (it == m.end() || !it->second.ok) ? nullptr : &it->second;
}

// ---- the ratios section ---------------------------------------------------------------

namespace {

bool g_pair_errors = false;

void print_ratio(const RatioReporter &rep, const char *label, const std::string &num,
                 const std::string &den) {
  const Figure *a = rep.best(num), *b = rep.best(den);
  if (!a || !b || b->bytes_per_sec <= 0.0) {
    std::printf("  %-58s  n/a (not run)\n", label);
    return;
  }
  std::printf("  %-58s %6.1f %%", label, 100.0 * a->bytes_per_sec / b->bytes_per_sec);
  const Figure *am = rep.median(num), *bm = rep.median(den);
  if (am && bm && bm->bytes_per_sec > 0.0)
    std::printf(" %6.1f %%", 100.0 * am->bytes_per_sec / bm->bytes_per_sec);
  else
    std::printf(" %8s", "-");
  static const std::map<std::string, PairCall> calls = pair_calls();
  auto ca = calls.find(num), cb = calls.find(den);
  double ta = 0, tb = 0;
  if (ca != calls.end() && cb != calls.end()) {
    if (paired_best(ca->second, cb->second, &ta, &tb)) {
      const double ga = ca->second.bytes / ta / 1e9, gb = cb->second.bytes / tb / 1e9;
      std::printf(" %6.1f %%   (%6.2f / %6.2f GB/s)", 100.0 * ga / gb, ga, gb);
    } else {
      g_pair_errors = true;
      std::printf("   paired run FAILED: %s", core_last_error_message());
    }
  }
  std::printf("\n");
  std::fflush(stdout);
}

void print_ratio_header(const char *title) {
  std::printf("\n%s\n  %-58s %8s %8s %8s   %s\n", title, "", "best", "median", "paired",
              "(paired GB/s: op / reference)");
}

void print_figure(const RatioReporter &rep, const char *k, bool gbps) {
  const Figure *f = rep.best(k), *m = rep.median(k);
  if (!f) return;
  if (gbps)
    std::printf("  %-40s %8.2f GB/s   (median %8.2f)\n", k, f->bytes_per_sec / 1e9,
                m ? m->bytes_per_sec / 1e9 : 0.0);
  else if (f->seconds < 1e-5)
    std::printf("  %-40s %8.1f ns/call (median %8.1f)\n", k, f->seconds * 1e9,
                m ? m->seconds * 1e9 : 0.0);
  else
    std::printf("  %-40s %8.1f us/call (median %8.1f)\n", k, f->seconds * 1e6,
                m ? m->seconds * 1e6 : 0.0);
}

}  // namespace

bool print_ratios(const RatioReporter &rep) {
  std::printf("\n==== ratios (GB/s = 1e9 array bytes per second, higher is better; the table's"
              " G/s column is GiB/s) ====\n"
              "best = best repetitions of the table; median = their medians; paired = the two\n"
              "calls run alternately right now, best of each (the most robust on a shared\n"
              "machine: both see the same memory traffic from other processes)\n");
  std::printf("libcore %s, SIMD target %s, default threads %d\n", core_version(),
              core_simd_target(), core_get_num_threads());

  std::printf("\nper-call time, n = 100 (call overhead + 100 elements):\n");
  for (const char *k : {"stats_f32/100", "stats_f64/100"}) print_figure(rep, k, false);

  std::printf("\nthroughput of core_stats and of the read references:\n");
  for (const char *k : {"stats_f32/10000", "stats_f32/1000000", "stats_f32_1thread/1000000",
                        "stats_f32/100000000", "stats_f32_1thread/100000000",
                        "stats_f64/10000", "stats_f64/1000000", "stats_f64/100000000",
                        "read_ref_sum_f32_1thread/1000000", "read_ref_sum_f32_1thread/100000000",
                        "read_ref_sum_f32_mt/100000000"})
    print_figure(rep, k, true);

  std::printf("\nwrite and copy references (1 thread, 1e7 floats):\n");
  for (const char *k : {"write_ref_memset/10000000", "write_ref_store_loop/10000000",
                        "copy_ref_memcpy/10000000"})
    print_figure(rep, k, true);

  print_ratio_header("stats_f32 vs the read reference (plain float sum over the same data):");
  print_ratio(rep, "stats_f32 1e8, 1 thread / plain sum 1e8 1 thread",
              "stats_f32_1thread/100000000", "read_ref_sum_f32_1thread/100000000");
  print_ratio(rep, "stats_f32 1e8, default threads / plain sum 1e8 1 thread",
              "stats_f32/100000000", "read_ref_sum_f32_1thread/100000000");
  print_ratio(rep, "stats_f32 1e8, default threads / plain sum 1e8 all threads",
              "stats_f32/100000000", "read_ref_sum_f32_mt/100000000");
  print_ratio(rep, "stats_f32 1e6, 1 thread / plain sum 1e6 1 thread",
              "stats_f32_1thread/1000000", "read_ref_sum_f32_1thread/1000000");
  print_ratio(rep, "stats_f32 1e6, default threads / plain sum 1e6 1 thread",
              "stats_f32/1000000", "read_ref_sum_f32_1thread/1000000");

  print_ratio_header("array creation vs the write reference (memset, 1 thread, 1e7 floats):");
  for (const char *op : {"arange_f32", "linspace_f32", "fill_f32"}) {
    for (const char *suffix : {"", "_1thread"}) {
      const std::string name = std::string(op) + suffix;
      print_ratio(rep, (name + " / memset").c_str(), name + "/10000000",
                  "write_ref_memset/10000000");
    }
  }
  print_ratio(rep, "plain store loop (1 thread) / memset", "write_ref_store_loop/10000000",
              "write_ref_memset/10000000");

  print_ratio_header("copies vs memcpy (1 thread, 1e7 floats):");
  for (const char *op : {"concat_f32", "cumsum_f32"}) {
    for (const char *suffix : {"", "_1thread"}) {
      const std::string name = std::string(op) + suffix;
      print_ratio(rep, (name + " / memcpy").c_str(), name + "/10000000",
                  "copy_ref_memcpy/10000000");
    }
  }

  std::printf("\nother (time per call):\n");
  for (const char *k : {"dot_f32/1000000", "dot_f32_1thread/1000000", "percentile_f32/1000000",
                        "percentile_f32_1thread/1000000", "cumsum_f32/10000000",
                        "cumsum_f32_1thread/10000000"})
    print_figure(rep, k, false);
  std::printf("\nThese are measurements, not pass/fail criteria. On a shared machine the\n"
              "median moves with the load of other processes; the best repetition and the\n"
              "paired ratios are the closer estimates of the uncontended speed.\n");
  return !g_pair_errors;
}

}  // namespace bench
