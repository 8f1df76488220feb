//! Small naming and path helpers the operator uses when it builds workloads: DNS-1123 volume names
//! (with the xxhash64 suffix of unique names), Go's `path.Clean`, and URL path escaping.

/// A lower-case DNS-1123 label built from `prefix-name`, truncated to 63 characters, as the
/// operator names the volumes of `spec.secrets` and `spec.configMaps`.
pub fn dns1123_label(prefix: &str, name: &str) -> Result<String, String> {
    let mut label = sanitized_label(prefix, name);
    label.truncate(63);
    validate_dns1123_label(&label)?;
    Ok(label)
}

/// Like [`dns1123_label`], but truncated to 54 characters and suffixed with `-` and the first 8 hex
/// digits of the xxhash64 of the raw name, so that long names stay distinct.
pub fn unique_dns1123_label(prefix: &str, name: &str) -> Result<String, String> {
    let hash = format!("{:x}", xxhash64(name.as_bytes(), 0));
    let suffix: String = hash.chars().take(8).collect();
    let mut label = sanitized_label(prefix, name);
    label.truncate(54);
    label.push('-');
    label.push_str(&suffix);
    validate_dns1123_label(&label)?;
    Ok(label)
}

fn sanitized_label(prefix: &str, name: &str) -> String {
    let joined = if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{}-{}", prefix.trim_end_matches('-'), name)
    };
    let lower = joined.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut in_run = false;
    for c in lower.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    out.trim_matches('-').to_string()
}

/// The API server's DNS-1123 label rule, with its error texts.
fn validate_dns1123_label(label: &str) -> Result<(), String> {
    let mut errors = Vec::new();
    if label.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    let bytes = label.as_bytes();
    let valid = !bytes.is_empty()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric();
    if !valid {
        errors.push(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must \
             start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for \
             validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                .to_string(),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join(","))
    }
}

/// XXH64 of `data` (the hash behind the operator's unique volume names).
pub fn xxhash64(data: &[u8], seed: u64) -> u64 {
    const P1: u64 = 0x9E37_79B1_85EB_CA87;
    const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    const P3: u64 = 0x1656_67B1_9E37_79F9;
    const P4: u64 = 0x85EB_CA77_C2B2_AE63;
    const P5: u64 = 0x27D4_EB2F_1656_67C5;

    fn round(acc: u64, input: u64) -> u64 {
        acc.wrapping_add(input.wrapping_mul(P2))
            .rotate_left(31)
            .wrapping_mul(P1)
    }
    fn merge(acc: u64, val: u64) -> u64 {
        (acc ^ round(0, val)).wrapping_mul(P1).wrapping_add(P4)
    }
    let read64 = |b: &[u8]| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    let read32 = |b: &[u8]| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));

    let len = data.len();
    let mut rest = data;
    let mut h: u64;
    if len >= 32 {
        let mut v1 = seed.wrapping_add(P1).wrapping_add(P2);
        let mut v2 = seed.wrapping_add(P2);
        let mut v3 = seed;
        let mut v4 = seed.wrapping_sub(P1);
        while rest.len() >= 32 {
            v1 = round(v1, read64(&rest[0..]));
            v2 = round(v2, read64(&rest[8..]));
            v3 = round(v3, read64(&rest[16..]));
            v4 = round(v4, read64(&rest[24..]));
            rest = &rest[32..];
        }
        h = v1
            .rotate_left(1)
            .wrapping_add(v2.rotate_left(7))
            .wrapping_add(v3.rotate_left(12))
            .wrapping_add(v4.rotate_left(18));
        h = merge(h, v1);
        h = merge(h, v2);
        h = merge(h, v3);
        h = merge(h, v4);
    } else {
        h = seed.wrapping_add(P5);
    }
    h = h.wrapping_add(len as u64);
    while rest.len() >= 8 {
        h ^= round(0, read64(rest));
        h = h.rotate_left(27).wrapping_mul(P1).wrapping_add(P4);
        rest = &rest[8..];
    }
    if rest.len() >= 4 {
        h ^= read32(rest).wrapping_mul(P1);
        h = h.rotate_left(23).wrapping_mul(P2).wrapping_add(P3);
        rest = &rest[4..];
    }
    for &b in rest {
        h ^= u64::from(b).wrapping_mul(P5);
        h = h.rotate_left(11).wrapping_mul(P1);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^= h >> 32;
    h
}

/// Go's `path.Clean`: the shortest equivalent slash-separated path.
pub fn clean_path(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `scheme://host` followed by `path` escaped as Go's `url.URL.String` escapes a path.
pub fn url_string(scheme: &str, host: &str, path: &str) -> String {
    let mut out = format!("{scheme}://{host}");
    if !path.is_empty() && !path.starts_with('/') {
        out.push('/');
    }
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxhash64_known_values() {
        assert_eq!(xxhash64(b"", 0), 0xEF46_DB37_51D8_E999);
        assert_eq!(xxhash64(b"a", 0), 0xD24E_C4F1_A98C_6E5B);
        assert_eq!(xxhash64(b"abc", 0), 0x44BC_2CF5_AD77_0999);
        assert_eq!(
            xxhash64(b"Nobody inspects the spammish repetition", 0),
            0xFBCE_A83C_8A37_8BF1
        );
    }

    #[test]
    fn volume_names() {
        assert_eq!(
            dns1123_label("secret", "My_Secret.v1").unwrap(),
            "secret-my-secret-v1"
        );
        assert_eq!(dns1123_label("configmap", "a").unwrap(), "configmap-a");
        let long = "x".repeat(80);
        assert_eq!(dns1123_label("secret", &long).unwrap().len(), 63);
        let unique = unique_dns1123_label("web-config-tls-secret-key-", "some-secret").unwrap();
        assert!(
            unique.starts_with("web-config-tls-secret-key-some-secret-"),
            "{unique}"
        );
        assert_eq!(
            unique.len(),
            "web-config-tls-secret-key-some-secret-".len() + 8
        );
    }

    #[test]
    fn clean_and_urls() {
        assert_eq!(clean_path("//-/reload"), "/-/reload");
        assert_eq!(clean_path("/prom/../-/ready"), "/-/ready");
        assert_eq!(clean_path("/prom/-/ready"), "/prom/-/ready");
        assert_eq!(clean_path("prom/-/ready"), "prom/-/ready");
        assert_eq!(
            url_string("http", "localhost:9090", "/-/reload"),
            "http://localhost:9090/-/reload"
        );
        assert_eq!(url_string("http", "h:1", "a b"), "http://h:1/a%20b");
    }
}
