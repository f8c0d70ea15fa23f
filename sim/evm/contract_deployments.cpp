#include "sim/evm/contract_deployments.h"

#include "models/evm/abi.h"
#include "models/evm/hex.h"
#include "sim/runner/contract_artifacts.h"

namespace cbsim::sim::evm {

namespace ev = models::evm;

ev::Bytes simple_storage_deployment() { return ev::bytes_from_hex(contract_artifacts::kSimpleStorageInitCode); }
ev::Bytes data_anchor_deployment() { return ev::bytes_from_hex(contract_artifacts::kDataAnchorInitCode); }

ev::Bytes token_deployment(const std::string& name, const std::string& symbol, const ev::uint256& supply) {
  ev::Bytes code = ev::bytes_from_hex(contract_artifacts::kTokenInitCode);
  const ev::Bytes args = ev::abi_encode(ev::parse_abi_types("string,string,uint256"),
                                        {ev::AbiValue::string(name), ev::AbiValue::string(symbol),
                                         ev::AbiValue::word(supply)});
  code.insert(code.end(), args.begin(), args.end());
  return code;
}

}  // namespace cbsim::sim::evm
