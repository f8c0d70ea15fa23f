// The allocation contracts as a chain runs them (sim/allocation/
// allocation_contracts.h): the scenario's requests become request() and bid()
// transactions and a keeper's clear(epoch) calls; executed in order, the
// contract's decisions are exactly those of the C++ mechanisms
// (models/allocation/mechanisms.h) on the windows rounded out to the
// contract's slots; each call runs once however often it is ordered; and the
// nodes' replicated execution detects a node whose sequence differs.

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "models/allocation/mechanisms.h"
#include "sim/allocation/allocation_contracts.h"
#include "sim/allocation/allocation_experiment.h"
#include "sim/runner/replicated_execution.h"

namespace cbsim::sim {
namespace {

namespace alloc = models::allocation;

scenario::Scenario market(std::vector<std::string> mechanisms) {
  scenario::Scenario s;
  s.seed = 11;
  s.allocation.mechanisms = std::move(mechanisms);
  s.allocation.requests_per_hour = 300;
  s.allocation.horizon_s = 3600;
  s.allocation.lead_s = 1800;  // every window starts after its decision, even an epoch's first bid
  s.allocation.hosts = 4;
  s.allocation.host_vcpus = 16;
  s.allocation.host_ram_mb = 65536;
  s.allocation.contract_slot_s = 300;
  s.allocation.auction_epoch_s = 600;
  return s;
}

alloc::AllocationRequest rounded(alloc::AllocationRequest r, double slot_s) {
  r.start_s = std::floor(std::floor(r.start_s) / slot_s) * slot_s;
  r.end_s = std::ceil(std::ceil(r.end_s) / slot_s) * slot_s;
  return r;
}

std::vector<alloc::HostCapacity> hosts_of(const scenario::Scenario& s) {
  return std::vector<alloc::HostCapacity>(
      static_cast<std::size_t>(s.allocation.hosts),
      alloc::HostCapacity{static_cast<std::uint32_t>(s.allocation.host_vcpus),
                          static_cast<std::uint64_t>(s.allocation.host_ram_mb)});
}

// Runs every call alone, in submission order, a second after it is sent.
void run_in_order(AllocationContracts& contracts) {
  for (std::uint32_t i = 0; i < contracts.calls().size(); ++i) {
    const std::uint32_t one[] = {i};
    contracts.execute(one, i + 1, std::floor(contracts.calls()[i].submit_s) + 1.0);
  }
}

TEST(AllocationContracts, FirstFitInTheChainDecidesAsTheCppMechanismOnItsSlots) {
  const scenario::Scenario s = market({"contract_first_fit"});
  AllocationContracts contracts(s, allocation_requests(s));
  ASSERT_EQ(contracts.calls().size(), contracts.requests().size());
  run_in_order(contracts);
  alloc::OnlineAllocator reference(hosts_of(s), alloc::HostChoice::first_fit);
  const auto& decisions = contracts.decisions(ContractMechanism::first_fit);
  std::size_t accepted = 0;
  for (const auto& r : contracts.requests()) {
    const alloc::Decision d = reference.decide(rounded(r, 300), r.arrival_s + 1.0, 0.0);
    ASSERT_TRUE(decisions[r.id].decided) << r.id;
    ASSERT_EQ(decisions[r.id].allocated, d.accepted) << "request " << r.id;
    if (d.accepted) {
      EXPECT_EQ(decisions[r.id].host, d.host) << "request " << r.id;
    }
    EXPECT_GT(decisions[r.id].gas, 21000.0);
    accepted += d.accepted ? 1 : 0;
  }
  // About 300 requests for 64 vCPUs: the hosts fill up and some are refused.
  EXPECT_GT(accepted, 20u);
  EXPECT_LT(accepted, contracts.requests().size());
  EXPECT_EQ(contracts.reverted(), 0u);
}

TEST(AllocationContracts, TheAuctionClearsEachEpochsBidsAsTheCppAuction) {
  const scenario::Scenario s = market({"contract_auction"});
  AllocationContracts contracts(s, allocation_requests(s));
  // A bid per request, then a clear per epoch from the first bid's to one past
  // that of the last window's start.
  const auto epochs = static_cast<std::size_t>((contracts.requests().back().arrival_s + 1800) / 600) + 2 -
                      static_cast<std::size_t>(contracts.requests().front().arrival_s / 600);
  ASSERT_EQ(contracts.calls().size(), contracts.requests().size() + epochs);
  run_in_order(contracts);
  // The reference: each epoch's bids (by the block time they ran at) cleared
  // at its end by bid per vCPU-second of the rounded windows.
  alloc::OnlineAllocator reference(hosts_of(s), alloc::HostChoice::first_fit);
  std::map<std::uint64_t, std::vector<alloc::AllocationRequest>> by_epoch;
  for (const auto& r : contracts.requests())
    by_epoch[static_cast<std::uint64_t>((std::floor(r.arrival_s) + 1.0) / 600)].push_back(rounded(r, 300));
  const auto& decisions = contracts.decisions(ContractMechanism::auction);
  std::size_t accepted = 0;
  for (const auto& [epoch, bids] : by_epoch) {
    const auto decided = reference.clear_auction(bids, static_cast<double>(epoch + 1) * 600 + 1.0, 0.0);
    for (std::size_t k = 0; k < bids.size(); ++k) {
      const ContractDecision& d = decisions[bids[k].id];
      ASSERT_TRUE(d.decided) << bids[k].id;
      ASSERT_EQ(d.allocated, decided[k].accepted) << "request " << bids[k].id;
      if (d.allocated) {
        EXPECT_EQ(d.host, decided[k].host) << "request " << bids[k].id;
      }
      // The decision is the clear's, after the bid's own call.
      EXPECT_EQ(contracts.calls()[d.deciding_call].kind, AllocationContracts::CallKind::clear);
      accepted += d.allocated ? 1 : 0;
    }
  }
  EXPECT_GT(accepted, 20u);
  EXPECT_LT(accepted, contracts.requests().size());
}

TEST(AllocationContracts, ACallOrderedTwiceRunsOnceAndTheResultDigestChainsBatches) {
  const scenario::Scenario s = market({"contract_first_fit", "contract_auction"});
  AllocationContracts a(s, allocation_requests(s));
  AllocationContracts b(s, allocation_requests(s));
  const std::uint32_t first[] = {0, 1, 0};
  const std::uint32_t again[] = {1};
  EXPECT_EQ(a.execute(first, 1, 100).executed, 2u);
  EXPECT_EQ(a.execute(again, 2, 101).executed, 0u);
  const std::uint32_t first_b[] = {0, 1};
  b.execute(first_b, 1, 100);
  // Same calls in the same batches: same digest; one more batch (of a call
  // already run) moves it on.
  const std::uint32_t repeat[] = {0};
  AllocationContracts c(s, allocation_requests(s));
  c.execute(first_b, 1, 100);
  EXPECT_EQ(b.result_digest(), c.result_digest());
  EXPECT_EQ(a.state_root(), b.state_root());
  c.execute(repeat, 2, 101);
  EXPECT_NE(b.result_digest(), c.result_digest());
}

TEST(ReplicatedExecution, RunsEachBatchOnceAndFlagsADivergentReplica) {
  ReplicatedExecution e(3);
  int runs = 0;
  auto run = [&] { return ReplicatedExecution::Result{models::crypto::Hash256{static_cast<std::uint8_t>(++runs)}, 100}; };
  const models::crypto::Hash256 x{1}, y{2};
  EXPECT_EQ(e.on_commit(0, 1, x, run).gas, 100u);
  e.on_commit(1, 1, x, run);
  e.on_commit(0, 2, x, run);
  e.on_commit(2, 1, y, run);  // a different batch at the same place
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(e.batches(), 2u);
  EXPECT_EQ(e.up_to_date(), 1u);  // replica 0; replica 1 is behind, replica 2 diverged
  EXPECT_EQ(e.divergent(), 1u);
}

}  // namespace
}  // namespace cbsim::sim
