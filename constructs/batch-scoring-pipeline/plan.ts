import type { IConstruct } from 'constructs';
import { cronNeverFires, cronToEventBridge, validCronFields } from './cron';
import {
  assertModelInputs, type ContainerImage, CORE_KINDS, iamResourceProblem, isTzDatabaseName, isUnresolved, type ModelArtifact, PropChecks,
  S3_MAX_KEY_BYTES, utf8Length,
} from '../../lib/core';

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
  /** The props accepted unchecked because their values are known only at deployment. */
  readonly unchecked: readonly string[];
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
const S3_PREFIX_URI = /^s3:\/\/([^/]*)\/(.*)$/s;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Set by the construct for every run (the run contract, the model, the publish step's tolerance); user variables may not override them.
export const BATCH_RESERVED_ENVIRONMENT = [
  'RUN_DATE', 'RUN_ID', 'INPUT_PREFIX', 'OUTPUT_PREFIX', 'SHARD_INDEX', 'SHARD_COUNT', 'MODEL_URI', 'MODEL_NAME', 'MODEL_VERSION', 'ROW_COUNT_TOLERANCE',
] as const;
// The longest key the run layout adds under a prefix: `published/run_date=YYYY-MM-DD/manifest.json` (44 bytes), or a
// run's `runs/run_date=YYYY-MM-DD/run_id=<8>/` (42) plus the file names scoring writes; 200 bytes leaves those room.
const LAYOUT_KEY_BYTES = 200;

/** Resolves and validates the shared props; throws an `MlPlatformError` naming the prop at fault. */
export function planBatchScoringPipeline(scope: IConstruct, props: BatchScoringPipelinePlanProps): BatchScoringPipelinePlan {
  const checks = new PropChecks(scope);
  const fail = checks.fail;
  assertModelInputs(scope, props);

  const schedule = planSchedule(props.schedule, checks);
  const input = s3Prefix('inputUri', props.inputUri, checks);
  const output = s3Prefix('outputUri', props.outputUri, checks);
  if (input.bucket === output.bucket && (input.prefix.startsWith(output.prefix) || output.prefix.startsWith(input.prefix))) {
    fail('outputUri', props.outputUri, `a prefix that neither contains nor lies inside inputUri (${props.inputUri})`,
      'write results under their own prefix, e.g. s3://bucket/scores/');
  }

  const environment = props.environment === undefined ? {} : checks.stringRecord('environment', props.environment, {
    namePattern: ENV_NAME,
    names: 'names of letters, digits and "_", not starting with a digit',
    reserved: BATCH_RESERVED_ENVIRONMENT,
  });

  const shards = checks.number('shards', props.shards ?? DEFAULTS.shards, { min: 1, max: MAX_SHARDS });
  const parallelism = checks.number('parallelism', props.parallelism ?? shards, { min: 1, max: shards, why: 'at most shards' });

  const validation = props.validation === undefined ? {} : checks.object('validation', props.validation) as BatchValidationOptions;
  const tolerance = checks.number('validation.rowCountTolerance', validation.rowCountTolerance ?? DEFAULTS.rowCountTolerance, {
    min: 0,
    max: 1,
    integer: false,
    why: 'a fraction of the input record count, e.g. 0.001 for one record in a thousand',
    deployTime: 'it is written into the record-count check',
  });
  const validatorImage = validation.validatorImage === undefined ? undefined
    : checks.kind('validation.validatorImage', validation.validatorImage, CORE_KINDS.containerImage) as unknown as ContainerImage;
  validatorImage?.assertPinned(scope, 'validation.validatorImage');

  const givenRetries = props.retries === undefined ? {} : checks.object('retries', props.retries) as BatchRetryOptions;
  const retries = {
    maxAttempts: checks.number('retries.maxAttempts', givenRetries.maxAttempts ?? DEFAULTS.maxAttempts, { min: 1, max: 10 }),
    intervalSeconds: checks.number('retries.intervalSeconds', givenRetries.intervalSeconds ?? DEFAULTS.intervalSeconds, { min: 1, max: 3600 }),
    backoffRate: checks.number('retries.backoffRate', givenRetries.backoffRate ?? DEFAULTS.backoffRate, {
      min: 1, max: 10, integer: false, why: 'the multiplier between retries; 2 doubles the wait',
    }),
  };
  // Step Functions standard workflows and SageMaker jobs both stop far later; a day is the useful bound for a nightly job.
  const runTimeoutMinutes = checks.number('runTimeoutMinutes', props.runTimeoutMinutes ?? DEFAULTS.runTimeoutMinutes, { min: 5, max: 1440 });

  return {
    model: props.model,
    image: props.image,
    environment,
    schedule,
    input,
    output,
    shards,
    parallelism,
    rowCountTolerance: tolerance,
    validatorImage,
    retries,
    runTimeoutSeconds: runTimeoutMinutes * 60,
    unchecked: checks.unchecked,
  };
}

function s3Prefix(prop: string, uri: unknown, checks: PropChecks): S3Prefix {
  const format = 's3://<bucket>/<prefix>/ (a prefix ending in "/", or none)';
  const example = 'e.g. "s3://fraud-data-eu/transactions/"';
  const text = checks.string(prop, uri, { allowed: format, fix: example });
  const match = S3_PREFIX_URI.exec(text);
  if (!match) {
    return checks.fail(prop, uri, format, example);
  }
  const [, bucket, prefix] = match;
  // A bucket known only at deployment (e.g. `s3://${bucket.bucketName}/scores/`): the prefix is still checked.
  checks.s3BucketName(prop, uri, bucket);
  if (isUnresolved(prefix)) {
    return checks.fail(prop, uri, 'a prefix known at synthesis (it becomes the IAM resources and the run layout)', 'give the prefix as a literal');
  }
  if (prefix !== '' && !prefix.endsWith('/')) {
    checks.fail(prop, uri, format, example);
  }
  const problem = iamResourceProblem(prefix) ?? (prefix.includes('//') ? 'an empty path segment ("//")' : undefined)
    ?? (/\{%|%\}/.test(prefix) ? '"{%" and "%}" delimit Step Functions JSONata expressions' : undefined)
    // aws-cdk-lib parses a compliance acknowledgement's id (which names the granted ARN) for balanced brackets.
    ?? (/[()[\]{}]/.test(prefix) ? 'brackets cannot be named in the compliance acknowledgement of its IAM grant' : undefined);
  if (problem) {
    checks.fail(prop, uri, `a prefix that can be granted exactly in IAM (${problem})`, 'rename the prefix');
  }
  if (utf8Length(prefix) + LAYOUT_KEY_BYTES > S3_MAX_KEY_BYTES) {
    checks.fail(prop, uri, `a prefix of at most ${S3_MAX_KEY_BYTES - LAYOUT_KEY_BYTES} bytes (S3 keys are at most ${S3_MAX_KEY_BYTES} bytes, and the run layout adds up to ${LAYOUT_KEY_BYTES})`,
      'use a shorter prefix');
  }
  return { bucket, prefix };
}

function planSchedule(given: BatchScheduleOptions | undefined, checks: PropChecks): BatchScoringPipelinePlan['schedule'] {
  const fail = checks.fail;
  const options = checks.object('schedule', given) as BatchScheduleOptions;
  const timeZone = options.timeZone === undefined ? DEFAULTS.timeZone : checks.string('schedule.timeZone', options.timeZone, {
    allowed: 'a name of the IANA tz database, spelled as there, such as "UTC", "Europe/Dublin" or "US/Pacific"',
    fix: 'use a name from the tz database (https://www.iana.org/time-zones)',
  });
  if (!isUnresolved(timeZone) && !isTzDatabaseName(timeZone)) {
    fail('schedule.timeZone', timeZone, 'a name of the IANA tz database, spelled as there, such as "UTC", "Europe/Dublin" or "US/Pacific"',
      'use a name from the tz database (https://www.iana.org/time-zones)');
  }
  if (options.cron !== undefined && options.everyHours !== undefined) {
    fail('schedule', options, 'one of cron or everyHours', 'keep one');
  }
  if (options.everyHours !== undefined) {
    const hours = checks.number('schedule.everyHours', options.everyHours, {
      min: 1, max: 24, why: 'a number of hours that divides 24: 1, 2, 3, 4, 6, 8, 12 or 24', deployTime: 'the cron expression is computed from it',
    });
    if (24 % hours !== 0) {
      fail('schedule.everyHours', hours, 'a whole number of hours that divides 24 (1, 2, 3, 4, 6, 8, 12 or 24)', 'pick one of those, or use cron');
    }
    const cron = hours === 24 ? '0 0 * * *' : `0 */${hours} * * *`;
    return { cron, eventBridgeExpression: `cron(${cronToEventBridge(cron)})`, timeZone };
  }
  const example = 'e.g. { cron: "0 2 * * *", timeZone: "Europe/Dublin" } for 02:00 every night';
  if (options.cron === undefined) {
    return fail('schedule.cron', options.cron, 'a five-field cron expression, or everyHours', example);
  }
  const cron = checks.string('schedule.cron', options.cron, {
    allowed: 'a five-field cron expression', fix: example, deployTime: 'it is converted for EventBridge Scheduler and Kubernetes at synthesis',
  });
  const problem = validCronFields(cron);
  if (problem) {
    fail('schedule.cron', cron, `five fields: minute hour day-of-month month day-of-week (${problem})`, 'e.g. "0 2 * * *" for 02:00 every night');
  }
  if (cron.trim().split(/\s+/)[2] !== '*' && cron.trim().split(/\s+/)[4] !== '*') {
    fail('schedule.cron', cron, 'a day-of-month or a day-of-week, not both (EventBridge Scheduler cannot combine them)', 'set one of the two fields to "*"');
  }
  if (cronNeverFires(cron)) {
    fail('schedule.cron', cron, 'a schedule that fires: its days of the month exist in at least one of its months', 'e.g. "0 2 28 2 *" for the 28th of February');
  }
  return { cron: cron.trim().replace(/\s+/g, ' '), eventBridgeExpression: `cron(${cronToEventBridge(cron)})`, timeZone };
}
