/* corpus_features: summaries (and optionally log-mel features) of every
 * audio file in a folder or a list, in parallel, through libcore's
 * core_collection_run. One JSON line per file on stdout; with --out DIR,
 * the same line in DIR/<name>.json and the log-mel in DIR/<name>.npy;
 * --resume skips what a previous run completed. The contract (shared with
 * the Python package and the Dask example, so their outputs match) is in
 * README.md, "Corpus tool", and in --help.
 *
 * This file: options, the run's flow and the exit status. The flow:
 * check everything that would make the run pointless (usage, INPUT, --out,
 * --metrics, the analysis options) before touching any output; then
 * report the files that fail before the library (duplicate names, an
 * unreadable subfolder) and those --resume skips; then hand the rest to
 * core_collection_run, whose callback (serialized by the library, so it
 * needs no lock) writes each record to stdout at once (flushed, so an
 * interrupted run loses nothing it reported) and to its sidecar. */
#include "corpus_features.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_SOME_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

static const char k_usage[] =
    "Usage: corpus_features [options] INPUT\n"
    "\n"
    "Summarizes every audio file of INPUT (WAV, FLAC, Ogg/Vorbis and the other\n"
    "formats libsndfile reads) in parallel: header, duration, sample statistics\n"
    "at the analysis rate, speech segments, and optionally log-mel features.\n"
    "\n"
    "INPUT is a folder, walked recursively (files sorted by path; hidden entries\n"
    "and *.partial files skipped, symbolic links to folders not followed), or a\n"
    "list file: one path per line, blank lines and lines starting with '#'\n"
    "ignored, relative paths taken relative to the list file's folder.\n"
    "\n"
    "Options:\n"
    "  --out DIR        write DIR/<name>.json (the file's JSON line; it exists only\n"
    "                   when complete) and, with --features, DIR/<name>.npy. <name>\n"
    "                   is the path relative to the INPUT folder without its\n"
    "                   extension (subfolders mirrored), or for a list file the\n"
    "                   basename without extension. Two files with the same <name>:\n"
    "                   the later one fails. DIR is created if missing.\n"
    "  --features       write each file's log-mel (float32, shape (frames, 80),\n"
    "                   Whisper's front end) as DIR/<name>.npy; needs --out\n"
    "  --threads N      threads (default: all cores)\n"
    "  --rate HZ        analysis rate, files are resampled to it (default 16000)\n"
    "  --resume         skip files whose DIR/<name>.json is complete with status\n"
    "                   CORE_OK (and whose .npy exists with --features); their\n"
    "                   stored line is printed again; failed files are retried\n"
    "  --no-vad         no speech segments\n"
    "  --progress       progress bar on stderr even when it is not a terminal\n"
    "  --no-progress    no progress bar (default: a bar when stderr is a terminal)\n"
    "  --metrics FILE   write the per-stage latencies as Prometheus text to FILE\n"
    "  -h, --help       this text\n"
    "  -V, --version    libcore's version\n"
    "\n"
    "stdout: one JSON line per file, in completion order:\n"
    "  {\"path\":...,\"status\":\"CORE_OK\",\"error\":null,\"format\":\"wav\",\"file_rate\":...,\n"
    "   \"channels\":...,\"bits\":...,\"frames\":...,\"rate\":...,\"samples\":...,\n"
    "   \"duration\":...,\"min\":...,\"max\":...,\"mean\":...,\"std\":...,\"rms\":...,\n"
    "   \"speech\":...,\"segments\":[[start,end],...],\"segments_total\":...,\n"
    "   \"features\":...,\"mel_frames\":...}\n"
    "  or, for a file that failed, {\"path\":...,\"status\":\"CORE_E_...\",\"error\":...}.\n"
    "  Segments are in samples at \"rate\".\n"
    "stderr: progress, a summary table (counts, audio hours, real-time factor,\n"
    "  per-stage latency), a line \"FAILED <path>: <status> <error>\" per failed file,\n"
    "  and last \"N of M files failed\".\n"
    "\n"
    "Exit status: 0 all files ok; 1 some files failed; 2 usage error, INPUT\n"
    "missing or --out not writable (nothing processed); 130 interrupted (run\n"
    "again with --resume to finish).\n";

