import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { CanaryEndpointPlan } from './plan';
import { CANARY_RUNBOOK } from './platform-entries';
import { gateAlarm } from '../../lib/aws';

/** The variant a SageMaker metric is about. */
export interface VariantDimensions {
  readonly endpointName: string;
  readonly variantName: string;
}

/**
 * One fleet of a variant: the instances of one endpoint config. During a blue/green deployment SageMaker publishes the
 * new fleet's metrics with the `EndpointConfigName` dimension of the new config, so a gate on it sees the canary alone,
 * neither diluted by the old fleet's traffic nor tripped by the old fleet's errors (deployment-guardrails-configuration.html,
 * "Monitor model latency on the new fleet").
 */
export interface FleetDimensions extends VariantDimensions {
  readonly endpointConfigName: string;
}

const PERIOD = Duration.minutes(1);

/** A metric of SageMaker's `AWS/SageMaker` namespace for one variant, per minute. */
export function variantMetric(dimensions: VariantDimensions | FleetDimensions, metricName: string, statistic: string): cloudwatch.Metric {
  const fleet: Record<string, string> = 'endpointConfigName' in dimensions ? { EndpointConfigName: dimensions.endpointConfigName } : {};
  return new cloudwatch.Metric({
    namespace: 'AWS/SageMaker',
    metricName,
    dimensionsMap: { EndpointName: dimensions.endpointName, VariantName: dimensions.variantName, ...fleet },
    statistic,
    period: PERIOD,
  });
}

/** 5xx answers as a percentage of invocations; 0 when there were none (a quiet minute is not a failing one). */
export function errorRateMetric(dimensions: VariantDimensions | FleetDimensions): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
    usingMetrics: {
      errors: variantMetric(dimensions, 'Invocation5XXErrors', cloudwatch.Stats.SUM),
      invocations: variantMetric(dimensions, 'Invocations', cloudwatch.Stats.SUM),
    },
    label: '5xx error rate (%)',
    period: PERIOD,
  });
}

/**
 * The share of a fleet's invocations answered with a 5xx, as a fraction: SageMaker sends `Invocation5XXErrors` as 1 for
 * each 5xx answer and 0 for every other answer, so its Average is the 5xx rate ("Endpoint invocation metrics",
 * https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html). A minute without invocations has no
 * datapoint, which the gate treats as not breaching, as `errorRateMetric` reports 0. One metric where the metric math
 * takes two and an expression: a third of the gate's template and of its validation time.
 */
export function errorShareMetric(dimensions: FleetDimensions): cloudwatch.Metric {
  return variantMetric(dimensions, 'Invocation5XXErrors', cloudwatch.Stats.AVERAGE);
}

/** `percent` as a fraction, without binary floating-point residue (8.05 % is 0.0805, not 0.08050000000000001). */
export function percentAsFraction(percent: number): number {
  return Number((percent / 100).toPrecision(12));
}

/** p99 of `ModelLatency`, which SageMaker reports in microseconds. */
export function p99LatencyMetric(dimensions: VariantDimensions | FleetDimensions): cloudwatch.Metric {
  return variantMetric(dimensions, 'ModelLatency', cloudwatch.Stats.p(99));
}

/** The names of the two gate alarms of an endpoint: fixed, so that a policy can name their ARNs without referencing them. */
export function gateAlarmNames(endpointName: string): { readonly errorRate: string; readonly p99Latency: string } {
  return { errorRate: `${endpointName}-5xx-rate-gate`, p99Latency: `${endpointName}-p99-latency-gate` };
}

/** The two rollback gates of a plan, on the fleet of the endpoint's current config, as alarms `AutoRollbackConfiguration` watches. */
export function rollbackGateAlarms(scope: Construct, plan: CanaryEndpointPlan, dimensions: FleetDimensions): {
  readonly errorRate: cloudwatch.Alarm;
  readonly p99Latency: cloudwatch.Alarm;
} {
  const gates = plan.rollbackGates;
  const window = `${gates.datapointsToAlarm} of ${gates.evaluationPeriods} one-minute periods`;
  const names = gateAlarmNames(dimensions.endpointName);
  return {
    errorRate: gateAlarm(scope, 'ErrorRateGate', {
      alarmName: names.errorRate,
      metric: errorShareMetric(dimensions),
      threshold: percentAsFraction(gates.maxErrorRatePercent),
      description: `${dimensions.endpointName}: 5xx rate of the current config's fleet above ${gates.maxErrorRatePercent} % on ${window}; a deployment in progress rolls back.`,
      runbook: `${CANARY_RUNBOOK}/error-rate-gate`,
      evaluationPeriods: gates.evaluationPeriods,
      datapointsToAlarm: gates.datapointsToAlarm,
    }),
    p99Latency: gateAlarm(scope, 'LatencyGate', {
      alarmName: names.p99Latency,
      metric: p99LatencyMetric(dimensions),
      threshold: gates.maxP99LatencyMs * 1000,
      description: `${dimensions.endpointName}: p99 model latency of the current config's fleet above ${gates.maxP99LatencyMs} ms on ${window}; a deployment in progress rolls back.`,
      runbook: `${CANARY_RUNBOOK}/latency-gate`,
      evaluationPeriods: gates.evaluationPeriods,
      datapointsToAlarm: gates.datapointsToAlarm,
    }),
  };
}

/** How much a bad new version is exposed on SageMaker before its gates roll it back. */
export interface RollbackExposure {
  /** The share of requests the new fleet serves in its first step at the minimum instance count, in percent. */
  readonly sharePercent: number;
  /** The longest it serves that share after its fault starts, in minutes (`plan.worstCaseMinutesToRollback`). */
  readonly minutes: number;
}

/**
 * The exposure bound of a plan on SageMaker. The gates watch the new fleet alone, so they trip on the canary's own
 * error rate at any share; the share is the first step rounded up to whole instances of the new fleet (at the default
 * 2 instances a 10 % canary is 1 instance, half of the requests).
 */
export function rollbackExposure(plan: CanaryEndpointPlan): RollbackExposure {
  const instances = plan.autoscaling.minCapacity;
  const firstStepPercent = plan.trafficShift.steps[0]?.weightPercent ?? 100;
  const canaryInstances = Math.ceil((firstStepPercent * instances) / 100);
  return { sharePercent: Math.round((canaryInstances / instances) * 1000) / 10, minutes: plan.worstCaseMinutesToRollback };
}
