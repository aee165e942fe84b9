import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, TimeZone, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PipelineNetwork } from './aws-network';
import { checkBatchAwsProps } from './aws-props';
import { RecordCounter } from './aws-record-counter';
import { RECORDS_SCORED_METRIC, recordsScoredPipelineName, recordsScoredStep } from './aws-records-scored';
import { notifyUnfinishedRuns } from './aws-run-notifications';
import { validationProcessingJob } from './aws-validation';
import { MAX_BACKFILL_DAYS, scoringWorkflow, usesVolumeKey } from './aws-workflow';
import { batchDashboardRow } from './dashboard-row';
import { type BatchScoringPipelinePlan, type BatchScoringPipelinePlanProps, planBatchScoringPipeline, RUN_LAYOUT, type S3Prefix } from './plan';
import { addBatchToCatalog, BATCH_RUNBOOK } from './platform-entries';
import {
  acknowledge, acknowledgeWildcardResource, EncryptionKey, fitDescription, fitDescriptionsBelow, gateAlarm, type OwnerNotifications, PlatformServices,
  SageMakerExecutionRole, StackSbom,
} from '../../lib/aws';
import { JOB_DATA_KEY, JOB_VPC_NETWORK, VOLUME_KEY_GRANT } from '../../lib/aws/contracts/sagemaker-jobs';
import { logGroupKey } from '../../lib/aws/contracts/step-functions';
import { type FeatureReads, grantFeatureReads } from '../../lib/aws/feature-reads';
import { grantContract } from '../../lib/aws/service-contracts';
import { trustedServicePrincipal } from '../../lib/aws/service-principals';
import { isUnresolved, MlPlatformError } from '../../lib/core';

/** Props for the AWS `BatchScoringPipeline`. */
export interface BatchScoringPipelineProps extends BatchScoringPipelinePlanProps {
  /**
   * Who hears about failed and timed-out runs: the failure notifications and both alarms go to this topic.
   * @default - the platform owner's topic under an `MlPlatform`; required outside one
   */
  readonly notifications?: OwnerNotifications;
  /**
   * The customer-managed key of the input and output buckets, the job volumes, the manifests, the logs and the
   * dead-letter queue. The scoring role may decrypt the input with it.
   * @default - the platform's key under an `MlPlatform`; otherwise a new `EncryptionKey` (rotation on, retained)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The SageMaker instance type of the transform job.
   * @default "ml.m5.xlarge" - a general-purpose CPU instance with 16 GiB for tabular models
   */
  readonly instanceType?: string;
  /**
   * The largest request (mini-batch) sent to the container, in MB.
   * @default 6 - SageMaker's default, below the 6 MB a real-time invocation takes, so the same server works for both
   */
  readonly maxPayloadMb?: number;
  /**
   * Whether each request carries several records or one.
   * @default "MultiRecord" - fewer requests for line-delimited input
   */
  readonly batchStrategy?: 'MultiRecord' | 'SingleRecord';
  /**
   * How input objects are split into records.
   * @default "Line" - JSON Lines or CSV, one record per line, assembled back one output line per record
   */
  readonly splitType?: 'Line' | 'None' | 'RecordIO' | 'TFRecord';
  /**
   * Whether the schedule is on; off leaves on-demand runs and backfills working.
   * @default true
   */
  readonly scheduleEnabled?: boolean;
  /**
   * A VPC to run the record counter, the transform jobs and the validation job in, behind one security group that
   * allows nothing in and only HTTPS (443) out. The subnets must reach S3, KMS, ECR, CloudWatch Logs and STS, through
   * VPC endpoints (an S3 gateway endpoint, interface endpoints for the others) or a NAT gateway.
   * @default - no VPC: the function reaches only S3 and KMS over TLS, and the model runs network-isolated
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets in `vpc`.
   * @default - the VPC's private subnets (CDK's default selection)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Feature groups the model reads while it scores: the execution role gets exactly GetRecord and BatchGetRecord on them (and the store key's Decrypt).
   * @default - none
   */
  readonly featureReads?: readonly FeatureReads[];
}

// SageMaker transform job names are at most 63 characters: prefix, '-', date (8), '-', run id (8), '-', attempt.
const JOB_NAME_PREFIX_LENGTH = 30;
// A Step Functions standard workflow runs at most a year.
const MAX_EXECUTION_SECONDS = 365 * 24 * 3600;

/**
 * Scheduled, idempotent batch inference on AWS: EventBridge Scheduler starts a Step Functions state machine that,
 * for each run date, skips dates already published (unless forced), checks the input is there, runs a SageMaker
 * transform job and waits for it (`.sync`), counts records against the input, runs the optional validation job,
 * and publishes `published/run_date=D/manifest.json` last, pointing at the run's own output prefix.
 *
 * Start a run for one date or a backfill with `aws stepfunctions start-execution --state-machine-arn <arn>
 * --input '{"runDate":"2026-11-01"}'` (or `{"from":"2026-11-01","to":"2026-11-07","force":true}`).
 */
