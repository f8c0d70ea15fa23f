// Fuzz target: bytes -> the RLP decoder and the Merkle Patricia Trie.
// 1. The whole input is decoded as one RLP item; what decodes must encode back
//    to exactly the input (the decoder accepts canonical RLP only).
// 2. The same input, read as a list of operations (an operation byte, a key
//    and a value of up to kMaxPiece bytes each; an empty value or an even
//    operation byte erases), is applied to a Trie and to a std::map. Every key
//    must read back as the map says, and the root must equal the root of a
//    fresh trie given the map's entries in the opposite order (the root
//    depends on the contents only).
// A finding: a crash, hang, leak or undefined behaviour, an exception other
// than RlpError from the decoder, any exception from the trie, or a broken
// property above.

#include <exception>
#include <map>
#include <string>

#include "models/evm/rlp.h"
#include "models/evm/trie.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
namespace ev = cbsim::models::evm;

// Short keys collide and share prefixes often (splits, merges, branch values);
// 40 bytes still reach keys longer than a secure trie's 32.
constexpr std::size_t kMaxPiece = 40;

void check_rlp_round_trip(std::span<const std::uint8_t> input) {
  ev::RlpItem item;
  try {
    item = ev::rlp_decode(input);
  } catch (const ev::RlpError&) {
    return;
  }
  if (ev::rlp_encode(item) != ev::Bytes(input.begin(), input.end()))
    cbsim::fuzz::finding("decoded RLP does not encode back to its input");
}

ev::BytesView as_bytes(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

void check_trie(cbsim::fuzz::InputReader in) {
  ev::Trie trie;
  // Keys as strings: GCC 12 warns falsely (-Wstringop-overread) on comparing
  // std::vector<uint8_t> keys with <=>.
  std::map<std::string, ev::Bytes> model;
  while (!in.empty()) {
    const bool erase = in.byte() % 2 == 0;
    const auto key_piece = in.piece(kMaxPiece);
    const auto value_piece = in.piece(kMaxPiece);
    const std::string key = cbsim::fuzz::as_text(key_piece);
    if (erase || value_piece.empty()) {
      trie.erase(key_piece);
      model.erase(key);
    } else {
      trie.put(key_piece, value_piece);
      model[key] = ev::Bytes(value_piece.begin(), value_piece.end());
    }
    const auto read = trie.get(key_piece);
    const auto expected = model.find(key);
    if (expected == model.end() ? read.has_value() : read != expected->second)
      cbsim::fuzz::finding("a key does not read back what was just written or erased");
  }
  for (const auto& [key, value] : model) {
    if (trie.get(as_bytes(key)) != value) cbsim::fuzz::finding("a key lost its value after later operations");
  }
  if (trie.empty() != model.empty()) cbsim::fuzz::finding("Trie::empty() disagrees with the entries");
  ev::Trie rebuilt;
  for (auto it = model.rbegin(); it != model.rend(); ++it) rebuilt.put(as_bytes(it->first), it->second);
  if (trie.root_hash() != rebuilt.root_hash())
    cbsim::fuzz::finding("the root depends on the order of operations, not only on the contents");
  if (model.empty() && trie.root_hash() != ev::kEmptyTrieRoot) cbsim::fuzz::finding("an empty trie's root is wrong");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    check_rlp_round_trip({data, size});
    check_trie(cbsim::fuzz::InputReader(data, size));
  } catch (const std::exception& e) {
    cbsim::fuzz::finding("unexpected exception", e.what());
  }
  return 0;
}
