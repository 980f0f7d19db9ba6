/* The loader's view of core_api_t: where each slot lives, which symbol
 * fills it, since when, and the all-fallback table. Internal to
 * libcore_loader.a. */
#ifndef LIBCORE_LOADER_TABLE_H
#define LIBCORE_LOADER_TABLE_H

#include <core/loader.h>

typedef struct core_slot_info {
  const char *symbol; /* "core_stats_f32" */
  size_t offset;      /* offsetof(core_api_t, stats_f32) */
  unsigned since;     /* CORE_VERSION_NUMBER that first exported it */
} core_slot_info;

extern const core_slot_info core_loader_slots[];
extern const size_t core_loader_slot_count;

/* The table whose every slot is the portable fallback (or the
 * CORE_E_UNAVAILABLE stub of a stateful function). */
extern const core_api_t core_loader_fallback_table;

#endif
