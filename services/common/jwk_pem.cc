#include "services/common/jwk_pem.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"

namespace vagt::services {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using Bignum = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ParamBuilder =
    std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;

// The bytes of a base64url member; INVALID_ARGUMENT naming it when it is
// missing or not base64url.
absl::StatusOr<std::string> MemberBytes(absl::string_view value,
                                        absl::string_view member) {
  std::string bytes;
  if (value.empty() || !absl::WebSafeBase64Unescape(value, &bytes) ||
      bytes.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK member '", member, "' is missing or not base64url"));
  }
  return bytes;
}

absl::Status OpenSslRefused(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("OpenSSL refuses the JWK as ", what));
}

// A public key of `type` ("RSA", "EC") built from `params`, as PEM.
absl::StatusOr<std::string> PublicKeyPem(const char* type,
                                         const OSSL_PARAM* params,
                                         absl::string_view what) {
  KeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* made = nullptr;
  if (context == nullptr || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &made, EVP_PKEY_PUBLIC_KEY,
                        const_cast<OSSL_PARAM*>(params)) != 1) {
    return OpenSslRefused(what);
  }
  Key key(made);
  KeyContext check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (check == nullptr || EVP_PKEY_public_check(check.get()) != 1) {
    return OpenSslRefused(what);
  }
  Bio out(BIO_new(BIO_s_mem()));
  if (out == nullptr || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) {
    return absl::InternalError("OpenSSL cannot write a PEM public key");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  if (size <= 0 || data == nullptr) {
    return absl::InternalError("OpenSSL cannot write a PEM public key");
  }
  return std::string(data, static_cast<size_t>(size));
}

Bignum ToBignum(const std::string& bytes) {
  return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr));
}

// The size of a coordinate of `crv`, in bytes; 0 for a curve not supported.
size_t CoordinateBytes(absl::string_view crv) {
  if (crv == "P-256") return 32;
  if (crv == "P-384") return 48;
  if (crv == "P-521") return 66;
  return 0;
}

}  // namespace

absl::StatusOr<std::string> RsaPublicKeyPem(absl::string_view n,
                                            absl::string_view e) {
  ASSIGN_OR_RETURN(const std::string n_bytes, MemberBytes(n, "n"));
  ASSIGN_OR_RETURN(const std::string e_bytes, MemberBytes(e, "e"));
  Bignum modulus = ToBignum(n_bytes);
  Bignum exponent = ToBignum(e_bytes);
  if (modulus == nullptr || exponent == nullptr) {
    return absl::ResourceExhaustedError("OpenSSL is out of memory");
  }
  if (BN_num_bits(modulus.get()) < kMinRsaBits) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK RSA key has ", BN_num_bits(modulus.get()),
                     " bits; at least ", kMinRsaBits, " are required"));
  }
  ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N,
                             modulus.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E,
                             exponent.get()) != 1) {
    return absl::ResourceExhaustedError("OpenSSL is out of memory");
  }
  Params params(OSSL_PARAM_BLD_to_param(builder.get()));
  if (params == nullptr) {
    return absl::ResourceExhaustedError("OpenSSL is out of memory");
  }
  return PublicKeyPem("RSA", params.get(), "an RSA public key");
}

absl::StatusOr<std::string> EcPublicKeyPem(absl::string_view crv,
                                           absl::string_view x,
                                           absl::string_view y) {
  const size_t size = CoordinateBytes(crv);
  if (size == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "JWK curve '", crv, "' is not one of P-256, P-384, P-521"));
  }
  ASSIGN_OR_RETURN(const std::string x_bytes, MemberBytes(x, "x"));
  ASSIGN_OR_RETURN(const std::string y_bytes, MemberBytes(y, "y"));
  if (x_bytes.size() != size || y_bytes.size() != size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "JWK coordinates of a ", crv, " key must have ", size, " bytes each"));
  }
  // An uncompressed point (SEC 1, section 2.3.3).
  const std::string point = absl::StrCat("\x04", x_bytes, y_bytes);
  const std::string group(crv);
  ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                      group.c_str(), 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                       point.data(), point.size()) != 1) {
    return absl::ResourceExhaustedError("OpenSSL is out of memory");
  }
  Params params(OSSL_PARAM_BLD_to_param(builder.get()));
  if (params == nullptr) {
    return absl::ResourceExhaustedError("OpenSSL is out of memory");
  }
  return PublicKeyPem("EC", params.get(), absl::StrCat("a ", crv, " point"));
}

}  // namespace vagt::services
