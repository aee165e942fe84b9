// Property-based generators of CanaryEndpoint props (fast-check): valid props, which every engine must
// synthesize into conforming output, and invalid props, each tagged with the prop it breaks. test/fuzz runs them.
import * as fc from 'fast-check';
import { CanaryEndpoint as AwsCanaryEndpoint, type CanaryEndpointProps as AwsCanaryEndpointProps } from './aws';
import { CanaryEndpoint as K8sCanaryEndpoint, type CanaryEndpointProps as K8sCanaryEndpointProps } from './k8s';
import type { CanaryEndpointPlanProps, TrafficShiftOptions } from './plan';
import { type CanaryEndpointArgs, CanaryEndpoint as PulumiCanaryEndpoint } from './pulumi';
import { EncryptionKey, OwnerNotifications } from '../../lib/aws';
import { ContainerImage, ModelArtifact } from '../../lib/core';
import { type FuzzCase, type FuzzTarget, GENERATORS, invalidCase, pulumiPlacement } from '../../lib/core/generators';

const { constructId, environment, image, model, numberNot, wrongType } = GENERATORS;

const trafficShift: fc.Arbitrary<TrafficShiftOptions | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record({ kind: fc.constant('canary' as const), percent: fc.integer({ min: 1, max: 50 }), bakeMinutes: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('linear' as const), percent: fc.integer({ min: 25, max: 50 }), bakeMinutes: fc.integer({ min: 1, max: 15 }) }),
);

/** Valid props every engine accepts (Kubernetes has no shadow variant, so none is generated here). */
export const validProps = fc.record({
  model,
  image,
  environment: fc.option(environment(['MODEL_URI', 'MODEL_NAME', 'MODEL_VERSION', 'MODEL_DIR']), { nil: undefined }),
  trafficShift,
  rollbackGates: fc.option(fc.record({
    maxErrorRatePercent: fc.double({ min: 0.01, max: 99, noNaN: true }),
    maxP99LatencyMs: fc.integer({ min: 1, max: 60_000 }),
  }), { nil: undefined }),
  autoscaling: fc.option(fc.integer({ min: 2, max: 20 }).chain((minCapacity) => fc.record({
    minCapacity: fc.constant(minCapacity),
    maxCapacity: fc.integer({ min: minCapacity, max: 100 }),
    targetInvocationsPerMinute: fc.integer({ min: 1, max: 100_000 }),
    targetCpuUtilizationPercent: fc.integer({ min: 10, max: 95 }),
    scaleOutCooldownSeconds: fc.integer({ min: 0, max: 900 }),
  }).chain((scaling) => fc.integer({ min: scaling.scaleOutCooldownSeconds, max: 3600 })
    .map((scaleInCooldownSeconds) => ({ ...scaling, scaleInCooldownSeconds })))), { nil: undefined }),
}, { requiredKeys: ['model', 'image'] }) as fc.Arbitrary<CanaryEndpointPlanProps>;

/** The ids constructs are created with: legal construct ids, including those that break naive derived names. */
export const ids = constructId;

