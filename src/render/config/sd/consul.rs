//! Consul service discovery.

use super::{
    SdContext, entry_path, non_empty_list, opt_bool, opt_str, proxy, proxy_of, try_section,
};
use crate::diag::Diagnostic;
use crate::model::ConsulSdConfig;
use crate::render::config::common::{self, Entries, push};
use crate::render::goyaml::Yaml;

/// `consul_sd_configs`; an unreadable `tokenRef` fails the config.
pub fn consul_sd_configs(
    cx: &SdContext,
    cfg: &mut Entries,
    items: Option<&[ConsulSdConfig]>,
) -> Result<(), Box<Diagnostic>> {
    try_section(cfg, "consul_sd_configs", items, |i, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        push(&mut m, "server", c.server.as_str());
        opt_str(&mut m, "path_prefix", &c.path_prefix);
        if let Some(token) = &c.token_ref {
            let path = entry_path("consulSDConfigs", i).key("tokenRef");
            let value = cx.required_secret(token, "read", "secret", path)?;
            push(&mut m, "token", value);
        }
        opt_str(&mut m, "datacenter", &c.datacenter);
        opt_str(&mut m, "namespace", &c.namespace);
        opt_str(&mut m, "partition", &c.partition);
        if let Some(scheme) = c.scheme {
            push(&mut m, "scheme", scheme.as_str().to_lowercase());
        }
        non_empty_list(&mut m, "services", &c.services);
        non_empty_list(&mut m, "tags", &c.tags);
        opt_str(&mut m, "tag_separator", &c.tag_separator);
        if let Some(meta) = c.node_meta.as_ref().filter(|n| !n.is_empty()) {
            let entries = meta
                .iter()
                .map(|(k, v)| (k.clone(), Yaml::str(v.as_str())))
                .collect();
            push(&mut m, "node_meta", Yaml::sorted_map(entries));
        }
        opt_str(&mut m, "filter", &c.filter);
        opt_str(&mut m, "health_filter", &c.health_filter);
        opt_bool(&mut m, "allow_stale", c.allow_stale);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        Ok(m)
    })
}
