import type { IConstruct } from 'constructs';
import type { BatchScoringPipelineProps } from './k8s';
import { checkContainerSize, KubernetesPropChecks } from '../../lib/k8s';

// The CronJob controller names each Job `<name>-<minutes since the epoch>` (11 characters) within the 63 of a label.
export const MAX_PIPELINE_NAME_LENGTH = 52;

/**
 * The type and value checks of the Kubernetes-only props of `BatchScoringPipeline`; returns the object name (the
 * given one checked, or `derived`), claimed in its namespace.
 */
export function checkBatchKubernetesProps(scope: IConstruct, props: BatchScoringPipelineProps, derived: string): string {
  const checks = new KubernetesPropChecks(scope);
  const name = checks.objectName(props.name ?? derived, {
    maxLength: MAX_PIPELINE_NAME_LENGTH, services: false, why: 'each run\'s Job adds "-<minutes>"',
  });
  checks.optionalImage('publisherImage', props.publisherImage);
  checkContainerSize(checks, 'resources', props.resources);
  if (props.historyLimits !== undefined) {
    checks.object('historyLimits', props.historyLimits);
  }
  return name;
}
