import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import { DRIFT_DIR } from './drift-fixtures';
import { DRIFT_K8S_IMAGES, type DriftMonitorProps } from '../../constructs/drift-monitor/k8s';
import {
  AppSbom, applyResidency, BatchScoringPipeline, CanaryEndpoint, ContainerImage, DriftMonitor, MlPlatform, Residency,
} from '../../constructs/k8s';
import { IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';
import { kubernetesConformance } from '../support/k8s-conformance';
import { sbomViolations } from '../support/sbom';

const TRAINER = ContainerImage.fromDigest(`registry.example.com/ml/fraud-train@sha256:${'b'.repeat(64)}`);
const REQUIRED: DriftMonitorProps = {
  name: 'fraud-drift',
  model: MODEL,
  baselineUri: 's3://models-eu/fraud/1.4.0/baseline.json',
  source: { kind: 'pipeline-inputs', uri: 's3://fraud-data-eu/transactions/' },
};
const RETRAINING: DriftMonitorProps['retraining'] = { target: 'kubernetes-job', jobTemplate: { image: TRAINER, args: ['--from-drift'] } };

function monitorChart(overrides: Partial<DriftMonitorProps> = {}, namespace: string | null = 'ml') {
  const app = new App({ outdir: 'unused' });
  applyResidency(app, Residency.EU);
  const chart = new Chart(app, 'drift', { namespace: namespace ?? undefined });
  const monitor = new DriftMonitor(chart, 'FraudDrift', { ...REQUIRED, ...overrides });
  const objects = chart.toJson();
  const find = (kind: string) => objects.find((o) => o.kind === kind);
  const jobSpec = find('CronJob').spec.jobTemplate.spec;
  const data = find('ConfigMap').data;
  return { app, monitor, objects, find, jobSpec, podSpec: jobSpec.template.spec, data, config: JSON.parse(data['monitor.json']) };
}

describe('Kubernetes DriftMonitor', () => {
  test('GIVEN retraining under an EU policy THEN every object is schema-valid, has no unknown fields, is PSS restricted and hardened', () => {
    const { objects } = monitorChart({ retraining: RETRAINING });
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'ServiceAccount', 'CronJob', 'NetworkPolicy', 'Role', 'RoleBinding', 'PrometheusRule']);
    expect(kubernetesConformance(objects)).toEqual([]);
  });

  test('GIVEN retraining THEN the Job the runner creates (from the ConfigMap) is schema-valid, PSS restricted, hardened, suspended and pinned to the EU', () => {
    const job = JSON.parse(monitorChart({ retraining: RETRAINING }).data['retraining-job.json']);
    expect(kubernetesConformance([job])).toEqual([]);
    const { spec } = job;
    expect([job.metadata.name, job.metadata.namespace, spec.suspend, spec.backoffLimit, spec.activeDeadlineSeconds, spec.ttlSecondsAfterFinished])
      .toEqual(['fraud-1-4-0-retrain', 'ml', true, 1, 86400, 3600]);
    expect(job.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key)
      .toBe('topology.kubernetes.io/region');
    expect(job.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(['MODEL_NAME', 'MODEL_VERSION', 'DRIFT_EVIDENCE']);
  });

  test('GIVEN a daily pipeline source THEN the CronJob runs at 00:10 UTC, one run at a time, at most 10 minutes late, keeping 3 and 3 runs', () => {
    const { jobTemplate: _jobTemplate, ...cronJob } = monitorChart().find('CronJob').spec;
    expect(cronJob).toEqual({
      schedule: '10 0 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
    });
  });

  test('GIVEN defaults THEN a run is stopped after the plan\'s 15 minutes, retried once, never for a drain nor for drift.py\'s bad-input exit codes', () => {
    const { jobSpec } = monitorChart();
    expect([jobSpec.activeDeadlineSeconds, jobSpec.backoffLimit, jobSpec.podFailurePolicy]).toEqual([900, 1, {
      rules: [
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        { action: 'FailJob', onExitCodes: { containerName: 'compare', operator: 'In', values: [2, 3, 4] } },
      ],
    }]);
  });

  test('GIVEN defaults THEN the pod computes the window, copies it with the pinned AWS CLI, then compares in the pinned Python image', () => {
    const { podSpec } = monitorChart();
    expect([...podSpec.initContainers, ...podSpec.containers].map((c: any) => [c.name, c.image, c.command.slice(0, 3)])).toEqual([
      ['window', DRIFT_K8S_IMAGES.python.reference, ['python3', '/opt/drift/drift_k8s.py', 'window']],
      ['fetch', DRIFT_K8S_IMAGES.objectStoreCli.reference, ['/bin/sh', '-c', expect.stringContaining('aws s3 cp --recursive')]],
      ['compare', DRIFT_K8S_IMAGES.python.reference, ['python3', '/opt/drift/drift_k8s.py', 'run']],
    ]);
    expect(podSpec.initContainers[0].env).toEqual([{ name: 'DRIFT_JOB_NAME', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" } } }]);
  });

  test('GIVEN a MinIO endpoint and a region THEN the copy container gets AWS_ENDPOINT_URL_S3 and AWS_REGION beside the bucket and baseline', () => {
    const { podSpec } = monitorChart({ objectStore: { endpointUrl: 'http://minio.minio.svc:9000', region: 'eu-west-1' } });
    expect(podSpec.initContainers[1].env).toEqual([
      { name: 'DRIFT_BUCKET', value: 'fraud-data-eu' },
      { name: 'DRIFT_BASELINE_URI', value: 's3://models-eu/fraud/1.4.0/baseline.json' },
      { name: 'HOME', value: '/tmp' },
      { name: 'TZ', value: 'UTC' },
      { name: 'AWS_ENDPOINT_URL_S3', value: 'http://minio.minio.svc:9000' },
      { name: 'AWS_REGION', value: 'eu-west-1' },
    ]);
  });

  test('GIVEN no retraining THEN no token anywhere: no projected token volume, no Role', () => {
    const { podSpec, objects } = monitorChart();
    expect(podSpec.volumes.map((v: any) => v.name)).toEqual(['scripts', 'work', 'tmp']);
    expect(objects.some((o) => o.kind === 'Role')).toBe(false);
  });

  test('GIVEN retraining THEN the token, CA and namespace are projected into the compare container only, with a one-hour token', () => {
    const { podSpec } = monitorChart({ retraining: RETRAINING });
    const token = podSpec.volumes.find((v: any) => v.name === 'kube-api-access');
    expect(token.projected.sources[0]).toEqual({ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } });
    expect([...podSpec.initContainers, ...podSpec.containers].map((c: any) => c.volumeMounts.some((m: any) => m.name === 'kube-api-access'))).toEqual([false, false, true]);
    expect(podSpec.automountServiceAccountToken).toBe(false);
  });

  test('GIVEN retraining THEN the Role lets the monitor create Jobs and get and patch only the model\'s retraining Job', () => {
    const { find } = monitorChart({ retraining: RETRAINING });
    expect(find('Role').rules).toEqual([
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create'] },
      { apiGroups: ['batch'], resources: ['jobs'], resourceNames: ['fraud-1-4-0-retrain'], verbs: ['get', 'patch'] },
    ]);
    expect(find('RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'fraud-drift', namespace: 'ml' }]);
  });

  test('GIVEN retraining THEN egress: AWS APIs and credentials, the Pushgateway\'s namespace on 9091, and the Kubernetes API on 443 and 6443', () => {
    const egress = monitorChart({ retraining: RETRAINING }).find('NetworkPolicy').spec.egress;
    expect(egress.map((rule: any) => [rule.to[0].ipBlock?.cidr ?? rule.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], rule.ports.map((p: any) => p.port)])).toEqual([
      ['0.0.0.0/0', [443]], ['::/0', [443]], ['169.254.170.23/32', [80]], ['fd00:ec2::23/128', [80]],
      ['monitoring', [9091]], ['0.0.0.0/0', [443, 6443]], ['::/0', [443, 6443]],
    ]);
  });

  test('GIVEN an in-cluster MinIO and an external Pushgateway THEN egress to MinIO\'s namespace on 9000 and to any address on 443, no AWS rules', () => {
    const egress = monitorChart({ objectStore: { endpointUrl: 'http://minio.storage.svc.cluster.local:9000' }, pushgatewayAddress: 'https://push.example.com' }).find('NetworkPolicy').spec.egress;
    expect(egress.map((rule: any) => [rule.to[0].ipBlock?.cidr ?? rule.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], rule.ports.map((p: any) => p.port)])).toEqual([
      ['storage', [9000]], ['0.0.0.0/0', [443]], ['::/0', [443]],
    ]);
  });

  test('GIVEN the monitor THEN the ConfigMap ships the scripts byte for byte, without the AWS runner', () => {
    const { data } = monitorChart();
    const scripts = Object.keys(data).filter((key) => key.endsWith('.py'));
    expect(scripts).toEqual(['drift.py', 'drift_baseline.py', 'drift_compare.py', 'drift_k8s.py', 'drift_profile.py', 'drift_readers.py', 'drift_stats.py', 'drift_window.py']);
    expect(scripts.every((file) => data[file] === readFileSync(join(DRIFT_DIR, file), 'utf8'))).toBe(true);
  });

  test('GIVEN the monitor in namespace ml THEN the runner\'s configuration: the window, the Pushgateway group, the metric names and no retraining', () => {
    const { config } = monitorChart();
    expect(config).toEqual({
      kind: 'pipeline-inputs',
      windowTemplate: 'transactions/run_date={yyyy}-{mm}-{dd}/',
      variantNames: [],
      format: 'csv',
      everyHours: 24,
      maxWindowBytes: 1073741824,
      compareArguments: ['compare', '--model-name=fraud', '--model-version=1.4.0', '--psi-warn=0.1', '--psi-alarm=0.2', '--ks-alpha=0.01', '--ks-min-statistic=0.1'],
      model: { name: 'fraud', version: '1.4.0' },
      monitor: 'ml/fraud-drift',
      pushgateway: { url: 'http://prometheus-pushgateway.monitoring.svc:9091', job: 'ml-platform-drift' },
      metrics: {
        psi: 'ml_platform_drift_psi',
        ks: 'ml_platform_drift_ks',
        ksPValue: 'ml_platform_drift_ks_p_value',
        featuresAtWarn: 'ml_platform_drift_features_at_warn',
        featuresAtAlarm: 'ml_platform_drift_features_at_alarm',
        featuresInsufficientData: 'ml_platform_drift_features_insufficient_data',
        worstStatus: 'ml_platform_drift_worst_status',
        lastReportTimestamp: 'ml_platform_drift_last_report_timestamp_seconds',
      },
      statusCodes: { ok: 0, insufficient_data: 1, warn: 2, alarm: 3 },
    });
  });

  test('GIVEN an endpoint and its capture prefix THEN hourly windows of its AllTraffic captured requests', () => {
    const app = new App({ outdir: 'unused' });
    const chart = new Chart(app, 'drift', { namespace: 'ml' });
    const endpoint = new CanaryEndpoint(chart, 'Fraud', { name: 'fraud', model: MODEL, image: IMAGE });
    const monitor = new DriftMonitor(chart, 'FraudDrift', { ...REQUIRED, source: undefined, endpoint, captureUri: 's3://fraud-data-eu/data-capture/' });
    expect([monitor.plan.source.windowTemplate, monitor.plan.source.format, monitor.plan.schedule.cron]).toEqual(['data-capture/fraud/{variant}/{yyyy}/{mm}/{dd}/{hh}/', 'sagemaker-capture', '10 */1 * * *']);
  });

  test('GIVEN a pipeline THEN daily windows of its run dates\' inputs', () => {
    const app = new App({ outdir: 'unused' });
    const chart = new Chart(app, 'drift', { namespace: 'ml' });
    const pipeline = new BatchScoringPipeline(chart, 'Scoring', {
      name: 'fraud-scoring',
      model: MODEL,
      image: IMAGE,
      schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
      inputUri: 's3://fraud-data-eu/transactions/',
      outputUri: 's3://fraud-data-eu/scores/',
    });
    const monitor = new DriftMonitor(chart, 'FraudDrift', { ...REQUIRED, source: undefined, pipeline });
    expect([monitor.plan.source.bucket, monitor.plan.source.windowTemplate, monitor.plan.schedule.everyHours]).toEqual(['fraud-data-eu', 'transactions/run_date={yyyy}-{mm}-{dd}/', 24]);
  });

  test('GIVEN a platform with a Pushgateway THEN the monitor pushes there, every alert carries the owner and its runbook, every object the platform labels', () => {
    const app = new App({ outdir: 'unused' });
    const chart = new Chart(app, 'drift', { namespace: 'ml' });
    const platform = new MlPlatform(chart, 'Platform', {
      platformName: 'fraud-ml',
      owner: { team: 'fraud-ml', email: 'fraud-ml@example.com', runbookBaseUrl: 'https://runbooks.example.com/fraud/' },
      prometheus: { pushgatewayAddress: 'http://pushgateway.observability.svc:9091' },
    });
    const monitor = new DriftMonitor(platform, 'FraudDrift', REQUIRED);
    const objects = chart.toJson().filter((o) => o.metadata?.labels?.['app.kubernetes.io/name'] === 'fraud-drift');
    const rule = objects.find((o) => o.kind === 'PrometheusRule').spec.groups[0].rules.find((r: any) => r.alert === 'DriftAlarm');
    expect([monitor.pushgatewayAddress, rule.labels.team, rule.annotations.runbook_url]).toEqual([
      'http://pushgateway.observability.svc:9091', 'fraud-ml', 'https://runbooks.example.com/fraud/drift-monitor/alarm',
    ]);
    expect(objects.every((o) => o.metadata.labels['ml-platform/construct'] === 'DriftMonitor')).toBe(true);
    const node = (platform.catalog.toJSON() as any).nodes.find((n: any) => n.id === monitor.node.path);
    expect([node.kind, node.location, node.engine, node.properties.monitor, node.properties.driftToPage]).toEqual(['monitor', 'ml/fraud-drift', 'kubernetes', 'ml/fraud-drift', '1470 min']);
    const dashboard = JSON.parse(chart.toJson().find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'fraud-ml-dashboard').data['fraud-ml.json']);
    expect(dashboard.panels.some((p: any) => p.title === 'Drift fraud-drift')).toBe(true);
    const rules = objects.find((o) => o.kind === 'PrometheusRule').spec.groups[0].rules;
    expect(rules.map((r: any) => [r.alert, r.labels.team, r.annotations.runbook_url])).toEqual([
      ['DriftWarn', 'fraud-ml', 'https://runbooks.example.com/fraud/drift-monitor/warn'],
      ['DriftAlarm', 'fraud-ml', 'https://runbooks.example.com/fraud/drift-monitor/alarm'],
      ['DriftInsufficientData', 'fraud-ml', 'https://runbooks.example.com/fraud/drift-monitor/insufficient-data'],
      ['DriftReportMissing', 'fraud-ml', 'https://runbooks.example.com/fraud/drift-monitor/missing-reports'],
      ['DriftReportMissing', 'fraud-ml', 'https://runbooks.example.com/fraud/drift-monitor/missing-reports'],
    ]);
  });

  test('GIVEN retraining THEN the SBOM lists the monitor\'s images, the trainer and the baseline as a dataset the model depends on, and validates', async () => {
    const { app } = monitorChart({ retraining: RETRAINING });
    const json = AppSbom.of(app).toJson();
    expect(await sbomViolations(json)).toEqual([]);
    const sbom = JSON.parse(json);
    expect(sbom.components.map((c: any) => `${c.type}:${c.name}`).sort()).toEqual([
      'container:aws-cli', 'container:fraud-train', 'container:python', 'data:fraud-1.4.0-drift-baseline', 'library:ml-platform-constructs', 'machine-learning-model:fraud',
    ]);
    const ref = (name: string) => sbom.components.find((c: any) => c.name === name)['bom-ref'];
    expect(sbom.dependencies.find((d: any) => d.ref === ref('fraud')).dependsOn).toEqual([ref('fraud-1.4.0-drift-baseline')]);
  });
});

describe('Kubernetes DriftMonitor: invalid props', () => {
  const message = (overrides: Partial<DriftMonitorProps>) => thrownBy(() => monitorChart(overrides)).message;
  test.each<[string, Partial<DriftMonitorProps>, string]>([
    ['a malformed Pushgateway address', { pushgatewayAddress: 'pushgateway:9091' },
      'drift/FraudDrift: invalid pushgatewayAddress "pushgateway:9091". Allowed: an http:// or https:// URL with a host and a port from 1 to 65535, without spaces or credentials. Fix: use e.g. "http://prometheus-pushgateway.monitoring.svc:9091"'],
    ['an AWS retraining target', { retraining: { target: 'state-machine', jobTemplate: { image: TRAINER } } },
      'drift/FraudDrift: invalid retraining.target "state-machine". Allowed: "kubernetes-job" on Kubernetes (a suspended Job a human approves). Fix: set target: "kubernetes-job" and a jobTemplate'],
    ['a Job template without an image', { retraining: { target: 'kubernetes-job', jobTemplate: {} as any } },
      'drift/FraudDrift: invalid retraining.jobTemplate.image (not set). Allowed: a ContainerImage. Fix: use ContainerImage.fromDigest("<registry>/<repo>@sha256:<digest>")'],
    ['a capture prefix without an endpoint', { captureUri: 's3://fraud-data-eu/data-capture/' },
      'drift/FraudDrift: invalid captureUri "s3://fraud-data-eu/data-capture/". Allowed: a capture prefix only with endpoint. Fix: remove captureUri, or pass the endpoint whose captured requests it holds'],
    ['no data', { source: undefined },
      'drift/FraudDrift: invalid source (not set). Allowed: exactly one of source, endpoint and pipeline. Fix: name the data compared once'],
  ])('GIVEN %s THEN an MlPlatformError naming the prop', (_case, overrides, expected) => {
    expect(message(overrides)).toBe(expected);
  });

  test('GIVEN retraining in a chart without a namespace THEN refused: the RoleBinding must name the ServiceAccount\'s namespace', () => {
    expect(thrownBy(() => monitorChart({ retraining: RETRAINING }, null)).message).toBe(
      'drift/FraudDrift: invalid retraining "kubernetes-job". Allowed: retraining in a chart with a namespace (the RoleBinding must name its '
      + 'ServiceAccount\'s namespace). Fix: create the monitor in a Chart with a namespace or under an MlPlatform (Pulumi: give namespace or platform)');
  });

  test('GIVEN a name of 53 characters THEN refused: each run\'s Job adds "-<minutes>"', () => {
    expect(thrownBy(() => monitorChart({ name: 'x'.repeat(53) })).prop).toBe('name');
  });

  test('GIVEN a work volume of 10 MiB THEN refused', () => {
    expect(thrownBy(() => monitorChart({ workVolumeMebibytes: 10 })).prop).toBe('workVolumeMebibytes');
  });

  test('GIVEN a training image by mutable tag THEN refused', () => {
    const latest = ContainerImage.fromTag('registry.example.com/ml/fraud-train:latest');
    expect(thrownBy(() => monitorChart({ retraining: { target: 'kubernetes-job', jobTemplate: { image: latest } } })).prop).toBe('retraining.jobTemplate.image');
  });

  test('GIVEN a Job template setting MODEL_NAME THEN refused: the construct sets it', () => {
    expect(thrownBy(() => monitorChart({ retraining: { target: 'kubernetes-job', jobTemplate: { image: TRAINER, env: { MODEL_NAME: 'x' } } } })).prop).toBe('retraining.jobTemplate.env.MODEL_NAME');
  });

  test('GIVEN a platform Pushgateway address without a scheme THEN the platform refuses it', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'drift', { namespace: 'ml' });
    expect(thrownBy(() => new MlPlatform(chart, 'Platform', {
      platformName: 'fraud-ml',
      owner: { team: 'fraud-ml', email: 'fraud-ml@example.com', runbookBaseUrl: 'https://runbooks.example.com/fraud/' },
      prometheus: { pushgatewayAddress: 'prometheus-pushgateway.monitoring.svc:9091' },
    })).prop).toBe('prometheus.pushgatewayAddress');
  });
});
