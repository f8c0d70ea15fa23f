#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "models/crypto/hash.h"
#include "models/crypto/merkle.h"

using namespace cbsim::models::crypto;

namespace {
std::vector<std::uint8_t> from_hex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}
// Bitcoin displays hashes byte-reversed.
Hash256 from_display_hex(const std::string& hex) {
  const auto bytes = from_hex(hex);
  Hash256 h;
  std::reverse_copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}
std::string display_hex(Hash256 h) {
  std::reverse(h.begin(), h.end());
  return to_hex(h);
}
}  // namespace

TEST(Sha256, MatchesFips180Vector) {
  const std::string abc = "abc";
  const auto h = sha256({reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()});
  EXPECT_EQ(to_hex(h), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256d, HashesTheBitcoinGenesisHeader) {
  // The 80-byte header of Bitcoin's genesis block and its well-known hash.
  const auto header = from_hex(
      "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc8"
      "1bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
  ASSERT_EQ(header.size(), 80u);
  EXPECT_EQ(display_hex(sha256d(header)), "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
}

TEST(LeadingZeroBits, CountsFromTheFirstByte) {
  Hash256 h{};
  EXPECT_EQ(leading_zero_bits(h), 256);
  h[0] = 0x80;
  EXPECT_EQ(leading_zero_bits(h), 0);
  h[0] = 0x01;
  EXPECT_EQ(leading_zero_bits(h), 7);
  h[0] = 0x00;
  h[1] = 0x10;
  EXPECT_EQ(leading_zero_bits(h), 11);
}

TEST(MerkleRoot, MatchesBitcoinBlock100000) {
  // Block 100,000 of Bitcoin's main chain: four transactions and their Merkle root.
  const std::vector<Hash256> txids = {
      from_display_hex("8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87"),
      from_display_hex("fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4"),
      from_display_hex("6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4"),
      from_display_hex("e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d")};
  EXPECT_EQ(display_hex(merkle_root(txids)), "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766");
}

TEST(MerkleRoot, SingleLeafIsItsOwnRootAndOddLevelsDuplicateTheLast) {
  Hash256 a{}, b{}, c{};
  a[0] = 1;
  b[0] = 2;
  c[0] = 3;
  EXPECT_EQ(merkle_root(std::vector<Hash256>{a}), a);
  EXPECT_EQ(merkle_root(std::vector<Hash256>{a, b}), sha256d_pair(a, b));
  EXPECT_EQ(merkle_root(std::vector<Hash256>{a, b, c}), sha256d_pair(sha256d_pair(a, b), sha256d_pair(c, c)));
  EXPECT_EQ(merkle_root(std::vector<Hash256>{}), Hash256{});
}

TEST(MerkleProof, VerifiesEveryLeafAndRejectsTampering) {
  std::vector<Hash256> leaves(13);
  for (std::size_t i = 0; i < leaves.size(); ++i) leaves[i][5] = static_cast<std::uint8_t>(i + 1);
  const Hash256 root = merkle_root(leaves);
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const MerkleProof proof = merkle_proof(leaves, i);
    EXPECT_TRUE(verify_merkle_proof(leaves[i], proof, root)) << "leaf " << i;
    Hash256 tampered = leaves[i];
    tampered[0] ^= 1;
    EXPECT_FALSE(verify_merkle_proof(tampered, proof, root)) << "leaf " << i;
  }
  EXPECT_THROW(merkle_proof(leaves, leaves.size()), std::out_of_range);
}
