import type { IConstruct } from 'constructs';
import { CORE_KINDS, isUnresolved, type ModelArtifact, PropChecks } from '../../lib/core';

/** What a drift monitor compares with the training baseline. */
export type DriftSourceKind = 'endpoint-capture' | 'pipeline-inputs' | 'prefix';
/** The format of the files compared; `sagemaker-capture` is SageMaker's data-capture JSON Lines. */
export type DriftDataFormat = 'csv' | 'jsonl' | 'sagemaker-capture';
/** What an approved retraining request starts. */
export type RetrainingTargetKind = 'sagemaker-pipeline' | 'state-machine' | 'eventbridge-event' | 'kubernetes-job';

/** The data a drift monitor reads. */
export interface DriftSourceOptions {
  /**
   * `endpoint-capture`: an endpoint's captured requests under `<uri><endpointName>/<variant>/yyyy/mm/dd/hh/`.
   * `pipeline-inputs`: a batch pipeline's inputs under `<uri>run_date=yyyy-mm-dd/`.
   * `prefix`: files of `format` under `uri`, those written during the window.
   */
  readonly kind: DriftSourceKind;
  /** The prefix the data lives under, `s3://<bucket>/<prefix>/`: the capture destination, the pipeline's inputUri, or any prefix. */
  readonly uri: string;
  /**
   * The endpoint whose captured requests are read; required for `endpoint-capture`, refused otherwise.
   * @default - none
   */
  readonly endpointName?: string;
  /**
   * The production variants whose captured requests are read (`endpoint-capture` only).
   * @default ["AllTraffic"] - the CanaryEndpoint's production variant
   */
  readonly variantNames?: string[];
  /**
   * The files' format.
   * @default - "sagemaker-capture" for endpoint-capture, "csv" for pipeline-inputs; required for prefix
   */
  readonly format?: DriftDataFormat;
}

/** PSI thresholds of one feature. */
export interface FeatureThresholds {
  /** PSI at or above which the feature warns. */
  readonly psiWarn: number;
  /** PSI at or above which the feature alarms; above `psiWarn`. */
  readonly psiAlarm: number;
}

/** When a feature warns and alarms. */
export interface DriftThresholdOptions {
  /**
   * PSI at or above which a feature warns.
   * @default 0.1
   */
  readonly psiWarn?: number;
  /**
   * PSI at or above which a feature alarms.
   * @default 0.2
   */
  readonly psiAlarm?: number;
  /**
   * Per-feature PSI thresholds, by feature name.
   * @default - every feature uses psiWarn and psiAlarm
   */
  readonly features?: Record<string, FeatureThresholds>;
  /**
   * The Benjamini-Hochberg corrected KS p-value below which a feature alarms.
   * @default 0.01
   */
  readonly ksAlpha?: number;
  /**
   * The smallest KS statistic (largest gap between the two CDFs) that alarms, however small its p-value.
   * @default 0.1
   */
  readonly ksMinStatistic?: number;
}

/** The retraining a breach at alarm level requests, behind a human approval. */
export interface RetrainingOptions {
  /** What an approved request starts. */
  readonly target: RetrainingTargetKind;
  /**
   * How long a request waits for a human before it is recorded as timed out.
   * @default 72 - a weekend and a working day
   */
  readonly approvalTimeoutHours?: number;
}

/** The props every engine's `DriftMonitor` shares. */
export interface DriftMonitorPlanProps {
  /** The model monitored; its name and version must match the baseline's. */
  readonly model: ModelArtifact;
  /** The data compared. */
  readonly source: DriftSourceOptions;
  /** The baseline made by `drift.py baseline` from the model's training data, `s3://<bucket>/<key>.json`. */
  readonly baselineUri: string;
  /**
   * Hours between comparisons (a divisor of 24); each compares the data of the hours since the last.
   * @default - 1 for endpoint-capture, 24 for pipeline-inputs and prefix
   */
  readonly everyHours?: number;
  /**
   * Minutes after each period a comparison starts, so that data written at the end of the window has landed.
   * @default 10
   */
  readonly startDelayMinutes?: number;
  /**
   * The longest a comparison may run, in minutes; at most the period, so runs never overlap.
   * @default 15
   */
  readonly jobTimeoutMinutes?: number;
  /**
   * When a feature warns and alarms.
   * @default - PSI warn 0.1, alarm 0.2; KS alarm at corrected p < 0.01 with a statistic of at least 0.1
   */
  readonly thresholds?: DriftThresholdOptions;
  /**
   * The retraining an alarm requests, behind a human approval.
   * @default - alarms page the owner; no retraining is requested
   */
  readonly retraining?: RetrainingOptions;
}

