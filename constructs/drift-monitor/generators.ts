// Property-based generators of DriftMonitor props (fast-check): valid props, which every engine must synthesize into
// conforming output, and invalid props, each tagged with the prop they break. test/fuzz runs them.
import * as fc from 'fast-check';
import { DriftMonitor as AwsDriftMonitor, type DriftMonitorProps as AwsDriftProps } from './aws';
import { DriftMonitor as K8sDriftMonitor } from './k8s';
import type { DriftMonitorProps as K8sDriftProps } from './k8s-props';
import type { DriftMonitorPlanProps } from './plan';
import { DriftMonitor as PulumiDriftMonitor, type DriftMonitorArgs } from './pulumi';
import { DataBucket, EncryptionKey, OwnerNotifications } from '../../lib/aws';
import { ContainerImage, ModelArtifact } from '../../lib/core';
import { type FuzzCase, type FuzzTarget, GENERATORS, invalidCase, pulumiPlacement } from '../../lib/core/generators';

const { bucketName, constructId, image, keyPrefix, numberNot, wrongType } = GENERATORS;

const psiPair = fc.tuple(fc.double({ min: 0.001, max: 4.9, noNaN: true }), fc.double({ min: 0.001, max: 5, noNaN: true }))
  .map(([warn, gap]) => ({ psiWarn: warn, psiAlarm: warn + gap }));
const model = fc.record({ bucket: bucketName, version: fc.stringMatching(/^\d{1,2}\.\d{1,2}\.\d{1,2}$/) })
  .map(({ bucket, version }) => ModelArtifact.fromUri(`s3://${bucket}/fraud/${version}/model.tar.gz`, { version }));

/** Props every engine accepts: any source kind, period, delay, job bound within the period, thresholds and overrides. */
const validProps: fc.Arbitrary<DriftMonitorPlanProps> = fc.record({
  model,
  kind: fc.constantFrom('endpoint-capture', 'pipeline-inputs', 'prefix'),
  bucket: bucketName,
  prefix: keyPrefix,
  format: fc.constantFrom('csv', 'jsonl', 'sagemaker-capture'),
  everyHours: fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 24),
  startDelayMinutes: fc.integer({ min: 0, max: 59 }),
  timeoutFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  thresholds: psiPair,
  features: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/), psiPair, { maxKeys: 4 }),
  ksAlpha: fc.double({ min: 0.0001, max: 0.2, noNaN: true }),
  approvalTimeoutHours: fc.option(fc.integer({ min: 1, max: 720 }), { nil: undefined }),
}).map((v) => ({
  model: v.model,
  source: v.kind === 'endpoint-capture'
    ? { kind: v.kind, uri: `s3://${v.bucket}/${v.prefix}`, endpointName: 'fraud' }
    : { kind: v.kind, uri: `s3://${v.bucket}/${v.prefix}`, format: v.format },
  baselineUri: `s3://${v.bucket}/baselines/${v.model.version}/baseline.json`,
  everyHours: v.everyHours,
  startDelayMinutes: v.startDelayMinutes,
  jobTimeoutMinutes: Math.max(1, Math.floor(v.timeoutFraction * Math.min(v.everyHours * 60, 1440))),
  thresholds: { ...v.thresholds, features: v.features, ksAlpha: v.ksAlpha },
  ...(v.approvalTimeoutHours === undefined ? {} : { retraining: { target: 'eventbridge-event' as const, approvalTimeoutHours: v.approvalTimeoutHours } }),
}));

/** Invalid shared props, each tagged with the prop the error must name. */
const invalidProps: ReadonlyArray<FuzzCase<Record<string, unknown>>> = [
  invalidCase('model', fc.constantFrom('s3://m/model.tar.gz', {}, null)),
  invalidCase('baselineUri', fc.constantFrom('s3://b/prefix/', 'https://b/baseline.json', 's3://B/x.json', '')),
  invalidCase('everyHours', fc.oneof(fc.constantFrom(5, 7, 9, 10), numberNot({ min: 1, max: 24, integer: true }))),
  invalidCase('startDelayMinutes', numberNot({ min: 0, max: 59, integer: true })),
  invalidCase('source', wrongType({ except: ['object', 'undefined'] })),
  invalidCase('thresholds.psiWarn', fc.constantFrom(0, -1, 11, Number.NaN).map((psiWarn) => ({ psiWarn })), 'thresholds'),
  invalidCase('retraining.target', fc.constantFrom('retrain', 'SageMaker', 3).map((target) => ({ target })), 'retraining'),
];

