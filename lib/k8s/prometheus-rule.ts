import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';

/** One rule of a `PrometheusRule` group. */
export type PrometheusRuleEntry = NonNullable<NonNullable<IPrometheusRule['spec']['groups']>[number]['rules']>[number];

/** What names and selects a construct's `PrometheusRule`. */
export interface PrometheusRuleOptions {
  /** The object's name; its one rule group is `<name>.rules`. */
  readonly name: string;
  /** The construct's own labels. */
  readonly labels?: Record<string, string>;
  /** The labels the platform's Prometheus selects rules by (they win over `labels`). */
  readonly selectorLabels?: Record<string, string>;
}

/** A `PrometheusRule` holding `rules` in one group, labelled so that the platform's Prometheus loads it. */
export function prometheusRule(options: PrometheusRuleOptions, rules: PrometheusRuleEntry[]): IPrometheusRule {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: options.name, labels: { ...options.labels, ...options.selectorLabels } },
    spec: { groups: [{ name: `${options.name}.rules`, rules }] },
  };
}
