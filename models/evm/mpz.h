#pragma once
// A GMP integer that frees itself (the EVM's arbitrary-precision arithmetic:
// modexp, the blob base fee). Only .cpp files include it: no models/ header
// exposes GMP.

#include <gmp.h>

namespace cbsim::models::evm {

struct Mpz {
  mpz_t v;
  Mpz() { mpz_init(v); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

}  // namespace cbsim::models::evm
