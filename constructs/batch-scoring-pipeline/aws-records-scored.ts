import { Aws, Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct, IConstruct } from 'constructs';
import { contractStatement } from '../../lib/aws';
import { PUT_RECORDS_SCORED } from '../../lib/aws/contracts/step-functions';
import { jsonataStringContent } from '../../lib/core';

/** The records-scored metric: one datum per published run date, its output records, by pipeline. */
export const RECORDS_SCORED_METRIC = {
  namespace: PUT_RECORDS_SCORED.callerConditions!.StringEquals['cloudwatch:namespace'] as string,
  metricName: 'RecordsScored',
  dimension: 'Pipeline',
} as const;

// A dimension value holds at most 1,024 characters (PUT_RECORDS_SCORED's limits); a longer construct path keeps its
// start and the construct's address, so two pipelines never share a line.
const MAX_PIPELINE_NAME = PUT_RECORDS_SCORED.limits!.dimensionValueLength;

/** The pipeline's `Pipeline` dimension value: its construct path with `-` for `/`. */
export function recordsScoredPipelineName(pipeline: IConstruct): string {
  const name = pipeline.node.path.replace(/\//g, '-');
  return name.length <= MAX_PIPELINE_NAME ? name : `${name.slice(0, MAX_PIPELINE_NAME - 9)}-${pipeline.node.addr.slice(0, 8)}`;
}

/** The records-scored step of the workflow and the statement its role needs. */
export interface RecordsScoredStep {
  /** Puts the metric after a successful publish; a failure is caught and the run goes on (it has published). */
  readonly state: sfn.CustomState;
  readonly statements: iam.PolicyStatement[];
}

/** The JSONata of the metric datum: the published run's output records, counted as lines (`$counts`). */
export function recordsScoredDatum(pipelineName: string): string {
  return `{% [{ 'MetricName': '${RECORDS_SCORED_METRIC.metricName}', 'Dimensions': [{ 'Name': '${RECORDS_SCORED_METRIC.dimension}', `
    + `'Value': '${jsonataStringContent(pipelineName)}' }], 'Value': $counts.outputRecords, 'Unit': 'Count' }] %}`;
}

/**
 * PutRecordsScored: a `cloudwatch:putMetricData` SDK integration after the manifest is written. The run has
 * published by then, so no failure here may fail it (a failed execution pages the owner, and a redrive would
 * re-enter the publish branch): two quick retries, then any error — throttling, a refused value, a JSONata
 * evaluation error — goes to `RecordsScoredNotPut`, which ends the date's run successfully. A run date without a
 * datum shows as a gap in the dashboard's records-scored line, not as a failed run.
 */
export function recordsScoredStep(scope: Construct, pipelineName: string): RecordsScoredStep {
  const notPut = sfn.Pass.jsonata(scope, 'RecordsScoredNotPut', {
    comment: 'The records-scored metric could not be put; the run has published and ends as a success.',
  });
  const state = new sfn.CustomState(scope, 'PutRecordsScored', {
    stateJson: {
      Type: 'Task',
      QueryLanguage: 'JSONata',
      Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:cloudwatch:putMetricData`,
      Arguments: { Namespace: RECORDS_SCORED_METRIC.namespace, MetricData: recordsScoredDatum(pipelineName) },
      // A metric is a few hundred bytes: a minute bounds a call that hangs.
      TimeoutSeconds: 60,
    },
  });
  // Two more attempts 2 and 4 s later: throttling passes within seconds; anything else is caught.
  state.addRetry({ errors: [sfn.Errors.ALL], maxAttempts: 2, interval: Duration.seconds(2), backoffRate: 2 });
  state.addCatch(notPut, { errors: [sfn.Errors.ALL] });
  return { state, statements: [contractStatement(PUT_RECORDS_SCORED, ['*'])] };
}
