import type { IConstruct } from 'constructs';
import { cronToEventBridge, validCronFields } from './cron';
import { assertInRange, assertModelInputs, type ContainerImage, isUnresolved, type ModelArtifact, propFailure, type PropFailure } from '../../lib/core';

/** When the pipeline runs. Give `cron` or `everyHours`. */
export interface BatchScheduleOptions {
  /**
   * A five-field cron expression (minute hour day-of-month month day-of-week), e.g. `"0 2 * * *"` for 02:00.
   * @default - none; give cron or everyHours
   */
  readonly cron?: string;
  /**
   * Run every N hours (N divides 24), at minute 0. Each run scores the UTC day before it starts, so the runs after
   * the first of a day find the date published and do nothing: a catch-up for inputs that arrive late.
   * @default - none; give cron or everyHours
   */
  readonly everyHours?: number;
  /**
   * The IANA time zone the schedule is read in, e.g. `"Europe/Dublin"`.
   * @default "UTC"
   */
  readonly timeZone?: string;
}

/** Checks a run must pass before its results are published. */
export interface BatchValidationOptions {
  /**
   * How far the output record count may differ from the input record count, as a fraction of the input (0-1).
   * @default 0 - batch inference answers every record exactly once
   */
  readonly rowCountTolerance?: number;
  /**
   * A container that runs after scoring and before publication with `RUN_DATE`, `RUN_ID`, `INPUT_PREFIX` and
   * `OUTPUT_PREFIX` set; a non-zero exit fails the run.
   * @default - no extra validation
   */
  readonly validatorImage?: ContainerImage;
}

/** How failed steps are retried. */
export interface BatchRetryOptions {
  /**
   * Attempts per step, including the first.
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Seconds before the first retry; each later retry waits `backoffRate` times longer.
   * @default 60
   */
  readonly intervalSeconds?: number;
  /**
   * The multiplier between retries.
   * @default 2
   */
  readonly backoffRate?: number;
}

/** The props every engine's `BatchScoringPipeline` shares. */
export interface BatchScoringPipelinePlanProps {
  /** The model that scores. */
  readonly model: ModelArtifact;
  /** The scoring image, pinned by digest (or a mutable tag accepted with a reason). */
  readonly image: ContainerImage;
  /** When scheduled runs start; each scores the day before its start (UTC). */
  readonly schedule: BatchScheduleOptions;
  /**
   * Where input lives, as an `s3://bucket/prefix/` URI; a run for date D reads `<inputUri>run_date=D/`.
   */
  readonly inputUri: string;
  /**
   * Where results go, as an `s3://bucket/prefix/` URI; a run writes under `<outputUri>runs/run_date=D/run_id=<id>/`
   * and publishes `<outputUri>published/run_date=D/manifest.json` last.
   */
  readonly outputUri: string;
  /**
   * Environment variables for the scoring container.
   * @default - none beyond the run contract
   */
  readonly environment?: Record<string, string>;
  /**
   * How many shards score in parallel (SageMaker instances, or Kubernetes Indexed Job completions).
   * @default 2
   */
  readonly shards?: number;
  /**
   * How many shards run at once (Kubernetes); at most `shards`.
   * @default - all shards
   */
  readonly parallelism?: number;
  /**
   * Checks before publication.
   * @default - record counts must match exactly
   */
  readonly validation?: BatchValidationOptions;
  /**
   * Retries of transient failures.
   * @default - 3 attempts, 60 s then 120 s apart
   */
  readonly retries?: BatchRetryOptions;
  /**
   * The longest one scoring (or validation) attempt may take, in minutes, before it is stopped, retried and at last
   * reported. Every other step has a timeout of its own.
   * @default 240
   */
  readonly runTimeoutMinutes?: number;
}

/** The resolved, validated plan every engine renders. */
export interface BatchScoringPipelinePlan {
  readonly model: ModelArtifact;
  readonly image: ContainerImage;
  readonly environment: Record<string, string>;
  readonly schedule: {
    /** Five-field cron, for Kubernetes. */
    readonly cron: string;
    /** The EventBridge Scheduler expression: `cron(...)`, six fields. */
    readonly eventBridgeExpression: string;
    readonly timeZone: string;
  };
  readonly input: S3Prefix;
  readonly output: S3Prefix;
  readonly shards: number;
  readonly parallelism: number;
  readonly rowCountTolerance: number;
  readonly validatorImage?: ContainerImage;
  readonly retries: Required<BatchRetryOptions>;
  readonly runTimeoutSeconds: number;
}

