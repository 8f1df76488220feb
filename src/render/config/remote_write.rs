//! `remote_write`: one entry per `spec.remoteWrite[i]`, after the operator's checks on each entry.

use super::Context;
use super::common::*;
use crate::model::RemoteWriteSpec;
use crate::render::goyaml::Yaml;

fn is_uuid(s: &str) -> bool {
    let hex = |p: &str| p.chars().all(|c| c.is_ascii_hexdigit());
    let s = s.strip_prefix("urn:uuid:").unwrap_or(s);
    let s = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s);
    match s.len() {
        32 => hex(s),
        36 => {
            let parts: Vec<&str> = s.split('-').collect();
            parts.len() == 5
                && [8, 4, 4, 4, 12]
                    .iter()
                    .zip(&parts)
                    .all(|(n, p)| p.len() == *n && hex(p))
        }
        _ => false,
    }
}

/// The operator's checks of one remote-write entry.
fn validate(ctx: &Context, rw: &RemoteWriteSpec) -> Result<(), String> {
    let set: Vec<&str> = [
        ("basicAuth", rw.basic_auth.is_some()),
        ("oauth2", rw.oauth2.is_some()),
        ("authorization", rw.authorization.is_some()),
        ("sigv4", rw.sigv4.is_some()),
        ("azureAd", rw.azure_ad.is_some()),
    ]
    .into_iter()
    .filter(|(_, on)| *on)
    .map(|(n, _)| n)
    .collect();
    if set.len() > 1 {
        let quoted: Vec<String> = set.iter().map(|n| format!("{n:?}")).collect();
        return Err(format!(
            "{} can't be set at the same time, at most one of them must be defined",
            quoted.join(" and ")
        ));
    }
    let vg = ctx.vg();
    if let Some(az) = &rw.azure_ad {
        let (mi, oa, sdk, wi) = (
            az.managed_identity.is_some(),
            az.oauth.is_some(),
            az.sdk.is_some(),
            az.workload_identity.is_some(),
        );
        if !(mi || oa || sdk || wi) {
            return Err("must provide Azure Managed Identity, Azure OAuth, Azure SDK, or Azure Workload Identity in the Azure AD config".into());
        }
        for (a, an, b, bn) in [
            (mi, "Managed Identity", oa, "OAuth"),
            (oa, "OAuth", sdk, "SDK"),
            (mi, "Managed Identity", sdk, "SDK"),
            (mi, "Managed Identity", wi, "Workload Identity"),
            (oa, "OAuth", wi, "Workload Identity"),
            (sdk, "SDK", wi, "Workload Identity"),
        ] {
            if a && b {
                return Err(format!(
                    "cannot provide both Azure {an} and Azure {bn} in the Azure AD config"
                ));
            }
        }
        if let Some(m) = &az.managed_identity
            && !vg.at_least("3.5.0")
            && m.client_id.as_deref().unwrap_or("").is_empty()
        {
            return Err(
                "azureAd.managedIdentity.clientId is required with Prometheus < 3.5.0".into(),
            );
        }
        if let Some(o) = &az.oauth {
            if !vg.at_least("2.48.0") {
                return Err("azureAD.oauth requires Prometheus >= v2.48.0".into());
            }
            if !is_uuid(&o.client_id) {
                return Err("the provided Azure OAuth clientId is invalid".into());
            }
        }
        if sdk && !vg.at_least("2.52.0") {
            return Err("azureAD.sdk requires Prometheus >= v2.52.0".into());
        }
        if let Some(w) = &az.workload_identity {
            if !vg.at_least("3.7.0") {
                return Err("azureAD.workloadIdentity requires Prometheus >= v3.7.0".into());
            }
            if !is_uuid(&w.client_id) {
                return Err("the provided Azure Workload Identity clientId is invalid".into());
            }
            if !is_uuid(&w.tenant_id) {
                return Err("the provided Azure Workload Identity tenantId is invalid".into());
            }
        }
    }
    if rw.proxy_connect_header.is_some()
        && rw.proxy_url.is_none()
        && rw.proxy_from_environment != Some(true)
    {
        return Err("if proxyConnectHeader is configured, proxyUrl or proxyFromEnvironment must also be configured".into());
    }
    if rw.proxy_from_environment == Some(true) && (rw.proxy_url.is_some() || rw.no_proxy.is_some())
    {
        return Err(
            "if proxyFromEnvironment is configured, proxyUrl and noProxy must not be configured"
                .into(),
        );
    }
    if rw.no_proxy.is_some() && rw.proxy_url.is_none() {
        return Err("if noProxy is configured, proxyUrl must also be configured".into());
    }
    Ok(())
}

