import type { IConstruct } from 'constructs';
import { describeValue } from './errors';
import { type NumberRange, propFailure, type PropFailure } from './number-range';
import { S3_BUCKET_NAME_RULES, s3BucketNameProblem } from './service-names';
import { isUnresolved, recordUnchecked } from './tokens';

/**
 * What a prop does with a value known only at deployment (a CDK token, a Pulumi output): `'accept'` passes it
 * through unchecked and records that (an info annotation and the `unchecked` list); a string refuses it, saying
 * why the value must be known at synthesis (e.g. "the steps are computed from it").
 */
export type DeployTimeRule = 'accept' | string;

/** What a string prop allows. */
export interface StringRule {
  /** The whole value must match. */
  readonly pattern?: RegExp;
  /** What the pattern allows, in words, for the message. */
  readonly allowed: string;
  /** How to fix a wrong value. */
  readonly fix: string;
  /**
   * At least this many characters.
   * @default 1
   */
  readonly minLength?: number;
  /**
   * At most this many characters.
   * @default - no limit beyond the pattern
   */
  readonly maxLength?: number;
  /**
   * What a token does.
   * @default 'accept'
   */
  readonly deployTime?: DeployTimeRule;
}

/** What a number prop allows. */
export interface NumberRule extends NumberRange {
  /**
   * What a token does.
   * @default - refused: most numbers feed a computation (steps, timeouts, capacities)
   */
  readonly deployTime?: DeployTimeRule;
}

/** A kind of value a prop takes, recognized without `instanceof` (two loaded copies of the library, plain JavaScript). */
export interface ValueKind<T> {
  /** The kind in words, e.g. "a ContainerImage". */
  readonly name: string;
  /** Whether a value is of this kind. */
  readonly is: (value: unknown) => value is T;
  /** How to make one. */
  readonly fix: string;
}

const hasMethod = (value: unknown, method: string): boolean =>
  value !== null && typeof value === 'object' && typeof (value as Record<string, unknown>)[method] === 'function';
const hasString = (value: unknown, field: string): boolean =>
  value !== null && typeof value === 'object' && typeof (value as Record<string, unknown>)[field] === 'string';

/** The value kinds of lib/core; engines add theirs (keys, topics, alarms) with the same shape. */
export const CORE_KINDS = {
  containerImage: {
    name: 'a ContainerImage',
    is: (value: unknown): value is { reference: string } => hasMethod(value, 'assertPinned') && hasString(value, 'reference'),
    fix: 'use ContainerImage.fromDigest("<repo>@sha256:<digest>")',
  },
  modelArtifact: {
    name: 'a ModelArtifact',
    is: (value: unknown): value is { uri: string } => hasString(value, 'uri') && hasString(value, 'name') && hasString(value, 'scheme'),
    fix: 'use ModelArtifact.fromUri("s3://bucket/key/model.tar.gz", { version })',
  },
  residency: {
    name: 'a Residency',
    is: (value: unknown): value is { name: string } => hasMethod(value, 'allows') && hasMethod(value, 'applyTo') && hasString(value, 'name'),
    fix: 'use Residency.EU, Residency.US or Residency.regions("name", "region-1", ...)',
  },
} as const;

/** What a map of names to strings (environment variables, labels) allows. */
export interface StringRecordRule {
  /** Every name must match. */
  readonly namePattern: RegExp;
  /** What names allow, in words. */
  readonly names: string;
  /**
   * Names the construct sets itself, refused.
   * @default - none
   */
  readonly reserved?: readonly string[];
  /**
   * At most this many entries.
   * @default - no limit
   */
  readonly maxEntries?: number;
  /**
   * At most this many characters per name.
   * @default - no limit
   */
  readonly maxNameLength?: number;
  /**
   * At most this many characters per value.
   * @default - no limit
   */
  readonly maxValueLength?: number;
  /**
   * Where the limits come from, quoted in the message.
   * @default - nothing quoted
   */
  readonly source?: string;
}

/**
 * The type and value checks of one construct's props, in plain JavaScript terms: a wrong type gets the same
 * `MlPlatformError` (construct, prop, value, what is allowed, fix) as a wrong value, and a value known only at
 * deployment is accepted unchecked (and recorded in `unchecked`) or refused with the reason, never judged.
 */
export class PropChecks {
  /** Throws the `MlPlatformError` of a prop. */
  public readonly fail: PropFailure;
  /** The props accepted unchecked because their values are known only at deployment. */
  public readonly unchecked: string[] = [];

  public constructor(private readonly scope: IConstruct | string) {
    this.fail = propFailure(scope);
  }

  /** A string matching `rule`; a token follows `rule.deployTime`. */
  public string(prop: string, value: unknown, rule: StringRule): string {
    if (typeof value !== 'string') {
      return this.fail(prop, value, `a string: ${rule.allowed}`, rule.fix);
    }
    if (isUnresolved(value)) {
      return this.deployTime(prop, value, rule.deployTime ?? 'accept', rule.allowed);
    }
    const length = [...value].length;
    const min = rule.minLength ?? 1;
    if (length < min || (rule.maxLength !== undefined && length > rule.maxLength)) {
      const bounds = rule.maxLength === undefined ? `at least ${min}` : `${min}-${rule.maxLength}`;
      return this.fail(prop, value, `${bounds} characters (${length} given): ${rule.allowed}`, rule.fix);
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      return this.fail(prop, value, rule.allowed, rule.fix);
    }
    return value;
  }

