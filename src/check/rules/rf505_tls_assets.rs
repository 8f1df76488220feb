//! RF505 `tls-assets`: TLS material in Secrets/ConfigMaps that is not PEM the operator can load.
#![doc = include_str!("docs/RF505.md")]

use super::RuleInfo;
use super::blocks::blocks;
use super::context::{Cx, Out, Target};
use super::support::selector_string;
use crate::diag::Severity;
use crate::select::view::View;
use base64::Engine;

pub const INFO: RuleInfo = RuleInfo {
    code: "RF505",
    name: "tls-assets",
    summary: "A referenced CA is not a PEM certificate, or a client cert/key pair is not PEM",
    doc: include_str!("docs/RF505.md"),
    default_severity: Severity::Error,
};

/// PEM blocks of a text: (type, decoded body); bodies that do not decode are skipped.
pub fn pem_blocks(text: &[u8]) -> Vec<(String, Vec<u8>)> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    let mut rest: &str = &text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(type_end) = after.find("-----") else {
            break;
        };
        let kind = after[..type_end].to_string();
        let body_start = &after[type_end + 5..];
        let end_marker = format!("-----END {kind}-----");
        let Some(end) = body_start.find(&end_marker) else {
            break;
        };
        let body: String = body_start[..end]
            .lines()
            .filter(|l| !l.contains(':'))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
            .collect();
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body) {
            out.push((kind, der));
        }
        rest = &body_start[end + end_marker.len()..];
    }
    out
}

/// A DER SEQUENCE whose length covers exactly the data: the outer shape of a certificate.
fn der_sequence(der: &[u8]) -> bool {
    if der.len() < 2 || der[0] != 0x30 {
        return false;
    }
    let (len, header) = if der[1] < 0x80 {
        (der[1] as usize, 2)
    } else {
        let n = (der[1] & 0x7f) as usize;
        if n == 0 || n > 4 || der.len() < 2 + n {
            return false;
        }
        (
            der[2..2 + n]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | *b as usize),
            2 + n,
        )
    };
    header + len == der.len()
}

/// The operator's objection to a CA bundle.
pub fn check_ca(value: &[u8]) -> Option<String> {
    let blocks = pem_blocks(value);
    let Some((_, der)) = blocks.first() else {
        return Some("failed to decode PEM block".into());
    };
    (!der_sequence(der)).then(|| "failed to parse certificate: x509: malformed certificate".into())
}

/// PEM labels in common use (RFC 7468 and the traditional key formats). Other labels are text of
/// the Secret and are not repeated in messages.
const PEM_LABELS: &[&str] = &[
    "CERTIFICATE",
    "TRUSTED CERTIFICATE",
    "X509 CERTIFICATE",
    "X509 CRL",
    "CERTIFICATE REQUEST",
    "NEW CERTIFICATE REQUEST",
    "ATTRIBUTE CERTIFICATE",
    "PKCS7",
    "CMS",
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
    "EC PARAMETERS",
    "DH PARAMETERS",
];

