// Property-based generators of EdgeOtaFleet props (fast-check): valid props, which every engine must synthesize into
// conforming output, and invalid props, each tagged with the prop it breaks. test/fuzz runs them.
import * as fc from 'fast-check';
import { EdgeOtaFleet as AwsEdgeOtaFleet, type EdgeOtaFleetProps as AwsEdgeProps } from './aws';
import { EdgeOtaFleet as K8sEdgeOtaFleet, type EdgeOtaFleetProps as K8sEdgeProps } from './k8s';
import { type EdgeOtaFleetArgs, EdgeOtaFleet as PulumiEdgeOtaFleet } from './pulumi';
import { EncryptionKey, OwnerNotifications } from '../../lib/aws';
import { ModelArtifact } from '../../lib/core';
import { type FuzzCase, type FuzzTarget, GENERATORS, invalidCase } from '../../lib/core/generators';

const { bucketName, constructId, numberNot, wrongType } = GENERATORS;

/** A model in S3 with its SHA-256. */
const model = fc.record({ bucket: bucketName, digest: fc.stringMatching(/^[a-f0-9]{64}$/), version: fc.stringMatching(/^\d{1,2}\.\d{1,2}\.\d{1,2}$/) })
  .map(({ bucket, digest, version }) => ModelArtifact.fromUri(`s3://${bucket}/fraud/${version}/model.tar.gz`, { version, sha256: digest }));

/** Targets that are both thing group names and cluster names (RFC 1123 labels), unique, with waves that fit. */
const fleet = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/), { minLength: 2, maxLength: 30 }).chain((targets) => {
  const canaryMax = Math.max(1, Math.floor(targets.length / 4));
  return fc.integer({ min: 1, max: canaryMax }).chain((canary) => fc.record({
    targets: fc.constant(targets),
    canary: fc.constant({ count: canary }),
    waves: targets.length - canary - 1 >= 1
      ? fc.option(fc.integer({ min: 1, max: targets.length - canary - 1 }).map((count) => [{ count }]), { nil: undefined })
      : fc.constant([]),
  }));
});

/** Valid props every engine accepts (targets become clusters on Kubernetes). */
export const validProps = fc.record({
  model,
  fleet,
  bakeMinutes: fc.integer({ min: 1, max: 10_080 }),
  healthGate: fc.option(fc.record({
    maxFailurePercent: fc.integer({ min: 0, max: 10_000 }).map((hundredths) => hundredths / 100),
    minReportedPercent: fc.integer({ min: 1, max: 100 }),
    detectionDelayMinutes: fc.integer({ min: 1, max: 1440 }),
  }, { requiredKeys: [] }), { nil: undefined }),
  rollout: fc.option(fc.record({
    baseRatePerMinute: fc.integer({ min: 1, max: 100 }),
    incrementFactor: fc.integer({ min: 10, max: 50 }).map((tenths) => tenths / 10),
    inProgressTimeoutMinutes: fc.integer({ min: 1, max: 10_080 }),
  }, { requiredKeys: [] }), { nil: undefined }),
}, { requiredKeys: ['model', 'fleet'] }).map(({ fleet: where, ...props }) => ({ ...props, ...where }));

/** Invalid props of the shared plan, each tagged with the prop it breaks. */
export const invalidProps: ReadonlyArray<FuzzCase> = [
  invalidCase('model', fc.oneof(wrongType({ except: [] }), fc.constant(ModelArtifact.fromUri('s3://models-eu/fraud/model.tar.gz')))),
  invalidCase('targets', fc.constantFrom(['only-one'], ['a', 'b', 'a'])),
  invalidCase('canary', fc.constantFrom({ count: 1, percent: 5 }, {}, 'one', { percent: 100 })),
  invalidCase('bakeMinutes', fc.oneof(numberNot({ min: 1, max: 10_080, integer: true }), fc.string())),
  invalidCase('healthGate.maxFailurePercent', fc.constantFrom(100.5, -1, 10.999, Number.NaN).map((maxFailurePercent) => ({ maxFailurePercent })), 'healthGate'),
  invalidCase('healthGate.minReportedPercent', fc.constantFrom(0, 101, 'half').map((minReportedPercent) => ({ minReportedPercent })), 'healthGate'),
  invalidCase('rollout.baseRatePerMinute', numberNot({ min: 1, max: 1000, integer: true }).map((baseRatePerMinute) => ({ baseRatePerMinute })), 'rollout'),
  invalidCase('rollout.incrementFactor', fc.constantFrom(0.5, 5.5, 1.55, Number.POSITIVE_INFINITY).map((incrementFactor) => ({ incrementFactor })), 'rollout'),
  invalidCase('rollout.inProgressTimeoutMinutes', numberNot({ min: 1, max: 10_080, integer: true }).map((inProgressTimeoutMinutes) => ({ inProgressTimeoutMinutes })), 'rollout'),
];

