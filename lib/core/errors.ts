import type { IConstruct } from 'constructs';
import { presentAsOneMessage } from './error-presentation';
import { isUnresolved } from './tokens';

/** Where an error was found: a construct, or the name of a factory such as `ContainerImage.fromDigest`. */
export type ErrorScope = IConstruct | string;

/** What an `MlPlatformError` says: every field is part of the message. */
export interface MlPlatformErrorOptions {
  /** The construct whose props are wrong, or the factory that was called. */
  readonly scope: ErrorScope;
  /** The prop (or argument) at fault, e.g. `image` or `trafficShift.canaryPercent`. */
  readonly prop: string;
  /** The value given. */
  readonly value: unknown;
  /** What is allowed, in words. */
  readonly allowed: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * The one error type of this library.
 *
 * Its message names the construct path (or factory), the prop, the value given,
 * what is allowed and how to fix it, e.g.
 * `MlPlatform/Fraud/Endpoint: invalid image "repo:latest". Allowed: ... Fix: ...`.
 */
export class MlPlatformError extends Error {
  /** Formats the same message without throwing, for validation hooks that return strings. */
  public static format(options: MlPlatformErrorOptions): string {
    return `${scopeName(options.scope)}: invalid ${options.prop} ${renderValue(options.value)}. `
      + `Allowed: ${options.allowed}. Fix: ${options.fix}`;
  }

  /** The construct path, or the factory name. */
  public readonly where: string;
  /** The prop at fault. */
  public readonly prop: string;
  /** The value given. */
  public readonly value: unknown;
  /** What is allowed. */
  public readonly allowed: string;
  /** How to fix it. */
  public readonly fix: string;

  public constructor(options: MlPlatformErrorOptions) {
    super(MlPlatformError.format(options));
    this.name = 'MlPlatformError';
    this.where = scopeName(options.scope);
    this.prop = options.prop;
    this.value = options.value;
    this.allowed = options.allowed;
    this.fix = options.fix;
    presentAsOneMessage(this, ['where', 'prop', 'value', 'allowed', 'fix']);
  }
}

/** `true` for `MlPlatformError`s, also across two loaded copies of this library. */
export function isMlPlatformError(error: unknown): error is MlPlatformError {
  return error instanceof Error && error.name === 'MlPlatformError' && 'prop' in error;
}

function scopeName(scope: ErrorScope): string {
  if (typeof scope === 'string') {
    return scope;
  }
  return scope.node.path === '' ? `<root ${scope.node.id || 'App'}>` : scope.node.path;
}

/**
 * The one place a value given to a prop becomes text for a message: strings quoted, `NaN` and `±Infinity` as
 * themselves, functions, symbols and class instances by kind, a value known only at deployment (a CDK token or
 * a Pulumi output) as such, never as the token's placeholder text, and anything long cut at 200 characters.
 */
export function describeValue(value: unknown): string {
  const text = describe(value, 0);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function renderValue(value: unknown): string {
  return value === undefined ? '(not set)' : describeValue(value);
}

// How deep nested objects and arrays are shown before "...".
const MAX_DEPTH = 3;

function describe(value: unknown, depth: number): string {
  if (!Array.isArray(value) && isUnresolved(value)) {
    return '(a value known only at deployment)';
  }
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // String() keeps NaN, Infinity and -Infinity, which JSON.stringify turns into null; and -0 as 0.
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'symbol':
      return `a symbol ${String(value)}`;
    case 'function':
      return value.name ? `a function ${value.name}` : 'a function';
    default:
      break;
  }
  if (value === null) {
    return 'null';
  }
  if (depth >= MAX_DEPTH) {
    return Array.isArray(value) ? '[...]' : '{...}';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => describe(item, depth + 1)).join(',')}]`;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== null && prototype !== Object.prototype) {
    const kind = prototype.constructor?.name || 'object';
    if (value instanceof Date || value instanceof RegExp) {
      return `a ${kind} ${String(value)}`;
    }
    // A class instance: its kind says more than its fields (e.g. a Bucket where a Key was expected).
    return `a${/^[AEIOU]/i.test(kind) ? 'n' : ''} ${kind}`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${JSON.stringify(key)}:${describe(item, depth + 1)}`);
  return `{${entries.join(',')}}`;
}