/** The resolved, validated plan every engine renders. */
export interface DriftMonitorPlan {
  readonly model: { readonly name: string; readonly version: string };
  readonly source: {
    readonly kind: DriftSourceKind;
    readonly bucket: string;
    readonly prefix: string;
    readonly format: DriftDataFormat;
    readonly endpointName?: string;
    readonly variantNames: string[];
    /** Where one window's data lies, with `{yyyy}`, `{mm}`, `{dd}`, `{hh}` (and `{variant}`) filled in by the job. */
    readonly windowTemplate: string;
  };
  readonly baseline: { readonly bucket: string; readonly key: string };
  readonly schedule: { readonly everyHours: number; readonly startDelayMinutes: number; readonly cron: string };
  readonly jobTimeoutMinutes: number;
  readonly thresholds: Required<Omit<DriftThresholdOptions, 'features'>> & { readonly features: Record<string, FeatureThresholds> };
  readonly retraining?: Required<RetrainingOptions>;
  /** Minutes for an alarm on a published report to fire. */
  readonly alarmEvaluationMinutes: number;
  /** From drift present in a whole window to a page: the period, the start delay, the job's time bound, the alarm. */
  readonly worstCaseMinutesFromDriftToPage: number;
  /** The `drift.py` arguments besides `--baseline`, `--data` and `--out`, which the job adds at run time. */
  readonly compareArguments: string[];
  readonly unchecked: string[];
}

export const DRIFT_DEFAULTS = {
  // Endpoints serve all day: an hour of traffic is a window large enough to judge and a page within two hours.
  endpointEveryHours: 1,
  // A batch pipeline's inputs arrive once a day.
  batchEveryHours: 24,
  // Capture and input files of the window's last minutes are still being written when it closes; ten minutes lets them land.
  startDelayMinutes: 10,
  // The Lambda maximum (900 s), so one bound holds whatever runs the job; the benchmark compares 1M rows x 20 in far less.
  jobTimeoutMinutes: 15,
  // The industry rule of thumb: PSI below 0.1 stable, 0.1-0.2 investigate, above 0.2 act.
  psiWarn: 0.1,
  psiAlarm: 0.2,
  // KS: significant at a Benjamini-Hochberg corrected 1 %, and a gap of at least 10 points between the CDFs, so a
  // 100,000-row window does not alarm on differences no model notices (drift_compare.py's Thresholds).
  ksAlpha: 0.01,
  ksMinStatistic: 0.1,
  // A breach on Friday evening is still waiting for its owner on Monday.
  approvalTimeoutHours: 72,
  // The CanaryEndpoint's production variant (the shadow variant sees the same requests).
  variantNames: ['AllTraffic'],
} as const;

// CloudWatch evaluates alarms of one-minute or longer periods every minute
// (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html); Prometheus evaluates rules every
// evaluation_interval (1 m by default) after a scrape of the Pushgateway. Five minutes covers ingestion and one evaluation.
export const ALARM_EVALUATION_MINUTES = 5;