/** Kubernetes-only props: any name, Pushgateway, S3-compatible store, sizes, deadline and IRSA annotation. */
const k8sExtra = fc.record({
  name: fc.stringMatching(/^[a-z0-9][a-z0-9]{0,20}(-[a-z0-9]{1,10}){0,2}$/),
  pushgatewayAddress: fc.constantFrom('http://prometheus-pushgateway.monitoring.svc:9091', 'https://push.example.com', 'http://10.0.0.7:9091/'),
  objectStore: fc.record({
    endpointUrl: fc.constantFrom('http://minio.minio.svc:9000', 'https://s3.eu-central-1.wasabisys.com', 'http://ceph-rgw.storage.svc.cluster.local:7480'),
    region: fc.constantFrom('eu-west-1', 'us-east-1', 'eu-central-1'),
    image,
  }, { requiredKeys: [] }),
  resources: fc.integer({ min: 1, max: 64_000 }).chain((cpuMillis) => fc.record({
    cpuMillis: fc.constant(cpuMillis),
    cpuLimitMillis: fc.integer({ min: cpuMillis, max: 128_000 }),
    memoryMebibytes: fc.integer({ min: 16, max: 1_048_576 }),
  })),
  workVolumeMebibytes: fc.integer({ min: 64, max: 1_048_576 }),
  startingDeadlineSeconds: fc.integer({ min: 10, max: 3600 }),
  serviceAccountAnnotations: fc.constant({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/drift' }),
}, { requiredKeys: [] });

const k8sInvalid: ReadonlyArray<FuzzCase> = [
  invalidCase('name', fc.oneof(fc.constantFrom('UPPER', 'has space', 'x-', 'a'.repeat(53), 'under_score'), wrongType({ except: ['undefined', 'string'] }))),
  invalidCase('pushgatewayAddress', fc.constantFrom('pushgateway:9091', 'ftp://push:21', 'http://user:pw@push:9091', 'http://push:99999', '')),
  invalidCase('objectStore.endpointUrl', fc.constantFrom('minio:9000', 'http://', 's3://bucket').map((endpointUrl) => ({ endpointUrl })), 'objectStore'),
  invalidCase('workVolumeMebibytes', numberNot({ min: 64, max: 1_048_576, integer: true })),
  invalidCase('retraining.jobTemplate.image', fc.constant({ target: 'kubernetes-job', jobTemplate: { image: ContainerImage.fromTag('registry.example.com/train:latest') } }), 'retraining'),
];

// The training image of the generated retraining requests.
const TRAINER = ContainerImage.fromDigest(`registry.example.com/ml/train@sha256:${'e'.repeat(64)}`);

/** The shared props on Kubernetes: a valid retraining request (the shared generator's) becomes the suspended Job. */
function onKubernetes(props: Record<string, unknown>): K8sDriftProps {
  const retraining = props.retraining as { target?: unknown; approvalTimeoutHours?: number } | undefined;
  if (retraining?.target !== 'eventbridge-event') {
    return props as unknown as K8sDriftProps;
  }
  return { ...props, retraining: { target: 'kubernetes-job', approvalTimeoutHours: retraining.approvalTimeoutHours, jobTemplate: { image: TRAINER } } } as unknown as K8sDriftProps;
}

export const fuzzTarget: FuzzTarget = {
  name: 'DriftMonitor',
  validProps: validProps as unknown as fc.Arbitrary<Record<string, unknown>>,
  invalidProps,
  ids: constructId,
  engines: {
    aws: {
      extra: fc.constant({}),
      invalid: [
        invalidCase('notifications', fc.constantFrom({}, 'topic', 0)),
        invalidCase('pipelineArn', fc.constantFrom('arn:aws:sagemaker:eu-west-1:123456789012:pipeline/x')),
      ],
      build: (stack, id, props) => new AwsDriftMonitor(stack, id, withPlatformParts(stack, props) as unknown as AwsDriftProps),
    },
    k8s: {
      extra: k8sExtra,
      invalid: k8sInvalid,
      // The harness's chart has no namespace, which the retraining RoleBinding needs: valid retraining is fuzzed on
      // Pulumi; invalid retraining props still reach the construct here.
      build: (chart, id, props) => new K8sDriftMonitor(chart, id, (props.retraining as { target?: unknown } | undefined)?.target === 'eventbridge-event'
        ? { ...onKubernetes(props), retraining: undefined } : onKubernetes(props)),
    },
    pulumi: {
      ...pulumiPlacement(k8sExtra, k8sInvalid),
      // A retraining request needs a namespace for its RoleBinding (refused without one, tested beside the component).
      build: (_scope, id, props) => new PulumiDriftMonitor(id, {
        ...onKubernetes(props), ...(props.retraining && props.namespace === undefined ? { namespace: 'ml' } : {}),
      } as DriftMonitorArgs),
    },
  },
};

/** The props with an owner topic and a report bucket in the stack, unless the case gives its own. */
function withPlatformParts(stack: any, props: Record<string, unknown>): Record<string, unknown> {
  const key = new EncryptionKey(stack, 'FuzzKey').key;
  return {
    notifications: new OwnerNotifications(stack, 'FuzzOwner', { encryptionKey: key }),
    reportBucket: new DataBucket(stack, 'FuzzReports', { encryptionKey: key }).bucket,
    ...props,
  };
}
