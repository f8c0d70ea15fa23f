// scenarios/contracts/DataAnchor.sol in cbsim's EVM: a tenant anchors its
// store's Merkle root, and the contract's proof check (SHA-256 precompile)
// agrees with cbsim's (models/crypto/merkle.h) on genuine and tampered
// objects; anchoring costs one new storage slot, a log and the transaction.

#include <gtest/gtest.h>

#include "models/integrity/audited_store.h"
#include "tests/models/evm_chain.h"

namespace cbsim::models::evm {
namespace {

using namespace test;

AbiValue b32(const crypto::Hash256& h) { return AbiValue::bytes(Bytes(h.begin(), h.end())); }

bool verify_on_chain(Chain& chain, const Address& contract, const Address& tenant, const crypto::Hash256& leaf,
                     const crypto::MerkleProof& proof) {
  AbiValue::Array siblings;
  for (const auto& s : proof.siblings) siblings.push_back(b32(s));
  return chain
      .call(tenant, contract, "verify(address,uint64,bytes32,bytes32[],uint256)",
            {addr(tenant), u(7), b32(leaf), AbiValue::array(siblings), u(proof.index)}, "bool")
      .at(0)
      .as_bool();
}

TEST(DataAnchorContract, AnchoredRootsCheckProofsAsCbsimDoes) {
  Chain chain;
  const Address tenant = account(2);
  const Address contract = chain.deploy(account(1), load_artefact("DataAnchor"));
  integrity::AuditedStore store(37, 128, 5);  // an odd count: the last node of odd levels pairs with itself
  const TransactionOutcome anchored =
      chain.send(tenant, contract, abi_encode_call("anchor(uint64,bytes32)", {u(7), b32(store.anchored_root())}));
  ASSERT_EQ(anchored.result.status, Status::success);
  // 21,000 for the transaction, 22,100 for a new slot (cold SSTORE), a LOG3
  // of 32 bytes (1,756), calldata and dispatch: between 45,000 and 50,000.
  EXPECT_GT(anchored.gas_used, 45000);
  EXPECT_LT(anchored.gas_used, 50000);
  RecordProperty("anchor_gas", std::to_string(anchored.gas_used));
  for (const std::size_t i : {0u, 17u, 36u}) {
    const auto answer = store.serve(i);
    EXPECT_TRUE(verify_on_chain(chain, contract, tenant, crypto::sha256(*answer.bytes), answer.proof)) << i;
  }
  store.tamper({17}, integrity::Tampering::modify);
  const auto tampered = store.serve(17);
  EXPECT_FALSE(store.audit(17));
  EXPECT_FALSE(verify_on_chain(chain, contract, tenant, crypto::sha256(*tampered.bytes), tampered.proof));
  // A root is anchored once per epoch.
  const TransactionOutcome again =
      chain.send(tenant, contract, abi_encode_call("anchor(uint64,bytes32)", {u(7), b32(store.anchored_root())}));
  EXPECT_EQ(again.result.status, Status::revert);
}

}  // namespace
}  // namespace cbsim::models::evm
