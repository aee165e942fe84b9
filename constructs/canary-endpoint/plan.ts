import type { IConstruct } from 'constructs';
import { assertModelInputs, type ContainerImage, CORE_KINDS, type ModelArtifact, PropChecks } from '../../lib/core';

/** How a new model or image version replaces the old one. */
export type TrafficShiftKind = 'canary' | 'linear' | 'all-at-once';

/** How traffic moves to a new version. */
export interface TrafficShiftOptions {
  /**
   * `canary`: one step of `percent`, then the rest after `bakeMinutes`.
   * `linear`: steps of `percent` each, every step baked for `bakeMinutes`.
   * `all-at-once`: no canary; needs `allAtOnceReason`.
   * @default "canary"
   */
  readonly kind?: TrafficShiftKind;
  /**
   * The share of traffic (and capacity) in the canary step, or in each linear step, in percent.
   * @default 10
   */
  readonly percent?: number;
  /**
   * How long each step serves before traffic moves on, in minutes; a rollback gate that trips during it reverts.
   * @default 10
   */
  readonly bakeMinutes?: number;
  /**
   * Why this endpoint may replace every instance at once without a canary (e.g. "dev endpoint, no users").
   * Required for `all-at-once`, refused otherwise.
   * @default - all-at-once is refused
   */
  readonly allAtOnceReason?: string;
}

/** When a new version is rolled back. */
export interface RollbackGateOptions {
  /**
   * The highest share of requests answered with a 5xx error, in percent, before the new version is rolled back.
   * @default 1
   */
  readonly maxErrorRatePercent?: number;
  /**
   * The highest p99 model latency in milliseconds before the new version is rolled back.
   * @default 1000
   */
  readonly maxP99LatencyMs?: number;
}

/** How the endpoint scales. */
export interface CanaryAutoscalingOptions {
  /**
   * The fewest instances or replicas.
   * @default 2
   */
  readonly minCapacity?: number;
  /**
   * The most instances or replicas.
   * @default 4
   */
  readonly maxCapacity?: number;
  /**
   * The invocations per instance per minute that target tracking holds (SageMaker).
   * @default 600
   */
  readonly targetInvocationsPerMinute?: number;
  /**
   * The average CPU utilization of the replicas' requests that the HPA holds, in percent (Kubernetes).
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;
  /**
   * Seconds after a scale-out before the next scale-out.
   * @default 60
   */
  readonly scaleOutCooldownSeconds?: number;
  /**
   * Seconds after a scale-in before the next scale-in; at least `scaleOutCooldownSeconds`.
   * @default 300
   */
  readonly scaleInCooldownSeconds?: number;
}

/** A shadow model: receives a copy of live traffic; its answers are recorded, never returned. */
export interface ShadowVariantOptions {
  /** The shadow model. */
  readonly model: ModelArtifact;
  /**
   * The image that serves the shadow model.
   * @default - the endpoint's image
   */
  readonly image?: ContainerImage;
  /**
   * The share of requests copied to the shadow, in percent.
   * @default 100
   */
  readonly trafficPercent?: number;
}

/** The props every engine's `CanaryEndpoint` shares. */
export interface CanaryEndpointPlanProps {
  /** The model to serve. */
  readonly model: ModelArtifact;
  /** The serving image, pinned by digest (or a mutable tag accepted with a reason). */
  readonly image: ContainerImage;
  /**
   * Environment variables for the serving container.
   * @default - none beyond what the construct sets for the model
   */
  readonly environment?: Record<string, string>;
  /**
   * How new versions receive traffic.
   * @default - canary: 10 % for 10 minutes, then the rest
   */
  readonly trafficShift?: TrafficShiftOptions;
  /**
   * When a new version is rolled back.
   * @default - 5xx rate above 1 % or p99 latency above 1000 ms, on two of three one-minute periods
   */
  readonly rollbackGates?: RollbackGateOptions;
  /**
   * Capacity and scaling.
   * @default - 2 to 4 instances or replicas
   */
  readonly autoscaling?: CanaryAutoscalingOptions;
  /**
   * A shadow model that receives a copy of traffic.
   * @default - none
   */
  readonly shadow?: ShadowVariantOptions;
}

/** One step of a traffic shift. */
export interface TrafficStep {
  /** The new version's share of traffic after this step, in percent. */
  readonly weightPercent: number;
  /** How long the step serves before the next, in seconds. */
  readonly bakeSeconds: number;
}

