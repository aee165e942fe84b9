import type { IConstruct } from 'constructs';
import { GREENGRASS_LIMITS } from './limits';
import { CORE_KINDS, type ModelArtifact, PropChecks } from '../../lib/core';

/** The size of one wave: a count of targets (thing groups or clusters), or a percentage of the fleet. Give one. */
export interface EdgeWaveSize {
  /**
   * This many targets.
   * @default - none; give count or percent
   */
  readonly count?: number;
  /**
   * This share of all targets (1-100), rounded up to a whole target.
   * @default - none; give count or percent
   */
  readonly percent?: number;
}

/** When a wave is judged unhealthy. */
export interface EdgeHealthGateOptions {
  /**
   * The largest share (0-100 %) of a wave's reporting devices whose update FAILED, was REJECTED or TIMED_OUT.
   * Devices that have not reported (offline: their job execution is still QUEUED or IN_PROGRESS) are counted apart.
   * @default 5
   */
  readonly maxFailurePercent?: number;
  /**
   * The smallest share (1-100 %) of a wave's devices that must have reported when its bake ends. Fewer is not
   * evidence of a bad version: the rollout halts and notifies the owner, without reverting.
   * @default 50
   */
  readonly minReportedPercent?: number;
  /**
   * How long after a device's failure the gate sees it, in minutes: the period of the alarms or Prometheus queries
   * that watch on-device inference. Counted in the exposure bound.
   * @default 5
   */
  readonly detectionDelayMinutes?: number;
}

/** How fast one wave's deployment job notifies devices (IoT job rollout and abort settings). */
export interface EdgeRolloutOptions {
  /**
   * Devices notified per minute when a wave starts.
   * @default 10
   */
  readonly baseRatePerMinute?: number;
  /**
   * The factor the rate grows by each time `succeededThingsPerIncrease` more devices succeed (one decimal place).
   * @default 2
   */
  readonly incrementFactor?: number;
  /**
   * Succeeded devices between rate increases.
   * @default 10
   */
  readonly succeededThingsPerIncrease?: number;
  /**
   * The highest rate, devices per minute.
   * @default 100
   */
  readonly maximumPerMinute?: number;
  /**
   * Devices that must have been notified before the job may abort itself on `healthGate.maxFailurePercent`.
   * @default 10
   */
  readonly minExecutedThingsBeforeAbort?: number;
  /**
   * Minutes a device may spend installing before its update counts as TIMED_OUT.
   * @default 60
   */
  readonly inProgressTimeoutMinutes?: number;
}

/** The props every engine's `EdgeOtaFleet` shares. */
export interface EdgeOtaFleetPlanProps {
  /** The model the fleet runs; its `sha256` is required (devices verify it before loading). */
  readonly model: ModelArtifact;
  /**
   * The targets in rollout order: AWS IoT thing group names, or Argo CD cluster names. The canary group comes first.
   */
  readonly targets: readonly string[];
  /**
   * The canary group: the first targets.
   * @default { count: 1 }
   */
  readonly canary?: EdgeWaveSize;
  /**
   * The waves after the canary, each at least as large as the one before; the last one takes every target left.
   * @default - [{ percent: 10 }, { percent: 30 }] and the rest: the waves grow about threefold
   */
  readonly waves?: readonly EdgeWaveSize[];
  /**
   * How long each wave runs healthy before the next starts, in minutes.
   * @default 60
   */
  readonly bakeMinutes?: number;
  /**
   * When a wave is unhealthy.
   * @default - 5 % failures, 50 % of devices reported, 5 minutes detection delay
   */
  readonly healthGate?: EdgeHealthGateOptions;
  /**
   * How each wave's job notifies devices.
   * @default - 10 per minute growing twofold per 10 successes to 100 per minute; 60-minute install timeout
   */
  readonly rollout?: EdgeRolloutOptions;
}

/** One wave of the plan. */
export interface EdgeWave {
  /** `canary`, `wave-1`, `wave-2`, ... */
  readonly name: string;
  readonly targets: readonly string[];
}

/** The resolved, validated plan every engine renders. */
export interface EdgeOtaFleetPlan {
  readonly model: ModelArtifact;
  readonly modelSha256: string;
  /** The canary first; every target falls in exactly one wave. */
  readonly waves: readonly EdgeWave[];
  readonly bakeSeconds: number;
  readonly gate: Required<EdgeHealthGateOptions>;
  readonly rollout: Required<EdgeRolloutOptions>;
  /**
   * The bound on exposure to a bad version: at most `targets` targets (the canary group plus the largest later wave)
   * run it, each for at most `seconds` (install timeout + bake + detection delay) before the revert starts.
   */
  readonly exposure: { readonly targets: number; readonly seconds: number };
}

