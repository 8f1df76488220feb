# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_promagent_global_optspecs
    string join \n color= h/help V/version
end

function __fish_promagent_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_promagent_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_promagent_using_subcommand
    set -l cmd (__fish_promagent_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c promagent -n "__fish_promagent_needs_command" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promagent -n "__fish_promagent_needs_command" -s V -l version -d 'Print version'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "lint" -d 'Check manifests as the API server and the operator would, with each finding at file:line:col'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "render" -d 'Print what the operator would create for each PrometheusAgent'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "diff" -d 'Show what switching an agent to DaemonSet mode changes, or what changes between two inputs'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "migrate" -d 'Move PrometheusAgents to DaemonSet mode (or back), keeping the file\'s comments and layout'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "targets" -d 'Show which agent pod would scrape which target: overlaps, and targets no agent pod scrapes'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "relabel" -d 'Apply relabel rules to one label set, as Prometheus does'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "crd" -d 'Print the CustomResourceDefinitions promagent validates against'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "check-config" -d 'Check Prometheus configuration files as `prometheus --config.file` checks them at load time'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c promagent -n "__fish_promagent_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c promagent -n "__fish_promagent_using_subcommand lint" -s n -l namespace -d 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization\'s `namespace:` gives it [default: the settings\' namespace, else default]' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l namespace-labels -d 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l settings -d 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs\' directories upward). Flags override the settings. See docs/configuration.md' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l max-input-bytes -d 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l format -d 'Output format' -r -f -a "human\t''
concise\t'One line per finding: `file:line:col: CODE severity: message`'
json\t'One JSON document: format version, summary, findings (see docs/json-output.md)'
sarif\t'SARIF 2.1.0, each code with its documentation, paths relative to the git work tree'
junit\t'JUnit XML: one test case per finding and per clean object'
github\t'GitHub Actions annotations titled with the code and `Kind ns/name`'"
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l missing-refs -d 'How to treat a referenced Secret or ConfigMap that is not in the input [default: warn]' -r -f -a "warn\t''
error\t''"
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l crds -d 'Validate against the CRDs in this file or directory (e.g. `kubectl get crd -o yaml`) instead of the embedded ones. A CEL rule of theirs that the API server would refuse (it does not compile, or its estimated cost is over the limit) is an error at the rule, and is not run' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l select -d 'Report only these rule codes or code prefixes (comma-separated, repeatable)' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l ignore -d 'Never report these rule codes or code prefixes (comma-separated, repeatable)' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l fail-on -d 'The lowest severity that makes the run fail (exit 1) [default: error]' -r -f -a "error\t''
warning\t''
note\t''"
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l severity -d 'Report the findings of these codes or code prefixes at another severity: CODE=error, CODE=warning or CODE=note (comma-separated, repeatable; the last match wins)' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l kubernetes-version -d 'The cluster\'s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l feature-gates -d 'The operator\'s --feature-gates, e.g. PrometheusAgentDaemonSet=true' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l config-reloader-image -d 'The operator\'s --prometheus-config-reloader image' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l config-reloader-cpu-request -d 'The operator\'s --config-reloader-cpu-request (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l config-reloader-cpu-limit -d 'The operator\'s --config-reloader-cpu-limit (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l config-reloader-memory-request -d 'The operator\'s --config-reloader-memory-request (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l config-reloader-memory-limit -d 'The operator\'s --config-reloader-memory-limit (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l prometheus-default-base-image -d 'The operator\'s --prometheus-default-base-image' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l localhost -d 'The operator\'s --localhost' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l labels -d 'The operator\'s --labels, added to every generated object' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l annotations -d 'The operator\'s --annotations, added to every generated object' -r
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l isolated -d 'Read no settings file'
complete -c promagent -n "__fish_promagent_using_subcommand lint" -s q -l quiet -d 'Print the findings only: no summary line'
complete -c promagent -n "__fish_promagent_using_subcommand lint" -l enable-config-reloader-probes -d 'The operator\'s --enable-config-reloader-probes'
complete -c promagent -n "__fish_promagent_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promagent -n "__fish_promagent_using_subcommand render" -s n -l namespace -d 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization\'s `namespace:` gives it [default: the settings\' namespace, else default]' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l namespace-labels -d 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l settings -d 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs\' directories upward). Flags override the settings. See docs/configuration.md' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand render" -l max-input-bytes -d 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l only -d 'Render only this part: config (the prometheus.yml), workloads or secrets' -r -f -a "config\t''
workloads\t''
secrets\t''"
complete -c promagent -n "__fish_promagent_using_subcommand render" -l agent -d 'The agent to render, as NAMESPACE/NAME, when the input holds several' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l expand -d 'Replace $(NODE_NAME), $(POD_NAME) and $(SHARD) as the config reloader does: node=NAME,pod=NAME,shard=N' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -s o -l output-dir -d 'Write one file per object into this directory instead of printing' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand render" -l crds -d 'Check the input against the CRDs in this file or directory (e.g. `kubectl get crd -o yaml`) instead of the embedded ones; what the API server would reject is reported on stderr' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand render" -l kubernetes-version -d 'The cluster\'s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l feature-gates -d 'The operator\'s --feature-gates, e.g. PrometheusAgentDaemonSet=true' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l config-reloader-image -d 'The operator\'s --prometheus-config-reloader image' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l config-reloader-cpu-request -d 'The operator\'s --config-reloader-cpu-request (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l config-reloader-cpu-limit -d 'The operator\'s --config-reloader-cpu-limit (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l config-reloader-memory-request -d 'The operator\'s --config-reloader-memory-request (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l config-reloader-memory-limit -d 'The operator\'s --config-reloader-memory-limit (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l prometheus-default-base-image -d 'The operator\'s --prometheus-default-base-image' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l localhost -d 'The operator\'s --localhost' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l labels -d 'The operator\'s --labels, added to every generated object' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l annotations -d 'The operator\'s --annotations, added to every generated object' -r
complete -c promagent -n "__fish_promagent_using_subcommand render" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_using_subcommand render" -l isolated -d 'Read no settings file'
complete -c promagent -n "__fish_promagent_using_subcommand render" -l show-secrets -d 'Print Secret values instead of redacting them (values read from Secrets, the config.Secret fields of additional scrape configs, URL passwords)'
complete -c promagent -n "__fish_promagent_using_subcommand render" -l drop-rejected -d 'Leave out the selected monitors the operator rejects at reconcile time, as its reconcile loop does. By default they are rendered as the operator\'s config generator renders them, with a warning'
complete -c promagent -n "__fish_promagent_using_subcommand render" -l prune -d 'With --output-dir: remove files left over from an earlier render'
complete -c promagent -n "__fish_promagent_using_subcommand render" -l enable-config-reloader-probes -d 'The operator\'s --enable-config-reloader-probes'
complete -c promagent -n "__fish_promagent_using_subcommand render" -s h -l help -d 'Print help'
complete -c promagent -n "__fish_promagent_using_subcommand diff" -s n -l namespace -d 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization\'s `namespace:` gives it [default: the settings\' namespace, else default]' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l namespace-labels -d 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l settings -d 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs\' directories upward). Flags override the settings. See docs/configuration.md' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l max-input-bytes -d 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l against -d 'Compare the render of this path (the old side; repeat for several) with the render of PATHs (the new side)' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l agent -d 'Only this agent, as NAMESPACE/NAME' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l kubernetes-version -d 'The cluster\'s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l feature-gates -d 'The operator\'s --feature-gates, e.g. PrometheusAgentDaemonSet=true' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l config-reloader-image -d 'The operator\'s --prometheus-config-reloader image' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l config-reloader-cpu-request -d 'The operator\'s --config-reloader-cpu-request (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l config-reloader-cpu-limit -d 'The operator\'s --config-reloader-cpu-limit (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l config-reloader-memory-request -d 'The operator\'s --config-reloader-memory-request (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l config-reloader-memory-limit -d 'The operator\'s --config-reloader-memory-limit (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l prometheus-default-base-image -d 'The operator\'s --prometheus-default-base-image' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l localhost -d 'The operator\'s --localhost' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l labels -d 'The operator\'s --labels, added to every generated object' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l annotations -d 'The operator\'s --annotations, added to every generated object' -r
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l isolated -d 'Read no settings file'
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l show-secrets -d 'Show Secret values instead of redacting them'
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l drop-rejected -d 'Leave out the selected monitors the operator rejects at reconcile time, as its reconcile loop does. By default they are rendered as the operator\'s config generator renders them, with a warning'
complete -c promagent -n "__fish_promagent_using_subcommand diff" -l enable-config-reloader-probes -d 'The operator\'s --enable-config-reloader-probes'
complete -c promagent -n "__fish_promagent_using_subcommand diff" -s h -l help -d 'Print help'
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l to -d 'The mode to migrate to' -r -f -a "daemonset\t''
statefulset\t''"
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l format -d 'Format of the report on stderr' -r -f -a "human\t''
json\t''"
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l settings -d 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs\' directories upward). Flags override the settings. See docs/configuration.md' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l max-input-bytes -d 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)' -r
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l write -d 'Rewrite the files in place: all of them or none. A symbolic link is written through; a file with several hard links, or read-only, is refused'
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l diff -d 'Print a unified diff instead of the migrated file; Secret values in it are masked'
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l check -d 'Write nothing; exit 1 when a migration is due, 0 when not'
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l convert-servicemonitors -d 'Also write a PodMonitor for each selected ServiceMonitor whose Service is in the input'
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -l isolated -d 'Read no settings file'
complete -c promagent -n "__fish_promagent_using_subcommand migrate" -s h -l help -d 'Print help'
complete -c promagent -n "__fish_promagent_using_subcommand targets" -s n -l namespace -d 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization\'s `namespace:` gives it [default: the settings\' namespace, else default]' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l namespace-labels -d 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l settings -d 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs\' directories upward). Flags override the settings. See docs/configuration.md' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l max-input-bytes -d 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l config -d 'A Prometheus configuration file to simulate instead of the agents\' (- reads stdin)' -r -F
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l own-namespace -d 'With --config: the namespace Prometheus runs in, for `namespaces.own_namespace`' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l node -d 'Show only the agent pod on this node (and what is missed there)' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l agent -d 'Simulate only this agent' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l job -d 'Show only the targets of this job (scrape pool)' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l explain -d 'Print each relabeling step for the discovered target of this address (host:port)' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l kubernetes-version -d 'The cluster\'s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l feature-gates -d 'The operator\'s --feature-gates, e.g. PrometheusAgentDaemonSet=true' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l config-reloader-image -d 'The operator\'s --prometheus-config-reloader image' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l config-reloader-cpu-request -d 'The operator\'s --config-reloader-cpu-request (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l config-reloader-cpu-limit -d 'The operator\'s --config-reloader-cpu-limit (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l config-reloader-memory-request -d 'The operator\'s --config-reloader-memory-request (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l config-reloader-memory-limit -d 'The operator\'s --config-reloader-memory-limit (0 leaves it out)' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l prometheus-default-base-image -d 'The operator\'s --prometheus-default-base-image' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l localhost -d 'The operator\'s --localhost' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l labels -d 'The operator\'s --labels, added to every generated object' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l annotations -d 'The operator\'s --annotations, added to every generated object' -r
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l isolated -d 'Read no settings file'
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l allow-overlap -d 'Do not fail when two agent pods scrape the same target'
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l allow-missed -d 'Do not fail when a target is left unscraped because no agent pod runs on its node'
complete -c promagent -n "__fish_promagent_using_subcommand targets" -l enable-config-reloader-probes -d 'The operator\'s --enable-config-reloader-probes'
complete -c promagent -n "__fish_promagent_using_subcommand targets" -s h -l help -d 'Print help'
complete -c promagent -n "__fish_promagent_using_subcommand relabel" -l labels -d 'The label set: a JSON or YAML file holding a flat map of names to values, or NAME=VALUE pairs separated by commas. Without it the label set is empty' -r
complete -c promagent -n "__fish_promagent_using_subcommand relabel" -l name-validation -d 'How label names are validated: utf8 (Prometheus 3\'s default) or legacy ([a-zA-Z_][a-zA-Z0-9_]*)' -r -f -a "legacy\t''
utf8\t''"
complete -c promagent -n "__fish_promagent_using_subcommand relabel" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c promagent -n "__fish_promagent_using_subcommand relabel" -l max-input-bytes -d 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)' -r
complete -c promagent -n "__fish_promagent_using_subcommand relabel" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_using_subcommand relabel" -l explain -d 'Show every rule: the labels it saw and what it changed, or that it dropped them'
complete -c promagent -n "__fish_promagent_using_subcommand relabel" -s h -l help -d 'Print help'
complete -c promagent -n "__fish_promagent_using_subcommand crd" -l kind -d 'Only this kind: PrometheusAgent, PodMonitor, ServiceMonitor, Probe or ScrapeConfig' -r
complete -c promagent -n "__fish_promagent_using_subcommand crd" -l format -d 'Output format' -r -f -a "yaml\t''
json\t''"
complete -c promagent -n "__fish_promagent_using_subcommand crd" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_using_subcommand crd" -s h -l help -d 'Print help'
complete -c promagent -n "__fish_promagent_using_subcommand check-config" -l prometheus-version -d 'The Prometheus release to check against' -r
complete -c promagent -n "__fish_promagent_using_subcommand check-config" -l format -d 'Output format' -r -f -a "human\t''
concise\t'One line per finding: `file:line:col: CODE severity: message`'
json\t'One JSON document: format version, summary, findings (see docs/json-output.md)'
sarif\t'SARIF 2.1.0, each code with its documentation, paths relative to the git work tree'
junit\t'JUnit XML: one test case per finding and per clean object'
github\t'GitHub Actions annotations titled with the code and `Kind ns/name`'"
complete -c promagent -n "__fish_promagent_using_subcommand check-config" -l max-input-bytes -d 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)' -r
complete -c promagent -n "__fish_promagent_using_subcommand check-config" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_using_subcommand check-config" -l agent -d 'Check as `prometheus --agent` would (no alerting, rule_files or remote_read)'
complete -c promagent -n "__fish_promagent_using_subcommand check-config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c promagent -n "__fish_promagent_using_subcommand completions" -l color -d 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c promagent -n "__fish_promagent_using_subcommand completions" -s h -l help -d 'Print help'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "lint" -d 'Check manifests as the API server and the operator would, with each finding at file:line:col'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "render" -d 'Print what the operator would create for each PrometheusAgent'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "diff" -d 'Show what switching an agent to DaemonSet mode changes, or what changes between two inputs'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "migrate" -d 'Move PrometheusAgents to DaemonSet mode (or back), keeping the file\'s comments and layout'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "targets" -d 'Show which agent pod would scrape which target: overlaps, and targets no agent pod scrapes'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "relabel" -d 'Apply relabel rules to one label set, as Prometheus does'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "crd" -d 'Print the CustomResourceDefinitions promagent validates against'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "check-config" -d 'Check Prometheus configuration files as `prometheus --config.file` checks them at load time'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c promagent -n "__fish_promagent_using_subcommand help; and not __fish_seen_subcommand_from lint render diff migrate targets relabel crd check-config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
