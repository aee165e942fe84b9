import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { RetrainingTargetKind } from './plan';
import { acknowledge, acknowledgeWildcardResource, type OwnerNotifications, trustedServicePrincipal } from '../../lib/aws';
import { GATE_ASK_OWNER, GATE_START_PIPELINE } from '../../lib/aws/contracts/drift-monitor';
import { grantContract } from '../../lib/aws/service-contracts';

/** The error a human sends to reject a request: `aws stepfunctions send-task-failure --error Rejected`. */
export const REJECTED_ERROR = 'Rejected';
/** The `detail-type` of the event an approved `eventbridge-event` request puts on the bus. */
export const RETRAINING_APPROVED_DETAIL_TYPE = 'Retraining approved';
/** The `source` of that event. */
export const RETRAINING_EVENT_SOURCE = 'ml-platform-constructs.drift-monitor';

/** What an approved request starts: exactly one of these, matching the plan's `retraining.target`. */
export interface RetrainingTargets {
  /** The ARN of the SageMaker pipeline an approval starts (`sagemaker-pipeline`). */
  readonly pipelineArn?: string;
  /** The state machine an approval starts (`state-machine`). */
  readonly stateMachine?: sfn.IStateMachine;
  /** The bus an approval puts a `Retraining approved` event on (`eventbridge-event`). */
  readonly eventBus?: events.IEventBus;
}

/** Props for `RetrainingGate`. */
export interface RetrainingGateProps extends RetrainingTargets {
  readonly target: Exclude<RetrainingTargetKind, 'kubernetes-job'>;
  readonly approvalTimeoutHours: number;
  readonly notifications: OwnerNotifications;
  readonly encryptionKey: kms.IKey;
  readonly modelName: string;
}

/**
 * The human gate between a drift alarm and retraining: a standard state machine whose one execution is one open
 * request. It sends the owner's topic the evidence and the commands that approve or reject (an SNS publish with
 * `.waitForTaskToken`), waits up to the approval timeout, and on approval starts the retraining target. A rejection
 * ends the execution as failed with error `Rejected`, a timeout with `States.Timeout`: both stay in the execution
 * history (90 days) and the log group (a year).
 */
export class RetrainingGate extends Construct {
  /** The state machine; a running execution is an open request. */
  public readonly stateMachine: sfn.StateMachine;

  public constructor(scope: Construct, id: string, props: RetrainingGateProps) {
    super(scope, id);
    const token = '$states.context.Task.Token';
    const message = [
      `'Drift at alarm level for model ${props.modelName}: retraining waits for your approval.'`,
      "'\\nWindow: ' & $states.input.window & '\\nReport: ' & $states.input.report",
      "'\\nTop drifting features: ' & $join($states.input.topDrifting.(feature & ' (' & status & ', PSI ' & $string(psi) & ')'), ', ')",
      `"\\n\\nApprove: aws stepfunctions send-task-success --task-output '{\\"approved\\":true}' --task-token " & ${token}`,
      `'\\nReject:  aws stepfunctions send-task-failure --error ${REJECTED_ERROR} --task-token ' & ${token}`,
      `'\\nUnanswered, the request times out after ${props.approvalTimeoutHours} h.'`,
    ].join(' & ');
    const askOwner = tasks.SnsPublish.jsonata(this, 'AskOwner', {
      topic: props.notifications.topic,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      subject: `Retraining request: ${props.modelName}`.slice(0, 99),
      message: sfn.TaskInput.fromText(`{% ${message} %}`),
      taskTimeout: sfn.Timeout.duration(Duration.hours(props.approvalTimeoutHours)),
      // The evidence stays the state's output, for the target's input.
      outputs: '{% $states.input %}',
    });
    const rejected = new sfn.Fail(this, 'RejectedByOwner', { error: REJECTED_ERROR, cause: 'The owner rejected the retraining request.' });
    const timedOut = new sfn.Fail(this, 'TimedOut', { error: 'States.Timeout', cause: `Nobody answered within ${props.approvalTimeoutHours} h.` });
    askOwner.addCatch(rejected, { errors: [REJECTED_ERROR] });
    askOwner.addCatch(timedOut, { errors: ['States.Timeout'] });

    const role = new iam.Role(this, 'Role', { assumedBy: trustedServicePrincipal(this, 'stepFunctions') });
    const start = this.startTarget(props);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      // A year of decisions: the retention NIST 800-53 AU-11 examples use.
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      role,
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(askOwner.next(start).next(new sfn.Succeed(this, 'RetrainingStarted'))),
      // The approval wait plus an hour to start the target.
      timeout: Duration.hours(props.approvalTimeoutHours + 1),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: `Retraining requests of ${props.modelName}, behind the owner's approval`,
    });
    grantContract(this.stateMachine, GATE_ASK_OWNER, [props.notifications.topic.topicArn, props.notifications.encryptionKey.keyArn]);
    props.encryptionKey.grant(this.stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey');
    acknowledge(role, 'stepFunctionsTaskPolicies');
    acknowledgeWildcardResource(role.node.findChild('DefaultPolicy'), '*', 'serviceWithoutResources');
  }

  private startTarget(props: RetrainingGateProps): sfn.IChainable {
    const detail = { model: props.modelName, window: '{% $states.input.window %}', report: '{% $states.input.report %}' };
    switch (props.target) {
      case 'sagemaker-pipeline': {
        const pipelineArn = props.pipelineArn!;
        return tasks.CallAwsService.jsonata(this, 'StartPipeline', {
          service: 'sagemaker',
          action: 'startPipelineExecution',
          parameters: {
            PipelineName: pipelineArn,
            PipelineExecutionDescription: `{% 'Approved retraining of ${props.modelName} after drift in window ' & $states.input.window %}`,
          },
          iamResources: [pipelineArn],
          iamAction: GATE_START_PIPELINE.callerActions[0],
        });
      }
      case 'state-machine':
        return tasks.StepFunctionsStartExecution.jsonata(this, 'StartStateMachine', {
          stateMachine: props.stateMachine!,
          input: sfn.TaskInput.fromObject(detail),
        });
      default: {
        return tasks.EventBridgePutEvents.jsonata(this, 'PutEvent', {
          entries: [{
            eventBus: props.eventBus,
            detailType: RETRAINING_APPROVED_DETAIL_TYPE,
            source: RETRAINING_EVENT_SOURCE,
            detail: sfn.TaskInput.fromObject(detail),
          }],
        });
      }
    }
  }
}