/** The resolved, validated plan every engine renders. */
export interface CanaryEndpointPlan {
  readonly model: ModelArtifact;
  readonly image: ContainerImage;
  readonly environment: Record<string, string>;
  readonly trafficShift: {
    readonly kind: TrafficShiftKind;
    /** Canary size or linear step size, in percent (100 for all-at-once). */
    readonly percent: number;
    readonly bakeSeconds: number;
    /** The steps up to, not including, full traffic. */
    readonly steps: readonly TrafficStep[];
  };
  readonly rollbackGates: {
    readonly maxErrorRatePercent: number;
    readonly maxP99LatencyMs: number;
    /** Gates are evaluated every minute. */
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
  };
  readonly autoscaling: Required<CanaryAutoscalingOptions>;
  readonly shadow?: { readonly model: ModelArtifact; readonly image: ContainerImage; readonly trafficPercent: number };
  /** The port the serving container listens on. */
  readonly port: number;
  /**
   * The longest a bad canary serves its share after its fault starts, in minutes: the gate needs
   * `datapointsToAlarm` breaching one-minute periods, plus one minute for the metric to arrive.
   */
  readonly worstCaseMinutesToRollback: number;
  /** The props accepted unchecked because their values are known only at deployment. */
  readonly unchecked: readonly string[];
}

/** What the engines and the README state as the defaults. */
export const CANARY_DEFAULTS = {
  // A 10 % canary for 10 minutes: enough requests at typical load for the gates to see a fault. SageMaker rounds
  // the canary up to whole instances, so at the default 2 instances it is 1 instance, half of the traffic.
  canaryPercent: 10,
  bakeMinutes: 10,
  // SageMaker's linear step must be 10-50 % of capacity (API_TrafficRoutingConfig); 10 % gives ten even steps.
  linearPercent: 10,
  // One failed request in a hundred is already an incident for a real-time model.
  maxErrorRatePercent: 1,
  // A real-time caller (an API with a few-second budget) times out long before SageMaker's own 60 s limit;
  // a p99 above 1 s means a regression, not noise, for models served on CPU.
  maxP99LatencyMs: 1000,
  // A canary needs at least one instance besides the one that takes the canary share.
  minCapacity: 2,
  maxCapacity: 4,
  // About half of the ~20 requests/s a small CPU instance serves for a tabular model; load-test and set this.
  targetInvocationsPerMinute: 600,
  // Headroom of 30 % for bursts while new replicas start.
  targetCpuUtilizationPercent: 70,
  // Scale out within a minute of load, scale in only after five quiet minutes (AWS's default scale-in cooldown).
  scaleOutCooldownSeconds: 60,
  scaleInCooldownSeconds: 300,
  // SageMaker's serving contract: the container answers /ping and /invocations on port 8080.
  port: 8080,
  // Gates look at one-minute periods and trip on two breaching minutes out of three.
  periodSeconds: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
} as const;

/** SageMaker's limits on a canary step (API_TrafficRoutingConfig, API_CapacitySize). */
const LIMITS = {
  canaryPercent: { min: 1, max: 50 },
  linearPercent: { min: 10, max: 50 },
  // WaitIntervalInSeconds is 0-3600; a zero bake would not let any gate fire, so at least one minute.
  bakeMinutes: { min: 1, max: 60 },
  // Application Auto Scaling and the HPA both cap far higher; this catches typos such as 1000 for 10.
  maxCapacity: 100,
} as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Set by the construct from the model; user variables may not override them. */
export const MODEL_ENVIRONMENT = ['MODEL_URI', 'MODEL_NAME', 'MODEL_VERSION', 'MODEL_DIR'] as const;

