//! Static targets, file, HTTP and DNS service discovery.

use super::{SdContext, opt_port, opt_str, proxy, proxy_of, section};
use crate::model::{DnsRecordType, DnssdConfig, FileSdConfig, HttpsdConfig, StaticConfig};
use crate::render::config::common::{self, Entries, push};
use crate::render::goyaml::Yaml;

/// `static_configs: [{targets, labels}]`; absent labels print as `{}`, as the operator's nil map does.
pub fn static_configs(cfg: &mut Entries, items: Option<&[StaticConfig]>) {
    section(cfg, "static_configs", items, |_, c| {
        let labels = c
            .labels
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Yaml::str(v.as_str())))
            .collect();
        vec![
            ("targets".into(), Yaml::strs(c.targets.iter().cloned())),
            ("labels".into(), Yaml::sorted_map(labels)),
        ]
    });
}

pub fn file_sd_configs(cfg: &mut Entries, items: Option<&[FileSdConfig]>) {
    section(cfg, "file_sd_configs", items, |_, c| {
        let mut m = Entries::new();
        push(&mut m, "files", Yaml::strs(c.files.iter().cloned()));
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        m
    });
}

pub fn http_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[HttpsdConfig]>) {
    section(cfg, "http_sd_configs", items, |_, c| {
        let mut m = Entries::new();
        common::basic_auth(cx.gate, cx.store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(cx.gate, cx.store, &mut m, c.authorization.as_ref());
        common::safe_tls_config(cx.gate, cx.store, &mut m, c.tls_config.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        common::oauth2(cx.gate, cx.store, &mut m, c.oauth2.as_ref());
        push(&mut m, "url", c.url.as_str());
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        super::opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        super::opt_bool(&mut m, "enable_http2", c.enable_http2);
        m
    });
}

/// `dns_sd_configs`; the `NS` record type needs Prometheus 2.49.0 and `MX` 2.38.0.
pub fn dns_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[DnssdConfig]>) {
    section(cfg, "dns_sd_configs", items, |_, c| {
        let mut m = Entries::new();
        push(&mut m, "names", Yaml::strs(c.names.iter().cloned()));
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        if let Some(t) = c.r#type {
            let gate = match t {
                DnsRecordType::Ns => cx.gate.min("2.49.0"),
                DnsRecordType::Mx => cx.gate.min("2.38.0"),
                _ => cx.gate,
            };
            gate.push(&mut m, "type", Yaml::str(t.as_str()));
        }
        opt_port(&mut m, c.port);
        m
    });
}
