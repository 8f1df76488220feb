//! Rendered Kubernetes objects as YAML: one document per object, printed as kubectl and the
//! operator's YAML library print them (block style, keys in manifest order), joined into a
//! multi-document stream.

use crate::render::goyaml::{self, Yaml};
use crate::render::workloads::RenderedObject;

/// One object as a YAML document (no leading `---`).
pub fn object(object: &RenderedObject) -> String {
    goyaml::to_string(&Yaml::from_json(&object.manifest))
}

/// Every object as one multi-document stream: documents separated by `---` lines.
pub fn stream(objects: &[RenderedObject]) -> String {
    let mut out = String::new();
    for (i, o) in objects.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&object(o));
    }
    out
}

/// A stream of several groups of documents (one group per agent), each group introduced by a
/// `# <title>` comment line.
pub fn titled_streams<'a>(
    groups: impl IntoIterator<Item = (String, &'a [RenderedObject])>,
) -> String {
    let mut out = String::new();
    for (title, objects) in groups {
        if objects.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("---\n");
        }
        out.push_str(&format!("# {title}\n"));
        out.push_str(&stream(objects));
    }
    out
}