export class BatchScoringPipeline extends Construct {
  /** The resolved plan. */
  public readonly plan: BatchScoringPipelinePlan;
  /** The state machine that runs each scoring run. */
  public readonly stateMachine: sfn.StateMachine;
  /** The schedule that starts it. */
  public readonly schedule: scheduler.Schedule;
  /** Where schedule invocations that could not start the state machine go. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The model the transform job runs. */
  public readonly model: sagemaker.CfnModel;
  /** The role of the transform (and validation) jobs. */
  public readonly execution: SageMakerExecutionRole;
  /** The alarm on failed executions. */
  public readonly failedRunsAlarm: cloudwatch.Alarm;
  /** The alarm on timed-out executions. */
  public readonly timedOutRunsAlarm: cloudwatch.Alarm;
  /** The key of everything the pipeline writes. */
  public readonly encryptionKey: kms.IKey;

  public constructor(scope: Construct, id: string, props: BatchScoringPipelineProps) {
    super(scope, id);
    this.plan = planBatchScoringPipeline(this, props);
    const plan = this.plan;
    const { maxPayloadMb, batchStrategy, splitType, instanceType } = checkBatchAwsProps(this, props, plan);
    fitDescriptionsBelow(this);
    const platform = PlatformServices.join(this, { kind: 'BatchScoringPipeline', model: plan.model.name });
    const notifications = props.notifications ?? platform?.notifications;
    if (!notifications) {
      this.fail('notifications', undefined, 'an OwnerNotifications topic, or the pipeline created under an MlPlatform (which supplies its owner\'s topic)',
        'pass notifications: new OwnerNotifications(...), or create the pipeline inside an MlPlatform');
    }
    this.encryptionKey = props.encryptionKey ?? platform?.encryptionKey ?? new EncryptionKey(this, 'Key', { description: `Batch scoring key for ${this.node.path}` }).key;
    // The construct's id, readable, plus its address: unique in the account, stable across deployments.
    const readableId = this.node.id.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, JOB_NAME_PREFIX_LENGTH - 9) || 'scoring';
    const jobNamePrefix = `${readableId}-${this.node.addr.slice(0, 8)}`;

