// Property-based generators of BatchScoringPipeline props (fast-check): valid props, which every engine must
// synthesize into conforming output, and invalid props, each tagged with the prop it breaks. test/fuzz runs them.
import * as fc from 'fast-check';
import { BatchScoringPipeline as AwsBatchScoringPipeline, type BatchScoringPipelineProps as AwsBatchProps } from './aws';
import { BatchScoringPipeline as K8sBatchScoringPipeline, type BatchScoringPipelineProps as K8sBatchProps } from './k8s';
import { BATCH_RESERVED_ENVIRONMENT, type BatchScoringPipelinePlanProps } from './plan';
import { type BatchScoringPipelineArgs, BatchScoringPipeline as PulumiBatchScoringPipeline } from './pulumi';
import { EncryptionKey, OwnerNotifications } from '../../lib/aws';
import { ContainerImage } from '../../lib/core';
import { type FuzzCase, type FuzzTarget, GENERATORS, invalidCase, pulumiPlacement } from '../../lib/core/generators';

const { bucketName, constructId, environment, image, keyPrefix, model, numberNot, timeZone, wrongType } = GENERATORS;

const cronField = (min: number, max: number) => fc.oneof(
  fc.constant('*'),
  fc.integer({ min, max }).map(String),
  fc.integer({ min, max }).chain((from) => fc.integer({ min: from, max }).map((to) => `${from}-${to}`)),
  fc.integer({ min: 1, max: max - min + 1 }).map((step) => `*/${step}`),
);

/** A five-field cron that fires: day-of-month and day-of-week never both set, days that exist in some month. */
const cron = fc.record({
  minute: cronField(0, 59),
  hour: cronField(0, 23),
  dayOfMonth: fc.oneof(fc.constant('*'), fc.integer({ min: 1, max: 28 }).map(String)),
  month: cronField(1, 12),
  dayOfWeek: cronField(0, 6),
}).map(({ minute, hour, dayOfMonth, month, dayOfWeek }) =>
  `${minute} ${hour} ${dayOfMonth} ${month} ${dayOfMonth === '*' ? dayOfWeek : '*'}`);

const schedule = fc.oneof(
  fc.record({ cron, timeZone }, { requiredKeys: ['cron'] }),
  fc.record({ everyHours: fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 24), timeZone }, { requiredKeys: ['everyHours'] }),
);

/** Input and output prefixes that neither contain the other. */
const locations = fc.record({ inputBucket: bucketName, outputBucket: bucketName, inputPrefix: keyPrefix, outputPrefix: keyPrefix })
  .filter(({ inputBucket, outputBucket, inputPrefix, outputPrefix }) =>
    inputBucket !== outputBucket || !(inputPrefix.startsWith(outputPrefix) || outputPrefix.startsWith(inputPrefix)))
  .map(({ inputBucket, outputBucket, inputPrefix, outputPrefix }) => ({
    inputUri: `s3://${inputBucket}/${inputPrefix}`,
    outputUri: `s3://${outputBucket}/${outputPrefix}`,
  }));

/** Valid props every engine accepts. */
export const validProps = fc.record({
  model,
  image,
  schedule,
  locations,
  environment: fc.option(environment(BATCH_RESERVED_ENVIRONMENT), { nil: undefined }),
  shards: fc.integer({ min: 1, max: 100 }),
  validation: fc.option(fc.record({
    rowCountTolerance: fc.double({ min: 0, max: 1, noNaN: true }),
    validatorImage: image,
  }, { requiredKeys: [] }), { nil: undefined }),
  retries: fc.option(fc.record({
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    intervalSeconds: fc.integer({ min: 1, max: 3600 }),
    backoffRate: fc.double({ min: 1, max: 10, noNaN: true }),
  }, { requiredKeys: [] }), { nil: undefined }),
  runTimeoutMinutes: fc.integer({ min: 5, max: 1440 }),
}, { requiredKeys: ['model', 'image', 'schedule', 'locations'] })
  .map(({ locations: where, ...props }) => ({ ...props, ...where }) as BatchScoringPipelinePlanProps);

