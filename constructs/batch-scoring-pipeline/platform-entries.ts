import type { BatchScoringPipelinePlan, S3Prefix } from './plan';
import { addImageNode, addModelNode, type PlatformOwner, runbookUrl } from '../../lib/core';
import type { PlatformCatalog } from '../../lib/core/platform-catalog';

/** Where a `BatchScoringPipeline` is, for its catalog entries. */
export interface BatchCatalogEntry {
  /** The construct path: the pipeline's node id. */
  readonly path: string;
  /** The pipeline's name (the state machine's construct, or the CronJob). */
  readonly name: string;
  /** Where it runs: the state machine ARN, or `namespace/cronjob`. */
  readonly location: string;
  readonly engine: 'aws' | 'kubernetes';
  /**
   * The catalog id of the topic its alarms notify.
   * @default - no notifications link
   */
  readonly topicNodeId?: string;
}

/** The runbook of a batch scoring pipeline's alarms and alerts, below the owner's runbook base. */
export const BATCH_RUNBOOK = 'batch-scoring-pipeline';

/** The catalog id of the dataset a pipeline scores, which drift monitors read too. */
export function pipelineInputNodeId(pipelinePath: string): string {
  return `${pipelinePath}/Input`;
}

/**
 * Adds a pipeline to its platform's catalog: the model and image it runs (`scores`, `runs`), its input (`reads`),
 * the results it publishes (`writes`) and the topic its alarms notify (`notifies`).
 */
export function addBatchToCatalog(catalog: PlatformCatalog, owner: PlatformOwner, plan: BatchScoringPipelinePlan, entry: BatchCatalogEntry): void {
  catalog.addNode({
    id: entry.path,
    kind: 'pipeline',
    name: entry.name,
    version: plan.model.version,
    owner: owner.team,
    runbook: runbookUrl(owner, BATCH_RUNBOOK),
    location: entry.location,
    engine: entry.engine,
    properties: { schedule: `${plan.schedule.cron} ${plan.schedule.timeZone}`, shards: String(plan.shards) },
  });
  catalog.addLink({ from: addModelNode(catalog, plan.model), to: entry.path, relation: 'scores' });
  catalog.addLink({ from: addImageNode(catalog, plan.image), to: entry.path, relation: 'runs' });
  if (plan.validatorImage) {
    catalog.addLink({ from: addImageNode(catalog, plan.validatorImage), to: entry.path, relation: 'runs' });
  }
  const input = pipelineInputNodeId(entry.path);
  catalog.addNode({ id: input, kind: 'dataset', name: `${entry.name} input`, location: uri(plan.input), engine: entry.engine });
  catalog.addLink({ from: input, to: entry.path, relation: 'reads' });
  const published = `${entry.path}/Published`;
  catalog.addNode({
    id: published,
    kind: 'dataset',
    name: `${entry.name} published scores`,
    owner: owner.team,
    location: `${uri(plan.output)}published/`,
    engine: entry.engine,
    properties: { manifest: 'published/run_date=<date>/manifest.json' },
  });
  catalog.addLink({ from: entry.path, to: published, relation: 'writes' });
  if (entry.topicNodeId) {
    catalog.addLink({ from: entry.path, to: entry.topicNodeId, relation: 'notifies' });
  }
}

function uri(location: S3Prefix): string {
  return `s3://${location.bucket}/${location.prefix}`;
}