const S3_URI = /^s3:\/\/([^/]+)\/(.*)$/s;
const FORMATS: readonly DriftDataFormat[] = ['csv', 'jsonl', 'sagemaker-capture'];
// SageMaker endpoint and variant names: up to 63 alphanumerics and hyphens (the EndpointName and VariantName patterns
// of docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html and API_ProductionVariant.html).
const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Resolves and validates the shared props; throws an `MlPlatformError` naming the prop at fault. */
export function planDriftMonitor(scope: IConstruct, props: DriftMonitorPlanProps): DriftMonitorPlan {
  const checks = new PropChecks(scope);
  checks.object('props', props);
  const model = checks.kind('model', props.model, CORE_KINDS.modelArtifact) as unknown as ModelArtifact;
  if (model.version === undefined) {
    checks.fail('model', model.uri, 'a ModelArtifact with a version (the baseline is made for one model version)',
      'give the version: ModelArtifact.fromUri(uri, { version: "1.4.0" })');
  }
  const source = planSource(checks, props.source);
  const baseline = s3Location(checks, 'baselineUri', props.baselineUri, 'object');

  const everyHours = checks.number('everyHours', props.everyHours
    ?? (source.kind === 'endpoint-capture' ? DRIFT_DEFAULTS.endpointEveryHours : DRIFT_DEFAULTS.batchEveryHours), { min: 1, max: 24 });
  if (24 % everyHours !== 0) {
    checks.fail('everyHours', everyHours, 'a divisor of 24: 1, 2, 3, 4, 6, 8, 12 or 24', 'pick the nearest divisor, so windows line up with days');
  }
  const startDelayMinutes = checks.number('startDelayMinutes', props.startDelayMinutes ?? DRIFT_DEFAULTS.startDelayMinutes, {
    min: 0, max: 59, why: 'within the hour the window ends',
  });
  const jobTimeoutMinutes = checks.number('jobTimeoutMinutes', props.jobTimeoutMinutes ?? DRIFT_DEFAULTS.jobTimeoutMinutes, {
    min: 1, max: Math.min(everyHours * 60, 1440), why: 'at most the period between runs, so runs never overlap',
  });
  const thresholds = planThresholds(checks, props.thresholds);
  const retraining = planRetraining(checks, props.retraining);

  const modelRef = { name: model.name, version: model.version! };
  return {
    model: modelRef,
    source,
    baseline,
    schedule: { everyHours, startDelayMinutes, cron: `${startDelayMinutes} ${everyHours === 24 ? '0' : `*/${everyHours}`} * * *` },
    jobTimeoutMinutes,
    thresholds,
    retraining,
    alarmEvaluationMinutes: ALARM_EVALUATION_MINUTES,
    worstCaseMinutesFromDriftToPage: everyHours * 60 + startDelayMinutes + jobTimeoutMinutes + ALARM_EVALUATION_MINUTES,
    compareArguments: compareArguments(modelRef, thresholds),
    unchecked: checks.unchecked,
  };
}

function planSource(checks: PropChecks, given: unknown): DriftMonitorPlan['source'] {
  const options = checks.object('source', given) as Partial<DriftSourceOptions>;
  const kind = checks.oneOf('source.kind', options.kind, ['endpoint-capture', 'pipeline-inputs', 'prefix'] as const);
  const { bucket, key: prefix } = s3Location(checks, 'source.uri', options.uri, 'prefix');
  const defaultFormat = kind === 'endpoint-capture' ? 'sagemaker-capture' : kind === 'pipeline-inputs' ? 'csv' : undefined;
  if (options.format === undefined && defaultFormat === undefined) {
    checks.fail('source.format', undefined, `one of ${FORMATS.join(', ')} for a prefix`, 'say how the files under the prefix are written');
  }
  const format = checks.oneOf('source.format', options.format ?? defaultFormat, FORMATS);
  if (kind !== 'endpoint-capture') {
    for (const prop of ['endpointName', 'variantNames'] as const) {
      if (options[prop] !== undefined) {
        checks.fail(`source.${prop}`, options[prop], `nothing for a ${kind} source (it names an endpoint's captured data)`, `remove source.${prop}, or use kind "endpoint-capture"`);
      }
    }
    const windowTemplate = kind === 'pipeline-inputs' ? `${prefix}run_date={yyyy}-{mm}-{dd}/` : prefix;
    return { kind, bucket, prefix, format, variantNames: [], windowTemplate };
  }
  const sagemakerName = { pattern: SAGEMAKER_NAME, allowed: 'a SageMaker name: 1-63 letters, digits and hyphens, starting and ending alphanumeric', fix: 'use the name the endpoint was created with' };
  const endpointName = checks.string('source.endpointName', options.endpointName, sagemakerName);
  const variantNames = options.variantNames === undefined ? [...DRIFT_DEFAULTS.variantNames]
    : checks.array('source.variantNames', options.variantNames, (entry, prop) => checks.string(prop, entry, sagemakerName), 10);
  if (variantNames.length === 0) {
    checks.fail('source.variantNames', variantNames, 'at least one production variant', 'leave it unset for ["AllTraffic"]');
  }
  return { kind, bucket, prefix, format, endpointName, variantNames, windowTemplate: `${prefix}${endpointName}/{variant}/{yyyy}/{mm}/{dd}/{hh}/` };
}

function s3Location(checks: PropChecks, prop: string, uri: unknown, what: 'prefix' | 'object'): { bucket: string; key: string } {
  const allowed = what === 'prefix' ? 's3://<bucket>/<prefix>/ (a prefix ending in "/", or none)' : 's3://<bucket>/<key> (an object, not a prefix)';
  const example = what === 'prefix' ? 'e.g. "s3://fraud-data-eu/data-capture/"' : 'e.g. "s3://fraud-models-eu/fraud/1.4.0/baseline.json"';
  const text = checks.string(prop, uri, { allowed, fix: example });
  const match = S3_URI.exec(text);
  if (!match) {
    return checks.fail(prop, uri, allowed, example);
  }
  const [, bucket, key] = match;
  checks.s3BucketName(prop, uri, bucket);
  const wrongShape = what === 'prefix' ? key !== '' && !key.endsWith('/') : key === '' || key.endsWith('/');
  if (isUnresolved(key) || wrongShape || key.includes('//')) {
    checks.fail(prop, uri, `${allowed}, known at synthesis, without empty path segments`, example);
  }
  return { bucket, key };
}

