import type { EdgeOtaFleetPlan } from './plan';
import { addModelNode, type PlatformOwner, runbookUrl } from '../../lib/core';
import type { PlatformCatalog } from '../../lib/core/platform-catalog';

/** The runbook of an edge fleet's alarms, below the owner's runbook base. */
export const EDGE_RUNBOOK = 'edge-ota-fleet';

/** Where an `EdgeOtaFleet` is, for its catalog entry. */
export interface EdgeCatalogEntry {
  /** The construct path: the fleet's node id. */
  readonly path: string;
  readonly name: string;
  /** The wave driver's ARN, or `namespace/applicationset`. */
  readonly location: string;
  readonly engine: 'aws' | 'kubernetes';
  /**
   * The catalog id of the topic its alarms notify.
   * @default - no notifications link
   */
  readonly topicNodeId?: string;
}

/** Adds a fleet to its platform's catalog: the model it serves (`serves`) and the topic it notifies (`notifies`). */
export function addEdgeFleetToCatalog(catalog: PlatformCatalog, owner: PlatformOwner, plan: EdgeOtaFleetPlan, entry: EdgeCatalogEntry): void {
  catalog.addNode({
    id: entry.path,
    kind: 'fleet',
    name: entry.name,
    version: plan.model.version,
    owner: owner.team,
    runbook: runbookUrl(owner, EDGE_RUNBOOK),
    location: entry.location,
    engine: entry.engine,
    properties: {
      waves: plan.waves.map((wave) => `${wave.name}:${wave.targets.length}`).join(' '),
      exposure: `${plan.exposure.targets} targets for ${plan.exposure.seconds} s`,
    },
  });
  catalog.addLink({ from: addModelNode(catalog, plan.model), to: entry.path, relation: 'serves' });
  if (entry.topicNodeId) {
    catalog.addLink({ from: entry.path, to: entry.topicNodeId, relation: 'notifies' });
  }
}
