//! Service discovery of orchestration and service-mesh platforms: Kuma, Eureka, Docker, Docker Swarm,
//! Nomad and PuppetDB.

use super::{SdContext, filters, opt_bool, opt_port, opt_str, proxy, proxy_of, section};
use crate::model::{
    DockerSdConfig, DockerSwarmSdConfig, EurekaSdConfig, KumaSdConfig, NomadSdConfig,
    PuppetDbsdConfig,
};
use crate::render::config::common::{self, Entries, push};
use crate::render::goyaml::Yaml;

pub fn kuma_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[KumaSdConfig]>) {
    section(cfg, "kuma_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        push(&mut m, "server", c.server.as_str());
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_str(&mut m, "fetch_timeout", &c.fetch_timeout);
        opt_str(&mut m, "client_id", &c.client_id);
        m
    });
}

pub fn eureka_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[EurekaSdConfig]>) {
    section(cfg, "eureka_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        if !c.server.is_empty() {
            push(&mut m, "server", c.server.as_str());
        }
        m
    });
}

/// `docker_sd_configs`; `match_first_network` needs Prometheus 2.54.1.
pub fn docker_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[DockerSdConfig]>) {
    section(cfg, "docker_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        filters(gate, &mut m, &c.filters);
        push(&mut m, "host", c.host.as_str());
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        opt_port(&mut m, c.port);
        opt_str(&mut m, "host_networking_host", &c.host_networking_host);
        if let Some(v) = c.match_first_network {
            gate.min("2.54.1")
                .push(&mut m, "match_first_network", Yaml::Bool(v));
        }
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        m
    });
}

pub fn nomad_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[NomadSdConfig]>) {
    section(cfg, "nomad_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        push(&mut m, "server", c.server.as_str());
        opt_bool(&mut m, "allow_stale", c.allow_stale);
        opt_str(&mut m, "namespace", &c.namespace);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_str(&mut m, "region", &c.region);
        opt_str(&mut m, "tag_separator", &c.tag_separator);
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        m
    });
}

pub fn dockerswarm_sd_configs(
    cx: &SdContext,
    cfg: &mut Entries,
    items: Option<&[DockerSwarmSdConfig]>,
) {
    section(cfg, "dockerswarm_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        filters(gate, &mut m, &c.filters);
        push(&mut m, "host", c.host.as_str());
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        push(&mut m, "role", c.role.to_lowercase());
        opt_port(&mut m, c.port);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        m
    });
}

pub fn puppetdb_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[PuppetDbsdConfig]>) {
    section(cfg, "puppetdb_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        push(&mut m, "url", c.url.as_str());
        push(&mut m, "query", c.query.as_str());
        opt_bool(&mut m, "include_parameters", c.include_parameters);
        opt_port(&mut m, c.port);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        m
    });
}
