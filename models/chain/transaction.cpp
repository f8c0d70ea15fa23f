#include "models/chain/transaction.h"

#include "models/chain/serialization.h"

namespace cbsim::models::chain {

crypto::Hash256 compute_txid(TxIndex index, std::uint32_t origin, std::uint32_t size_bytes, double fee_rate,
                             double created_s) {
  ByteWriter w;
  w.u32(index);
  w.u32(origin);
  w.u32(size_bytes);
  w.f64(fee_rate);
  w.f64(created_s);
  return crypto::sha256d(w.bytes());
}

}  // namespace cbsim::models::chain