static volatile sig_atomic_t g_interrupted = 0;

static void on_signal(int sig) {
  (void)sig;
  g_interrupted = 1; /* the callback stops the run; a second signal kills */
}

/* ---- the run ------------------------------------------------------------- */

typedef struct run_ctx {
  cf_inputs *in;
  const size_t *input_of; /* library index -> input index */
  const char *out_dir;    /* NULL: no sidecars */
  cf_progress prog;
  char *buf; /* JSON formatting buffer */
  size_t cap;
  core_status *status;    /* per input: its final status */
  char **fail_msg;        /* per input: its error (failed ones), owned */
  int stdout_failed;
  int clear_bar;          /* the bar and stdout share a terminal */
} run_ctx;

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

/* Prints a record line and flushes it (the line is what a user of an
 * interrupted run has: it must be out). */
static void emit(run_ctx *c, const char *line, size_t len) {
  if (c->stdout_failed) return;
  if (c->clear_bar && c->prog.drawn) {
    fputs("\r\033[K", stderr); /* the next draw puts the bar back below */
    fflush(stderr);
    c->prog.drawn = 0;
  }
  fwrite(line, 1, len, stdout);
  fputc('\n', stdout);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, CF_PROG ": writing stdout: %s\n", strerror(errno));
    c->stdout_failed = 1;
  }
}

static void note_result(run_ctx *c, size_t i, core_status st, const char *message,
                        double seconds, int resumed) {
  c->status[i] = st;
  if (st != CORE_OK) c->fail_msg[i] = dup_or_empty(message);
  cf_progress_file(&c->prog, st, seconds, resumed);
}

/* A record for a file that fails outside the library (the same bytes the
 * library would format: only path, status and message are used). */
static void emit_failure(run_ctx *c, size_t i, core_status st, const char *message) {
  core_file_summary_t s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  s.index = i;
  s.path = c->in->v[i].path;
  s.status = st;
  s.message = message;
  size_t len = cf_format_json(&s, &c->buf, &c->cap);
  if (len != (size_t)-1) emit(c, c->buf, len);
  note_result(c, i, st, message, 0.0, 0);
}

static int on_file(const core_file_summary_t *s, void *user) {
  run_ctx *c = user;
  size_t i = c->input_of[s->index];
  const cf_input *in = &c->in->v[i];
  core_status st = s->status;
  const char *message = s->message;
  char *own_msg = NULL;

  size_t len = cf_format_json(s, &c->buf, &c->cap);
  if (len == (size_t)-1) {
    st = CORE_E_OUT_OF_MEMORY;
    message = "cannot format the record (see stderr)";
  } else if (c->out_dir && in->name) {
    char *json = cf_out_path(c->out_dir, in->name, ".json");
    if (!json || cf_write_atomic(json, c->buf, len) != 0) {
      /* The file's outputs are incomplete: it failed, whatever the
       * analysis said, and its record says why. */
      const char *why = json ? strerror(errno) : "out of memory";
      size_t n = strlen(why) + (json ? strlen(json) : 0) + 32;
      own_msg = malloc(n);
      if (own_msg) snprintf(own_msg, n, "cannot write %s: %s", json ? json : "sidecar", why);
      st = json ? CORE_E_IO : CORE_E_OUT_OF_MEMORY;
      message = own_msg ? own_msg : "cannot write the sidecar";
      core_file_summary_t f;
      memset(&f, 0, sizeof f);
      f.struct_size = sizeof f;
      f.index = s->index;
      f.path = s->path;
      f.status = st;
      f.message = message;
      len = cf_format_json(&f, &c->buf, &c->cap);
    }
    free(json);
  }
  if (len != (size_t)-1) emit(c, c->buf, len);
  note_result(c, i, st, message, s->duration, 0);
  free(own_msg);
  return (g_interrupted || c->stdout_failed) ? 1 : 0;
}

/* ---- the rest -------------------------------------------------------------- */

static int parse_uint(const char *s, unsigned long max, unsigned long *out) {
  char *end;
  errno = 0;
  if (!*s || *s == '-' || *s == '+') return -1;
  unsigned long v = strtoul(s, &end, 10);
  if (errno || *end || v > max) return -1;
  *out = v;
  return 0;
}

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, CF_PROG ": ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'corpus_features --help'.\n");
  return EXIT_USAGE;
}

