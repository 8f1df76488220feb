//! SC401 `sd-version`: ScrapeConfig service discovery the agent's Prometheus version does not support.
#![doc = include_str!("docs/SC401.md")]

use super::RuleInfo;
use super::context::{Cx, Kind, Out, Target};
use crate::diag::Severity;

pub const INFO: RuleInfo = RuleInfo {
    code: "SC401",
    name: "sd-version",
    summary: "A ScrapeConfig uses service discovery or a field its agent's Prometheus version lacks",
    doc: include_str!("docs/SC401.md"),
    default_severity: Severity::Error,
};

/// Discovery mechanisms the operator gates on the version as a whole, in its order, with the
/// minimum version and the operator's message.
const WHOLE_SD_GATES: [(&str, (u64, u64, u64), &str); 9] = [
    (
        "httpSDConfigs",
        (2, 28, 0),
        "HTTP SD configuration is only supported for Prometheus version >= 2.28.0",
    ),
    (
        "digitalOceanSDConfigs",
        (2, 20, 0),
        "service discovery for Digital Ocean is only supported for Prometheus version >= 2.20.0",
    ),
    (
        "linodeSDConfigs",
        (2, 28, 0),
        "linode SD configuration is only supported for Prometheus version >= 2.28.0",
    ),
    (
        "dockerSwarmSDConfigs",
        (2, 20, 0),
        "dockerswarm SD configuration is only supported for Prometheus version >= 2.20.0",
    ),
    (
        "puppetDBSDConfigs",
        (2, 31, 0),
        "puppetDB SD configuration is only supported for Prometheus version >= 2.31.0",
    ),
    (
        "lightSailSDConfigs",
        (2, 27, 0),
        "lightSail SD configuration is only supported for Prometheus version >= 2.27.0",
    ),
    (
        "ovhcloudSDConfigs",
        (2, 40, 0),
        "OVHCloud SD configuration is only supported for Prometheus version >= 2.40.0",
    ),
    (
        "scalewaySDConfigs",
        (2, 26, 0),
        "ScaleWay SD configuration is only supported for Prometheus version >= 2.26.0",
    ),
    (
        "ionosSDConfigs",
        (2, 36, 0),
        "IONOS SD configuration is only supported for Prometheus version >= 2.36.0",
    ),
];

pub fn check(cx: &Cx<'_>, t: &Target<'_>, out: &mut Out) {
    if t.kind != Kind::ScrapeConfig {
        return;
    }
    let spec = t.spec();
    let old = |v: (u64, u64, u64)| !cx.agent.at_least(v);

    // The operator runs these gates even when the ScrapeConfig has no such discovery at all, so
    // the first failing one rejects every ScrapeConfig of an older agent.
    let mut quirk_reported = false;
    for (field, min, message) in WHOLE_SD_GATES {
        if !old(min) {
            continue;
        }
        let list = spec.get(field);
        if list.non_empty() {
            out.error(INFO.code, &list.path(), message);
        } else if !quirk_reported {
            out.error(INFO.code, &spec.path(), message);
            out.anchor(crate::fieldpath::FieldPath::root().key("kind"));
            out.help(format!(
                "the operator applies this check to every ScrapeConfig, even one without {field}; \
                 upgrade the agent's spec.version"
            ));
        }
        quirk_reported = true;
    }

    for (i, e) in spec.get("kubernetesSDConfigs").items().iter().enumerate() {
        let role = e.get("role");
        if role.string() == "EndpointSlice" && old((2, 21, 0)) {
            out.error(
                INFO.code,
                &role.path(),
                format!(
                    "[{i}]: EndpointSlice role is only supported for Prometheus version >= 2.21.0"
                ),
            );
        }
    }
    for e in spec.get("consulSDConfigs").items() {
        let gates: [(&str, bool, &str); 4] = [
            (
                "pathPrefix",
                old((2, 45, 0)),
                "field `config.PathPrefix` is only supported for Prometheus version >= 2.45.0",
            ),
            (
                "namespace",
                old((2, 28, 0)),
                "field `config.Namespace` is only supported for Prometheus version >= 2.28.0",
            ),
            (
                "filter",
                old((3, 0, 0)),
                "field `config.Filter` is only supported for Prometheus version >= 3.0.0",
            ),
            (
                "healthFilter",
                old((3, 11, 2)),
                "field `config.HealthFilter` is only supported for Prometheus version >= 3.11.2",
            ),
        ];
        for (field, too_old, message) in gates {
            if too_old && e.get(field).is_set() {
                out.error(INFO.code, &e.get(field).path(), message);
            }
        }
    }
    for (i, e) in spec.get("azureSDConfigs").items().iter().enumerate() {
        let method = e.get("authenticationMethod");
        if method.string() == "SDK" && old((2, 52, 0)) {
            out.error(
                INFO.code,
                &method.path(),
                format!(
                    "[{i}]: SDK authentication is only supported from Prometheus version 2.52.0"
                ),
            );
        }
        if method.string() == "WorkloadIdentity" && old((3, 11, 0)) {
            out.error(INFO.code, &method.path(), format!("[{i}]: WorkloadIdentity authentication is only supported from Prometheus version 3.11.0"));
        }
        if e.get("resourceGroup").is_set() && old((2, 35, 0)) {
            out.error(
                INFO.code,
                &e.get("resourceGroup").path(),
                format!("[{i}]: ResourceGroup is only supported from Prometheus version >= 2.35.0"),
            );
        }
    }
    for (i, e) in spec.get("openstackSDConfigs").items().iter().enumerate() {
        let role = e.get("role");
        if role.string() == "LoadBalancer" && old((3, 2, 0)) {
            out.error(
                INFO.code,
                &role.path(),
                format!(
                    "[{i}]: The LoadBalancer role is only supported from Prometheus version 3.2.0"
                ),
            );
        }
    }
    for e in spec.get("kumaSDConfigs").items() {
        if e.get("clientID").is_set() && old((2, 50, 0)) {
            out.error(INFO.code, &e.get("clientID").path(), "field `clientID` in kuma SD configuration is only supported for Prometheus version >= 2.50.0");
        }
    }
    for (i, e) in spec.get("dockerSDConfigs").items().iter().enumerate() {
        if e.get("matchFirstNetwork").is_set() && old((2, 54, 1)) {
            out.error(INFO.code, &e.get("matchFirstNetwork").path(), format!("[{i}]: field `matchFirstNetwork` is only supported for Prometheus version >= 2.54.1"));
        }
    }
    for (i, e) in spec.get("hetznerSDConfigs").items().iter().enumerate() {
        if e.get("labelSelector").is_set() && old((3, 5, 0)) {
            out.error(
                INFO.code,
                &e.get("labelSelector").path(),
                format!(
                    "[{i}]: field `labelSelector` is only supported for Prometheus version >= 3.5.0"
                ),
            );
        }
    }
}
