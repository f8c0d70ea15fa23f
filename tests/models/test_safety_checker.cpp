#include <gtest/gtest.h>

#include "models/consensus/safety_checker.h"

using cbsim::models::consensus::SafetyChecker;
using cbsim::models::crypto::Hash256;

TEST(SafetyChecker, AgreementIsNoViolationAndDisagreementIsOne) {
  SafetyChecker checker;
  Hash256 a{}, b{};
  a[0] = 1;
  b[0] = 2;
  EXPECT_FALSE(checker.on_commit(0, 1, a));
  EXPECT_FALSE(checker.on_commit(1, 1, a));  // the same batch at the same seq
  EXPECT_FALSE(checker.on_commit(2, 2, b));  // another seq may hold another batch
  EXPECT_EQ(checker.violations(), 0u);
  EXPECT_TRUE(checker.on_commit(3, 1, b));
  EXPECT_EQ(checker.violations(), 1u);
  EXPECT_EQ(checker.first_violation(), "seq 1: replica 0 and replica 3 committed different batches");
  EXPECT_EQ(checker.decided(), 2u);
}
