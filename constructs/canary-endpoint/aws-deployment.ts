import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { IConstruct } from 'constructs';
import type { CanaryEndpointPlan } from './plan';
import { isUnresolved, MlPlatformError } from '../../lib/core';

/** The AWS-only props that decide how SageMaker runs and deploys a `CanaryEndpoint`. */
export interface SageMakerDeploymentProps {
  readonly instanceType?: string;
  readonly dataCapture?: { readonly enabled?: boolean; readonly samplingPercent?: number; readonly bucket?: unknown };
  readonly rollbackAlarms?: cloudwatch.IAlarm[];
  readonly terminationWaitMinutes?: number;
  readonly maxDeploymentMinutes?: number;
}

/** Those props resolved to what SageMaker is given, each checked against SageMaker's limits. */
export interface SageMakerDeployment {
  readonly instanceType: string;
  /** The share of requests captured, in percent; undefined when capture is off. */
  readonly captureSamplingPercent?: number;
  readonly terminationWaitMinutes: number;
  readonly maxDeploymentMinutes: number;
  /** The user's rollback alarms, besides the two gates. */
  readonly userAlarms: cloudwatch.IAlarm[];
}

const INSTANCE_TYPE = /^ml\.[a-z0-9-]+\.[a-z0-9]+$/;
// Deployment guardrails do not support Inf1 instances: SageMaker falls back to all-at-once without a bake.
const NO_GUARDRAILS = /^ml\.inf1\./;
// Provisioning a new fleet and loading the model takes minutes; 30 covers large containers.
const PROVISIONING_MINUTES = 30;
// AutoRollbackConfiguration watches at most 10 alarms (API_AutoRollbackConfig).
const SAGEMAKER_ALARM_LIMIT = 10;
// 28800 s (8 hours) is the longest MaximumExecutionTimeoutInSeconds SageMaker takes.
const MAX_DEPLOYMENT_MINUTES = 480;

/**
 * Resolves and checks the instance type, data capture, termination wait, deployment timeout and rollback alarms of
 * a plan; throws an `MlPlatformError` on `scope` naming the prop for a value SageMaker would refuse.
 */
export function resolveSageMakerDeployment(scope: IConstruct, plan: CanaryEndpointPlan, props: SageMakerDeploymentProps): SageMakerDeployment {
  const fail = (prop: string, value: unknown, allowed: string, fix: string): never => {
    throw new MlPlatformError({ scope, prop, value, allowed, fix });
  };
  const wholeNumber = (prop: string, value: number, min: number, max: number, why: string): number => {
    // A value known only at deployment was accepted (or refused with its reason) by checkCanaryAwsProps.
    if (!isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
      fail(prop, value, `a whole number from ${min} to ${max} (${why})`, `set ${prop} within ${min}-${max}`);
    }
    return value;
  };

  // A general-purpose CPU instance that supports deployment guardrails (Inf1 does not).
  const instanceType = props.instanceType ?? 'ml.m5.large';
  if (!isUnresolved(instanceType)) {
    if (!INSTANCE_TYPE.test(instanceType)) {
      fail('instanceType', instanceType, 'a SageMaker instance type such as "ml.m5.large"', 'use an ml.* instance type');
    }
    if (NO_GUARDRAILS.test(instanceType) && plan.trafficShift.kind !== 'all-at-once') {
      fail('instanceType', instanceType, `an instance type with deployment guardrails for a ${plan.trafficShift.kind} shift (not ml.inf1.*)`,
        'use ml.inf2.* or a CPU/GPU type, or trafficShift { kind: "all-at-once", allAtOnceReason }');
    }
  }

  const capture = props.dataCapture ?? {};
  let captureSamplingPercent: number | undefined;
  if (capture.enabled === false) {
    if (capture.bucket || capture.samplingPercent !== undefined) {
      fail('dataCapture.enabled', false, 'bucket and samplingPercent only when capture is on', 'remove dataCapture.bucket and dataCapture.samplingPercent, or enable capture');
    }
  } else {
    captureSamplingPercent = wholeNumber('dataCapture.samplingPercent', capture.samplingPercent ?? 100, 1, 100, 'SageMaker samples 0-100 %; 0 would capture nothing');
  }

  // Ten minutes: a fault that shows only at full traffic still reverts to the old fleet without a redeploy.
  const terminationWaitMinutes = wholeNumber('terminationWaitMinutes', props.terminationWaitMinutes ?? 10, 0, 60, 'SageMaker keeps the old fleet at most 3600 s');

  // SageMaker's MaximumExecutionTimeoutInSeconds is 600-28800 and must exceed the waits.
  const shift = plan.trafficShift;
  const waits = (shift.steps.length * shift.bakeSeconds) / 60 + terminationWaitMinutes;
  let maxDeploymentMinutes: number;
  if (props.maxDeploymentMinutes === undefined) {
    maxDeploymentMinutes = Math.max(10, Math.ceil(waits) + PROVISIONING_MINUTES);
    if (maxDeploymentMinutes > MAX_DEPLOYMENT_MINUTES) {
      fail('trafficShift.bakeMinutes', shift.bakeSeconds / 60, `bakes that fit SageMaker's 8-hour deployment limit with ${PROVISIONING_MINUTES} minutes for provisioning (${shift.steps.length} steps)`,
        'shorten bakeMinutes or use larger linear steps');
    }
  } else {
    maxDeploymentMinutes = wholeNumber('maxDeploymentMinutes', props.maxDeploymentMinutes, 10, MAX_DEPLOYMENT_MINUTES, 'SageMaker allows 600-28800 s');
    if (maxDeploymentMinutes <= waits) {
      fail('maxDeploymentMinutes', maxDeploymentMinutes, `more than the bakes and termination wait (${waits} minutes)`,
        `raise it above ${waits}; ${Math.ceil(waits) + PROVISIONING_MINUTES} leaves ${PROVISIONING_MINUTES} minutes to provision the new fleet`);
    }
  }

  const userAlarms = props.rollbackAlarms ?? [];
  if (userAlarms.some((alarm) => alarm === undefined || alarm === null || typeof alarm.alarmName !== 'string')) {
    fail('rollbackAlarms', userAlarms.map((alarm) => alarm?.alarmName ?? null), 'CloudWatch alarms (IAlarm), none undefined', 'remove the undefined entries');
  }
  if (userAlarms.length > SAGEMAKER_ALARM_LIMIT - 2) {
    fail('rollbackAlarms', `${userAlarms.length} alarms`, `at most ${SAGEMAKER_ALARM_LIMIT - 2} (SageMaker watches 10 alarms, two are the built-in gates)`,
      'combine alarms with a CloudWatch composite alarm');
  }
  return { instanceType, captureSamplingPercent, terminationWaitMinutes, maxDeploymentMinutes, userAlarms };
}

/** The blue/green traffic routing of a plan's shift (API_TrafficRoutingConfig). */
export function trafficRoutingConfig(shift: CanaryEndpointPlan['trafficShift']): sagemaker.CfnEndpoint.TrafficRoutingConfigProperty {
  const size = { type: 'CAPACITY_PERCENT', value: shift.percent };
  switch (shift.kind) {
    case 'canary':
      return { type: 'CANARY', waitIntervalInSeconds: shift.bakeSeconds, canarySize: size };
    case 'linear':
      return { type: 'LINEAR', waitIntervalInSeconds: shift.bakeSeconds, linearStepSize: size };
    default:
      return { type: 'ALL_AT_ONCE', waitIntervalInSeconds: 0 };
  }
}
