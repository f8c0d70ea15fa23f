#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "models/integrity/audit_experiment.h"
#include "models/integrity/audited_store.h"

using namespace cbsim::models::integrity;
using cbsim::models::random::Rng;

TEST(AuditedStore, EveryKindOfTamperingFailsItsAuditAndOnlyIts) {
  AuditedStore store(100, 256, 9);
  for (std::size_t i = 0; i < store.size(); ++i) ASSERT_TRUE(store.audit(i));
  for (const char* kind : {"modify", "delete", "rollback"}) {
    store.tamper({3, 50, 99}, parse_tampering(kind));
    for (std::size_t i = 0; i < store.size(); ++i) EXPECT_EQ(store.audit(i), i != 3 && i != 50 && i != 99) << kind << " " << i;
    store.restore();
    for (std::size_t i = 0; i < store.size(); ++i) ASSERT_TRUE(store.audit(i)) << kind;
  }
  EXPECT_FALSE(store.serve(50).bytes->empty());
  EXPECT_THROW(parse_tampering("burn"), std::invalid_argument);
}

// Detection at the first audit against 1 - (1 - t)^s, for t = 1 % of 1,000
// objects and s = 10, 50, 200: 2,000 trials, within 4 binomial standard
// errors; the mean delay to detection against interval/2 + interval (1-P)/P,
// within 4 standard errors of a delay interval x (G - U) with G geometric and
// U uniform (variance interval^2 ((1 - P)/P^2 + 1/12)).
TEST(AuditExperiment, DetectionAndDelayMatchTheClosedForms) {
  AuditedStore store(1000, 512, 3);
  for (const std::size_t s : {10u, 50u, 200u}) {
    AuditSpec spec;
    spec.tamper_fraction = 0.01;
    spec.sample_size = s;
    spec.audit_interval_s = 600.0;
    spec.trials = 2000;
    Rng rng(17, "audits");
    const AuditResult r = run_audit_experiment(store, spec, rng);
    const double p = 1.0 - std::pow(0.99, static_cast<double>(s));
    EXPECT_EQ(r.tampered, 10u);
    EXPECT_NEAR(r.model_detection, p, 1e-12);
    EXPECT_NEAR(r.first_audit_detection, p, 4 * std::sqrt(p * (1 - p) / spec.trials)) << "s = " << s;
    EXPECT_EQ(r.undetected, 0u);
    const double delay_sd = 600.0 * std::sqrt((1 - p) / (p * p) + 1.0 / 12.0);
    EXPECT_NEAR(r.mean_delay_s, 300.0 + 600.0 * (1 - p) / p, 4 * delay_sd / std::sqrt(spec.trials)) << "s = " << s;
  }
  for (std::size_t i = 0; i < store.size(); ++i) ASSERT_TRUE(store.audit(i));  // left as found
}
