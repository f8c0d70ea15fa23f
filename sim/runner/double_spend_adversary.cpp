#include "sim/runner/double_spend_adversary.h"

#include <cmath>

#include "models/analysis/closed_forms.h"
#include "models/analysis/double_spend_race.h"
#include "sim/runner/payment_view.h"

namespace cbsim::sim {

namespace chain = models::chain;
using Phase = models::consensus::nakamoto::DoubleSpender::Phase;

namespace {
// Payments outbid everything, so the first block after the broadcast holds
// them, as the analytic race assumes.
constexpr double kAttackFeeRate = 1.0e9;
constexpr std::uint32_t kPaymentBytes = 250;
}  // namespace

DoubleSpendAdversary::DoubleSpendAdversary(const scenario::AttackConfig& config, std::uint32_t node,
                                           std::uint32_t merchant, AdversaryHost& host)
    : Adversary(node, host),
      config_(config),
      merchant_(merchant),
      view_node_(config.kind == "eclipse" ? merchant : node),
      spender_(host.store(), {config.premined_blocks, config.give_up_deficit, config.max_trial_time_s}) {}

void DoubleSpendAdversary::start() { new_trial(); }

void DoubleSpendAdversary::new_trial() {
  tally_.start(host_->now());
  payment_ = chain::kNoTx;
  merchant_accepted_ = false;
  // The conflicting twin exists from the start: the first private block holds it.
  twin_ = host_->pool().add(node_, kPaymentBytes, kAttackFeeRate, host_->now(), /*broadcast=*/false);
  // The private branch forks from the real tip, as the attacker sees it; an
  // eclipsed victim only learns of that tip later.
  apply(spender_.start_trial(own_tip(), host_->now()));
}

void DoubleSpendAdversary::apply(const models::consensus::nakamoto::DoubleSpender::Decision& d) {
  if (d.broadcast_payment) {
    payment_ = host_->pool().add(node_, kPaymentBytes, kAttackFeeRate, host_->now());
    host_->pool().set_conflict(payment_, twin_);
    if (config_.confirmations == 0) {
      merchant_accepted_ = true;
      apply(spender_.on_merchant_accepted(public_tip()));
    }
  }
  for (chain::BlockId b : d.publish) host_->publish(node_, b);
  if (d.gave_up) end_trial(false);
}

void DoubleSpendAdversary::on_own_block(chain::BlockId block) {
  if (tally_.done() >= config_.trials) return;
  apply(spender_.on_attacker_block(block, public_tip()));
}

Interception DoubleSpendAdversary::intercept(const models::consensus::nakamoto::Message& m) const {
  // Eclipse: the attacker tells its victim of honest blocks late.
  const bool delayed = config_.kind == "eclipse" && config_.eclipse_delay_s > 0.0 && m.from == node_ &&
                       m.to == merchant_ && m.kind == models::consensus::nakamoto::MsgKind::inv &&
                       host_->store().at(m.block).header.miner != node_;
  if (!delayed) return {};
  return {Interception::Fate::delay, config_.eclipse_delay_s};
}

void DoubleSpendAdversary::track_victim_lag() {
  const auto height = [&](std::uint32_t n) { return host_->store().at(host_->tree_of(n).tip()).header.height; };
  lag_integral_ += lag_ * (host_->now() - lag_since_);
  lag_since_ = host_->now();
  lag_ = height(node_) > height(merchant_) ? height(node_) - height(merchant_) : 0;
}

void DoubleSpendAdversary::on_block_accepted(std::uint32_t node, const chain::AddOutcome& outcome) {
  if (node == node_ || node == merchant_) track_victim_lag();
  if (tally_.done() >= config_.trials) return;  // the attack is over; the run is draining
  if (spender_.phase() == Phase::failed || outcome.new_tip == outcome.old_tip || payment_ == chain::kNoTx) {
    if (node == node_ && spender_.phase() == Phase::premining) apply(spender_.on_public_tip(own_tip(), host_->now()));
    return;
  }
  if (node == merchant_) {
    if (!merchant_accepted_) merchant_accepted_ = chain_confirms(*host_, merchant_, payment_, config_.confirmations);
    // The twin in the merchant's chain: fooled if it had accepted the
    // payment, otherwise it never handed anything over.
    if (chain_holds(*host_, merchant_, twin_)) {
      end_trial(merchant_accepted_);
      return;
    }
  }
  if (node == view_node_) {
    // The attacker cannot see the merchant's mind: it judges acceptance by the
    // chain it races (its own view, or the eclipsed victim's, which it feeds).
    if (!spender_.merchant_accepted() && chain_confirms(*host_, view_node_, payment_, config_.confirmations))
      apply(spender_.on_merchant_accepted(public_tip()));
    if (spender_.phase() != Phase::failed) apply(spender_.on_public_tip(public_tip(), host_->now()));
  }
}

void DoubleSpendAdversary::end_trial(bool success) {
  // The losing side of the double spend can never be mined again.
  host_->pool().retire(success ? payment_ : twin_);
  tally_.finish(success, host_->now());
  if (tally_.done() >= config_.trials) {
    host_->stop_mining();
    return;
  }
  new_trial();
}

nlohmann::json DoubleSpendAdversary::metrics(chain::BlockId /*best_tip*/) const {
  nlohmann::json m;
  m["kind"] = config_.kind;
  m["attacker_node"] = node_;
  m["victim_node"] = merchant_;
  m["attacker_share"] = config_.attacker_share;
  m["confirmations"] = config_.confirmations;
  tally_.write(m);
  m["premined_blocks"] = config_.premined_blocks;
  if (config_.kind == "eclipse") {
    m["eclipse_mode"] = config_.eclipse_mode;
    m["eclipse_delay_s"] = config_.eclipse_delay_s;
    m["victim_mean_lag_blocks"] = host_->now() > 0.0 ? lag_integral_ / host_->now() : 0.0;
  }
  m["give_up_deficit"] = config_.give_up_deficit;
  // The same race as a Markov chain (give-up rule and pre-mining included),
  // and Rosenfeld's closed form, which assumes one pre-mined block and no give-up.
  m["model_success_probability"] = models::analysis::double_spend_success(
      {config_.attacker_share, config_.confirmations, config_.premined_blocks, config_.give_up_deficit});
  m["rosenfeld_success_probability"] =
      models::analysis::rosenfeld_double_spend(config_.attacker_share, config_.confirmations);
  return m;
}

}  // namespace cbsim::sim
