import type { IConstruct } from 'constructs';
import type { DriftMonitorPlanProps, DriftSourceOptions, RetrainingOptions } from './plan';
import { type ContainerImage, deriveName, NAME_RULES } from '../../lib/core';
import { checkContainerSize, type ContainerSize, isHttpUrl, KubernetesPropChecks } from '../../lib/k8s';
import type { BatchScoringPipeline } from '../batch-scoring-pipeline/k8s';
import type { CanaryEndpoint } from '../canary-endpoint/k8s';

/** The Job an approved retraining request runs: one container, hardened like every pod of this library. */
export interface RetrainingJobTemplate {
  /** The training image; pinned by digest (or a mutable tag with a reason). */
  readonly image: ContainerImage;
  /**
   * The command.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * The arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Environment variables, besides `MODEL_NAME`, `MODEL_VERSION` and `DRIFT_EVIDENCE` (the request's evidence, JSON).
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * CPU and memory of the training container.
   * @default - 500m CPU request, 1000m limit, 1024 MiB
   */
  readonly resources?: ContainerSize;
  /**
   * The ServiceAccount the training pod runs as (annotate it for the training data, e.g. with an IAM role).
   * @default - the namespace's `default` ServiceAccount
   */
  readonly serviceAccountName?: string;
  /**
   * Failed attempts tolerated before the Job fails.
   * @default 1 - one retry of a failed training pod
   */
  readonly backoffLimit?: number;
  /**
   * The longest an approved Job may run, in seconds (the clock starts when it is approved: suspension resets it).
   * @default 86400 - a day
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds a finished Job is kept; until then a new breach adds its evidence to it instead of opening a request.
   * @default 3600 - an hour to read the outcome; a later breach opens a new request
   */
  readonly ttlSecondsAfterFinished?: number;
}

/** The retraining an alarm requests on Kubernetes: a suspended Job that a human approves with `kubectl patch`. */
export interface KubernetesRetrainingOptions extends RetrainingOptions {
  /** The Job template of the retraining; `retraining.target` must be `"kubernetes-job"`. */
  readonly jobTemplate: RetrainingJobTemplate;
}

/** The object store the window and the baseline are copied from. */
export interface ObjectStoreOptions {
  /**
   * The object-store CLI image of the copy container: the AWS CLI v2 (`aws s3 cp`).
   * @default - docker.io/amazon/aws-cli pinned by digest (DRIFT_K8S_IMAGES.objectStoreCli)
   */
  readonly image?: ContainerImage;
  /**
   * The endpoint of an S3-compatible store (MinIO, Ceph), `AWS_ENDPOINT_URL_S3` of the copy container.
   * @default - Amazon S3
   */
  readonly endpointUrl?: string;
  /**
   * The region of the buckets (`AWS_REGION`).
   * @default - the AWS CLI's (IRSA and Pod Identity set it)
   */
  readonly region?: string;
}

/** Props for the Kubernetes `DriftMonitor`. Exactly one of `source`, `endpoint` and `pipeline`. */
export interface DriftMonitorProps extends DriftMonitorOptions {
  /**
   * The data compared, as a prefix.
   * @default - the captured requests of `endpoint`, or the inputs of `pipeline`
   */
  readonly source?: DriftSourceOptions;
  /**
   * A `CanaryEndpoint` whose serving container captures requests in SageMaker's data-capture layout and format under
   * `captureUri` (`<captureUri><endpoint name>/AllTraffic/yyyy/mm/dd/hh/*.jsonl`).
   * @default - none
   */
  readonly endpoint?: CanaryEndpoint;
  /**
   * Where `endpoint`'s captured requests are written, `s3://<bucket>/<prefix>/`; required with `endpoint`.
   * @default - none
   */
  readonly captureUri?: string;
  /**
   * A `BatchScoringPipeline`: the inputs of each run date (`<inputUri>run_date=yyyy-mm-dd/`, CSV).
   * @default - none
   */
  readonly pipeline?: BatchScoringPipeline;
}

