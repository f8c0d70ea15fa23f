// Published vectors only; each names its source. go-ethereum's vectors are the
// JSON files under core/vm/testdata/precompiles/ (ecRecover.json,
// modexp_eip2565.json, blake2F.json) that its core/vm/contracts_test.go runs.
#include <gtest/gtest.h>

#include <string>

#include "models/evm/precompiles.h"

using namespace cbsim::models::evm;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes from_hex(const std::string& hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string to_hex(const Bytes& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0xf]);
  }
  return out;
}

Bytes ascii(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::array<std::uint8_t, 20> precompile(std::uint8_t n) {
  std::array<std::uint8_t, 20> a{};
  a[19] = n;
  return a;
}

PrecompileResult run(std::uint8_t n, const Bytes& input, std::uint64_t gas) {
  return run_precompile(precompile(n), input, gas);
}

void expect_out_of_gas(std::uint8_t n, const Bytes& input, std::uint64_t gas) {
  const auto r = run(n, input, gas);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.gas_used, gas);
  EXPECT_TRUE(r.output.empty());
}

constexpr std::uint64_t kPlenty = 10'000'000;

// go-ethereum ecRecover.json, "ValidKey".
const std::string kEcrecoverValid =
    "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
    "000000000000000000000000000000000000000000000000000000000000001c"
    "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
    "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549";

// EIP-198, example 1: 3^(2^256 - 2^32 - 978) mod (2^256 - 2^32 - 977), also
// go-ethereum modexp_eip2565.json "eip_example1" (gas 1360).
const std::string kModexpExample1 =
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000020"
    "0000000000000000000000000000000000000000000000000000000000000020"
    "03"
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";

// EIP-152 test vector 5 (12 rounds of BLAKE2b compressing "abc"), also
// go-ethereum blake2F.json "vector 5".
const std::string kBlake2fVector5 =
    "0000000c"  // rounds = 12
    "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
    "d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b"  // h
    "61626300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"  // m ("abc")
    "03000000000000000000000000000000"  // t = 3
    "01";  // final block

}  // namespace

TEST(PrecompileAddresses, CancunHasOneToTen) {
  EXPECT_FALSE(is_precompile(precompile(0x00)));
  for (std::uint8_t n = 0x01; n <= 0x0a; ++n) EXPECT_TRUE(is_precompile(precompile(n))) << int(n);
  EXPECT_FALSE(is_precompile(precompile(0x0b)));
  auto high = precompile(0x01);
  high[0] = 1;
  EXPECT_FALSE(is_precompile(high));
  const auto r = run_precompile(high, {}, 500);
  EXPECT_FALSE(r.success);
  EXPECT_EQ(r.gas_used, 500u);
}

TEST(PrecompileEcrecover, RecoversTheSignersAddress) {
  // go-ethereum ecRecover.json "ValidKey".
  const auto r = run(0x01, from_hex(kEcrecoverValid), kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 3000u);
  EXPECT_EQ(to_hex(r.output), "000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b");
}

TEST(PrecompileEcrecover, UnrecoverableKeySucceedsWithEmptyOutput) {
  // go-ethereum ecRecover.json "CallEcrecoverUnrecoverableKey".
  const auto r = run(0x01,
                     from_hex("a8b53bdf3306a35a7103ab5504a0c9b492295564b6202b1942a84ef300107281"
                              "000000000000000000000000000000000000000000000000000000000000001b"
                              "3078356531653033663533636531386237373263636230303933666637316633"
                              "6635336635633735623734646362333161383561613862383839326234653862"
                              "1122334455667788991011121314151617181920212223242526272829303132"),
                     kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 3000u);
  EXPECT_TRUE(r.output.empty());
}

TEST(PrecompileEcrecover, VWithHighBitsSucceedsWithEmptyOutput) {
  // go-ethereum ecRecover.json "InvalidHighV-bits-1": v = 0x10..01c, not 28.
  auto input = from_hex(kEcrecoverValid);
  input[32] = 0x10;
  const auto r = run(0x01, input, kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 3000u);
  EXPECT_TRUE(r.output.empty());
}

TEST(PrecompileEcrecover, OutOfGasConsumesAll) { expect_out_of_gas(0x01, from_hex(kEcrecoverValid), 2999); }

