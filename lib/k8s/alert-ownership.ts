import type { IConstruct } from 'constructs';
import { PlatformServices } from './platform-services';
import { ownerText, runbookUrl } from '../core';

/** The labels and annotations an alert rule of a construct carries. */
export interface AlertOwnership {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/**
 * The owner's labels and annotations for one Prometheus alert of a construct under a platform: the label `team`
 * (what Alertmanager routes by), and the annotations `runbook_url` (the name kube-prometheus-stack's own alerts use)
 * and `owner`. Outside a platform: nothing to add.
 */
export function alertOwnership(scope: IConstruct, runbook: string): AlertOwnership {
  const platform = PlatformServices.of(scope);
  if (!platform) {
    return { labels: {}, annotations: {} };
  }
  return {
    labels: { team: platform.owner.team },
    annotations: { runbook_url: runbookUrl(platform.owner, runbook), owner: ownerText(platform.owner) },
  };
}