/** A bucket and a key prefix (ending in `/`, or empty). */
export interface S3Prefix {
  readonly bucket: string;
  readonly prefix: string;
}

/** The object layout every engine follows, so consumers read results the same way everywhere. */
export const RUN_LAYOUT = {
  /** Input of run date D. */
  inputPrefix: (input: S3Prefix, runDate: string) => `${input.prefix}run_date=${runDate}/`,
  /** Output of one run; never read by consumers before the run's manifest names it. */
  runPrefix: (output: S3Prefix, runDate: string, runId: string) => `${output.prefix}runs/run_date=${runDate}/run_id=${runId}/`,
  /** The manifest of the published run for date D, written last. */
  manifestKey: (output: S3Prefix, runDate: string) => `${output.prefix}published/run_date=${runDate}/manifest.json`,
} as const;

const DEFAULTS = {
  // Two shards: a run survives one slow instance and halves the wall-clock time of one.
  shards: 2,
  // Batch inference answers each record exactly once; any difference is lost or duplicated data.
  rowCountTolerance: 0,
  // Three attempts, 60 s then 120 s apart: outlasts a capacity blip or throttling, gives up on real faults.
  maxAttempts: 3,
  intervalSeconds: 60,
  backoffRate: 2,
  // Four hours: a nightly run that takes longer is stuck, and the next night's run must not pile up behind it.
  runTimeoutMinutes: 240,
  timeZone: 'UTC',
} as const;

// SageMaker transform jobs run at most 100 instances by default quota; Kubernetes Indexed Jobs allow 100,000.
const MAX_SHARDS = 100;
const S3_PREFIX_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/((?:[^\s]*\/)?)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Set by the construct for every run; user variables may not override them.
const RESERVED_ENV = ['RUN_DATE', 'RUN_ID', 'INPUT_PREFIX', 'OUTPUT_PREFIX', 'SHARD_INDEX', 'SHARD_COUNT'];

/** Resolves and validates the shared props; throws an `MlPlatformError` naming the prop at fault. */
export function planBatchScoringPipeline(scope: IConstruct, props: BatchScoringPipelinePlanProps): BatchScoringPipelinePlan {
  const fail = propFailure(scope);
  assertModelInputs(scope, props);

  const schedule = planSchedule(props.schedule, fail);
  const input = s3Prefix('inputUri', props.inputUri, fail);
  const output = s3Prefix('outputUri', props.outputUri, fail);
  if (input.bucket === output.bucket && (input.prefix.startsWith(output.prefix) || output.prefix.startsWith(input.prefix))) {
    fail('outputUri', props.outputUri, `a prefix that neither contains nor lies inside inputUri (${props.inputUri})`,
      'write results under their own prefix, e.g. s3://bucket/scores/');
  }

  const environment = props.environment ?? {};
  for (const name of Object.keys(environment)) {
    if (!ENV_NAME.test(name) || RESERVED_ENV.includes(name)) {
      fail(`environment.${name}`, name, `names of letters, digits and "_", not one of ${RESERVED_ENV.join(', ')} (set for every run)`, 'rename the variable');
    }
  }

  const shards = props.shards ?? DEFAULTS.shards;
  assertInRange(fail, 'shards', shards, { min: 1, max: MAX_SHARDS });
  const parallelism = props.parallelism ?? shards;
  assertInRange(fail, 'parallelism', parallelism, { min: 1, max: shards });

  const tolerance = props.validation?.rowCountTolerance ?? DEFAULTS.rowCountTolerance;
  if (typeof tolerance !== 'number' || Number.isNaN(tolerance) || tolerance < 0 || tolerance > 1) {
    fail('validation.rowCountTolerance', tolerance, 'a fraction from 0 to 1 of the input record count', 'use e.g. 0.001 for one record in a thousand');
  }
  props.validation?.validatorImage?.assertPinned(scope, 'validation.validatorImage');

  const retries = {
    maxAttempts: props.retries?.maxAttempts ?? DEFAULTS.maxAttempts,
    intervalSeconds: props.retries?.intervalSeconds ?? DEFAULTS.intervalSeconds,
    backoffRate: props.retries?.backoffRate ?? DEFAULTS.backoffRate,
  };
  assertInRange(fail, 'retries.maxAttempts', retries.maxAttempts, { min: 1, max: 10 });
  assertInRange(fail, 'retries.intervalSeconds', retries.intervalSeconds, { min: 1, max: 3600 });
  if (typeof retries.backoffRate !== 'number' || !(retries.backoffRate >= 1 && retries.backoffRate <= 10)) {
    fail('retries.backoffRate', retries.backoffRate, 'a number from 1 to 10', 'use 2 to double the wait between retries');
  }
  const runTimeoutMinutes = props.runTimeoutMinutes ?? DEFAULTS.runTimeoutMinutes;
  // Step Functions standard workflows and SageMaker jobs both stop far later; a day is the useful bound for a nightly job.
  assertInRange(fail, 'runTimeoutMinutes', runTimeoutMinutes, { min: 5, max: 1440 });

  return {
    model: props.model,
    image: props.image,
    environment: { ...environment },
    schedule,
    input,
    output,
    shards,
    parallelism,
    rowCountTolerance: tolerance,
    validatorImage: props.validation?.validatorImage,
    retries,
    runTimeoutSeconds: runTimeoutMinutes * 60,
  };
}

