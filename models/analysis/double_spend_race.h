#pragma once
// The double-spend race as an absorbing Markov chain: a model value for every
// configuration the simulator runs, including the give-up rule and pre-mined blocks,
// which have no closed form. With one pre-mined block and no give-up it is
// Rosenfeld's model (rosenfeld_double_spend in closed_forms.h).
//
// The race, as the simulator implements it. Time is counted in blocks: each block
// is the attacker's with probability q, else honest. Let h be the honest blocks and
// a the attacker's private blocks since their common parent.
//  - At the start h = 0 (the first honest block holds the payment) and
//    a = premined_blocks (mined in private on the same parent beforehand).
//  - The merchant accepts once h >= z: the payment block and z - 1 blocks on top.
//    With z = 0 it accepts at once, before the payment is in a block.
//  - Success: at any moment at or after acceptance, a > h (strictly longer: the
//    attacker publishes and every node reorganises). Before acceptance the attacker
//    keeps mining in private however far ahead it is.
//  - Failure: if give_up_deficit D > 0, the moment h - a >= D, before or after
//    acceptance (the two outcomes cannot coincide: one needs a > h, the other h > a).
//  - Without give-up (D = 0) and q >= 1/2 the attacker always wins eventually (its
//    lead is a random walk without negative drift); the result is then 1.

namespace cbsim::models::analysis {

struct DoubleSpendRace {
  double q;                  // attacker hash share: each block is the attacker's with probability q
  int confirmations;         // z >= 0: accepted once the honest chain has z blocks (payment block + z - 1)
  int premined_blocks = 1;   // attacker's private blocks on the same parent when the payment is sent
  int give_up_deficit = 0;   // D: abandon once the honest chain leads by D blocks (0 = never)
};

// Probability that the attack succeeds. Throws std::invalid_argument for q outside
// [0, 1], a negative count, or a race that is not tractable.
double double_spend_success(const DoubleSpendRace& race);

// Whether the chain of a race with z confirmations and give-up deficit D is small
// enough to solve (about z^2 + D states, at most a million), so that a scenario's
// attack can be refused before it runs rather than after.
bool double_spend_race_is_tractable(int confirmations, int give_up_deficit);

}  // namespace cbsim::models::analysis
