import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, Chart, Cron, Duration, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { driftAlertRule } from './k8s-alerts';
import { allowEgressToUrl, allowKubernetesApiEgress } from './k8s-network';
import { addKubernetesDriftMonitorToPlatform } from './k8s-platform';
import { checkDriftKubernetesProps, type DriftMonitorProps, MAX_MONITOR_NAME_LENGTH, retrainingJobName } from './k8s-props';
import { retrainingJob } from './k8s-retraining';
import { DRIFT_METRICS, DRIFT_STATUS_CODES } from './metrics';
import { type DriftMonitorPlan, type DriftSourceOptions, planDriftMonitor } from './plan';
import { driftScriptDirectory } from './script';
import { ContainerImage, MlPlatformError, propFailure } from '../../lib/core';
import {
  alertOwnership, allowAwsApiEgress, AppSbom, derivedObjectName, hardenedContainer, hardenedPodProps, hardenWorkload, PlatformServices,
  PROMETHEUS_PUSHGATEWAY_ADDRESS, prometheusSelectorLabels,
} from '../../lib/k8s';

export type { DriftMonitorOptions, DriftMonitorProps, KubernetesRetrainingOptions, ObjectStoreOptions, RetrainingJobTemplate } from './k8s-props';

/** The images the monitor runs by default, each pinned by an index digest. */
export const DRIFT_K8S_IMAGES = {
  // Python 3.12 on Debian slim: the scripts need only the standard library. The index digest pinned in public
  // Dockerfiles (e.g. `FROM python:3.12-slim@sha256:78387bc3…` in several repositories found by code search).
  python: ContainerImage.fromDigest('docker.io/library/python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea'),
  // The AWS CLI v2 (`aws s3 cp`, which sets each file's time to the object's LastModified). The digest containerd
  // resolved for docker.io/amazon/aws-cli:latest in a pod's status (`imageID`) published in a public repository.
  objectStoreCli: ContainerImage.fromDigest('docker.io/amazon/aws-cli@sha256:015921f475b78f20f9e65eb301c3c5155b6b463620feb6d9137cbddb1f4a07bc'),
} as const;

/** What the monitor's pod does, in order: the window, the copy, the comparison. */
export const DRIFT_K8S_CONTAINERS = { window: 'window', fetch: 'fetch', compare: 'compare' } as const;

const DEFAULTS = {
  // drift_lambda.py's MAX_WINDOW_BYTES: the same 1 GiB compared per window on both engines.
  maxWindowBytes: 1024 ** 3,
  // The copied window: the 1 GiB compared plus room for a window sampled down from several times that.
  workVolumeMebibytes: 4096,
  // A run missed by ten minutes is skipped; the missing-report alert tells.
  startingDeadlineSeconds: 600,
  // One retry of a run that failed on a transient error (the push and the request are idempotent).
  backoffLimit: 1,
  // The KS samples and parse buffers of a 1 GiB window, as the Lambda's 3,008 MB on AWS (with the copy's page cache outside).
  compare: { cpuMillis: 500, cpuLimitMillis: 1000, memoryMebibytes: 2048 },
  window: { cpuMillis: 50, cpuLimitMillis: 200, memoryMebibytes: 128 },
  fetch: { cpuMillis: 250, cpuLimitMillis: 1000, memoryMebibytes: 512 },
  // The Pushgateway job label of every drift monitor's group.
  pushgatewayJob: 'ml-platform-drift',
  // A projected token lives an hour at most; the kubelet refreshes it at 80 % (Kubernetes "Service account token volume projection").
  tokenSeconds: 3600,
} as const;

// drift.py's exit codes for bad input (usage, a baseline of another model, unreadable input): a retry fails the same way.
const BAD_INPUT_EXIT_CODES = [2, 3, 4];
const SCRIPTS = '/opt/drift';
const WORK = '/work';
// Where the kubelet mounts a token when automounting: the path the runner (and every Kubernetes client) reads.
const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
// The Pod's Job name, whose suffix is the schedule slot in minutes since the epoch (Kubernetes 1.27+ sets the label).
const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const ADDRESS_LABEL_POINTER = kplus.Pod.ADDRESS_LABEL.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The copy container's script: each prefix of the window (`<work>/prefixes.txt`) into its own folder under
 * `<work>/data/`, without marker files ("_SUCCESS"), then the baseline to `<work>/baseline.json`. Reads
 * `DRIFT_BUCKET` and `DRIFT_BASELINE_URI`.
 */
