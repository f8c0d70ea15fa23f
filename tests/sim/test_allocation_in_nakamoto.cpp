// The allocation contracts in a Nakamoto chain (sim/runner/contract_ledger.h
// in its allocation mode, sim/runner/nakamoto_simulation.cpp): each block's
// calls run on its parent's state within the block gas limit; the decisions
// are folded from the main chain only, a call held by a stale block as well
// counting once; a decision is confirmed `allocation.confirmations` blocks
// deep, so windows that start sooner are served late.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "models/allocation/mechanisms.h"
#include "sim/allocation/allocation_contracts.h"
#include "sim/allocation/allocation_experiment.h"
#include "sim/runner/contract_ledger.h"
#include "tests/sim/cbsim_process.h"

namespace cbsim::sim {
namespace {

namespace alloc = models::allocation;
namespace chain = models::chain;
using nlohmann::json;
using namespace cbsim::test;

scenario::Scenario market() {
  scenario::Scenario s;
  s.seed = 5;
  s.allocation.mechanisms = {"contract_first_fit"};
  s.allocation.requests_per_hour = 120;
  s.allocation.horizon_s = 3600;
  s.allocation.lead_s = 1800;
  s.allocation.hosts = 2;
  s.allocation.host_vcpus = 16;
  s.allocation.host_ram_mb = 65536;
  return s;
}

std::vector<chain::TxIndex> all_calls(std::size_t n) {
  std::vector<chain::TxIndex> txs(n);
  for (std::size_t i = 0; i < n; ++i) txs[i] = static_cast<chain::TxIndex>(i);
  return txs;
}

TEST(AllocationLedger, CallsBeyondTheBlockGasLimitWaitForTheNextBlockInTheOrderSent) {
  scenario::Scenario s = market();
  // Room for a few request() calls a block: those writing fresh slots of the
  // calendar cost up to about 1 M gas, later ones 100,000-400,000.
  s.contracts.block_gas_limit = 2'000'000;
  auto contracts = std::make_shared<AllocationContracts>(s, allocation_requests(s));
  ContractLedger ledger(s.contracts, contracts);
  const std::size_t n = contracts->calls().size();
  ASSERT_GT(n, 20u);
  // The pool's transaction i carries call n - 1 - i: the miner orders them by call.
  for (std::size_t i = 0; i < n; ++i)
    ledger.attach_allocation_call(static_cast<chain::TxIndex>(i), static_cast<std::uint32_t>(n - 1 - i));
  ContractLedger::Execution block = ledger.execute(chain::BlockStore::genesis(), all_calls(n), 1, 1);
  ASSERT_GT(block.allocation_receipts.size(), 1u);
  ASSERT_LT(block.allocation_receipts.size(), n);
  EXPECT_LE(block.gas_used, 2'000'000u);
  for (std::size_t k = 0; k < block.allocation_receipts.size(); ++k)
    EXPECT_EQ(block.allocation_receipts[k].call, k);  // a prefix of the calls, in order
  // The state after the block is that of its calls alone (the one that did
  // not fit left nothing): the same calls on a committee's state agree.
  AllocationContracts alone(s, allocation_requests(s));
  std::vector<std::uint32_t> prefix;
  for (const auto& r : block.allocation_receipts) prefix.push_back(r.call);
  alone.execute(prefix, 1, 1);
  EXPECT_EQ(block.state_root, alone.state_root());
  // The next block goes on from the first call that waited (the pool offers
  // what its parent does not hold).
  const std::size_t done = prefix.size();
  ledger.commit(1, std::move(block));
  std::vector<chain::TxIndex> waiting;
  for (std::size_t call = done; call < n; ++call) waiting.push_back(static_cast<chain::TxIndex>(n - 1 - call));
  const ContractLedger::Execution next = ledger.execute(1, waiting, 2, 2);
  ASSERT_FALSE(next.allocation_receipts.empty());
  EXPECT_EQ(next.allocation_receipts.front().call, done);
}

TEST(AllocationLedger, ACallInTwoCompetingBlocksCountsOnceWhereTheMainChainHasIt) {
  scenario::Scenario s = market();
  auto contracts = std::make_shared<AllocationContracts>(s, allocation_requests(s));
  ContractLedger ledger(s.contracts, contracts);
  const std::size_t n = contracts->calls().size();
  for (std::size_t i = 0; i < n; ++i) ledger.attach_allocation_call(static_cast<chain::TxIndex>(i), static_cast<std::uint32_t>(i));
  // Two miners' blocks at height 1 on genesis: one with calls 0-9 (stale),
  // the other with calls 0-4; the main chain's next block has calls 5-n.
  const std::vector<chain::TxIndex> first_ten(all_calls(10));
  const std::vector<chain::TxIndex> first_five(all_calls(5));
  std::vector<chain::TxIndex> rest;
  for (std::size_t i = 5; i < n; ++i) rest.push_back(static_cast<chain::TxIndex>(i));
  ledger.commit(1, ledger.execute(chain::BlockStore::genesis(), first_ten, 1, 100));
  ledger.commit(2, ledger.execute(chain::BlockStore::genesis(), first_five, 1, 101));
  ledger.commit(3, ledger.execute(2, rest, 2, 160));
  EXPECT_NE(ledger.find(1)->state_root, ledger.find(2)->state_root);
  // Folding the main chain (2 then 3), with the stale block's receipts offered
  // too: each call is read once.
  std::size_t folded = 0;
  for (const chain::BlockId b : {chain::BlockId{2}, chain::BlockId{1}, chain::BlockId{3}})
    for (const auto& r : ledger.find(b)->allocation_receipts) folded += contracts->fold(r) ? 1 : 0;
  EXPECT_EQ(folded, n);
  EXPECT_EQ(contracts->folded_calls().size(), n);
  // The main chain's decisions: those of one sequence of every call in order.
  AllocationContracts reference(s, allocation_requests(s));
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  reference.execute(order, 1, 100);
  const auto& got = contracts->decisions(ContractMechanism::first_fit);
  const auto& want = reference.decisions(ContractMechanism::first_fit);
  for (std::size_t id = 0; id < got.size(); ++id) {
    EXPECT_EQ(got[id].allocated, want[id].allocated) << id;
    EXPECT_EQ(got[id].host, want[id].host) << id;
  }
}

struct NakamotoAllocation {
  json metrics;                                // metrics.json
  std::vector<std::vector<std::string>> requests;  // allocations.csv
  std::vector<std::vector<std::string>> calls;     // allocation_calls.csv, main-chain order
};

NakamotoAllocation run_nakamoto_allocation(const std::string& label, const std::vector<std::string>& overrides) {
  const auto dir = scratch_dir("allocation-nakamoto-" + label);
  std::vector<std::string> args = {"run", scenario_path("allocation-nakamoto.json"), "--out", dir.string(), "--quiet",
                                   "--set", "allocation.optimum_max_binaries=0", "--set",
                                   "allocation.requests_per_hour=100"};
  for (const auto& o : overrides) args.insert(args.end(), {"--set", o});
  const ProcessResult r = run_cbsim(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  NakamotoAllocation run{read_json(dir / "metrics.json"), read_csv_rows(dir / "allocations.csv"),
                         read_csv_rows(dir / "allocation_calls.csv")};
  std::filesystem::remove_all(dir);
  return run;
}

alloc::AllocationRequest request_of(const std::vector<std::string>& row) {
  // request,tenant,arrival_s,start_s,end_s,vcpus,ram_mb,bid,...
  alloc::AllocationRequest r;
  r.id = static_cast<std::uint32_t>(std::stoul(row.at(0)));
  r.arrival_s = std::stod(row.at(2));
  r.start_s = std::stod(row.at(3));
  r.end_s = std::stod(row.at(4));
  r.vcpus = static_cast<std::uint32_t>(std::stoul(row.at(5)));
  r.ram_mb = std::stoull(row.at(6));
  return r;
}

TEST(AllocationInNakamoto, TheMainChainDecidesEveryRequestAsFirstFitInItsOrderConfirmedBlocksDeep) {
  const NakamotoAllocation a = run_nakamoto_allocation("main", {});
  const json& m = a.metrics["allocation"]["mechanisms"];
  const json& c = a.metrics["allocation"]["chain"];
  for (const char* name : {"first_fit", "auction", "contract_first_fit", "contract_auction"}) {
    EXPECT_LE(m[name]["efficiency"].get<double>(), 1.0 + 1e-9) << name;
    EXPECT_GT(m[name]["efficiency"].get<double>(), 0.0) << name;
    EXPECT_EQ(m[name]["undecided"], 0) << name;
    EXPECT_EQ(m[name]["late"], 0) << name;  // windows start 20 minutes after their request
  }
  EXPECT_EQ(c["on_main_chain"], c["transactions"]);
  EXPECT_EQ(c["submitted"], c["transactions"]);
  EXPECT_EQ(c["reverted"], 0);
  EXPECT_EQ(c["nodes_agreeing"], c["nodes"]);
  EXPECT_EQ(a.calls.size(), c["transactions"].get<std::size_t>());

  // A decision waits for its block and 6 more: about 7 block intervals (60 s)
  // after the request (first fit), after its epoch's end (the auction).
  const double first_fit_wait = m["contract_first_fit"]["confirmation_s_p50"].get<double>();
  EXPECT_GT(first_fit_wait, 3 * 60.0);
  EXPECT_LT(first_fit_wait, 14 * 60.0);
  EXPECT_GT(m["contract_auction"]["confirmation_s_p50"].get<double>(), first_fit_wait);
  EXPECT_GT(m["contract_first_fit"]["latency_s_p50"].get<double>(), 10 * m["first_fit"]["latency_s_p50"].get<double>());
  // call,mechanism,kind,subject,submit_s,height,block_s,gas,reverted,confirmed_s,allocated,host
  std::map<std::uint64_t, double> block_time;
  for (const auto& row : a.calls) block_time[std::stoull(row.at(5))] = std::stod(row.at(6));
  for (const auto& row : a.calls) {
    const std::uint64_t height = std::stoull(row.at(5));
    EXPECT_GE(std::stod(row.at(6)), std::stod(row.at(4)));  // mined after it was sent
    const auto deep = block_time.find(height + 6);
    if (deep != block_time.end()) {
      EXPECT_DOUBLE_EQ(std::stod(row.at(9)), deep->second);
    }
  }

  // The contract's first fit is C++ first fit on the windows rounded out to
  // the contract's 300 s slots, in the main chain's order.
  std::map<std::uint32_t, alloc::AllocationRequest> requests;
  for (const auto& row : a.requests) {
    const alloc::AllocationRequest r = request_of(row);
    requests[r.id] = r;
  }
  alloc::OnlineAllocator reference(std::vector<alloc::HostCapacity>(10, alloc::HostCapacity{16, 65536}),
                                   alloc::HostChoice::first_fit);
  std::size_t checked = 0, allocated = 0;
  for (const auto& row : a.calls) {
    if (row.at(1) != "contract_first_fit") continue;
    ASSERT_EQ(row.at(2), "request");
    alloc::AllocationRequest r = requests.at(static_cast<std::uint32_t>(std::stoul(row.at(3))));
    r.start_s = std::floor(std::floor(r.start_s) / 300) * 300;
    r.end_s = std::ceil(std::ceil(r.end_s) / 300) * 300;
    const alloc::Decision d = reference.decide(r, 0.0, 0.0);
    ASSERT_EQ(row.at(10) == "1", d.accepted) << "request " << r.id;
    if (d.accepted) {
      EXPECT_EQ(std::stoul(row.at(11)), d.host) << "request " << r.id;
    }
    ++checked;
    allocated += d.accepted ? 1 : 0;
  }
  EXPECT_EQ(checked, a.requests.size());
  EXPECT_GT(allocated, 0u);
  EXPECT_EQ(allocated, m["contract_first_fit"]["allocated_on_chain"].get<std::size_t>());

  const NakamotoAllocation again = run_nakamoto_allocation("again", {});
  EXPECT_EQ(again.metrics["allocation"], a.metrics["allocation"]);
}

TEST(AllocationInNakamoto, WindowsStartingBeforeTheConfirmationsAreServedLate) {
  // Windows start a minute after their request; a decision takes about 7
  // blocks of 60 s. (At 2 minutes one first-fit decision in 78 is in time:
  // 7 blocks came within 103 s.)
  const NakamotoAllocation a = run_nakamoto_allocation("late", {"allocation.lead_s=60"});
  const json& m = a.metrics["allocation"]["mechanisms"];
  EXPECT_GT(m["first_fit"]["accepted"].get<int>(), 0);
  for (const char* name : {"contract_first_fit", "contract_auction"}) {
    EXPECT_EQ(m[name]["accepted"], 0) << name;
    // Every allocation came too late to boot, and some requests were refused
    // by the contract itself because their window had begun: late too.
    EXPECT_GE(m[name]["late"], m[name]["allocated_on_chain"]) << name;
  }
  // With no confirmations the first fit is served more often than never.
  const NakamotoAllocation zero = run_nakamoto_allocation("zero", {"allocation.lead_s=60", "allocation.confirmations=0"});
  EXPECT_GT(zero.metrics["allocation"]["mechanisms"]["contract_first_fit"]["accepted"].get<int>(), 0);
}

TEST(AllocationInNakamoto, CallsInStaleBlocksCountOnceOnTheMainChain) {
  // 3-second blocks among 20 nodes fork often.
  const NakamotoAllocation a = run_nakamoto_allocation(
      "forks", {"consensus.block_interval_s=3", "duration.blocks=1900", "allocation.lead_s=1800"});
  EXPECT_GT(a.metrics["blocks"]["stale"].get<int>(), 0);
  const json& c = a.metrics["allocation"]["chain"];
  EXPECT_GT(c["calls_in_stale_blocks"].get<int>(), 0);
  EXPECT_EQ(c["on_main_chain"], c["transactions"]);
  EXPECT_EQ(a.calls.size(), c["transactions"].get<std::size_t>());
  std::set<std::string> distinct;
  for (const auto& row : a.calls) distinct.insert(row.at(0));
  EXPECT_EQ(distinct.size(), a.calls.size());
  for (const char* name : {"contract_first_fit", "contract_auction"})
    EXPECT_EQ(a.metrics["allocation"]["mechanisms"][name]["undecided"], 0) << name;
}

}  // namespace
}  // namespace cbsim::sim
