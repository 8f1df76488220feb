//! URLs as prometheus/common's `config.URL` reads them with Go's `url.Parse`: the scheme, the
//! host and the parse errors a configuration can meet.

use super::decode::{Decoder, go_quote};
use crate::load::yaml::Node;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Url {
    /// The URL as written.
    pub text: String,
    /// Lower-cased scheme, empty when there is none.
    pub scheme: String,
    /// `host[:port]` of an absolute URL, empty when there is none.
    pub host: String,
}

/// Go's `url.Parse`, reduced to what configuration checks look at.
pub fn parse(text: &str) -> Result<Url, String> {
    let fail = |why: &str| Err(format!("parse {}: {why}", go_quote(text)));
    if text.chars().any(|c| c.is_ascii_control()) {
        return fail("net/url: invalid control character in URL");
    }
    let mut url = Url {
        text: text.to_string(),
        ..Url::default()
    };
    let mut rest = text;
    if let Some(colon) = text.find(':') {
        let candidate = &text[..colon];
        let is_scheme = candidate.chars().enumerate().all(|(i, c)| {
            c.is_ascii_alphabetic() || (i > 0 && (c.is_ascii_digit() || "+-.".contains(c)))
        });
        if colon == 0 {
            return fail("missing protocol scheme");
        }
        if is_scheme {
            url.scheme = candidate.to_ascii_lowercase();
            rest = &text[colon + 1..];
        } else if !candidate.contains('/') && !candidate.contains('?') && !candidate.contains('#') {
            return fail("first path segment in URL cannot contain colon");
        }
    }
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let authority = &after[..end];
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if let Some((_, port)) = host.rsplit_once(':').filter(|_| !host.ends_with(']'))
            && !port.chars().all(|c| c.is_ascii_digit())
        {
            return Err(format!(
                "parse {}: invalid port {} after host",
                go_quote(text),
                go_quote(&format!(":{port}"))
            ));
        }
        url.host = host.to_string();
    }
    Ok(url)
}

/// A `config.URL` field.
pub fn decode(d: &mut Decoder, node: &Node) -> Option<Url> {
    let text = d.string(node)?;
    match parse(&text) {
        Ok(url) => Some(url),
        Err(message) => {
            d.error(node.span, message);
            None
        }
    }
}

/// The check several service discoveries make of their server URL.
pub fn check_http_url(url: &Url) -> Result<(), &'static str> {
    if url.scheme != "http" && url.scheme != "https" {
        return Err("URL scheme must be 'http' or 'https'");
    }
    if url.host.is_empty() {
        return Err("host is missing in URL");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_and_host() {
        let u = parse("https://user:pw@example.com:9090/path?q").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str()),
            ("https", "example.com:9090")
        );
        assert_eq!(parse("/relative").unwrap().scheme, "");
        assert_eq!(
            parse("://x").unwrap_err(),
            "parse \"://x\": missing protocol scheme"
        );
        assert_eq!(
            check_http_url(&parse("ftp://x").unwrap()),
            Err("URL scheme must be 'http' or 'https'")
        );
        assert_eq!(
            check_http_url(&parse("http://").unwrap()),
            Err("host is missing in URL")
        );
    }
}