/** Invalid props of the shared plan, each tagged with the prop it breaks. */
export const invalidProps: ReadonlyArray<FuzzCase> = [
  invalidCase('model', wrongType({ except: [] })),
  invalidCase('image', fc.oneof(wrongType({ except: [] }), fc.constant(ContainerImage.fromTag('registry.example.com/score:1')))),
  invalidCase('schedule', fc.oneof(fc.constant(undefined), fc.constant('0 2 * * *'), fc.constant({ cron: '0 2 * * *', everyHours: 6 }))),
  invalidCase('schedule.cron', fc.constantFrom('0 2 31 2 *', '0 2 30 2 *', '0 2 * *', '61 * * * *', '0 2 1 * 1', 'daily', '0 2 * * 7', 5)
    .map((value) => ({ cron: value })), 'schedule'),
  invalidCase('schedule.everyHours', fc.oneof(fc.constantFrom(5, 7, 0, 48, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), fc.string())
    .map((everyHours) => ({ everyHours })), 'schedule'),
  invalidCase('schedule.timeZone', fc.oneof(fc.constantFrom('utc', 'europe/dublin', 'Mars/Olympus', 'UTC+1', ''), fc.integer())
    .map((value) => ({ cron: '0 2 * * *', timeZone: value })), 'schedule'),
  invalidCase('inputUri', fc.oneof(
    fc.constantFrom('s3://a..b/x/', 's3://192.168.5.4/x/', 's3://xn--fraud/x/', 's3://sthree-x/x/', 's3://data-s3alias/x/', 's3://data--ol-s3/x/',
      's3://Upper/x/', 's3://ab/x/', 's3://in-b/no-slash', 's3://in-b/a*b/', 's3://in-b/has space/', 's3://in-b/{%x%}/', 's3://in-b/${aws:username}/',
      'https://in-b/x/', `s3://in-b/${'k'.repeat(900)}/`),
    wrongType({ except: ['undefined'] }),
  )),
  invalidCase('outputUri', fc.constantFrom('s3://out..b/y/', 's3://out-b/y?/', 'out-b/y/', `s3://out-b/${'é'.repeat(500)}/`)),
  invalidCase('environment', fc.constantFrom('A=1', 42, null)),
  invalidCase('environment.', fc.oneof(
    fc.constantFrom(...BATCH_RESERVED_ENVIRONMENT, '1ABC', 'HAS-DASH').map((name) => ({ [name]: 'x' })),
    fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)).map((value) => ({ THREADS: value })),
  ), 'environment'),
  invalidCase('shards', fc.oneof(numberNot({ min: 1, max: 100, integer: true }), fc.string())),
  invalidCase('validation.rowCountTolerance', fc.oneof(numberNot({ min: 0, max: 1, integer: false }), fc.string())
    .map((rowCountTolerance) => ({ rowCountTolerance })), 'validation'),
  invalidCase('validation.validatorImage', wrongType({ except: ['undefined'] }).map((validatorImage) => ({ validatorImage })), 'validation'),
  invalidCase('retries.backoffRate', numberNot({ min: 1, max: 10, integer: false }).map((backoffRate) => ({ backoffRate })), 'retries'),
  invalidCase('retries.maxAttempts', numberNot({ min: 1, max: 10, integer: true }).map((maxAttempts) => ({ maxAttempts })), 'retries'),
  invalidCase('runTimeoutMinutes', fc.oneof(numberNot({ min: 5, max: 1440, integer: true }), fc.string())),
];

