#include "sim/allocation/allocation_contracts.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/evm/abi.h"
#include "models/evm/interpreter.h"
#include "models/evm/transaction.h"
#include "models/evm/word.h"
#include "sim/evm/contract_deployments.h"

namespace cbsim::sim {

namespace ev = models::evm;
namespace alloc = models::allocation;

namespace {

// Accounts: the provider, the tenants, then the keeper that clears epochs.
constexpr std::uint32_t kProvider = 0;
constexpr std::uint64_t kDeployGasLimit = 10'000'000;
// Bids in micro-units (the contract's amounts are whole numbers).
constexpr double kAmountUnit = 1e6;

const char* const kRequestSignature = "request(uint32,uint64,uint64,uint64,uint256)";
const char* const kBidSignature = "bid(uint32,uint64,uint64,uint64,uint256)";

ev::uint256 word(std::uint64_t v) { return ev::uint256{v}; }

const ev::Bytes32& topic_allocated() {
  static const ev::Bytes32 t = ev::event_topic("Allocated(uint256,address,uint256,uint64,uint64,uint256)");
  return t;
}
const ev::Bytes32& topic_rejected() {
  static const ev::Bytes32 t = ev::event_topic("Rejected(uint256,address)");
  return t;
}
const ev::Bytes32& topic_bid_placed() {
  static const ev::Bytes32 t = ev::event_topic("BidPlaced(uint256,address,uint64)");
  return t;
}

}  // namespace

std::optional<ContractMechanism> parse_contract_mechanism(std::string_view name) {
  if (name == "contract_first_fit") return ContractMechanism::first_fit;
  if (name == "contract_auction") return ContractMechanism::auction;
  return std::nullopt;
}

bool has_contract_mechanism(const scenario::Scenario& s) {
  return std::any_of(s.allocation.mechanisms.begin(), s.allocation.mechanisms.end(),
                     [](const std::string& m) { return parse_contract_mechanism(m).has_value(); });
}

AllocationContracts::AllocationContracts(const scenario::Scenario& s, std::vector<alloc::AllocationRequest> requests)
    : scenario_(s), requests_(std::move(requests)) {
  const scenario::AllocationConfig& a = s.allocation;
  const auto tenants = static_cast<std::uint32_t>(a.tenants);
  for (std::uint32_t i = 0; i <= tenants + 1; ++i) {
    ev::Account acc;
    acc.balance = ev::uint256{1} << 96;
    genesis_.put_account(evm::simulated_account(i), std::move(acc));
  }

  // The provider deploys one contract per listed mechanism and lists its hosts.
  // The set-up is the genesis state, not a block: no block gas limit binds it.
  ev::BlockEnv genesis;
  genesis.gas_limit = std::max(kDeployGasLimit, static_cast<std::uint64_t>(s.contracts.block_gas_limit));
  const ev::Address provider = evm::simulated_account(kProvider);
  for (const std::string& name : a.mechanisms) {
    const auto m = parse_contract_mechanism(name);
    if (!m) continue;
    Instance inst;
    inst.address = ev::create_address(provider, genesis_.nonce(provider));
    inst.decisions.resize(requests_.size());
    setup_gas_ += static_cast<std::uint64_t>(
        evm::apply_setup(genesis_, genesis, provider, std::nullopt,
                         evm::cloud_allocator_deployment(static_cast<std::uint64_t>(a.contract_slot_s),
                                                         static_cast<std::uint64_t>(a.auction_epoch_s)),
                         kDeployGasLimit, "CloudAllocator's deployment")
            .gas_used);
    const ev::Bytes add_host = ev::abi_encode_call(
        "addHost(uint32,uint64)", {ev::AbiValue::word(word(static_cast<std::uint64_t>(a.host_vcpus))),
                                   ev::AbiValue::word(word(static_cast<std::uint64_t>(a.host_ram_mb)))});
    for (int h = 0; h < a.hosts; ++h)
      setup_gas_ += static_cast<std::uint64_t>(
          evm::apply_setup(genesis_, genesis, provider, inst.address, add_host, genesis.gas_limit, "CloudAllocator.addHost")
              .gas_used);
    instances_.emplace_back(*m, std::move(inst));
  }

  // Each request is a transaction per contract mechanism, sent on arrival;
  // the keeper clears every epoch from the first bid's on (a bid may be
  // ordered epochs after it was sent, on a slow chain).
  for (const alloc::AllocationRequest& r : requests_)
    for (const auto& [m, inst] : instances_)
      calls_.push_back({r.arrival_s, m, m == ContractMechanism::auction ? CallKind::bid : CallKind::request, r.id});
  if (find_instance(ContractMechanism::auction) != nullptr && !requests_.empty()) {
    const double epoch_s = a.auction_epoch_s;
    const auto first = static_cast<std::uint64_t>(requests_.front().arrival_s / epoch_s);
    // Up to the epoch in which the last window begins: a bid ordered later than
    // that could only be refused (its window has begun).
    const auto last = static_cast<std::uint64_t>((requests_.back().arrival_s + a.lead_s) / epoch_s) + 1;
    for (std::uint64_t e = first; e <= last; ++e)
      calls_.push_back({static_cast<double>(e + 1) * epoch_s + a.clear_delay_s, ContractMechanism::auction,
                        CallKind::clear, static_cast<std::uint32_t>(e)});
  }
  std::stable_sort(calls_.begin(), calls_.end(), [](const Call& x, const Call& y) { return x.submit_s < y.submit_s; });
  folded_.assign(calls_.size(), false);
  state_ = genesis_;
}

AllocationContracts::Instance& AllocationContracts::instance(ContractMechanism m) {
  return const_cast<Instance&>(*find_instance(m));
}

const AllocationContracts::Instance* AllocationContracts::find_instance(ContractMechanism m) const {
  for (const auto& [mech, inst] : instances_)
    if (mech == m) return &inst;
  return nullptr;
}

const std::vector<ContractDecision>& AllocationContracts::decisions(ContractMechanism m) const {
  const Instance* inst = find_instance(m);
  if (inst == nullptr) throw std::invalid_argument("the contract mechanism is not listed in allocation.mechanisms");
  return inst->decisions;
}

ev::Bytes AllocationContracts::call_data(const Call& c) const {
  if (c.kind == CallKind::clear) return ev::abi_encode_call("clear(uint64)", {ev::AbiValue::word(word(c.subject))});
  const alloc::AllocationRequest& r = requests_.at(c.subject);
  // The window in the contract's whole seconds, rounded out.
  const std::vector<ev::AbiValue> args = {
      ev::AbiValue::word(word(r.vcpus)), ev::AbiValue::word(word(r.ram_mb)),
      ev::AbiValue::word(word(static_cast<std::uint64_t>(std::floor(r.start_s)))),
      ev::AbiValue::word(word(static_cast<std::uint64_t>(std::ceil(r.end_s)))),
      ev::AbiValue::word(word(static_cast<std::uint64_t>(std::llround(r.bid * kAmountUnit))))};
  return ev::abi_encode_call(c.kind == CallKind::bid ? kBidSignature : kRequestSignature, args);
}

std::uint32_t AllocationContracts::call_bytes(std::uint32_t call) const {
  return calls_.at(call).kind == CallKind::clear ? 4 + 32 : 4 + 5 * 32;
}

AllocationContracts::Receipt AllocationContracts::run_call(ev::WorldState& state, std::uint32_t call,
                                                           std::uint64_t height, double time_s) const {
  ev::BlockEnv env;
  env.number = height;
  env.timestamp = static_cast<std::uint64_t>(time_s);
  env.gas_limit = static_cast<std::uint64_t>(scenario_.contracts.block_gas_limit);
  const Call& c = calls_.at(call);
  ev::Transaction t;
  t.sender = evm::simulated_account(c.kind == CallKind::clear ? static_cast<std::uint32_t>(scenario_.allocation.tenants) + 1
                                                              : 1 + requests_[c.subject].tenant);
  t.nonce = state.nonce(t.sender);
  t.gas_limit = env.gas_limit;
  t.to = find_instance(c.mechanism)->address;
  t.data = call_data(c);
  ev::TransactionOutcome r = ev::apply_transaction(state, env, t, ev::Fork::cancun);
  if (!r.valid) throw std::logic_error("an allocation transaction is invalid: " + r.error);
  return Receipt{call, static_cast<std::uint64_t>(r.gas_used), r.result.status != ev::Status::success, std::move(r.logs),
                 time_s};
}

bool AllocationContracts::fold(const Receipt& receipt) {
  if (folded_.at(receipt.call)) return false;
  folded_[receipt.call] = true;
  folded_order_.push_back(receipt.call);
  gas_used_ += receipt.gas;
  reverted_ += receipt.reverted ? 1 : 0;
  read_events(receipt);
  return true;
}

AllocationContracts::BatchOutcome AllocationContracts::execute(std::span<const std::uint32_t> calls,
                                                               std::uint64_t height, double time_s) {
  BatchOutcome out;
  std::vector<std::uint8_t> receipts(result_digest_.begin(), result_digest_.end());
  for (const std::uint32_t index : calls) {
    if (folded_.at(index)) continue;  // ordered again (a client's retransmission): it ran once
    const Receipt r = run_call(state_, index, height, time_s);
    fold(r);
    ++out.executed;
    out.gas += r.gas;
    out.reverted += r.reverted ? 1 : 0;
    // The receipt: status, gas, logs.
    receipts.push_back(r.reverted ? 0 : 1);
    for (int shift = 56; shift >= 0; shift -= 8) receipts.push_back(static_cast<std::uint8_t>(r.gas >> shift));
    const models::crypto::Hash256 logs = ev::logs_hash(r.logs);
    receipts.insert(receipts.end(), logs.begin(), logs.end());
  }
  result_digest_ = models::crypto::sha256(receipts);
  return out;
}

void AllocationContracts::read_events(const Receipt& receipt) {
  const Call& c = calls_[receipt.call];
  const std::uint32_t index = receipt.call;
  const auto gas = static_cast<double>(receipt.gas);
  const std::vector<ev::Log>& logs = receipt.logs;
  Instance& inst = instance(c.mechanism);
  if (receipt.reverted && c.kind != CallKind::clear) {
    // The request is refused outright (and a bid never enters its epoch).
    ContractDecision& d = inst.decisions[c.subject];
    d = ContractDecision{.decided = true, .allocated = false, .failed = true, .host = 0, .deciding_call = index, .gas = gas,
                         .executed_s = receipt.time_s};
    return;
  }
  std::vector<std::uint32_t> served;  // the requests this call decided
  for (const ev::Log& log : logs) {
    if (log.address != inst.address || log.topics.size() < 2) continue;
    const std::uint64_t contract_id = ev::from_bytes32(log.topics[1]).low_uint64();
    if (log.topics[0] == topic_bid_placed()) {
      inst.by_contract_id[contract_id] = c.subject;
      ++bids_in_epoch_[ev::abi_decode("uint64", log.data).at(0).as_word().low_uint64()];
      inst.decisions[c.subject].gas += gas;
      continue;
    }
    const bool allocated = log.topics[0] == topic_allocated();
    if (!allocated && log.topics[0] != topic_rejected()) continue;
    std::uint32_t id = c.subject;
    if (c.kind == CallKind::clear) {
      const auto it = inst.by_contract_id.find(contract_id);
      if (it == inst.by_contract_id.end()) throw std::logic_error("CloudAllocator cleared a bid it was never sent");
      id = it->second;
      inst.by_contract_id.erase(it);
    }
    ContractDecision& d = inst.decisions[id];
    d.decided = true;
    d.allocated = allocated;
    d.deciding_call = index;
    d.executed_s = receipt.time_s;
    if (allocated) d.host = static_cast<std::uint32_t>(ev::abi_decode("uint256,uint64,uint64,uint256", log.data).at(0).as_word().low_uint64());
    if (c.kind == CallKind::request) d.gas = gas;
    served.push_back(id);
  }
  // The clear's gas, shared by the bids it served.
  if (c.kind == CallKind::clear) {
    for (const std::uint32_t id : served) inst.decisions[id].gas += gas / static_cast<double>(served.size());
    if (!served.empty()) clears_.push_back({static_cast<double>(served.size()), gas});
    if (receipt.reverted) {
      ++clears_reverted_;
      const auto bids = bids_in_epoch_.find(c.subject);
      if (bids != bids_in_epoch_.end()) failed_clear_bids_.push_back(static_cast<double>(bids->second));
    }
  }
}

}  // namespace cbsim::sim
