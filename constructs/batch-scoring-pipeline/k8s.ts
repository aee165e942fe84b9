import { ApiObject, Chart, Cron, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { batchDashboardRow } from './dashboard-row';
import { batchAlertRule, longestScheduleGapSeconds } from './k8s-alerts';
import { checkBatchKubernetesProps } from './k8s-props';
import { type BatchScoringPipelinePlan, type BatchScoringPipelinePlanProps, planBatchScoringPipeline } from './plan';
import { addBatchToCatalog } from './platform-entries';
import { type ContainerImage, propFailure } from '../../lib/core';
import {
  alertOwnership, allowAwsApiEgress, AppSbom, type ContainerSize,
  derivedObjectName, hardenedContainer, type HardenedContainerOptions, hardenedPodProps, hardenWorkload,
  PlatformServices, prometheusSelectorLabels,
} from '../../lib/k8s';

/** How many finished runs the CronJob keeps, with their pods and logs. */
export interface BatchJobHistoryLimits {
  /**
   * Successful runs kept.
   * @default 3
   */
  readonly successful?: number;
  /**
   * Failed runs kept.
   * @default 3 - the last three failures stay readable, not only the latest
   */
  readonly failed?: number;
}

/** Props for the Kubernetes `BatchScoringPipeline`. */
export interface BatchScoringPipelineProps extends BatchScoringPipelinePlanProps {
  /**
   * The name of the CronJob and the other objects. At most 52 characters: the CronJob controller appends
   * `-<minutes since the epoch>` to name each run's Job.
   * @default - a DNS label derived from the construct path
   */
  readonly name?: string;
  /**
   * CPU and memory of the scoring container (and of the validator, which reads what scoring wrote).
   * @default - 500m CPU request, 1000m limit, 1024 MiB
   */
  readonly resources?: ContainerSize;
  /**
   * The image of the publish step, the pod's main container. It runs with the environment of the run contract
   * plus `ROW_COUNT_TOLERANCE`.
   * @default - the scoring image, run with the argument `publish`
   */
  readonly publisherImage?: ContainerImage;
  /**
   * How late, in seconds, a run may start after its scheduled time; a run missed by more is skipped.
   * @default 3600 - a run missed by more than an hour waits for the next slot instead of piling up
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Failed attempts tolerated per shard before the run fails. Kubernetes retries a failed pod after 10 s,
   * doubling to at most 6 minutes; `retries.intervalSeconds` and `retries.backoffRate` do not apply.
   * @default - retries.maxAttempts - 1
   */
  readonly backoffLimitPerShard?: number;
  /**
   * Seconds a finished run's Job and pods are kept before Kubernetes deletes them (or fewer, when
   * `historyLimits` already removed them).
   * @default 604800 - seven days to read the logs of a failed run
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * How many finished runs the CronJob keeps.
   * @default - 3 successful, 3 failed
   */
  readonly historyLimits?: BatchJobHistoryLimits;
  /**
   * The labels your Prometheus selects PrometheusRules by (its `ruleSelector`); set on the PrometheusRule.
   * An empty object for a Prometheus that selects every rule.
   * @default { release: "kube-prometheus-stack" } - kube-prometheus-stack's default selector for a release of that name
   */
  readonly prometheusSelectorLabels?: Record<string, string>;
}

const DEFAULTS = {
  // A run missed by more than an hour waits for the next slot instead of piling up behind a late one.
  startingDeadlineSeconds: 3600,
  // Seven days: long enough to read the logs of a failed nightly run after a weekend.
  ttlSecondsAfterFinished: 7 * 24 * 3600,
  successfulJobsRetained: 3,
  // Three, not the Kubernetes default of one: a flaky pipeline's earlier failures stay readable.
  failedJobsRetained: 3,
} as const;

/** The exit code that means bad input: the run fails at once instead of being retried. */
export const BATCH_BAD_INPUT_EXIT_CODE = 2;

// The container whose exit code BATCH_BAD_INPUT_EXIT_CODE fails the run.
const SCORE_CONTAINER = 'score';
// The CronJob controller names each Job `<name>-<minutes since the epoch>` (11 characters) within the 63 of a label.
const MAX_NAME_LENGTH = 52;
// The label Kubernetes (1.27+) sets on every pod of a Job: the Job's name, unique per scheduled slot.
const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
// The annotation Kubernetes sets on every pod of an Indexed Job.
const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
// cdk8s-plus's pod address label as a JSON Pointer segment (RFC 6901 escapes "/" as "~1").
const ADDRESS_LABEL_POINTER = kplus.Pod.ADDRESS_LABEL.replace(/~/g, '~0').replace(/\//g, '~1');
// The publish step only reads markers and counts and writes one small manifest.
const PUBLISHER_SIZE: Required<ContainerSize> = { cpuMillis: 250, cpuLimitMillis: 500, memoryMebibytes: 512 };

/**
 * Scheduled batch inference on Kubernetes: a CronJob whose runs are Indexed Jobs of `shards` pods. Each pod
 * scores its shard (init container `score`), optionally checks it (init container `validate`), then runs the
 * publish step (container `publish`), which marks its shard done and, once every shard of the run is done,
 * checks the record counts and writes the run's manifest, so results are published only after every shard
 * succeeded, exactly once, and a failed run never touches what consumers read.
 *
 * Creates: a `CronJob` (Forbid concurrency, time zone, starting deadline, run timeout, history limits and TTL),
 * a `ServiceAccount` without a token, a `NetworkPolicy` allowing no ingress and egress to AWS APIs (TCP 443) and
 * the EKS Pod Identity Agent (TCP 80) only (the namespace baseline adds DNS), and a `PrometheusRule` paging once
 * per failed run. Pods are hardened (PSS restricted, read-only root) and pinned to the residency policy.
 *
 * Failures: a pod evicted by a drain or preemption is retried without counting against the backoff; exit code 2
 * from `score` (bad input) fails the run at once; any other failure is retried up to `backoffLimitPerShard` times.
 */
export class BatchScoringPipeline extends Construct {
  /** The resolved plan. */
  public readonly plan: BatchScoringPipelinePlan;
  /** The name of the CronJob and the other objects. */
  public readonly name: string;
  /** The CronJob; each run is an Indexed Job of `plan.shards` completions. */
  public readonly cronJob: kplus.CronJob;
  /** The pods' ServiceAccount (no token mounted); annotate it to grant S3 access, e.g. with an IAM role for service accounts. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The NetworkPolicy: no ingress; egress to AWS APIs (TCP 443) and the EKS Pod Identity Agent (TCP 80) only. */
  public readonly networkPolicy: kplus.NetworkPolicy;
  /** The `PrometheusRule` that pages the owner once per failed run, and when no run has succeeded for a schedule period and two hours. */
  public readonly alertRule: ApiObject;

  public constructor(scope: Construct, id: string, props: BatchScoringPipelineProps) {
    super(scope, id);
    this.plan = planBatchScoringPipeline(this, props);
    this.name = checkBatchKubernetesProps(this, props, derivedObjectName(this, MAX_NAME_LENGTH));
    this.validate(props);
    const labels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/component': 'batch-scoring' };
    const platform = PlatformServices.of(this);
    const selectorLabels = prometheusSelectorLabels(propFailure(this), 'prometheusSelectorLabels',
      props.prometheusSelectorLabels ?? platform?.prometheus.selectorLabels, Object.keys(labels));
    const selector = { 'app.kubernetes.io/name': this.name };

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, labels },
      automountToken: false,
    });

    const backoffLimitPerShard = props.backoffLimitPerShard ?? this.plan.retries.maxAttempts - 1;
    const [minute, hour, day, month, weekDay] = this.plan.schedule.cron.split(' ');
    this.cronJob = new kplus.CronJob(this, 'Resource', {
      ...hardenedPodProps(),
      // The NetworkPolicy below is this construct's own.
      isolate: false,
      metadata: { name: this.name, labels },
      podMetadata: { labels },
      serviceAccount: this.serviceAccount,
      schedule: Cron.schedule({ minute, hour, day, month, weekDay }),
      timeZone: this.plan.schedule.timeZone,
      // One run per slot: a slow run delays the next slot instead of overlapping it.
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.seconds(props.startingDeadlineSeconds ?? DEFAULTS.startingDeadlineSeconds),
      successfulJobsRetained: props.historyLimits?.successful ?? DEFAULTS.successfulJobsRetained,
      failedJobsRetained: props.historyLimits?.failed ?? DEFAULTS.failedJobsRetained,
      activeDeadline: Duration.seconds(this.plan.runTimeoutSeconds),
      // The same total budget as per-shard limits; the only limit on clusters where backoffLimitPerIndex is off (before 1.29).
      backoffLimit: backoffLimitPerShard * this.plan.shards,
      // A pod failure policy requires it; a retry is a new pod, so a shard never resumes a half-written attempt.
      restartPolicy: kplus.RestartPolicy.NEVER,
      ...this.podSpec(props),
    });
    hardenWorkload(this.cronJob);
    this.patchJobTemplate(backoffLimitPerShard, props.ttlSecondsAfterFinished ?? DEFAULTS.ttlSecondsAfterFinished);

    this.networkPolicy = new kplus.NetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: this.name, labels },
      selector: kplus.Pods.select(this, 'Pods', { labels: selector }),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    // Nothing connects to a batch pod; it reaches S3 over HTTPS with IRSA or Pod Identity credentials only (cluster
    // DNS comes from the namespace baseline).
    allowAwsApiEgress(this, this.networkPolicy);

    this.alertRule = new ApiObject(this, 'Alerts', batchAlertRule({
      name: this.name,
      namespace: Chart.of(this).namespace,
      cron: this.plan.schedule.cron,
      labels,
      selectorLabels,
      ownership: (runbook) => alertOwnership(this, runbook),
    }) as any);

    const sbom = AppSbom.of(this);
    const service = sbom.addService({ name: this.name, description: `Kubernetes CronJob batch scoring pipeline ${this.node.path}` });
    const images = [this.plan.image, props.publisherImage, this.plan.validatorImage].filter((image): image is ContainerImage => image !== undefined);
    sbom.addDependency(service, sbom.addModel(this.plan.model), ...images.map((image) => sbom.addImage(image)),
      sbom.addDataset({ name: `${this.name}-input`, uri: props.inputUri, description: 'Records scored, one run_date=<date>/ prefix per run' }),
      sbom.addDataset({ name: `${this.name}-output`, uri: props.outputUri, description: 'Scores; published/run_date=<date>/manifest.json names the published run' }));

    if (platform) {
      const namespace = Chart.of(this).namespace ?? platform.namespace;
      addBatchToCatalog(platform.catalog, platform.owner, this.plan, { path: this.node.path, name: this.name, location: `${namespace}/${this.name}`, engine: 'kubernetes' });
      const staleAfterHours = longestScheduleGapSeconds(this.plan.schedule.cron) / 3600 + 2;
      platform.dashboard.addRow(batchDashboardRow(`Pipeline ${this.name}`, this.plan, staleAfterHours, { kubernetes: { namespace, cronJob: this.name } }));
      PlatformServices.labelMembers(this, { kind: 'BatchScoringPipeline', model: this.plan.model.name });
    }
  }

  /** The run contract every container gets, in a fixed order: the user's variables first. */
  private runEnvironment(): Record<string, kplus.EnvValue> {
    const value = kplus.EnvValue.fromValue;
    const { input, output, model } = this.plan;
    return {
      ...Object.fromEntries(Object.entries(this.plan.environment).map(([key, text]) => [key, value(text)])),
      // Empty: the UTC day before the run's scheduled time, which RUN_ID ends with (minutes since the epoch).
      RUN_DATE: value(''),
      // The Job's name: unique per scheduled slot, and the same for every pod and retry of the run.
      RUN_ID: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_LABEL, { key: JOB_NAME_LABEL }),
      SHARD_INDEX: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_ANNOTATION, { key: COMPLETION_INDEX_ANNOTATION }),
      SHARD_COUNT: value(String(this.plan.shards)),
      INPUT_PREFIX: value(`s3://${input.bucket}/${input.prefix}`),
      OUTPUT_PREFIX: value(`s3://${output.bucket}/${output.prefix}`),
      MODEL_URI: value(model.uri),
      MODEL_NAME: value(model.name),
      ...(model.version ? { MODEL_VERSION: value(model.version) } : {}),
    };
  }

  /** The containers and volumes: score, then validate (init containers, in order), then publish. */
  private podSpec(props: BatchScoringPipelineProps): Pick<kplus.CronJobProps, 'initContainers' | 'containers' | 'volumes'> {
    const tmp = kplus.Volume.fromEmptyDir(this, 'TmpVolume', 'tmp');
    const mounts = [{ path: '/tmp', volume: tmp }];
    const env = this.runEnvironment();
    const container = (options: HardenedContainerOptions, extraEnv: Record<string, kplus.EnvValue> = {}): kplus.ContainerProps =>
      ({ ...hardenedContainer(options), envVariables: { ...env, ...extraEnv }, volumeMounts: mounts });

    const score = container({ scope: this, imageProp: 'image', image: this.plan.image, name: SCORE_CONTAINER, ...props.resources });
    // Init containers run one at a time, so the validator's size adds nothing to the pod's request.
    const validate = this.plan.validatorImage
      ? [container({ scope: this, imageProp: 'validation.validatorImage', image: this.plan.validatorImage, name: 'validate', ...props.resources })]
      : [];
    const publish = container({
      scope: this,
      ...(props.publisherImage
        ? { imageProp: 'publisherImage', image: props.publisherImage }
        : { imageProp: 'image', image: this.plan.image, args: ['publish'] }),
      name: 'publish',
      ...PUBLISHER_SIZE,
    }, { ROW_COUNT_TOLERANCE: kplus.EnvValue.fromValue(String(this.plan.rowCountTolerance)) });
    // Init containers must succeed before the main one starts: a shard is published only after it scored and validated.
    return { initContainers: [score, ...validate], containers: [publish], volumes: [tmp] };
  }

  /** What cdk8s-plus-28's CronJob cannot set: indexed completions, parallelism, per-shard retries, the pod failure policy and the TTL. */
  private patchJobTemplate(backoffLimitPerShard: number, ttlSecondsAfterFinished: number): void {
    const jobSpec = {
      completionMode: 'Indexed',
      completions: this.plan.shards,
      parallelism: this.plan.parallelism,
      backoffLimitPerIndex: backoffLimitPerShard,
      // A shard out of attempts can never be published: stop the other shards at once.
      maxFailedIndexes: 0,
      podFailurePolicy: {
        rules: [
          // A node drain or preemption is not the job's fault: retry without counting it.
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          // Bad input fails the same way on every attempt.
          { action: 'FailJob', onExitCodes: { containerName: SCORE_CONTAINER, operator: 'In', values: [BATCH_BAD_INPUT_EXIT_CODE] } },
        ],
      },
      // cdk8s-plus-28 refuses a TTL beside history limits; Kubernetes applies both, whichever removes the Job first.
      ttlSecondsAfterFinished,
    };
    const cronJob = ApiObject.of(this.cronJob);
    for (const [field, value] of Object.entries(jobSpec)) {
      cronJob.addJsonPatch(JsonPatch.add(`/spec/jobTemplate/spec/${field}`, value));
    }
    // cdk8s-plus labels pods with their construct path; nothing selects on it here, and it would differ between engines.
    cronJob.addJsonPatch(JsonPatch.remove(`/spec/jobTemplate/spec/template/metadata/labels/${ADDRESS_LABEL_POINTER}`));
  }

  private validate(props: BatchScoringPipelineProps): void {
    const fail = propFailure(this);
    const wholeNumber = (prop: string, value: number | undefined, min: number, max: number, fix: string): void => {
      if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
        fail(prop, value, `a whole number from ${min} to ${max}`, fix);
      }
    };
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(this.name) || this.name.length > MAX_NAME_LENGTH) {
      fail('name', this.name, `a DNS label of lowercase letters, digits and "-", at most ${MAX_NAME_LENGTH} characters (each run's Job adds "-<minutes>")`,
        'rename, e.g. "fraud-scoring"');
    }
    // The CronJob controller checks every 10 s; a shorter deadline can miss every run.
    wholeNumber('startingDeadlineSeconds', props.startingDeadlineSeconds, 10, 86400, 'use e.g. 3600 to start a run up to an hour late');
    wholeNumber('ttlSecondsAfterFinished', props.ttlSecondsAfterFinished, 0, 31536000, 'use e.g. 604800 to keep finished runs for seven days');
    wholeNumber('backoffLimitPerShard', props.backoffLimitPerShard, 0, 9, 'use e.g. 2 to give each shard three attempts');
    wholeNumber('historyLimits.successful', props.historyLimits?.successful, 0, 100, 'use e.g. 3');
    wholeNumber('historyLimits.failed', props.historyLimits?.failed, 0, 100, 'use e.g. 3');
    props.publisherImage?.assertPinned(this, 'publisherImage');
  }
}
