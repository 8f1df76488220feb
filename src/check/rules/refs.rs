//! Every Secret/ConfigMap key an object makes the operator read, in the operator's order, with
//! the context the operator wraps a failed look-up in, and the outcome of looking it up in the
//! input.

use super::blocks::{BearerRule, Block, blocks};
use super::context::{Cx, Kind, Target};
use super::support::selector_string;
use crate::fieldpath::FieldPath;
use crate::select::view::View;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Secret,
    ConfigMap,
}

impl Source {
    pub fn noun(self) -> &'static str {
        match self {
            Source::Secret => "secret",
            Source::ConfigMap => "configmap",
        }
    }
}

/// One key the operator reads.
#[derive(Clone, Debug)]
pub struct Ref {
    pub source: Source,
    pub name: String,
    pub key: String,
    /// The selector's field (`spec.endpoints[0].basicAuth.password`).
    pub path: FieldPath,
    /// Its `name` and `key` fields, where a missing object or key is reported.
    pub name_path: FieldPath,
    pub key_path: FieldPath,
    /// How the operator prefixes a failed look-up (`failed to get basic auth password`).
    pub context: String,
}

/// What looking a reference up in the input gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(Vec<u8>),
    /// The Secret/ConfigMap is not among the input documents.
    ObjectMissing,
    /// The object is present but has no such key.
    KeyMissing,
}

impl Ref {
    pub fn lookup(&self, cx: &Cx<'_>, namespace: &str) -> Lookup {
        let data = match self.source {
            Source::Secret => cx.store.secret(namespace, &self.name),
            Source::ConfigMap => cx.store.config_map(namespace, &self.name),
        };
        match data {
            None => Lookup::ObjectMissing,
            Some(d) => match d.get(&self.key) {
                Some(v) => Lookup::Found(v.clone()),
                None => Lookup::KeyMissing,
            },
        }
    }

    /// The operator's error for an object absent from the cluster.
    pub fn missing_object_message(&self) -> String {
        let noun = self.source.noun();
        let inner = format!(
            "unable to get {noun} {:?}: {noun}s {:?} not found",
            self.name, self.name
        );
        wrap(&self.context, inner)
    }

    pub fn missing_key_message(&self) -> String {
        let inner = format!(
            "key {:?} in {} {:?} not found",
            self.key,
            self.source.noun(),
            self.name
        );
        wrap(&self.context, inner)
    }
}

fn wrap(context: &str, inner: String) -> String {
    if context.is_empty() {
        inner
    } else {
        format!("{context}: {inner}")
    }
}

fn secret_ref(view: &View<'_>, context: impl Into<String>) -> Ref {
    Ref {
        source: Source::Secret,
        name: view.get("name").string().to_string(),
        key: view.get("key").string().to_string(),
        path: view.path(),
        name_path: view.get("name").path(),
        key_path: view.get("key").path(),
        context: context.into(),
    }
}

/// A Secret-or-ConfigMap selector; `None` when neither is set.
fn either_ref(view: &View<'_>, context: impl Into<String>) -> Option<Ref> {
    let secret = view.get("secret");
    let config_map = view.get("configMap");
    let (source, sel) = if secret.is_set() {
        (Source::Secret, secret)
    } else if config_map.is_set() {
        (Source::ConfigMap, config_map)
    } else {
        return None;
    };
    Some(Ref {
        source,
        name: sel.get("name").string().to_string(),
        key: sel.get("key").string().to_string(),
        path: view.path(),
        name_path: sel.get("name").path(),
        key_path: sel.get("key").path(),
        context: context.into(),
    })
}

/// The keys read for a TLS config: CA, client cert, client key.
pub fn tls_refs(tls: &View<'_>, context: &str) -> Vec<Ref> {
    let mut out = Vec::new();
    if !tls.is_set() {
        return out;
    }
    let ca = tls.get("ca");
    if let Some(r) = either_ref(
        &ca,
        prefixed(
            context,
            &format!("failed to get ca {:?}", selector_string(&ca)),
        ),
    ) {
        out.push(r);
    }
    let cert = tls.get("cert");
    if let Some(r) = either_ref(
        &cert,
        prefixed(
            context,
            &format!("failed to get cert {:?}", selector_string(&cert)),
        ),
    ) {
        out.push(r);
    }
    let key = tls.get("keySecret");
    if key.is_set() {
        let ctx = format!(
            "failed to get key {}/{}",
            key.get("name").string(),
            key.get("key").string()
        );
        out.push(secret_ref(&key, prefixed(context, &ctx)));
    }
    out
}

fn prefixed(context: &str, inner: &str) -> String {
    if context.is_empty() {
        inner.to_string()
    } else {
        format!("{context}: {inner}")
    }
}

