// Certificates for the cluster's mutual TLS (link_tls.h), made by
// `tessera ctl certs`: a self-signed cluster CA, and certificates it signs
// for gateways, storage nodes and ctl. For test clusters and small
// deployments; an organisation with its own CA can issue the same files
// (any X.509 certificate with the holder's addresses as subjectAltNames).
#pragma once

#include <string>
#include <vector>

namespace tessera::cluster::transport {

struct IssuedCertificate {
  std::string ca_file, cert_file, key_file;
  bool created_ca = false;  // false: an existing <dir>/ca.crt and ca.key signed it
};

// Creates `dir` if needed, then <dir>/ca.crt and ca.key (EC P-256, valid 10
// years) unless both exist, then <dir>/<name>.crt and <name>.key signed by
// the CA, valid 5 years, for both TLS server and client use, naming `hosts`
// (IP addresses become IP subjectAltNames, anything else DNS ones). Keys are
// written mode 0600. Throws std::runtime_error on failure.
IssuedCertificate IssueLinkCertificate(const std::string& dir, const std::string& name,
                                       const std::vector<std::string>& hosts);

}  // namespace tessera::cluster::transport
