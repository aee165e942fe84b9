import type { IConstruct } from 'constructs';

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

function renderValue(value: unknown): string {
  if (value === undefined) {
    return '(not set)';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) {
      return json.length > 200 ? `${json.slice(0, 197)}...` : json;
    }
  } catch {
    // A value with cycles: fall through to String().
  }
  return String(value);
}