/// The PEM block types of a message: known labels as they are, others as `<unknown>`.
fn block_types(blocks: &[(String, Vec<u8>)]) -> String {
    blocks
        .iter()
        .map(|(k, _)| {
            if PEM_LABELS.contains(&k.as_str()) {
                k.as_str()
            } else {
                "<unknown>"
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The operator's objection to a client certificate and key.
pub fn check_pair(cert: &[u8], key: &[u8]) -> Option<String> {
    let cert_blocks = pem_blocks(cert);
    if cert_blocks.is_empty() {
        return Some("tls: failed to find any PEM data in certificate input".into());
    }
    if !cert_blocks.iter().any(|(k, _)| k == "CERTIFICATE") {
        return Some(format!(
            "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: [{}]",
            block_types(&cert_blocks)
        ));
    }
    let key_blocks = pem_blocks(key);
    if key_blocks.is_empty() {
        return Some("tls: failed to find any PEM data in key input".into());
    }
    if !key_blocks
        .iter()
        .any(|(k, _)| k == "PRIVATE KEY" || k.ends_with(" PRIVATE KEY"))
    {
        if key_blocks.iter().any(|(k, _)| k == "CERTIFICATE") {
            return Some(
                "tls: found a certificate rather than a key in the PEM for the private key".into(),
            );
        }
        return Some(format!(
            "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: [{}]",
            block_types(&key_blocks)
        ));
    }
    None
}

fn value_of(cx: &Cx<'_>, ns: &str, sel: &View<'_>) -> Option<Vec<u8>> {
    let secret = sel.get("secret");
    let config_map = sel.get("configMap");
    let (data, s) = if secret.is_set() {
        (cx.store.secret(ns, secret.get("name").string()), secret)
    } else if config_map.is_set() {
        (
            cx.store.config_map(ns, config_map.get("name").string()),
            config_map,
        )
    } else {
        return None;
    };
    data?.get(s.get("key").string()).cloned()
}

fn check_tls(cx: &Cx<'_>, ns: &str, tls: &View<'_>, out: &mut Out) {
    if !tls.is_set() {
        return;
    }
    let ca = tls.get("ca");
    if let Some(v) = value_of(cx, ns, &ca).filter(|v| !v.is_empty())
        && let Some(e) = check_ca(&v)
    {
        out.error(
            INFO.code,
            &ca.path(),
            format!("ca {}: {e}", selector_string(&ca)),
        );
    }
    let cert = tls.get("cert");
    let key = tls.get("keySecret");
    let key_value = cx
        .store
        .secret(ns, key.get("name").string())
        .and_then(|d| d.get(key.get("key").string()).cloned());
    if let (Some(c), Some(k)) = (value_of(cx, ns, &cert), key_value)
        && !c.is_empty()
        && !k.is_empty()
        && let Some(e) = check_pair(&c, &k)
    {
        out.error(
            INFO.code,
            &cert.path(),
            format!(
                "cert {}, key <{}/{}>: {e}",
                selector_string(&cert),
                key.get("name").string(),
                key.get("key").string()
            ),
        );
    }
}

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    let ns = &t.meta.namespace;
    for block in blocks(t) {
        if block.tls {
            check_tls(cx, ns, &block.view.get("tlsConfig"), out);
        }
        if block.oauth2 {
            check_tls(cx, ns, &block.view.at("oauth2.tlsConfig"), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_checks() {
        assert_eq!(
            check_ca(b"not pem").as_deref(),
            Some("failed to decode PEM block")
        );
        let bad = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(
            check_ca(bad)
                .unwrap()
                .contains("failed to parse certificate")
        );
        // A minimal well-formed DER SEQUENCE of length 1.
        let ok = b"-----BEGIN CERTIFICATE-----\nMAEA\n-----END CERTIFICATE-----\n";
        assert_eq!(check_ca(ok), None);
        let key = b"-----BEGIN EC PRIVATE KEY-----\nMAEA\n-----END EC PRIVATE KEY-----\n";
        assert_eq!(check_pair(ok, key), None);
        assert!(
            check_pair(ok, ok)
                .unwrap()
                .contains("certificate rather than a key")
        );
    }

    #[test]
    fn block_types_of_the_secret_are_not_echoed() {
        let key = b"-----BEGIN PUBLIC KEY-----\nMAEA\n-----END PUBLIC KEY-----\n-----BEGIN hunter2-----\nMAEA\n-----END hunter2-----\n";
        let ok = b"-----BEGIN CERTIFICATE-----\nMAEA\n-----END CERTIFICATE-----\n";
        let message = check_pair(ok, key).unwrap();
        assert!(message.ends_with("types: [PUBLIC KEY <unknown>]"), "{message}");
        let message = check_pair(key, ok).unwrap();
        assert!(!message.contains("hunter2"), "{message}");
    }
}
