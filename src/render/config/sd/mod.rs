//! The service-discovery sections of a `ScrapeConfig` job (`static_configs`, `file_sd_configs`,
//! `http_sd_configs`, `kubernetes_sd_configs`, `consul_sd_configs`, … `ionos_sd_configs`), appended in
//! the operator's order. Each kind keeps the operator's own key order, which differs from kind to kind.

mod cloud;
mod consul;
mod kubernetes;
mod platform;
mod simple;

use super::common::{self, Entries, Gen, Proxy, Store};
use crate::diag::{Diagnostic, Layer, ObjectRef};
use crate::fieldpath::FieldPath;
use crate::model::{Filter, ScrapeConfigSpec};
use crate::render::goyaml::Yaml;
use k8s_openapi::api::core::v1 as core;

/// What every SD renderer needs: the version gate, the namespace's Secrets/ConfigMaps, and the job
/// (for error messages).
pub struct SdContext<'a> {
    pub gate: Gen<'a>,
    pub store: Store<'a>,
    pub job_name: &'a str,
    pub object: &'a ObjectRef,
}

impl SdContext<'_> {
    /// A Secret value the operator cannot do without: a missing one fails the whole config with
    /// `<message prefix> <secret name> <what> <job>: <cause>`.
    fn required_secret(
        &self,
        sel: &core::SecretKeySelector,
        verb: &str,
        what: &str,
        path: FieldPath,
    ) -> Result<String, Box<Diagnostic>> {
        self.store.secret(sel).map_err(|cause| {
            let message = format!(
                "failed to {verb} {} {what} {}: {cause}",
                sel.name, self.job_name
            );
            Box::new(
                Diagnostic::error(Layer::Operator, "render/scrapeconfig-secret", message)
                    .with_object(self.object.clone())
                    .with_path(path),
            )
        })
    }
}

/// Appends every SD section the spec sets, each only when its list is non-empty.
pub fn append_all(
    cx: &SdContext,
    spec: &ScrapeConfigSpec,
    cfg: &mut Entries,
) -> Result<(), Box<Diagnostic>> {
    simple::static_configs(cfg, spec.static_configs.as_deref());
    simple::file_sd_configs(cfg, spec.file_sd_configs.as_deref());
    simple::http_sd_configs(cx, cfg, spec.http_sd_configs.as_deref());
    kubernetes::kubernetes_sd_configs(cx, cfg, spec.kubernetes_sd_configs.as_deref());
    consul::consul_sd_configs(cx, cfg, spec.consul_sd_configs.as_deref())?;
    simple::dns_sd_configs(cx, cfg, spec.dns_sd_configs.as_deref());
    cloud::ec2_sd_configs(cx, cfg, spec.ec2_sd_configs.as_deref())?;
    cloud::azure_sd_configs(cx, cfg, spec.azure_sd_configs.as_deref())?;
    cloud::gce_sd_configs(cfg, spec.gce_sd_configs.as_deref());
    cloud::openstack_sd_configs(cx, cfg, spec.openstack_sd_configs.as_deref())?;
    cloud::digitalocean_sd_configs(cx, cfg, spec.digital_ocean_sd_configs.as_deref());
    platform::kuma_sd_configs(cx, cfg, spec.kuma_sd_configs.as_deref());
    platform::eureka_sd_configs(cx, cfg, spec.eureka_sd_configs.as_deref());
    platform::docker_sd_configs(cx, cfg, spec.docker_sd_configs.as_deref());
    cloud::linode_sd_configs(cx, cfg, spec.linode_sd_configs.as_deref());
    cloud::hetzner_sd_configs(cx, cfg, spec.hetzner_sd_configs.as_deref());
    platform::nomad_sd_configs(cx, cfg, spec.nomad_sd_configs.as_deref());
    platform::dockerswarm_sd_configs(cx, cfg, spec.docker_swarm_sd_configs.as_deref());
    platform::puppetdb_sd_configs(cx, cfg, spec.puppet_dbsd_configs.as_deref());
    cloud::lightsail_sd_configs(cx, cfg, spec.light_sail_sd_configs.as_deref())?;
    cloud::ovhcloud_sd_configs(cx, cfg, spec.ovhcloud_sd_configs.as_deref());
    cloud::scaleway_sd_configs(cx, cfg, spec.scaleway_sd_configs.as_deref());
    cloud::ionos_sd_configs(cx, cfg, spec.ionos_sd_configs.as_deref());
    Ok(())
}

/// Renders each entry of a non-empty SD list and appends the list under `key`.
fn section<T>(
    cfg: &mut Entries,
    key: &'static str,
    items: Option<&[T]>,
    mut each: impl FnMut(usize, &T) -> Entries,
) {
    let Some(items) = items.filter(|i| !i.is_empty()) else {
        return;
    };
    let list = items
        .iter()
        .enumerate()
        .map(|(i, item)| Yaml::Map(each(i, item)))
        .collect();
    common::push(cfg, key, Yaml::Seq(list));
}

/// The fallible form of [`section`].
fn try_section<T>(
    cfg: &mut Entries,
    key: &'static str,
    items: Option<&[T]>,
    mut each: impl FnMut(usize, &T) -> Result<Entries, Box<Diagnostic>>,
) -> Result<(), Box<Diagnostic>> {
    let Some(items) = items.filter(|i| !i.is_empty()) else {
        return Ok(());
    };
    let mut list = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        list.push(Yaml::Map(each(i, item)?));
    }
    common::push(cfg, key, Yaml::Seq(list));
    Ok(())
}

/// `key: value` when the value is set.
fn opt_str(m: &mut Entries, key: &'static str, value: &Option<String>) {
    if let Some(v) = value {
        common::push(m, key, v.as_str());
    }
}

fn opt_bool(m: &mut Entries, key: &'static str, value: Option<bool>) {
    if let Some(v) = value {
        common::push(m, key, v);
    }
}

fn opt_port(m: &mut Entries, value: Option<i32>) {
    if let Some(p) = value {
        common::push(m, "port", i64::from(p));
    }
}

/// `key: [..]` when the list is non-empty.
fn non_empty_list(m: &mut Entries, key: &'static str, value: &Option<Vec<String>>) {
    if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
        common::push(m, key, Yaml::strs(v.iter().cloned()));
    }
}

/// `filters: [{name, values}]`, sorted by name (stable), when there are any.
fn filters(gate: Gen, m: &mut Entries, filters: &Option<Vec<Filter>>) {
    let Some(list) = filters.as_ref().filter(|f| !f.is_empty()) else {
        return;
    };
    let mut sorted: Vec<&Filter> = list.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let items = sorted
        .into_iter()
        .map(|f| {
            Yaml::Map(vec![
                ("name".into(), Yaml::str(f.name.as_str())),
                ("values".into(), Yaml::strs(f.values.iter().cloned())),
            ])
        })
        .collect();
    gate.push(m, "filters", Yaml::Seq(items));
}

/// The proxy settings embedded in an SD config.
macro_rules! proxy_of {
    ($c:expr) => {
        common::Proxy::new(
            &$c.proxy_url,
            &$c.no_proxy,
            $c.proxy_from_environment,
            &$c.proxy_connect_header,
        )
    };
}
use proxy_of;

/// Proxy keys of an SD config.
fn proxy(cx: &SdContext, m: &mut Entries, p: Proxy) {
    common::proxy(cx.gate, cx.store, m, p);
}

/// The field path of entry `i` of an SD list, for diagnostics.
fn entry_path(list: &str, i: usize) -> FieldPath {
    FieldPath::root().key("spec").key(list).index(i)
}
