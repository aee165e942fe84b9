import { BatchScoringPipeline as K8sBatchScoringPipeline, type BatchScoringPipelineProps } from './k8s';
import { KubernetesComponent, type KubernetesComponentOptions, type KubernetesPlacementArgs, withoutPlacement } from '../../lib/pulumi';

export { BATCH_BAD_INPUT_EXIT_CODE, type BatchJobHistoryLimits } from './k8s';

/** Args for the Pulumi `BatchScoringPipeline`: the Kubernetes flavor's props, plus where the objects go. */
export interface BatchScoringPipelineArgs extends BatchScoringPipelineProps, KubernetesPlacementArgs {}

/**
 * The Pulumi flavor of `BatchScoringPipeline` (type `ml-platform:batch:BatchScoringPipeline`): renders the cdk8s
 * construct and registers exactly its objects (CronJob, ServiceAccount, NetworkPolicy, PrometheusRule) as children.
 */
export class BatchScoringPipeline extends KubernetesComponent {
  /** The name of the CronJob and the other objects. */
  public readonly pipelineName: string;

  public constructor(name: string, args: BatchScoringPipelineArgs, opts?: KubernetesComponentOptions) {
    let pipelineName = '';
    super('ml-platform:batch:BatchScoringPipeline', name, args, (chart) => {
      const props = withoutPlacement(args);
      pipelineName = new K8sBatchScoringPipeline(chart, 'Resource', { ...props, name: props.name ?? name }).name;
    }, opts);
    this.pipelineName = pipelineName;
    this.finish({ pipelineName });
  }
}
