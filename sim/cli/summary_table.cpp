#include "sim/cli/summary_table.h"

#include <cstdio>
#include <vector>

namespace cbsim::cli {

namespace {
std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}
std::string seconds(const nlohmann::json& v) { return v.is_number() ? fmt("%.3f s", v.get<double>()) : "n/a"; }
std::string count(const nlohmann::json& v) { return fmt("%.0f", v.get<double>()); }

bool is_committee_run(const nlohmann::json& m) {
  return m.contains("consensus") && m["consensus"].is_object() && m["consensus"].contains("protocol");
}

// A committee run (PBFT or HotStuff): requests, latency, stalls, view changes, safety.
std::vector<std::pair<std::string, std::string>> committee_rows(const nlohmann::json& m) {
  const nlohmann::json& c = m["consensus"];
  const std::string protocol = c["protocol"].get<std::string>();
  const bool batches = m[protocol].contains("messages_per_batch");
  const std::string unit = batches ? "batch" : "block";
  const nlohmann::json& per_unit = m[protocol]["messages_per_" + unit];
  std::string by_kind;
  for (const auto& [kind, value] : per_unit.items()) {
    std::string name = kind;
    for (char& ch : name) ch = ch == '_' ? '-' : ch;
    by_kind += (by_kind.empty() ? "" : ", ") + name + " " + fmt("%.1f", value.get<double>());
  }
  std::vector<std::pair<std::string, std::string>> rows = {
      {"scenario", m["scenario"].get<std::string>() + " (seed " + std::to_string(m["seed"].get<std::uint64_t>()) + ")"},
      {"protocol", protocol},
      {"replicas / clients", count(m["nodes"]) + " / " + count(m["clients"]) + " (f = " + count(c["f"]) + ")"},
      {"committed requests", count(c["committed_requests"]) + " of " + count(c["submitted_requests"]) + " in " +
                                 count(c[batches ? "committed_batches" : "committed_blocks"]) +
                                 (batches ? " batches" : " blocks")},
      {"throughput", fmt("%.1f requests/s", c["throughput_rps"].get<double>())},
      {"latency p50 / p99", seconds(c["latency_s"]["p50"]) + " / " + seconds(c["latency_s"]["p99"])},
      {"longest stall", seconds(c["stall_s"]["longest"])},
      {"view changes", count(c["view_changes"])},
      {"safety violations", count(m["safety"]["violations"])},
      {"messages per " + unit, by_kind},
      {"messages", count(m["messages"]) + fmt(" (%.1f MB)", m["bytes"].get<double>() / 1e6)},
      {"simulated time", seconds(m["sim_time_s"])},
  };
  return rows;
}

// "2 (messages lost: 120 partition, 4 receiver_down)"
std::string faults_text(const nlohmann::json& faults) {
  std::string lost;
  for (const auto& [cause, n] : faults["messages_lost"].items()) {
    if (n.get<double>() > 0) lost += (lost.empty() ? "" : ", ") + count(n) + " " + cause;
  }
  return count(faults["count"]) + " (messages lost: " + (lost.empty() ? "none" : lost) + ")";
}

std::vector<std::pair<std::string, std::string>> chain_rows(const nlohmann::json& m) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"scenario", m["scenario"].get<std::string>() + " (seed " + std::to_string(m["seed"].get<std::uint64_t>()) + ")"},
      {"nodes / edges", count(m["nodes"]) + " / " + count(m["edges"])},
      {"blocks mined", count(m["blocks"]["mined"]) + " (main chain " + count(m["blocks"]["main_chain"]) + ", stale " +
                           count(m["blocks"]["stale"]) + ")"},
      {"stale rate", fmt("%.2f %%", 100.0 * m["stale_rate"].get<double>())},
      {"propagation p50 / p90 / p99", seconds(m["propagation_s"]["p50"]) + " / " + seconds(m["propagation_s"]["p90"]) +
                                          " / " + seconds(m["propagation_s"]["p99"])},
      {"throughput", fmt("%.2f tx/s", m["throughput_tps"].get<double>())},
      {"confirmation latency p50 / p90",
       seconds(m["confirmation_latency_s"]["p50"]) + " / " + seconds(m["confirmation_latency_s"]["p90"])},
      {"messages", count(m["messages"]) + fmt(" (%.1f MB)", m["bytes"].get<double>() / 1e6)},
      {"simulated time", seconds(m["sim_time_s"])},
  };
  return rows;
}
// The cloud the nodes ran on: the profile and service, then (with hosts) how
// the hosts fared, the migrations, and (provisioned) how long VMs took to start.
std::vector<std::pair<std::string, std::string>> cloud_rows(const nlohmann::json& c) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"cloud", c["vm_profile"].get<std::string>() + " (" + c["service"].get<std::string>() + "), " +
                    count(c["hosts"]) + " hosts"}};
  if (c.contains("utilization")) {
    rows.emplace_back("hosts: utilization / SLATAH", fmt("%.1f %%", 100.0 * c["utilization"].get<double>()) +
                                                         fmt(" / %.1f %%", 100.0 * c["slatah"].get<double>()) +
                                                         fmt(", energy %.3f kWh", c["energy_kwh"].get<double>()));
    rows.emplace_back("steal / migrations", fmt("%.1f %% of node CPU", 100.0 * c["steal_share"].get<double>()) + " / " +
                                                count(c["migrations"]) + " (" + count(c["node_migrations"]) +
                                                " of nodes)");
  }
  if (c.contains("provisioning_s"))
    rows.emplace_back("provisioning p50 / max",
                      seconds(c["provisioning_s"]["p50"]) + " / " + seconds(c["provisioning_s"]["max"]));
  return rows;
}
// Per allocation mechanism: efficiency against the reference, acceptance,
// latency to a running VM; what was lost to timing; a contract's gas.
std::vector<std::pair<std::string, std::string>> allocation_rows(const nlohmann::json& a) {
  const nlohmann::json& ref = a["reference"];
  std::vector<std::pair<std::string, std::string>> rows = {
      {"allocation reference", ref.value("bound", ref["kind"].get<std::string>()) +
                                   fmt(" (welfare %.3f), ", ref["welfare"].get<double>()) + count(a["requests"]) +
                                   " requests on " + count(a["hosts"]) + " hosts"}};
  for (const auto& [name, m] : a["mechanisms"].items()) {
    if (!m.contains("efficiency")) continue;  // the optimum, when only its bound was computed
    std::string text = fmt("efficiency %.3f", m["efficiency"].get<double>()) +
                       fmt(", accepted %.1f %%", 100.0 * m["acceptance"].get<double>());
    if (!m["latency_s_p50"].is_null()) text += ", latency p50 " + seconds(m["latency_s_p50"]);
    const int lost = m.value("late", 0) + m.value("undecided", 0);
    if (lost > 0) text += ", " + std::to_string(lost) + " late or undecided";
    if (m.contains("gas_per_decision") && !m["gas_per_decision"].is_null())
      text += fmt(", %.0f gas/decision", m["gas_per_decision"].get<double>());
    rows.emplace_back("  " + name, text);
  }
  return rows;
}
}  // namespace

