//! Cloud-provider service discovery: EC2, Azure, GCE, OpenStack, DigitalOcean, Linode, Hetzner,
//! Lightsail, OVHcloud, Scaleway and IONOS.

use super::{
    SdContext, entry_path, filters, non_empty_list, opt_bool, opt_port, opt_str, proxy, proxy_of,
    section, try_section,
};
use crate::diag::Diagnostic;
use crate::model::{
    AzureSdConfig, DigitalOceanSdConfig, Ec2SdConfig, GcesdConfig, HetznerSdConfig, IonosSdConfig,
    LightSailSdConfig, LinodeSdConfig, OpenStackSdConfig, OvhCloudSdConfig, OvhService,
    ScalewaySdConfig,
};
use crate::render::config::common::{self, Entries, push};
use crate::render::goyaml::Yaml;

/// `ec2_sd_configs`; the HTTP client keys need Prometheus 2.41.0. Unreadable keys fail the config.
pub fn ec2_sd_configs(
    cx: &SdContext,
    cfg: &mut Entries,
    items: Option<&[Ec2SdConfig]>,
) -> Result<(), Box<Diagnostic>> {
    try_section(cfg, "ec2_sd_configs", items, |i, c| {
        let mut m = Entries::new();
        proxy(cx, &mut m, proxy_of!(c));
        opt_str(&mut m, "region", &c.region);
        if let (Some(ak), Some(sk)) = (&c.access_key, &c.secret_key) {
            let path = entry_path("ec2SDConfigs", i);
            let access = cx.required_secret(ak, "get", "access key", path.key("accessKey"))?;
            push(&mut m, "access_key", access);
            let secret = cx.required_secret(sk, "get", "access key", path.key("secretKey"))?;
            push(&mut m, "secret_key", secret);
        }
        opt_str(&mut m, "role_arn", &c.role_arn);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_port(&mut m, c.port);
        filters(cx.gate.min("2.3.0"), &mut m, &c.filters);
        let http = cx.gate.min("2.41.0");
        if let Some(v) = c.follow_redirects {
            http.push(&mut m, "follow_redirects", Yaml::Bool(v));
        }
        if let Some(v) = c.enable_http2 {
            http.push(&mut m, "enable_http2", Yaml::Bool(v));
        }
        common::safe_tls_config(http, cx.store, &mut m, c.tls_config.as_ref());
        Ok(m)
    })
}

/// `azure_sd_configs`. As in the operator, setting `environment` discards the HTTP client keys written
/// before it, and TLS / redirect / HTTP2 settings are not written at all.
pub fn azure_sd_configs(
    cx: &SdContext,
    cfg: &mut Entries,
    items: Option<&[AzureSdConfig]>,
) -> Result<(), Box<Diagnostic>> {
    try_section(cfg, "azure_sd_configs", items, |i, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        if let Some(env) = &c.environment {
            m = vec![("environment".into(), Yaml::str(env.as_str()))];
        }
        if let Some(method) = c.authentication_method {
            push(&mut m, "authentication_method", method.as_str());
        }
        if !c.subscription_id.is_empty() {
            push(&mut m, "subscription_id", c.subscription_id.as_str());
        }
        opt_str(&mut m, "tenant_id", &c.tenant_id);
        opt_str(&mut m, "client_id", &c.client_id);
        if let Some(sel) = &c.client_secret {
            let path = entry_path("azureSDConfigs", i).key("clientSecret");
            let value = cx.required_secret(sel, "get", "client secret", path)?;
            push(&mut m, "client_secret", value);
        }
        opt_str(&mut m, "resource_group", &c.resource_group);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_port(&mut m, c.port);
        Ok(m)
    })
}

pub fn gce_sd_configs(cfg: &mut Entries, items: Option<&[GcesdConfig]>) {
    section(cfg, "gce_sd_configs", items, |_, c| {
        let mut m = Entries::new();
        push(&mut m, "project", c.project.as_str());
        push(&mut m, "zone", c.zone.as_str());
        opt_str(&mut m, "filter", &c.filter);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_port(&mut m, c.port);
        opt_str(&mut m, "tag_separator", &c.tag_separator);
        m
    });
}

/// `openstack_sd_configs`; an unreadable password or application credential secret fails the config.
pub fn openstack_sd_configs(
    cx: &SdContext,
    cfg: &mut Entries,
    items: Option<&[OpenStackSdConfig]>,
) -> Result<(), Box<Diagnostic>> {
    try_section(cfg, "openstack_sd_configs", items, |i, c| {
        let mut m = Entries::new();
        push(&mut m, "role", c.role.as_str().to_lowercase());
        push(&mut m, "region", c.region.as_str());
        opt_str(&mut m, "identity_endpoint", &c.identity_endpoint);
        opt_str(&mut m, "username", &c.username);
        opt_str(&mut m, "userid", &c.userid);
        let path = entry_path("openstackSDConfigs", i);
        if let Some(sel) = &c.password {
            let value = cx.required_secret(sel, "read", "secret", path.key("password"))?;
            push(&mut m, "password", value);
        }
        opt_str(&mut m, "domain_name", &c.domain_name);
        opt_str(&mut m, "domain_id", &c.domain_id);
        opt_str(&mut m, "project_name", &c.project_name);
        opt_str(&mut m, "project_id", &c.project_id);
        opt_str(
            &mut m,
            "application_credential_name",
            &c.application_credential_name,
        );
        opt_str(
            &mut m,
            "application_credential_id",
            &c.application_credential_id,
        );
        if let Some(sel) = &c.application_credential_secret {
            let value = cx.required_secret(
                sel,
                "read",
                "secret",
                path.key("applicationCredentialSecret"),
            )?;
            push(&mut m, "application_credential_secret", value);
        }
        opt_bool(&mut m, "all_tenants", c.all_tenants);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_port(&mut m, c.port);
        opt_str(&mut m, "availability", &c.availability);
        common::safe_tls_config(cx.gate, cx.store, &mut m, c.tls_config.as_ref());
        Ok(m)
    })
}

