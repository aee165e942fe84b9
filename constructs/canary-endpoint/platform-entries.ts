import type { CanaryEndpointPlan } from './plan';
import { addImageNode, addModelNode, type PlatformOwner, runbookUrl } from '../../lib/core';
import type { PlatformCatalog } from '../../lib/core/platform-catalog';

/** Where a `CanaryEndpoint` is, for its catalog entries. */
export interface CanaryCatalogEntry {
  /** The construct path: the endpoint's node id. */
  readonly path: string;
  /** The endpoint's name (SageMaker endpoint, or the Rollout and Service). */
  readonly name: string;
  /** Where callers reach it: the endpoint name or ARN, or `namespace/service`. */
  readonly location: string;
  readonly engine: 'aws' | 'kubernetes';
  /**
   * Where its captured requests and responses land, when captured.
   * @default - not captured
   */
  readonly capturedDataUri?: string;
  /**
   * The catalog id of the topic its alarms notify.
   * @default - no notifications link
   */
  readonly topicNodeId?: string;
}

/** The runbook of a canary endpoint's alarms and alerts, below the owner's runbook base. */
export const CANARY_RUNBOOK = 'canary-endpoint';

/** The catalog id of the dataset of an endpoint's captured requests, which drift monitors read. */
export function capturedDataNodeId(endpointPath: string): string {
  return `${endpointPath}/CapturedData`;
}

/**
 * Adds an endpoint to its platform's catalog: its models and images (`serves`, `runs`), the endpoint, its captured
 * data (`captures`) and the topic its gates notify (`notifies`).
 */
export function addCanaryToCatalog(catalog: PlatformCatalog, owner: PlatformOwner, plan: CanaryEndpointPlan, entry: CanaryCatalogEntry): void {
  catalog.addNode({
    id: entry.path,
    kind: 'endpoint',
    name: entry.name,
    version: plan.model.version,
    owner: owner.team,
    runbook: runbookUrl(owner, CANARY_RUNBOOK),
    location: entry.location,
    engine: entry.engine,
    properties: {
      trafficShift: `${plan.trafficShift.kind} ${plan.trafficShift.percent} %`,
      rollbackGates: `5xx > ${plan.rollbackGates.maxErrorRatePercent} %, p99 > ${plan.rollbackGates.maxP99LatencyMs} ms`,
      ...(plan.shadow ? { shadow: `${plan.shadow.model.name}@${plan.shadow.model.version ?? '?'} at ${plan.shadow.trafficPercent} %` } : {}),
    },
  });
  catalog.addLink({ from: addModelNode(catalog, plan.model), to: entry.path, relation: 'serves' });
  catalog.addLink({ from: addImageNode(catalog, plan.image), to: entry.path, relation: 'runs' });
  if (plan.shadow) {
    catalog.addLink({ from: addModelNode(catalog, plan.shadow.model), to: entry.path, relation: 'serves' });
    catalog.addLink({ from: addImageNode(catalog, plan.shadow.image), to: entry.path, relation: 'runs' });
  }
  if (entry.capturedDataUri) {
    const captured = capturedDataNodeId(entry.path);
    catalog.addNode({ id: captured, kind: 'dataset', name: `${entry.name} captured requests`, owner: owner.team, location: entry.capturedDataUri, engine: entry.engine });
    catalog.addLink({ from: entry.path, to: captured, relation: 'captures' });
  }
  if (entry.topicNodeId) {
    catalog.addLink({ from: entry.path, to: entry.topicNodeId, relation: 'notifies' });
  }
}
