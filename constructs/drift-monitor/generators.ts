// Property-based generators of DriftMonitor props (fast-check): valid props, which every engine must synthesize into
// conforming output, and invalid props, each tagged with the prop they break. test/fuzz runs them.
import * as fc from 'fast-check';
import { DriftMonitor as AwsDriftMonitor, type DriftMonitorProps as AwsDriftProps } from './aws';
import type { DriftMonitorPlanProps } from './plan';
import { DataBucket, EncryptionKey, OwnerNotifications } from '../../lib/aws';
import { ModelArtifact } from '../../lib/core';
import { type FuzzCase, type FuzzTarget, GENERATORS, invalidCase } from '../../lib/core/generators';

const { bucketName, constructId, keyPrefix, numberNot, wrongType } = GENERATORS;

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
