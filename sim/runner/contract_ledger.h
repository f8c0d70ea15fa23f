#pragma once
// The EVM side of a Nakamoto chain with contract calls (scenario section
// `contracts`): the genesis state (funded accounts, the workload's contract
// deployed), the call each contract-call transaction carries, and the state
// after every block. A block's calls run in the EVM once, when its miner
// assembles it, in the order the miner chose, on top of its parent's state:
// the result is deterministic, so every node that validates the block would
// compute the same state root; the simulation charges each of them the CPU
// time (costs.gas_cycles per gas) instead of running the code again.
//
// The genesis state holds only the funded accounts: the contract's deployment
// (and, for the token, the allotments that give every account tokens) are
// set-up transactions the simulation broadcasts at time 0 with a fee that puts
// them first, so the first blocks carry them; calls the chain orders before
// them fail, as they would on a real chain.
//
// A call's nonce is the sender's nonce when its block is assembled (the
// simulated mempool is not ordered by nonce).
//
// With the allocation experiment's contract mechanisms the ledger runs the
// allocation contracts instead of a workload: the genesis state is the
// provider's set-up (AllocationContracts::genesis_state()), each allocation
// call is a transaction, and each block keeps its calls' receipts, from which
// the main chain's decisions are folded after the run.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

#include "models/chain/block.h"
#include "models/chain/tx_pool.h"
#include "models/evm/transaction.h"
#include "models/random/rng.h"
#include "sim/allocation/allocation_contracts.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

class ContractLedger {
public:
  ContractLedger(const scenario::ContractsConfig& config, models::random::Rng rng);
  // The allocation contracts' calls, and no workload.
  ContractLedger(const scenario::ContractsConfig& config, std::shared_ptr<const AllocationContracts> allocation);

  // The set-up transactions' call data, in order (the first deploys the contract).
  std::size_t setup_count() const { return setup_.size(); }
  // Makes the pool's transaction `tx` the set-up transaction `i`.
  void attach_setup(models::chain::TxIndex tx, std::size_t i);
  std::uint32_t setup_bytes(std::size_t i) const { return static_cast<std::uint32_t>(setup_[i].data.size()); }
  // Makes the pool's transaction `tx` a contract call (the next account sends it).
  void attach_call(models::chain::TxIndex tx);
  bool is_call(models::chain::TxIndex tx) const { return calls_.count(tx) > 0 || allocation_calls_.count(tx) > 0; }
  // Makes the pool's transaction `tx` the allocation contracts' call `call`.
  void attach_allocation_call(models::chain::TxIndex tx, std::uint32_t call);
  // Bytes a call adds to a transaction: its call data.
  std::uint32_t call_bytes() const;

  struct Execution {
    std::vector<models::chain::TxIndex> included;  // the selection minus calls that did not fit or were invalid
    std::shared_ptr<const models::evm::WorldState> state;
    std::uint64_t gas_used = 0;
    std::uint32_t calls = 0;
    std::uint32_t failed = 0;  // reverted or out of gas (included, and paid for)
    bool deploys = false;      // holds the contract's deployment
    models::crypto::Hash256 state_root{};  // of `state`: what the block's header commits to
    std::vector<AllocationContracts::Receipt> allocation_receipts;  // in the block's order
  };
  // Runs the calls among `selected`, in order, on `parent`'s post-state.
  Execution execute(models::chain::BlockId parent, const std::vector<models::chain::TxIndex>& selected,
                    std::uint64_t height, double now) const;
  void commit(models::chain::BlockId block, Execution execution);
  const Execution* find(models::chain::BlockId block) const;
  std::uint64_t gas_used(models::chain::BlockId block) const;
  // A validating node's check: the header's state root is the one its own
  // execution of the block gives (the memoised execution stands for it).
  bool state_root_matches(const models::chain::Block& block) const;

  // metrics.json's "contracts" for the chain ending at `tip`.
  nlohmann::json metrics(const models::chain::BlockStore& store, models::chain::BlockId tip, double sim_time_s,
                         double execution_cycles, double validation_cycles) const;

private:
  struct Call {
    std::uint32_t sender = 0;  // index into accounts_
    models::evm::Bytes data;
    bool creates = false;      // the deployment: no recipient
    bool setup = false;        // not counted among the workload's calls
  };
  models::evm::Bytes next_call_data();
  void run_allocation_calls(std::vector<std::pair<std::uint32_t, models::chain::TxIndex>> calls,
                            const models::evm::WorldState& parent_state, models::evm::WorldState& state,
                            std::uint64_t height, double now, Execution& out) const;

  scenario::ContractsConfig config_;
  models::random::Rng rng_;
  std::vector<models::evm::Address> accounts_;
  models::evm::Address contract_{};
  std::uint32_t next_sender_ = 0;
  std::vector<Call> setup_;
  std::unordered_map<models::chain::TxIndex, Call> calls_;
  std::size_t workload_calls_ = 0;
  std::shared_ptr<const AllocationContracts> allocation_;
  std::unordered_map<models::chain::TxIndex, std::uint32_t> allocation_calls_;  // transaction -> call
  std::unordered_map<models::chain::BlockId, Execution> executions_;
};

}  // namespace cbsim::sim
