#pragma once
// The deployment code of the shipped contracts (scenarios/contracts/): their
// compiled init code, built into the simulator, followed by the ABI-encoded
// constructor arguments.

#include <string>

#include "models/evm/bytes.h"
#include "models/evm/uint256.h"

namespace cbsim::sim::evm {

models::evm::Bytes simple_storage_deployment();
models::evm::Bytes data_anchor_deployment();
// Token(name, symbol, initialSupply): the supply is minted to the deployer.
models::evm::Bytes token_deployment(const std::string& name, const std::string& symbol,
                                    const models::evm::uint256& supply);

}  // namespace cbsim::sim::evm
