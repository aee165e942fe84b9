import type { IConstruct } from 'constructs';
import type { CanaryEndpointProps } from './k8s';
import { NAME_RULES } from '../../lib/core';
import { checkContainerSize, isHttpUrl, KubernetesPropChecks } from '../../lib/k8s';

// The callers' Service is `<name>`, Argo Rollouts' are `<name>-stable` and `<name>-canary`: 63 - 7 characters.
export const MAX_CANARY_NAME_LENGTH = 56;
// An HTTP path of visible ASCII characters (RFC 3986), absolute.
const HTTP_PATH = /^\/[\x21-\x7e]*$/;

/**
 * The type and value checks of the Kubernetes-only props of `CanaryEndpoint`; returns the object name (the
 * given one checked, or `derived`), claimed in its namespace.
 */
export function checkCanaryKubernetesProps(scope: IConstruct, props: CanaryEndpointProps, derived: string): string {
  const checks = new KubernetesPropChecks(scope);
  const name = checks.objectName(props.name ?? derived, {
    maxLength: MAX_CANARY_NAME_LENGTH, services: true, why: 'Services add "-stable" and "-canary"',
  });
  if (props.prometheusAddress !== undefined) {
    const address = checks.string('prometheusAddress', props.prometheusAddress, {
      allowed: 'an http:// or https:// URL with a host and a port from 1 to 65535', fix: 'use e.g. "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"',
    });
    if (!isHttpUrl(address)) {
      checks.fail('prometheusAddress', address, 'an http:// or https:// URL with a host and a port from 1 to 65535, without spaces or credentials',
        'use e.g. "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"');
    }
  }
  if (props.serverMetrics !== undefined) {
    const metrics = checks.object('serverMetrics', props.serverMetrics);
    checks.metricName('serverMetrics.requestsTotal', metrics.requestsTotal);
    checks.metricName('serverMetrics.requestDurationBucket', metrics.requestDurationBucket);
    if (metrics.path !== undefined) {
      checks.string('serverMetrics.path', metrics.path, {
        pattern: HTTP_PATH, allowed: 'an absolute HTTP path of visible ASCII characters, without spaces', fix: 'use e.g. "/metrics"',
      });
    }
  }
  if (props.trafficRouting !== undefined) {
    const routing = checks.object('trafficRouting', props.trafficRouting);
    for (const field of ['nginxStableIngress', 'istioVirtualService'] as const) {
      if (routing[field] !== undefined) {
        checks.string(`trafficRouting.${field}`, routing[field], {
          pattern: NAME_RULES.dns1123Subdomain.pattern,
          maxLength: NAME_RULES.dns1123Subdomain.maxLength,
          allowed: 'a Kubernetes object name: a DNS subdomain of lowercase letters, digits, "-" and "."',
          fix: 'use the object\'s name as kubectl shows it',
        });
      }
    }
  }
  checks.optionalImage('modelLoader', props.modelLoader);
  checkContainerSize(checks, 'resources', props.resources);
  return name;
}
