import { App, Chart } from 'cdk8s';
import { longestScheduleGapSeconds } from '../../constructs/batch-scoring-pipeline/k8s-alerts';
import {
  AppSbom, applyResidency, BatchScoringPipeline, type BatchScoringPipelineProps, ContainerImage, MlPlatformError, ModelArtifact, Residency,
} from '../../constructs/k8s';
import { IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';
import { kubernetesConformance } from '../support/k8s-conformance';
import { sbomViolations } from '../support/sbom';

const VALIDATOR = ContainerImage.fromDigest(`registry.example.com/ml/score-validator@sha256:${'c'.repeat(64)}`);
const PUBLISHER = ContainerImage.fromDigest(`registry.example.com/ml/score-publisher@sha256:${'d'.repeat(64)}`);

const REQUIRED: BatchScoringPipelineProps = {
  name: 'fraud-scoring',
  model: MODEL,
  image: IMAGE,
  schedule: { cron: '0 2 * * *', timeZone: 'Europe/Dublin' },
  inputUri: 's3://fraud-data-eu/transactions/',
  outputUri: 's3://fraud-data-eu/scores/',
};

function pipelineChart(overrides: Partial<BatchScoringPipelineProps> = {}) {
  const app = new App({ outdir: 'unused' });
  applyResidency(app, Residency.EU);
  const chart = new Chart(app, 'batch', { namespace: 'ml' });
  const pipeline = new BatchScoringPipeline(chart, 'FraudScoring', { ...REQUIRED, ...overrides });
  const objects = chart.toJson();
  const find = (kind: string) => objects.find((o) => o.kind === kind);
  const jobSpec = find('CronJob').spec.jobTemplate.spec;
  return { app, chart, pipeline, objects, find, jobSpec, podSpec: jobSpec.template.spec };
}

/** The environment every container gets with the required props and a model of known version. */
const RUN_CONTRACT = [
  { name: 'RUN_DATE', value: '' },
  { name: 'RUN_ID', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" } } },
  { name: 'SHARD_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
  { name: 'SHARD_COUNT', value: '2' },
  { name: 'INPUT_PREFIX', value: 's3://fraud-data-eu/transactions/' },
  { name: 'OUTPUT_PREFIX', value: 's3://fraud-data-eu/scores/' },
  { name: 'MODEL_URI', value: 's3://models-eu/fraud/1.4.0/model.tar.gz' },
  { name: 'MODEL_NAME', value: 'fraud' },
  { name: 'MODEL_VERSION', value: '1.4.0' },
];

describe('Kubernetes BatchScoringPipeline', () => {
  test('GIVEN a validator and a publisher under an EU policy THEN every object is schema-valid, has no unknown fields, is PSS restricted and hardened', () => {
    const { objects } = pipelineChart({ validation: { validatorImage: VALIDATOR }, publisherImage: PUBLISHER });
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'CronJob', 'NetworkPolicy', 'PrometheusRule']);
    expect(kubernetesConformance(objects)).toEqual([]);
  });

  test('GIVEN defaults THEN the CronJob runs at the cron in its time zone, one run at a time, at most an hour late, keeping 3 successful and 3 failed runs', () => {
    const { jobTemplate: _jobTemplate, ...cronJob } = pipelineChart().find('CronJob').spec;
    expect(cronJob).toEqual({
      schedule: '0 2 * * *',
      timeZone: 'Europe/Dublin',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
    });
  });

  test('GIVEN defaults THEN each run is an Indexed Job of 2 shards, 2 attempts per shard, stopped after 240 minutes and deleted after 7 days', () => {
    const { template: _template, podFailurePolicy: _policy, ...jobSpec } = pipelineChart().jobSpec;
    expect(jobSpec).toEqual({
      completionMode: 'Indexed',
      completions: 2,
      parallelism: 2,
      backoffLimitPerIndex: 2,
      maxFailedIndexes: 0,
      backoffLimit: 4,
      activeDeadlineSeconds: 14400,
      ttlSecondsAfterFinished: 604800,
    });
  });

  test('GIVEN defaults THEN a disrupted pod is retried without counting and exit code 2 from score fails the run at once', () => {
    expect(pipelineChart().jobSpec.podFailurePolicy).toEqual({
      rules: [
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        { action: 'FailJob', onExitCodes: { containerName: 'score', operator: 'In', values: [2] } },
      ],
    });
  });

  test('GIVEN 4 shards, 3 at once, 5 attempts, a 30-minute timeout and explicit limits THEN the CronJob and the Job carry them', () => {
    const { find, jobSpec } = pipelineChart({
      shards: 4,
      parallelism: 3,
      retries: { maxAttempts: 5 },
      runTimeoutMinutes: 30,
      startingDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 3600,
      historyLimits: { successful: 1, failed: 5 },
    });
    expect(find('CronJob').spec).toMatchObject({ startingDeadlineSeconds: 600, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5 });
    expect(jobSpec).toMatchObject({
      completions: 4, parallelism: 3, backoffLimitPerIndex: 4, backoffLimit: 16, activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: 3600,
    });
    expect(pipelineChart({ shards: 3, backoffLimitPerShard: 0 }).jobSpec).toMatchObject({ backoffLimitPerIndex: 0, backoffLimit: 0 });
  });

  test('GIVEN an hourly schedule without a time zone THEN the CronJob runs at minute 0 of every hour in UTC', () => {
    expect(pipelineChart({ schedule: { everyHours: 1 } }).find('CronJob').spec).toMatchObject({ schedule: '0 */1 * * *', timeZone: 'UTC' });
  });

  test('GIVEN a validator THEN score then validate run as init containers and publish runs last, each with the run contract', () => {
    const { podSpec } = pipelineChart({ environment: { THREADS: '2' }, validation: { validatorImage: VALIDATOR, rowCountTolerance: 0.001 } });
    expect(podSpec.initContainers.map((c: any) => [c.name, c.image, c.args])).toEqual([
      ['score', IMAGE.reference, undefined],
      ['validate', VALIDATOR.reference, undefined],
    ]);
    expect(podSpec.containers.map((c: any) => [c.name, c.image, c.args])).toEqual([['publish', IMAGE.reference, ['publish']]]);
    const contract = [{ name: 'THREADS', value: '2' }, ...RUN_CONTRACT];
    expect(podSpec.initContainers[0].env).toEqual(contract);
    expect(podSpec.initContainers[1].env).toEqual(contract);
    expect(podSpec.containers[0].env).toEqual([...contract, { name: 'ROW_COUNT_TOLERANCE', value: '0.001' }]);
  });

  test('GIVEN no validator THEN score is the only init container and publish gets a tolerance of 0', () => {
    const { podSpec } = pipelineChart();
    expect(podSpec.initContainers.map((c: any) => c.name)).toEqual(['score']);
    expect(podSpec.containers[0].env).toEqual([...RUN_CONTRACT, { name: 'ROW_COUNT_TOLERANCE', value: '0' }]);
  });

  test('GIVEN a model without a version THEN MODEL_VERSION is not set', () => {
    const { podSpec } = pipelineChart({ model: ModelArtifact.fromUri('s3://models-eu/fraud/model.tar.gz') });
    expect(podSpec.initContainers[0].env.map((e: any) => e.name)).not.toContain('MODEL_VERSION');
  });

  test('GIVEN a publisher image THEN publish runs it with its own entrypoint, sized for a small step', () => {
    const publish = pipelineChart({ publisherImage: PUBLISHER }).podSpec.containers[0];
    expect([publish.name, publish.image, publish.args]).toEqual(['publish', PUBLISHER.reference, undefined]);
    expect(publish.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  test('GIVEN resources THEN score and validate get them and publish keeps its size', () => {
    const resources = { cpuMillis: 2000, cpuLimitMillis: 4000, memoryMebibytes: 8192 };
    const { podSpec } = pipelineChart({ validation: { validatorImage: VALIDATOR }, resources });
    const big = { requests: { cpu: '2000m', memory: '8192Mi' }, limits: { cpu: '4000m', memory: '8192Mi' } };
    expect(podSpec.initContainers.map((c: any) => c.resources)).toEqual([big, big]);
    expect(podSpec.containers[0].resources.requests).toEqual({ cpu: '250m', memory: '512Mi' });
  });

  test('GIVEN an EU policy THEN pods require EU regions, never restart in place, write only to /tmp and use a ServiceAccount without a token', () => {
    const { find, podSpec } = pipelineChart();
    expect(podSpec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([{
      key: 'topology.kubernetes.io/region', operator: 'In', values: [...Residency.EU.allowedRegions],
    }]);
    expect(podSpec.restartPolicy).toBe('Never');
    expect(podSpec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    for (const container of [...podSpec.initContainers, ...podSpec.containers]) {
      expect(container.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    }
    expect(podSpec.serviceAccountName).toBe('fraud-scoring');
    expect(podSpec.automountServiceAccountToken).toBe(false);
    expect(find('ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  test('GIVEN defaults THEN the NetworkPolicy admits nothing and allows egress to HTTPS and to the EKS Pod Identity Agent on TCP 80, IPv4 and IPv6', () => {
    expect(pipelineChart().find('NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-scoring' } },
      policyTypes: ['Egress', 'Ingress'],
      egress: [
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '::/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ port: 80, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ port: 80, protocol: 'TCP' }] },
      ],
    });
  });

  test.each([
    ['0 2 * * *', 24],
    ['0 */6 * * *', 6],
    ['30 * * * *', 1],
    ['0 3 * * 1-5', 168],
    ['0 3 1 * *', 744],
  ])('GIVEN the cron %s THEN runs are at most %i hours apart', (cron, hours) => {
    expect(longestScheduleGapSeconds(cron)).toBe(hours * 3600);
  });

  test('GIVEN defaults THEN a PrometheusRule pages per failed run, only while it is the newest run, and on no success for 26 hours', () => {
    const rules = pipelineChart().find('PrometheusRule').spec.groups[0].rules;
    expect(rules.map((rule: any) => [rule.alert, rule.labels.severity])).toEqual([
      ['BatchScoringRunFailed', 'page'], ['BatchScoringNoRecentSuccess', 'page'],
    ]);
    const runs = 'namespace="ml", job_name=~"fraud-scoring-[0-9]+"';
    expect(rules[0].expr).toBe(`max by (namespace, job_name) (kube_job_failed{${runs}, condition="true"} == 1 and on (namespace, job_name) `
      + `(kube_job_created{${runs}} == on (namespace) group_left () max by (namespace) (kube_job_created{${runs}})))`);
    expect(rules[1].expr).toBe('time() - max(kube_cronjob_status_last_successful_time{namespace="ml", cronjob="fraud-scoring"}) > 93600');
  });

  test('GIVEN defaults THEN the PrometheusRule carries release: kube-prometheus-stack; given selector labels, those instead', () => {
    expect(pipelineChart().find('PrometheusRule').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'fraud-scoring', 'app.kubernetes.io/component': 'batch-scoring', 'release': 'kube-prometheus-stack',
    });
    expect(pipelineChart({ prometheusSelectorLabels: { role: 'alert-rules' } }).find('PrometheusRule').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'fraud-scoring', 'app.kubernetes.io/component': 'batch-scoring', 'role': 'alert-rules',
    });
  });

  test('GIVEN the pipeline THEN chart.toJson() carries the patched Job fields and pod labels without the cdk8s-plus address label, on every call', () => {
    const { chart, jobSpec } = pipelineChart();
    // The patches live on the CronJob's ApiObject: synthesis and the Pulumi bridge both read chart.toJson().
    expect(Object.keys(jobSpec).sort()).toEqual([
      'activeDeadlineSeconds', 'backoffLimit', 'backoffLimitPerIndex', 'completionMode', 'completions', 'maxFailedIndexes',
      'parallelism', 'podFailurePolicy', 'template', 'ttlSecondsAfterFinished',
    ]);
    expect(jobSpec.template.metadata).toEqual({ labels: { 'app.kubernetes.io/name': 'fraud-scoring', 'app.kubernetes.io/component': 'batch-scoring' } });
    expect(chart.toJson()).toEqual(chart.toJson());
  });

  test('GIVEN no name THEN a DNS label of at most 52 characters is derived from the construct path', () => {
    const { pipeline, find } = pipelineChart({ name: undefined });
    expect(pipeline.name).toMatch(/^batch-fraudscoring-c[0-9a-f]{7}$/);
    expect(find('CronJob').metadata.name).toBe(pipeline.name);
  });

  test('GIVEN a validator and a publisher THEN the app SBOM is valid and lists the model, the images and both datasets', async () => {
    const { app } = pipelineChart({ validation: { validatorImage: VALIDATOR }, publisherImage: PUBLISHER });
    const json = AppSbom.of(app).toJson();
    expect(await sbomViolations(json)).toEqual([]);
    const sbom = JSON.parse(json);
    expect(sbom.components.map((c: any) => `${c.type}:${c.name}`).sort()).toEqual([
      'container:fraud-server', 'container:score-publisher', 'container:score-validator',
      'data:fraud-scoring-input', 'data:fraud-scoring-output',
      'library:ml-platform-constructs', 'machine-learning-model:fraud',
    ]);
    expect(sbom.services.map((s: any) => s.name)).toEqual(['fraud-scoring']);
    expect(sbom.dependencies.find((d: any) => d.ref === 'service:fraud-scoring').dependsOn.sort()).toEqual([
      'data:fraud-scoring-input:s3://fraud-data-eu/transactions/',
      'data:fraud-scoring-output:s3://fraud-data-eu/scores/',
      `image:${IMAGE.reference}`,
      `image:${PUBLISHER.reference}`,
      `image:${VALIDATOR.reference}`,
      `model:fraud@1.4.0:${MODEL.uri}`,
    ]);
  });

  test('snapshot of the default output', () => {
    expect(pipelineChart().objects).toMatchSnapshot();
  });
});

/** Invalid Kubernetes-only props: [what, props, the prop the error must name]. */
const INVALID_K8S_PROPS: Array<[string, Partial<BatchScoringPipelineProps>, string]> = [
  ['a name that is not a DNS label', { name: 'Fraud_Scoring' }, 'name'],
  ['a name longer than 52 characters', { name: 'a'.repeat(53) }, 'name'],
  ['a starting deadline below the controller\'s 10 s check', { startingDeadlineSeconds: 5 }, 'startingDeadlineSeconds'],
  ['a negative TTL', { ttlSecondsAfterFinished: -1 }, 'ttlSecondsAfterFinished'],
  ['a fractional per-shard backoff', { backoffLimitPerShard: 1.5 }, 'backoffLimitPerShard'],
  ['a negative history limit', { historyLimits: { failed: -1 } }, 'historyLimits.failed'],
  ['a publisher by mutable tag', { publisherImage: ContainerImage.fromTag('registry.example.com/publisher:1') }, 'publisherImage'],
  ['a validator by mutable tag', { validation: { validatorImage: ContainerImage.fromTag('registry.example.com/validator:1') } }, 'validation.validatorImage'],
  ['a CPU limit below the request', { resources: { cpuMillis: 1000, cpuLimitMillis: 500 } }, 'cpuLimitMillis'],
  ['a selector label value with a space', { prometheusSelectorLabels: { release: 'kube prometheus' } }, 'prometheusSelectorLabels.release'],
];

describe('Kubernetes BatchScoringPipeline: invalid props', () => {
  test.each(INVALID_K8S_PROPS)('GIVEN %s THEN an MlPlatformError names the prop', (_what, overrides, prop) => {
    const error = thrownBy(() => pipelineChart(overrides));
    expect(error).toBeInstanceOf(MlPlatformError);
    expect(error.prop).toBe(prop);
    expect(error.message).toMatch(/^batch\/FraudScoring: invalid /);
  });

  test('GIVEN a starting deadline of 5 s THEN the message says what is allowed and how to fix it', () => {
    expect(thrownBy(() => pipelineChart({ startingDeadlineSeconds: 5 })).message).toBe(
      'batch/FraudScoring: invalid startingDeadlineSeconds 5. Allowed: a whole number from 10 to 86400. Fix: use e.g. 3600 to start a run up to an hour late',
    );
  });
});