/** Resolves and validates the shared props; throws an `MlPlatformError` naming the prop at fault. */
export function planCanaryEndpoint(scope: IConstruct, props: CanaryEndpointPlanProps): CanaryEndpointPlan {
  const checks = new PropChecks(scope);
  checks.object('props', props);
  assertModelInputs(scope, props);

  const environment = props.environment === undefined ? {} : checks.stringRecord('environment', props.environment, {
    namePattern: ENV_NAME,
    names: 'names of letters, digits and "_", not starting with a digit',
    reserved: MODEL_ENVIRONMENT,
  });

  const trafficShift = planTrafficShift(optionGroup(checks, 'trafficShift', props.trafficShift), checks);
  const rollbackGates = planGates(optionGroup(checks, 'rollbackGates', props.rollbackGates), checks);
  const autoscaling = planAutoscaling(optionGroup(checks, 'autoscaling', props.autoscaling), trafficShift.kind, checks);

  let shadow: CanaryEndpointPlan['shadow'];
  if (props.shadow !== undefined) {
    const options = checks.object('shadow', props.shadow) as Partial<ShadowVariantOptions>;
    // A full copy: the shadow's metrics then compare with production's request for request.
    const trafficPercent = checks.number('shadow.trafficPercent', options.trafficPercent ?? 100, { min: 1, max: 100, why: 'a copy of 1-100 % of requests' });
    const model = checks.kind('shadow.model', options.model, CORE_KINDS.modelArtifact) as unknown as ModelArtifact;
    const image = options.image === undefined ? props.image : checks.kind('shadow.image', options.image, CORE_KINDS.containerImage) as unknown as ContainerImage;
    image.assertPinned(scope, 'shadow.image');
    if (model.uri === props.model.uri && image.reference === props.image.reference) {
      checks.fail('shadow.model', model.uri, 'a model or image different from the production variant', 'point the shadow at the challenger model, or remove shadow');
    }
    shadow = { model, image, trafficPercent };
  }

  return {
    model: props.model,
    image: props.image,
    environment,
    trafficShift,
    rollbackGates,
    autoscaling,
    shadow,
    port: CANARY_DEFAULTS.port,
    worstCaseMinutesToRollback: rollbackGates.datapointsToAlarm * rollbackGates.periodSeconds / 60 + 1,
    unchecked: checks.unchecked,
  };
}

/** An optional group of options: unset is `{}`, anything but an object is an error naming the group. */
function optionGroup<T>(checks: PropChecks, prop: string, value: T | undefined): Partial<T> {
  return value === undefined ? {} : checks.object(prop, value) as Partial<T>;
}


function planTrafficShift(options: TrafficShiftOptions, checks: PropChecks): CanaryEndpointPlan['trafficShift'] {
  const fail = checks.fail;
  const kind = checks.oneOf('trafficShift.kind', options.kind ?? 'canary', ['canary', 'linear', 'all-at-once'] as const);
  if (kind === 'all-at-once') {
    const reason = options.allAtOnceReason;
    if (typeof reason !== 'string' || reason.trim() === '') {
      fail('trafficShift.allAtOnceReason', reason, 'a written reason when kind is "all-at-once" (no canary, no bake, rollback only on the next deploy)',
        'give a reason, e.g. { kind: "all-at-once", allAtOnceReason: "dev endpoint without users" }, or use kind "canary"');
    }
    for (const prop of ['percent', 'bakeMinutes'] as const) {
      if (options[prop] !== undefined) {
        fail(`trafficShift.${prop}`, options[prop], 'unset when kind is "all-at-once" (everything moves in one step)', `remove ${prop}, or use kind "canary" or "linear"`);
      }
    }
    return { kind, percent: 100, bakeSeconds: 0, steps: [] };
  }
  if (options.allAtOnceReason !== undefined) {
    fail('trafficShift.allAtOnceReason', options.allAtOnceReason, `only with kind "all-at-once" (kind is "${kind}")`, 'remove allAtOnceReason, or set kind "all-at-once"');
  }
  const limits = kind === 'canary' ? LIMITS.canaryPercent : LIMITS.linearPercent;
  const percent = checks.number('trafficShift.percent', options.percent ?? (kind === 'canary' ? CANARY_DEFAULTS.canaryPercent : CANARY_DEFAULTS.linearPercent), {
    min: limits.min,
    max: limits.max,
    why: kind === 'canary' ? 'SageMaker\'s canary may take at most 50 % of capacity' : 'SageMaker\'s linear step is 10-50 % of capacity',
    deployTime: 'the traffic steps are computed from it',
  });
  const bakeMinutes = checks.number('trafficShift.bakeMinutes', options.bakeMinutes ?? CANARY_DEFAULTS.bakeMinutes, {
    min: LIMITS.bakeMinutes.min,
    max: LIMITS.bakeMinutes.max,
    why: 'SageMaker waits at most 3600 s per step; under a minute no gate can fire',
    deployTime: 'the bake in seconds and the deployment timeout are computed from it',
  });
  const bakeSeconds = bakeMinutes * 60;
  const steps: TrafficStep[] = [];
  if (kind === 'canary') {
    steps.push({ weightPercent: percent, bakeSeconds });
  } else {
    for (let weight = percent; weight < 100; weight += percent) {
      steps.push({ weightPercent: weight, bakeSeconds });
    }
  }
  return { kind, percent, bakeSeconds, steps };
}

