import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { CanaryEndpointPlan } from './plan';
import { gateAlarm } from '../../lib/aws';

/** The variant a SageMaker metric is about. */
export interface VariantDimensions {
  readonly endpointName: string;
  readonly variantName: string;
}

const PERIOD = Duration.minutes(1);

/** A metric of SageMaker's `AWS/SageMaker` namespace for one variant, per minute. */
export function variantMetric(dimensions: VariantDimensions, metricName: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/SageMaker',
    metricName,
    dimensionsMap: { EndpointName: dimensions.endpointName, VariantName: dimensions.variantName },
    statistic,
    period: PERIOD,
  });
}

/** 5xx answers as a percentage of invocations; 0 when there were none (a quiet minute is not a failing one). */
export function errorRateMetric(dimensions: VariantDimensions): cloudwatch.MathExpression {
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

/** p99 of `ModelLatency`, which SageMaker reports in microseconds. */
export function p99LatencyMetric(dimensions: VariantDimensions): cloudwatch.Metric {
  return variantMetric(dimensions, 'ModelLatency', cloudwatch.Stats.p(99));
}

/** The two rollback gates of a plan, as alarms SageMaker's `AutoRollbackConfiguration` watches. */
export function rollbackGateAlarms(scope: Construct, plan: CanaryEndpointPlan, dimensions: VariantDimensions): {
  readonly errorRate: cloudwatch.Alarm;
  readonly p99Latency: cloudwatch.Alarm;
} {
  const gates = plan.rollbackGates;
  const window = `${gates.datapointsToAlarm} of ${gates.evaluationPeriods} one-minute periods`;
  return {
    errorRate: gateAlarm(scope, 'ErrorRateGate', {
      metric: errorRateMetric(dimensions),
      threshold: gates.maxErrorRatePercent,
      description: `${dimensions.endpointName}: 5xx rate above ${gates.maxErrorRatePercent} % on ${window}; a deployment in progress rolls back.`,
      evaluationPeriods: gates.evaluationPeriods,
      datapointsToAlarm: gates.datapointsToAlarm,
    }),
    p99Latency: gateAlarm(scope, 'LatencyGate', {
      metric: p99LatencyMetric(dimensions),
      threshold: gates.maxP99LatencyMs * 1000,
      description: `${dimensions.endpointName}: p99 model latency above ${gates.maxP99LatencyMs} ms on ${window}; a deployment in progress rolls back.`,
      evaluationPeriods: gates.evaluationPeriods,
      datapointsToAlarm: gates.datapointsToAlarm,
    }),
  };
}
