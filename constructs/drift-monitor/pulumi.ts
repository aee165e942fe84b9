import { DriftMonitor as K8sDriftMonitor } from './k8s';
import { type DriftMonitorOptions, MAX_MONITOR_NAME_LENGTH } from './k8s-props';
import type { DriftSourceOptions } from './plan';
import { KubernetesComponent, type KubernetesComponentOptions, type KubernetesPlacementArgs, objectNameFor, withoutPlacement } from '../../lib/pulumi';

export type { DriftMonitorOptions, KubernetesRetrainingOptions, ObjectStoreOptions, RetrainingJobTemplate } from './k8s-props';

/**
 * Args for the Pulumi `DriftMonitor`: the Kubernetes flavor's props, plus where the objects go. The data is a `source`
 * prefix: Pulumi components hold no cdk8s constructs to pass as `endpoint` or `pipeline`.
 */
export interface DriftMonitorArgs extends DriftMonitorOptions, KubernetesPlacementArgs {
  /** The data compared, as a prefix: an endpoint's capture, a pipeline's inputs or any prefix with a format. */
  readonly source: DriftSourceOptions;
}

/**
 * The Pulumi flavor of `DriftMonitor` (type `ml-platform:drift:DriftMonitor`): renders the cdk8s construct and registers
 * exactly its objects (ConfigMap, ServiceAccount, CronJob, NetworkPolicy, PrometheusRule, and the Role and RoleBinding
 * of the retraining gate) as children.
 */
export class DriftMonitor extends KubernetesComponent {
  /** The Kubernetes name of the CronJob and the other objects (`args.name`, else the component's name). */
  public readonly name: string;
  /** The name of the model's retraining Job, when `retraining` is set. */
  public readonly retrainingJobName?: string;

  public constructor(name: string, args: DriftMonitorArgs, opts?: KubernetesComponentOptions) {
    let monitor: K8sDriftMonitor | undefined;
    super('ml-platform:drift:DriftMonitor', name, args, (chart) => {
      const props = withoutPlacement(args);
      monitor = new K8sDriftMonitor(chart, 'Resource', { ...props, name: props.name ?? objectNameFor(name, MAX_MONITOR_NAME_LENGTH) });
    }, opts);
    this.name = monitor!.name;
    this.retrainingJobName = monitor!.retrainingJobName;
    this.finish({ name: this.name, retrainingJobName: this.retrainingJobName });
  }
}
