//! TLS for [`crate::serve`]: rustls (on aws-lc-rs), ALPN `h2` then `http/1.1`.
//!
//! Browsers speak HTTP/2 only over TLS, and HTTP/2 is what lifts their limit of six HTTP/1.1
//! connections per origin: every `EventSource` of every tab shares one connection.
//!
//! ```no_run
//! # fn demo() -> Result<(), sse_server::tls::TlsError> {
//! // From PEM files (a chain, then its key) ...
//! let config = sse_server::tls::from_pem_files("cert.pem".as_ref(), "key.pem".as_ref())?;
//! // ... or a certificate made now, for local use.
//! let local = sse_server::tls::self_signed(&["localhost", "127.0.0.1", "::1"])?;
//! println!("SHA-256 fingerprint {}", local.fingerprint);
//! let server = sse_server::Config::default()
//!     .with_conn(sse_server::conn::ConnConfig::default().with_tls(local.config));
//! # let _ = (config, server);
//! # Ok(())
//! # }
//! ```

use std::path::Path;
use std::sync::Arc;

#[cfg(feature = "self-signed")]
use base64::Engine as _;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// Why a TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM file could not be read or holds no usable item.
    #[error("reading {what} from {path}: {reason}")]
    Pem {
        /// `certificate` or `private key`.
        what: &'static str,
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// rustls refused the certificate or key (for example a key that does not match).
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
    /// The self-signed certificate could not be made.
    #[cfg(feature = "self-signed")]
    #[error("making a self-signed certificate: {0}")]
    Generate(#[from] rcgen::Error),
}

/// A server configuration offering HTTP/2 and HTTP/1.1 by ALPN.
pub fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<ServerConfig>, TlsError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A server configuration from a PEM certificate chain and a PEM private key (PKCS#8, PKCS#1 or
/// SEC1).
pub fn from_pem_files(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, TlsError> {
    let pem_error = |what, path: &Path, reason: String| TlsError::Pem {
        what,
        path: path.display().to_string(),
        reason,
    };
    let chain = CertificateDer::pem_file_iter(cert)
        .map_err(|e| pem_error("certificate", cert, e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem_error("certificate", cert, e.to_string()))?;
    if chain.is_empty() {
        return Err(pem_error(
            "certificate",
            cert,
            "no CERTIFICATE block".into(),
        ));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| pem_error("private key", key, e.to_string()))?;
    server_config(chain, key)
}

/// A certificate made at start-up, and how a client can trust it.
#[cfg(feature = "self-signed")]
#[derive(Debug)]
pub struct SelfSigned {
    /// The server configuration using it.
    pub config: Arc<ServerConfig>,
    /// The certificate, PEM, for a client's trust store (`sse listen --ca-file`, `curl --cacert`).
    pub cert_pem: String,
    /// SHA-256 of the certificate (DER), as colon-separated hex: what browsers show.
    pub fingerprint: String,
    /// Base64 SHA-256 of the public key (SPKI), for Chromium's
    /// `--ignore-certificate-errors-spki-list`.
    pub spki_sha256: String,
}

/// Makes a self-signed certificate for `names` (DNS names or IP addresses). Feature
/// `self-signed` (on by default).
#[cfg(feature = "self-signed")]
pub fn self_signed(names: &[&str]) -> Result<SelfSigned, TlsError> {
    use rcgen::PublicKeyData as _;
    use rustls_pki_types::PrivatePkcs8KeyDer;
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let rcgen::CertifiedKey { cert, signing_key } = rcgen::generate_simple_self_signed(names)?;
    let der = cert.der().clone();
    let fingerprint = sha256(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    let spki_sha256 = base64::engine::general_purpose::STANDARD
        .encode(sha256(&signing_key.subject_public_key_info()));
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(signing_key.serialize_der()));
    Ok(SelfSigned {
        config: server_config(vec![der], key)?,
        cert_pem: cert.pem(),
        fingerprint,
        spki_sha256,
    })
}

#[cfg(feature = "self-signed")]
fn sha256(bytes: &[u8]) -> Vec<u8> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes)
        .as_ref()
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "self-signed")]
    fn self_signed_offers_h2_then_http1() {
        let local = self_signed(&["localhost", "127.0.0.1"]).unwrap();
        assert_eq!(
            local.config.alpn_protocols,
            [b"h2".to_vec(), b"http/1.1".to_vec()]
        );
        assert!(local.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert_eq!(local.fingerprint.len(), 32 * 3 - 1, "{}", local.fingerprint);
        assert_eq!(local.spki_sha256.len(), 44);
    }

    #[test]
    fn missing_or_empty_pem_files_are_clear_errors() {
        let dir = std::env::temp_dir().join(format!("sse-tls-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "").unwrap();
        let error = from_pem_files(&empty, &empty).unwrap_err().to_string();
        assert!(
            error.contains("certificate") && error.contains("empty.pem"),
            "{error}"
        );
        let missing = from_pem_files(&dir.join("nope.pem"), &empty)
            .unwrap_err()
            .to_string();
        assert!(missing.contains("nope.pem"), "{missing}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
