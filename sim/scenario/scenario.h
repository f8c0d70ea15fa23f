#pragma once
// The typed form of a scenario file, after defaults are filled in and every
// field is validated. Field meanings, units and defaults are documented once,
// in the field table (sim/scenario/field_table.cpp), from which the JSON Schema
// and scenarios/README.md are generated.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cbsim::scenario {

struct NetworkConfig {
  std::string model = "tcp";        // tcp | latency | ideal
  std::string topology = "bitcoin"; // bitcoin | random-regular | erdos-renyi | watts-strogatz | barabasi-albert
  int degree = 8;                   // regular degree / ring neighbours (WS) / edges per new node (BA)
  double edge_probability = 0.01;   // erdos-renyi
  double rewire_probability = 0.1;  // watts-strogatz
  int max_inbound = 125;            // bitcoin: inbound connection limit per node
  std::string regions = "simblock-2019";
  std::vector<double> region_shares;  // empty = the region table's own node shares
  std::string latency_jitter = "pareto";  // none | pareto (SimBlock's per-message latency)
  std::int64_t flow_threshold_bytes = 1500;  // tcp model: messages up to this size bypass the flow model
  double tcp_latency_factor = 1.0;
  double tcp_bandwidth_factor = 0.97;
};

struct NodesConfig {
  int count = 100;
  std::string hash_power = "normal";  // uniform | normal | exponential
  double hash_power_cv = 0.25;        // coefficient of variation (normal)
  int miners = 0;                     // number of mining nodes; 0 = every node mines
  double cpu_hz = 2.0e9;              // cycles per second of each node's host
};

struct ConsensusConfig {
  std::string protocol = "nakamoto";
  double block_interval_s = 600.0;
  std::int64_t block_size_bytes = 535000;
  std::string relay = "compact";      // compact | inv
  bool difficulty_retarget = false;
  int retarget_interval_blocks = 2016;
  int pow_leading_zero_bits = 8;
  int confirmations = 6;
};

struct TransactionsConfig {
  double rate_per_s = 3.0;
  std::string size_distribution = "lognormal";  // fixed | exponential | lognormal
  double size_bytes_mean = 400.0;
  double size_bytes_sigma = 0.6;    // lognormal: standard deviation of log(size)
  double fee_rate_mean = 20.0;      // satoshi per byte, exponentially distributed
  double relay_delay_s = 2.0;       // time for a transaction to reach every mempool
};

struct DurationConfig {
  int blocks = 20;                  // stop mining after this many blocks
  double max_sim_time_s = 0.0;      // 0 = no limit
  double drain_s = 60.0;            // after the last block: time allowed for it to propagate
};

struct CostConfig {
  double header_cycles = 2.0e4;          // parse + double SHA-256 + PoW check of a header
  double tx_validation_cycles = 1.0e5;   // full validation of a transaction not seen before
  double cached_tx_cycles = 5.0e3;       // a transaction already validated in the mempool
  double hash_cycles_per_byte = 12.0;    // Merkle tree and block hashing
  double gas_cycles = 5.0;               // EVM execution: CPU cycles per unit of gas
  std::string profile;                   // a cost profile file (cbsim calibrate) whose values fill the fields not given
  double mac_cycles = 3000.0;            // checking one MAC (committees): HMAC-SHA256, ~4 blocks at 12 cycles/byte
  double signature_verify_cycles = 273364.0;  // checking one signature (committees): Ed25519 (Bernstein et al. 2012)
  double storage_write_mb_per_s = 0.0;   // a node's disk, native sequential writes; 0 = storage not modelled
};

