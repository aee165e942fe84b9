import type { IConstruct } from 'constructs';
import { MlPlatformError } from './errors';
import { isUnresolved } from './tokens';

/** Throws the `MlPlatformError` for one prop of a construct: what was given, what is allowed, how to fix it. */
export type PropFailure = (prop: string, value: unknown, allowed: string, fix: string) => never;

/** The `PropFailure` of a construct (or a factory named by a string). */
export function propFailure(scope: IConstruct | string): PropFailure {
  return (prop, value, allowed, fix) => {
    throw new MlPlatformError({ scope, prop, value, allowed, fix });
  };
}

/** The numbers a prop allows. */
export interface NumberRange {
  readonly min: number;
  readonly max: number;
  /**
   * Whether only whole numbers are allowed.
   * @default true
   */
  readonly integer?: boolean;
  /**
   * Why the range is what it is, quoted in the error.
   * @default - no reason given
   */
  readonly why?: string;
}

/**
 * Checks a numeric prop against its range. A token is refused too: plans compute steps, timeouts and capacities
 * from these numbers, so they must be known at synthesis.
 */
export function assertInRange(fail: PropFailure, prop: string, value: number, range: NumberRange): void {
  if (isUnresolved(value)) {
    fail(prop, value, 'a number known at synthesis (it is computed with at synthesis)', `give ${prop} as a literal number, not a CloudFormation parameter or attribute`);
  }
  const integer = range.integer ?? true;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < range.min || value > range.max || (integer && !Number.isInteger(value))) {
    fail(prop, value, `${integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}${range.why ? ` (${range.why})` : ''}`,
      `set ${prop} within ${range.min}-${range.max}`);
  }
}
