/* core_api(): dlopen libcore once, resolve the table, or fall back.
 * loader.h documents the rules; this file follows them in order. */
#include <core/loader.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcore/loader/loader_internal.h"
#include "libcore/loader/table.h"

/* ---- the decision --------------------------------------------------------- */

static int flag_set(const char *name) {
  const char *v = getenv(name);
  return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

void core_loader_read_env(core_loader_env *env) {
  const char *path = getenv("LIBCORE_PATH");
  env->disable = flag_set("LIBCORE_DISABLE");
  env->strict = flag_set("LIBCORE_STRICT");
  env->path = (path != NULL && path[0] != '\0') ? path : NULL;
}

/* The address of symbol `name` in `handle`, or NULL. POSIX guarantees that
 * a function pointer round-trips through the void * dlsym returns. */
static void *lookup(void *handle, const char *name) {
  (void)dlerror(); /* clear any stale error */
  return dlsym(handle, name);
}

/* Checks the ABI and fills *table from the library; 0 and a reason on the
 * first problem. Slots newer than the library keep their fallback. */
static int resolve(void *handle, core_api_t *table, char *why, size_t cap) {
  void *abi_sym = lookup(handle, "core_abi_version");
  void *version_sym = lookup(handle, "core_version_number");
  int (*abi_version)(void);
  unsigned (*version_number)(void);
  unsigned library_version;
  int abi;
  size_t i;

  if (abi_sym == NULL || version_sym == NULL) {
    snprintf(why, cap, "symbol %s missing",
             abi_sym == NULL ? "core_abi_version" : "core_version_number");
    return 0;
  }
  memcpy(&abi_version, &abi_sym, sizeof abi_sym);
  memcpy(&version_number, &version_sym, sizeof version_sym);
  abi = abi_version();
  if (abi != CORE_ABI_VERSION) {
    snprintf(why, cap, abi < CORE_ABI_VERSION ? "ABI %d < required %d" : "ABI %d > supported %d",
             abi, CORE_ABI_VERSION);
    return 0;
  }
  library_version = version_number();

  *table = core_loader_fallback_table;
  for (i = 0; i < core_loader_slot_count; ++i) {
    const core_slot_info *slot = &core_loader_slots[i];
    void *sym = lookup(handle, slot->symbol);
    if (sym == NULL) {
      if (library_version >= slot->since) {
        snprintf(why, cap, "symbol %s missing", slot->symbol);
        return 0;
      }
      continue; /* an older libcore: this slot stays portable */
    }
    memcpy((char *)table + slot->offset, &sym, sizeof sym);
  }
  table->backend = CORE_BACKEND_NATIVE;
  return 1;
}

core_loader_outcome core_loader_choose(const core_loader_env *env, core_api_t *table,
                                       char *why, size_t cap) {
  const char *path = env->path != NULL ? env->path : CORE_LOADER_DEFAULT_PATH;
  void *handle;

  *table = core_loader_fallback_table;
  why[0] = '\0';
  if (env->disable) {
    snprintf(why, cap, "disabled by LIBCORE_DISABLE");
    return CORE_LOADER_FALLBACK;
  }

  (void)dlerror();
  handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    const char *detail = dlerror();
    snprintf(why, cap, "dlopen %s: %s", path, detail != NULL ? detail : "unknown error");
  } else if (resolve(handle, table, why, cap) && core_loader_self_test(table, why, cap)) {
    return CORE_LOADER_NATIVE; /* the handle stays open for the process */
  } else {
    dlclose(handle);
    *table = core_loader_fallback_table;
  }
  return env->strict ? CORE_LOADER_REFUSED : CORE_LOADER_FALLBACK;
}

/* ---- once per process ------------------------------------------------------ */

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static core_api_t loaded_table;
static char load_error[512];
/* Set last inside load(); a non-NULL value means the table is complete. */
static _Atomic(const core_api_t *) published;
static const core_api_t *result;

static void load(void) {
  core_loader_env env;
  core_loader_read_env(&env);
  if (core_loader_choose(&env, &loaded_table, load_error, sizeof load_error) !=
      CORE_LOADER_REFUSED) {
    result = &loaded_table;
    atomic_store_explicit(&published, &loaded_table, memory_order_release);
  }
}

const core_api_t *core_api(void) {
  /* The common case after the first call: one acquire load, no lock. */
  const core_api_t *table = atomic_load_explicit(&published, memory_order_acquire);
  if (table != NULL) return table;
  pthread_once(&load_once, load);
  return result;
}

const char *core_api_load_error(void) {
  pthread_once(&load_once, load);
  return load_error;
}
