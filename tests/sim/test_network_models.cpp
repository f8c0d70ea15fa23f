// The network models against closed-form delivery times. Nodes all sit in
// SimBlock's Europe region (11 ms latency, 20.7 Mbit/s up, 40 Mbit/s down),
// validation costs nothing, jitter is off, and legacy relay sends
// inv (61 B) -> getdata (61 B) -> block (24 B + block), so the time from mining
// until the last node holds a block is known exactly.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim/cbsim_process.h"

using namespace cbsim::test;

namespace {

constexpr double kLatency = 0.011;
constexpr double kUploadBps = 20.7e6;
constexpr double kBandwidthFactor = 0.97;  // SimGrid LV08's default, cbsim's network.tcp_bandwidth_factor

struct BlockRow {
  double size_bytes;
  double t100_s;
};

std::vector<BlockRow> read_blocks(const std::filesystem::path& csv) {
  std::vector<BlockRow> rows;
  // size_bytes is column 7, t100_s column 15 (0-based)
  for (const auto& cells : read_csv_rows(csv))
    rows.push_back({std::stod(cells.at(7)), cells.at(15).empty() ? NAN : std::stod(cells[15])});
  return rows;
}

std::string scenario(const std::string& model, int nodes, const std::string& topology, int degree) {
  return R"({
    "seed": 5,
    "nodes": {"count": )" + std::to_string(nodes) + R"(, "miners": 1, "hash_power": "uniform"},
    "network": {"model": ")" + model + R"(", "topology": ")" + topology + R"(", "degree": )" +
         std::to_string(degree) + R"(,
                "latency_jitter": "none", "region_shares": [0, 1, 0, 0, 0, 0]},
    "consensus": {"relay": "inv", "block_interval_s": 600},
    "transactions": {"rate_per_s": 1.0, "size_distribution": "fixed", "size_bytes_mean": 400, "relay_delay_s": 0},
    "duration": {"blocks": 3},
    "costs": {"header_cycles": 0, "tx_validation_cycles": 0, "cached_tx_cycles": 0, "hash_cycles_per_byte": 0}
  })";
}

std::vector<BlockRow> run(const std::string& name, const std::string& json) {
  const auto dir = scratch_dir(name);
  std::ofstream(dir / "s.json") << json;
  const ProcessResult r = run_cbsim({"run", (dir / "s.json").string(), "--out", (dir / "out").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto rows = read_blocks(dir / "out" / "blocks.csv");
  std::filesystem::remove_all(dir);
  return rows;
}

double control_bytes() { return 61.0 + 61.0; }

}  // namespace

TEST(NetworkModels, LatencyModelDeliversInLatencyPlusSizeOverBandwidth) {
  const auto rows = run("latency-2", scenario("latency", 2, "random-regular", 1));
  ASSERT_EQ(rows.size(), 3u);
  for (const BlockRow& b : rows) {
    const double expected = 3 * kLatency + (control_bytes() + 24 + b.size_bytes) * 8 / kUploadBps;
    EXPECT_NEAR(b.t100_s, expected, 1e-6) << "block of " << b.size_bytes << " bytes";
    EXPECT_GT(b.size_bytes, 100000) << "blocks should carry ~10 minutes of transactions";
  }
}

TEST(NetworkModels, IdealModelDeliversInstantly) {
  const auto rows = run("ideal-2", scenario("ideal", 2, "random-regular", 1));
  for (const BlockRow& b : rows) EXPECT_DOUBLE_EQ(b.t100_s, 0.0);
}

TEST(NetworkModels, TcpModelSendsBlocksAsFlowsAtTheBottleneckBandwidth) {
  const auto rows = run("tcp-2", scenario("tcp", 2, "random-regular", 1));
  ASSERT_EQ(rows.size(), 3u);
  for (const BlockRow& b : rows) {
    const double expected = 3 * kLatency + control_bytes() * 8 / kUploadBps +
                            (24 + b.size_bytes) * 8 / (kUploadBps * kBandwidthFactor);
    EXPECT_NEAR(b.t100_s / expected, 1.0, 1e-3) << "block of " << b.size_bytes << " bytes";
  }
}

TEST(NetworkModels, TcpModelSharesTheSendersUploadBetweenConcurrentTransfers) {
  // Five nodes, all connected: the miner's four peers request the block at the
  // same instant, so four flows share its uplink and each takes four times as
  // long as alone. The latency model, like SimBlock, ignores the sharing.
  const auto shared = run("tcp-k5", scenario("tcp", 5, "barabasi-albert", 4));
  const auto unshared = run("latency-k5", scenario("latency", 5, "barabasi-albert", 4));
  ASSERT_EQ(shared.size(), 3u);
  for (std::size_t i = 0; i < shared.size(); ++i) {
    const double block_bits = (24 + shared[i].size_bytes) * 8;
    const double fixed = 3 * kLatency + control_bytes() * 8 / kUploadBps;
    EXPECT_NEAR(shared[i].t100_s, fixed + 4 * block_bits / (kUploadBps * kBandwidthFactor), 2e-3 * shared[i].t100_s);
    EXPECT_NEAR(unshared[i].t100_s, fixed + block_bits / kUploadBps, 1e-6);
  }
}