export function driftFetchScript(work: string): string {
  return [
    'set -eu',
    'n=0',
    `mkdir -p ${work}/data`,
    `while IFS= read -r prefix; do n=$((n + 1)); aws s3 cp --recursive --only-show-errors --exclude '_*' --exclude '*/_*' "s3://$DRIFT_BUCKET/$prefix" "${work}/data/$n/"; done < ${work}/prefixes.txt`,
    `aws s3 cp --only-show-errors "$DRIFT_BASELINE_URI" ${work}/baseline.json`,
  ].join('\n');
}

/**
 * Per-feature drift of a model's production data against its training baseline, on Kubernetes: a CronJob runs
 * `drift.py compare` (shipped in a ConfigMap) in a pinned Python image over each window's data, copied from the object
 * store by a pinned AWS CLI image, pushes PSI and KS per feature and the window's counts to the Pushgateway, and on an
 * alarm-level window creates the model's retraining Job, suspended, which a human approves with `kubectl patch`.
 *
 * Creates: a `ConfigMap` (the scripts, the monitor's configuration, the retraining Job), a `ServiceAccount` (its
 * token mounted only into the comparison container, and only with retraining), a `CronJob`, a `NetworkPolicy`
 * (egress to the object store, the Pushgateway and, with retraining, the Kubernetes API), a `PrometheusRule`
 * (warn, alarm, insufficient data, no report for two periods) and, with retraining, a `Role` and `RoleBinding`.
 */
export class DriftMonitor extends Construct {
  /** The resolved plan. */
  public readonly plan: DriftMonitorPlan;
  /** The name of the CronJob and the other objects. */
  public readonly name: string;
  /** The `monitor` label of the metrics: `<namespace>/<name>`, or the name in a chart without a namespace. */
  public readonly monitorLabel: string;
  /** The namespace of the objects: the chart's, else the platform's; unknown outside both (then `retraining` is refused). */
  public readonly namespace?: string;
  /** The Pushgateway the metrics go to. */
  public readonly pushgatewayAddress: string;
  /** The scripts and the configuration. */
  public readonly configMap: ApiObject;
  /** The pods' ServiceAccount. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The CronJob; each run is one pod: window, fetch, compare. */
  public readonly cronJob: kplus.CronJob;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: kplus.NetworkPolicy;
  /** The alerts. */
  public readonly alertRule: ApiObject;
  /** The name of the model's retraining Job, when `retraining` is set. */
  public readonly retrainingJobName?: string;
  /** The Role that lets the monitor create Jobs and read and annotate the retraining Job, when `retraining` is set. */
  public readonly role?: ApiObject;