const DEFAULTS = {
  // One target: the smallest group that still proves the install on real devices.
  canary: { count: 1 },
  // 10 % then 30 % then the rest: each wave about three times the one before, so a bad version found late has met few devices.
  waves: [{ percent: 10 }, { percent: 30 }],
  // An hour: long enough for hourly on-device inference metrics to report at least once after the install.
  bakeMinutes: 60,
  // 5 %: above the background install failure rate of flaky field devices, far below a bad model failing everywhere.
  maxFailurePercent: 5,
  // Half the wave: fewer reports are not evidence either way, so the rollout waits for the owner instead of guessing.
  minReportedPercent: 50,
  // Five minutes: the period of a CloudWatch alarm or Prometheus rule over one-minute on-device metrics.
  detectionDelayMinutes: 5,
  // 10 per minute, twice as fast per 10 successes, at most 100: the IoT jobs examples' shape, slow at first.
  baseRatePerMinute: 10,
  incrementFactor: 2,
  succeededThingsPerIncrease: 10,
  maximumPerMinute: 100,
  // 10 devices: a job never aborts on the first one or two failures of a wave.
  minExecutedThingsBeforeAbort: 10,
  // An hour: a model download over a slow link plus the startup smoke inference.
  inProgressTimeoutMinutes: 60,
} as const;

/** Resolves and validates the shared props; throws an `MlPlatformError` naming the prop at fault. */
export function planEdgeOtaFleet(scope: IConstruct, props: EdgeOtaFleetPlanProps): EdgeOtaFleetPlan {
  const checks = new PropChecks(scope);
  const model = checks.kind('model', props.model, CORE_KINDS.modelArtifact) as unknown as ModelArtifact;
  if (model.sha256 === undefined) {
    checks.fail('model', model.uri, 'a ModelArtifact with its sha256 (devices verify the file before loading it)',
      'use ModelArtifact.fromUri(uri, { sha256: "<64 hex digits>" })');
  }
  const targets = checks.array('targets', props.targets, (entry, prop) => checks.string(prop, entry, {
    pattern: GREENGRASS_LIMITS.targetName.pattern,
    maxLength: GREENGRASS_LIMITS.targetName.maxLength,
    allowed: GREENGRASS_LIMITS.targetName.allowed,
    fix: 'use the thing group\'s or cluster\'s name, e.g. "retail-eu-store-001"',
    deployTime: 'the waves are computed from the targets',
  }));
  const duplicate = targets.find((name, index) => targets.indexOf(name) !== index);
  if (duplicate !== undefined) {
    checks.fail('targets', duplicate, 'each target once (a target in two waves would be updated before its wave is due)', 'remove the repeated name');
  }
  if (targets.length < 2) {
    checks.fail('targets', targets, 'at least 2 targets: a canary group and one wave', 'add targets, or deploy a single group without staging');
  }

  const waves = planWaves(checks, targets, props);
  const bakeMinutes = checks.number('bakeMinutes', props.bakeMinutes ?? DEFAULTS.bakeMinutes, {
    min: 1, max: GREENGRASS_LIMITS.maxMinutes, why: 'at most 7 days, as long as a device update may take',
  });
  const givenGate = props.healthGate === undefined ? {} : checks.object('healthGate', props.healthGate) as EdgeHealthGateOptions;
  const gate = {
    maxFailurePercent: percent(checks, 'healthGate.maxFailurePercent', givenGate.maxFailurePercent ?? DEFAULTS.maxFailurePercent, 0),
    minReportedPercent: percent(checks, 'healthGate.minReportedPercent', givenGate.minReportedPercent ?? DEFAULTS.minReportedPercent, 1),
    detectionDelayMinutes: checks.number('healthGate.detectionDelayMinutes', givenGate.detectionDelayMinutes ?? DEFAULTS.detectionDelayMinutes, {
      min: 1, max: 1440, why: 'the period of the metrics the gate reads, up to a day',
    }),
  };
  const rollout = planRollout(checks, props.rollout);
  const largestLaterWave = Math.max(...waves.slice(1).map((wave) => wave.targets.length));
  return {
    model,
    modelSha256: model.sha256!,
    waves,
    bakeSeconds: bakeMinutes * 60,
    gate,
    rollout,
    exposure: {
      targets: waves[0].targets.length + largestLaterWave,
      seconds: (rollout.inProgressTimeoutMinutes + bakeMinutes + gate.detectionDelayMinutes) * 60,
    },
  };
}

function percent(checks: PropChecks, prop: string, value: unknown, min: number): number {
  const result = checks.number(prop, value, {
    min, max: 100, integer: false, why: `a percentage with at most two decimals (IoT jobs abort criteria, ${GREENGRASS_LIMITS.abortCriteria.source})`,
  });
  if (Number(result.toFixed(2)) !== result) {
    checks.fail(prop, result, `a percentage with at most two decimals (${GREENGRASS_LIMITS.abortCriteria.source})`, `round ${prop} to two decimals`);
  }
  return result;
}

