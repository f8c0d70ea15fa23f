#include "sim/runner/contract_ledger.h"

#include <algorithm>
#include <stdexcept>

#include "models/evm/abi.h"
#include "models/evm/hex.h"
#include "sim/evm/contract_deployments.h"

namespace cbsim::sim {

namespace ev = models::evm;
namespace chain = models::chain;

namespace {

constexpr std::uint64_t kCallGasLimit = 200'000;     // each call's gas limit (a transfer uses 34,000-51,000)
constexpr std::uint64_t kDeployGasLimit = 5'000'000;
const ev::uint256 kTokenSupply = ev::uint256{1} << 100;
const ev::uint256 kTokensPerAccount = ev::uint256{1} << 64;

ev::BlockEnv block_env(const scenario::ContractsConfig& c, std::uint64_t height, double now) {
  ev::BlockEnv env;
  env.number = height;
  env.timestamp = static_cast<std::uint64_t>(now);
  env.gas_limit = static_cast<std::uint64_t>(c.block_gas_limit);
  return env;
}

}  // namespace

ContractLedger::ContractLedger(const scenario::ContractsConfig& config, models::random::Rng rng)
    : config_(config), rng_(std::move(rng)) {
  auto genesis = std::make_shared<ev::WorldState>();
  for (int i = 0; i < config.accounts; ++i) {
    accounts_.push_back(evm::simulated_account(static_cast<std::uint32_t>(i)));
    ev::Account acc;
    acc.balance = ev::uint256{1} << 96;  // ether enough for any number of calls
    genesis->put_account(accounts_.back(), std::move(acc));
  }
  // The deployment, by account 0 with nonce 0, creates the contract at a known address.
  contract_ = ev::create_address(accounts_[0], 0);
  Call deploy;
  deploy.creates = deploy.setup = true;
  if (config.workload == "simple-storage") {
    deploy.data = evm::simple_storage_deployment();
    setup_.push_back(std::move(deploy));
  } else {
    deploy.data = evm::token_deployment("cbsim token", "CBS", kTokenSupply);
    setup_.push_back(std::move(deploy));
    // Every account gets tokens to send.
    for (std::size_t i = 1; i < accounts_.size(); ++i) {
      Call give;
      give.setup = true;
      give.data = ev::abi_encode_call("transfer(address,uint256)",
                                      {ev::AbiValue::address(accounts_[i]), ev::AbiValue::word(kTokensPerAccount)});
      setup_.push_back(std::move(give));
    }
  }
  Execution g;
  g.state = std::move(genesis);
  executions_.emplace(chain::BlockStore::genesis(), std::move(g));
}

ContractLedger::ContractLedger(const scenario::ContractsConfig& config, std::shared_ptr<const AllocationContracts> allocation)
    : config_(config), rng_(0), allocation_(std::move(allocation)) {
  Execution g;
  g.state = std::make_shared<ev::WorldState>(allocation_->genesis_state());
  executions_.emplace(chain::BlockStore::genesis(), std::move(g));
}

void ContractLedger::attach_allocation_call(chain::TxIndex tx, std::uint32_t call) {
  allocation_calls_.emplace(tx, call);
  ++workload_calls_;
}

void ContractLedger::attach_setup(chain::TxIndex tx, std::size_t i) { calls_.emplace(tx, setup_.at(i)); }

ev::Bytes ContractLedger::next_call_data() {
  if (config_.workload == "simple-storage")
    return ev::abi_encode_call("set(uint256)", {ev::AbiValue::word(ev::uint256{rng_()})});
  const auto to = static_cast<std::uint32_t>(rng_.uniform_index(accounts_.size()));
  return ev::abi_encode_call("transfer(address,uint256)", {ev::AbiValue::address(accounts_[to]), ev::AbiValue::word(1)});
}

std::uint32_t ContractLedger::call_bytes() const {
  // Selector + arguments of the workload's call.
  return config_.workload == "simple-storage" ? 4 + 32 : 4 + 2 * 32;
}

void ContractLedger::attach_call(chain::TxIndex tx) {
  Call call;
  call.sender = next_sender_;
  next_sender_ = (next_sender_ + 1) % static_cast<std::uint32_t>(accounts_.size());
  call.data = next_call_data();
  calls_.emplace(tx, std::move(call));
  ++workload_calls_;
}

ContractLedger::Execution ContractLedger::execute(chain::BlockId parent, const std::vector<chain::TxIndex>& selected,
                                                  std::uint64_t height, double now) const {
  const Execution& before = executions_.at(parent);
  auto state = std::make_shared<ev::WorldState>(*before.state);
  const ev::BlockEnv env = block_env(config_, height, now);
  Execution out;
  out.included.reserve(selected.size());
  std::vector<std::pair<std::uint32_t, chain::TxIndex>> allocation_calls;
  for (const chain::TxIndex tx : selected) {
    if (const auto a = allocation_calls_.find(tx); a != allocation_calls_.end()) {
      allocation_calls.emplace_back(a->second, tx);
      continue;
    }
    const auto it = calls_.find(tx);
    if (it == calls_.end()) {
      out.included.push_back(tx);  // an ordinary transaction
      continue;
    }
    const Call& call = it->second;
    const std::uint64_t gas_limit = call.creates ? kDeployGasLimit : kCallGasLimit;
    if (out.gas_used + gas_limit > static_cast<std::uint64_t>(config_.block_gas_limit)) continue;  // next block
    ev::Transaction t;
    t.sender = accounts_[call.sender];
    t.nonce = state->nonce(t.sender);
    t.gas_limit = gas_limit;
    if (!call.creates) t.to = contract_;
    t.data = call.data;
    const ev::TransactionOutcome r = ev::apply_transaction(*state, env, t, ev::Fork::cancun);
    if (!r.valid) continue;
    out.included.push_back(tx);
    out.gas_used += static_cast<std::uint64_t>(r.gas_used);
    out.deploys = out.deploys || call.creates;
    if (call.setup) continue;
    ++out.calls;
    if (r.result.status != ev::Status::success) ++out.failed;
  }
  if (!allocation_calls.empty())
    run_allocation_calls(std::move(allocation_calls), *before.state, *state, height, now, out);
  out.state_root = state->state_root();
  out.state = std::move(state);
  return out;
}

// The miner runs the allocation calls in the order they were sent (they pay
// one fee rate, so the fee does not order them): the keeper's clear after
// the epoch's bids, first come first served. Each call may use the block's
// whole gas; the miner knows its gas once it has run it, and the first that
// would take the block past its gas limit waits, with every later one, for
// the next block. The EVM has no undo across transactions, so the block's
// state is rebuilt from its parent's without it (once per block).
void ContractLedger::run_allocation_calls(std::vector<std::pair<std::uint32_t, chain::TxIndex>> calls,
                                          const ev::WorldState& parent_state, ev::WorldState& state,
                                          std::uint64_t height, double now, Execution& out) const {
  if (!calls_.empty()) throw std::logic_error("allocation calls and a contracts workload in one ledger");
  std::sort(calls.begin(), calls.end());
  const auto limit = static_cast<std::uint64_t>(config_.block_gas_limit);
  for (const auto& [call, tx] : calls) {
    AllocationContracts::Receipt r = allocation_->run_call(state, call, height, now);
    if (out.gas_used + r.gas > limit) {
      state = parent_state;
      for (const AllocationContracts::Receipt& kept : out.allocation_receipts)
        allocation_->run_call(state, kept.call, height, now);
      return;
    }
    out.included.push_back(tx);
    out.gas_used += r.gas;
    ++out.calls;
    out.failed += r.reverted ? 1 : 0;
    out.allocation_receipts.push_back(std::move(r));
  }
}

void ContractLedger::commit(chain::BlockId block, Execution execution) {
  execution.included.clear();
  execution.included.shrink_to_fit();
  executions_.emplace(block, std::move(execution));
}

const ContractLedger::Execution* ContractLedger::find(chain::BlockId block) const {
  const auto it = executions_.find(block);
  return it == executions_.end() ? nullptr : &it->second;
}

bool ContractLedger::state_root_matches(const chain::Block& block) const {
  const Execution* e = find(block.id);
  return e != nullptr && block.header.state_root && *block.header.state_root == e->state_root;
}

std::uint64_t ContractLedger::gas_used(chain::BlockId block) const {
  const Execution* e = find(block);
  return e ? e->gas_used : 0;
}

nlohmann::json ContractLedger::metrics(const chain::BlockStore& store, chain::BlockId tip, double sim_time_s,
                                       double execution_cycles, double validation_cycles) const {
  std::uint64_t calls = 0, failed = 0, gas = 0, blocks = 0;
  nlohmann::json deployed_at = nullptr;  // height of the block that deployed the contract
  for (chain::BlockId b = tip; b != chain::BlockStore::genesis(); b = store.at(b).parent) {
    const Execution* e = find(b);
    if (e == nullptr) continue;
    if (e->deploys) deployed_at = store.at(b).header.height;
    calls += e->calls;
    failed += e->failed;
    gas += e->gas_used;
    ++blocks;
  }
  const Execution* last = find(tip);
  return {{"workload", allocation_ ? std::string("allocation-contracts") : config_.workload},
          {"calls", calls},
          {"failed", failed},
          {"submitted", workload_calls_},
          {"deployed_at_height", deployed_at},
          {"gas_used", gas},
          {"gas_per_s", sim_time_s > 0 ? static_cast<double>(gas) / sim_time_s : 0.0},
          {"block_gas_utilization",
           blocks > 0 ? static_cast<double>(gas) / (static_cast<double>(blocks) * config_.block_gas_limit) : 0.0},
          {"execution_share", validation_cycles > 0 ? execution_cycles / validation_cycles : 0.0},
          {"state_root", last ? ev::to_hex(last->state_root) : ""}};
}

}  // namespace cbsim::sim