pub fn digitalocean_sd_configs(
    cx: &SdContext,
    cfg: &mut Entries,
    items: Option<&[DigitalOceanSdConfig]>,
) {
    section(cfg, "digitalocean_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        opt_port(&mut m, c.port);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        m
    });
}

pub fn linode_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[LinodeSdConfig]>) {
    section(cfg, "linode_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        opt_port(&mut m, c.port);
        opt_str(&mut m, "region", &c.region);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        opt_str(&mut m, "tag_separator", &c.tag_separator);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        m
    });
}

/// `hetzner_sd_configs`; `label_selector` needs Prometheus 3.5.0.
pub fn hetzner_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[HetznerSdConfig]>) {
    section(cfg, "hetzner_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        push(&mut m, "role", c.role.to_lowercase());
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        opt_port(&mut m, c.port);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        if let Some(sel) = c.label_selector.as_ref().filter(|s| !s.is_empty()) {
            gate.min("3.5.0")
                .push(&mut m, "label_selector", Yaml::str(sel.as_str()));
        }
        m
    });
}

/// `lightsail_sd_configs`; unreadable keys fail the config.
pub fn lightsail_sd_configs(
    cx: &SdContext,
    cfg: &mut Entries,
    items: Option<&[LightSailSdConfig]>,
) -> Result<(), Box<Diagnostic>> {
    try_section(cfg, "lightsail_sd_configs", items, |i, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        common::basic_auth(gate, store, &mut m, c.basic_auth.as_ref());
        common::safe_authorization(gate, store, &mut m, c.authorization.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        opt_str(&mut m, "region", &c.region);
        opt_str(&mut m, "endpoint", &c.endpoint);
        opt_port(&mut m, c.port);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        if let (Some(ak), Some(sk)) = (&c.access_key, &c.secret_key) {
            let path = entry_path("lightSailSDConfigs", i);
            let access = cx.required_secret(ak, "get", "access key", path.key("accessKey"))?;
            push(&mut m, "access_key", access);
            let secret = cx.required_secret(sk, "get", "access key", path.key("secretKey"))?;
            push(&mut m, "secret_key", secret);
        }
        opt_str(&mut m, "role_arn", &c.role_arn);
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        Ok(m)
    })
}

/// `ovhcloud_sd_configs`; an unreadable secret becomes an empty string, as in the operator.
pub fn ovhcloud_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[OvhCloudSdConfig]>) {
    section(cfg, "ovhcloud_sd_configs", items, |_, c| {
        let mut m = Entries::new();
        push(&mut m, "application_key", c.application_key.as_str());
        push(
            &mut m,
            "application_secret",
            cx.store.secret(&c.application_secret).unwrap_or_default(),
        );
        push(
            &mut m,
            "consumer_key",
            cx.store.secret(&c.consumer_key).unwrap_or_default(),
        );
        let service = match c.service {
            OvhService::Vps => "vps",
            OvhService::DedicatedServer => "dedicated_server",
        };
        push(&mut m, "service", service);
        opt_str(&mut m, "endpoint", &c.endpoint);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        m
    });
}

/// `scaleway_sd_configs`; an unreadable secret key becomes an empty string, as in the operator.
pub fn scaleway_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[ScalewaySdConfig]>) {
    section(cfg, "scaleway_sd_configs", items, |_, c| {
        let mut m = Entries::new();
        push(&mut m, "access_key", c.access_key.as_str());
        push(
            &mut m,
            "secret_key",
            cx.store.secret(&c.secret_key).unwrap_or_default(),
        );
        push(&mut m, "project_id", c.project_id.as_str());
        push(&mut m, "role", c.role.as_str().to_lowercase());
        opt_port(&mut m, c.port);
        opt_str(&mut m, "api_url", &c.api_url);
        opt_str(&mut m, "zone", &c.zone);
        opt_str(&mut m, "name_filter", &c.name_filter);
        non_empty_list(&mut m, "tags_filter", &c.tags_filter);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        proxy(cx, &mut m, proxy_of!(c));
        common::safe_tls_config(cx.gate, cx.store, &mut m, c.tls_config.as_ref());
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        m
    });
}

/// `ionos_sd_configs`; the (required) authorization is written only when OAuth2 is not used.
pub fn ionos_sd_configs(cx: &SdContext, cfg: &mut Entries, items: Option<&[IonosSdConfig]>) {
    section(cfg, "ionos_sd_configs", items, |_, c| {
        let (gate, store) = (cx.gate, cx.store);
        let mut m = Entries::new();
        if c.oauth2.is_none() {
            common::safe_authorization(gate, store, &mut m, Some(&c.authorization));
        }
        common::oauth2(gate, store, &mut m, c.oauth2.as_ref());
        proxy(cx, &mut m, proxy_of!(c));
        common::safe_tls_config(gate, store, &mut m, c.tls_config.as_ref());
        push(&mut m, "datacenter_id", c.datacenter_id.as_str());
        opt_bool(&mut m, "follow_redirects", c.follow_redirects);
        opt_bool(&mut m, "enable_http2", c.enable_http2);
        opt_port(&mut m, c.port);
        opt_str(&mut m, "refresh_interval", &c.refresh_interval);
        m
    });
}
