#pragma once
// Closed-form results that the simulator is validated against
// (../shared/REFERENCE.md gives the sources).

namespace cbsim::models::analysis {

// Probability that an attacker with hash share q overtakes the honest chain
// after z confirmations, Nakamoto (2008) section 11 (Poisson approximation of
// the attacker's progress). 1 for q >= 0.5.
double nakamoto_double_spend(double q, int z);

// The exact version (Rosenfeld 2014): the attacker mines in private from the
// moment the transaction is sent; its progress while the merchant waits for z
// blocks is negative-binomial. 1 for q >= 0.5.
double rosenfeld_double_spend(double q, int z);

// Eclipse with withholding (Heilman et al. 2015): the victim sees only the
// branch the attacker feeds it, which grows with the attacker's and the
// victim's own hash power (`branch_share` of all of it); the payment sits in
// its first block. Probability that the victim has z blocks of it within a
// window of `window_blocks` block intervals: P(Poisson(branch_share x window)
// >= z), Gamma(z) waiting time; window 0 = unbounded (1 if branch_share > 0).
double eclipse_withholding_success(double branch_share, int z, double window_blocks);

// Relative revenue of a selfish-mining pool with share alpha when a share
// gamma of honest miners builds on the pool's block during a tie (Eyal & Sirer 2014).
double selfish_mining_revenue(double alpha, double gamma);
// The pool share above which selfish mining pays: (1 - gamma) / (3 - 2 gamma).
double selfish_mining_threshold(double gamma);

// Decker & Wattenhofer (2013): probability that a block is forked when the
// integral over time of the share of uninformed nodes is `uninformed_integral_s`
// and blocks come every `block_interval_s` on average: 1 - exp(-integral / T).
double fork_probability(double uninformed_integral_s, double block_interval_s);

}  // namespace cbsim::models::analysis