  public constructor(scope: Construct, id: string, props: DriftMonitorProps) {
    super(scope, id);
    this.name = checkDriftKubernetesProps(this, props, derivedObjectName(this, MAX_MONITOR_NAME_LENGTH));
    const source = this.sourceOf(props);
    this.plan = planDriftMonitor(this, { ...props, source });
    const plan = this.plan;
    const platform = PlatformServices.of(this);
    const namespace = Chart.of(this).namespace ?? platform?.namespace;
    this.namespace = namespace;
    if (props.retraining && namespace === undefined) {
      this.fail('retraining', props.retraining.target, 'retraining in a chart with a namespace (the RoleBinding must name its ServiceAccount\'s namespace)',
        'create the monitor in a Chart with a namespace or under an MlPlatform (Pulumi: give namespace or platform)');
    }
    this.monitorLabel = namespace ? `${namespace}/${this.name}` : this.name;
    this.pushgatewayAddress = props.pushgatewayAddress ?? platform?.prometheus.pushgatewayAddress ?? PROMETHEUS_PUSHGATEWAY_ADDRESS;
    const labels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/component': 'drift-monitor' };
    const selectorLabels = prometheusSelectorLabels(propFailure(this),
      'prometheusSelectorLabels', props.prometheusSelectorLabels ?? platform?.prometheus.selectorLabels, Object.keys(labels));
    this.retrainingJobName = props.retraining ? retrainingJobName(plan.model) : undefined;

    this.configMap = new ApiObject(this, 'Config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, labels },
      // Rendered at synthesis: the retraining Job carries the residency policy in force then.
      data: Lazy.any({ produce: () => this.configData(props) }) as any,
    });
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, labels, annotations: props.serviceAccountAnnotations },
      automountToken: false,
    });
    this.cronJob = this.schedule(props, labels);
    this.networkPolicy = this.egress(props, labels);
    if (this.retrainingJobName) {
      this.role = this.grantRetraining(labels, this.retrainingJobName);
    }
    this.alertRule = new ApiObject(this, 'Alerts', driftAlertRule({
      name: this.name, monitor: this.monitorLabel, plan, labels, selectorLabels, ownership: (runbook) => alertOwnership(this, runbook),
    }) as any);
    this.recordInSbom(props);
    if (platform) {
      addKubernetesDriftMonitorToPlatform(this, platform, props);
      PlatformServices.labelMembers(this, { kind: 'DriftMonitor', model: plan.model.name });
    }
  }

  private sourceOf(props: DriftMonitorProps): DriftSourceOptions {
    const given = (['source', 'endpoint', 'pipeline'] as const).filter((prop) => props[prop] !== undefined);
    if (given.length !== 1) {
      this.fail(given.length === 0 ? 'source' : given.join(' and '), given.length === 0 ? undefined : given.join(', '),
        'exactly one of source, endpoint and pipeline', 'name the data compared once');
    }
    if (props.captureUri !== undefined && props.endpoint === undefined) {
      this.fail('captureUri', props.captureUri, 'a capture prefix only with endpoint', 'remove captureUri, or pass the endpoint whose captured requests it holds');
    }
    if (props.endpoint !== undefined) {
      if (typeof props.endpoint !== 'object' || props.endpoint === null || typeof (props.endpoint as { name?: unknown }).name !== 'string') {
        this.fail('endpoint', props.endpoint, 'a Kubernetes CanaryEndpoint construct', 'pass the construct itself, not its name');
      }
      if (props.captureUri === undefined) {
        this.fail('captureUri', undefined, 'the s3://<bucket>/<prefix>/ the endpoint\'s serving container captures requests under', 'e.g. "s3://fraud-data-eu/data-capture/"');
      }
      return { kind: 'endpoint-capture', uri: props.captureUri, endpointName: props.endpoint.name };
    }
    if (props.pipeline !== undefined) {
      const input = (props.pipeline as { plan?: { input?: { bucket: string; prefix: string } } }).plan?.input;
      if (input === undefined) {
        this.fail('pipeline', props.pipeline, 'a Kubernetes BatchScoringPipeline construct', 'pass the construct itself, not its name');
      }
      return { kind: 'pipeline-inputs', uri: `s3://${input.bucket}/${input.prefix}` };
    }
    return props.source!;
  }

  /** The ConfigMap's files: the scripts (drift_lambda.py is AWS's), the configuration and the retraining Job. */
  private configData(props: DriftMonitorProps): Record<string, string> {
    const plan = this.plan;
    const directory = driftScriptDirectory();
    const scripts = readdirSync(directory).filter((file) => /^drift[a-z0-9_]*\.py$/.test(file) && file !== 'drift_lambda.py').sort();
    const config = {
      kind: plan.source.kind,
      windowTemplate: plan.source.windowTemplate,
      variantNames: plan.source.variantNames,
      format: plan.source.format,
      everyHours: plan.schedule.everyHours,
      maxWindowBytes: DEFAULTS.maxWindowBytes,
      compareArguments: plan.compareArguments,
      model: plan.model,
      monitor: this.monitorLabel,
      pushgateway: { url: this.pushgatewayAddress, job: DEFAULTS.pushgatewayJob },
      metrics: Object.fromEntries(Object.entries(DRIFT_METRICS).filter(([, names]) => 'prometheus' in names).map(([key, names]) => [key, (names as { prometheus: string }).prometheus])),
      statusCodes: DRIFT_STATUS_CODES,
      ...(this.retrainingJobName && plan.retraining ? {
        retraining: {
          jobName: this.retrainingJobName, namespace: this.namespace, approvalTimeoutHours: plan.retraining.approvalTimeoutHours,
        },
      } : {}),
    };
    const data: Record<string, string> = Object.fromEntries(scripts.map((file) => [file, readFileSync(join(directory, file), 'utf8')]));
    data['monitor.json'] = `${JSON.stringify(config, null, 2)}\n`;
    if (props.retraining && this.retrainingJobName) {
      const job = retrainingJob({
        scope: this,
        name: this.retrainingJobName,
        namespace: this.namespace,
        model: plan.model,
        template: props.retraining.jobTemplate,
        labels: { 'app.kubernetes.io/name': this.retrainingJobName, 'app.kubernetes.io/component': 'retraining', 'app.kubernetes.io/part-of': this.name },
      });
      data['retraining-job.json'] = `${JSON.stringify(job, null, 2)}\n`;
    }
    return data;
  }

  private schedule(props: DriftMonitorProps, labels: Record<string, string>): kplus.CronJob {
    const plan = this.plan;
    const store = props.objectStore ?? {};
    const scripts = kplus.Volume.fromConfigMap(this, 'ScriptsVolume', kplus.ConfigMap.fromConfigMapName(this, 'ScriptsRef', this.name), {
      name: 'scripts', defaultMode: 0o444,
    });
    const work = kplus.Volume.fromEmptyDir(this, 'WorkVolume', 'work', { sizeLimit: Size.mebibytes(props.workVolumeMebibytes ?? DEFAULTS.workVolumeMebibytes) });
    const tmp = kplus.Volume.fromEmptyDir(this, 'TmpVolume', 'tmp', { sizeLimit: Size.mebibytes(64) });
    const mounts = [{ path: SCRIPTS, volume: scripts, readOnly: true }, { path: WORK, volume: work }, { path: '/tmp', volume: tmp }];
    const python = props.pythonImage ?? DRIFT_K8S_IMAGES.python;
    const cli = store.image ?? DRIFT_K8S_IMAGES.objectStoreCli;
    const runner = ['python3', `${SCRIPTS}/drift_k8s.py`];
    const configArgs = ['--config', `${SCRIPTS}/monitor.json`, '--work', WORK];
    const value = kplus.EnvValue.fromValue;

    const window: kplus.ContainerProps = {
      ...hardenedContainer({ scope: this, imageProp: 'pythonImage', image: python, name: 'window', command: [...runner, 'window', ...configArgs], ...DEFAULTS.window }),
      envVariables: { DRIFT_JOB_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_LABEL, { key: JOB_NAME_LABEL }) },
      volumeMounts: mounts,
    };
    const fetch: kplus.ContainerProps = {
      ...hardenedContainer({ scope: this, imageProp: 'objectStore.image', image: cli, name: 'fetch', command: ['/bin/sh', '-c', driftFetchScript(WORK)], ...DEFAULTS.fetch }),
      envVariables: {
        DRIFT_BUCKET: value(plan.source.bucket),
        DRIFT_BASELINE_URI: value(`s3://${plan.baseline.bucket}/${plan.baseline.key}`),
        // The CLI's cache and configuration; the root filesystem is read-only. aws s3 cp sets file times in local time: UTC.
        HOME: value('/tmp'),
        TZ: value('UTC'),
        ...(store.endpointUrl ? { AWS_ENDPOINT_URL_S3: value(store.endpointUrl) } : {}),
        ...(store.region ? { AWS_REGION: value(store.region) } : {}),
      },
      volumeMounts: mounts,
    };
    const compare: kplus.ContainerProps = {
      ...hardenedContainer({
        scope: this,
        imageProp: 'pythonImage',
        image: python,
        name: 'compare',
        ...DEFAULTS.compare,
        ...props.resources,
        command: [...runner, 'run', ...configArgs, ...(props.retraining ? ['--job-template', `${SCRIPTS}/retraining-job.json`] : [])],
      }),
      envVariables: { DRIFT_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE) },
      volumeMounts: mounts,
    };
    const [minute, hour, day, month, weekDay] = plan.schedule.cron.split(' ');
    const cronJob = new kplus.CronJob(this, 'Resource', {
      ...hardenedPodProps(),
      // The NetworkPolicy below is this construct's own.
      isolate: false,
      metadata: { name: this.name, labels },
      podMetadata: { labels },
      serviceAccount: this.serviceAccount,
      schedule: Cron.schedule({ minute, hour, day, month, weekDay }),
      // The plan's windows are UTC hours and days.
      timeZone: 'Etc/UTC',
      // One comparison at a time: jobTimeoutMinutes is at most the period, so a run ends before the next slot.
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.seconds(props.startingDeadlineSeconds ?? DEFAULTS.startingDeadlineSeconds),
      successfulJobsRetained: 3,
      // Three failed runs stay readable (their logs say why reports are missing).
      failedJobsRetained: 3,
      activeDeadline: Duration.minutes(plan.jobTimeoutMinutes),
      backoffLimit: DEFAULTS.backoffLimit,
      restartPolicy: kplus.RestartPolicy.NEVER,
      // Init containers run in order and must succeed: the window, then its copy, then the comparison.
      initContainers: [window, fetch],
      containers: [compare],
      volumes: [scripts, work, tmp],
    });
    hardenWorkload(cronJob);
    const object = ApiObject.of(cronJob);
    object.addJsonPatch(JsonPatch.add('/spec/jobTemplate/spec/podFailurePolicy', {
      rules: [
        // A node drain or preemption is not the run's fault: retry without counting it.
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        // Bad input or a baseline of another model fails the same way on every attempt.
        { action: 'FailJob', onExitCodes: { containerName: 'compare', operator: 'In', values: BAD_INPUT_EXIT_CODES } },
      ],
    }));
    object.addJsonPatch(JsonPatch.remove(`/spec/jobTemplate/spec/template/metadata/labels/${ADDRESS_LABEL_POINTER}`));
    if (props.retraining) {
      this.mountToken(object);
    }
    return cronJob;
  }

  /** The service-account token, CA and namespace, as the kubelet would automount them, into the comparison container only. */
  private mountToken(cronJob: ApiObject): void {
    const pod = '/spec/jobTemplate/spec/template/spec';
    cronJob.addJsonPatch(JsonPatch.add(`${pod}/volumes/-`, {
      name: 'kube-api-access',
      projected: {
        defaultMode: 0o444,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: DEFAULTS.tokenSeconds } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    }));
    cronJob.addJsonPatch(JsonPatch.add(`${pod}/containers/0/volumeMounts/-`, { name: 'kube-api-access', mountPath: TOKEN_DIR, readOnly: true }));
  }

  private egress(props: DriftMonitorProps, labels: Record<string, string>): kplus.NetworkPolicy {
    const policy = new kplus.NetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: this.name, labels },
      selector: kplus.Pods.select(this, 'Pods', { labels: { 'app.kubernetes.io/name': this.name } }),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    // Nothing connects to the pod. Cluster DNS comes from the namespace baseline.
    const endpointUrl = props.objectStore?.endpointUrl;
    if (endpointUrl) {
      allowEgressToUrl(this, policy, 'ObjectStore', endpointUrl);
    } else {
      allowAwsApiEgress(this, policy);
    }
    allowEgressToUrl(this, policy, 'Pushgateway', this.pushgatewayAddress);
    if (props.retraining) {
      allowKubernetesApiEgress(this, policy);
    }
    return policy;
  }

  /**
   * Create Jobs (RBAC cannot limit a create by name: the name is in the body, "Referring to resources" in Kubernetes
   * "Using RBAC Authorization"), and read and annotate the one retraining Job; nothing else.
   */
  private grantRetraining(labels: Record<string, string>, jobName: string): ApiObject {
    const role = new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: this.name, labels },
      rules: [
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create'] },
        { apiGroups: ['batch'], resources: ['jobs'], resourceNames: [jobName], verbs: ['get', 'patch'] },
      ],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: this.name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });
    return role;
  }

  private recordInSbom(props: DriftMonitorProps): void {
    const sbom = AppSbom.of(this);
    const { plan } = this;
    const monitor = sbom.addService({ name: this.name, description: `Kubernetes CronJob drift monitor ${this.node.path}` });
    const model = sbom.addModel(props.model);
    const baseline = sbom.addDataset({
      name: `${plan.model.name}-${plan.model.version}-drift-baseline`,
      uri: `s3://${plan.baseline.bucket}/${plan.baseline.key}`,
      description: `Training baseline of ${plan.model.name} ${plan.model.version}`,
    });
    sbom.addDependency(model, baseline);
    const images = [props.pythonImage ?? DRIFT_K8S_IMAGES.python, props.objectStore?.image ?? DRIFT_K8S_IMAGES.objectStoreCli,
      ...(props.retraining ? [props.retraining.jobTemplate.image] : [])];
    sbom.addDependency(monitor, model, baseline, ...images.map((image) => sbom.addImage(image)));
  }

  private fail(prop: string, value: unknown, allowed: string, fix: string): never {
    throw new MlPlatformError({ scope: this, prop, value, allowed, fix });
  }
}
