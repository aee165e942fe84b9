// Shared fast-check generators for the props of every construct (test-only: excluded from the published build).
import * as fc from 'fast-check';
import { ContainerImage } from './container-image';
import { ModelArtifact } from './model-artifact';
import { Residency } from './residency';
import { s3BucketNameProblem } from './service-names';
import { TZ_DATABASE_NAMES } from './tz-database';

/** An invalid mutation of valid props, tagged with the prop whose `MlPlatformError` it must end in. */
export interface FuzzCase<P = any> {
  /** The prop the error names: exactly, or a sub-prop of it (`environment` also matches `environment.X`). */
  readonly prop: string;
  /** Valid props made invalid. */
  readonly mutate: fc.Arbitrary<(valid: P) => P>;
}

/**
 * A case that sets `at` (a prop, or a group of options such as `trafficShift`; default `prop`) to each generated
 * value, and expects the error to name `prop`.
 */
export function invalidCase<P>(prop: string, values: fc.Arbitrary<unknown>, at: string = prop.replace(/\.$/, '')): FuzzCase<P> {
  return { prop, mutate: values.map((value) => (valid: P) => ({ ...valid, [at]: value })) };
}

/** `true` when an error's prop is the one a case is tagged with (or one of its sub-props). */
export function propMatches(tagged: string, actual: string | undefined): boolean {
  if (actual === undefined) {
    return false;
  }
  if (tagged.endsWith('.')) {
    return actual.startsWith(tagged);
  }
  return actual === tagged || actual.startsWith(`${tagged}.`) || actual.startsWith(`${tagged}[`);
}

const DIGEST = fc.stringMatching(/^[a-f0-9]{64}$/);
const PATH_COMPONENT = fc.stringMatching(/^[a-z0-9]{1,12}(?:[._-][a-z0-9]{1,8}){0,2}$/);

/** An S3 bucket name S3 accepts ("General purpose bucket naming rules"). */
const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,40}[a-z0-9]$/)
  // aws-cdk-lib also refuses a period next to a hyphen, so valid props avoid it on every engine.
  .filter((name) => s3BucketNameProblem(name) === undefined && !/\.-|-\./.test(name));

/** An S3 key prefix ending in "/", of segments S3 and IAM take literally (quotes included). */
const keyPrefix = fc.array(fc.stringMatching(/^[A-Za-z0-9_.'!=-]{1,20}$/).filter((segment) => segment !== '.' && segment !== '..'), { minLength: 0, maxLength: 4 })
  .map((segments) => segments.map((segment) => `${segment}/`).join(''));

export const GENERATORS = {
  bucketName,
  keyPrefix,
  /** An ECR image pinned by digest. */
  image: fc.record({ account: fc.stringMatching(/^\d{12}$/), region: fc.constantFrom('eu-west-1', 'eu-central-1', 'us-east-1'), path: fc.array(PATH_COMPONENT, { minLength: 1, maxLength: 3 }), digest: DIGEST })
    .map(({ account, region, path, digest }) => ContainerImage.fromDigest(`${account}.dkr.ecr.${region}.amazonaws.com/${path.join('/')}@sha256:${digest}`)),
  /** An S3 model artifact, with or without a version. */
  model: fc.record({
    bucket: bucketName,
    key: fc.array(PATH_COMPONENT, { minLength: 1, maxLength: 3 }),
    version: fc.option(fc.stringMatching(/^\d{1,2}\.\d{1,2}\.\d{1,2}$/), { nil: undefined }),
  }).map(({ bucket, key, version }) => ModelArtifact.fromUri(`s3://${bucket}/${key.join('/')}/model.tar.gz`, { version })),
  /** Environment variables a user may set: valid names, none reserved, string values of any characters. */
  environment: (reserved: readonly string[]) => fc.dictionary(
    fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,30}$/).filter((name) => !reserved.includes(name)),
    fc.string({ maxLength: 40 }), { maxKeys: 8 }),
  /** Legal construct ids, including those a naive derived name breaks (underscores, non-Latin, leading digits, very long). */
  constructId: fc.oneof(
    fc.constantFrom('Fraud', 'Fraud_Endpoint', '名前', '2024', 'fraud-v2', 'Ünïcödé', 'a.b', 'X'.repeat(300), 'y'.repeat(1100)),
    // The constructs library keeps children in a plain object: it refuses ids such as "constructor" or "__proto__".
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/).filter((id) => !(id in Object.prototype)),
  ),
  /** A tz database name (zones and links). */
  timeZone: fc.constantFrom(...TZ_DATABASE_NAMES),
  /** A number outside a range: NaN, ±Infinity, just outside either bound, a fraction when whole numbers are required. */
  numberNot: (range: { min: number; max: number; integer: boolean }) => fc.oneof(
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, range.min - 1, range.max + 1),
    fc.double({ min: range.max + 1, max: 1e12, noNaN: true }),
    fc.double({ min: -1e12, max: range.min - 1, noNaN: true }),
    ...(range.integer ? [fc.integer({ min: range.min, max: range.max - 1 }).map((value) => value + 0.5)] : []),
  ),
  /** A value of the wrong JavaScript type (what a plain-JavaScript user may pass). */
  wrongType: (options: { except: ReadonlyArray<'undefined' | 'number' | 'string' | 'boolean' | 'object'> }) => fc.oneof(
    ...[
      ['number', fc.oneof(fc.integer(), fc.constant(Number.NaN))],
      ['string', fc.string({ maxLength: 20 })],
      ['boolean', fc.boolean()],
      ['object', fc.oneof(fc.constant(null), fc.constant({}), fc.constant([]), fc.constant({ toString: () => 'x' }))],
    ].filter(([kind]) => !options.except.includes(kind as never)).map(([, arbitrary]) => arbitrary as fc.Arbitrary<unknown>),
    fc.constant(() => 'a function'),
  ),
} as const;

