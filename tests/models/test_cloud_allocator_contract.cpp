// scenarios/contracts/CloudAllocator.sol in cbsim's EVM: its first-fit
// decisions and its auction's are exactly those of the C++ mechanisms
// (models/allocation/mechanisms.h) on the windows rounded out to the
// contract's slots (the auction ranks bids per vCPU-slot held); only the
// provider lists hosts; an epoch is cleared once,
// after it ends.

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "models/allocation/mechanisms.h"
#include "models/random/rng.h"
#include "tests/models/evm_chain.h"

namespace cbsim::models::evm {
namespace {

using namespace test;
namespace alloc = models::allocation;

constexpr std::uint64_t kSlot = 300, kEpoch = 600;
constexpr std::uint64_t kNow = 1'700'000'000 / kEpoch * kEpoch;  // an epoch boundary

class CloudAllocatorContract : public ::testing::Test {
protected:
  void SetUp() override {
    chain.set_timestamp(kNow);
    contract = chain.deploy(provider, load_artefact("CloudAllocator"),
                            abi_encode(parse_abi_types("uint64,uint64"), {u(kSlot), u(kEpoch)}), /*has_immutables=*/true);
    for (const auto& h : hosts) chain.call(provider, contract, "addHost(uint32,uint64)", {u(h.vcpus), u(h.ram_mb)}, "uint256");
  }

  // Random requests over the next hours, windows not on slot boundaries.
  std::vector<alloc::AllocationRequest> random_requests(int count, const char* stream) {
    models::random::Rng rng(3, stream);
    std::vector<alloc::AllocationRequest> out;
    for (int i = 0; i < count; ++i) {
      alloc::AllocationRequest r;
      r.id = static_cast<std::uint32_t>(i);
      r.start_s = static_cast<double>(kNow + 3600 + rng.uniform_index(7200));
      r.end_s = r.start_s + 60 + static_cast<double>(rng.uniform_index(3600));
      r.vcpus = 1u << rng.uniform_index(3);
      r.ram_mb = r.vcpus * 2048ull;
      r.bid = static_cast<double>(1 + rng.uniform_index(1000));
      out.push_back(r);
    }
    return out;
  }

  // The window the contract holds: every slot it touches.
  static alloc::AllocationRequest rounded(alloc::AllocationRequest r) {
    r.start_s = std::floor(r.start_s / kSlot) * kSlot;
    r.end_s = std::ceil(r.end_s / kSlot) * kSlot;
    return r;
  }

  static std::vector<AbiValue> args(const alloc::AllocationRequest& r) {
    return {u(r.vcpus), u(r.ram_mb), u(static_cast<std::uint64_t>(r.start_s)), u(static_cast<std::uint64_t>(r.end_s)),
            u(static_cast<std::uint64_t>(r.bid))};
  }

  // (accepted, host) per request id, from the Allocated / Rejected events.
  static void read_decisions(const TransactionOutcome& out, std::map<std::uint64_t, std::pair<bool, std::uint64_t>>& d) {
    for (const Log& log : out.logs) {
      const std::uint64_t id = from_bytes32(log.topics.at(1)).low_uint64();
      if (log.topics[0] == event_topic("Allocated(uint256,address,uint256,uint64,uint64,uint256)"))
        d[id] = {true, abi_decode("uint256,uint64,uint64,uint256", log.data).at(0).as_word().low_uint64()};
      else if (log.topics[0] == event_topic("Rejected(uint256,address)"))
        d[id] = {false, 0};
    }
  }