TEST(PrecompileSha256, HashesFips180Vectors) {
  // FIPS 180-2: SHA-256 of "" and of "abc"; gas 60 + 12 per word.
  auto r = run(0x02, {}, kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 60u);
  EXPECT_EQ(to_hex(r.output), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  r = run(0x02, ascii("abc"), kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 72u);
  EXPECT_EQ(to_hex(r.output), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(PrecompileSha256, OutOfGasConsumesAll) { expect_out_of_gas(0x02, ascii("abc"), 71); }

TEST(PrecompileRipemd160, HashesPublishedVectorsLeftPadded) {
  // Dobbertin, Bosselaers and Preneel, "RIPEMD-160: a strengthened version of
  // RIPEMD", test vectors for "" and "abc"; gas 600 + 120 per word.
  auto r = run(0x03, {}, kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 600u);
  EXPECT_EQ(to_hex(r.output), "0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31");
  r = run(0x03, ascii("abc"), kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 720u);
  EXPECT_EQ(to_hex(r.output), "0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
}

TEST(PrecompileRipemd160, OutOfGasConsumesAll) { expect_out_of_gas(0x03, ascii("abc"), 719); }

TEST(PrecompileIdentity, CopiesInputAtFifteenPlusThreePerWord) {
  auto r = run(0x04, {}, kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 15u);
  EXPECT_TRUE(r.output.empty());
  const Bytes input(33, 0xab);  // two words
  r = run(0x04, input, kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 21u);
  EXPECT_EQ(r.output, input);
  expect_out_of_gas(0x04, input, 20);
}

TEST(PrecompileModexp, Eip198ExampleOneIsOne) {
  const auto r = run(0x05, from_hex(kModexpExample1), kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 1360u);
  EXPECT_EQ(to_hex(r.output), "0000000000000000000000000000000000000000000000000000000000000001");
}

TEST(PrecompileModexp, Eip198ExampleTwoZeroBaseIsZero) {
  // EIP-198 example 2 (base length 0), go-ethereum "eip_example2" (gas 1360).
  const auto r = run(0x05,
                     from_hex("0000000000000000000000000000000000000000000000000000000000000000"
                              "0000000000000000000000000000000000000000000000000000000000000020"
                              "0000000000000000000000000000000000000000000000000000000000000020"
                              "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
                              "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"),
                     kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 1360u);
  EXPECT_EQ(to_hex(r.output), "0000000000000000000000000000000000000000000000000000000000000000");
}

TEST(PrecompileModexp, ZeroModulusGivesZerosOfModulusLength) {
  // EIP-198: "if the modulus is zero the result is zero". Example 1 with its
  // modulus zeroed: same lengths and exponent, so the same EIP-2565 gas.
  auto input = from_hex(kModexpExample1);
  std::fill(input.end() - 32, input.end(), 0);
  const auto r = run(0x05, input, kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 1360u);
  EXPECT_EQ(r.output, Bytes(32, 0));
}

TEST(PrecompileModexp, NagydaniPow0x10001) {
  // go-ethereum modexp_eip2565.json "nagydani-1-pow0x10001" (gas 341).
  const auto r = run(
      0x05,
      from_hex("000000000000000000000000000000000000000000000000000000000000004000000000000000000000000000000000000000000000"
               "000000000000000000030000000000000000000000000000000000000000000000000000000000000040e09ad9675465c53a109fac66"
               "a445c91b292d2bb2c5268addb30cd82f80fcb0033ff97c80a5fc6f39193ae969c6ede6710a6b7ac27078a06d90ef1c72e5c85fb50100"
               "01fc9e1f6beb81516545975218075ec2af118cd8798df6e08a147c60fd6095ac2bb02c2908cf4dd7c81f11c289e4bce98f3553768f39"
               "2a80ce22bf5c4f4a248c6b"),
      kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 341u);
  EXPECT_EQ(to_hex(r.output),
            "c36d804180c35d4426b57b50c5bfcca5c01856d104564cd513b461d3c8b8409128a5573e416d0ebe38f5f736766d9dc27143e4da981d"
            "fa4d67f7dc474cbee6d2");
}

TEST(PrecompileModexp, EmptyBaseAndModulusCostsTheMinimum) {
  // execution-specs (Cancun) modexp: zero base and modulus lengths return
  // nothing, after charging the EIP-2565 minimum of 200.
  const auto r = run(0x05, {}, kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 200u);
  EXPECT_TRUE(r.output.empty());
  expect_out_of_gas(0x05, {}, 199);
}

TEST(PrecompileModexp, OutOfGasConsumesAll) { expect_out_of_gas(0x05, from_hex(kModexpExample1), 1359); }

TEST(PrecompileModexp, HugeDeclaredLengthsFailBeforeAllocating) {
  // Declared lengths of 2^255 and 2^32 bytes: the gas they imply exceeds any
  // call's, so the call fails out of gas instead of allocating them.
  Bytes huge_modulus(96, 0);
  huge_modulus[64] = 0x80;
  expect_out_of_gas(0x05, huge_modulus, kPlenty);
  Bytes huge_base(96, 0);
  huge_base[27] = 0x01;
  expect_out_of_gas(0x05, huge_base, kPlenty);
  Bytes huge_exponent(96, 0);
  huge_exponent[32] = 0x01;
  huge_exponent[95] = 0x01;
  expect_out_of_gas(0x05, huge_exponent, std::numeric_limits<std::uint64_t>::max());
}

TEST(PrecompileModexp, PaidForLengthsTheInputLacksAreNotMaterialised) {
  // A 2^32-byte base the input does not hold, with the gas EIP-2565 asks for
  // it: ceil(2^32 / 8)^2 / 3. The call succeeds (modulus length 0, so an empty
  // result) without building a 4 GiB zero number.
  Bytes input(96, 0);
  input[27] = 0x01;
  const std::uint64_t cost = (std::uint64_t{1} << 58) / 3;
  const auto r = run(0x05, input, cost);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, cost);
  EXPECT_TRUE(r.output.empty());
  expect_out_of_gas(0x05, input, cost - 1);
}

TEST(PrecompileBlake2f, Eip152VectorFiveIsTwelveRoundsOfAbc) {
  const auto r = run(0x09, from_hex(kBlake2fVector5), kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 12u);
  EXPECT_EQ(to_hex(r.output),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1"
            "925ab92386edd4009923");
}

TEST(PrecompileBlake2f, Eip152VectorSixIsNotFinal) {
  // EIP-152 test vector 6: vector 5 with the final-block flag cleared.
  const auto r = run(0x09, from_hex(kBlake2fVector5.substr(0, 424) + "00"), kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 12u);
  EXPECT_EQ(to_hex(r.output),
            "75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3"
            "d666a610c2116fde4735");
}

TEST(PrecompileBlake2f, Eip152VectorFourZeroRoundsCostsNothing) {
  const auto r = run(0x09, from_hex("00000000" + kBlake2fVector5.substr(8)), kPlenty);
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.gas_used, 0u);
  EXPECT_EQ(to_hex(r.output),
            "08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b9442be0454267c"
            "e079217e1319cde05b");
}

TEST(PrecompileBlake2f, Eip152InvalidInputsFailConsumingAllGas) {
  // EIP-152 test vectors 0-3: empty input, 212 and 214 bytes, final flag 2.
  expect_out_of_gas(0x09, {}, kPlenty);
  expect_out_of_gas(0x09, from_hex(kBlake2fVector5.substr(2)), kPlenty);
  expect_out_of_gas(0x09, from_hex("00" + kBlake2fVector5), kPlenty);
  expect_out_of_gas(0x09, from_hex(kBlake2fVector5.substr(0, 424) + "02"), kPlenty);
}

TEST(PrecompileBlake2f, OutOfGasConsumesAll) { expect_out_of_gas(0x09, from_hex(kBlake2fVector5), 11); }

TEST(PrecompileNotImplemented, Bn254AndPointEvaluationFailConsumingAllGas) {
  for (std::uint8_t n : {0x06, 0x07, 0x08, 0x0a}) {
    const auto r = run(n, Bytes(192, 0), kPlenty);
    EXPECT_FALSE(r.success) << int(n);
    EXPECT_EQ(r.gas_used, kPlenty) << int(n);
  }
}
