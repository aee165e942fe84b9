import { Chart } from 'cdk8s';
import { driftDashboardRow } from './dashboard-row';
import type { DriftMonitor } from './k8s';
import type { DriftMonitorProps } from './k8s-props';
import { addDriftMonitorToCatalog } from './platform-entries';
import { type K8sPlatformServices, PlatformServices } from '../../lib/k8s';
import { pipelineInputNodeId } from '../batch-scoring-pipeline/platform-entries';

/**
 * Adds a Kubernetes drift monitor to its platform: its catalog entries (reading the inputs node its pipeline added, when
 * that pipeline is in the same platform; an endpoint's captured requests are the monitor's own dataset, as the
 * Kubernetes endpoint records no capture) and its dashboard row (the gauges the runner pushes to the Pushgateway).
 */
export function addKubernetesDriftMonitorToPlatform(monitor: DriftMonitor, platform: K8sPlatformServices, props: DriftMonitorProps): void {
  const { endpoint, pipeline } = props;
  const { plan } = monitor;
  const namespace = Chart.of(monitor).namespace ?? platform.namespace;
  const watched = [endpoint, pipeline].find((construct) => construct !== undefined && PlatformServices.of(construct) === platform);
  addDriftMonitorToCatalog(platform.catalog, platform.owner, plan, props.model, {
    path: monitor.node.path,
    name: monitor.monitorLabel,
    location: `${namespace}/${monitor.name}`,
    engine: 'kubernetes',
    reportsUri: `kubectl -n ${namespace} logs -l app.kubernetes.io/name=${monitor.name} -c compare`,
    sourceNodeId: watched !== undefined && watched === pipeline ? pipelineInputNodeId(watched.node.path) : undefined,
    monitoredNodeId: watched?.node.path,
    retrainingLocation: monitor.retrainingJobName ? `${namespace}/${monitor.retrainingJobName}` : undefined,
    approval: monitor.retrainingJobName ? 'kubectl patch job (spec.suspend: false)' : undefined,
  });
  // Titled by the object name, the same on cdk8s and Pulumi (whose construct paths differ).
  platform.dashboard.addRow(driftDashboardRow(`Drift ${monitor.name}`, plan, { prometheus: { model: plan.model.name, monitor: monitor.monitorLabel } }));
}