function planThresholds(checks: PropChecks, given: unknown): DriftMonitorPlan['thresholds'] {
  const options = (given === undefined ? {} : checks.object('thresholds', given)) as DriftThresholdOptions;
  const psi = { min: 0.001, max: 10, integer: false, why: 'a PSI; 0.1 and 0.2 are the usual warn and alarm levels' };
  const psiWarn = checks.number('thresholds.psiWarn', options.psiWarn ?? DRIFT_DEFAULTS.psiWarn, psi);
  const psiAlarm = checks.number('thresholds.psiAlarm', options.psiAlarm ?? DRIFT_DEFAULTS.psiAlarm, psi);
  if (psiAlarm <= psiWarn) {
    checks.fail('thresholds.psiAlarm', psiAlarm, `a PSI above thresholds.psiWarn (${psiWarn})`, 'alarm at a larger drift than the warning');
  }
  const features: Record<string, FeatureThresholds> = {};
  const givenFeatures = options.features === undefined ? {} : checks.object('thresholds.features', options.features);
  for (const [name, value] of Object.entries(givenFeatures)) {
    const prop = `thresholds.features.${name}`;
    if (name.trim() === '' || name.length > 256 || /[\r\n]/.test(name)) {
      checks.fail(prop, name, 'a feature name of 1-256 characters on one line, as in the baseline', 'use the column name of the training data');
    }
    const entry = checks.object(prop, value) as Partial<FeatureThresholds>;
    const warn = checks.number(`${prop}.psiWarn`, entry.psiWarn, psi);
    const alarm = checks.number(`${prop}.psiAlarm`, entry.psiAlarm, psi);
    if (alarm <= warn) {
      checks.fail(`${prop}.psiAlarm`, alarm, `a PSI above ${prop}.psiWarn (${warn})`, 'alarm at a larger drift than the warning');
    }
    features[name] = { psiWarn: warn, psiAlarm: alarm };
  }
  const ksAlpha = checks.number('thresholds.ksAlpha', options.ksAlpha ?? DRIFT_DEFAULTS.ksAlpha, {
    min: 0.0001, max: 0.2, integer: false, why: 'a significance level after the Benjamini-Hochberg correction',
  });
  const ksMinStatistic = checks.number('thresholds.ksMinStatistic', options.ksMinStatistic ?? DRIFT_DEFAULTS.ksMinStatistic, {
    min: 0, max: 1, integer: false, why: 'a gap between two CDFs; 0 alarms on any significant difference',
  });
  return { psiWarn, psiAlarm, features, ksAlpha, ksMinStatistic };
}

function planRetraining(checks: PropChecks, given: unknown): Required<RetrainingOptions> | undefined {
  if (given === undefined) {
    return undefined;
  }
  const options = checks.object('retraining', given) as Partial<RetrainingOptions>;
  const target = checks.oneOf('retraining.target', options.target, ['sagemaker-pipeline', 'state-machine', 'eventbridge-event', 'kubernetes-job'] as const);
  const approvalTimeoutHours = checks.number('retraining.approvalTimeoutHours', options.approvalTimeoutHours ?? DRIFT_DEFAULTS.approvalTimeoutHours, {
    min: 1, max: 720, why: 'a request older than 30 days has stale evidence; a new breach opens a new one',
  });
  return { target, approvalTimeoutHours };
}

function compareArguments(model: { name: string; version: string }, thresholds: DriftMonitorPlan['thresholds']): string[] {
  // `--name=value`: a value starting with "-" is not read as an option.
  return [
    'compare',
    `--model-name=${model.name}`,
    `--model-version=${model.version}`,
    `--psi-warn=${thresholds.psiWarn}`,
    `--psi-alarm=${thresholds.psiAlarm}`,
    `--ks-alpha=${thresholds.ksAlpha}`,
    `--ks-min-statistic=${thresholds.ksMinStatistic}`,
    ...Object.entries(thresholds.features).map(([name, t]) => `--threshold=${name}=${t.psiWarn}:${t.psiAlarm}`),
  ];

}
