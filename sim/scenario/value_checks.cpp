#include "sim/scenario/value_checks.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "models/analysis/double_spend_race.h"
#include "models/cloud/host.h"
#include "models/cloud/vm_profile.h"
#include "models/network/regions.h"
#include "sim/scenario/unknown_fields.h"
#include "sim/scenario/user_text.h"

namespace cbsim::scenario {
namespace {

using nlohmann::json;

template <class T>
bool beyond(T value, T bound, bool exclusive, bool is_min) {
  if (is_min) return exclusive ? value <= bound : value < bound;
  return exclusive ? value >= bound : value > bound;
}

bool is_int64(const json& value) {
  return value.is_number_integer() &&
         (!value.is_number_unsigned() ||
          value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
}

// Integers compare exactly as int64 (seeds go up to 2^63 - 1, beyond a
// double's precision); everything else compares as double.
bool violates(const json& value, const Bound& bound, bool is_min) {
  if (is_int64(value) && bound.value.is_number_integer()) {
    return beyond(value.get<std::int64_t>(), bound.value.get<std::int64_t>(), bound.exclusive, is_min);
  }
  return beyond(value.get<double>(), bound.value.get<double>(), bound.exclusive, is_min);
}

// `shown` is the value as written (30.0 stays 30.0 in the message); `value` may be normalised.
std::string out_of_range(const FieldRules& rules, const json& shown) {
  return "must be " + (rules.min && rules.max ? "in " + range_text(rules) : range_text(rules)) + ", got " +
         shown.dump();
}

std::optional<std::string> range_problem(const FieldRules& rules, const json& value, const json& shown) {
  if ((rules.min && violates(value, *rules.min, true)) || (rules.max && violates(value, *rules.max, false))) {
    return out_of_range(rules, shown);
  }
  return std::nullopt;
}

// Integer fields accept 3 and 3.0 (JSON Schema's notion of an integer) but not 3.5.
std::optional<std::string> check_integer(const FieldRules& rules, json& value) {
  const json shown = value;
  const bool is_float = value.is_number_float();
  const double d = is_float ? value.get<double>() : 0.0;
  if (!value.is_number_integer() && !(is_float && std::trunc(d) == d)) {
    return "expected integer, got " + describe_value(value);
  }
  // Every integer field's bounds lie within int64 (2^63 is the first double beyond it).
  const bool fits_int64 = is_float ? std::abs(d) < 9223372036854775808.0 : is_int64(value);
  if (!fits_int64) return out_of_range(rules, shown);
  value = is_float ? static_cast<std::int64_t>(d) : value.get<std::int64_t>();
  return range_problem(rules, value, shown);
}

// Length first: whatever else is wrong with a 10 MB string, its length says it
// at once. An override's unquoted text is taken as it is, so it may not be UTF-8.
std::optional<std::string> check_string(const FieldRules& rules, const json& value) {
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() > rules.max_length) {
    return "must be at most " + std::to_string(rules.max_length) + " bytes long, got " + std::to_string(text.size()) +
           " bytes: \"" + echoed(text) + "\"";
  }
  if (!is_valid_utf8(text)) return "must be UTF-8 text, got \"" + echoed(text) + "\"";
  if (!rules.allowed.empty() && std::find(rules.allowed.begin(), rules.allowed.end(), text) == rules.allowed.end()) {
    std::string list;
    for (const auto& allowed : rules.allowed) list += (list.empty() ? "" : ", ") + allowed;
    return "must be one of " + list + "; got \"" + echoed(text) + "\"";
  }
  if (rules.accepts != nullptr && !rules.accepts(text)) {
    return "must be " + rules.pattern_meaning + "; got \"" + echoed(text) + "\"";
  }
  return std::nullopt;
}

std::optional<std::string> check_scalar(FieldType type, const FieldRules& rules, json& value) {
  switch (type) {
    case FieldType::integer:
      return check_integer(rules, value);
    case FieldType::number: {
      if (!value.is_number()) break;
      auto problem = range_problem(rules, value, value);
      value = value.get<double>();
      return problem;
    }
    case FieldType::string:
      if (!value.is_string()) break;
      return check_string(rules, value);
    case FieldType::boolean:
      if (!value.is_boolean()) break;
      return std::nullopt;
    case FieldType::number_array:
    case FieldType::integer_array:
    case FieldType::string_array:
    case FieldType::object_array:
      break;  // arrays are checked element by element by the caller
  }
  return "expected " + std::string(type_name(type)) + ", got " + describe_value(value);
}

std::string index_path(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// A list may name a million nodes: duplicates and overlaps are found in sorted
// copies, never by comparing every pair.
std::optional<FieldProblem> find_node_list_problem(const std::string& path, const std::vector<int>& list,
                                                   int node_count) {
  for (std::size_t j = 0; j < list.size(); ++j) {
    if (list[j] >= node_count)
      return FieldProblem{index_path(path, j), "must be < nodes.count (" + std::to_string(node_count) + "), got " +
                                                   std::to_string(list[j])};
  }
  std::vector<int> sorted = list;
  std::sort(sorted.begin(), sorted.end());
  const auto twice = std::adjacent_find(sorted.begin(), sorted.end());
  if (twice == sorted.end()) return std::nullopt;
  const auto first = std::find(list.begin(), list.end(), *twice);
  const auto second = std::find(first + 1, list.end(), *twice);
  return FieldProblem{index_path(path, static_cast<std::size_t>(second - list.begin())),
                      "node " + std::to_string(*twice) + " is listed twice"};
}

std::optional<FieldProblem> find_fault_problem(const Scenario& s) {
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    const FaultConfig& f = s.faults[i];
    const std::string at = index_path("faults", i);
    if (f.kind == "host-crash") {
      if (f.hosts.empty()) return FieldProblem{at + ".hosts", "must name at least one host"};
      if (s.cloud.hosts == 0)
        return FieldProblem{at + ".kind", "host-crash needs the nodes placed on hosts (cloud.hosts > 0)"};
      for (std::size_t j = 0; j < f.hosts.size(); ++j)
        if (f.hosts[j] >= s.cloud.hosts)
          return FieldProblem{index_path(at + ".hosts", j), "must be < cloud.hosts (" + std::to_string(s.cloud.hosts) +
                                                                "), got " + std::to_string(f.hosts[j])};
    } else if (f.nodes.empty()) {
      return FieldProblem{at + ".nodes", "must name at least one node"};
    }
    if (auto problem = find_node_list_problem(at + ".nodes", f.nodes, s.nodes.count)) return problem;
    if (auto problem = find_node_list_problem(at + ".peers", f.peers, s.nodes.count)) return problem;
    std::vector<int> sorted_nodes = f.nodes;
    std::sort(sorted_nodes.begin(), sorted_nodes.end());
    for (std::size_t j = 0; j < f.peers.size(); ++j) {
      if (std::binary_search(sorted_nodes.begin(), sorted_nodes.end(), f.peers[j]))
        return FieldProblem{index_path(at + ".peers", j), "node " + std::to_string(f.peers[j]) +
                                                              " is also in nodes; the two sides must not overlap"};
    }
    if (f.until_s != 0.0 && f.until_s <= f.at_s)
      return FieldProblem{at + ".until_s", "must be > at_s (" + json(f.at_s).dump() + ") or 0 (to the end of "
                                           "the run), got " + json(f.until_s).dump()};
    if (f.kind == "byzantine" && !is_committee_protocol(s.consensus.protocol))
      return FieldProblem{at + ".kind", "byzantine faults apply to committee protocols (pbft, hotstuff); a "
                                        "Nakamoto adversary is configured in the attack section"};
    if (f.kind == "degrade" && f.loss > 0.0 && !is_committee_protocol(s.consensus.protocol))
      return FieldProblem{at + ".loss", "applies to committee protocols; Nakamoto peers talk over TCP, which "
                                        "retransmits what a link loses: model a bad link with extra_latency_s"};
    if (f.kind == "degrade" && f.extra_latency_s == 0.0 && f.loss == 0.0)
      return FieldProblem{at, "a degrade fault needs extra_latency_s > 0 or loss > 0"};
  }
  return std::nullopt;
}

// The cloud section's fields together: the service model's rules, what needs
// hosts, and whether the hosts can hold every node beside the co-tenants.
std::optional<FieldProblem> find_cloud_problem(const Scenario& s) {
  const CloudConfig& c = s.cloud;
  const bool container = c.vm_profile == "docker" || c.vm_profile == "docker-nat" || c.vm_profile == "firecracker";
  if (c.service == "paas" && !container)
    return FieldProblem{"cloud.vm_profile", "service paas runs the nodes in the provider's containers: docker, "
                                            "docker-nat or firecracker, got " + c.vm_profile};
  if (c.service == "bare-metal") {
    if (c.vm_profile != "bare-metal")
      return FieldProblem{"cloud.vm_profile", "service bare-metal has no virtualization: must be bare-metal, got " +
                                                  c.vm_profile};
    if (c.co_tenants > 0) return FieldProblem{"cloud.co_tenants", "service bare-metal gives each node a whole server: must be 0"};
    if (c.consolidation_interval_s > 0.0)
      return FieldProblem{"cloud.consolidation_interval_s", "service bare-metal cannot live-migrate: must be 0"};
    if (c.cpu_overcommit != 1.0)
      return FieldProblem{"cloud.cpu_overcommit", "service bare-metal gives each node a whole server: must be 1"};
    if (c.hosts > 0 && c.vm_vcpus != c.host_cores)
      return FieldProblem{"cloud.vm_vcpus", "service bare-metal gives each node a whole server: must equal "
                                            "cloud.host_cores (" + std::to_string(c.host_cores) + ")"};
  }
  if (c.hosts == 0) {
    const auto needs_hosts = [](const std::string& field) {
      return FieldProblem{field, "needs the nodes placed on hosts (cloud.hosts > 0)"};
    };
    if (!c.datacenters.empty()) return needs_hosts("cloud.datacenters");
    if (c.co_tenants > 0) return needs_hosts("cloud.co_tenants");
    if (c.consolidation_interval_s > 0.0) return needs_hosts("cloud.consolidation_interval_s");
    return std::nullopt;
  }
  const models::network::RegionTable& regions = models::network::region_table(s.network.regions);
  for (std::size_t i = 0; i < c.datacenters.size(); ++i) {
    const bool known = std::any_of(regions.regions.begin(), regions.regions.end(),
                                   [&](const models::network::Region& r) { return r.name == c.datacenters[i]; });
    if (!known) {
      std::string names;
      for (const auto& r : regions.regions) names += (names.empty() ? "" : ", ") + r.name;
      return FieldProblem{index_path("cloud.datacenters", i), "\"" + c.datacenters[i] + "\" is not a region of "
                                                              "network.regions " + s.network.regions + " (" + names + ")"};
    }
  }
  if (c.datacenters.size() > static_cast<std::size_t>(c.hosts))
    return FieldProblem{"cloud.datacenters", std::to_string(c.datacenters.size()) + " datacenters need at least as "
                                             "many hosts; cloud.hosts is " + std::to_string(c.hosts)};
  if (c.lower_threshold >= c.upper_threshold)
    return FieldProblem{"cloud.lower_threshold", "must be < cloud.upper_threshold (" + json(c.upper_threshold).dump() + ")"};
  if (c.consolidation_interval_s > 0.0) {
    const double steps = c.consolidation_interval_s / c.load_step_s;
    if (std::abs(steps - std::round(steps)) > 1e-9 || std::round(steps) < 1.0)
      return FieldProblem{"cloud.consolidation_interval_s", "must be a whole number of cloud.load_step_s (" +
                                                                json(c.load_step_s).dump() + " s), got " +
                                                                json(c.consolidation_interval_s).dump()};
  }
  if (c.co_tenants > 0 && c.co_tenant_vcpus > c.host_cores)
    return FieldProblem{"cloud.co_tenant_vcpus", "must be <= cloud.host_cores (" + std::to_string(c.host_cores) + ")"};
  if (c.vm_vcpus > c.host_cores)
    return FieldProblem{"cloud.vm_vcpus", "must be <= cloud.host_cores (" + std::to_string(c.host_cores) + ")"};
  // Whole VMs per host, by the same arithmetic placement uses (models/cloud/host.h):
  // the co-tenants first, then as many node VMs as fit.
  const models::cloud::VmProfile* profile = models::cloud::find_vm_profile(c.vm_profile);
  const std::uint64_t vm_mb = profile != nullptr ? profile->host_memory_mb(c.vm_ram_mb) : 0;
  models::cloud::Host host({static_cast<std::uint32_t>(c.host_cores), 1000, static_cast<std::uint64_t>(std::floor(c.host_ram_mb)), 0},
                           {c.cpu_overcommit, 1.0});
  const models::cloud::VmRequest co_tenant{static_cast<std::uint32_t>(c.co_tenant_vcpus), 1000, vm_mb, 0};
  for (int i = 0; i < c.co_tenants; ++i) {
    if (!host.fits(co_tenant))
      return FieldProblem{"cloud.co_tenants", "a host of " + std::to_string(c.host_cores) + " cores and " +
                                                  json(c.host_ram_mb).dump() + " MB holds only " + std::to_string(i) +
                                                  " co-tenant VMs of " + std::to_string(c.co_tenant_vcpus) + " vCPUs"};
    host.allocate(co_tenant);
  }
  const models::cloud::VmRequest node{static_cast<std::uint32_t>(c.vm_vcpus), 1000, vm_mb, 0};
  std::int64_t per_host = 0;
  for (; host.fits(node) && per_host < s.nodes.count; ++per_host) host.allocate(node);
  const std::int64_t capacity = static_cast<std::int64_t>(c.hosts) * per_host;
  if (capacity < s.nodes.count)
    return FieldProblem{"cloud.hosts", std::to_string(c.hosts) + " hosts of " + std::to_string(c.host_cores) +
                                           " cores (over-commit " + json(c.cpu_overcommit).dump() + ") and " +
                                           json(c.host_ram_mb).dump() + " MB, with " + std::to_string(c.co_tenants) +
                                           " co-tenants of " + std::to_string(c.co_tenant_vcpus) +
                                           " vCPUs each, hold at most " + std::to_string(capacity) + " VMs of " +
                                           std::to_string(c.vm_vcpus) + " vCPUs and " + json(vm_mb).dump() +
                                           " MB; nodes.count is " + std::to_string(s.nodes.count)};
  return std::nullopt;
}

bool uses_contract_mechanisms(const AllocationConfig& a) {
  const auto& m = a.mechanisms;
  return std::find(m.begin(), m.end(), "contract_auction") != m.end() ||
         std::find(m.begin(), m.end(), "contract_first_fit") != m.end();
}

// The contract mechanisms: what the chain that runs them must allow, and the
// contract's whole-second clock.
std::optional<FieldProblem> find_contract_allocation_problem(const Scenario& s) {
  if (!uses_contract_mechanisms(s.allocation)) return std::nullopt;
  if (is_committee_protocol(s.consensus.protocol) && s.committee.load != "open")
    return FieldProblem{"committee.load", "must be open with contract mechanisms: the committee's clients send the "
                                          "allocation requests as they arrive"};
  // In a Nakamoto chain the allocation calls are the blocks' contract calls:
  // one EVM workload at a time.
  if (s.consensus.protocol == "nakamoto" && s.contracts.workload != "none")
    return FieldProblem{"contracts.workload", "must be none with contract mechanisms in a Nakamoto chain (the "
                                              "allocation calls are its contract calls), got " + s.contracts.workload};
  if (s.allocation.contract_slot_s != std::floor(s.allocation.contract_slot_s))
    return FieldProblem{"allocation.contract_slot_s", "must be a whole number of seconds (the contract's clock), got " +
                                                          json(s.allocation.contract_slot_s).dump()};
  // Every contract instance is deployed with the epoch (CloudAllocator's constructor refuses 0).
  if (s.allocation.auction_epoch_s != std::floor(s.allocation.auction_epoch_s))
    return FieldProblem{"allocation.auction_epoch_s", "must be a whole number of seconds >= 1 with contract "
                                                      "mechanisms (the contract's clock), got " +
                                                          json(s.allocation.auction_epoch_s).dump()};
  if (s.attack.kind != "none")
    return FieldProblem{"allocation.mechanisms", "contract mechanisms are not supported together with an attack"};
  // The chain must run while requests arrive and their windows begin, or the
  // run's end would pass for the mechanism's losses.
  const double needed_s = s.allocation.horizon_s + s.allocation.lead_s;
  if (s.duration.max_sim_time_s > 0.0 && s.duration.max_sim_time_s < needed_s)
    return FieldProblem{"duration.max_sim_time_s", "must be >= allocation.horizon_s + lead_s (" +
                                                       json(needed_s).dump() + " s) with contract mechanisms, or "
                                                       "requests would go undecided because the run ended"};
  if (s.consensus.protocol == "nakamoto") {
    const double chain_s = s.duration.blocks * s.consensus.block_interval_s;
    const double with_confirmations = needed_s + s.allocation.confirmations * s.consensus.block_interval_s;
    if (chain_s < with_confirmations)
      return FieldProblem{"duration.blocks", "x consensus.block_interval_s must be >= allocation.horizon_s + lead_s + "
                                             "confirmations x block_interval_s (" + json(with_confirmations).dump() +
                                             " s) with contract mechanisms, got " + json(chain_s).dump() + " s"};
  }
  return std::nullopt;
}

// An open-loop committee's requests arrive at committee.request_rate_per_s
// (with contract mechanisms the allocation requests are its requests instead).
// With a time limit the first request must be due within it, on average, or
// the run measures nothing; without one, all of them within the longest run
// allowed (duration.max_sim_time_s's bound), beyond which simulated time no
// longer resolves the protocol's milliseconds and the committee looks stuck.
std::optional<FieldProblem> find_request_rate_problem(const Scenario& s) {
  const CommitteeConfig& c = s.committee;
  if (c.load != "open" || uses_contract_mechanisms(s.allocation)) return std::nullopt;
  const double limit_s = s.duration.max_sim_time_s;
  if (limit_s > 0.0 && 1.0 / c.request_rate_per_s > limit_s)
    return FieldProblem{"committee.request_rate_per_s", "must be >= 1 / duration.max_sim_time_s (" +
                                                            json(1.0 / limit_s).dump() + "), or the run would end "
                                                            "before its first request, on average; got " +
                                                            json(c.request_rate_per_s).dump()};
  const double longest_run_s = find_field("duration.max_sim_time_s")->rules.max->value.get<double>();
  const double submitting_s = c.requests / c.request_rate_per_s;
  if (limit_s == 0.0 && submitting_s > longest_run_s)
    return FieldProblem{"committee.request_rate_per_s", "must be >= committee.requests / " +
                                                            json(longest_run_s).dump() + " s (" +
                                                            json(c.requests / longest_run_s).dump() +
                                                            "): submitting every request would take " +
                                                            json(submitting_s).dump() + " s of simulated time, "
                                                            "longer than a run may last"};
  return std::nullopt;
}

}  // namespace

std::optional<FieldProblem> check_value(const std::string& path, FieldType type, const FieldRules& rules,
                                        json& value) {
  if (type != FieldType::number_array && type != FieldType::integer_array && type != FieldType::string_array) {
    if (auto reason = check_scalar(type, rules, value)) return FieldProblem{path, *reason};
    return std::nullopt;
  }
  if (!value.is_array()) return FieldProblem{path, "expected " + std::string(type_name(type)) + ", got " + describe_value(value)};
  const FieldType element = type == FieldType::number_array    ? FieldType::number
                            : type == FieldType::integer_array ? FieldType::integer
                                                               : FieldType::string;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (auto reason = check_scalar(element, rules, value[i])) return FieldProblem{index_path(path, i), *reason};
  }
  return std::nullopt;
}

