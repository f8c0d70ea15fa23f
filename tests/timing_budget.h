#pragma once
// Time budgets of tests that check something ends promptly: AddressSanitizer
// (make test-sanitize) runs code several times slower by design, and such a
// test checks that the work is not quadratic or endless, not the sanitizer's speed.

namespace cbsim::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr double kTimeBudgetFactor = 5.0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr double kTimeBudgetFactor = 5.0;
#else
inline constexpr double kTimeBudgetFactor = 1.0;
#endif
#else
inline constexpr double kTimeBudgetFactor = 1.0;
#endif

}  // namespace cbsim::test
