#include "cluster/transport/link_certificates.h"


#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "cluster/transport/link_tls.h"

namespace tessera::cluster::transport {

namespace {

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct FileClose {
  void operator()(FILE* file) const { std::fclose(file); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;
using File = std::unique_ptr<FILE, FileClose>;

[[noreturn]] void Fail(const std::string& what) { throw std::runtime_error("cannot " + what); }

File Open(const std::string& path, const char* mode, mode_t permissions) {
  File file(std::fopen(path.c_str(), mode));
  if (!file) Fail("open " + path);
  ::chmod(path.c_str(), permissions);
  return file;
}

Key NewKey() {
  Key key(EVP_EC_gen("P-256"));
  if (!key) Fail("generate an EC P-256 key");
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension == nullptr || X509_add_ext(cert, extension, -1) != 1) Fail("add X.509 extension " + value);
  X509_EXTENSION_free(extension);
}

// A random 127-bit serial, as RFC 5280 asks: no two certificates of one CA
// may share one, and a CA made again must not repeat the old one's.
void SetSerial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) Fail("draw a serial number");
  bytes[0] &= 0x7f;
  BIGNUM* number = BN_bin2bn(bytes, sizeof bytes, nullptr);
  if (number == nullptr || BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert)) == nullptr) {
    Fail("set a serial number");
  }
  BN_free(number);
}

Cert NewCertificate(EVP_PKEY* key, const std::string& common_name, long valid_days) {
  Cert cert(X509_new());
  if (!cert) Fail("allocate a certificate");
  X509_set_version(cert.get(), 2);  // v3
  SetSerial(cert.get());
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60);  // an hour of clock skew between hosts
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), valid_days * 24 * 60 * 60);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("Tessera cluster"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  return cert;
}

void Sign(X509* cert, EVP_PKEY* issuer_key) {
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) Fail("sign a certificate");
}

void WriteKey(const std::string& path, EVP_PKEY* key) {
  File file = Open(path, "w", 0600);
  if (PEM_write_PrivateKey(file.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) Fail("write " + path);
}

void WriteCert(const std::string& path, X509* cert) {
  File file = Open(path, "w", 0644);
  if (PEM_write_X509(file.get(), cert) != 1) Fail("write " + path);
}

Key ReadKey(const std::string& path) {
  File file = Open(path, "r", 0600);
  Key key(PEM_read_PrivateKey(file.get(), nullptr, nullptr, nullptr));
  if (!key) Fail("read the private key " + path);
  return key;
}

Cert ReadCert(const std::string& path) {
  File file(std::fopen(path.c_str(), "r"));
  if (!file) Fail("open " + path);
  Cert cert(PEM_read_X509(file.get(), nullptr, nullptr, nullptr));
  if (!cert) Fail("read the certificate " + path);
  return cert;
}

std::string SubjectAltNames(const std::vector<std::string>& hosts) {
  std::string names;
  for (const std::string& host : hosts) {
    names += (names.empty() ? "" : ",") + std::string(IsIpAddress(host) ? "IP:" : "DNS:") + host;
  }
  return names;
}

}  // namespace

IssuedCertificate IssueLinkCertificate(const std::string& dir, const std::string& name,
                                       const std::vector<std::string>& hosts) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) Fail("create " + dir + ": " + ec.message());
  IssuedCertificate issued{dir + "/ca.crt", dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  const std::string ca_key_file = dir + "/ca.key";
  if (name == "ca") throw std::runtime_error("--name ca would overwrite the CA");

  Key ca_key;
  Cert ca_cert;
  if (fs::exists(issued.ca_file) && fs::exists(ca_key_file)) {
    ca_key = ReadKey(ca_key_file);
    ca_cert = ReadCert(issued.ca_file);
  } else {
    ca_key = NewKey();
    ca_cert = NewCertificate(ca_key.get(), "Tessera cluster CA", 3650);
    X509_set_issuer_name(ca_cert.get(), X509_get_subject_name(ca_cert.get()));
    AddExtension(ca_cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    AddExtension(ca_cert.get(), ca_cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    AddExtension(ca_cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash");
    Sign(ca_cert.get(), ca_key.get());
    WriteKey(ca_key_file, ca_key.get());
    WriteCert(issued.ca_file, ca_cert.get());
    issued.created_ca = true;
  }

  const std::vector<std::string> names =
      hosts.empty() ? std::vector<std::string>{"127.0.0.1", "::1", "localhost"} : hosts;
  Key key = NewKey();
  Cert cert = NewCertificate(key.get(), name, 1825);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
  AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  // Each process both serves (storage nodes) and calls (everyone).
  AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth,clientAuth");
  AddExtension(cert.get(), ca_cert.get(), NID_subject_alt_name, SubjectAltNames(names));
  AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  Sign(cert.get(), ca_key.get());
  WriteKey(issued.key_file, key.get());
  WriteCert(issued.cert_file, cert.get());
  return issued;
}

}  // namespace tessera::cluster::transport