/** Which engines a construct renders on. */
export type FuzzEngine = 'aws' | 'k8s' | 'pulumi';

/** How one engine builds the construct from generated props. */
export interface FuzzEngineTarget {
  /** Engine-only props added to the valid shared props. */
  readonly extra: fc.Arbitrary<Record<string, unknown>>;
  /** Invalid engine-only props, each tagged with its prop. */
  readonly invalid: ReadonlyArray<FuzzCase<Record<string, unknown>>>;
  /**
   * Creates the construct in `scope` (a CDK Stack, a cdk8s Chart) under `id`, or, for Pulumi, a component named `id`
   * (`scope` is then undefined) and returns it.
   */
  readonly build: (scope: any, id: string, props: Record<string, unknown>) => unknown;
}

/** What a construct's generators.ts exports as `fuzzTarget`; test/fuzz discovers every one. */
export interface FuzzTarget {
  /** The construct's name. */
  readonly name: string;
  /** Valid props every engine accepts. */
  readonly validProps: fc.Arbitrary<Record<string, unknown>>;
  /** Invalid shared props, each tagged with its prop. */
  readonly invalidProps: ReadonlyArray<FuzzCase<Record<string, unknown>>>;
  /** Legal construct ids (or Pulumi names). */
  readonly ids: fc.Arbitrary<string>;
  readonly engines: Partial<Record<FuzzEngine, FuzzEngineTarget>>;
}

/**
 * A Pulumi component's generators: the Kubernetes flavor's props plus the component's own placement args (`namespace`,
 * `residency`), valid and invalid, shared by every component that takes them.
 */
export function pulumiPlacement(
  k8sExtra: fc.Arbitrary<Record<string, unknown>>,
  k8sInvalid: ReadonlyArray<FuzzCase<Record<string, unknown>>>,
): Pick<FuzzEngineTarget, 'extra' | 'invalid'> {
  return {
    extra: fc.record({
      namespace: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/),
      residency: fc.constantFrom(Residency.EU, Residency.US),
    }, { requiredKeys: [] }).chain((placement) => k8sExtra.map((extra) => ({ ...extra, ...placement }))),
    invalid: [
      ...k8sInvalid,
      invalidCase('namespace', fc.oneof(fc.constantFrom('ML Platform', 'a'.repeat(64), 'Upper', '-x'), fc.integer())),
      invalidCase('residency', fc.constantFrom('EU', {}, 42, ['eu-west-1'])),
    ],
  };
}