  Chain chain;
  const Address provider = account(1), tenant = account(2);
  const std::vector<alloc::HostCapacity> hosts = {{8, 16384}, {4, 8192}, {8, 16384}};
  Address contract{};
};

TEST_F(CloudAllocatorContract, FirstFitDecidesAsTheCppMechanismOnItsSlots) {
  const auto requests = random_requests(40, "contract-first-fit");
  std::map<std::uint64_t, std::pair<bool, std::uint64_t>> decided;
  alloc::OnlineAllocator reference(hosts, alloc::HostChoice::first_fit);
  std::int64_t gas = 0;
  int accepted = 0;
  for (const auto& r : requests) {
    const TransactionOutcome out =
        chain.send(tenant, contract, abi_encode_call("request(uint32,uint64,uint64,uint64,uint256)", args(r)));
    ASSERT_EQ(out.result.status, Status::success);
    gas += out.gas_used;
    read_decisions(out, decided);
    const alloc::Decision d = reference.decide(rounded(r), static_cast<double>(kNow), 0.0);
    ASSERT_EQ(decided.at(r.id).first, d.accepted) << "request " << r.id;
    if (d.accepted) {
      EXPECT_EQ(decided.at(r.id).second, d.host) << "request " << r.id;
    }
    accepted += d.accepted ? 1 : 0;
  }
  EXPECT_GT(accepted, 5);
  EXPECT_LT(accepted, 40);  // the hosts fill up: some are rejected
  // Each decision reads a slot per host and window slot; report what it costs.
  RecordProperty("gas_per_request", std::to_string(gas / 40));
}

TEST_F(CloudAllocatorContract, AnEpochsAuctionServesTheDensestBidsFirstOnceItEnds) {
  const auto requests = random_requests(25, "contract-auction");
  for (const auto& r : requests) {
    const TransactionOutcome out =
        chain.send(tenant, contract, abi_encode_call("bid(uint32,uint64,uint64,uint64,uint256)", args(r)));
    ASSERT_EQ(out.result.status, Status::success);
  }
  const std::uint64_t epoch = kNow / kEpoch;
  // Not before the epoch is over.
  const TransactionOutcome early = chain.send(tenant, contract, abi_encode_call("clear(uint64)", {u(epoch)}));
  EXPECT_EQ(early.result.status, Status::revert);
  chain.set_timestamp(kNow + kEpoch);
  const TransactionOutcome out = chain.send(tenant, contract, abi_encode_call("clear(uint64)", {u(epoch)}));
  ASSERT_EQ(out.result.status, Status::success) << out.gas_used;
  std::map<std::uint64_t, std::pair<bool, std::uint64_t>> decided;
  read_decisions(out, decided);
  ASSERT_EQ(decided.size(), requests.size());
  std::vector<alloc::AllocationRequest> batch;
  for (const auto& r : requests) batch.push_back(rounded(r));
  alloc::OnlineAllocator reference(hosts, alloc::HostChoice::first_fit);
  const auto expected = reference.clear_auction(batch, static_cast<double>(kNow), 0.0);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    ASSERT_EQ(decided.at(requests[i].id).first, expected[i].accepted) << "bid " << i;
    if (expected[i].accepted) {
      EXPECT_EQ(decided.at(requests[i].id).second, expected[i].host) << "bid " << i;
    }
  }
  EXPECT_EQ(chain.call(tenant, contract, "pendingBids(uint64)", {u(epoch)}, "uint256").at(0).as_word(), uint256(0));
  const TransactionOutcome again = chain.send(tenant, contract, abi_encode_call("clear(uint64)", {u(epoch)}));
  EXPECT_EQ(again.result.status, Status::revert);
}

// What would let one tenant block the contract is refused: amounts whose
// products could overflow the auction's comparison, windows longer than the
// slot bound; a window that has already begun is rejected, as the C++
// mechanisms reject a decision too late to boot.
TEST_F(CloudAllocatorContract, BoundsKeepClearingWithinReach) {
  alloc::AllocationRequest r = random_requests(1, "contract-bounds")[0];
  std::vector<AbiValue> huge = args(r);
  huge[4] = AbiValue::word(uint256{1} << 200);
  EXPECT_EQ(chain.send(tenant, contract, abi_encode_call("bid(uint32,uint64,uint64,uint64,uint256)", huge)).result.status,
            Status::revert);
  std::vector<AbiValue> long_window = args(r);
  long_window[3] = u(static_cast<std::uint64_t>(r.start_s) + 3000 * kSlot);
  EXPECT_EQ(chain.send(tenant, contract, abi_encode_call("request(uint32,uint64,uint64,uint64,uint256)", long_window))
                .result.status,
            Status::revert);
  r.start_s = static_cast<double>(kNow - 60);
  r.end_s = static_cast<double>(kNow + 600);
  const TransactionOutcome late =
      chain.send(tenant, contract, abi_encode_call("request(uint32,uint64,uint64,uint64,uint256)", args(r)));
  ASSERT_EQ(late.result.status, Status::success);
  std::map<std::uint64_t, std::pair<bool, std::uint64_t>> decided;
  read_decisions(late, decided);
  ASSERT_EQ(decided.size(), 1u);
  EXPECT_FALSE(decided.begin()->second.first);
  alloc::OnlineAllocator reference(hosts, alloc::HostChoice::first_fit);
  EXPECT_TRUE(reference.decide(rounded(r), static_cast<double>(kNow), 0.0).too_late);
}

TEST_F(CloudAllocatorContract, OnlyTheProviderListsHosts) {
  const TransactionOutcome out = chain.send(tenant, contract, abi_encode_call("addHost(uint32,uint64)", {u(4), u(1024)}));
  EXPECT_EQ(out.result.status, Status::revert);
  EXPECT_EQ(chain.call(tenant, contract, "hostCount()", {}, "uint256").at(0).as_word(), uint256(3));
}

}  // namespace
}  // namespace cbsim::models::evm
