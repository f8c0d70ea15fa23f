#pragma once
// The deployment code of the shipped contracts (scenarios/contracts/): their
// compiled init code, built into the simulator, followed by the ABI-encoded
// constructor arguments.

#include <cstdint>
#include <optional>
#include <string>

#include "models/evm/bytes.h"
#include "models/evm/interpreter.h"
#include "models/evm/transaction.h"
#include "models/evm/world_state.h"
#include "models/evm/uint256.h"

namespace cbsim::sim::evm {

// The simulation's funded account number i: 0xcb, zeros, then i (big-endian).
models::evm::Address simulated_account(std::uint32_t i);

// A set-up transaction (a deployment when `to` is empty) from `sender` at its
// current nonce, applied to `state`; throws std::logic_error naming `what`
// unless it is valid and succeeds.
models::evm::TransactionOutcome apply_setup(models::evm::WorldState& state, const models::evm::BlockEnv& block,
                                            const models::evm::Address& sender,
                                            std::optional<models::evm::Address> to, models::evm::Bytes data,
                                            std::uint64_t gas_limit, const std::string& what);

models::evm::Bytes simple_storage_deployment();
models::evm::Bytes data_anchor_deployment();
// CloudAllocator(slotSeconds, epochSeconds): the deployer is the provider.
models::evm::Bytes cloud_allocator_deployment(std::uint64_t slot_s, std::uint64_t epoch_s);
// Token(name, symbol, initialSupply): the supply is minted to the deployer.
models::evm::Bytes token_deployment(const std::string& name, const std::string& symbol,
                                    const models::evm::uint256& supply);

}  // namespace cbsim::sim::evm
