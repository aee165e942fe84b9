import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { ownedDescription } from './alarm-ownership';
import { MlPlatformError } from '../core';

/** Props for `gateAlarm`. */
export interface GateAlarmProps {
  /** The metric (or metric math expression) the gate watches. */
  readonly metric: cloudwatch.IMetric;
  /** The value beyond which the gate trips. */
  readonly threshold: number;
  /** What a tripped gate means and what happens next; shown on the alarm and in notifications. */
  readonly description: string;
  /**
   * How the metric is compared with the threshold.
   * @default GREATER_THAN_THRESHOLD
   */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /**
   * How many periods are evaluated.
   * @default 3 - three one-minute periods: a blip does not roll back, a sustained fault does within minutes
   */
  readonly evaluationPeriods?: number;
  /**
   * How many of those periods must breach.
   * @default 2 - two of three, so one noisy minute neither trips nor hides a fault
   */
  readonly datapointsToAlarm?: number;
  /**
   * The alarm's runbook below the owner's runbook base, e.g. `canary-endpoint/error-rate-gate`. Under a platform
   * the description ends with the owner and `<runbookBaseUrl><runbook>`.
   * @default - the slug of the alarm's construct path below the platform
   */
  readonly runbook?: string;
  /**
   * The alarm's name. A fixed name lets a policy name the alarm's ARN without a reference to the alarm (no
   * dependency cycle when the alarm watches a resource that depends on that policy).
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;
}

/**
 * An alarm used as a rollback or paging gate. Missing data does not breach: an endpoint or job without
 * traffic is not failing, and a gate that trips on silence would roll back every quiet deployment.
 */
export function gateAlarm(scope: Construct, id: string, props: GateAlarmProps): cloudwatch.Alarm {
  const evaluationPeriods = props.evaluationPeriods ?? 3;
  const datapointsToAlarm = props.datapointsToAlarm ?? Math.min(2, evaluationPeriods);
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    throw new MlPlatformError({
      scope,
      prop: 'evaluationPeriods',
      value: evaluationPeriods,
      allowed: 'a whole number of at least 1',
      fix: 'use e.g. 3',
    });
  }
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    throw new MlPlatformError({
      scope,
      prop: 'datapointsToAlarm',
      value: datapointsToAlarm,
      allowed: `a whole number from 1 to evaluationPeriods (${evaluationPeriods})`,
      fix: 'lower datapointsToAlarm or raise evaluationPeriods',
    });
  }
  return new cloudwatch.Alarm(scope, id, {
    alarmName: props.alarmName,
    metric: props.metric,
    threshold: props.threshold,
    alarmDescription: ownedDescription(scope, id, props.description, props.runbook),
    comparisonOperator: props.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods,
    datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