/** Invalid props of the shared plan, each tagged with the prop it breaks. */
export const invalidProps: ReadonlyArray<FuzzCase> = [
  invalidCase('model', wrongType({ except: [] })),
  invalidCase('image', fc.oneof(wrongType({ except: [] }), fc.constant(ContainerImage.fromTag('registry.example.com/server:1', {})))),
  invalidCase('environment', fc.oneof(fc.constant('A=1'), fc.constant(42), fc.constant(null), fc.constant([['A', '1']]))),
  invalidCase('environment.', fc.oneof(
    fc.constantFrom('MODEL_NAME', 'MODEL_URI', 'MODEL_VERSION', 'MODEL_DIR', '1ABC', 'HAS-DASH', 'has space', '').map((name) => ({ [name]: 'x' })),
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant({ nested: 'x' })).map((value) => ({ THREADS: value })),
  ), 'environment'),
  invalidCase('trafficShift', fc.oneof(fc.constant('canary'), fc.constant(10), fc.constant(null))),
  invalidCase('trafficShift.kind', fc.oneof(fc.constantFrom('blue-green', 'Canary', 'CANARY', ''), wrongType({ except: ['undefined'] }))
    .map((kind) => ({ kind })), 'trafficShift'),
  invalidCase('trafficShift.percent', fc.oneof(numberNot({ min: 1, max: 50, integer: true }), wrongType({ except: ['undefined', 'number'] }))
    .map((percent) => ({ percent })), 'trafficShift'),
  invalidCase('trafficShift.bakeMinutes', fc.oneof(numberNot({ min: 1, max: 60, integer: true }), wrongType({ except: ['undefined', 'number'] }))
    .map((bakeMinutes) => ({ bakeMinutes })), 'trafficShift'),
  invalidCase('trafficShift.allAtOnceReason', fc.oneof(fc.constant(undefined), fc.constant(''), fc.constant('  '), fc.integer())
    .map((allAtOnceReason) => ({ kind: 'all-at-once', allAtOnceReason })), 'trafficShift'),
  invalidCase('rollbackGates.maxErrorRatePercent', fc.oneof(numberNot({ min: 0, max: 100, integer: false }), fc.constantFrom(0, 100), fc.string())
    .map((maxErrorRatePercent) => ({ maxErrorRatePercent })), 'rollbackGates'),
  invalidCase('rollbackGates.maxP99LatencyMs', fc.oneof(numberNot({ min: 1, max: 60_000, integer: false }), fc.string())
    .map((maxP99LatencyMs) => ({ maxP99LatencyMs })), 'rollbackGates'),
  invalidCase('autoscaling.minCapacity', fc.oneof(numberNot({ min: 2, max: 100, integer: true }), fc.string())
    .map((minCapacity) => ({ minCapacity, maxCapacity: 100 })), 'autoscaling'),
  invalidCase('autoscaling.maxCapacity', fc.oneof(numberNot({ min: 1, max: 100, integer: true }), fc.string())
    .map((maxCapacity) => ({ minCapacity: 2, maxCapacity })), 'autoscaling'),
  invalidCase('autoscaling.targetCpuUtilizationPercent', numberNot({ min: 10, max: 95, integer: true })
    .map((targetCpuUtilizationPercent: number) => ({ targetCpuUtilizationPercent })), 'autoscaling'),
  invalidCase('autoscaling.scaleInCooldownSeconds', fc.integer({ min: 0, max: 59 }).map((scaleInCooldownSeconds) => ({ scaleInCooldownSeconds })), 'autoscaling'),
  invalidCase('shadow', fc.oneof(fc.constant('challenger'), fc.constant(1))),
  invalidCase('shadow.model', fc.oneof(wrongType({ except: [] }), fc.constant({ uri: 's3://b/k' })).map((shadowModel) => ({ model: shadowModel })), 'shadow'),
];

/** A challenger model for engines with a shadow variant. */
export const challenger = fc.constantFrom(
  ModelArtifact.fromUri('s3://models-eu/fraud/2.0.0/model.tar.gz', { version: '2.0.0' }),
  ModelArtifact.fromUri('s3://models-eu/fraud/2.1.0/model.tar.gz'),
);

const validServerName = fc.stringMatching(/^[a-z][a-z0-9]{0,20}(-[a-z0-9]{1,10}){0,2}$/);
const k8sExtra = fc.record({
  name: validServerName,
  prometheusAddress: fc.constantFrom('http://prometheus-operated.monitoring.svc:9090', 'https://prom.example.com', 'http://10.0.0.7:9090/prom'),
  serverMetrics: fc.record({
    requestsTotal: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,30}$/),
    requestDurationBucket: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,30}$/),
    path: fc.stringMatching(/^\/[a-z0-9/_.-]{0,20}$/),
  }, { requiredKeys: [] }),
  trafficRouting: fc.oneof(
    fc.record({ nginxStableIngress: validServerName }),
    fc.record({ istioVirtualService: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9](\.[a-z][a-z0-9]{0,10})?$/) }),
  ),
  resources: fc.integer({ min: 1, max: 64_000 }).chain((cpuMillis) => fc.record({
    cpuMillis: fc.constant(cpuMillis),
    cpuLimitMillis: fc.integer({ min: cpuMillis, max: 128_000 }),
    memoryMebibytes: fc.integer({ min: 16, max: 1_048_576 }),
  })),
  modelLoader: image,
}, { requiredKeys: [] });

