//! Kubernetes service discovery as the user writes it in a ScrapeConfig (unlike the monitors, whose
//! Kubernetes SD the operator derives itself).

use super::{SdContext, opt_bool, proxy, proxy_of, section};
use crate::model::{KubernetesRole, KubernetesSdConfig};
use crate::render::config::common::{self, Entries, push};
use crate::render::goyaml::Yaml;

pub fn kubernetes_sd_configs(
    cx: &SdContext,
    cfg: &mut Entries,
    items: Option<&[KubernetesSdConfig]>,
) {
    section(cfg, "kubernetes_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        if let Some(api) = &c.api_server {
            push(&mut m, "api_server", api.as_str());
        }
        let role = Yaml::Str(c.role.as_str().to_lowercase());
        match c.role {
            KubernetesRole::EndpointSlice => gate.min("2.21.0").push(&mut m, "role", role),
            _ => gate.push(&mut m, "role", role),
        }
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        if let Some(ns) = &c.namespaces {
            let mut n = Entries::new();
            push(
                &mut n,
                "names",
                Yaml::strs(ns.names.iter().flatten().cloned()),
            );
            opt_bool(&mut n, "own_namespace", ns.own_namespace);
            push(&mut m, "namespaces", Yaml::Map(n));
        }
        if let Some(selectors) = c.selectors.as_ref().filter(|s| !s.is_empty()) {
            let list = selectors
                .iter()
                .map(|s| {
                    let mut e = Entries::new();
                    push(&mut e, "role", s.role.as_str().to_lowercase());
                    super::opt_str(&mut e, "label", &s.label);
                    super::opt_str(&mut e, "field", &s.field);
                    Yaml::Map(e)
                })
                .collect();
            gate.min("2.17.0")
                .push(&mut m, "selectors", Yaml::Seq(list));
        }
        if let Some(am) = &c.attach_metadata {
            // An unset `node` prints as null: the operator encodes the struct itself.
            let node = am.node.map_or(Yaml::Null, Yaml::Bool);
            let value = Yaml::Map(vec![("node".into(), node)]);
            match c.role {
                KubernetesRole::Pod => gate.min("2.35.0").push(&mut m, "attach_metadata", value),
                KubernetesRole::Endpoints | KubernetesRole::EndpointSlice => {
                    gate.min("2.37.0").push(&mut m, "attach_metadata", value)
                }
                // Prometheus only attaches metadata for these roles; the operator drops it otherwise.
                _ => {}
            }
        }
        m
    });
}
