#include "sim/runner/eclipse_withholding_adversary.h"

#include <limits>

#include "models/analysis/closed_forms.h"
#include "sim/runner/payment_view.h"

namespace cbsim::sim {

namespace chain = models::chain;
using models::consensus::nakamoto::Message;
using models::consensus::nakamoto::MsgKind;

namespace {
// The payment outbids everything, so the first block of the merchant's branch
// holds it; the network's twin likewise goes into its next block.
constexpr double kAttackFeeRate = 1.0e9;
constexpr std::uint32_t kPaymentBytes = 250;
}  // namespace

EclipseWithholdingAdversary::EclipseWithholdingAdversary(const scenario::AttackConfig& config,
                                                         double block_interval_s, std::uint32_t node,
                                                         std::uint32_t merchant, AdversaryHost& host)
    : Adversary(node, host), config_(config), block_interval_s_(block_interval_s), merchant_(merchant) {}

void EclipseWithholdingAdversary::start() { new_trial(); }

void EclipseWithholdingAdversary::new_trial() {
  phase_ = Phase::feeding;
  accepted_ = false;
  tally_.start(host_->now());
  // Created first, so that among equal fee rates the attacker's blocks pick
  // the payment and leave out its twin.
  payment_ = host_->pool().add(node_, kPaymentBytes, kAttackFeeRate, host_->now(), /*broadcast=*/false);
  twin_ = host_->pool().add(node_, kPaymentBytes, kAttackFeeRate, host_->now());
  host_->pool().set_conflict(payment_, twin_);
  if (config_.confirmations == 0) {
    accepted_ = true;
    release();
  }
}

chain::BlockId EclipseWithholdingAdversary::mining_parent() {
  check_window();  // a closed window ends the feeding before the next block, not after
  return host_->tree_of(phase_ == Phase::feeding ? merchant_ : node_).tip();
}

void EclipseWithholdingAdversary::on_own_block(chain::BlockId block) {
  if (phase_ == Phase::feeding) {
    private_blocks_.insert(block);
    host_->push_block(node_, merchant_, block);  // mined on the merchant's tip, for its eyes only
  } else {
    host_->publish(node_, block);  // between trials the attacker mines like everyone else
  }
}

void EclipseWithholdingAdversary::check_window() {
  if (phase_ != Phase::feeding || config_.max_trial_time_s <= 0.0) return;
  if (host_->now() > tally_.started() + config_.max_trial_time_s) release();
}

void EclipseWithholdingAdversary::release() {
  phase_ = Phase::released;
  // The merchant's branch is abandoned: its payment can never be mined again.
  host_->pool().retire(payment_);
  host_->release_held();
}

void EclipseWithholdingAdversary::on_block_accepted(std::uint32_t node, const chain::AddOutcome& outcome) {
  if (phase_ == Phase::over) return;
  // The merchant's own blocks on its branch are private too; first, since a
  // block mined while it was fed may be what reveals that the window closed.
  if (node == merchant_)
    for (chain::BlockId b : outcome.connected) {
      const chain::Block& block = host_->store().at(b);
      if (block.header.miner == merchant_ && (phase_ == Phase::feeding || private_blocks_.contains(block.parent)))
        private_blocks_.insert(b);
    }
  check_window();
  if (node != merchant_ && node != node_) return;
  if (outcome.new_tip == outcome.old_tip) return;
  if (phase_ == Phase::feeding && node == merchant_ &&
      chain_confirms(*host_, merchant_, payment_, config_.confirmations)) {
    accepted_ = true;
    accept_time_total_ += host_->now() - tally_.started();
    release();
  }
  if (phase_ == Phase::released && node == merchant_ && chain_holds(*host_, merchant_, twin_)) {
    tally_.finish(accepted_, host_->now());
    if (tally_.done() >= config_.trials) {
      phase_ = Phase::over;
      host_->stop_mining();
      return;
    }
    phase_ = Phase::catching_up;
  }
  if (phase_ == Phase::catching_up && caught_up()) new_trial();
}

Interception EclipseWithholdingAdversary::intercept(const Message& m) const {
  if (m.from == merchant_ && m.to == node_ && private_blocks_.contains(m.block)) return {Interception::Fate::drop};
  if (phase_ != Phase::feeding) return {};
  // Honest blocks wait until the trial ends.
  if (m.from == node_ && m.to == merchant_ && m.kind == MsgKind::inv) return {Interception::Fate::hold};
  // The attacker reads what the merchant sends (it holds its connections) and
  // keeps it from the network: the merchant's branch stays private.
  if (m.from == merchant_ && m.to == node_) return {Interception::Fate::drop};
  return {};
}

std::optional<double> EclipseWithholdingAdversary::tx_arrival(std::uint32_t node,
                                                              const chain::Transaction& tx) const {
  if (node != merchant_ || phase_ != Phase::feeding) return std::nullopt;
  if (tx.index == payment_) return tx.created_s;                                // sent to the merchant directly
  if (tx.index == twin_) return std::numeric_limits<double>::infinity();       // kept from it
  return std::nullopt;
}

nlohmann::json EclipseWithholdingAdversary::metrics(chain::BlockId /*best_tip*/) const {
  nlohmann::json m;
  m["kind"] = config_.kind;
  m["eclipse_mode"] = config_.eclipse_mode;
  m["attacker_node"] = node_;
  m["victim_node"] = merchant_;
  m["attacker_share"] = config_.attacker_share;
  const double victim_share = host_->hash_share(merchant_);
  m["victim_share"] = victim_share;
  m["confirmations"] = config_.confirmations;
  m["max_trial_time_s"] = config_.max_trial_time_s;
  tally_.write(m);
  m["mean_time_to_accept_s"] = tally_.successes() > 0 ? accept_time_total_ / tally_.successes() : 0.0;
  // The merchant's branch grows with the attacker's and the merchant's hash power.
  const double branch_share = config_.attacker_share + victim_share;
  m["model_success_probability"] = models::analysis::eclipse_withholding_success(
      branch_share, config_.confirmations, config_.max_trial_time_s / block_interval_s_);
  if (config_.max_trial_time_s == 0.0 && branch_share > 0.0)
    m["model_mean_time_to_accept_s"] = config_.confirmations * block_interval_s_ / branch_share;
  return m;
}

}  // namespace cbsim::sim