struct AttackConfig {
  std::string kind = "none";            // none | double-spend | selfish-mining | eclipse
  double attacker_share = 0.3;          // q (double spend) or alpha (selfish mining)
  int confirmations = 6;                // z: blocks the merchant waits for
  int trials = 100;                     // double-spend / eclipse attack trials per run
  std::string tie_breaking = "network"; // network (first seen) | gamma (explicit share)
  double gamma = 0.0;                   // honest share mining on the attacker's block in a tie
  int premined_blocks = 1;              // private blocks held when the payment is sent
  int give_up_deficit = 20;             // abandon a trial this many blocks behind (0 = never)
  double max_trial_time_s = 0.0;        // abandon a trial after this long (0 = never)
  int victim = -1;                      // merchant / eclipsed node; -1 = drawn at random
  double eclipse_delay_s = 0.0;         // extra delay of honest blocks relayed to the victim
  std::string eclipse_mode = "delay";   // delay | withhold (Heilman et al. 2015)
};

// A committee (consensus.protocol = pbft or hotstuff): replicas are the nodes,
// clients submit requests to all of them (open loop, Poisson; or closed loop).
struct CommitteeConfig {
  int clients = 4;
  std::string load = "open";              // open (Poisson arrivals) | closed (a window of requests per client)
  double request_rate_per_s = 200.0;     // open loop: all clients together
  int outstanding = 1;                    // closed loop: requests each client keeps in flight
  int request_bytes = 256;                // operation size on the wire
  int requests = 2000;                    // the run ends when clients have this many replies
  int batch_max_requests = 10;
  double batch_timeout_s = 0.005;
  int checkpoint_interval = 128;          // K
  int log_window = 256;                   // L
  double view_change_timeout_s = 1.0;
  int mac_bytes = 10;
  double message_cycles = 0.0;            // CPU work per message a replica receives (MAC check, handling)
};

// Contract calls in a Nakamoto chain: transactions that run compiled Solidity
// in the EVM, executed in every block (scenarios/contracts/).
struct ContractsConfig {
  std::string workload = "none";         // none | simple-storage | token-transfers
  double calls_per_s = 1.0;              // contract-call transactions, Poisson, beside transactions.rate_per_s
  int accounts = 100;                    // funded accounts sending the calls, in turn
  std::int64_t block_gas_limit = 30000000;
};

// Where the nodes run: the virtualization profile of their VMs
// (models/cloud/vm_profile.h), the hosts they share with other tenants, and
// what the provider does meanwhile (sim/cloud/cloud_deployment.h).
struct CloudConfig {
  std::string service = "iaas";          // iaas | paas | bare-metal
  std::string vm_profile = "bare-metal";
  int hosts = 0;                         // physical hosts the nodes' VMs are placed on; 0 = a machine per node
  std::vector<std::string> datacenters;  // regions of network.regions; host h is in datacenters[h % size]
  std::string placement = "first_fit";   // first_fit | best_fit | worst_fit | round_robin | random
  int host_cores = 16;
  double host_ram_mb = 262144.0;         // 256 GB
  double cpu_overcommit = 1.0;           // vCPUs a host may promise per core
  int vm_vcpus = 2;
  double vm_cpu_cap = 1.0;               // share of a core a node's vCPU may use (a CPU bound, as SimGrid's set_bound)
  std::string power_model = "hp-ml110-g5";  // SPECpower table of the hosts (models/cloud/power_model.cpp)
  int co_tenants = 0;                    // other tenants' VMs on every host
  int co_tenant_vcpus = 2;
  double co_tenant_utilization = 0.5;    // mean fraction of their vCPUs they ask for
  double co_tenant_spread = 0.2;         // uniform +- around the mean, redrawn every load step
  double load_step_s = 300.0;            // co-tenant load step and accounting step
  double consolidation_interval_s = 0.0; // 0 = no consolidation
  double upper_threshold = 0.8;
  double lower_threshold = 0.2;
  double vm_ram_mb = 4096.0;
  double dirty_rate_mb_per_s = 20.0;
  double host_bandwidth_mbps = 1000.0;   // a host NIC, for migrations
  double max_downtime_s = 0.3;           // stop-and-copy once the rest fits in this
  bool provision = false;                // nodes start when their VM is running, not at t = 0
  double create_disk_s = 5.0;
  double create_nic_s = 2.0;
  double create_vm_s = 10.0;
  int provisioning_parallel = 10;
};