static int write_metrics(core_metrics_t *m, FILE *f, const char *path) {
  size_t needed = 0;
  char *buf = NULL;
  core_status st = CORE_E_BUFFER_TOO_SMALL;
  for (int tries = 0; tries < 4 && st == CORE_E_BUFFER_TOO_SMALL; ++tries) {
    st = core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, buf, buf ? needed : 0, &needed);
    if (st == CORE_E_BUFFER_TOO_SMALL) {
      char *b = realloc(buf, needed);
      if (!b) {
        st = CORE_E_OUT_OF_MEMORY;
        break;
      }
      buf = b;
      st = core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, buf, needed, &needed);
    }
  }
  int rc = 0;
  if (st != CORE_OK) {
    fprintf(stderr, CF_PROG ": --metrics %s: %s: %s\n", path, core_status_str(st),
            core_last_error_message());
    rc = -1;
  } else if (fputs(buf, f) < 0 || fflush(f) != 0) {
    fprintf(stderr, CF_PROG ": --metrics %s: %s\n", path, strerror(errno));
    rc = -1;
  }
  free(buf);
  return rc;
}

int main(int argc, char **argv) {
  const uint64_t t0 = core_now_ns(); /* wall time includes the folder walk */
  const char *out_dir = NULL, *metrics_path = NULL;
  int features = 0, resume = 0, vad = 1, progress = -1;
  unsigned long threads = 0, rate = 16000;

  enum { OPT_OUT = 256, OPT_FEATURES, OPT_THREADS, OPT_RATE, OPT_RESUME, OPT_NO_VAD,
         OPT_PROGRESS, OPT_NO_PROGRESS, OPT_METRICS };
  static const struct option longopts[] = {
      {"out", required_argument, NULL, OPT_OUT},
      {"features", no_argument, NULL, OPT_FEATURES},
      {"threads", required_argument, NULL, OPT_THREADS},
      {"rate", required_argument, NULL, OPT_RATE},
      {"resume", no_argument, NULL, OPT_RESUME},
      {"no-vad", no_argument, NULL, OPT_NO_VAD},
      {"progress", no_argument, NULL, OPT_PROGRESS},
      {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
      {"metrics", required_argument, NULL, OPT_METRICS},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  opterr = 0; /* our own messages */
  int opt;
  while ((opt = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
    switch (opt) {
      case OPT_OUT: out_dir = optarg; break;
      case OPT_FEATURES: features = 1; break;
      case OPT_THREADS:
        if (parse_uint(optarg, 4096, &threads) != 0)
          return usage_error("--threads: '%s' is not a count 0 .. 4096 (0: all cores)", optarg);
        break;
      case OPT_RATE:
        if (parse_uint(optarg, 384000, &rate) != 0 || rate < 1000)
          return usage_error("--rate: '%s' is not a rate 1000 .. 384000 Hz", optarg);
        break;
      case OPT_RESUME: resume = 1; break;
      case OPT_NO_VAD: vad = 0; break;
      case OPT_PROGRESS: progress = 1; break;
      case OPT_NO_PROGRESS: progress = 0; break;
      case OPT_METRICS: metrics_path = optarg; break;
      case 'h': fputs(k_usage, stdout); return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
      case 'V': printf("corpus_features (libcore %s)\n", core_version()); return 0;
      case ':': return usage_error("%s needs a value", argv[optind - 1]);
      default:
        return usage_error("unknown option '%s'", optopt ? (char[]){'-', (char)optopt, 0}
                                                         : argv[optind - 1]);
    }
  }
  if (optind != argc - 1)
    return usage_error("%s", optind >= argc ? "give one INPUT (a folder or a list file)"
                                            : "give exactly one INPUT");
  const char *input = argv[optind];
  if (features && !out_dir) return usage_error("%s needs --out DIR", "--features");
  if (resume && !out_dir) return usage_error("%s needs --out DIR", "--resume");
  if (progress < 0) progress = isatty(STDERR_FILENO);

  /* Everything that makes the run pointless is checked before any output
   * is touched (exit 2, nothing processed). */
  struct stat ist;
  if (stat(input, &ist) != 0) {
    fprintf(stderr, CF_PROG ": INPUT %s: %s\n", input, strerror(errno));
    return EXIT_USAGE;
  }
  core_status st = core_set_num_threads((int)threads);
  if (st != CORE_OK) {
    fprintf(stderr, CF_PROG ": --threads: %s\n", core_last_error_message());
    return EXIT_USAGE;
  }
  core_metrics_t *metrics = NULL;
  st = core_metrics_create(NULL, &metrics);
  if (st != CORE_OK) {
    fprintf(stderr, CF_PROG ": metrics: %s: %s\n", core_status_str(st), core_last_error_message());
    return EXIT_USAGE;
  }
  core_collection_options_t opts;
  st = core_collection_options_init(&opts);
  if (st == CORE_OK) {
    opts.sample_rate = (uint32_t)rate;
    opts.vad = vad;
    opts.features = features;
    opts.metrics = metrics;
    /* No files: checks the options (a --rate the VAD cannot take) and the
     * build's audio support, and registers the timers. */
    st = core_collection_run(NULL, 0, NULL, &opts, on_file, NULL);
  }
  if (st != CORE_OK) {
    fprintf(stderr, CF_PROG ": %s: %s\n", core_status_str(st), core_last_error_message());
    core_metrics_destroy(metrics);
    return EXIT_USAGE;
  }
  uint64_t skip_dev = 0, skip_ino = 0;
  if (out_dir) {
    char err[4600];
    if (cf_out_prepare(out_dir, err, sizeof err) != 0) {
      fprintf(stderr, CF_PROG ": %s\n", err);
      core_metrics_destroy(metrics);
      return EXIT_USAGE;
    }
    struct stat ost;
    if (stat(out_dir, &ost) == 0) {
      skip_dev = (uint64_t)ost.st_dev;
      skip_ino = (uint64_t)ost.st_ino;
      /* The sidecars would be inputs of the next run (a.json beside
       * a.wav: a duplicate name). A folder inside INPUT is fine: the walk
       * skips it. */
      if (S_ISDIR(ist.st_mode) && ist.st_dev == ost.st_dev && ist.st_ino == ost.st_ino) {
        fprintf(stderr, CF_PROG ": --out %s is the INPUT folder; use another folder "
                "(a subfolder of INPUT is fine)\n", out_dir);
        core_metrics_destroy(metrics);
        return EXIT_USAGE;
      }
    }
  }
  FILE *metrics_file = NULL;
  if (metrics_path && !(metrics_file = fopen(metrics_path, "w"))) {
    fprintf(stderr, CF_PROG ": --metrics %s: %s\n", metrics_path, strerror(errno));
    core_metrics_destroy(metrics);
    return EXIT_USAGE;
  }
  cf_inputs in = {0};
  {
    char err[4600];
    if (cf_inputs_load(input, skip_dev, skip_ino, &in, err, sizeof err) != 0) {
      fprintf(stderr, CF_PROG ": %s\n", err);
      if (metrics_file) fclose(metrics_file);
      core_metrics_destroy(metrics);
      return EXIT_USAGE;
    }
  }
  if (in.n == 0) fprintf(stderr, CF_PROG ": no files in %s\n", input);

  run_ctx c;
  memset(&c, 0, sizeof c);
  c.in = &in;
  c.out_dir = out_dir;
  c.status = calloc(in.n + 1, sizeof *c.status);
  c.fail_msg = calloc(in.n + 1, sizeof *c.fail_msg);
  size_t *input_of = malloc((in.n + 1) * sizeof *input_of);
  const char **paths = malloc((in.n + 1) * sizeof *paths);
  char **outputs = calloc(in.n + 1, sizeof *outputs);
  if (!c.status || !c.fail_msg || !input_of || !paths || !outputs) {
    fprintf(stderr, CF_PROG ": out of memory for %zu files\n", in.n);
    return EXIT_USAGE;
  }
  c.input_of = input_of;
  cf_progress_init(&c.prog, progress, in.n);
  c.prog.start_ns = t0;
  c.clear_bar = c.prog.tty && isatty(STDOUT_FILENO);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  /* Files that fail before the library, and the ones --resume skips, are
   * reported first; the rest go to the library. */
  size_t n_lib = 0;
  for (size_t i = 0; i < in.n; ++i) {
    cf_input *e = &in.v[i];
    if (e->status != CORE_OK) {
      emit_failure(&c, i, e->status, e->message);
      continue;
    }
    if (!out_dir) {
      input_of[n_lib] = i;
      paths[n_lib++] = e->path;
      continue;
    }
    char *json = cf_out_path(out_dir, e->name, ".json");
    char *npy = features ? cf_out_path(out_dir, e->name, ".npy") : NULL;
    if (!json || (features && !npy)) {
      free(json);
      free(npy);
      emit_failure(&c, i, CORE_E_OUT_OF_MEMORY, "out of memory");
      continue;
    }
    char *line = resume ? cf_resume_line(json, npy, e->path, (uint32_t)rate) : NULL;
    if (line) {
      emit(&c, line, strlen(line));
      note_result(&c, i, CORE_OK, "", 0.0, 1);
      free(line);
      free(json);
      free(npy);
      continue;
    }
    if (cf_out_mkdirs(out_dir, e->name) != 0) {
      char msg[4600];
      snprintf(msg, sizeof msg, "cannot create the folder of %s: %s", json, strerror(errno));
      emit_failure(&c, i, CORE_E_IO, msg);
      free(json);
      free(npy);
      continue;
    }
    /* Outputs of an earlier run are removed before this one redoes the
     * file, so that an existing .json always belongs to the last run that
     * finished the file (--resume trusts it). */
    unlink(json);
    if (npy) unlink(npy);
    free(json);
    input_of[n_lib] = i;
    outputs[n_lib] = npy;
    paths[n_lib++] = e->path;
  }

  st = CORE_OK;
  if (n_lib > 0 && !g_interrupted && !c.stdout_failed)
    st = core_collection_run(paths, n_lib, features ? (const char *const *)outputs : NULL, &opts,
                             on_file, &c);
  else if (g_interrupted || c.stdout_failed)
    st = CORE_E_UNAVAILABLE;
  const char *run_msg = st == CORE_OK ? "" : core_last_error_message();
  cf_progress_finish(&c.prog);

  int code;
  if (st == CORE_OK) {
    code = c.prog.failed ? EXIT_SOME_FAILED : 0;
  } else if (g_interrupted) {
    code = EXIT_INTERRUPTED;
  } else if (c.stdout_failed) {
    code = EXIT_SOME_FAILED;
  } else {
    fprintf(stderr, CF_PROG ": %s: %s\n", core_status_str(st), run_msg);
    code = c.prog.done == c.prog.skipped ? EXIT_USAGE : EXIT_SOME_FAILED;
  }

  cf_summary_table(&c.prog, metrics);
  if (metrics_file) {
    if (write_metrics(metrics, metrics_file, metrics_path) != 0 && code == 0)
      code = EXIT_SOME_FAILED;
    if (fclose(metrics_file) != 0 && code == 0) {
      fprintf(stderr, CF_PROG ": --metrics %s: %s\n", metrics_path, strerror(errno));
      code = EXIT_SOME_FAILED;
    }
  }
  fputc('\n', stderr);
  for (size_t i = 0; i < in.n; ++i)
    if (c.fail_msg[i])
      fprintf(stderr, "FAILED %s: %s %s\n", in.v[i].path, core_status_str(c.status[i]),
              c.fail_msg[i]);
  if (code == EXIT_INTERRUPTED)
    fprintf(stderr, "interrupted: %zu of %zu files not processed (run again with --resume)\n",
            in.n - c.prog.done, in.n);
  fprintf(stderr, "%zu of %zu files failed\n", c.prog.failed, in.n);

  for (size_t i = 0; i < in.n; ++i) free(c.fail_msg[i]);
  for (size_t k = 0; k < n_lib; ++k) free(outputs[k]);
  free(outputs);
  free(paths);
  free(input_of);
  free(c.fail_msg);
  free(c.status);
  free(c.buf);
  cf_inputs_free(&in);
  core_metrics_destroy(metrics);
  return code;
}
