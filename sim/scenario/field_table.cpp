#include "sim/scenario/field_table.h"

#include "models/cloud/power_model.h"
#include "models/cloud/vm_profile.h"
#include "models/network/regions.h"
#include "sim/scenario/fault_fields.h"
#include "sim/scenario/user_text.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace cbsim::scenario {
namespace {

using nlohmann::json;

template <class T>
constexpr FieldType field_type_of() {
  if constexpr (std::is_same_v<T, bool>) {
    return FieldType::boolean;
  } else if constexpr (std::is_integral_v<T>) {
    return FieldType::integer;
  } else if constexpr (std::is_floating_point_v<T>) {
    return FieldType::number;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return FieldType::string;
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    return FieldType::string_array;
  } else {
    static_assert(std::is_same_v<T, std::vector<double>>, "no FieldType for this member type");
    return FieldType::number_array;
  }
}

// An integer field without declared bounds still must not overflow its member.
template <class T>
FieldRules with_type_limits(FieldRules rules) {
  if constexpr (field_type_of<T>() == FieldType::integer) {
    constexpr auto int64_max = static_cast<std::uintmax_t>(std::numeric_limits<std::int64_t>::max());
    if (!rules.min) rules.min = at_least(static_cast<std::int64_t>(std::numeric_limits<T>::min()));
    if (!rules.max) {
      rules.max = at_most(static_cast<std::int64_t>(
          std::min(static_cast<std::uintmax_t>(std::numeric_limits<T>::max()), int64_max)));
    }
  }
  return rules;
}

// `locate` is a generic lambda returning the member, const or not.
template <class T, class Locate>
FieldSpec bind(std::string path, Locate locate, FieldRules rules) {
  return FieldSpec{
      .path = std::move(path),
      .type = field_type_of<T>(),
      .rules = with_type_limits<T>(std::move(rules)),
      .read = [locate](const Scenario& s) { return json(locate(s)); },
      .write = [locate](Scenario& s, const json& value) { locate(s) = value.get<T>(); },
  };
}

template <class T>
FieldSpec field(std::string path, T Scenario::*member, FieldRules rules) {
  return bind<T>(std::move(path), [member](auto& s) -> auto& { return s.*member; }, std::move(rules));
}

template <class Section, class T>
FieldSpec field(std::string path, Section Scenario::*section, T Section::*member, FieldRules rules) {
  return bind<T>(
      std::move(path), [section, member](auto& s) -> auto& { return (s.*section).*member; }, std::move(rules));
}

std::vector<FieldSpec> make_field_table() {
  constexpr std::int64_t kMaxCycles = 1'000'000'000'000;
  return {
      // --- top level -------------------------------------------------------
      field("name", &Scenario::name,
            {.max_length = 255,  // a folder name: NAME_MAX of Linux and most file systems
             .accepts = is_folder_name,
             .pattern = R"(^(?!\.\.?$)[^/\\\x00-\x1f\x7f]+$)",
             .pattern_meaning = "a non-empty name without /, \\ or control characters, other than . and ..",
             .description = "Name of the experiment; results go to results/NAME/ unless --out says otherwise.",
             .default_note = "the file name without .json"}),
      field("description", &Scenario::description,
            {.max_length = 10000, .description = "Free text describing the experiment."}),
      field("seed", &Scenario::seed,
            {.min = at_least(0),
             .max = at_most(std::numeric_limits<std::int64_t>::max()),
             .description = "Master seed of every random stream; same scenario and seed give identical metrics."}),

      // --- network ---------------------------------------------------------
      field("network.model", &Scenario::network, &NetworkConfig::model,
            {.allowed = {"tcp", "latency", "ideal"},
             .description = "How message delay is modeled: tcp = SimGrid's flow-level TCP model, where concurrent "
                            "transfers share bandwidth; latency = latency plus size / bandwidth without contention, "
                            "as in SimBlock; ideal = instant delivery."}),
      field("network.topology", &Scenario::network, &NetworkConfig::topology,
            {.allowed = {"bitcoin", "random-regular", "erdos-renyi", "watts-strogatz", "barabasi-albert"},
             .description = "Peer graph: bitcoin = outbound degrees drawn from the 2015 Bitcoin degree "
                            "distribution (as in SimBlock) with an inbound limit; the others are the classic "
                            "random-graph generators."}),
      field("network.degree", &Scenario::network, &NetworkConfig::degree,
            {.min = at_least(1),
             .max = at_most(1000),
             .description = "Degree of random-regular, ring neighbours of watts-strogatz, edges per new node of "
                            "barabasi-albert; must be below nodes.count. 8 = Bitcoin Core's outbound "
                            "connections."}),
      field("network.edge_probability", &Scenario::network, &NetworkConfig::edge_probability,
            {.min = above(0), .max = at_most(1), .description = "erdos-renyi: probability of each possible edge."}),
      field("network.rewire_probability", &Scenario::network, &NetworkConfig::rewire_probability,
            {.min = at_least(0),
             .max = at_most(1),
             .description = "watts-strogatz: probability of rewiring each ring edge."}),
      field("network.max_inbound", &Scenario::network, &NetworkConfig::max_inbound,
            {.min = at_least(1),
             .max = at_most(1000000),
             .description = "bitcoin topology: inbound connections a node accepts; 125 = Bitcoin Core's default "
                            "-maxconnections."}),
      field("network.regions", &Scenario::network, &NetworkConfig::regions,
            {.allowed = region_set_names(),
             .description = "Table of regions with their latencies, bandwidths and node shares; simblock-2019 = "
                            "SimBlock's 2019 measurements of six regions (NA, EU, SA, AP, JP, AU)."}),
      field("network.region_shares", &Scenario::network, &NetworkConfig::region_shares,
            {.min = at_least(0),
             .max = at_most(1'000'000'000),  // weights: a bound keeps their sum finite
             .description = "Weight of each region when placing nodes, in the region table's order; one entry "
                            "per region (6 for simblock-2019), not all zero; [] = the table's own Bitcoin node "
                            "shares."}),
      field("network.latency_jitter", &Scenario::network, &NetworkConfig::latency_jitter,
            {.allowed = {"none", "pareto"},
             .description = "Per-message latency: pareto = drawn around the regional mean as SimBlock does; "
                            "none = the regional mean itself."}),
      field("network.flow_threshold_bytes", &Scenario::network, &NetworkConfig::flow_threshold_bytes,
            {.min = at_least(0),
             .max = at_most(1000000000),
             .unit = "bytes",
             .description = "tcp model: messages up to this size skip the flow model (latency plus size / "
                            "bandwidth only), which keeps small messages cheap to simulate; 1500 = one Ethernet "
                            "frame."}),
      field("network.tcp_latency_factor", &Scenario::network, &NetworkConfig::tcp_latency_factor,
            {.min = above(0),
             .max = at_most(100),
             .description = "tcp model: multiplier of link latencies; 1 keeps the measured latencies."}),
      field("network.tcp_bandwidth_factor", &Scenario::network, &NetworkConfig::tcp_bandwidth_factor,
            {.min = above(0),
             .max = at_most(1),
             .description = "tcp model: share of link bandwidth that carries payload; 0.97 = SimGrid's default "
                            "(TCP/IP header overhead)."}),

      // --- nodes -----------------------------------------------------------
      field("nodes.count", &Scenario::nodes, &NodesConfig::count,
            {.min = at_least(2), .max = at_most(1000000), .description = "Number of nodes."}),
      field("nodes.hash_power", &Scenario::nodes, &NodesConfig::hash_power,
            {.allowed = {"uniform", "normal", "exponential"},
             .description = "Distribution of hash power over the miners; normal (truncated at 0) is SimBlock's "
                            "default."}),
      field("nodes.hash_power_cv", &Scenario::nodes, &NodesConfig::hash_power_cv,
            {.min = at_least(0),
             .max = at_most(1),
             .description = "normal hash power: coefficient of variation; 0.25 = SimBlock's mean 400000 with "
                            "standard deviation 100000."}),
      field("nodes.miners", &Scenario::nodes, &NodesConfig::miners,
            {.min = at_least(0),
             .max = at_most(1000000),
             .description = "Number of nodes that mine, picked at random; 0 = every node mines; at most "
                            "nodes.count."}),
      field("nodes.cpu_hz", &Scenario::nodes, &NodesConfig::cpu_hz,
            {.min = at_least(1e3),  // a finite bound on how long any computation takes
             .max = at_most(kMaxCycles),
             .unit = "cycles/s",
             .description = "Speed of each node's host, which runs the validation cycles of the costs section."}),

      // --- consensus -------------------------------------------------------
      field("consensus.protocol", &Scenario::consensus, &ConsensusConfig::protocol,
            {.allowed = {"nakamoto", "pbft", "hotstuff"},
             .description = "Consensus protocol: nakamoto = longest-chain proof-of-work as in Bitcoin; pbft = a "
                            "committee of nodes.count replicas running PBFT (Castro & Liskov 1999) for clients "
                            "(see the committee section); hotstuff = the same committee running chained HotStuff "
                            "with a rotating leader (Yin et al. 2019)."}),
      field("consensus.block_interval_s", &Scenario::consensus, &ConsensusConfig::block_interval_s,
            {.min = above(0),
             .max = at_most(86400),
             .unit = "s",
             .description = "Mean time between blocks of the whole network (blocks are found as a Poisson "
                            "process); 600 = Bitcoin's target."}),
      field("consensus.block_size_bytes", &Scenario::consensus, &ConsensusConfig::block_size_bytes,
            {.min = at_least(80),
             .max = at_most(1000000000),
             .unit = "bytes",
             .description = "Size of a block, filled from the miner's mempool; 535000 = SimBlock's Bitcoin 2019 "
                            "setting; 80 = a bare header."}),
      field("consensus.relay", &Scenario::consensus, &ConsensusConfig::relay,
            {.allowed = {"compact", "inv"},
             .description = "Block relay: compact = BIP 152 compact blocks (only transactions missing from the "
                            "mempool are sent again), as in SimBlock's 2019 Bitcoin setting; inv = inv, getdata, "
                            "full block."}),
      field("consensus.difficulty_retarget", &Scenario::consensus, &ConsensusConfig::difficulty_retarget,
            {.description = "Adjust the difficulty every retarget_interval_blocks as Bitcoin does (factor clamped "
                            "to [1/4, 4]); false = constant difficulty."}),
      field("consensus.retarget_interval_blocks", &Scenario::consensus, &ConsensusConfig::retarget_interval_blocks,
            {.min = at_least(2),
             .max = at_most(1000000),
             .unit = "blocks",
             .description = "Blocks between difficulty adjustments; 2016 = Bitcoin."}),
      field("consensus.pow_leading_zero_bits", &Scenario::consensus, &ConsensusConfig::pow_leading_zero_bits,
            {.min = at_least(0),
             .max = at_most(24),
             .unit = "bits",
             .description = "Real proof-of-work each block carries (leading zero bits of its header hash), "
                            "checked by every receiver; kept small because mining time is simulated, not "
                            "computed."}),
      field("consensus.confirmations", &Scenario::consensus, &ConsensusConfig::confirmations,
            {.min = at_least(1),
             .max = at_most(1000),
             .unit = "blocks",
             .description = "Depth at which a block or transaction counts as confirmed; 6 = Nakamoto's "
                            "customary choice."}),

      // --- transactions ----------------------------------------------------
      field("transactions.rate_per_s", &Scenario::transactions, &TransactionsConfig::rate_per_s,
            {.min = at_least(0),
             .max = at_most(1000000),
             .unit = "tx/s",
             .description = "Transactions created per second over the whole network (Poisson); 3 is about "
                            "Bitcoin's average; 0 = empty blocks."}),
      field("transactions.size_distribution", &Scenario::transactions, &TransactionsConfig::size_distribution,
            {.allowed = {"fixed", "exponential", "lognormal"},
             .description = "Distribution of transaction sizes around size_bytes_mean."}),
      field("transactions.size_bytes_mean", &Scenario::transactions, &TransactionsConfig::size_bytes_mean,
            {.min = at_least(60),
             .max = at_most(1000000),
             .unit = "bytes",
             .description = "Mean transaction size; 400 is typical of Bitcoin (250 to 500 bytes); 60 = about the "
                            "smallest valid transaction."}),
      field("transactions.size_bytes_sigma", &Scenario::transactions, &TransactionsConfig::size_bytes_sigma,
            {.min = at_least(0),
             .max = at_most(5),
             .description = "lognormal sizes: standard deviation of log(size)."}),
      field("transactions.fee_rate_mean", &Scenario::transactions, &TransactionsConfig::fee_rate_mean,
            {.min = at_least(0),
             .max = at_most(1000000),
             .unit = "sat/byte",
             .description = "Mean fee rate; fee rates are exponentially distributed and miners fill blocks by "
                            "fee rate."}),
      field("transactions.relay_delay_s", &Scenario::transactions, &TransactionsConfig::relay_delay_s,
            {.min = at_least(0),
             .max = at_most(3600),
             .unit = "s",
             .description = "Mean time for a transaction to reach a node's mempool; each node's delay is drawn "
                            "once, uniform in [0.5, 1.5] x this value (transactions are not relayed message by "
                            "message)."}),

      // --- duration --------------------------------------------------------
      field("duration.blocks", &Scenario::duration, &DurationConfig::blocks,
            {.min = at_least(1),
             .max = at_most(10000000),
             .unit = "blocks",
             .description = "Mining stops after this many blocks."}),
      field("duration.max_sim_time_s", &Scenario::duration, &DurationConfig::max_sim_time_s,
            {.min = at_least(0),
             .max = at_most(10'000'000'000),
             .unit = "s",
             .description = "Simulated time after which the run stops even if blocks remain; 0 = no limit."}),
      field("duration.drain_s", &Scenario::duration, &DurationConfig::drain_s,
            {.min = at_least(0),
             .max = at_most(1000000),
             .unit = "s",
             .description = "Nakamoto: time allowed after the last block for it to propagate before the run ends; "
                            "committees: after the last request is accepted, time allowed for the replicas to "
                            "finish the last batches (the run ends earlier when the committee is quiet)."}),

      // --- costs -----------------------------------------------------------
      field("costs.header_cycles", &Scenario::costs, &CostConfig::header_cycles,
            {.min = at_least(0),
             .max = at_most(kMaxCycles),
             .unit = "cycles",
             .description = "Parsing a block header, its double SHA-256 and the proof-of-work check."}),
      field("costs.tx_validation_cycles", &Scenario::costs, &CostConfig::tx_validation_cycles,
            {.min = at_least(0),
             .max = at_most(kMaxCycles),
             .unit = "cycles",
             .description = "Full validation (signatures, scripts) of a transaction not seen before."}),
      field("costs.cached_tx_cycles", &Scenario::costs, &CostConfig::cached_tx_cycles,
            {.min = at_least(0),
             .max = at_most(kMaxCycles),
             .unit = "cycles",
             .description = "Re-checking a transaction already validated in the mempool (Bitcoin Core's "
                            "signature cache)."}),
      field("costs.hash_cycles_per_byte", &Scenario::costs, &CostConfig::hash_cycles_per_byte,
            {.min = at_least(0),
             .max = at_most(1000000),
             .unit = "cycles/byte",
             .description = "Hashing block data (Merkle tree); 12 = SHA-256 in software on x86-64."}),
      field("costs.profile", &Scenario::costs, &CostConfig::profile,
            {.max_length = 4096,  // PATH_MAX of Linux
             .description = "A cost profile written by `cbsim calibrate` (path relative to the scenario file): its "
                            "cycles replace the defaults of the costs fields the scenario does not give. The "
                            "resolved scenario holds the values, not the path."}),
      field("costs.gas_cycles", &Scenario::costs, &CostConfig::gas_cycles,
            {.min = at_least(0),
             .max = at_most(1e6),
             .unit = "cycles/gas",
             .description = "EVM execution of a block's contract calls, per unit of gas used; 5 = about 400 "
                            "Mgas/s at 2 GHz, cbsim's own interpreter on compute-bound code (README)."}),
      field("costs.mac_cycles", &Scenario::costs, &CostConfig::mac_cycles,
            {.min = at_least(0),
             .max = at_most(kMaxCycles),
             .unit = "cycles",
             .description = "Committees: checking one MAC (a PBFT authenticator entry, a client's request MAC); "
                            "3000 = HMAC-SHA256 of a short message, about four SHA-256 blocks at 12 cycles/byte."}),
      field("costs.signature_verify_cycles", &Scenario::costs, &CostConfig::signature_verify_cycles,
            {.min = at_least(0),
             .max = at_most(kMaxCycles),
             .unit = "cycles",
             .description = "Committees: checking one signature (HotStuff votes and each signer of a quorum "
                            "certificate, PBFT view-change certificates); 273364 = Ed25519 verification on "
                            "Westmere (Bernstein et al., J. Cryptographic Engineering 2012)."}),
      field("costs.storage_write_mb_per_s", &Scenario::costs, &CostConfig::storage_write_mb_per_s,
            {.min = at_least(0.0),
             .max = at_most(1e7),
             .unit = "MB/s",
             .description = "Sequential write throughput of a node's disk on bare metal; 0 = storage not "
                            "modelled. A Nakamoto node writes each block it validates before relaying it, a "
                            "committee replica each batch it commits before replying; one write at a time per "
                            "node (a Nakamoto node validates nothing else meanwhile), at cloud.vm_profile's I/O "
                            "factor of this speed."}),

      // --- attack ------------------------------------------------------------
      field("attack.kind", &Scenario::attack, &AttackConfig::kind,
            {.allowed = {"none", "double-spend", "selfish-mining", "eclipse"},
             .description = "The adversary: none; double-spend (a private branch against a merchant's payment, "
                            "attack.trials trials, the run ends when they are done); selfish-mining (Eyal & Sirer's "
                            "strategy, for duration.blocks blocks); eclipse (the victim's only peer is the attacker, "
                            "which relays honest blocks to it attack.eclipse_delay_s late and double-spends against it, "
                            "racing the victim's view of the chain)."}),
      field("attack.attacker_share", &Scenario::attack, &AttackConfig::attacker_share,
            {.min = at_least(0),
             .max = below(1),
             .description = "Attacker's share of the hash power (q, or alpha for selfish mining); the other nodes "
                            "share the rest as nodes.hash_power says."}),
      field("attack.confirmations", &Scenario::attack, &AttackConfig::confirmations,
            {.min = at_least(0),
             .max = at_most(1000),
             .unit = "blocks",
             .description = "z: the merchant accepts the payment once its block has z - 1 blocks on top (0 = at "
                            "once)."}),
      field("attack.trials", &Scenario::attack, &AttackConfig::trials,
            {.min = at_least(1),
             .max = at_most(10000000),
             .description = "Independent double-spend attempts, one after the other in the same run."}),
      field("attack.tie_breaking", &Scenario::attack, &AttackConfig::tie_breaking,
            {.allowed = {"network", "gamma"},
             .description = "How honest miners choose between two branches of equal work: network = each keeps "
                            "the block it saw first (gamma emerges from latency); gamma = a share attack.gamma of "
                            "honest blocks extends the attacker's branch (Eyal & Sirer's model, for validation)."}),
      field("attack.gamma", &Scenario::attack, &AttackConfig::gamma,
            {.min = at_least(0),
             .max = at_most(1),
             .description = "With tie_breaking = gamma: share of honest hash power mining on the attacker's block "
                            "during a tie."}),
      field("attack.premined_blocks", &Scenario::attack, &AttackConfig::premined_blocks,
            {.min = at_least(0),
             .max = at_most(100),
             .unit = "blocks",
             .description = "Private blocks (holding the conflicting transaction) the attacker has mined on the "
                            "current tip before sending the payment; 1 is Rosenfeld's (2014) assumption."}),
      field("attack.give_up_deficit", &Scenario::attack, &AttackConfig::give_up_deficit,
            {.min = at_least(0),
             .max = at_most(100000),
             .unit = "blocks",
             .description = "The attacker abandons a trial when the public chain is this many blocks ahead of its "
                            "private one (0 = never; then attacker_share <= 0.5 needs max_trial_time_s)."}),
      field("attack.max_trial_time_s", &Scenario::attack, &AttackConfig::max_trial_time_s,
            {.min = at_least(0),
             .max = at_most(1e10),
             .unit = "s",
             .description = "The attacker abandons a trial after this long (0 = never)."}),
      field("attack.victim", &Scenario::attack, &AttackConfig::victim,
            {.min = at_least(-1),
             .max = at_most(999999),
             .description = "Node of the merchant (double-spend) or the eclipsed node; -1 = an honest node drawn "
                            "at random."}),
      field("attack.eclipse_delay_s", &Scenario::attack, &AttackConfig::eclipse_delay_s,
            {.min = at_least(0),
             .max = at_most(1e6),
             .unit = "s",
             .description = "Eclipse: extra delay the attacker adds before announcing an honest block to the "
                            "victim."}),
      field("attack.eclipse_mode", &Scenario::attack, &AttackConfig::eclipse_mode,
            {.allowed = {"delay", "withhold"},
             .description = "Eclipse: delay = honest blocks reach the victim attack.eclipse_delay_s late and the "
                            "attacker races the victim's lagging view; withhold = the victim sees no honest block "
                            "during a trial: the attacker sends it the payment, the network a conflicting "
                            "transaction, and feeds it a branch of its own blocks until the victim has "
                            "attack.confirmations of them (Heilman et al. 2015), giving up after "
                            "attack.max_trial_time_s (0 = never); then it releases the withheld blocks."}),

      // --- committee ---------------------------------------------------------
      field("committee.clients", &Scenario::committee, &CommitteeConfig::clients,
            {.min = at_least(1), .max = at_most(100000),
             .description = "Clients submitting requests; each sends its requests to every replica."}),
      field("committee.load", &Scenario::committee, &CommitteeConfig::load,
            {.allowed = {"open", "closed"},
             .description = "open = requests arrive as a Poisson process at committee.request_rate_per_s, whatever "
                            "the committee does; closed = each client keeps committee.outstanding requests in "
                            "flight and sends the next one when one is accepted (throughput then follows "
                            "latency: Little's law)."}),
      field("committee.request_rate_per_s", &Scenario::committee, &CommitteeConfig::request_rate_per_s,
            {.min = above(0), .max = at_most(1e7), .unit = "requests/s",
             .description = "Open loop: rate of the clients' requests together (Poisson arrivals)."}),
      field("committee.outstanding", &Scenario::committee, &CommitteeConfig::outstanding,
            {.min = at_least(1), .max = at_most(100000),
             .description = "Closed loop: requests each client keeps in flight."}),
      field("committee.request_bytes", &Scenario::committee, &CommitteeConfig::request_bytes,
            {.min = at_least(0), .max = at_most(10000000), .unit = "bytes",
             .description = "Size of a request's operation on the wire."}),
      field("committee.requests", &Scenario::committee, &CommitteeConfig::requests,
            {.min = at_least(1), .max = at_most(100000000),
             .description = "Requests submitted; the run ends when the clients hold replies for all of them "
                            "(or at duration.max_sim_time_s)."}),
      field("committee.batch_max_requests", &Scenario::committee, &CommitteeConfig::batch_max_requests,
            {.min = at_least(1), .max = at_most(100000),
             .description = "The primary orders at most this many requests under one sequence number."}),
      field("committee.batch_timeout_s", &Scenario::committee, &CommitteeConfig::batch_timeout_s,
            {.min = at_least(0), .max = at_most(3600), .unit = "s",
             .description = "A batch is cut this long after its first request arrived, full or not."}),
      field("committee.checkpoint_interval", &Scenario::committee, &CommitteeConfig::checkpoint_interval,
            {.min = at_least(1), .max = at_most(1000000), .unit = "batches",
             .description = "K: replicas exchange a checkpoint every K executed batches."}),
      field("committee.log_window", &Scenario::committee, &CommitteeConfig::log_window,
            {.min = at_least(1), .max = at_most(10000000), .unit = "batches",
             .description = "L: sequence numbers accepted above the last stable checkpoint (high watermark)."}),
      field("committee.view_change_timeout_s", &Scenario::committee, &CommitteeConfig::view_change_timeout_s,
            {.min = at_least(1e-3), .max = at_most(3600), .unit = "s",
             .description = "How long a backup waits for a request it holds to execute before it asks for a view "
                            "change; doubles at each consecutive view change."}),
      field("committee.mac_bytes", &Scenario::committee, &CommitteeConfig::mac_bytes,
            {.min = at_least(0), .max = at_most(1024), .unit = "bytes",
             .description = "Size of one MAC of a message's authenticator (one per receiver)."}),
      field("committee.message_cycles", &Scenario::committee, &CommitteeConfig::message_cycles,
            {.min = at_least(0), .max = at_most(1e12), .unit = "cycles",
             .description = "CPU work of a replica per message it receives (checking the MAC, handling it), run "
                            "on its host at nodes.cpu_hz one message after another; 0 = free."}),

      // --- contracts -------------------------------------------------------
      field("contracts.workload", &Scenario::contracts, &ContractsConfig::workload,
            {.allowed = {"none", "simple-storage", "token-transfers"},
             .description = "Contract calls in the chain (Nakamoto): simple-storage = SimpleStorage.set(x) calls; "
                            "token-transfers = ERC-20 transfers between the funded accounts "
                            "(scenarios/contracts/). Every block's calls run in the EVM."}),
      field("contracts.calls_per_s", &Scenario::contracts, &ContractsConfig::calls_per_s,
            {.min = above(0), .max = at_most(1e6), .unit = "calls/s",
             .description = "Rate of contract-call transactions (Poisson), beside transactions.rate_per_s."}),
      field("contracts.accounts", &Scenario::contracts, &ContractsConfig::accounts,
            {.min = at_least(1), .max = at_most(1000000),
             .description = "Funded accounts that send the calls, in turn (token-transfers: each holds tokens)."}),
      field("contracts.block_gas_limit", &Scenario::contracts, &ContractsConfig::block_gas_limit,
            {.min = at_least(5000000), .max = at_most(10000000000), .unit = "gas",
             .description = "Gas a block's contract calls may use together; calls beyond it wait for a later block. "
                            "At least 5,000,000: the contract's deployment (a transaction of the first blocks) is "
                            "given that much."}),

      // --- cloud -----------------------------------------------------------
      field("cloud.service", &Scenario::cloud, &CloudConfig::service,
            {.allowed = {"iaas", "paas", "bare-metal"},
             .description = "Service model: iaas = the nodes run in the tenant's VMs on shared hosts; paas = "
                            "blockchain as a service, the nodes run in the provider's containers (cloud.vm_profile "
                            "docker, docker-nat or firecracker); bare-metal = a whole server per node (vm_profile "
                            "bare-metal, cloud.vm_vcpus = cloud.host_cores, no co-tenants, no migration)."}),
      field("cloud.vm_profile", &Scenario::cloud, &CloudConfig::vm_profile,
            {.allowed = models::cloud::vm_profile_names(),
             .description = "Virtualization of every node (models/cloud/vm_profile.cpp, with sources): its CPU "
                            "slowdown makes each computation 1 / (1 - slowdown) as long, its added latency "
                            "lengthens every message to or from a node (at each end), its boot time delays a "
                            "provisioned node's start."}),
      field("cloud.hosts", &Scenario::cloud, &CloudConfig::hosts,
            {.min = at_least(0), .max = at_most(10000000),
             .description = "Physical hosts the nodes' VMs are placed on (cloud.placement); 0 = every node on a "
                            "machine of its own. A host-crash fault fails a host and every node on it."}),
      field("cloud.datacenters", &Scenario::cloud, &CloudConfig::datacenters,
            {.description = "Datacenters, by region of network.regions: host h is in datacenters[h mod count], "
                            "and a node's region is its host's. Empty: nodes are spread over the regions by "
                            "network.region_shares."}),
      field("cloud.placement", &Scenario::cloud, &CloudConfig::placement,
            {.allowed = {"first_fit", "best_fit", "worst_fit", "round_robin", "random"},
             .description = "How VMs are placed on hosts (CloudSim Plus's policies, models/cloud/placement.h): "
                            "first_fit packs them in host order, worst_fit spreads them."}),
      field("cloud.host_cores", &Scenario::cloud, &CloudConfig::host_cores,
            {.min = at_least(1), .max = at_most(100000), .description = "Cores of each physical host."}),
      field("cloud.host_ram_mb", &Scenario::cloud, &CloudConfig::host_ram_mb,
            {.min = above(0.0), .max = at_most(1e9), .unit = "MB",
             .description = "Memory of each physical host. Every VM on it (nodes' and co-tenants') takes "
                            "cloud.vm_ram_mb plus its profile's memory overhead; memory is not over-committed."}),
      field("cloud.cpu_overcommit", &Scenario::cloud, &CloudConfig::cpu_overcommit,
            {.min = at_least(1.0), .max = at_most(16.0),
             .description = "vCPUs a host may promise per physical core (OpenStack's cpu_allocation_ratio; its "
                            "default was 16). Co-tenants and nodes then compete for the cores."}),
      field("cloud.vm_vcpus", &Scenario::cloud, &CloudConfig::vm_vcpus,
            {.min = at_least(1), .max = at_most(100000), .description = "vCPUs of each node's VM."}),
      field("cloud.vm_cpu_cap", &Scenario::cloud, &CloudConfig::vm_cpu_cap,
            {.min = at_least(1e-3), .max = at_most(1.0),
             .description = "Share of a core a node's vCPU may use (a VM's CPU bound, like a burstable instance's "
                            "baseline or SimGrid's set_bound): CPU work takes 1 / cap as long, before any "
                            "contention with co-tenants."}),
      field("cloud.power_model", &Scenario::cloud, &CloudConfig::power_model,
            {.allowed = models::cloud::power_table_names(),
             .description = "SPECpower table of the hosts: a host's power at its utilization, integrated over "
                            "each load step for cloud.energy_kwh (hosts without VMs, or down, are off)."}),
      field("cloud.co_tenants", &Scenario::cloud, &CloudConfig::co_tenants,
            {.min = at_least(0), .max = at_most(10000),
             .description = "Other tenants' VMs on every host from the start. While a node computes, its vCPU "
                            "shares the host's cores with them by max-min fairness (models/cloud/cpu_share.h); "
                            "the time it waits is in cloud.steal_s (with the slowdown and pause of its live "
                            "migrations)."}),
      field("cloud.co_tenant_vcpus", &Scenario::cloud, &CloudConfig::co_tenant_vcpus,
            {.min = at_least(1), .max = at_most(100000), .description = "vCPUs of each co-tenant VM."}),
      field("cloud.co_tenant_utilization", &Scenario::cloud, &CloudConfig::co_tenant_utilization,
            {.min = at_least(0.0), .max = at_most(1.0),
             .description = "Mean fraction of its vCPUs a co-tenant VM asks for; each load step it asks for a "
                            "uniform draw within cloud.co_tenant_spread of this, clipped to [0, 1]."}),
      field("cloud.co_tenant_spread", &Scenario::cloud, &CloudConfig::co_tenant_spread,
            {.min = at_least(0.0), .max = at_most(1.0), .description = "Half-width of the co-tenants' load draws."}),
      field("cloud.load_step_s", &Scenario::cloud, &CloudConfig::load_step_s,
            {.min = at_least(1.0), .max = at_most(1e8), .unit = "s",
             .description = "How often co-tenant load changes and hosts are accounted (CloudSim's PlanetLab "
                            "workload traces: 300 s)."}),
      field("cloud.consolidation_interval_s", &Scenario::cloud, &CloudConfig::consolidation_interval_s,
            {.min = at_least(0.0), .max = at_most(1e10), .unit = "s",
             .description = "Every this often, VMs leave hosts above cloud.upper_threshold and underloaded hosts "
                            "(below cloud.lower_threshold) are emptied by live migration (Beloglazov & Buyya "
                            "2012; models/cloud/consolidation.h); a multiple of cloud.load_step_s; 0 = never."}),
      field("cloud.upper_threshold", &Scenario::cloud, &CloudConfig::upper_threshold,
            {.min = above(0.0), .max = at_most(1.0), .description = "CPU utilization above which a host is overloaded."}),
      field("cloud.lower_threshold", &Scenario::cloud, &CloudConfig::lower_threshold,
            {.min = at_least(0.0), .max = below(1.0), .description = "CPU utilization below which a host is emptied."}),
      field("cloud.vm_ram_mb", &Scenario::cloud, &CloudConfig::vm_ram_mb,
            {.min = above(0.0), .max = at_most(1e8), .unit = "MB",
             .description = "Memory of each VM (nodes' and co-tenants'): what a live migration copies."}),
      field("cloud.dirty_rate_mb_per_s", &Scenario::cloud, &CloudConfig::dirty_rate_mb_per_s,
            {.min = at_least(0.0), .max = at_most(1e7), .unit = "MB/s",
             .description = "Memory a running VM dirties: what each pre-copy round must send again (Clark et al. "
                            "2005; models/cloud/migration.h)."}),
      field("cloud.host_bandwidth_mbps", &Scenario::cloud, &CloudConfig::host_bandwidth_mbps,
            {.min = at_least(1.0), .max = at_most(1e9), .unit = "Mbit/s",
             .description = "A host's NIC, what a live migration copies at: a host takes part in one migration "
                            "at a time (OpenStack Nova's max_concurrent_live_migrations defaults to 1), the others "
                            "wait."}),
      field("cloud.max_downtime_s", &Scenario::cloud, &CloudConfig::max_downtime_s,
            {.min = above(0.0), .max = at_most(3600.0), .unit = "s",
             .description = "Pre-copy stops (and the VM pauses for the last copy) once what is left can be sent "
                            "in this long (QEMU's migrate downtime limit is 0.3 s)."}),
      field("cloud.provision", &Scenario::cloud, &CloudConfig::provision,
            {.description = "Start each node only once its VM is provisioned: disk, NIC and VM created through "
                            "the provider's control plane, then booted (cloud.vm_profile's boot time); "
                            "cloud.provisioning_s in metrics.json. False: the nodes run at t = 0."}),
      field("cloud.create_disk_s", &Scenario::cloud, &CloudConfig::create_disk_s,
            {.min = at_least(0.0), .max = at_most(86400.0), .unit = "s", .description = "Creating a VM's disk (assumed)."}),
      field("cloud.create_nic_s", &Scenario::cloud, &CloudConfig::create_nic_s,
            {.min = at_least(0.0), .max = at_most(86400.0), .unit = "s", .description = "Creating a VM's network interface (assumed)."}),
      field("cloud.create_vm_s", &Scenario::cloud, &CloudConfig::create_vm_s,
            {.min = at_least(0.0), .max = at_most(86400.0), .unit = "s", .description = "Creating the VM itself, before it boots (assumed)."}),
      field("cloud.provisioning_parallel", &Scenario::cloud, &CloudConfig::provisioning_parallel,
            {.min = at_least(1), .max = at_most(100000),
             .description = "Provisioning operations the control plane runs at once; the rest wait (OpenStack "
                            "Nova's max_concurrent_builds defaults to 10)."}),

      // --- allocation --------------------------------------------------------
      field("allocation.mechanisms", &Scenario::allocation, &AllocationConfig::mechanisms,
            {.allowed = {"first_fit", "best_fit", "worst_fit", "auction", "optimum", "contract_first_fit",
                         "contract_auction"},
             .description = "Mechanisms that serve the same stream of VM requests (models/allocation/): central "
                            "first, best or worst fit deciding at arrival, a sealed-bid auction cleared every "
                            "allocation.auction_epoch_s, the offline optimum (an integer program on COIN-OR CBC), "
                            "and the contract scenarios/contracts/CloudAllocator.sol run by the simulated chain "
                            "(contract_first_fit: request() decides in its transaction; contract_auction: bid() "
                            "then a keeper's clear(epoch)), each request a transaction sent at its arrival and "
                            "decided once the chain confirms it. Empty: no allocation experiment. Results in "
                            "metrics.json allocation.mechanisms."}),
      field("allocation.requests_per_hour", &Scenario::allocation, &AllocationConfig::requests_per_hour,
            {.min = above(0.0), .max = at_most(1e9), .unit = "1/h", .description = "VM requests, Poisson arrivals."}),
      field("allocation.horizon_s", &Scenario::allocation, &AllocationConfig::horizon_s,
            {.min = above(0.0), .max = at_most(1e10), .unit = "s", .description = "Requests arrive during [0, horizon)."}),
      field("allocation.lead_s", &Scenario::allocation, &AllocationConfig::lead_s,
            {.min = at_least(0.0), .max = at_most(1e10), .unit = "s",
             .description = "Advance reservations: a request's window starts this long after it arrives; a "
                            "mechanism must decide and boot the VM before then."}),
      field("allocation.mean_duration_s", &Scenario::allocation, &AllocationConfig::mean_duration_s,
            {.min = above(0.0), .max = at_most(1e10), .unit = "s", .description = "Mean window length (exponential)."}),
      field("allocation.tenants", &Scenario::allocation, &AllocationConfig::tenants,
            {.min = at_least(1), .max = at_most(1000000), .description = "Tenants the requests come from, uniformly."}),
      field("allocation.vcpu_choices", &Scenario::allocation, &AllocationConfig::vcpu_choices,
            {.min = at_least(1.0), .max = at_most(1024.0),
             .description = "vCPUs a request asks for, drawn uniformly from these (whole numbers)."}),
      field("allocation.ram_per_vcpu_mb", &Scenario::allocation, &AllocationConfig::ram_per_vcpu_mb,
            {.min = at_least(0.0), .max = at_most(1e7), .unit = "MB", .description = "Memory a request asks for per vCPU."}),
      field("allocation.mean_bid_per_vcpu_hour", &Scenario::allocation, &AllocationConfig::mean_bid_per_vcpu_hour,
            {.min = above(0.0), .max = at_most(1e9),
             .description = "A request's bid (its value) is vCPUs x hours x this x a uniform factor in "
                            "[1 - bid_spread, 1 + bid_spread]."}),
      field("allocation.bid_spread", &Scenario::allocation, &AllocationConfig::bid_spread,
            {.min = at_least(0.0), .max = at_most(1.0), .description = "Spread of the bids around their mean."}),
      field("allocation.hosts", &Scenario::allocation, &AllocationConfig::hosts,
            {.min = at_least(1), .max = at_most(100000), .description = "The provider's hosts for tenant VMs."}),
      field("allocation.host_vcpus", &Scenario::allocation, &AllocationConfig::host_vcpus,
            {.min = at_least(1), .max = at_most(100000), .description = "vCPUs each host can promise."}),
      field("allocation.host_ram_mb", &Scenario::allocation, &AllocationConfig::host_ram_mb,
            {.min = above(0.0), .max = at_most(1e9), .unit = "MB", .description = "Memory of each host."}),
      field("allocation.auction_epoch_s", &Scenario::allocation, &AllocationConfig::auction_epoch_s,
            {.min = above(0.0), .max = at_most(1e10), .unit = "s",
             .description = "The auction collects the requests of an epoch and serves them when it ends, by bid "
                            "per vCPU-second, highest first."}),
      field("allocation.optimum_max_binaries", &Scenario::allocation, &AllocationConfig::optimum_max_binaries,
            {.min = at_least(0), .max = at_most(100000000),
             .description = "The optimum's integer program has requests x hosts binary variables; beyond this "
                            "many only its LP bound is computed, and efficiencies are against the bound."}),
      field("allocation.contract_slot_s", &Scenario::allocation, &AllocationConfig::contract_slot_s,
            {.min = at_least(1.0), .max = at_most(86400.0), .unit = "s",
             .description = "The contract books hosts per time slot of this length (whole seconds) and holds every "
                            "slot a window touches: coarser slots cost less gas and waste more capacity."}),
      field("allocation.clear_delay_s", &Scenario::allocation, &AllocationConfig::clear_delay_s,
            {.min = at_least(0.0), .max = at_most(1e9), .unit = "s",
             .description = "contract_auction: a keeper sends clear(epoch) this long after each epoch ends."}),
      field("allocation.confirmations", &Scenario::allocation, &AllocationConfig::confirmations,
            {.min = at_least(0), .max = at_most(1000000),
             .description = "Nakamoto: a decision counts once its block is this many blocks deep on the main chain "
                            "(Bitcoin's customary 6)"}),
      field("allocation.central_node", &Scenario::allocation, &AllocationConfig::central_node,
            {.min = at_least(-1), .max = at_most(1000000),
             .description = "The central mechanisms (first/best/worst fit, auction) run on this node's machine: "
                            "while a crash or silent fault of that node, or a host-crash of the host it was placed "
                            "on, lasts, requests wait and are decided when it is back (too late, if their window "
                            "has begun). -1: the allocator never fails."}),
      field("allocation.optimum_max_nonzeros", &Scenario::allocation, &AllocationConfig::optimum_max_nonzeros,
            {.min = at_least(0.0), .max = at_most(1e9),
             .description = "Beyond this many nonzeros in its constraint matrix (about 2 per request active at a "
                            "moment, per host and moment) not even the LP relaxation is built (memory): efficiencies "
                            "are then against a looser bound, the bids as a fractional knapsack into the hosts' total "
                            "vCPU-seconds (reference.bound = capacity)."}),
      field("allocation.optimum_max_nodes", &Scenario::allocation, &AllocationConfig::optimum_max_nodes,
            {.min = at_least(1), .max = at_most(1000000000),
             .description = "Branch-and-bound nodes the optimum may explore (a count: the same answer on every "
                            "machine); when they run out, the best solution found and the best bound bracket "
                            "the optimum, and efficiencies are against the bound."}),

      // --- integrity ---------------------------------------------------------
      field("integrity.trials", &Scenario::integrity, &IntegrityConfig::trials,
            {.min = at_least(0), .max = at_most(10000000),
             .description = "Tampering episodes per audit sample size (0: no integrity experiment). In each, the "
                            "provider tampers with integrity.tamper_fraction of the objects at a random moment "
                            "and auditors check samples against the anchored Merkle root until they notice."}),
      field("integrity.objects", &Scenario::integrity, &IntegrityConfig::objects,
            {.min = at_least(1), .max = at_most(10000000), .description = "The tenant's stored objects."}),
      field("integrity.object_bytes", &Scenario::integrity, &IntegrityConfig::object_bytes,
            {.min = at_least(1), .max = at_most(100000000), .unit = "bytes", .description = "Size of each object."}),
      field("integrity.tamper_fraction", &Scenario::integrity, &IntegrityConfig::tamper_fraction,
            {.min = above(0.0), .max = at_most(1.0),
             .description = "Share of the objects tampered with in an episode (at least one)."}),
      field("integrity.tampering", &Scenario::integrity, &IntegrityConfig::tampering,
            {.allowed = {"modify", "delete", "rollback"},
             .description = "What the provider does: change bytes, delete, or return the previous version."}),
      field("integrity.sample_sizes", &Scenario::integrity, &IntegrityConfig::sample_sizes,
            {.min = at_least(1.0), .max = at_most(1000000.0),
             .description = "Objects an audit checks (drawn with replacement), one experiment per size (whole "
                            "numbers): detection against 1 - (1 - t)^s."}),
      field("integrity.audit_interval_s", &Scenario::integrity, &IntegrityConfig::audit_interval_s,
            {.min = above(0.0), .max = at_most(1e9), .unit = "s", .description = "Time between audits."}),

      // --- faults (top level: a list, each item described by fault_field_table) ---
      FieldSpec{
          .path = "faults",
          .type = FieldType::object_array,
          .rules = {.description = "Faults injected into the run, each an object with the fields of the faults "
                                   "table below; crash, partition and degrade apply to every protocol, byzantine "
                                   "to committees."},
          .read = [](const Scenario& s) { return faults_to_json(s.faults); },
          .write = [](Scenario& s, const json& value) { s.faults = faults_from_json(value); },
          .items = &fault_field_table(),
      },

      // --- output ----------------------------------------------------------
      field("output.per_block_csv", &Scenario::output, &OutputConfig::per_block_csv,
            {.description = "Write the per-block CSV table."}),
      field("output.per_transaction_csv", &Scenario::output, &OutputConfig::per_transaction_csv,
            {.description = "Write the per-transaction CSV table."}),

      // --- limits ----------------------------------------------------------
      field("limits.max_memory_mb", &Scenario::limits, &LimitsConfig::max_memory_mb,
            {.min = at_least(0),
             .max = at_most(1e9),
             .unit = "MB",
             .description = "Memory the run may use. A run whose estimated memory exceeds it is refused before it "
                            "starts (exit 2, with the estimate); a run whose resident memory crosses it while running "
                            "stops, writes what it has and marks its results partial (exit 3).",
             .default_note = "0 = the machine's available memory when the run starts"}),
  };
}

}  // namespace

std::string_view type_name(FieldType type) {
  switch (type) {
    case FieldType::integer: return "integer";
    case FieldType::number: return "number";
    case FieldType::string: return "string";
    case FieldType::boolean: return "boolean";
    case FieldType::number_array: return "array of numbers";
    case FieldType::integer_array: return "array of integers";
    case FieldType::string_array: return "array of strings";
    case FieldType::object_array: return "array of objects";
  }
  return "?";
}

Bound at_least(json value) { return {std::move(value), false}; }
Bound above(json value) { return {std::move(value), true}; }
Bound at_most(json value) { return {std::move(value), false}; }
Bound below(json value) { return {std::move(value), true}; }

std::string_view FieldSpec::section() const {
  const auto dot = path.find('.');
  return dot == std::string::npos ? std::string_view{} : std::string_view(path).substr(0, dot);
}

std::string_view FieldSpec::leaf() const {
  const auto dot = path.find('.');
  return dot == std::string::npos ? std::string_view(path) : std::string_view(path).substr(dot + 1);
}

const std::vector<SectionSpec>& sections() {
  static const std::vector<SectionSpec> table = {
      {"", "Identification and the seed."},
      {"network", "How nodes are connected and how long their messages take."},
      {"nodes", "How many nodes there are, how hash power is spread over them, how fast they compute."},
      {"consensus", "The consensus protocol and its parameters."},
      {"transactions", "The transaction workload."},
      {"duration", "When the run stops."},
      {"costs", "CPU cycles charged for validation and authentication work, executed on the node's host."},
      {"attack", "An adversary mining among the nodes (double spending, selfish mining, eclipse)."},
      {"contracts", "Contract calls executed in the EVM inside a Nakamoto chain."},
      {"cloud", "Where the nodes run: virtual machines and their overheads."},
      {"allocation", "Cloud VM requests served by allocation mechanisms, compared with the offline optimum."},
      {"integrity", "Tamper-evident cloud data: anchored Merkle roots, tampering providers, sampling auditors."},
      {"committee", "Committee consensus (consensus.protocol = pbft or hotstuff): clients, batching, checkpoints, "
                    "view changes."},
      {"output", "Which result tables are written besides metrics.json."},
      {"limits", "Resources a run may use: refused up front or stopped cleanly beyond them."},
  };
  return table;
}

const std::vector<FieldSpec>& field_table() {
  static const std::vector<FieldSpec> table = make_field_table();
  return table;
}

const FieldSpec* find_field(std::string_view path) {
  const auto& table = field_table();
  const auto it = std::find_if(table.begin(), table.end(), [&](const FieldSpec& f) { return f.path == path; });
  return it == table.end() ? nullptr : &*it;
}

bool is_section(std::string_view name) {
  return !name.empty() &&
         std::any_of(sections().begin(), sections().end(), [&](const SectionSpec& s) { return s.name == name; });
}

// The region tables themselves are data of the network model.
std::vector<std::string> region_set_names() { return models::network::region_table_names(); }

std::size_t region_count(std::string_view region_set) {
  for (const std::string& name : models::network::region_table_names())
    if (name == region_set) return models::network::region_table(name).size();
  return 0;
}

std::string range_text(const FieldRules& rules) {
  const auto& lo = rules.min;
  const auto& hi = rules.max;
  if (lo && hi) {
    return std::string(lo->exclusive ? "(" : "[") + lo->value.dump() + ", " + hi->value.dump() +
           (hi->exclusive ? ")" : "]");
  }
  if (lo) return std::string(lo->exclusive ? "> " : ">= ") + lo->value.dump();
  if (hi) return std::string(hi->exclusive ? "< " : "<= ") + hi->value.dump();
  return "";
}

}  // namespace cbsim::scenario