std::optional<FieldProblem> check_object_array(const std::string& path, const std::vector<ItemFieldSpec>& items,
                                               json& value) {
  if (!value.is_array()) return FieldProblem{path, "expected array of objects, got " + describe_value(value)};
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = index_path(path, i);
    json& entry = value[i];
    if (!entry.is_object()) return FieldProblem{at, "expected object, got " + describe_value(entry)};
    for (const auto& [name, ignored] : entry.items()) {
      const bool known = std::any_of(items.begin(), items.end(), [&](const ItemFieldSpec& f) { return f.name == name; });
      if (!known) return FieldProblem{at + "." + name, unknown_item_field_reason(name, items)};
    }
    for (const ItemFieldSpec& field : items) {
      if (!entry.contains(field.name)) {
        if (field.required) return FieldProblem{at + "." + field.name, "missing; every entry needs it"};
        continue;
      }
      if (auto problem = check_value(at + "." + field.name, field.type, field.rules, entry[field.name])) return problem;
    }
    // Every entry has a kind (required above); a field for another kind is a mistake, not a no-op.
    const std::string kind = entry.at("kind").get<std::string>();
    for (const ItemFieldSpec& field : items) {
      if (entry.contains(field.name) && !field.applies_to(kind)) {
        std::string kinds;
        for (const auto& k : field.kinds) kinds += (kinds.empty() ? "" : " or ") + k;
        return FieldProblem{at + "." + field.name, "applies to kind " + kinds + ", not " + kind};
      }
    }
  }
  return std::nullopt;
}

