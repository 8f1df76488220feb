
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'promagent' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'promagent'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'promagent' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check manifests as the API server and the operator would, with each finding at file:line:col')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print what the operator would create for each PrometheusAgent')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what switching an agent to DaemonSet mode changes, or what changes between two inputs')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move PrometheusAgents to DaemonSet mode (or back), keeping the file''s comments and layout')
            [CompletionResult]::new('targets', 'targets', [CompletionResultType]::ParameterValue, 'Show which agent pod would scrape which target: overlaps, and targets no agent pod scrapes')
            [CompletionResult]::new('relabel', 'relabel', [CompletionResultType]::ParameterValue, 'Apply relabel rules to one label set, as Prometheus does')
            [CompletionResult]::new('crd', 'crd', [CompletionResultType]::ParameterValue, 'Print the CustomResourceDefinitions promagent validates against')
            [CompletionResult]::new('check-config', 'check-config', [CompletionResultType]::ParameterValue, 'Check Prometheus configuration files as `prometheus --config.file` checks them at load time')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'promagent;lint' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]')
            [CompletionResult]::new('--namespace-labels', '--namespace-labels', [CompletionResultType]::ParameterName, 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--missing-refs', '--missing-refs', [CompletionResultType]::ParameterName, 'How to treat a referenced Secret or ConfigMap that is not in the input [default: warn]')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'Validate against the CRDs in this file or directory (e.g. `kubectl get crd -o yaml`) instead of the embedded ones. A CEL rule of theirs that the API server would refuse (it does not compile, or its estimated cost is over the limit) is an error at the rule, and is not run')
            [CompletionResult]::new('--select', '--select', [CompletionResultType]::ParameterName, 'Report only these rule codes or code prefixes (comma-separated, repeatable)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Never report these rule codes or code prefixes (comma-separated, repeatable)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The lowest severity that makes the run fail (exit 1) [default: error]')
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'Report the findings of these codes or code prefixes at another severity: CODE=error, CODE=warning or CODE=note (comma-separated, repeatable; the last match wins)')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'The cluster''s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)')
            [CompletionResult]::new('--feature-gates', '--feature-gates', [CompletionResultType]::ParameterName, 'The operator''s --feature-gates, e.g. PrometheusAgentDaemonSet=true')
            [CompletionResult]::new('--config-reloader-image', '--config-reloader-image', [CompletionResultType]::ParameterName, 'The operator''s --prometheus-config-reloader image')
            [CompletionResult]::new('--config-reloader-cpu-request', '--config-reloader-cpu-request', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-cpu-request (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-cpu-limit', '--config-reloader-cpu-limit', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-cpu-limit (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-memory-request', '--config-reloader-memory-request', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-memory-request (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-memory-limit', '--config-reloader-memory-limit', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-memory-limit (0 leaves it out)')
            [CompletionResult]::new('--prometheus-default-base-image', '--prometheus-default-base-image', [CompletionResultType]::ParameterName, 'The operator''s --prometheus-default-base-image')
            [CompletionResult]::new('--localhost', '--localhost', [CompletionResultType]::ParameterName, 'The operator''s --localhost')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'The operator''s --labels, added to every generated object')
            [CompletionResult]::new('--annotations', '--annotations', [CompletionResultType]::ParameterName, 'The operator''s --annotations, added to every generated object')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--isolated', '--isolated', [CompletionResultType]::ParameterName, 'Read no settings file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print the findings only: no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print the findings only: no summary line')
            [CompletionResult]::new('--enable-config-reloader-probes', '--enable-config-reloader-probes', [CompletionResultType]::ParameterName, 'The operator''s --enable-config-reloader-probes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promagent;render' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]')
            [CompletionResult]::new('--namespace-labels', '--namespace-labels', [CompletionResultType]::ParameterName, 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Render only this part: config (the prometheus.yml), workloads or secrets')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'The agent to render, as NAMESPACE/NAME, when the input holds several')
            [CompletionResult]::new('--expand', '--expand', [CompletionResultType]::ParameterName, 'Replace $(NODE_NAME), $(POD_NAME) and $(SHARD) as the config reloader does: node=NAME,pod=NAME,shard=N')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write one file per object into this directory instead of printing')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Write one file per object into this directory instead of printing')
            [CompletionResult]::new('--crds', '--crds', [CompletionResultType]::ParameterName, 'Check the input against the CRDs in this file or directory (e.g. `kubectl get crd -o yaml`) instead of the embedded ones; what the API server would reject is reported on stderr')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'The cluster''s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)')
            [CompletionResult]::new('--feature-gates', '--feature-gates', [CompletionResultType]::ParameterName, 'The operator''s --feature-gates, e.g. PrometheusAgentDaemonSet=true')
            [CompletionResult]::new('--config-reloader-image', '--config-reloader-image', [CompletionResultType]::ParameterName, 'The operator''s --prometheus-config-reloader image')
            [CompletionResult]::new('--config-reloader-cpu-request', '--config-reloader-cpu-request', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-cpu-request (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-cpu-limit', '--config-reloader-cpu-limit', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-cpu-limit (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-memory-request', '--config-reloader-memory-request', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-memory-request (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-memory-limit', '--config-reloader-memory-limit', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-memory-limit (0 leaves it out)')
            [CompletionResult]::new('--prometheus-default-base-image', '--prometheus-default-base-image', [CompletionResultType]::ParameterName, 'The operator''s --prometheus-default-base-image')
            [CompletionResult]::new('--localhost', '--localhost', [CompletionResultType]::ParameterName, 'The operator''s --localhost')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'The operator''s --labels, added to every generated object')
            [CompletionResult]::new('--annotations', '--annotations', [CompletionResultType]::ParameterName, 'The operator''s --annotations, added to every generated object')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--isolated', '--isolated', [CompletionResultType]::ParameterName, 'Read no settings file')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Print Secret values instead of redacting them (values read from Secrets, the config.Secret fields of additional scrape configs, URL passwords)')
            [CompletionResult]::new('--drop-rejected', '--drop-rejected', [CompletionResultType]::ParameterName, 'Leave out the selected monitors the operator rejects at reconcile time, as its reconcile loop does. By default they are rendered as the operator''s config generator renders them, with a warning')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'With --output-dir: remove files left over from an earlier render')
            [CompletionResult]::new('--enable-config-reloader-probes', '--enable-config-reloader-probes', [CompletionResultType]::ParameterName, 'The operator''s --enable-config-reloader-probes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promagent;diff' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]')
            [CompletionResult]::new('--namespace-labels', '--namespace-labels', [CompletionResultType]::ParameterName, 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)')
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'Compare the render of this path (the old side; repeat for several) with the render of PATHs (the new side)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only this agent, as NAMESPACE/NAME')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'The cluster''s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)')
            [CompletionResult]::new('--feature-gates', '--feature-gates', [CompletionResultType]::ParameterName, 'The operator''s --feature-gates, e.g. PrometheusAgentDaemonSet=true')
            [CompletionResult]::new('--config-reloader-image', '--config-reloader-image', [CompletionResultType]::ParameterName, 'The operator''s --prometheus-config-reloader image')
            [CompletionResult]::new('--config-reloader-cpu-request', '--config-reloader-cpu-request', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-cpu-request (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-cpu-limit', '--config-reloader-cpu-limit', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-cpu-limit (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-memory-request', '--config-reloader-memory-request', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-memory-request (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-memory-limit', '--config-reloader-memory-limit', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-memory-limit (0 leaves it out)')
            [CompletionResult]::new('--prometheus-default-base-image', '--prometheus-default-base-image', [CompletionResultType]::ParameterName, 'The operator''s --prometheus-default-base-image')
            [CompletionResult]::new('--localhost', '--localhost', [CompletionResultType]::ParameterName, 'The operator''s --localhost')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'The operator''s --labels, added to every generated object')
            [CompletionResult]::new('--annotations', '--annotations', [CompletionResultType]::ParameterName, 'The operator''s --annotations, added to every generated object')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--isolated', '--isolated', [CompletionResultType]::ParameterName, 'Read no settings file')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show Secret values instead of redacting them')
            [CompletionResult]::new('--drop-rejected', '--drop-rejected', [CompletionResultType]::ParameterName, 'Leave out the selected monitors the operator rejects at reconcile time, as its reconcile loop does. By default they are rendered as the operator''s config generator renders them, with a warning')
            [CompletionResult]::new('--enable-config-reloader-probes', '--enable-config-reloader-probes', [CompletionResultType]::ParameterName, 'The operator''s --enable-config-reloader-probes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promagent;migrate' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The mode to migrate to')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of the report on stderr')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'Rewrite the files in place: all of them or none. A symbolic link is written through; a file with several hard links, or read-only, is refused')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Print a unified diff instead of the migrated file; Secret values in it are masked')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Write nothing; exit 1 when a migration is due, 0 when not')
            [CompletionResult]::new('--convert-servicemonitors', '--convert-servicemonitors', [CompletionResultType]::ParameterName, 'Also write a PodMonitor for each selected ServiceMonitor whose Service is in the input')
            [CompletionResult]::new('--isolated', '--isolated', [CompletionResultType]::ParameterName, 'Read no settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promagent;targets' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of objects that have no metadata.namespace, as `kubectl apply -n NS` or a kustomization''s `namespace:` gives it [default: the settings'' namespace, else default]')
            [CompletionResult]::new('--namespace-labels', '--namespace-labels', [CompletionResultType]::ParameterName, 'Labels of a namespace the input has no Namespace object for (it is otherwise assumed to carry only kubernetes.io/metadata.name); repeat for several namespaces')
            [CompletionResult]::new('--settings', '--settings', [CompletionResultType]::ParameterName, 'Read the project settings from FILE instead of the nearest .promagent.yaml (searched from the inputs'' directories upward). Flags override the settings. See docs/configuration.md')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'A Prometheus configuration file to simulate instead of the agents'' (- reads stdin)')
            [CompletionResult]::new('--own-namespace', '--own-namespace', [CompletionResultType]::ParameterName, 'With --config: the namespace Prometheus runs in, for `namespaces.own_namespace`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Show only the agent pod on this node (and what is missed there)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Simulate only this agent')
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'Show only the targets of this job (scrape pool)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Print each relabeling step for the discovered target of this address (host:port)')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'The cluster''s Kubernetes version [default: 1.37] (EndpointSlice discovery from 1.21, pod topology labels from 1.35)')
            [CompletionResult]::new('--feature-gates', '--feature-gates', [CompletionResultType]::ParameterName, 'The operator''s --feature-gates, e.g. PrometheusAgentDaemonSet=true')
            [CompletionResult]::new('--config-reloader-image', '--config-reloader-image', [CompletionResultType]::ParameterName, 'The operator''s --prometheus-config-reloader image')
            [CompletionResult]::new('--config-reloader-cpu-request', '--config-reloader-cpu-request', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-cpu-request (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-cpu-limit', '--config-reloader-cpu-limit', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-cpu-limit (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-memory-request', '--config-reloader-memory-request', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-memory-request (0 leaves it out)')
            [CompletionResult]::new('--config-reloader-memory-limit', '--config-reloader-memory-limit', [CompletionResultType]::ParameterName, 'The operator''s --config-reloader-memory-limit (0 leaves it out)')
            [CompletionResult]::new('--prometheus-default-base-image', '--prometheus-default-base-image', [CompletionResultType]::ParameterName, 'The operator''s --prometheus-default-base-image')
            [CompletionResult]::new('--localhost', '--localhost', [CompletionResultType]::ParameterName, 'The operator''s --localhost')
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'The operator''s --labels, added to every generated object')
            [CompletionResult]::new('--annotations', '--annotations', [CompletionResultType]::ParameterName, 'The operator''s --annotations, added to every generated object')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--isolated', '--isolated', [CompletionResultType]::ParameterName, 'Read no settings file')
            [CompletionResult]::new('--allow-overlap', '--allow-overlap', [CompletionResultType]::ParameterName, 'Do not fail when two agent pods scrape the same target')
            [CompletionResult]::new('--allow-missed', '--allow-missed', [CompletionResultType]::ParameterName, 'Do not fail when a target is left unscraped because no agent pod runs on its node')
            [CompletionResult]::new('--enable-config-reloader-probes', '--enable-config-reloader-probes', [CompletionResultType]::ParameterName, 'The operator''s --enable-config-reloader-probes')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promagent;relabel' {
            [CompletionResult]::new('--labels', '--labels', [CompletionResultType]::ParameterName, 'The label set: a JSON or YAML file holding a flat map of names to values, or NAME=VALUE pairs separated by commas. Without it the label set is empty')
            [CompletionResult]::new('--name-validation', '--name-validation', [CompletionResultType]::ParameterName, 'How label names are validated: utf8 (Prometheus 3''s default) or legacy ([a-zA-Z_][a-zA-Z0-9_]*)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show every rule: the labels it saw and what it changed, or that it dropped them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promagent;crd' {
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only this kind: PrometheusAgent, PodMonitor, ServiceMonitor, Probe or ScrapeConfig')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promagent;check-config' {
            [CompletionResult]::new('--prometheus-version', '--prometheus-version', [CompletionResultType]::ParameterName, 'The Prometheus release to check against')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Stop (exit code 2) once the inputs together (files, directories, stdin, --crds, --config) exceed this size; units B, KiB, MiB, GiB (1024) or kB, MB, GB (1000)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Check as `prometheus --agent` would (no alerting, rule_files or remote_read)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'promagent;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'promagent;help' {
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check manifests as the API server and the operator would, with each finding at file:line:col')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print what the operator would create for each PrometheusAgent')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what switching an agent to DaemonSet mode changes, or what changes between two inputs')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Move PrometheusAgents to DaemonSet mode (or back), keeping the file''s comments and layout')
            [CompletionResult]::new('targets', 'targets', [CompletionResultType]::ParameterValue, 'Show which agent pod would scrape which target: overlaps, and targets no agent pod scrapes')
            [CompletionResult]::new('relabel', 'relabel', [CompletionResultType]::ParameterValue, 'Apply relabel rules to one label set, as Prometheus does')
            [CompletionResult]::new('crd', 'crd', [CompletionResultType]::ParameterValue, 'Print the CustomResourceDefinitions promagent validates against')
            [CompletionResult]::new('check-config', 'check-config', [CompletionResultType]::ParameterValue, 'Check Prometheus configuration files as `prometheus --config.file` checks them at load time')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'promagent;help;lint' {
            break
        }
        'promagent;help;render' {
            break
        }
        'promagent;help;diff' {
            break
        }
        'promagent;help;migrate' {
            break
        }
        'promagent;help;targets' {
            break
        }
        'promagent;help;relabel' {
            break
        }
        'promagent;help;crd' {
            break
        }
        'promagent;help;check-config' {
            break
        }
        'promagent;help;completions' {
            break
        }
        'promagent;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
