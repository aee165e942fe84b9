import type { PropFailure } from '../core';

/**
 * What a kube-prometheus-stack release named `kube-prometheus-stack` (the name its README installs it under),
 * in the namespace `monitoring` (the namespace its README's guides assume), selects and serves. Sources, in
 * prometheus-community/helm-charts `charts/kube-prometheus-stack`:
 * - `values.yaml`: `serviceMonitorSelectorNilUsesHelmValues: true` and `ruleSelectorNilUsesHelmValues: true`, so
 *   `templates/prometheus/prometheus.yaml` renders `serviceMonitorSelector` and `ruleSelector` as
 *   `matchLabels: { release: <release name> }`, with empty (all-namespace) namespace selectors;
 * - `templates/prometheus/service.yaml`: the Service `<fullname>-prometheus`, where `_helpers.tpl` makes the
 *   fullname the release name when it contains the chart name; `values.yaml` `prometheus.service.port: 9090`.
 */
export const KUBE_PROMETHEUS_STACK = {
  /** The labels its Prometheus selects ServiceMonitors and PrometheusRules by. */
  selectorLabels: { release: 'kube-prometheus-stack' } as Readonly<Record<string, string>>,
  /** Its Prometheus's query API, from inside the cluster. */
  address: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
} as const;

/**
 * The Pushgateway of a prometheus-community `prometheus-pushgateway` chart released as `prometheus-pushgateway` in
 * `monitoring`, from inside the cluster. Sources, in prometheus-community/helm-charts `charts/prometheus-pushgateway`:
 * `templates/_helpers.tpl` makes the fullname (the Service's name) the release name when it contains the chart name,
 * and the container listens on 9091, the Service's default `service.port` in `values.yaml`.
 */
export const PROMETHEUS_PUSHGATEWAY_ADDRESS = 'http://prometheus-pushgateway.monitoring.svc:9091';

// Kubernetes label syntax (apimachinery validation: qualified names and label values).
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * Resolves the labels that make a Prometheus select a construct's ServiceMonitor or PrometheusRule: the given
 * ones (an empty object for a Prometheus that selects everything), or kube-prometheus-stack's. Fails on a key
 * or value Kubernetes would refuse, and on a key the construct already sets on the object (`reserved`).
 */
export function prometheusSelectorLabels(
  fail: PropFailure, prop: string, labels: Record<string, string> | undefined, reserved: readonly string[],
): Record<string, string> {
  if (labels === undefined) {
    return { ...KUBE_PROMETHEUS_STACK.selectorLabels };
  }
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    fail(prop, labels, 'an object of label names to values', 'use e.g. { release: "kube-prometheus-stack" }');
  }
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (!LABEL_NAME.test(name) || (prefix !== undefined && (prefix.length > 253 || !LABEL_PREFIX.test(prefix)))) {
      fail(`${prop}.${key}`, key, 'a Kubernetes label name: an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."',
        'use the label your Prometheus selects by, e.g. "release"');
    }
    if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
      fail(`${prop}.${key}`, value, 'a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
        'use e.g. "kube-prometheus-stack"');
    }
    if (reserved.includes(key)) {
      fail(`${prop}.${key}`, key, `a label other than ${reserved.join(', ')} (set by the construct)`, 'select by another label, e.g. "release"');
    }
  }
  return { ...labels };
}
