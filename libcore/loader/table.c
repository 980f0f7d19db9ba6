/* The slot list (slots.def) turned into the fallback table, the symbol
 * list the loader resolves, and the static assertions that freeze the
 * layout: a program compiled against loader.h 0.1 must find every slot
 * where it was, in every later libcore_loader.a. */
#include "libcore/loader/table.h"

#include <stddef.h>

#include "libcore/loader/fallback.h"

/* The header fields come first; slots follow, one function pointer each. */
#define CORE_SLOT_BASE (sizeof(size_t) + 2 * sizeof(uint32_t))
#define CORE_SLOT_SIZE sizeof(void (*)(void))

_Static_assert(sizeof(core_backend) == sizeof(uint32_t), "core_backend is an int-sized enum");
_Static_assert(offsetof(core_api_t, abi_version) == sizeof(size_t), "abi_version moved");
_Static_assert(offsetof(core_api_t, backend) == sizeof(size_t) + sizeof(uint32_t),
               "backend moved");

/* Slot `index` of the table sits at a frozen offset. */
#define CORE_SLOT(index, field, function, since)                               \
  _Static_assert(offsetof(core_api_t, field) == CORE_SLOT_BASE + (index) * CORE_SLOT_SIZE, \
                 "slot " #field " moved: core_api_t is append-only");
#include "libcore/loader/slots.def"
#undef CORE_SLOT

/* Every field of the struct is a listed slot (no slot left out of the list,
 * none added to the struct without an entry). */
enum {
#define CORE_SLOT(index, field, function, since) core_slot_count_##field,
#include "libcore/loader/slots.def"
#undef CORE_SLOT
  CORE_SLOT_COUNT
};
_Static_assert(sizeof(core_api_t) == CORE_SLOT_BASE + CORE_SLOT_COUNT * CORE_SLOT_SIZE,
               "core_api_t has a field that slots.def does not list");

const core_slot_info core_loader_slots[] = {
#define CORE_SLOT(index, field, function, since) \
  {"core_" #function, offsetof(core_api_t, field), since},
#include "libcore/loader/slots.def"
#undef CORE_SLOT
};
const size_t core_loader_slot_count = CORE_SLOT_COUNT;

/* Assigning core_fb_<function> to the typed field makes the compiler check that
 * every fallback has exactly the signature of its slot. */
const core_api_t core_loader_fallback_table = {
    .struct_size = sizeof(core_api_t),
    .abi_version = CORE_ABI_VERSION,
    .backend = CORE_BACKEND_FALLBACK,
#define CORE_SLOT(index, field, function, since) .field = core_fb_##function,
#include "libcore/loader/slots.def"
#undef CORE_SLOT
};