  /** A number within `rule`; NaN, ±Infinity and non-numbers are refused, a token follows `rule.deployTime`. */
  public number(prop: string, value: unknown, rule: NumberRule): number {
    const integer = rule.integer ?? true;
    const allowed = `${integer ? 'a whole number' : 'a number'} from ${rule.min} to ${rule.max}${rule.why ? ` (${rule.why})` : ''}`;
    if (typeof value !== 'number') {
      return this.fail(prop, value, allowed, `give ${prop} as a number, e.g. ${rule.min}`);
    }
    if (isUnresolved(value)) {
      return this.deployTime(prop, value, rule.deployTime ?? 'it is computed with at synthesis', allowed);
    }
    if (!Number.isFinite(value) || value < rule.min || value > rule.max || (integer && !Number.isInteger(value))) {
      return this.fail(prop, value, allowed, `set ${prop} within ${rule.min}-${rule.max}`);
    }
    return value;
  }

  /** `true` or `false`. */
  /**
   * Checks the bucket of the S3 URI `uri` given as `prop` against S3's naming rules; a bucket known only at
   * deployment is recorded in `unchecked` instead.
   */
  public s3BucketName(prop: string, uri: unknown, bucket: string): void {
    if (isUnresolved(bucket)) {
      this.unchecked.push(`${prop}: the bucket name is known only at deployment, so S3's naming rules were not checked`);
      return;
    }
    const problem = s3BucketNameProblem(bucket);
    if (problem) {
      this.fail(prop, uri, `an S3 bucket name: ${S3_BUCKET_NAME_RULES} ("${bucket}" breaks: ${problem})`, 'use the bucket\'s real name');
    }
  }

  public boolean(prop: string, value: unknown): boolean {
    if (typeof value !== 'boolean') {
      return this.fail(prop, value, 'true or false', `give ${prop} as a boolean`);
    }
    return value;
  }

  /** One of a closed set of strings. */
  public oneOf<T extends string>(prop: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      return this.fail(prop, value, `one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`, 'use one of those, spelled exactly so');
    }
    return value as T;
  }

  /** A plain object holding a group of options (e.g. `trafficShift`). */
  public object(prop: string, value: unknown): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return this.fail(prop, value, 'an object of options', `give ${prop} as { ... }, or leave it unset`);
    }
    return value as Record<string, unknown>;
  }

  /** An array, each item checked by `item`. */
  public array<T>(prop: string, value: unknown, item: (entry: unknown, itemProp: string) => T, maxItems?: number): T[] {
    if (!Array.isArray(value)) {
      return this.fail(prop, value, `an array${maxItems === undefined ? '' : ` of at most ${maxItems} items`}`, `give ${prop} as [ ... ]`);
    }
    if (maxItems !== undefined && value.length > maxItems) {
      return this.fail(prop, `${value.length} items`, `at most ${maxItems} items`, `give at most ${maxItems}`);
    }
    return value.map((entry, index) => item(entry, `${prop}[${index}]`));
  }

  /** A value of a kind recognized by shape (see `CORE_KINDS`). */
  public kind<T>(prop: string, value: unknown, kind: ValueKind<T>): T {
    if (!kind.is(value)) {
      return this.fail(prop, value, kind.name, kind.fix);
    }
    return value;
  }

  /** A map of names to string values, e.g. environment variables. */
  public stringRecord(prop: string, value: unknown, rule: StringRecordRule): Record<string, string> {
    const source = rule.source ? `; ${rule.source}` : '';
    const record = this.object(prop, value);
    const entries = Object.entries(record);
    if (rule.maxEntries !== undefined && entries.length > rule.maxEntries) {
      this.fail(prop, `${entries.length} entries`, `at most ${rule.maxEntries} entries${source}`, 'combine settings into fewer entries');
    }
    const reserved = rule.reserved ?? [];
    for (const [name, text] of entries) {
      const tooLong = rule.maxNameLength !== undefined && name.length > rule.maxNameLength;
      if (!rule.namePattern.test(name) || tooLong || reserved.includes(name)) {
        this.fail(`${prop}.${name}`, name, `${rule.names}${rule.maxNameLength === undefined ? '' : `, at most ${rule.maxNameLength} characters`}`
          + `${reserved.length ? `, other than ${reserved.join(', ')} (set by the construct)` : ''}${source}`, 'rename it, e.g. MODEL_THREADS');
      }
      if (typeof text !== 'string') {
        this.fail(`${prop}.${name}`, text, 'a string value', `give ${name} as a string, e.g. ${JSON.stringify(describeValue(text))}`);
      }
      if (!isUnresolved(text) && rule.maxValueLength !== undefined && text.length > rule.maxValueLength) {
        this.fail(`${prop}.${name}`, text, `a value of at most ${rule.maxValueLength} characters (${text.length} given)${source}`, 'shorten the value, or pass a location to read it from');
      }
    }
    return { ...(record as Record<string, string>) };
  }

  private deployTime<T>(prop: string, value: T, rule: DeployTimeRule, allowed: string): T {
    if (rule === 'accept') {
      this.unchecked.push(recordUnchecked(this.scope, prop, allowed));
      return value;
    }
    return this.fail(prop, value, `a value known at synthesis (${rule})`, `give ${prop} as a literal, not a CloudFormation parameter, attribute or Pulumi output`);
  }
}