/** What the Kubernetes `DriftMonitor` takes besides its data (the Pulumi component's args take these and `source`). */
export interface DriftMonitorOptions extends Omit<DriftMonitorPlanProps, 'source' | 'retraining'> {
  /**
   * The retraining an alarm requests, behind a human approval.
   * @default - alarms page the owner; no retraining is requested
   */
  readonly retraining?: KubernetesRetrainingOptions;
  /**
   * The name of the CronJob and the other objects, the `monitor` label of the metrics. At most 52 characters: the
   * CronJob controller appends `-<minutes since the epoch>` to each run's Job.
   * @default - a DNS label derived from the construct path
   */
  readonly name?: string;
  /**
   * The Pushgateway the metrics are pushed to (`http(s)://host:port`).
   * @default - the platform's `prometheus.pushgatewayAddress`, else "http://prometheus-pushgateway.monitoring.svc:9091"
   */
  readonly pushgatewayAddress?: string;
  /**
   * The labels your Prometheus selects PrometheusRules by (its `ruleSelector`).
   * @default - the platform's, else { release: "kube-prometheus-stack" }
   */
  readonly prometheusSelectorLabels?: Record<string, string>;
  /**
   * The Python (3.9 or later) image the comparison runs in; the scripts come from a ConfigMap.
   * @default - docker.io/library/python:3.12-slim pinned by digest (DRIFT_K8S_IMAGES.python)
   */
  readonly pythonImage?: ContainerImage;
  /**
   * The object store the data and the baseline are read from.
   * @default - Amazon S3 through the pinned AWS CLI image
   */
  readonly objectStore?: ObjectStoreOptions;
  /**
   * Annotations of the monitor's ServiceAccount, which the copy container's credentials come from, e.g.
   * `{ "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/fraud-drift" }` (IRSA); none for EKS Pod Identity.
   * @default - none
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /**
   * CPU and memory of the comparison container.
   * @default - 500m CPU request, 1000m limit, 2048 MiB (the KS samples and the parse buffers of a 1 GiB window)
   */
  readonly resources?: ContainerSize;
  /**
   * How much of the node's disk the copied window may use, in MiB (the pod is evicted beyond it).
   * @default 4096 - the 1 GiB compared plus a window sampled down from several times that
   */
  readonly workVolumeMebibytes?: number;
  /**
   * How late, in seconds, a run may start after its slot; a run missed by more is skipped (and reported missing).
   * @default 600 - ten minutes, within the start delay of the next hourly slot
   */
  readonly startingDeadlineSeconds?: number;
}

// The CronJob controller names each Job `<name>-<minutes since the epoch>` (11 characters) within the 63 of a label.
export const MAX_MONITOR_NAME_LENGTH = 52;

