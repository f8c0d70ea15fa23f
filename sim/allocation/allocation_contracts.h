#pragma once
// The contract mechanisms of the allocation experiment: the contract
// scenarios/contracts/CloudAllocator.sol, one instance per mechanism
// (contract_first_fit calls request(), contract_auction calls bid() and a
// keeper's clear(epoch) after each epoch), deployed by the provider with its
// hosts listed before the run. Each allocation request becomes a transaction
// its tenant sends when the request arrives; a chain orders them, and this
// class runs the ordered calls in cbsim's EVM and reads each request's
// decision from the contract's events.
//
// Executing a call is apart from reading its decision: run_call() runs one
// call on a given state (a committee's one advancing state, or a copy per
// block in a forking chain) and returns its receipt; fold() reads the
// decisions from the receipts of the canonical sequence, in order. A
// committee folds each batch as it executes it (execute()); a Nakamoto chain
// folds its main chain's receipts, genesis to best tip, after the run.
//
// Execution is deterministic, so every honest node that applies the same
// ordered calls reaches the same decisions (sim/runner/replicated_execution.h
// tracks which committee node applied what). After each batch a result digest
// chains the batch's receipts (status, gas, logs), as a block's receipts root
// does; the full state root is computed on demand (it hashes every storage slot).

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/allocation/clear_capacity.h"
#include "models/allocation/request.h"
#include "models/crypto/hash.h"
#include "models/evm/world_state.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

enum class ContractMechanism { first_fit, auction };
// CloudAllocator.MAX_BIDS_PER_EPOCH: bids beyond it in an epoch revert.
constexpr double kMaxBidsPerEpoch = 200;
// "contract_first_fit" / "contract_auction"; nothing for the other mechanisms.
std::optional<ContractMechanism> parse_contract_mechanism(std::string_view name);
bool has_contract_mechanism(const scenario::Scenario& s);

struct ContractDecision {
  bool decided = false;    // a call's execution settled it (the request, or the clear that served the bid)
  bool allocated = false;
  bool failed = false;     // the request's transaction reverted (an invalid window, a full epoch)
  std::uint32_t host = 0;
  std::uint32_t deciding_call = 0;  // index into calls(): its confirmation is the decision's
  double gas = 0.0;        // its call's gas; a bid also carries its share of the clear
  double executed_s = 0.0; // the deciding call's block time
};

class AllocationContracts {
public:
  enum class CallKind { request, bid, clear };
  struct Call {
    double submit_s = 0.0;
    ContractMechanism mechanism = ContractMechanism::first_fit;
    CallKind kind = CallKind::request;
    std::uint32_t subject = 0;  // the allocation request's id; clear: the epoch
  };

  // `requests` is the experiment's stream (allocation_requests()); the
  // scenario's allocation section says which contract mechanisms run.
  AllocationContracts(const scenario::Scenario& s, std::vector<models::allocation::AllocationRequest> requests);

  // Every transaction the chain is sent, by submission time.
  const std::vector<Call>& calls() const { return calls_; }
  // The call data's size (selector and arguments).
  std::uint32_t call_bytes(std::uint32_t call) const;

  // The state after the provider's set-up: the chain's genesis state.
  const models::evm::WorldState& genesis_state() const { return genesis_; }

  // What running one call left: its receipt.
  struct Receipt {
    std::uint32_t call = 0;
    std::uint64_t gas = 0;
    bool reverted = false;
    std::vector<models::evm::Log> logs;
    double time_s = 0.0;  // the block's timestamp
  };
  // Runs call `call` on `state` in a block at `time_s` (whole seconds: the
  // contract's clock) and height `height`; its gas limit is the block's.
  Receipt run_call(models::evm::WorldState& state, std::uint32_t call, std::uint64_t height, double time_s) const;
  // Reads the receipt's decisions, the next in the canonical sequence; false
  // (and nothing read) for a call already folded.
  bool fold(const Receipt& receipt);
  // The calls folded so far, in order.
  const std::vector<std::uint32_t>& folded_calls() const { return folded_order_; }

  struct BatchOutcome {
    std::uint64_t gas = 0;
    std::uint32_t executed = 0;  // calls run (a call ordered twice runs once)
    std::uint32_t reverted = 0;
  };
  // A committee's batch: runs the calls, in order, on the state the previous
  // batches left, and folds their receipts.
  BatchOutcome execute(std::span<const std::uint32_t> calls, std::uint64_t height, double time_s);

  // Chains every batch's receipts so far (what honest nodes compare).
  const models::crypto::Hash256& result_digest() const { return result_digest_; }
  // Of execute()'s state (a committee's).
  models::crypto::Hash256 state_root() const { return state_.state_root(); }

  // Per request id, for a listed contract mechanism.
  const std::vector<ContractDecision>& decisions(ContractMechanism m) const;
  const std::vector<models::allocation::AllocationRequest>& requests() const { return requests_; }
  // Gas the provider spent deploying the contracts and listing its hosts.
  std::uint64_t setup_gas() const { return setup_gas_; }
  std::uint64_t gas_used() const { return gas_used_; }
  std::uint64_t reverted() const { return reverted_; }
  // contract_auction: gas of the clears that served bids, per bid served
  // (0 before any); clears that reverted (out of gas: their bids are lost).
  const std::vector<models::allocation::ClearSample>& clears() const { return clears_; }
  const std::vector<double>& failed_clear_bids() const { return failed_clear_bids_; }
  std::uint64_t clears_reverted() const { return clears_reverted_; }

private:
  struct Instance {
    models::evm::Address address{};
    std::vector<ContractDecision> decisions;                  // by request id
    std::unordered_map<std::uint64_t, std::uint32_t> by_contract_id;  // the contract's ids -> request ids
  };
  Instance& instance(ContractMechanism m);
  const Instance* find_instance(ContractMechanism m) const;
  models::evm::Bytes call_data(const Call& c) const;
  void read_events(const Receipt& r);

  const scenario::Scenario& scenario_;
  std::vector<models::allocation::AllocationRequest> requests_;
  std::vector<Call> calls_;
  std::vector<bool> folded_;
  std::vector<std::uint32_t> folded_order_;
  models::evm::WorldState genesis_;
  models::evm::WorldState state_;  // execute()'s: the genesis state advanced by each batch
  std::vector<std::pair<ContractMechanism, Instance>> instances_;
  models::crypto::Hash256 result_digest_{};
  std::uint64_t setup_gas_ = 0;
  std::uint64_t gas_used_ = 0;
  std::uint64_t reverted_ = 0;
  std::vector<models::allocation::ClearSample> clears_;  // the clears that served bids
  std::vector<double> failed_clear_bids_;                 // bids of each clear that reverted
  std::uint64_t clears_reverted_ = 0;
  std::unordered_map<std::uint64_t, std::uint64_t> bids_in_epoch_;
};

// What a chain run hands the allocation experiment: the contracts with their
// decisions, when each call was confirmed, and how the nodes agreed.
struct ContractAllocationRun {
  std::shared_ptr<const AllocationContracts> contracts;
  std::vector<double> confirmed_s;  // per call (AllocationContracts::calls()); negative: never
  nlohmann::json chain;             // metrics.json allocation.chain
};

}  // namespace cbsim::sim
