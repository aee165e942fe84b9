import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { DriftMonitor, DriftMonitorProps } from './aws';
import { driftDashboardRow } from './dashboard-row';
import { addDriftMonitorToCatalog } from './platform-entries';
import { type AwsPlatformServices, type OwnerNotifications, PlatformServices } from '../../lib/aws';
import { pipelineInputNodeId } from '../batch-scoring-pipeline/platform-entries';
import { capturedDataNodeId } from '../canary-endpoint/platform-entries';

/** What the monitor resolved that its props do not say. */
export interface DriftPlatformContext {
  /** The `Monitor` dimension of its metrics. */
  readonly monitorName: string;
  readonly reportBucket: s3.IBucket;
  /** The topic its alarms notify. */
  readonly notifications: OwnerNotifications;
}

/**
 * Adds an AWS drift monitor to its platform: its catalog entries (reading the node its endpoint or pipeline added,
 * when that construct is in the same platform) and its dashboard row (the metrics the comparison function publishes).
 */
export function addDriftMonitorToPlatform(
  monitor: DriftMonitor, platform: AwsPlatformServices, props: DriftMonitorProps, context: DriftPlatformContext,
): void {
  const { endpoint, pipeline } = props;
  const { plan, retrainingGate } = monitor;
  const watched = [endpoint, pipeline].find((construct) => construct !== undefined && PlatformServices.of(construct) === platform);
  const sourceNodeId = watched === undefined ? undefined
    : watched === endpoint ? capturedDataNodeId(watched.node.path) : pipelineInputNodeId(watched.node.path);
  addDriftMonitorToCatalog(platform.catalog, platform.owner, plan, props.model, {
    path: monitor.node.path,
    name: context.monitorName,
    location: monitor.function.functionArn,
    engine: 'aws',
    reportsUri: `s3://${context.reportBucket.bucketName}/${monitor.reportPrefix}`,
    sourceNodeId,
    monitoredNodeId: watched?.node.path,
    retrainingLocation: retrainingGate?.stateMachine.stateMachineArn,
    approval: retrainingGate ? 'Step Functions task token' : undefined,
    topicNodeId: context.notifications === platform.notifications ? platform.topicNodeId : undefined,
  });
  platform.dashboard.addRow(driftDashboardRow(`Drift ${monitor.node.path}`, plan, { cloudWatch: { model: plan.model.name, monitor: context.monitorName } }));
}