// Cloud VMs allocated by competing mechanisms (issue 8): a stream of advance
// reservations served by central allocators, a per-epoch auction and the
// offline optimum (models/allocation/), on the provider's own hosts.
struct AllocationConfig {
  // first_fit | best_fit | worst_fit | auction | optimum (central and offline),
  // contract_first_fit | contract_auction (CloudAllocator.sol on the chain); empty = off
  std::vector<std::string> mechanisms;
  double requests_per_hour = 1000.0;
  double horizon_s = 3600.0;             // requests arrive in [0, horizon)
  double lead_s = 600.0;                 // a window starts this long after its request
  double mean_duration_s = 3600.0;
  int tenants = 10;
  std::vector<double> vcpu_choices = {1, 2, 4, 8};
  double ram_per_vcpu_mb = 4096.0;
  double mean_bid_per_vcpu_hour = 0.05;
  double bid_spread = 0.5;
  int hosts = 20;
  int host_vcpus = 32;
  double host_ram_mb = 131072.0;
  double auction_epoch_s = 300.0;
  int optimum_max_binaries = 20000;      // larger instances get the LP bound only
  int optimum_max_nodes = 100000;        // branch-and-bound nodes before settling for a bracket
  double optimum_max_nonzeros = 2e7;     // a larger LP is not built: the capacity bound instead
  double contract_slot_s = 300.0;        // the contract's time slots (whole seconds)
  double clear_delay_s = 1.0;            // a keeper sends clear(epoch) this long after the epoch ends
  int confirmations = 6;                 // Nakamoto: blocks on top of a decision's before it counts
  int central_node = -1;                 // the central mechanisms run on this node's machine; -1 = never down
};

// Tamper-evident cloud data (issue 8): a tenant's objects with their Merkle
// root anchored on chain, a provider tampering with some, auditors sampling.
struct IntegrityConfig {
  int trials = 0;                        // tampering episodes per sample size; 0 = off
  int objects = 1000;
  int object_bytes = 4096;
  double tamper_fraction = 0.01;
  std::string tampering = "modify";      // modify | delete | rollback
  std::vector<double> sample_sizes = {1, 5, 10, 20, 50, 100};
  double audit_interval_s = 3600.0;
};

// One entry of the faults list: what goes wrong, to which nodes, when.
// Node indices are the nodes' (replicas' or peers') numbers, 0 .. nodes.count-1.
struct FaultConfig {
  std::string kind = "crash";      // crash | partition | degrade | byzantine | host-crash
  std::vector<int> nodes;          // the faulty nodes; partition: one side
  std::vector<int> peers;          // partition: the other side; degrade: only links to these; empty = all others
  std::vector<int> hosts;          // host-crash: the physical hosts that fail (with every node on them)
  double at_s = 0.0;               // start
  double until_s = 0.0;            // end (crash: recovery); 0 = to the end of the run
  double extra_latency_s = 0.0;    // degrade: added to every message on an affected link
  double loss = 0.0;               // degrade: probability that a message on an affected link is lost
  std::string behaviour = "silent";  // byzantine: silent | equivocate | replay | corrupt
  double replay_delay_s = 1.0;     // byzantine replay: how much later each message is sent again
};

struct OutputConfig {
  bool per_block_csv = true;
  bool per_transaction_csv = true;
};

// Resources a run may use; a run that would exceed them is refused before it
// starts (estimate) or stopped while it runs (measured), never left to exhaust the machine.
struct LimitsConfig {
  double max_memory_mb = 0.0;  // 0 = the machine's available memory when the run starts
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  NetworkConfig network;
  NodesConfig nodes;
  ConsensusConfig consensus;
  TransactionsConfig transactions;
  DurationConfig duration;
  CostConfig costs;
  AttackConfig attack;
  CommitteeConfig committee;
  ContractsConfig contracts;
  CloudConfig cloud;
  AllocationConfig allocation;
  IntegrityConfig integrity;
  std::vector<FaultConfig> faults;
  OutputConfig output;
  LimitsConfig limits;
  nlohmann::json resolved;  // the whole scenario with every default filled in
  std::string source;       // file it was read from ("" if given as a string)
};

}  // namespace cbsim::scenario