type Fail = PropFailure;

function s3Prefix(prop: string, uri: string, fail: Fail): S3Prefix {
  // A bucket name known only at deployment (e.g. `s3://${bucket.bucketName}/scores/`) is accepted; the prefix is checked.
  const tokenBucket = typeof uri === 'string' ? /^s3:\/\/([^/]+)\/((?:[^\s]*\/)?)$/.exec(uri) : null;
  if (tokenBucket && isUnresolved(tokenBucket[1])) {
    return { bucket: tokenBucket[1], prefix: tokenBucket[2] };
  }
  const match = typeof uri === 'string' ? S3_PREFIX_URI.exec(uri) : null;
  if (!match) {
    fail(prop, uri, 's3://<bucket>/<prefix>/ (a prefix ending in "/")', 'e.g. "s3://fraud-data-eu/transactions/"');
  }
  return { bucket: match![1], prefix: match![2] };
}

function planSchedule(options: BatchScheduleOptions | undefined, fail: Fail): BatchScoringPipelinePlan['schedule'] {
  const timeZone = options?.timeZone ?? DEFAULTS.timeZone;
  if (!isTimeZone(timeZone)) {
    fail('schedule.timeZone', timeZone, 'an IANA time zone such as "UTC" or "Europe/Dublin"', 'use a name from the tz database');
  }
  if (options?.cron !== undefined && options.everyHours !== undefined) {
    fail('schedule', options, 'one of cron or everyHours', 'keep one');
  }
  if (options?.everyHours !== undefined) {
    const hours = options.everyHours;
    if (!Number.isInteger(hours) || hours < 1 || hours > 24 || 24 % hours !== 0) {
      fail('schedule.everyHours', hours, 'a whole number of hours that divides 24 (1, 2, 3, 4, 6, 8, 12 or 24)', 'pick one of those, or use cron');
    }
    const cron = hours === 24 ? '0 0 * * *' : `0 */${hours} * * *`;
    return { cron, eventBridgeExpression: `cron(${cronToEventBridge(cron)})`, timeZone };
  }
  const cron = options?.cron;
  if (cron === undefined) {
    return fail('schedule.cron', cron, 'a five-field cron expression, or everyHours', 'e.g. { cron: "0 2 * * *", timeZone: "Europe/Dublin" } for 02:00 every night');
  }
  const problem = validCronFields(cron);
  if (problem) {
    fail('schedule.cron', cron, `five fields: minute hour day-of-month month day-of-week (${problem})`, 'e.g. "0 2 * * *" for 02:00 every night');
  }
  if (cron.trim().split(/\s+/)[2] !== '*' && cron.trim().split(/\s+/)[4] !== '*') {
    fail('schedule.cron', cron, 'a day-of-month or a day-of-week, not both (EventBridge Scheduler cannot combine them)', 'set one of the two fields to "*"');
  }
  return { cron: cron.trim().replace(/\s+/g, ' '), eventBridgeExpression: `cron(${cronToEventBridge(cron)})`, timeZone };
}

/**
 * `true` for a time zone name exactly as the tz database spells it: Intl also accepts `utc` or `europe/dublin`,
 * which the CronJob controller and EventBridge Scheduler do not.
 */
function isTimeZone(name: string): boolean {
  try {
    return typeof name === 'string' && new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone === name;
  } catch {
    return false;
  }
}