    // Under a platform the role's statements are inline: one resource fewer per pipeline.
    this.execution = new SageMakerExecutionRole(this, 'Execution', { description: `Runs the transform jobs of ${this.node.path}`, inlinePolicy: platform !== undefined });
    grantFeatureReads(this.execution.role, props.featureReads);
    this.model = this.execution.createModel(this, 'Model', {
      model: plan.model, image: plan.image, environment: plan.environment, errorScope: this, modelProp: 'model', imageProp: 'image',
    });
    const network = PipelineNetwork.of(this, 'Network', props, this);
    if (network) {
      // Transform jobs run in the model's VPC; SageMaker creates their network interfaces with the execution role.
      this.model.vpcConfig = { securityGroupIds: network.sageMakerVpcConfig.SecurityGroupIds, subnets: network.sageMakerVpcConfig.Subnets };
      this.execution.allow([...JOB_VPC_NETWORK.callerActions], '*', 'networkInterfaces');
    }
    const inputObjects = `arn:${Aws.PARTITION}:s3:::${plan.input.bucket}/${RUN_LAYOUT.inputPrefix(plan.input, '*')}*`;
    const runObjects = `arn:${Aws.PARTITION}:s3:::${plan.output.bucket}/${plan.output.prefix}runs/*`;
    this.execution.allow(['s3:ListBucket'], `arn:${Aws.PARTITION}:s3:::${plan.input.bucket}`);
    this.execution.allow(['s3:GetObject'], inputObjects, 'runtimeObjectKeys');
    this.execution.allow(['s3:PutObject', 's3:AbortMultipartUpload'], runObjects, 'runtimeObjectKeys');
    // SageMaker encrypts transform output with kms:Encrypt on the role (CreateTransformJob's KmsKeyId).
    this.execution.allow([...JOB_DATA_KEY.callerActions], this.encryptionKey.keyArn);
    if (plan.validatorImage) {
      // The validator reads the run's output and lists it.
      this.execution.allowImage(plan.validatorImage, this, 'validation.validatorImage');
      this.execution.allow(['s3:GetObject'], runObjects, 'runtimeObjectKeys');
      if (plan.output.bucket !== plan.input.bucket) {
        this.execution.allow(['s3:ListBucket'], `arn:${Aws.PARTITION}:s3:::${plan.output.bucket}`);
      }
    }
    // SageMaker writes job logs to /aws/sagemaker/TransformJobs (and ProcessingJobs) with the job's role.
    for (const group of ['TransformJobs', 'ProcessingJobs']) {
      const logGroup = Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: `/aws/sagemaker/${group}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      this.execution.allow(['logs:CreateLogGroup'], logGroup);
      this.execution.allow(['logs:CreateLogStream', 'logs:PutLogEvents'], `${logGroup}:log-stream:${jobNamePrefix}-*`, 'logStreams');
    }

    const counter = new RecordCounter(this, 'RecordCounter', {
      encryptionKey: this.encryptionKey,
      objectArns: [inputObjects, runObjects],
      network,
    });

    const workflowScope = new Construct(this, 'Workflow');
    const validation = plan.validatorImage
      ? validationProcessingJob(workflowScope, { plan, execution: this.execution, jobNamePrefix, encryptionKey: this.encryptionKey, network })
      : undefined;
    const recordsScored = recordsScoredStep(workflowScope, recordsScoredPipelineName(this));
    const definition = scoringWorkflow(workflowScope, {
      plan,
      jobNamePrefix,
      modelName: this.model.attrModelName,
      execution: this.execution,
      encryptionKey: this.encryptionKey,
      recordCounter: counter.function,
      instanceType,
      maxPayloadMb,
      batchStrategy,
      splitType,
      validation: validation?.state,
      afterPublish: recordsScored.state,
    });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: this.encryptionKey,
      // A year of execution history: the retention NIST 800-53 AU-11 examples use.
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      // Step Functions assumes the role only for state machines of this account and region (confused deputy).
      role: new iam.Role(this, 'StateMachineRole', { assumedBy: trustedServicePrincipal(this, 'stepFunctions') }),
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      queryLanguage: sfn.QueryLanguage.JSONATA,
      // A backstop only: every step has its own timeout. The longest legitimate execution is a full backfill, each
      // date taking every scoring and validation attempt at the run timeout plus an hour of bookkeeping.
      timeout: Duration.seconds(Math.min(MAX_EXECUTION_SECONDS, MAX_BACKFILL_DAYS * (2 * plan.retries.maxAttempts * plan.runTimeoutSeconds + 3600))),
      tracingEnabled: true,
      // Execution data stays out of the logs: inputs and results may be personal data.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: `Batch scoring of ${plan.model.name} (${this.node.path})`,
    });
    this.grantLogGroupKey();
    this.encryptionKey.grant(this.stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey');
    if (usesVolumeKey(instanceType)) {
      // VolumeKmsKeyId: SageMaker creates the volume's grant with the caller's permissions.
      grantContract(this.stateMachine, VOLUME_KEY_GRANT, [this.encryptionKey.keyArn]);
    }
    notifyUnfinishedRuns(this, 'UnfinishedRuns', this.stateMachine, notifications);
    recordsScored.statements.forEach((statement) => this.stateMachine.addToRolePolicy(statement));
    this.acknowledgeTaskPolicies(counter, validation?.statements ?? []);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      // SQS's longest retention: two weeks to notice and replay a missed scheduled run.
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, 'schedulerDeadLetterQueue');
    acknowledge(this.deadLetterQueue, 'deadLetterQueueIsLast');
    const scheduleRole = new iam.Role(this, 'ScheduleRole', { assumedBy: trustedServicePrincipal(this, 'scheduler') });
    acknowledge(scheduleRole, 'stepFunctionsTaskPolicies');
    // The dead-letter queue and the schedule are encrypted with the key: sending to the queue needs both actions.
    this.encryptionKey.grant(scheduleRole, 'kms:Decrypt', 'kms:GenerateDataKey');
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.expression(plan.schedule.eventBridgeExpression, TimeZone.of(plan.schedule.timeZone)),
      description: fitDescription('schedule', `Starts ${this.node.path} (${plan.schedule.cron} ${plan.schedule.timeZone})`),
      enabled: props.scheduleEnabled ?? true,
      key: this.encryptionKey,
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: this.deadLetterQueue,
        role: scheduleRole,
        // A start that keeps failing for an hour is a fault for the owner, not something to retry into the next run.
        maxEventAge: Duration.hours(1),
        retryAttempts: plan.retries.maxAttempts,
      }),
    });

    this.failedRunsAlarm = gateAlarm(this, 'FailedRuns', {
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5) }),
      threshold: 0,
      description: `${this.node.path}: a scoring run failed; nothing was published for its date. See the execution history.`,
      runbook: `${BATCH_RUNBOOK}/failed-runs`,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    this.timedOutRunsAlarm = gateAlarm(this, 'TimedOutRuns', {
      metric: this.stateMachine.metricTimedOut({ period: Duration.minutes(5) }),
      threshold: 0,
      description: `${this.node.path}: a scoring run timed out; nothing was published for its date.`,
      runbook: `${BATCH_RUNBOOK}/timed-out-runs`,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    notifications.notifyOn(this.failedRunsAlarm, this.timedOutRunsAlarm);

    this.recordInSbom();
    if (platform) {
      addBatchToCatalog(platform.catalog, platform.owner, plan, {
        path: this.node.path,
        name: this.node.path.replace(/\//g, '-'),
        location: this.stateMachine.stateMachineArn,
        engine: 'aws',
        topicNodeId: notifications === platform.notifications ? platform.topicNodeId : undefined,
      });
      const recordsScoredMetric = { ...RECORDS_SCORED_METRIC, dimensions: { [RECORDS_SCORED_METRIC.dimension]: recordsScoredPipelineName(this) } };
      platform.dashboard.addRow(batchDashboardRow(`Pipeline ${this.node.path}`, plan, 0, {
        stepFunctions: { stateMachineArn: this.stateMachine.stateMachineArn, recordsScored: recordsScoredMetric },
      }));
    }
  }

  private fail(prop: string, value: unknown, allowed: string, fix: string): never {
    throw new MlPlatformError({ scope: this, prop, value, allowed, fix });
  }

  /** Lets CloudWatch Logs of the stack's region use the key for the account's log groups only. */
  private grantLogGroupKey(): void {
    const stack = Stack.of(this);
    const [statement] = logGroupKey(stack.region).resourcePolicy!;
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(statement.principal)],
      actions: [...statement.actions],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
    }));
  }

  /** Lets the grantee start runs and backfills. */
  public grantStartRun(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  /** The wildcard resources Step Functions' own task policies need, each acknowledged with its reason. */
  private acknowledgeTaskPolicies(counter: RecordCounter, validationStatements: iam.PolicyStatement[]): void {
    const role = this.stateMachine.role;
    for (const statement of validationStatements) {
      this.stateMachine.addToRolePolicy(statement);
    }
    acknowledge(role, 'stepFunctionsTaskPolicies');
    const policy = role.node.findChild('DefaultPolicy');
    acknowledgeWildcardResource(policy, '*', 'serviceWithoutResourcesAndMetrics');
    acknowledgeWildcardResource(policy, Stack.of(this).formatArn({ service: 'sagemaker', resource: 'transform-job', resourceName: '*' }), 'runtimeJobNames');
    acknowledgeWildcardResource(policy, `${counter.function.functionArn}:*`, 'functionVersions');
    acknowledgeWildcardResource(policy, `arn:${Aws.PARTITION}:s3:::${this.plan.output.bucket}/${this.plan.output.prefix}published/*`, 'runtimeObjectKeys');
    for (const resource of validationStatements.flatMap((statement) => statement.resources).filter((arn) => arn.includes('*'))) {
      acknowledgeWildcardResource(policy, resource, 'runtimeJobNames');
    }
    // The record counts' Distributed Maps: Step Functions' own policy to start, watch and redrive the child executions.
    const mapPolicy = this.stateMachine.node.findChild('DistributedMapPolicy') as iam.Policy;
    acknowledge(mapPolicy, 'stepFunctionsTaskPolicies');
    const mapStatements: Array<{ Resource: unknown }> = Stack.of(this).resolve(mapPolicy.document.toJSON()).Statement;
    for (const resource of mapStatements.flatMap((statement) => [statement.Resource].flat())) {
      if (JSON.stringify(resource).includes('*')) {
        acknowledgeWildcardResource(mapPolicy, Token.asString(resource), 'childExecutions');
      }
    }
  }

  private recordInSbom(): void {
    const sbom = StackSbom.of(this);
    const { plan } = this;
    const pipeline = sbom.addService({ name: this.node.path.replace(/\//g, '-'), description: `Batch scoring pipeline ${this.node.path}` });
    sbom.addDependency(pipeline,
      sbom.addModel(plan.model),
      sbom.addImage(plan.image),
      ...(plan.validatorImage ? [sbom.addImage(plan.validatorImage)] : []),
      sbom.addDataset({ name: `${plan.model.name}-scoring-input`, uri: knownUri(plan.input), description: 'Input of each run date' }),
      sbom.addDataset({ name: `${plan.model.name}-scores`, uri: knownUri(plan.output), description: 'Published scores (manifest per run date)' }));
  }
}

/** The prefix as an `s3://` URI when its bucket is known at synthesis (the SBOM records no placeholders). */
function knownUri(location: S3Prefix): string | undefined {
  return isUnresolved(location.bucket) ? undefined : `s3://${location.bucket}/${location.prefix}`;
}
