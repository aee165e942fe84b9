import { Aws, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { PipelineNetwork } from './aws-network';
import { inJsonata } from './aws-workflow';
import { type BatchScoringPipelinePlan, RUN_LAYOUT } from './plan';
import { contractStatement, type SageMakerExecutionRole } from '../../lib/aws';
import { CREATE_PROCESSING_JOB, PASS_EXECUTION_ROLE, SYNC_JOB_EVENTS, VOLUME_KEY_GRANT } from '../../lib/aws/contracts/sagemaker-jobs';

/** What the validation step needs. */
export interface ValidationJobOptions {
  readonly plan: BatchScoringPipelinePlan;
  readonly execution: SageMakerExecutionRole;
  readonly jobNamePrefix: string;
  readonly encryptionKey: kms.IKey;
  /** The VPC the job runs in, if any. */
  readonly network?: PipelineNetwork;
}

/** The validation step and the permissions its state machine needs for it. */
export interface ValidationJob {
  readonly state: sfn.CustomState;
  readonly statements: iam.PolicyStatement[];
}

const RUN_DATE = "' & $runDate & '";
const RUN_ID = "' & $runId & '";

/**
 * The user's validator as a SageMaker Processing job, run through the `.sync` integration (Step Functions waits
 * for it; a non-zero exit fails the step). It gets `RUN_DATE`, `RUN_ID`, `INPUT_PREFIX` and `OUTPUT_PREFIX`.
 * aws-cdk-lib has no task for processing jobs, so this is the state's Amazon States Language, and the caller
 * adds `statements` to the state machine's role.
 */
export function validationProcessingJob(scope: Construct, options: ValidationJobOptions): ValidationJob {
  const { plan, execution } = options;
  const image = plan.validatorImage!;
  const stack = Stack.of(scope);
  const state = new sfn.CustomState(scope, 'Validate', {
    stateJson: {
      Type: 'Task',
      QueryLanguage: 'JSONata',
      Resource: `arn:${Aws.PARTITION}:states:::sagemaker:createProcessingJob.sync`,
      Arguments: {
        ProcessingJobName: `{% '${options.jobNamePrefix}-v' & $replace($runDate, '-', '') & '-' & $runId & '-' & $states.context.Execution.RedriveCount & '-' & $states.context.State.RetryCount %}`,
        RoleArn: execution.role.roleArn,
        AppSpecification: { ImageUri: image.reference },
        Environment: {
          ...plan.environment,
          RUN_DATE: '{% $runDate %}',
          RUN_ID: '{% $runId %}',
          INPUT_PREFIX: `{% 's3://${plan.input.bucket}/${RUN_LAYOUT.inputPrefix(inJsonata(plan.input), RUN_DATE)}' %}`,
          OUTPUT_PREFIX: `{% 's3://${plan.output.bucket}/${RUN_LAYOUT.runPrefix(inJsonata(plan.output), RUN_DATE, RUN_ID)}' %}`,
        },
        ProcessingResources: {
          // One small instance: validation reads results, it does not score them.
          ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30, VolumeKmsKeyId: options.encryptionKey.keyArn },
        },
        StoppingCondition: { MaxRuntimeInSeconds: plan.runTimeoutSeconds },
        NetworkConfig: {
          EnableNetworkIsolation: false,
          EnableInterContainerTrafficEncryption: true,
          ...(options.network ? { VpcConfig: options.network.sageMakerVpcConfig } : {}),
        },
      },
      TimeoutSeconds: plan.runTimeoutSeconds,
      Retry: [{
        ErrorEquals: ['SageMaker.AmazonSageMakerException', 'SageMaker.ResourceLimitExceededException'],
        MaxAttempts: plan.retries.maxAttempts - 1,
        IntervalSeconds: plan.retries.intervalSeconds,
        BackoffRate: plan.retries.backoffRate,
      }],
    },
  });
  const processingJobs = stack.formatArn({ service: 'sagemaker', resource: 'processing-job', resourceName: `${options.jobNamePrefix.toLowerCase()}-*` });
  const statements = [
    contractStatement(CREATE_PROCESSING_JOB, [processingJobs]),
    contractStatement(PASS_EXECUTION_ROLE, [execution.role.roleArn]),
    contractStatement(SYNC_JOB_EVENTS, [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForSageMakerProcessingJobsRule' })]),
    // VolumeKmsKeyId: SageMaker creates the volume's grant with the caller's permissions.
    contractStatement(VOLUME_KEY_GRANT, [options.encryptionKey.keyArn]),
  ];
  return { state, statements };
}