function planGates(options: RollbackGateOptions, checks: PropChecks): CanaryEndpointPlan['rollbackGates'] {
  const maxErrorRatePercent = checks.number('rollbackGates.maxErrorRatePercent', options.maxErrorRatePercent ?? CANARY_DEFAULTS.maxErrorRatePercent, {
    min: 0, max: 100, integer: false, why: 'a percentage above 0 and below 100', deployTime: 'the gates\' thresholds are computed from it',
  });
  if (maxErrorRatePercent <= 0 || maxErrorRatePercent >= 100) {
    checks.fail('rollbackGates.maxErrorRatePercent', maxErrorRatePercent, 'a percentage above 0 and below 100', 'use e.g. 1 for one failed request in a hundred');
  }
  // SageMaker answers or times out within 60 s, so a higher gate could never trip.
  const maxP99LatencyMs = checks.number('rollbackGates.maxP99LatencyMs', options.maxP99LatencyMs ?? CANARY_DEFAULTS.maxP99LatencyMs, {
    min: 1, max: 60_000, why: 'a real-time invocation times out after 60 s', integer: false, deployTime: 'the gates\' thresholds are computed from it',
  });
  return {
    maxErrorRatePercent,
    maxP99LatencyMs,
    periodSeconds: CANARY_DEFAULTS.periodSeconds,
    evaluationPeriods: CANARY_DEFAULTS.evaluationPeriods,
    datapointsToAlarm: CANARY_DEFAULTS.datapointsToAlarm,
  };
}

function planAutoscaling(options: CanaryAutoscalingOptions, kind: TrafficShiftKind, checks: PropChecks): Required<CanaryAutoscalingOptions> {
  const fail = checks.fail;
  const resolved: Required<CanaryAutoscalingOptions> = {
    minCapacity: options.minCapacity ?? CANARY_DEFAULTS.minCapacity,
    maxCapacity: options.maxCapacity ?? Math.max(CANARY_DEFAULTS.maxCapacity, typeof options.minCapacity === 'number' && Number.isFinite(options.minCapacity) ? options.minCapacity : 0),
    targetInvocationsPerMinute: options.targetInvocationsPerMinute ?? CANARY_DEFAULTS.targetInvocationsPerMinute,
    targetCpuUtilizationPercent: options.targetCpuUtilizationPercent ?? CANARY_DEFAULTS.targetCpuUtilizationPercent,
    scaleOutCooldownSeconds: options.scaleOutCooldownSeconds ?? CANARY_DEFAULTS.scaleOutCooldownSeconds,
    scaleInCooldownSeconds: options.scaleInCooldownSeconds ?? CANARY_DEFAULTS.scaleInCooldownSeconds,
  };
  checks.number('autoscaling.minCapacity', resolved.minCapacity, { min: 1, max: LIMITS.maxCapacity, why: 'at least one instance serves' });
  checks.number('autoscaling.maxCapacity', resolved.maxCapacity, {
    min: 1, max: LIMITS.maxCapacity, why: 'raise the limit with AWS support first if you need more',
  });
  if (resolved.minCapacity > resolved.maxCapacity) {
    fail('autoscaling.minCapacity', resolved.minCapacity, `at most autoscaling.maxCapacity (${resolved.maxCapacity})`, 'lower minCapacity or raise maxCapacity');
  }
  if (kind !== 'all-at-once' && resolved.minCapacity < 2) {
    fail('autoscaling.minCapacity', resolved.minCapacity, `at least 2 with a ${kind} traffic shift (one instance takes the canary share, one keeps serving the old version)`,
      'set minCapacity to 2 or more');
  }
  checks.number('autoscaling.targetInvocationsPerMinute', resolved.targetInvocationsPerMinute, {
    min: 1, max: 1_000_000, why: 'invocations per instance per minute', integer: false,
  });
  checks.number('autoscaling.targetCpuUtilizationPercent', resolved.targetCpuUtilizationPercent, {
    min: 10, max: 95, why: 'below 10 % wastes capacity, above 95 % leaves no headroom',
  });
  // The HPA's scaling policies and stabilization windows stop at 1800 s and 3600 s.
  checks.number('autoscaling.scaleOutCooldownSeconds', resolved.scaleOutCooldownSeconds, {
    min: 0, max: 1800, why: 'seconds; Kubernetes caps an HPA policy period at 1800',
  });
  checks.number('autoscaling.scaleInCooldownSeconds', resolved.scaleInCooldownSeconds, {
    min: 0, max: 3600, why: 'seconds; Kubernetes caps an HPA stabilization window at 3600',
  });
  if (resolved.scaleInCooldownSeconds < resolved.scaleOutCooldownSeconds) {
    fail('autoscaling.scaleInCooldownSeconds', resolved.scaleInCooldownSeconds, `at least scaleOutCooldownSeconds (${resolved.scaleOutCooldownSeconds}): scale in slower than out`,
      'raise scaleInCooldownSeconds');
  }
  return resolved;
}
