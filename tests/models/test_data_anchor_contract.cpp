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
      chain.send(tenant, contract, abi_encode_call("anchor(uint64,bytes32,uint64)", {u(7), b32(store.anchored_root()), u(37)}));
  ASSERT_EQ(anchored.result.status, Status::success);
  // 21,000 for the transaction, 22,100 per new slot (cold SSTORE; root and
  // leaf count are two slots), a LOG3 of 64 bytes, calldata and dispatch:
  // between 65,000 and 72,000.
  EXPECT_GT(anchored.gas_used, 65000);
  EXPECT_LT(anchored.gas_used, 72000);
  RecordProperty("anchor_gas", std::to_string(anchored.gas_used));
  for (const std::size_t i : {0u, 17u, 36u}) {
    const auto answer = store.serve(i);
    EXPECT_TRUE(verify_on_chain(chain, contract, tenant, crypto::sha256(*answer.bytes), answer.proof)) << i;
  }
  store.tamper({17}, integrity::Tampering::modify);
  const auto tampered = store.serve(17);
  EXPECT_FALSE(store.audit(17));
  EXPECT_FALSE(verify_on_chain(chain, contract, tenant, crypto::sha256(*tampered.bytes), tampered.proof));
  // A genuine leaf at an index beyond the leaves, or with a proof of another depth, does not verify.
  auto genuine = store.serve(36);
  genuine.proof.index = 37;
  EXPECT_FALSE(verify_on_chain(chain, contract, tenant, crypto::sha256(*genuine.bytes), genuine.proof));
  genuine = store.serve(36);
  genuine.proof.siblings.pop_back();
  EXPECT_FALSE(verify_on_chain(chain, contract, tenant, crypto::sha256(*genuine.bytes), genuine.proof));
  // A root is anchored once per epoch, and never empty.
  const TransactionOutcome again = chain.send(
      tenant, contract, abi_encode_call("anchor(uint64,bytes32,uint64)", {u(7), b32(store.anchored_root()), u(37)}));
  EXPECT_EQ(again.result.status, Status::revert);
  const TransactionOutcome empty =
      chain.send(tenant, contract, abi_encode_call("anchor(uint64,bytes32,uint64)", {u(8), b32(crypto::Hash256{}), u(37)}));
  EXPECT_EQ(empty.result.status, Status::revert);
}

}  // namespace
}  // namespace cbsim::models::evm
