
use builtin;
use str;

set edit:completion:arg-completer[promagent] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'promagent'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'promagent'= {
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand lint 'Check manifests as the API server and the operator would, with each finding at file:line:col'
            cand render 'Print what the operator would create for each PrometheusAgent'
            cand diff 'Show what switching an agent to DaemonSet mode changes, or what changes between two inputs'
            cand migrate 'Move PrometheusAgents to DaemonSet mode (or back), keeping the file''s comments and layout'
            cand targets 'Show which agent pod would scrape which target: overlaps, and targets no agent pod scrapes'
            cand relabel 'Apply relabel rules to one label set, as Prometheus does'
            cand crd 'Print the CustomResourceDefinitions promagent validates against'
            cand check-config 'Check Prometheus configuration files as `prometheus --config.file` checks them at load time'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'promagent;lint'= {
            cand -n 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]'
            cand --namespace 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]'
            cand --namespace-labels 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces'
            cand --settings 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md'
            cand --max-input-bytes 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)'
            cand --format 'Output format'
            cand --missing-refs 'How to treat a referenced Secret or ConfigMap that is not in the input [default: warn]'
            cand --crds 'Validate against the CRDs in this file or directory (e.g. `kubectl get crd -o yaml`) instead of the embedded ones. A CEL rule of theirs that the API server would refuse (it does not compile, or its estimated cost is over the limit) is an error at the rule, and is not run'
            cand --select 'Report only these rule codes or code prefixes (comma-separated, repeatable)'
            cand --ignore 'Never report these rule codes or code prefixes (comma-separated, repeatable)'
            cand --fail-on 'The lowest severity that makes the run fail (exit 1) [default: error]'
            cand --severity 'Report the findings of these codes or code prefixes at another severity: CODE=error, CODE=warning or CODE=note (comma-separated, repeatable; the last match wins)'
            cand --kubernetes-version 'The cluster''s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)'
            cand --feature-gates 'The operator''s --feature-gates, e.g. PrometheusAgentDaemonSet=true'
            cand --config-reloader-image 'The operator''s --prometheus-config-reloader image'
            cand --config-reloader-cpu-request 'The operator''s --config-reloader-cpu-request (0 leaves it out)'
            cand --config-reloader-cpu-limit 'The operator''s --config-reloader-cpu-limit (0 leaves it out)'
            cand --config-reloader-memory-request 'The operator''s --config-reloader-memory-request (0 leaves it out)'
            cand --config-reloader-memory-limit 'The operator''s --config-reloader-memory-limit (0 leaves it out)'
            cand --prometheus-default-base-image 'The operator''s --prometheus-default-base-image'
            cand --localhost 'The operator''s --localhost'
            cand --labels 'The operator''s --labels, added to every generated object'
            cand --annotations 'The operator''s --annotations, added to every generated object'
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand --isolated 'Read no settings file'
            cand -q 'Print the findings only: no summary line'
            cand --quiet 'Print the findings only: no summary line'
            cand --enable-config-reloader-probes 'The operator''s --enable-config-reloader-probes'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promagent;render'= {
            cand -n 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]'
            cand --namespace 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]'
            cand --namespace-labels 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces'
            cand --settings 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md'
            cand --max-input-bytes 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)'
            cand --only 'Render only this part: config (the prometheus.yml), workloads or secrets'
            cand --agent 'The agent to render, as NAMESPACE/NAME, when the input holds several'
            cand --expand 'Replace $(NODE_NAME), $(POD_NAME) and $(SHARD) as the config reloader does: node=NAME,pod=NAME,shard=N'
            cand -o 'Write one file per object into this directory instead of printing'
            cand --output-dir 'Write one file per object into this directory instead of printing'
            cand --crds 'Check the input against the CRDs in this file or directory (e.g. `kubectl get crd -o yaml`) instead of the embedded ones; what the API server would reject is reported on stderr'
            cand --kubernetes-version 'The cluster''s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)'
            cand --feature-gates 'The operator''s --feature-gates, e.g. PrometheusAgentDaemonSet=true'
            cand --config-reloader-image 'The operator''s --prometheus-config-reloader image'
            cand --config-reloader-cpu-request 'The operator''s --config-reloader-cpu-request (0 leaves it out)'
            cand --config-reloader-cpu-limit 'The operator''s --config-reloader-cpu-limit (0 leaves it out)'
            cand --config-reloader-memory-request 'The operator''s --config-reloader-memory-request (0 leaves it out)'
            cand --config-reloader-memory-limit 'The operator''s --config-reloader-memory-limit (0 leaves it out)'
            cand --prometheus-default-base-image 'The operator''s --prometheus-default-base-image'
            cand --localhost 'The operator''s --localhost'
            cand --labels 'The operator''s --labels, added to every generated object'
            cand --annotations 'The operator''s --annotations, added to every generated object'
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand --isolated 'Read no settings file'
            cand --show-secrets 'Print Secret values instead of redacting them (values read from Secrets, the config.Secret fields of additional scrape configs, URL passwords)'
            cand --drop-rejected 'Leave out the selected monitors the operator rejects at reconcile time, as its reconcile loop does. By default they are rendered as the operator''s config generator renders them, with a warning'
            cand --prune 'With --output-dir: remove files left over from an earlier render'
            cand --enable-config-reloader-probes 'The operator''s --enable-config-reloader-probes'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promagent;diff'= {
            cand -n 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]'
            cand --namespace 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]'
            cand --namespace-labels 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces'
            cand --settings 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md'
            cand --max-input-bytes 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)'
            cand --against 'Compare the render of this path (the old side; repeat for several) with the render of PATHs (the new side)'
            cand --agent 'Only this agent, as NAMESPACE/NAME'
            cand --kubernetes-version 'The cluster''s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)'
            cand --feature-gates 'The operator''s --feature-gates, e.g. PrometheusAgentDaemonSet=true'
            cand --config-reloader-image 'The operator''s --prometheus-config-reloader image'
            cand --config-reloader-cpu-request 'The operator''s --config-reloader-cpu-request (0 leaves it out)'
            cand --config-reloader-cpu-limit 'The operator''s --config-reloader-cpu-limit (0 leaves it out)'
            cand --config-reloader-memory-request 'The operator''s --config-reloader-memory-request (0 leaves it out)'
            cand --config-reloader-memory-limit 'The operator''s --config-reloader-memory-limit (0 leaves it out)'
            cand --prometheus-default-base-image 'The operator''s --prometheus-default-base-image'
            cand --localhost 'The operator''s --localhost'
            cand --labels 'The operator''s --labels, added to every generated object'
            cand --annotations 'The operator''s --annotations, added to every generated object'
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand --isolated 'Read no settings file'
            cand --show-secrets 'Show Secret values instead of redacting them'
            cand --drop-rejected 'Leave out the selected monitors the operator rejects at reconcile time, as its reconcile loop does. By default they are rendered as the operator''s config generator renders them, with a warning'
            cand --enable-config-reloader-probes 'The operator''s --enable-config-reloader-probes'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promagent;migrate'= {
            cand --to 'The mode to migrate to'
            cand --format 'Format of the report on stderr'
            cand --settings 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md'
            cand --max-input-bytes 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)'
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand --write 'Rewrite the files in place: all of them or none. A symbolic link is written through; a file with several hard links, or read-only, is refused'
            cand --diff 'Print a unified diff instead of the migrated file; Secret values in it are masked'
            cand --check 'Write nothing; exit 1 when a migration is due, 0 when not'
            cand --convert-servicemonitors 'Also write a PodMonitor for each selected ServiceMonitor whose Service is in the input'
            cand --isolated 'Read no settings file'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promagent;targets'= {
            cand -n 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]'
            cand --namespace 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]'
            cand --namespace-labels 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces'
            cand --settings 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md'
            cand --max-input-bytes 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)'
            cand --config 'A Prometheus configuration file to simulate instead of the agents'' (- reads stdin)'
            cand --own-namespace 'With --config: the namespace Prometheus runs in, for `namespaces.own_namespace`'
            cand --format 'Output format'
            cand --node 'Show only the agent pod on this node (and what is missed there)'
            cand --agent 'Simulate only this agent'
            cand --job 'Show only the targets of this job (scrape pool)'
            cand --explain 'Print each relabeling step for the discovered target of this address (host:port)'
            cand --kubernetes-version 'The cluster''s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)'
            cand --feature-gates 'The operator''s --feature-gates, e.g. PrometheusAgentDaemonSet=true'
            cand --config-reloader-image 'The operator''s --prometheus-config-reloader image'
            cand --config-reloader-cpu-request 'The operator''s --config-reloader-cpu-request (0 leaves it out)'
            cand --config-reloader-cpu-limit 'The operator''s --config-reloader-cpu-limit (0 leaves it out)'
            cand --config-reloader-memory-request 'The operator''s --config-reloader-memory-request (0 leaves it out)'
            cand --config-reloader-memory-limit 'The operator''s --config-reloader-memory-limit (0 leaves it out)'
            cand --prometheus-default-base-image 'The operator''s --prometheus-default-base-image'
            cand --localhost 'The operator''s --localhost'
            cand --labels 'The operator''s --labels, added to every generated object'
            cand --annotations 'The operator''s --annotations, added to every generated object'
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand --isolated 'Read no settings file'
            cand --allow-overlap 'Do not fail when two agent pods scrape the same target'
            cand --allow-missed 'Do not fail when a target is left unscraped because no agent pod runs on its node'
            cand --enable-config-reloader-probes 'The operator''s --enable-config-reloader-probes'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promagent;relabel'= {
            cand --labels 'The label set: a JSON or YAML file holding a flat map of names to values, or NAME=VALUE pairs separated by commas. Without it the label set is empty'
            cand --name-validation 'How label names are validated: utf8 (Prometheus 3''s default) or legacy ([a-zA-Z_][a-zA-Z0-9_]*)'
            cand --format 'Output format'
            cand --max-input-bytes 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)'
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand --explain 'Show every rule: the labels it saw and what it changed, or that it dropped them'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promagent;crd'= {
            cand --kind 'Only this kind: PrometheusAgent, PodMonitor, ServiceMonitor, Probe or ScrapeConfig'
            cand --format 'Output format'
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promagent;check-config'= {
            cand --prometheus-version 'The Prometheus release to check against'
            cand --format 'Output format'
            cand --max-input-bytes 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)'
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand --agent 'Check as `prometheus --agent` would (no alerting, rule_files or remote_read)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'promagent;completions'= {
            cand --color 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'promagent;help'= {
            cand lint 'Check manifests as the API server and the operator would, with each finding at file:line:col'
            cand render 'Print what the operator would create for each PrometheusAgent'
            cand diff 'Show what switching an agent to DaemonSet mode changes, or what changes between two inputs'
            cand migrate 'Move PrometheusAgents to DaemonSet mode (or back), keeping the file''s comments and layout'
            cand targets 'Show which agent pod would scrape which target: overlaps, and targets no agent pod scrapes'
            cand relabel 'Apply relabel rules to one label set, as Prometheus does'
            cand crd 'Print the CustomResourceDefinitions promagent validates against'
            cand check-config 'Check Prometheus configuration files as `prometheus --config.file` checks them at load time'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'promagent;help;lint'= {
        }
        &'promagent;help;render'= {
        }
        &'promagent;help;diff'= {
        }
        &'promagent;help;migrate'= {
        }
        &'promagent;help;targets'= {
        }
        &'promagent;help;relabel'= {
        }
        &'promagent;help;crd'= {
        }
        &'promagent;help;check-config'= {
        }
        &'promagent;help;completions'= {
        }
        &'promagent;help;help'= {
        }
    ]
    $completions[$command]
}