std::string summary_table(const nlohmann::json& m, const std::string& out_dir) {
  std::vector<std::pair<std::string, std::string>> rows = is_committee_run(m) ? committee_rows(m) : chain_rows(m);
  if (m.contains("faults")) rows.insert(rows.begin() + 1, {"faults", faults_text(m["faults"])});
  if (m.contains("contracts")) {
    const nlohmann::json& c = m["contracts"];
    rows.insert(rows.end() - 1, {"contract calls (main chain)", count(c["calls"]) + " of " + count(c["submitted"]) +
                                                                    " (failed " + count(c["failed"]) + "), " +
                                                                    fmt("%.0f gas/s", c["gas_per_s"].get<double>())});
  }
  if (m.contains("cloud")) {
    for (auto& row : cloud_rows(m["cloud"])) rows.insert(rows.end() - 1, std::move(row));
  }
  if (m.contains("attack")) {
    const nlohmann::json& a = m["attack"];
    if (a.contains("success_probability"))
      rows.emplace_back("double-spend success", fmt("%.4f", a["success_probability"].get<double>()) +
                                                    fmt(" +- %.4f", a["ci95"].get<double>()) + " over " +
                                                    count(a["trials"]) + " trials (model " +
                                                    fmt("%.4f)", a["model_success_probability"].get<double>()));
    if (a.contains("relative_revenue")) {
      std::string model = a.contains("model_relative_revenue")
                              ? fmt(" (model %.4f)", a["model_relative_revenue"].get<double>())
                              : std::string();
      rows.emplace_back("selfish-mining revenue", fmt("%.4f", a["relative_revenue"].get<double>()) + model +
                                                      fmt(" with share %.4f", a["attacker_share"].get<double>()));
    }
  }
  if (m.contains("allocation")) {
    for (auto& row : allocation_rows(m["allocation"])) rows.emplace_back(std::move(row));
  }
  if (m.contains("wall_time_s"))
    rows.emplace_back("wall time / peak memory",
                      seconds(m["wall_time_s"]) + fmt(" / %.0f MB", m["peak_rss_mb"].get<double>()));
  rows.emplace_back("results", out_dir);

  std::size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  std::string out;
  for (const auto& [key, value] : rows) out += "  " + key + std::string(width - key.size() + 2, ' ') + value + "\n";
  return out;
}

}  // namespace cbsim::cli
