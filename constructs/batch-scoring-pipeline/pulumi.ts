import { BatchScoringPipeline as K8sBatchScoringPipeline, type BatchScoringPipelineProps } from './k8s';
import { MAX_PIPELINE_NAME_LENGTH } from './k8s-props';
import { KubernetesComponent, type KubernetesComponentOptions, type KubernetesPlacementArgs, objectNameFor, withoutPlacement } from '../../lib/pulumi';

export { BATCH_BAD_INPUT_EXIT_CODE, type BatchJobHistoryLimits } from './k8s';

/** Args for the Pulumi `BatchScoringPipeline`: the Kubernetes flavor's props, plus where the objects go. */
export interface BatchScoringPipelineArgs extends BatchScoringPipelineProps, KubernetesPlacementArgs {}

/**
 * The Pulumi flavor of `BatchScoringPipeline` (type `ml-platform:batch:BatchScoringPipeline`): renders the cdk8s
 * construct and registers exactly its objects (CronJob, ServiceAccount, NetworkPolicy, PrometheusRule) as children.
 */
export class BatchScoringPipeline extends KubernetesComponent {
  /** The Kubernetes name of the CronJob and the other objects (`args.name`, else the component's name). */
  public readonly name: string;

  public constructor(name: string, args: BatchScoringPipelineArgs, opts?: KubernetesComponentOptions) {
    let objectName = '';
    super('ml-platform:batch:BatchScoringPipeline', name, args, (chart) => {
      const props = withoutPlacement(args);
      objectName = new K8sBatchScoringPipeline(chart, 'Resource', { ...props, name: props.name ?? objectNameFor(name, MAX_PIPELINE_NAME_LENGTH) }).name;
    }, opts);
    this.name = objectName;
    this.finish({ name: objectName });
  }
}