/// The `remote_write` list; an error names the index of the entry the operator refuses.
pub fn remote_write(
    ctx: &Context,
    namespace: &str,
    rws: &[RemoteWriteSpec],
) -> Result<Yaml, (usize, String)> {
    let vg = ctx.vg();
    let store = ctx.store(namespace);
    let mut out = Vec::new();
    for (i, rw) in rws.iter().enumerate() {
        validate(ctx, rw).map_err(|e| (i, e))?;
        let mut c = Entries::new();
        push(&mut c, "url", rw.url.as_str());
        if let Some(t) = &rw.remote_timeout {
            push(&mut c, "remote_timeout", t.as_str());
        }
        if let Some(h) = rw.headers.as_ref().filter(|h| !h.is_empty()) {
            let entries = h
                .iter()
                .map(|(k, v)| (k.clone(), Yaml::str(v.as_str())))
                .collect();
            vg.min("2.15.0")
                .push(&mut c, "headers", Yaml::sorted_map(entries));
        }
        if let Some(n) = rw.name.as_ref().filter(|n| !n.is_empty()) {
            vg.min("2.15.0").push(&mut c, "name", Yaml::str(n.as_str()));
        }
        if let Some(mv) = rw.message_version {
            let msg = match mv.as_str() {
                "V2.0" => "io.prometheus.write.v2.Request",
                _ => "prometheus.WriteRequest",
            };
            vg.min("2.54.0")
                .push(&mut c, "protobuf_message", Yaml::str(msg));
        }
        if let Some(v) = rw.send_exemplars {
            vg.min("2.27.0")
                .push(&mut c, "send_exemplars", Yaml::Bool(v));
        }
        if let Some(v) = rw.send_native_histograms {
            vg.min("2.40.0")
                .push(&mut c, "send_native_histograms", Yaml::Bool(v));
        }
        if let Some(r) = rw.write_relabel_configs.as_ref().filter(|r| !r.is_empty()) {
            push(
                &mut c,
                "write_relabel_configs",
                Yaml::Seq(relabel_configs(r)),
            );
        }
        basic_auth(vg, store, &mut c, rw.basic_auth.as_ref());
        if let Some(t) = rw.bearer_token.as_ref().filter(|t| !t.is_empty()) {
            push(&mut c, "bearer_token", ctx.options.secret(t));
        }
        if let Some(f) = rw.bearer_token_file.as_ref().filter(|f| !f.is_empty()) {
            push(&mut c, "bearer_token_file", f.as_str());
        }
        oauth2(vg, store, &mut c, rw.oauth2.as_ref());
        tls_config(vg, store, &mut c, rw.tls_config.as_ref());
        authorization(vg, store, &mut c, rw.authorization.as_ref());
        proxy(
            vg,
            store,
            &mut c,
            Proxy::new(
                &rw.proxy_url,
                &rw.no_proxy,
                rw.proxy_from_environment,
                &rw.proxy_connect_header,
            ),
        );
        if vg.at_least("2.26.0") {
            sigv4(vg, store, &mut c, rw.sigv4.as_ref());
        }
        if let Some(az) = &rw.azure_ad {
            let mut a = Entries::new();
            if let Some(mi) = &az.managed_identity {
                let mut m = Entries::new();
                if let Some(id) = mi.client_id.as_ref().filter(|i| !i.is_empty()) {
                    push(&mut m, "client_id", id.as_str());
                }
                push(&mut a, "managed_identity", Yaml::Map(m));
            }
            if let Some(o) = &az.oauth
                && let Ok(secret) = store.secret(&o.client_secret)
            {
                vg.min("2.48.0").push(
                    &mut a,
                    "oauth",
                    Yaml::Map(vec![
                        ("client_id".into(), Yaml::str(o.client_id.as_str())),
                        ("client_secret".into(), Yaml::Str(secret)),
                        ("tenant_id".into(), Yaml::str(o.tenant_id.as_str())),
                    ]),
                );
            }
            if let Some(sdk) = &az.sdk {
                vg.min("2.52.0").push(
                    &mut a,
                    "sdk",
                    Yaml::Map(vec![(
                        "tenant_id".into(),
                        Yaml::Str(sdk.tenant_id.clone().unwrap_or_default()),
                    )]),
                );
            }
            if let Some(w) = &az.workload_identity {
                vg.min("3.7.0").push(
                    &mut a,
                    "workload_identity",
                    Yaml::Map(vec![
                        ("client_id".into(), Yaml::str(w.client_id.as_str())),
                        ("tenant_id".into(), Yaml::str(w.tenant_id.as_str())),
                    ]),
                );
            }
            if let Some(cloud) = &az.cloud {
                push(&mut a, "cloud", cloud.as_str());
            }
            if let Some(scope) = az.scope.as_ref().filter(|s| !s.is_empty()) {
                vg.min("3.9.0")
                    .push(&mut a, "scope", Yaml::str(scope.as_str()));
            }
            vg.min("2.45.0").push(&mut c, "azuread", Yaml::Map(a));
        }
        if let Some(v) = rw.follow_redirects {
            vg.min("2.26.0")
                .push(&mut c, "follow_redirects", Yaml::Bool(v));
        }
        if let Some(v) = rw.enable_http2 {
            vg.min("2.35.0").push(&mut c, "enable_http2", Yaml::Bool(v));
        }
        if let Some(q) = &rw.queue_config {
            let mut m = Entries::new();
            let nz = |v: Option<i64>| v.filter(|n| *n != 0);
            if let Some(v) = nz(q.capacity) {
                push(&mut m, "capacity", v);
            }
            if let Some(v) = nz(q.min_shards) {
                vg.min("2.6.0").push(&mut m, "min_shards", Yaml::Int(v));
            }
            if let Some(v) = nz(q.max_shards) {
                push(&mut m, "max_shards", v);
            }
            if let Some(v) = nz(q.max_samples_per_send) {
                push(&mut m, "max_samples_per_send", v);
            }
            if let Some(v) = &q.batch_send_deadline {
                push(&mut m, "batch_send_deadline", v.as_str());
            }
            if let Some(v) = nz(q.max_retries) {
                vg.max("2.11.0").push(&mut m, "max_retries", Yaml::Int(v));
            }
            if let Some(v) = &q.min_backoff {
                push(&mut m, "min_backoff", v.as_str());
            }
            if let Some(v) = &q.max_backoff {
                push(&mut m, "max_backoff", v.as_str());
            }
            if q.retry_on_rate_limit == Some(true) {
                vg.min("2.26.0")
                    .push(&mut m, "retry_on_http_429", Yaml::Bool(true));
            }
            if let Some(v) = &q.sample_age_limit {
                vg.min("2.50.0")
                    .push(&mut m, "sample_age_limit", Yaml::str(v.as_str()));
            }
            push(&mut c, "queue_config", Yaml::Map(m));
        }
        if let Some(md) = &rw.metadata_config {
            let mut m = Entries::new();
            let send = if rw.message_version.map(|m| m.as_str()) == Some("V2.0") {
                false
            } else {
                md.send.unwrap_or(false)
            };
            push(&mut m, "send", send);
            if let Some(v) = md.send_interval.as_ref().filter(|v| !v.is_empty()) {
                push(&mut m, "send_interval", v.as_str());
            }
            if let Some(v) = md.max_samples_per_send {
                vg.min("2.29.0")
                    .push(&mut m, "max_samples_per_send", Yaml::Int(v.into()));
            }
            vg.min("2.23.0")
                .push(&mut c, "metadata_config", Yaml::Map(m));
        }
        if let Some(v) = rw.round_robin_dns {
            vg.min("3.1.0")
                .push(&mut c, "round_robin_dns", Yaml::Bool(v));
        }
        out.push(Yaml::Map(c));
    }
    Ok(Yaml::Seq(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("00000000-a12b-3cd4-e56f-000000000000"));
        assert!(!is_uuid("not-a-uuid"));
    }
}
