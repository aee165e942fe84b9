import { Aws, Duration, Size, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { addDriftMonitorToPlatform } from './aws-platform';
import { RetrainingGate, type RetrainingTargets } from './aws-retraining';
import { DRIFT_METRIC_NAMESPACE, DRIFT_RUNBOOK } from './metrics';
import { type DriftMonitorPlan, type DriftMonitorPlanProps, type DriftSourceOptions, planDriftMonitor } from './plan';
import { driftScriptDirectory } from './script';
import {
  acknowledge, acknowledgeWildcardResource, contractStatement, EncryptionKey, fitDescription, fitDescriptionsBelow, gateAlarm, ownedDescription,
  type OwnerNotifications,
  PlatformServices,
  StackSbom, trustedServicePrincipal,
} from '../../lib/aws';
import { AWS_KINDS } from '../../lib/aws/aws-kinds';
import { DRIFT_PUT_METRICS, DRIFT_READ_WINDOW, DRIFT_REQUEST_RETRAINING, DRIFT_WRITE_REPORT } from '../../lib/aws/contracts/drift-monitor';
import { isUnresolved, MlPlatformError, PLATFORM_DATA_LAYOUT, PropChecks } from '../../lib/core';
import type { BatchScoringPipeline } from '../batch-scoring-pipeline/aws';
import type { CanaryEndpoint } from '../canary-endpoint/aws';

export { DRIFT_METRIC_NAMESPACE, DRIFT_RUNBOOK } from './metrics';

/** The comparison function's sizing: what one window may hold and still compare within Lambda's limits. */
export const DRIFT_LAMBDA = {
  // Lambda's longest timeout (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
  timeoutSeconds: 900,
  // drift_lambda.py's MAX_WINDOW_BYTES: 1 GiB read per window, about 100 s at the benchmark's million values per second.
  maxWindowBytes: 1024 ** 3,
  // The window on local storage plus a margin for the report (ephemeral storage is 512-10,240 MB).
  ephemeralStorageMb: 2048,
  // Two vCPUs' worth of memory (1,769 MB is one): the reservoir of KS samples and the parse buffers, with room.
  memoryMb: 3008,
  // Lambda's limit on a function's environment variables, all together (4 KB).
  environmentBytes: 4096,
} as const;

/** Props for the AWS `DriftMonitor`. Exactly one of `source`, `endpoint` and `pipeline`. */
export interface DriftMonitorProps extends Omit<DriftMonitorPlanProps, 'source'>, RetrainingTargets {
  /**
   * The data compared, as a prefix.
   * @default - the captured requests of `endpoint`, or the inputs of `pipeline`
   */
  readonly source?: DriftSourceOptions;
  /**
   * A `CanaryEndpoint` with data capture on: its captured requests (`<capture>/<endpoint>/AllTraffic/yyyy/mm/dd/hh/`).
   * @default - none
   */
  readonly endpoint?: CanaryEndpoint;
  /**
   * A `BatchScoringPipeline`: the inputs of each run date (`<inputUri>run_date=yyyy-mm-dd/`, CSV).
   * @default - none
   */
  readonly pipeline?: BatchScoringPipeline;
  /**
   * Who is paged on drift and asked to approve retraining.
   * @default - the platform owner's topic under an `MlPlatform`; required outside one
   */
  readonly notifications?: OwnerNotifications;
  /**
   * The key of the reports, the logs, the schedule and the dead-letter queue; it must also decrypt the window's data.
   * @default - the platform's key under an `MlPlatform`; otherwise a new `EncryptionKey` (rotation on, retained)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Where reports go, under `reports/<monitor>/yyyy/mm/dd/hh/report.json`.
   * @default - the platform's data bucket under an `MlPlatform`; required outside one
   */
  readonly reportBucket?: s3.IBucket;
}

/**
 * Per-feature drift of a model's production data against its training baseline, on AWS: EventBridge Scheduler runs
 * `drift.py compare` in a Lambda Python function over each window's data, writes the report, puts PSI and KS per
 * feature to CloudWatch, pages the owner at warn and alarm level and when no report arrives, and on an alarm-level
 * window opens at most one retraining request per model, which a human approves (`RetrainingGate`).
 */
export class DriftMonitor extends Construct {
  /** The resolved plan. */
  public readonly plan: DriftMonitorPlan;
  /** The function that runs each comparison. */
  public readonly function: lambda.Function;
  /** The schedule that invokes it. */
  public readonly schedule: scheduler.Schedule;
  /** Where invocations that could not start go. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Some feature at warn level or above. */
  public readonly warnAlarm: cloudwatch.Alarm;
  /** Some feature at alarm level. */
  public readonly driftAlarm: cloudwatch.Alarm;
  /** The window had too little data to judge some feature (or none at all). */
  public readonly insufficientDataAlarm: cloudwatch.Alarm;
  /** No report for two periods: the monitor itself is failing. */
  public readonly missingReportsAlarm: cloudwatch.Alarm;
  /** The retraining gate, when `retraining` is set. */
  public readonly retrainingGate?: RetrainingGate;
  /** The prefix of the reports in the report bucket. */
  public readonly reportPrefix: string;
  /** The key of everything the monitor writes. */
  public readonly encryptionKey: kms.IKey;

  public constructor(scope: Construct, id: string, props: DriftMonitorProps) {
    super(scope, id);
    this.checkResources(props);
    const source = this.sourceOf(props);
    this.plan = planDriftMonitor(this, { ...props, source });
    const plan = this.plan;
    const platform = PlatformServices.join(this, { kind: 'DriftMonitor', model: plan.model.name });
    // Descriptions derived from the construct path fit each service's limits and character set, whatever the ids.
    fitDescriptionsBelow(this);
    const notifications = props.notifications ?? platform?.notifications;
    const reportBucket = props.reportBucket ?? platform?.dataBucket;
    if (!notifications) {
      this.fail('notifications', undefined, 'an OwnerNotifications topic, or the monitor created under an MlPlatform', 'pass notifications, or create the monitor inside an MlPlatform');
    }
    if (!reportBucket) {
      this.fail('reportBucket', undefined, 'an S3 bucket, or the monitor created under an MlPlatform (its data bucket)', 'pass reportBucket, or create the monitor inside an MlPlatform');
    }
    this.encryptionKey = props.encryptionKey ?? platform?.encryptionKey ?? new EncryptionKey(this, 'Key', { description: `Drift monitor key for ${this.node.path}` }).key;
    const monitorName = monitorNameOf(this);
    // Alarm descriptions hold at most 1,024 characters with the owner and runbook: a very long path gives way to the name.
    const label = this.node.path.length <= MAX_MONITOR_NAME ? this.node.path : monitorName;
    this.reportPrefix = PLATFORM_DATA_LAYOUT.reports(monitorName);
    const retraining = this.retrainingOf(props, notifications);
    this.retrainingGate = retraining;

    const config = {
      kind: plan.source.kind,
      bucket: plan.source.bucket,
      windowTemplate: plan.source.windowTemplate,
      variantNames: plan.source.variantNames,
      format: plan.source.format,
      everyHours: plan.schedule.everyHours,
      baselineBucket: plan.baseline.bucket,
      baselineKey: plan.baseline.key,
      reportBucket: reportBucket.bucketName,
      reportPrefix: this.reportPrefix,
      namespace: DRIFT_METRIC_NAMESPACE,
      monitor: monitorName,
      modelName: plan.model.name,
      compareArguments: plan.compareArguments,
      maxWindowBytes: DRIFT_LAMBDA.maxWindowBytes,
      retrainingStateMachineArn: retraining?.stateMachine.stateMachineArn,
    };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      // SQS's longest retention: two weeks to notice and replay a missed window (schedule
      // deliveries that failed, and comparisons that failed all of Lambda's asynchronous attempts).
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, 'schedulerDeadLetterQueue');
    acknowledge(this.deadLetterQueue, 'deadLetterQueueIsLast');
    this.function = this.comparisonFunction(config, reportBucket);
    this.schedule = this.scheduleComparisons();

    const dimensions = { Model: plan.model.name, Monitor: monitorName };
    const period = Duration.hours(plan.schedule.everyHours);
    const metric = (metricName: string, statistic = 'Maximum') => new cloudwatch.Metric({ namespace: DRIFT_METRIC_NAMESPACE, metricName, dimensionsMap: dimensions, period, statistic });
    const pageable = { threshold: 0, evaluationPeriods: 1, datapointsToAlarm: 1 };
    this.warnAlarm = gateAlarm(this, 'FeaturesAtWarn', {
      ...pageable,
      metric: new cloudwatch.MathExpression({ expression: 'warn + alarm', usingMetrics: { warn: metric('FeaturesAtWarn'), alarm: metric('FeaturesAtAlarm') }, period }),
      description: `${label}: a feature of ${plan.model.name} drifted to warn level (PSI >= ${plan.thresholds.psiWarn}). Read the report under ${this.reportPrefix} in the report bucket.`,
      runbook: `${DRIFT_RUNBOOK}/warn`,
    });
    this.driftAlarm = gateAlarm(this, 'FeaturesAtAlarm', {
      ...pageable,
      metric: metric('FeaturesAtAlarm'),
      description: `${label}: a feature of ${plan.model.name} drifted to alarm level (PSI >= ${plan.thresholds.psiAlarm} or KS).${retraining ? ' A retraining request awaits approval.' : ''}`,
      runbook: `${DRIFT_RUNBOOK}/alarm`,
    });
    this.insufficientDataAlarm = gateAlarm(this, 'InsufficientData', {
      ...pageable,
      metric: metric('FeaturesInsufficientData'),
      description: `${label}: the last window had too few rows to judge some feature of ${plan.model.name}; drift there is unseen.`,
      runbook: `${DRIFT_RUNBOOK}/insufficient-data`,
    });
    // Silence breaches: two periods without a report mean the monitor is not running.
    this.missingReportsAlarm = new cloudwatch.Alarm(this, 'MissingReports', {
      metric: metric('Reports', 'SampleCount'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: ownedDescription(this, 'MissingReports',
        `${label}: no drift report for two periods (${2 * plan.schedule.everyHours} h); the comparison is failing or not scheduled. See the function's logs and the dead-letter queue.`,
        `${DRIFT_RUNBOOK}/missing-reports`),
    });
    notifications.notifyOn(this.warnAlarm, this.driftAlarm, this.insufficientDataAlarm, this.missingReportsAlarm);
    this.recordInSbom(props.model);
    if (platform) {
      addDriftMonitorToPlatform(this, platform, props, { monitorName, reportBucket, notifications });
    }
  }

  /** Bring-your-own resources of the right kind (a plain-JavaScript caller may pass anything). */
  private checkResources(props: DriftMonitorProps): void {
    const checks = new PropChecks(this);
    checks.object('props', props);
    if (props.notifications !== undefined) {
      checks.kind('notifications', props.notifications, AWS_KINDS.notifications);
    }
    if (props.encryptionKey !== undefined) {
      checks.kind('encryptionKey', props.encryptionKey, AWS_KINDS.key);
    }
    if (props.reportBucket !== undefined) {
      checks.kind('reportBucket', props.reportBucket, AWS_KINDS.bucket);
    }
    const constructs = { endpoint: 'dataCaptureBucket', pipeline: 'plan', stateMachine: 'stateMachineArn', eventBus: 'eventBusArn' } as const;
    for (const [prop, field] of Object.entries(constructs)) {
      const value = props[prop as keyof typeof constructs] as unknown;
      if (value !== undefined && (typeof value !== 'object' || value === null || !(field in value))) {
        this.fail(prop, value, `a ${CONSTRUCT_NAMES[prop as keyof typeof constructs]} construct`, 'pass the construct itself, not its name or ARN');
      }
    }
    if (props.pipelineArn !== undefined && typeof props.pipelineArn !== 'string') {
      this.fail('pipelineArn', props.pipelineArn, 'a SageMaker pipeline ARN string', 'copy the ARN from describe-pipeline');
    }
  }

  private sourceOf(props: DriftMonitorProps): DriftSourceOptions {
    const given = (['source', 'endpoint', 'pipeline'] as const).filter((prop) => props[prop] !== undefined);
    if (given.length !== 1) {
      this.fail(given.length === 0 ? 'source' : given.join(' and '), given.length === 0 ? undefined : given.join(', '),
        'exactly one of source, endpoint and pipeline', 'name the data compared once');
    }
    if (props.endpoint) {
      const bucket = props.endpoint.dataCaptureBucket;
      if (!bucket) {
        this.fail('endpoint', props.endpoint.node.path, 'a CanaryEndpoint with data capture on', 'turn dataCapture on, or pass source with the captured data\'s prefix');
      }
      return { kind: 'endpoint-capture', uri: `s3://${bucket.bucketName}/${PLATFORM_DATA_LAYOUT.dataCaptureRoot}/`, endpointName: props.endpoint.endpointName, variantNames: [props.endpoint.variantName] };
    }
    if (props.pipeline) {
      const input = props.pipeline.plan.input;
      return { kind: 'pipeline-inputs', uri: `s3://${input.bucket}/${input.prefix}` };
    }
    return props.source!;
  }

  private retrainingOf(props: DriftMonitorProps, notifications: OwnerNotifications): RetrainingGate | undefined {
    const retraining = this.plan.retraining;
    const targets = { 'sagemaker-pipeline': 'pipelineArn', 'state-machine': 'stateMachine', 'eventbridge-event': 'eventBus' } as const;
    const given = Object.values(targets).filter((prop) => props[prop] !== undefined);
    if (!retraining) {
      if (given.length > 0) {
        this.fail(given[0], String(given[0]), 'a retraining target only with retraining set', 'add retraining: { target: ... }, or remove the target');
      }
      return undefined;
    }
    if (retraining.target === 'kubernetes-job') {
      this.fail('retraining.target', retraining.target, 'sagemaker-pipeline, state-machine or eventbridge-event on AWS', 'pick an AWS target');
    }
    const wanted = targets[retraining.target];
    const stray = given.filter((prop) => prop !== wanted);
    if (stray.length > 0 || (wanted !== 'eventBus' && props[wanted] === undefined)) {
      this.fail(stray[0] ?? wanted, stray[0] ?? undefined, `${wanted} for retraining.target "${retraining.target}", and no other target`,
        `pass ${wanted}${stray.length > 0 ? ` and remove ${stray.join(', ')}` : ''}`);
    }
    if (props.pipelineArn !== undefined && !isUnresolved(props.pipelineArn) && !/^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:pipeline\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/.test(props.pipelineArn)) {
      this.fail('pipelineArn', props.pipelineArn, 'a SageMaker pipeline ARN, arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>', 'copy the ARN from describe-pipeline');
    }
    return new RetrainingGate(this, 'Retraining', {
      ...props,
      target: retraining.target,
      approvalTimeoutHours: retraining.approvalTimeoutHours,
      notifications,
      encryptionKey: this.encryptionKey,
      modelName: this.plan.model.name,
    });
  }

  private comparisonFunction(config: Record<string, unknown>, reportBucket: s3.IBucket): lambda.Function {
    const environment = { DRIFT_MONITOR_CONFIG: JSON.stringify(config) };
    // Tokens resolve to ARNs and names shorter than their placeholders' budget; the compare arguments are the variable part.
    if (JSON.stringify(environment).length > DRIFT_LAMBDA.environmentBytes) {
      this.fail('thresholds.features', Object.keys(this.plan.thresholds.features).length,
        `per-feature thresholds that fit Lambda's ${DRIFT_LAMBDA.environmentBytes}-byte environment with the rest of the configuration`,
        'keep overrides for the features that need them; set psiWarn and psiAlarm for the rest');
    }
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: this.encryptionKey,
      // A year of comparison logs: the retention NIST 800-53 AU-11 examples use.
      retention: logs.RetentionDays.ONE_YEAR,
    });
    const role = new iam.Role(this, 'Role', { assumedBy: trustedServicePrincipal(this, 'lambda') });
    const policy = new iam.ManagedPolicy(this, 'Policy', { roles: [role] });
    const { source, baseline } = this.plan;
    const sourceObjects = `arn:${Aws.PARTITION}:s3:::${source.bucket}/${source.prefix}*`;
    const reports = reportBucket.arnForObjects(`${this.reportPrefix}*`);
    const [list, get, decrypt] = DRIFT_READ_WINDOW.callerActions;
    policy.addStatements(
      new iam.PolicyStatement({ actions: [list], resources: [`arn:${Aws.PARTITION}:s3:::${source.bucket}`], conditions: { StringLike: { 's3:prefix': [`${source.prefix}*`] } } }),
      new iam.PolicyStatement({ actions: [get], resources: [sourceObjects, `arn:${Aws.PARTITION}:s3:::${baseline.bucket}/${baseline.key}`] }),
      new iam.PolicyStatement({ actions: [decrypt], resources: [this.encryptionKey.keyArn] }),
      contractStatement(DRIFT_WRITE_REPORT, [reports, this.encryptionKey.keyArn]),
      contractStatement(DRIFT_PUT_METRICS, ['*']),
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    acknowledgeWildcardResource(policy, sourceObjects, 'runtimeObjectKeys');
    acknowledgeWildcardResource(policy, `${source.prefix}*`, 'runtimeObjectKeys');
    acknowledgeWildcardResource(policy, reports, 'runtimeObjectKeys');
    acknowledgeWildcardResource(policy, '*', 'metricNamespace');
    if (this.retrainingGate) {
      policy.addStatements(contractStatement(DRIFT_REQUEST_RETRAINING, [this.retrainingGate.stateMachine.stateMachineArn]));
    }
    const fn = new lambda.Function(this, 'Resource', {
      // The newest Python runtime Lambda runs (the CloudFormation specification cfn-lint checks has no 3.15 yet).
      runtime: lambda.Runtime.PYTHON_3_14,
      handler: 'drift_lambda.handler',
      code: lambda.Code.fromAsset(driftScriptDirectory(), { exclude: ['__pycache__', '*.pyc'] }),
      role,
      logGroup,
      timeout: Duration.seconds(DRIFT_LAMBDA.timeoutSeconds),
      memorySize: DRIFT_LAMBDA.memoryMb,
      ephemeralStorageSize: Size.mebibytes(DRIFT_LAMBDA.ephemeralStorageMb),
      // No retry of a failed comparison: it lands in the dead-letter queue and the missing-reports alarm pages, and
      // with one invocation per window (at most 15 min, the period at least 60) two never look for an open request at once.
      retryAttempts: 0,
      environment,
      // The schedule invokes asynchronously: a comparison that fails every attempt lands beside undelivered invocations.
      deadLetterQueue: this.deadLetterQueue,
      description: fitDescription('lambda', `Compares each window with the training baseline for ${this.node.path}`),
    });
    fn.node.addDependency(policy);
    acknowledge(fn, 'lambdaRuntimeAheadOfLaunch');
    acknowledge(fn, 'lambdaOutsideVpc');
    // Reserving concurrency fails deployment in accounts at the default quota of 10; one invocation per window needs none.
    acknowledge(fn, 'lambdaUnreservedConcurrency');
    acknowledge(role, 'lambdaDeadLetterGrant');
    return fn;
  }

  private scheduleComparisons(): scheduler.Schedule {
    const { schedule: timing } = this.plan;
    const role = new iam.Role(this, 'ScheduleRole', { assumedBy: trustedServicePrincipal(this, 'scheduler') });
    acknowledge(role, 'stepFunctionsTaskPolicies');
    this.encryptionKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey');
    const hours = timing.everyHours === 24 ? '0' : `0/${timing.everyHours}`;
    const schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule: scheduler.ScheduleExpression.expression(`cron(${timing.startDelayMinutes} ${hours} * * ? *)`, TimeZone.ETC_UTC),
      description: fitDescription('schedule', `Runs ${this.node.path} (${timing.cron} UTC)`),
      key: this.encryptionKey,
      target: new schedulerTargets.LambdaInvoke(this.function, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: this.deadLetterQueue,
        role,
        // A window not compared within its period is reported missing; the next window is the one to compare.
        maxEventAge: Duration.hours(1),
        retryAttempts: 2,
      }),
    });
    acknowledgeWildcardResource(role.node.findChild('DefaultPolicy'), `${this.function.functionArn}:*`, 'functionVersions');
    return schedule;
  }

  private recordInSbom(modelArtifact: DriftMonitorPlanProps['model']): void {
    const sbom = StackSbom.of(this);
    const { plan } = this;
    const monitor = sbom.addService({ name: this.node.path.replace(/\//g, '-'), description: `Drift monitor ${this.node.path}` });
    const baselineUri = isUnresolved(plan.baseline.bucket) ? undefined : `s3://${plan.baseline.bucket}/${plan.baseline.key}`;
    const model = sbom.addModel(modelArtifact);
    const baseline = sbom.addDataset({ name: `${plan.model.name}-${plan.model.version}-drift-baseline`, uri: baselineUri, description: `Training baseline of ${plan.model.name} ${plan.model.version}` });
    sbom.addDependency(model, baseline);
    sbom.addDependency(monitor, model, baseline);
  }

  private fail(prop: string, value: unknown, allowed: string, fix: string): never {
    throw new MlPlatformError({ scope: this, prop, value, allowed, fix });
  }
}

const CONSTRUCT_NAMES = { endpoint: 'CanaryEndpoint', pipeline: 'BatchScoringPipeline', stateMachine: 'Step Functions state machine', eventBus: 'EventBridge bus' } as const;

// The monitor's name is a metric dimension value (at most 1,024 characters) and part of the report prefix: the
// construct path, readable, cut to 200 characters with the construct's address when longer.
const MAX_MONITOR_NAME = 200;

/** The construct path with "-" for "/", or its first characters and the construct's address when it is longer. */
function monitorNameOf(monitor: Construct): string {
  const name = monitor.node.path.replace(/[^A-Za-z0-9_.-]+/g, '-');
  return name.length <= MAX_MONITOR_NAME ? name : `${name.slice(0, MAX_MONITOR_NAME - 9)}-${monitor.node.addr.slice(0, 8)}`;
}