fn proxy_header_refs(proxy: &View<'_>, context: &str, out: &mut Vec<Ref>) {
    for (header, list) in proxy.get("proxyConnectHeader").entries() {
        for (i, sel) in list.items().iter().enumerate() {
            out.push(secret_ref(
                sel,
                prefixed(context, &format!("header[{header}][{i}]")),
            ));
        }
    }
}

fn block_refs(block: &Block<'_>, out: &mut Vec<Ref>) {
    let v = &block.view;
    let bearer = v.get("bearerTokenSecret");
    let wanted = match block.bearer {
        BearerRule::No => false,
        BearerRule::IfSet => bearer.is_set(),
        BearerRule::IfName => !bearer.get("name").string().is_empty(),
        BearerRule::IfNameAndKey => {
            !bearer.get("name").string().is_empty() && !bearer.get("key").string().is_empty()
        }
    };
    if wanted {
        out.push(secret_ref(&bearer, ""));
    }
    let basic = v.get("basicAuth");
    if block.basic_auth && basic.is_set() {
        out.push(secret_ref(
            &basic.get("username"),
            "failed to get basic auth username",
        ));
        out.push(secret_ref(
            &basic.get("password"),
            "failed to get basic auth password",
        ));
    }
    if block.tls {
        out.extend(tls_refs(&v.get("tlsConfig"), ""));
    }
    let oauth2 = v.get("oauth2");
    if block.oauth2 && oauth2.is_set() {
        if let Some(r) = either_ref(&oauth2.get("clientId"), "failed to get oauth2 client id") {
            out.push(r);
        }
        out.push(secret_ref(
            &oauth2.get("clientSecret"),
            "failed to get oauth2 client secret",
        ));
        proxy_header_refs(&oauth2, "failed to get oauth2 proxyConfig", out);
        out.extend(tls_refs(
            &oauth2.get("tlsConfig"),
            "failed to get oauth2 tlsConfig",
        ));
    }
    let authz = v.get("authorization");
    let creds = authz.get("credentials");
    if block.authorization && creds.is_set() && !creds.get("name").string().is_empty() {
        let ty = authz.get("type").string();
        out.push(secret_ref(
            &creds,
            format!("failed to get authorization token of type {ty:?}"),
        ));
    }
    if let Some(proxy) = &block.proxy {
        proxy_header_refs(proxy, "", out);
    }
}

/// The kind-specific keys beyond the common client settings.
fn extra_refs(t: &Target<'_>, out: &mut Vec<Ref>) {
    let spec = t.spec();
    match t.kind {
        Kind::ScrapeConfig => {
            for e in spec.get("consulSDConfigs").items() {
                if e.get("tokenRef").is_set() {
                    out.push(secret_ref(&e.get("tokenRef"), ""));
                }
            }
            for list in ["ec2SDConfigs", "lightSailSDConfigs"] {
                for e in spec.get(list).items() {
                    for f in ["accessKey", "secretKey"] {
                        if e.get(f).is_set() {
                            out.push(secret_ref(&e.get(f), ""));
                        }
                    }
                }
            }
            for e in spec.get("azureSDConfigs").items() {
                let method = e.get("authenticationMethod").string();
                let oauth = !matches!(method, "ManagedIdentity" | "SDK" | "WorkloadIdentity");
                if oauth && e.get("clientSecret").is_set() {
                    out.push(secret_ref(&e.get("clientSecret"), ""));
                }
            }
            for e in spec.get("openstackSDConfigs").items() {
                for f in ["password", "applicationCredentialSecret"] {
                    if e.get(f).is_set() {
                        out.push(secret_ref(&e.get(f), ""));
                    }
                }
            }
            for e in spec.get("ovhcloudSDConfigs").items() {
                out.push(secret_ref(&e.get("applicationSecret"), ""));
                out.push(secret_ref(&e.get("consumerKey"), ""));
            }
            for e in spec.get("scalewaySDConfigs").items() {
                out.push(secret_ref(&e.get("secretKey"), ""));
            }
        }
        Kind::PrometheusAgent => {
            for rw in spec.get("remoteWrite").items() {
                let sigv4 = rw.get("sigv4");
                if sigv4.get("accessKey").is_set() && sigv4.get("secretKey").is_set() {
                    out.push(secret_ref(
                        &sigv4.get("accessKey"),
                        "failed to read SigV4 access-key",
                    ));
                    out.push(secret_ref(
                        &sigv4.get("secretKey"),
                        "failed to read SigV4 secret-key",
                    ));
                }
                let azure = rw.at("azureAd.oauth");
                if azure.is_set() {
                    out.push(secret_ref(
                        &azure.get("clientSecret"),
                        "failed to read AzureOAuth clientSecret",
                    ));
                }
            }
        }
        _ => {}
    }
}

/// Every key the operator reads for `t`.
pub fn refs(t: &Target<'_>) -> Vec<Ref> {
    let mut out = Vec::new();
    for block in blocks(t) {
        block_refs(&block, &mut out);
    }
    extra_refs(t, &mut out);
    out
}
