#include "sim/scenario/fault_fields.h"

#include <algorithm>

#include "sim/scenario/field_table.h"

namespace cbsim::scenario {
namespace {

using nlohmann::json;

template <class T>
FieldType item_type_of() {
  if constexpr (std::is_same_v<T, std::string>) {
    return FieldType::string;
  } else if constexpr (std::is_same_v<T, double>) {
    return FieldType::number;
  } else {
    static_assert(std::is_same_v<T, std::vector<int>>, "no item FieldType for this member type");
    return FieldType::integer_array;
  }
}

template <class T>
ItemFieldSpec item(std::string name, T FaultConfig::*member, FieldRules rules, std::vector<std::string> kinds,
                   bool required = false) {
  return ItemFieldSpec{
      .name = std::move(name),
      .type = item_type_of<T>(),
      .rules = std::move(rules),
      .required = required,
      .kinds = std::move(kinds),
      .read = [member](const FaultConfig& f) { return json(f.*member); },
      .write = [member](FaultConfig& f, const json& value) { f.*member = value.get<T>(); },
  };
}

std::vector<ItemFieldSpec> make_fault_field_table() {
  constexpr int kMaxNode = 10'000'000;
  return {
      item("kind", &FaultConfig::kind,
           {.allowed = {"crash", "partition", "degrade", "byzantine", "host-crash"},
            .description = "crash = the nodes stop (no messages in or out, timers held) and recover at until_s "
                           "with their state (crash-recovery with stable storage); partition = messages between "
                           "nodes and peers are lost; degrade = messages to or from the nodes are delayed by "
                           "extra_latency_s and lost with probability loss; byzantine = the nodes deviate from "
                           "the committee protocol as behaviour says; host-crash = physical hosts fail "
                           "(cloud.hosts), and every node placed on them crashes."},
           {}, /*required=*/true),
      item("nodes", &FaultConfig::nodes,
           {.min = at_least(0), .max = at_most(kMaxNode),
            .description = "The faulty nodes (0 .. nodes.count-1); for a partition, one side of it."},
           {"crash", "partition", "degrade", "byzantine"}, /*required=*/false),
      item("hosts", &FaultConfig::hosts,
           {.min = at_least(0), .max = at_most(kMaxNode),
            .description = "host-crash: the physical hosts that fail (0 .. cloud.hosts-1)."},
           {"host-crash"}),
      item("peers", &FaultConfig::peers,
           {.min = at_least(0), .max = at_most(kMaxNode),
            .description = "partition: the other side (empty = every other node and the clients); degrade: only "
                           "links between nodes and these are affected (empty = all their links)."},
           {"partition", "degrade"}),
      item("at_s", &FaultConfig::at_s,
           {.min = at_least(0), .max = at_most(1e9), .unit = "s", .description = "When the fault starts."}, {}),
      item("until_s", &FaultConfig::until_s,
           {.min = at_least(0), .max = at_most(1e9), .unit = "s",
            .description = "When it ends (a crash: when the nodes recover); 0 = it lasts to the end of the run."},
           {}),
      item("extra_latency_s", &FaultConfig::extra_latency_s,
           {.min = at_least(0), .max = at_most(3600), .unit = "s",
            .description = "degrade: time added to every message on an affected link."},
           {"degrade"}),
      item("loss", &FaultConfig::loss,
           {.min = at_least(0), .max = at_most(1),
            .description = "degrade: probability that a message on an affected link is lost."},
           {"degrade"}),
      item("behaviour", &FaultConfig::behaviour,
           {.allowed = {"silent", "equivocate", "replay", "corrupt"},
            .description = "byzantine: silent = sends nothing; equivocate = as primary (PBFT) or leader "
                           "(HotStuff) proposes different batches to two halves of the replicas; replay = every "
                           "message it sends is sent again replay_delay_s later; corrupt = the digest of every "
                           "message it sends is altered."},
           {"byzantine"}),
      item("replay_delay_s", &FaultConfig::replay_delay_s,
           {.min = above(0), .max = at_most(1e6), .unit = "s",
            .description = "byzantine replay: delay before a message is sent again."},
           {"byzantine"}),
  };
}

}  // namespace

bool ItemFieldSpec::applies_to(const std::string& kind) const {
  return kinds.empty() || std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

const std::vector<ItemFieldSpec>& fault_field_table() {
  static const std::vector<ItemFieldSpec> table = make_fault_field_table();
  return table;
}

json faults_to_json(const std::vector<FaultConfig>& faults) {
  json list = json::array();
  for (const FaultConfig& fault : faults) {
    json entry = json::object();
    for (const ItemFieldSpec& field : fault_field_table()) {
      if (field.applies_to(fault.kind)) entry[field.name] = field.read(fault);
    }
    list.push_back(std::move(entry));
  }
  return list;
}

std::vector<FaultConfig> faults_from_json(const json& value) {
  std::vector<FaultConfig> faults;
  for (const json& entry : value) {
    FaultConfig fault;
    for (const ItemFieldSpec& field : fault_field_table()) {
      if (entry.contains(field.name)) field.write(fault, entry.at(field.name));
    }
    faults.push_back(std::move(fault));
  }
  return faults;
}

}  // namespace cbsim::scenario