std::string describe_value(const json& value) {
  switch (value.type()) {
    case json::value_t::string: return "string \"" + echoed(value.get_ref<const std::string&>()) + "\"";
    case json::value_t::boolean: return "boolean " + value.dump();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "number " + value.dump();
    default: return value.type_name();
  }
}

std::optional<FieldProblem> check_field_value(const FieldSpec& field, json& value) {
  if (field.type == FieldType::object_array) return check_object_array(field.path, *field.items, value);
  return check_value(field.path, field.type, field.rules, value);
}

std::optional<FieldProblem> find_cross_field_problem(const Scenario& s) {
  const auto& shares = s.network.region_shares;
  const std::size_t regions = region_count(s.network.regions);
  if (!shares.empty() && shares.size() != regions) {
    return FieldProblem{"network.region_shares", "must be empty or have one entry per region of " +
                                                     s.network.regions + " (" + std::to_string(regions) +
                                                     "), got " + std::to_string(shares.size())};
  }
  if (!shares.empty() && std::all_of(shares.begin(), shares.end(), [](double x) { return x == 0.0; })) {
    return FieldProblem{"network.region_shares", "must not be all zero"};
  }

  const auto& nodes = s.nodes;
  if (nodes.miners > nodes.count) {
    return FieldProblem{"nodes.miners", "must be <= nodes.count (" + std::to_string(nodes.count) + "), got " +
                                            std::to_string(nodes.miners)};
  }

  const auto& topology = s.network.topology;
  const int degree = s.network.degree;
  const bool degree_applies =
      topology == "random-regular" || topology == "watts-strogatz" || topology == "barabasi-albert";
  if (degree_applies && degree >= nodes.count) {
    return FieldProblem{"network.degree", "must be < nodes.count (" + std::to_string(nodes.count) +
                                              ") for topology " + topology + ", got " + std::to_string(degree)};
  }
  // Every edge has two ends, so no d-regular graph on n nodes exists when n*d is odd.
  if (topology == "random-regular" && (static_cast<std::int64_t>(nodes.count) * degree) % 2 != 0) {
    return FieldProblem{"network.degree", "random-regular needs nodes.count * degree to be even, got " +
                                              std::to_string(nodes.count) + " * " + std::to_string(degree)};
  }

  if (auto problem = find_cloud_problem(s)) return problem;
  // Memory bounds, checked before anything is built: co-tenant VMs, the
  // optimum's LP (a column per request and host), the integrity store.
  if (static_cast<std::int64_t>(s.cloud.hosts) * s.cloud.co_tenants > 10'000'000)
    return FieldProblem{"cloud.co_tenants", "cloud.hosts x cloud.co_tenants must be at most 10,000,000 VMs"};
  const double expected_requests = s.allocation.requests_per_hour * s.allocation.horizon_s / 3600.0;
  if (!s.allocation.mechanisms.empty() && expected_requests > 1e6)
    return FieldProblem{"allocation.horizon_s", "about " + json(std::llround(expected_requests)).dump() +
                                                    " requests: at most 1,000,000 (each mechanism keeps a decision "
                                                    "per request); shorten the horizon or lower the rate"};
  if (!s.allocation.mechanisms.empty() && expected_requests * s.allocation.hosts > 5e6 &&
      expected_requests * s.allocation.hosts <= s.allocation.optimum_max_nonzeros)
    return FieldProblem{"allocation.horizon_s", "about " + json(std::llround(expected_requests)).dump() +
                                                    " requests on " + std::to_string(s.allocation.hosts) +
                                                    " hosts: the optimum's LP would have more than 5,000,000 "
                                                    "columns; shorten the horizon, lower the rate, use fewer hosts "
                                                    "or lower allocation.optimum_max_nonzeros (a capacity bound "
                                                    "instead)"};
  if (s.integrity.trials > 0 && static_cast<double>(s.integrity.objects) * s.integrity.object_bytes > 4e9)
    return FieldProblem{"integrity.object_bytes", "integrity.objects x object_bytes must be at most 4 GB (the store "
                                                  "is held in memory)"};
  for (std::size_t i = 0; i < s.integrity.sample_sizes.size(); ++i)
    if (s.integrity.sample_sizes[i] != std::floor(s.integrity.sample_sizes[i]))
      return FieldProblem{index_path("integrity.sample_sizes", i), "must be a whole number, got " +
                                                                    json(s.integrity.sample_sizes[i]).dump()};
  for (std::size_t i = 0; i < s.allocation.mechanisms.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (s.allocation.mechanisms[i] == s.allocation.mechanisms[j])
        return FieldProblem{index_path("allocation.mechanisms", i), s.allocation.mechanisms[i] + " is listed twice"};
  if (!s.allocation.mechanisms.empty()) {
    const auto& choices = s.allocation.vcpu_choices;
    if (choices.empty()) return FieldProblem{"allocation.vcpu_choices", "must list at least one vCPU count"};
    for (std::size_t i = 0; i < choices.size(); ++i)
      if (choices[i] != std::floor(choices[i]))
        return FieldProblem{index_path("allocation.vcpu_choices", i), "must be a whole number, got " + json(choices[i]).dump()};
  }
  if (auto problem = find_contract_allocation_problem(s)) return problem;
  if (s.allocation.central_node >= nodes.count)
    return FieldProblem{"allocation.central_node", "must be < nodes.count (" + std::to_string(nodes.count) + "), got " +
                                                       std::to_string(s.allocation.central_node)};
  if (auto problem = find_fault_problem(s)) return problem;
  // A fault may stop a committee for good (a crashed majority, a partition
  // without a quorum side); the run must still end.
  if (!s.faults.empty() && is_committee_protocol(s.consensus.protocol) && s.duration.max_sim_time_s == 0.0)
    return FieldProblem{"duration.max_sim_time_s", "must be > 0 when a committee run has faults, or a run whose "
                                                   "faults stop progress for good would never end"};

  if (s.contracts.workload != "none") {
    if (s.consensus.protocol != "nakamoto")
      return FieldProblem{"contracts.workload", "contract calls run in a Nakamoto chain; consensus.protocol is " +
                                                    s.consensus.protocol};
    if (s.attack.kind != "none")
      return FieldProblem{"contracts.workload", "is not supported together with an attack"};
  }

  if (is_committee_protocol(s.consensus.protocol)) {
    if (nodes.count < 4)
      return FieldProblem{"nodes.count", "a committee needs at least 4 replicas (n >= 3f + 1 with f >= 1), got " +
                                             std::to_string(nodes.count)};
    if (s.attack.kind != "none")
      return FieldProblem{"attack.kind", "applies to consensus.protocol = nakamoto; a committee's faults are "
                                         "not attacks of this section"};
    if (auto problem = find_request_rate_problem(s)) return problem;
    if (s.committee.checkpoint_interval > s.committee.log_window)
      return FieldProblem{"committee.checkpoint_interval", "must be <= committee.log_window (" +
                                                               std::to_string(s.committee.log_window) +
                                                               "), or the window would close before a "
                                                               "checkpoint could move it"};
    return std::nullopt;
  }

  const auto& attack = s.attack;
  if (attack.victim >= nodes.count) {
    return FieldProblem{"attack.victim", "must be < nodes.count (" + std::to_string(nodes.count) + "), got " +
                                             std::to_string(attack.victim)};
  }
  // A trial against a stronger honest majority only ends by giving up.
  // At exactly one half the race is a recurrent random walk whose return time has no mean.
  const bool withholding = attack.kind == "eclipse" && attack.eclipse_mode == "withhold";
  const bool endless = attack.give_up_deficit == 0 && attack.max_trial_time_s == 0.0 && attack.attacker_share <= 0.5;
  if ((attack.kind == "double-spend" || attack.kind == "eclipse") && !withholding && endless) {
    return FieldProblem{"attack.give_up_deficit", "must be > 0 (or attack.max_trial_time_s set) when "
                                                  "attacker_share <= 0.5, or a failed trial may never end"};
  }
  // Such a run ends by comparing its trials with the race's Markov chain, whose
  // size grows as z^2: too large a chain must be refused now, not after the trials.
  const bool racing = (attack.kind == "double-spend" || attack.kind == "eclipse") && !withholding;
  if (racing && !models::analysis::double_spend_race_is_tractable(attack.confirmations, attack.give_up_deficit)) {
    return FieldProblem{"attack.confirmations", "z x (z + 1) + max(z + 1, attack.give_up_deficit) must be at most "
                                                "1,000,000 (the states of the race's model), got z = " +
                                                    std::to_string(attack.confirmations) + " and give_up_deficit " +
                                                    std::to_string(attack.give_up_deficit)};
  }
  if (withholding && attack.eclipse_delay_s > 0.0) {
    return FieldProblem{"attack.eclipse_delay_s", "applies to attack.eclipse_mode = delay; a withholding attacker "
                                                  "sends the victim no honest block at all during a trial"};
  }
  // Fed only by the attacker, the victim's branch never grows without its hash power.
  if (withholding && attack.attacker_share == 0.0 && attack.max_trial_time_s == 0.0) {
    return FieldProblem{"attack.attacker_share", "must be > 0 (or attack.max_trial_time_s set) with "
                                                 "eclipse_mode = withhold, or a trial may never end"};
  }
  if (attack.kind != "none" && s.consensus.difficulty_retarget) {
    return FieldProblem{"consensus.difficulty_retarget", "is not supported together with an attack"};
  }
  return std::nullopt;
}

}  // namespace cbsim::scenario