function waveSize(checks: PropChecks, prop: string, given: unknown, fleet: number): number {
  const size = checks.object(prop, given) as EdgeWaveSize;
  if ((size.count === undefined) === (size.percent === undefined)) {
    checks.fail(prop, size, 'one of count or percent', 'e.g. { count: 2 } or { percent: 10 }');
  }
  if (size.count !== undefined) {
    return checks.number(`${prop}.count`, size.count, { min: 1, max: fleet, why: `at most the ${fleet} targets` });
  }
  const share = checks.number(`${prop}.percent`, size.percent, { min: 1, max: 100, integer: false });
  return Math.ceil((fleet * share) / 100);
}

function planWaves(checks: PropChecks, targets: readonly string[], props: EdgeOtaFleetPlanProps): EdgeWave[] {
  const fleet = targets.length;
  const canary = waveSize(checks, 'canary', props.canary ?? DEFAULTS.canary, fleet);
  if (canary >= fleet) {
    checks.fail('canary', props.canary, `a canary group smaller than the fleet (${fleet} targets)`, 'make the canary a few targets');
  }
  const givenWaves = props.waves ?? fittingDefaultWaves(fleet, canary);
  const sizes = checks.array('waves', givenWaves, (entry, prop) => waveSize(checks, prop, entry, fleet), GREENGRASS_LIMITS.maxWaves - 2);
  const result: EdgeWave[] = [{ name: 'canary', targets: targets.slice(0, canary) }];
  let next = canary;
  let previous = 0;
  sizes.forEach((size, index) => {
    if (size < previous) {
      checks.fail(`waves[${index}]`, givenWaves[index], `a wave at least as large as the one before (${previous} targets)`, 'order the waves from small to large');
    }
    if (next + size >= fleet) {
      checks.fail(`waves[${index}]`, givenWaves[index], `a wave that leaves targets for a last wave (${fleet - next} left before it)`,
        'make the waves smaller, or drop the later ones: the last wave always takes every target left');
    }
    result.push({ name: `wave-${index + 1}`, targets: targets.slice(next, next + size) });
    next += size;
    previous = size;
  });
  result.push({ name: `wave-${sizes.length + 1}`, targets: targets.slice(next) });
  return result;
}

/** The default waves that leave targets for a last wave: a small fleet gets fewer waves, never a refusal. */
function fittingDefaultWaves(fleet: number, canary: number): EdgeWaveSize[] {
  const fitting: EdgeWaveSize[] = [];
  let next = canary;
  for (const wave of DEFAULTS.waves) {
    const size = Math.ceil((fleet * wave.percent) / 100);
    if (next + size >= fleet) {
      break;
    }
    fitting.push(wave);
    next += size;
  }
  return fitting;
}

function planRollout(checks: PropChecks, given: EdgeRolloutOptions | undefined): Required<EdgeRolloutOptions> {
  const options = given === undefined ? {} : checks.object('rollout', given) as EdgeRolloutOptions;
  const rate = GREENGRASS_LIMITS.rolloutRate;
  const baseRatePerMinute = checks.number('rollout.baseRatePerMinute', options.baseRatePerMinute ?? DEFAULTS.baseRatePerMinute, {
    min: rate.min, max: rate.max, why: rate.source,
  });
  const factor = GREENGRASS_LIMITS.incrementFactor;
  const incrementFactor = checks.number('rollout.incrementFactor', options.incrementFactor ?? DEFAULTS.incrementFactor, {
    min: factor.min, max: factor.max, integer: false, why: factor.source,
  });
  if (Number(incrementFactor.toFixed(1)) !== incrementFactor) {
    checks.fail('rollout.incrementFactor', incrementFactor, `a factor with at most one decimal (${GREENGRASS_LIMITS.incrementFactor.source})`, 'e.g. 1.5, not 1.55');
  }
  const maximumPerMinute = checks.number('rollout.maximumPerMinute', options.maximumPerMinute ?? Math.max(DEFAULTS.maximumPerMinute, baseRatePerMinute), {
    min: baseRatePerMinute, max: rate.max, why: `at least baseRatePerMinute; ${rate.source}`,
  });
  return {
    baseRatePerMinute,
    incrementFactor,
    maximumPerMinute,
    succeededThingsPerIncrease: checks.number('rollout.succeededThingsPerIncrease', options.succeededThingsPerIncrease ?? DEFAULTS.succeededThingsPerIncrease, {
      min: 1, max: GREENGRASS_LIMITS.rateIncreaseThings.max, why: GREENGRASS_LIMITS.rateIncreaseThings.source,
    }),
    minExecutedThingsBeforeAbort: checks.number('rollout.minExecutedThingsBeforeAbort',
      options.minExecutedThingsBeforeAbort ?? DEFAULTS.minExecutedThingsBeforeAbort, {
        min: 1, max: GREENGRASS_LIMITS.abortCriteria.maxExecutedThings, why: GREENGRASS_LIMITS.abortCriteria.source,
      }),
    inProgressTimeoutMinutes: checks.number('rollout.inProgressTimeoutMinutes', options.inProgressTimeoutMinutes ?? DEFAULTS.inProgressTimeoutMinutes, {
      min: 1, max: GREENGRASS_LIMITS.maxMinutes, why: GREENGRASS_LIMITS.timeoutSource,
    }),
  };
}
