// Reports which Highway target the dispatcher picked for this CPU.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "libcore/simd/target.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "libcore/simd/kernels.h"

HWY_BEFORE_NAMESPACE();
namespace core {
namespace simd {
namespace HWY_NAMESPACE {

const char *TargetName() { return hwy::TargetName(HWY_TARGET); }

}  // namespace HWY_NAMESPACE
}  // namespace simd
}  // namespace core
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace core {
namespace simd {
HWY_EXPORT(TargetName);
const char *target_name() { return HWY_DYNAMIC_DISPATCH(TargetName)(); }
}  // namespace simd
}  // namespace core
#endif