const SOURCE = { repoURL: 'https://git.example.com/ml/edge.git', path: 'dist/store', targetRevision: '3f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39' };

/** The Kubernetes props: the shared targets as clusters labelled for the selector, unless a case gives clusters. */
function asClusters(props: Record<string, unknown>): Record<string, unknown> {
  const { targets, ...rest } = props;
  const selector = { 'ml-platform/fleet': 'fuzz' };
  const clusters = props.clusters ?? (Array.isArray(targets) ? targets.map((target) => ({ name: target, labels: selector })) : targets);
  return { source: SOURCE, clusterSelector: selector, ...rest, clusters };
}

const k8sInvalid: ReadonlyArray<FuzzCase> = [
  invalidCase('clusters', fc.constantFrom('store-1', 7, null)),
  invalidCase('clusters[0].name', fc.constantFrom([{ name: 'Store_1' }, { name: 'b' }], [{ name: 'a:b' }, { name: 'c' }])),
  invalidCase('source', fc.constantFrom('https://git.example.com/x.git', null, 3)),
  invalidCase('source.lastKnownGoodRevision', fc.constantFrom(SOURCE.targetRevision, "v1'; true", '', 7)
    .map((lastKnownGoodRevision) => ({ ...SOURCE, lastKnownGoodRevision })), 'source'),
  invalidCase('prometheusSelectorLabels', fc.constantFrom({ 'app.kubernetes.io/name': 'x' }, { 'bad key!': 'x' }, { release: 'a b' }, 'release')),
];

/** The Kubernetes props besides the shared ones: a last known-good revision for the revert page, the rule's labels. */
const k8sExtra = fc.record({
  source: fc.stringMatching(/^[a-f0-9]{40}$/).filter((revision) => revision !== SOURCE.targetRevision)
    .map((lastKnownGoodRevision) => ({ ...SOURCE, lastKnownGoodRevision })),
  prometheusSelectorLabels: fc.constantFrom({}, { release: 'prometheus' }, { 'prometheus.io/rules': 'edge' }),
}, { requiredKeys: [] });

/** How each engine builds an EdgeOtaFleet from generated props; test/fuzz discovers this. */
export const fuzzTarget: FuzzTarget = {
  name: 'EdgeOtaFleet',
  validProps: validProps as unknown as fc.Arbitrary<Record<string, unknown>>,
  invalidProps,
  ids: constructId,
  engines: {
    aws: {
      extra: fc.record({
        componentName: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/),
        runtime: fc.record({ componentName: fc.constant('aws.greengrass.DLR'), version: fc.constantFrom('1.6.11', '1.6.12') }),
      }, { requiredKeys: [] }).map((extra) => ({ smokeTestCommand: 'python3 smoke.py', runCommand: 'python3 serve.py', ...extra })),
      invalid: [
        invalidCase('targets', fc.constantFrom(['a/b', 'c'], ['a b', 'c'], ['x'.repeat(129), 'c'], 'a,b', 3)),
        invalidCase('componentName', fc.constantFrom('ml/fraud', '', '-x', 5)),
        invalidCase('notifications', fc.constantFrom({}, 'topic', 0)),
      ],
      build: (stack, id, props) => new AwsEdgeOtaFleet(stack, id, withNotifications(stack, props) as unknown as AwsEdgeProps),
    },
    k8s: {
      extra: fc.tuple(fc.record({ destinationNamespace: fc.constantFrom('ml-serving', 'edge') }, { requiredKeys: [] }), k8sExtra)
        .map(([namespace, extra]) => ({ ...namespace, ...extra })),
      invalid: k8sInvalid,
      build: (chart, id, props) => new K8sEdgeOtaFleet(chart, id, asClusters(props) as unknown as K8sEdgeProps),
    },
    pulumi: {
      extra: fc.tuple(fc.record({ namespace: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/) }, { requiredKeys: [] }), k8sExtra)
        .map(([placement, extra]) => ({ ...placement, ...extra })),
      invalid: k8sInvalid,
      build: (_scope, id, props) => new PulumiEdgeOtaFleet(id, asClusters(props) as unknown as EdgeOtaFleetArgs),
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
