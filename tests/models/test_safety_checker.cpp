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

TEST(SafetyChecker, AViolationFailsTheRunOnlyWithinFByzantineReplicas) {
  SafetyChecker checker;
  Hash256 a{}, b{};
  a[0] = 1;
  b[0] = 2;
  checker.on_commit(0, 1, a);
  EXPECT_EQ(checker.failure(0, 1), "");  // no violation: nothing to fail
  checker.on_commit(1, 1, b);
  EXPECT_EQ(checker.failure(1, 1),
            "safety violated with 1 Byzantine replica(s), at most f = 1 tolerated: seq 1: replica 0 and replica 1 "
            "committed different batches");
  EXPECT_NE(checker.failure(0, 2), "");
  EXPECT_EQ(checker.failure(2, 1), "");  // beyond f: a result to report, not a failure
}