/** The props checked; returns the object name (the given one checked, or `derived`), claimed in its namespace. */
export function checkDriftKubernetesProps(scope: IConstruct, props: DriftMonitorProps, derived: string): string {
  const checks = new KubernetesPropChecks(scope);
  checks.object('props', props);
  const name = checks.objectName(props.name ?? derived, { maxLength: MAX_MONITOR_NAME_LENGTH, services: false, why: 'each run\'s Job adds "-<minutes>"' });
  checks.optionalImage('pythonImage', props.pythonImage);
  checkContainerSize(checks, 'resources', props.resources);
  checks.optionalNumber('workVolumeMebibytes', props.workVolumeMebibytes, 64, 1_048_576, 'an emptyDir size limit from 64 MiB to 1 TiB');
  // The CronJob controller checks every 10 s; a shorter deadline can miss every run.
  checks.optionalNumber('startingDeadlineSeconds', props.startingDeadlineSeconds, 10, 3600, 'at least the controller\'s 10 s resync, at most an hour');
  if (props.pushgatewayAddress !== undefined) {
    checkHttpUrl(checks, 'pushgatewayAddress', props.pushgatewayAddress, 'http://prometheus-pushgateway.monitoring.svc:9091');
  }
  if (props.serviceAccountAnnotations !== undefined) {
    checks.stringRecord('serviceAccountAnnotations', props.serviceAccountAnnotations, {
      namePattern: /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
      names: 'annotation keys: an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."',
      source: 'Kubernetes "Annotations"',
    });
  }
  if (props.objectStore !== undefined) {
    const store = checks.object('objectStore', props.objectStore) as ObjectStoreOptions;
    checks.optionalImage('objectStore.image', store.image);
    if (store.endpointUrl !== undefined) {
      checkHttpUrl(checks, 'objectStore.endpointUrl', store.endpointUrl, 'http://minio.minio.svc:9000');
    }
    if (store.region !== undefined) {
      checks.string('objectStore.region', store.region, { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, allowed: 'a region name such as eu-west-1', fix: 'use the buckets\' region' });
    }
  }
  if (props.retraining !== undefined) {
    const retraining = checks.object('retraining', props.retraining) as Partial<KubernetesRetrainingOptions>;
    if (retraining.target !== 'kubernetes-job') {
      checks.fail('retraining.target', retraining.target, '"kubernetes-job" on Kubernetes (a suspended Job a human approves)', 'set target: "kubernetes-job" and a jobTemplate');
    }
    const template = checks.object('retraining.jobTemplate', retraining.jobTemplate) as Partial<RetrainingJobTemplate>;
    if (template.image === undefined) {
      checks.fail('retraining.jobTemplate.image', undefined, 'a ContainerImage', 'use ContainerImage.fromDigest("<registry>/<repo>@sha256:<digest>")');
    }
    checks.optionalImage('retraining.jobTemplate.image', template.image);
    checkContainerSize(checks, 'retraining.jobTemplate.resources', template.resources);
    checks.optionalNumber('retraining.jobTemplate.backoffLimit', template.backoffLimit, 0, 10, 'retries of a failed training pod');
    checks.optionalNumber('retraining.jobTemplate.activeDeadlineSeconds', template.activeDeadlineSeconds, 60, 30 * 86400, 'from a minute to 30 days');
    checks.optionalNumber('retraining.jobTemplate.ttlSecondsAfterFinished', template.ttlSecondsAfterFinished, 0, 30 * 86400, 'up to 30 days');
    if (template.serviceAccountName !== undefined) {
      checks.string('retraining.jobTemplate.serviceAccountName', template.serviceAccountName, {
        pattern: NAME_RULES.dns1123Subdomain.pattern, maxLength: 253, allowed: 'a ServiceAccount name (a DNS subdomain)', fix: 'use e.g. "fraud-training"',
      });
    }
    if (template.env !== undefined) {
      checks.stringRecord('retraining.jobTemplate.env', template.env, {
        namePattern: /^[-._a-zA-Z][-._a-zA-Z0-9]*$/, names: 'environment variable names', reserved: RETRAINING_ENV, source: 'Kubernetes EnvVar',
      });
    }
  }
  return name;
}

/** The variables every retraining container gets. */
export const RETRAINING_ENV = ['MODEL_NAME', 'MODEL_VERSION', 'DRIFT_EVIDENCE'];

/** The retraining Job's name: one per model and version, so monitors of the same model share one open request. */
export function retrainingJobName(model: { readonly name: string; readonly version: string }): string {
  const readable = `${model.name}-${model.version}-retrain`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return deriveName(readable, NAME_RULES.dns1123Label);
}

function checkHttpUrl(checks: KubernetesPropChecks, prop: string, value: unknown, example: string): void {
  const text = checks.string(prop, value, { allowed: 'an http:// or https:// URL', fix: `use e.g. "${example}"` });
  if (!isHttpUrl(text)) {
    checks.fail(prop, text, 'an http:// or https:// URL with a host and a port from 1 to 65535, without spaces or credentials', `use e.g. "${example}"`);
  }
}
