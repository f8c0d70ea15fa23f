#include "sim/metrics/chain_report.h"

#include <cmath>
#include <limits>
#include <map>

#include "models/stats/quantile.h"

namespace cbsim::sim {

namespace chain = models::chain;
namespace nakamoto = models::consensus::nakamoto;
using nlohmann::json;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// JSON has no NaN: a statistic over an empty sample is null.
json number_or_null(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

}  // namespace

chain::BlockId best_tip(const chain::BlockStore& store, const std::vector<chain::BlockId>& tips) {
  std::map<chain::BlockId, std::size_t> votes;
  for (chain::BlockId t : tips) ++votes[t];
  chain::BlockId best = chain::BlockStore::genesis();
  std::size_t best_votes = 0;
  for (const auto& [tip, count] : votes) {
    const double work = store.at(tip).header.cumulative_work;
    const double best_work = store.at(best).header.cumulative_work;
    if (work > best_work || (work == best_work && count > best_votes)) {
      best = tip;
      best_votes = count;
    }
  }
  return best;
}

RunResult build_chain_report(const ChainReportInput& in) {
  const chain::BlockStore& store = in.store;
  const chain::BlockId tip = in.best_tip;
  const std::vector<char> on_main = store.chain_membership(tip);
  const std::uint32_t main_height = store.at(tip).header.height;
  const std::size_t mined = store.size() - 1;

  RunResult result;
  // ---- blocks -----------------------------------------------------------
  CsvTable blocks({"block_id", "hash", "height", "parent_id", "miner", "miner_region", "mined_s", "size_bytes",
                   "tx_count", "difficulty", "main_chain", "holders", "t50_s", "t90_s", "t99_s", "t100_s"});
  CsvTable propagation({"block_id", "fraction", "delay_s"});
  std::vector<double> t50, t90, t99;
  std::vector<std::uint32_t> mined_by(in.hash_share.size(), 0);
  for (chain::BlockId b = 1; b < store.size(); ++b) {
    const chain::Block& blk = store.at(b);
    ++mined_by[blk.header.miner];
    const double d50 = in.tracker.delay(b, 0.50), d90 = in.tracker.delay(b, 0.90);
    const double d99 = in.tracker.delay(b, 0.99), d100 = in.tracker.delay(b, 1.00);
    if (!std::isnan(d50)) t50.push_back(d50);
    if (!std::isnan(d90)) t90.push_back(d90);
    if (!std::isnan(d99)) t99.push_back(d99);
    blocks.cell(b).cell(models::crypto::to_hex(blk.hash)).cell(blk.header.height).cell(blk.parent).cell(blk.header.miner);
    blocks.cell(in.node_region[blk.header.miner]).cell(blk.mined_s).cell(blk.size_bytes);
    blocks.cell(static_cast<std::uint64_t>(blk.transactions.size())).cell(blk.header.difficulty);
    blocks.cell(static_cast<int>(on_main[b])).cell(in.tracker.holders(b)).cell(d50).cell(d90).cell(d99).cell(d100);
    blocks.end_row();
    for (double f : PropagationTracker::kFractions) {
      const double d = in.tracker.delay(b, f);
      if (!std::isnan(d)) propagation.cell(b).cell(f).cell(d).end_row();
    }
  }

  // ---- transactions ---------------------------------------------------------
  const int z = in.scenario.consensus.confirmations;
  CsvTable txs({"tx_index", "txid", "origin", "created_s", "size_bytes", "fee_rate", "block_id", "block_height",
                "included_s", "confirmed_s", "confirmation_latency_s"});
  std::vector<double> latencies;
  std::uint64_t in_main = 0;
  for (const chain::Transaction& tx : in.pool.all()) {
    chain::BlockId block = chain::kNoBlock;
    for (chain::BlockId b : tx.included_in)
      if (on_main[b]) block = b;
    double included = kNaN, confirmed = kNaN, latency = kNaN;
    std::int64_t height = -1;
    if (block != chain::kNoBlock) {
      ++in_main;
      height = store.at(block).header.height;
      included = store.at(block).mined_s;
      const std::uint32_t confirming_height = static_cast<std::uint32_t>(height) + static_cast<std::uint32_t>(z) - 1;
      if (confirming_height <= main_height) {
        confirmed = store.at(store.ancestor(tip, confirming_height)).mined_s;
        latency = confirmed - tx.created_s;
        latencies.push_back(latency);
      }
    }
    if (!in.scenario.output.per_transaction_csv) continue;
    txs.cell(tx.index).cell(models::crypto::to_hex(tx.txid)).cell(tx.origin).cell(tx.created_s).cell(tx.size_bytes);
    txs.cell(tx.fee_rate);
    if (block == chain::kNoBlock)
      txs.cell(std::string_view{}).cell(std::string_view{});
    else
      txs.cell(block).cell(height);
    txs.cell(included).cell(confirmed).cell(latency).end_row();
  }

  // ---- nodes ------------------------------------------------------------------
  CsvTable nodes({"node", "region", "hash_share", "degree", "tip_height", "on_best_chain", "blocks_mined"});
  for (std::size_t i = 0; i < in.node_tips.size(); ++i) {
    nodes.cell(static_cast<std::uint64_t>(i)).cell(in.node_region[i]).cell(in.hash_share[i]);
    nodes.cell(static_cast<std::uint64_t>(in.topology.neighbors[i].size()));
    nodes.cell(store.at(in.node_tips[i]).header.height).cell(in.node_tips[i] == tip ? 1 : 0).cell(mined_by[i]);
    nodes.end_row();
  }

  // ---- metrics.json ------------------------------------------------------------
  const double last_main_s = store.at(tip).mined_s;
  json messages_by_kind = json::object(), bytes_by_kind = json::object();
  std::uint64_t total_messages = 0, total_bytes = 0;
  for (std::size_t k = 0; k < ChainCounters::kKinds; ++k) {
    const std::string name(nakamoto::name_of(static_cast<nakamoto::MsgKind>(k)));
    messages_by_kind[name] = in.counters.messages[k];
    bytes_by_kind[name] = in.counters.bytes[k];
    total_messages += in.counters.messages[k];
    total_bytes += in.counters.bytes[k];
  }
  json m;
  m["scenario"] = in.scenario.name;
  m["seed"] = in.scenario.seed;
  m["nodes"] = in.node_tips.size();
  m["edges"] = in.topology.edge_count();
  m["blocks"] = {{"mined", mined},
                 {"main_chain", main_height},
                 {"stale", mined - main_height},
                 {"rejected", in.counters.blocks_rejected}};
  m["stale_rate"] = mined > 0 ? static_cast<double>(mined - main_height) / static_cast<double>(mined) : 0.0;
  m["reorgs"] = {{"count", in.counters.reorgs}, {"max_depth", in.counters.max_reorg_depth}};
  m["propagation_s"] = {{"p50", number_or_null(models::stats::median(t50))},
                        {"p90", number_or_null(models::stats::median(t90))},
                        {"p99", number_or_null(models::stats::median(t99))}};
  m["throughput_tps"] = last_main_s > 0.0 ? static_cast<double>(in_main) / last_main_s : 0.0;
  m["confirmation_latency_s"] = {{"p50", number_or_null(models::stats::quantile(latencies, 0.5))},
                                 {"p90", number_or_null(models::stats::quantile(latencies, 0.9))},
                                 {"confirmations", z}};
  m["transactions"] = {{"created", in.pool.size()}, {"in_main_chain", in_main}, {"confirmed", latencies.size()}};
  m["sim_time_s"] = in.sim_time_s;
  m["messages"] = total_messages;
  m["bytes"] = total_bytes;
  m["messages_by_kind"] = messages_by_kind;
  m["bytes_by_kind"] = bytes_by_kind;
  m["engine"] = {{"events", in.counters.events}, {"flows", in.counters.flows}, {"cpu_busy_s", in.counters.cpu_seconds}};
  result.metrics = std::move(m);

  if (in.scenario.output.per_block_csv) {
    result.tables.emplace_back("blocks.csv", std::move(blocks));
    result.tables.emplace_back("propagation.csv", std::move(propagation));
  }
  if (in.scenario.output.per_transaction_csv) result.tables.emplace_back("transactions.csv", std::move(txs));
  result.tables.emplace_back("nodes.csv", std::move(nodes));
  return result;
}

}  // namespace cbsim::sim