const k8sInvalid: ReadonlyArray<FuzzCase<Record<string, unknown>>> = [
  invalidCase('name', fc.oneof(fc.constantFrom('1fraud', 'UPPER', 'has space', 'fraud-', '-fraud', 'a'.repeat(57), 'fraud_endpoint'), wrongType({ except: ['undefined', 'string'] }))),
  invalidCase('prometheusAddress', fc.oneof(fc.constantFrom('http://prom:99999', 'ftp://prom', 'prom:9090', 'http://a b', 'http://', 'http://user:pw@prom'), fc.integer())),
  invalidCase('serverMetrics.requestsTotal', fc.constantFrom('http-requests total', '0', 'a{b}', 'x"y').map((requestsTotal) => ({ requestsTotal })), 'serverMetrics'),
  invalidCase('serverMetrics.requestDurationBucket', fc.constantFrom('9lives', 'a b').map((requestDurationBucket) => ({ requestDurationBucket })), 'serverMetrics'),
  invalidCase('serverMetrics.path', fc.constantFrom('/has space', 'metrics', '', '/x\ny').map((path) => ({ path })), 'serverMetrics'),
  invalidCase('trafficRouting.istioVirtualService', fc.constantFrom('UPPER_vs', 'a b', '-x').map((istioVirtualService) => ({ istioVirtualService })), 'trafficRouting'),
  invalidCase('resources.cpuMillis', fc.constantFrom(1e21, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '500m').map((cpuMillis) => ({ cpuMillis })), 'resources'),
  invalidCase('modelLoader', fc.oneof(wrongType({ except: ['undefined'] }), fc.constant(ContainerImage.fromTag('registry.example.com/loader:1')))),
];

/** How each engine builds a CanaryEndpoint from generated props; test/fuzz discovers this. */
export const fuzzTarget: FuzzTarget = {
  name: 'CanaryEndpoint',
  validProps: validProps as unknown as fc.Arbitrary<Record<string, unknown>>,
  invalidProps,
  ids,
  engines: {
    aws: {
      extra: fc.record({
        instanceType: fc.constantFrom('ml.m5.large', 'ml.c5.xlarge', 'ml.g5.2xlarge', 'ml.inf2.xlarge'),
        dataCapture: fc.oneof(fc.record({ samplingPercent: fc.integer({ min: 1, max: 100 }) }), fc.constant({ enabled: false })),
        terminationWaitMinutes: fc.integer({ min: 0, max: 60 }),
        shadow: challenger.map((shadowModel) => ({ model: shadowModel })),
        endpointName: fc.stringMatching(/^[a-zA-Z0-9]{1,20}(-[a-zA-Z0-9]{1,10}){0,3}$/),
      }, { requiredKeys: [] }),
      invalid: [
        invalidCase('instanceType', fc.oneof(fc.constantFrom('m5.large', 'ml.m5', 'ML.M5.LARGE'), fc.integer())),
        invalidCase('endpointName', fc.oneof(fc.constantFrom('has space', '-x', 'x-', 'a'.repeat(64), 'under_score'), fc.integer())),
        invalidCase('encryptionKey', fc.constantFrom('arn:aws:kms:eu-west-1:123456789012:key/abc', {}, 42)),
        invalidCase('rollbackAlarms', fc.constantFrom('alarm', {}, [undefined], [{ alarmName: 'x' }], 3)),
        invalidCase('dataCapture.samplingPercent', numberNot({ min: 1, max: 100, integer: true }).map((samplingPercent: unknown) => ({ samplingPercent })), 'dataCapture'),
        invalidCase('dataCapture.enabled', fc.constantFrom('yes', 1, null).map((enabled) => ({ enabled })), 'dataCapture'),
        invalidCase('terminationWaitMinutes', fc.oneof(numberNot({ min: 0, max: 60, integer: true }), fc.string())),
        invalidCase('notifications', fc.constantFrom({}, 'arn:aws:sns:eu-west-1:123456789012:owner', 7)),
      ],
      build: (stack, id, props) => new AwsCanaryEndpoint(stack, id, withNotifications(stack, props) as unknown as AwsCanaryEndpointProps),
    },
    k8s: {
      extra: k8sExtra,
      invalid: k8sInvalid,
      build: (chart, id, props) => new K8sCanaryEndpoint(chart, id, props as unknown as K8sCanaryEndpointProps),
    },
    pulumi: {
      ...pulumiPlacement(k8sExtra, k8sInvalid),
      build: (_scope, id, props) => new PulumiCanaryEndpoint(id, props as unknown as CanaryEndpointArgs),
    },
  },
};

/** The props with an owner topic in the stack, unless the case gives its own `notifications`. */
function withNotifications(stack: any, props: Record<string, unknown>): Record<string, unknown> {
  if ('notifications' in props) {
    return props;
  }
  const notifications = new OwnerNotifications(stack, 'FuzzOwner', { encryptionKey: new EncryptionKey(stack, 'FuzzOwnerKey').key });
  return { ...props, notifications };
}
