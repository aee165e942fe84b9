import { DRIFT_RUNBOOK } from './metrics';
import type { DriftMonitorPlan } from './plan';
import { addModelNode, type ModelArtifact, type PlatformOwner, runbookUrl } from '../../lib/core';
import type { PlatformCatalog } from '../../lib/core/platform-catalog';

/** Where a `DriftMonitor` is, for its catalog entries. */
export interface DriftCatalogEntry {
  /** The construct path: the monitor's node id. */
  readonly path: string;
  /** The monitor's name in its metrics (the `Monitor` dimension or `monitor` label). */
  readonly name: string;
  /** What runs the comparisons: the function's ARN, or `namespace/cronjob`. */
  readonly location: string;
  readonly engine: 'aws' | 'kubernetes';
  /** Where the reports are written, e.g. `s3://<bucket>/reports/<monitor>/`. */
  readonly reportsUri: string;
  /**
   * The catalog id of the dataset read when another construct of the platform already added it: an endpoint's
   * captured requests (`capturedDataNodeId`) or a pipeline's inputs (`pipelineInputNodeId`).
   * @default - the monitor adds a dataset of its source prefix, `<path>/Data`
   */
  readonly sourceNodeId?: string;
  /**
   * The catalog id of the endpoint or pipeline whose data the monitor judges, when the platform lists it.
   * @default - the monitor `monitors` its model
   */
  readonly monitoredNodeId?: string;
  /**
   * What holds a retraining request until a human decides (the plan's `retraining`): the gate's state machine ARN,
   * or `namespace/job`.
   * @default - none recorded
   */
  readonly retrainingLocation?: string;
  /**
   * How a human approves a request, e.g. `Step Functions task token`.
   * @default - not recorded
   */
  readonly approval?: string;
  /**
   * The catalog id of the topic its alarms and approval requests go to.
   * @default - no notifications link
   */
  readonly topicNodeId?: string;
}

/** What a monitor compares, as its catalog name says it. */
const SOURCE_NAMES: Record<DriftMonitorPlan['source']['kind'], string> = {
  'endpoint-capture': 'captured requests',
  'pipeline-inputs': 'pipeline inputs',
  'prefix': 'data',
};

/** The catalog id of a monitor's retraining requests. */
export function retrainingNodeId(monitorPath: string): string {
  return `${monitorPath}/Retraining`;
}

/**
 * Adds a drift monitor to its platform's catalog: the dataset it `reads` (reusing the endpoint's captured data or the
 * pipeline's inputs), the monitor with its schedule, thresholds, reports and time from drift to page, the model it
 * `monitors` (the endpoint or pipeline it watches, or else the model), the retraining it `triggers` behind a human
 * approval, and the owner's topic it `notifies`.
 */
export function addDriftMonitorToCatalog(
  catalog: PlatformCatalog, owner: PlatformOwner, plan: DriftMonitorPlan, model: ModelArtifact, entry: DriftCatalogEntry,
): void {
  const { thresholds, schedule } = plan;
  const overrides = Object.keys(thresholds.features).length;
  catalog.addNode({
    id: entry.path,
    kind: 'monitor',
    name: `${plan.model.name} drift: ${SOURCE_NAMES[plan.source.kind]}`,
    version: plan.model.version,
    owner: owner.team,
    runbook: runbookUrl(owner, DRIFT_RUNBOOK),
    location: entry.location,
    engine: entry.engine,
    properties: {
      monitor: entry.name,
      schedule: `${schedule.cron} UTC`,
      window: `${schedule.everyHours} h`,
      thresholds: `PSI warn ${thresholds.psiWarn}, alarm ${thresholds.psiAlarm}${overrides > 0 ? ` (${overrides} per-feature)` : ''}; `
        + `KS p < ${thresholds.ksAlpha} and D >= ${thresholds.ksMinStatistic}`,
      reports: entry.reportsUri,
      driftToPage: `${plan.worstCaseMinutesFromDriftToPage} min`,
    },
  });
  const source = entry.sourceNodeId ?? `${entry.path}/Data`;
  if (entry.sourceNodeId === undefined) {
    catalog.addNode({
      id: source,
      kind: 'dataset',
      name: `${plan.model.name} drift data`,
      location: `s3://${plan.source.bucket}/${plan.source.prefix}`,
      engine: entry.engine,
      properties: { format: plan.source.format },
    });
  }
  catalog.addLink({ from: source, to: entry.path, relation: 'reads' });
  // Drawn back against the flow: to the endpoint or pipeline whose data it judges, the short way; else to the model.
  catalog.addLink({ from: entry.path, to: entry.monitoredNodeId ?? addModelNode(catalog, model), relation: 'monitors' });
  if (plan.retraining) {
    const retraining = retrainingNodeId(entry.path);
    catalog.addNode({
      id: retraining,
      kind: 'retraining',
      name: `${plan.model.name} retraining`,
      owner: owner.team,
      runbook: runbookUrl(owner, `${DRIFT_RUNBOOK}/alarm`),
      ...(entry.retrainingLocation !== undefined ? { location: entry.retrainingLocation } : {}),
      engine: entry.engine,
      properties: {
        target: plan.retraining.target,
        approvalTimeout: `${plan.retraining.approvalTimeoutHours} h`,
        ...(entry.approval !== undefined ? { approval: entry.approval } : {}),
      },
    });
    catalog.addLink({ from: entry.path, to: retraining, relation: 'triggers' });
  }
  if (entry.topicNodeId) {
    catalog.addLink({ from: entry.path, to: entry.topicNodeId, relation: 'notifies' });
  }
}