const k8sExtra = fc.record({
  name: fc.stringMatching(/^[a-z0-9][a-z0-9]{0,20}(-[a-z0-9]{1,10}){0,2}$/),
  publisherImage: image,
  resources: fc.integer({ min: 1, max: 64_000 }).chain((cpuMillis) => fc.record({
    cpuMillis: fc.constant(cpuMillis),
    cpuLimitMillis: fc.integer({ min: cpuMillis, max: 128_000 }),
    memoryMebibytes: fc.integer({ min: 16, max: 1_048_576 }),
  })),
  startingDeadlineSeconds: fc.integer({ min: 10, max: 86_400 }),
  ttlSecondsAfterFinished: fc.integer({ min: 0, max: 31_536_000 }),
  historyLimits: fc.record({ successful: fc.integer({ min: 0, max: 100 }), failed: fc.integer({ min: 0, max: 100 }) }, { requiredKeys: [] }),
}, { requiredKeys: [] });

const k8sInvalid: ReadonlyArray<FuzzCase> = [
  invalidCase('name', fc.oneof(fc.constantFrom('UPPER', 'has space', 'x-', 'a'.repeat(53), 'under_score'), wrongType({ except: ['undefined', 'string'] }))),
  invalidCase('publisherImage', fc.oneof(wrongType({ except: ['undefined'] }), fc.constant(ContainerImage.fromTag('registry.example.com/publish:1')))),
  invalidCase('resources.memoryMebibytes', fc.constantFrom(1e21, 0, 2.5, Number.NaN).map((memoryMebibytes) => ({ memoryMebibytes })), 'resources'),
  invalidCase('startingDeadlineSeconds', numberNot({ min: 10, max: 86_400, integer: true })),
];

/** How each engine builds a BatchScoringPipeline from generated props; test/fuzz discovers this. */
export const fuzzTarget: FuzzTarget = {
  name: 'BatchScoringPipeline',
  validProps: validProps as unknown as fc.Arbitrary<Record<string, unknown>>,
  invalidProps,
  ids: constructId,
  engines: {
    aws: {
      extra: fc.record({
        instanceType: fc.constantFrom('ml.m5.xlarge', 'ml.c5.2xlarge', 'ml.m5d.large', 'ml.g4dn.xlarge'),
        maxPayloadMb: fc.integer({ min: 1, max: 100 }),
        strategy: fc.constantFrom(
          { batchStrategy: 'MultiRecord', splitType: 'Line' }, { batchStrategy: 'SingleRecord', splitType: 'None' },
          { batchStrategy: 'MultiRecord', splitType: 'RecordIO' }, { batchStrategy: 'SingleRecord', splitType: 'TFRecord' },
        ),
        scheduleEnabled: fc.boolean(),
      }, { requiredKeys: [] }).map(({ strategy, ...rest }) => ({ ...rest, ...strategy })),
      invalid: [
        invalidCase('batchStrategy', fc.constantFrom('multi', 'MULTIRECORD', 3)),
        invalidCase('inputUri', fc.constantFrom('s3://in-.b/x/', 's3://in.-b/x/')),
        invalidCase('splitType', fc.constantFrom('CSV', 'line', null)),
        invalidCase('instanceType', fc.oneof(fc.constantFrom('m5.xlarge', 'ml.m5'), fc.integer())),
        invalidCase('maxPayloadMb', fc.oneof(numberNot({ min: 1, max: 100, integer: true }), fc.string())),
        invalidCase('encryptionKey', fc.constantFrom('alias/data', {}, 1)),
        invalidCase('notifications', fc.constantFrom({}, 'topic', 0)),
        invalidCase('scheduleEnabled', fc.constantFrom('false', 0, null)),
      ],
      build: (stack, id, props) => new AwsBatchScoringPipeline(stack, id, withNotifications(stack, props) as unknown as AwsBatchProps),
    },
    k8s: {
      extra: k8sExtra,
      invalid: k8sInvalid,
      build: (chart, id, props) => new K8sBatchScoringPipeline(chart, id, props as unknown as K8sBatchProps),
    },
    pulumi: {
      ...pulumiPlacement(k8sExtra, k8sInvalid),
      build: (_scope, id, props) => new PulumiBatchScoringPipeline(id, props as unknown as BatchScoringPipelineArgs),
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
