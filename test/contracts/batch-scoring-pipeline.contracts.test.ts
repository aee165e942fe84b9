import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';
import { BatchScoringPipeline, type BatchScoringPipelineProps, ContainerImage, EncryptionKey, OwnerNotifications } from '../../constructs/aws';
import type { RecordCounter } from '../../constructs/batch-scoring-pipeline/aws-record-counter';
import type { ServiceCallContract } from '../../lib/aws';
import {
  CREATE_PROCESSING_JOB, CREATE_TRANSFORM_JOB, JOB_DATA_KEY, JOB_VPC_NETWORK, PASS_EXECUTION_ROLE, SYNC_JOB_EVENTS, VOLUME_KEY_GRANT,
} from '../../lib/aws/contracts/sagemaker-jobs';
import { LAMBDA_VPC_ACCESS, SCHEDULE_DEAD_LETTERS, SCHEDULE_KEY, SCHEDULE_START_EXECUTION } from '../../lib/aws/contracts/scheduler-lambda';
import {
  DISTRIBUTED_MAP_RUN, EVENTS_TO_ENCRYPTED_TOPIC, FIND_PUBLISHED, INVOKE_RECORD_COUNTER, logGroupKey, PUBLISH_MANIFEST, PUT_RECORDS_SCORED,
  STATE_MACHINE_LOG_DELIVERY,
} from '../../lib/aws/contracts/step-functions';
import { IMAGE, MODEL } from '../support/canary-fixtures';
import { contractViolations, grantingStatements } from '../support/service-contracts';

const VALIDATOR = ContainerImage.fromDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-validator@sha256:${'c'.repeat(64)}`);

function pipelineStack(overrides: Partial<BatchScoringPipelineProps> = {}, withVpc = false) {
  const stack = new Stack(new App(), 'Scoring', { env: { region: 'eu-west-1', account: '123456789012' } });
  const key = new EncryptionKey(stack, 'Key').key;
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: key });
  const vpc = withVpc ? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }) : undefined;
  const pipeline = new BatchScoringPipeline(stack, 'Nightly', {
    model: MODEL,
    image: IMAGE,
    schedule: { cron: '0 2 * * *' },
    inputUri: 's3://fraud-data-eu/transactions/',
    outputUri: 's3://fraud-data-eu/scores/',
    notifications,
    encryptionKey: key,
    validation: { validatorImage: VALIDATOR },
    ...overrides,
    ...(vpc ? { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } : {}),
  });
  const template = Template.fromStack(stack);
  return { stack, key, notifications, pipeline, template };
}

const { key, notifications, pipeline, template } = pipelineStack();
const counter = pipeline.node.findChild('RecordCounter') as RecordCounter;
const scheduleRole = pipeline.node.findChild('ScheduleRole');

/** [contract, the role that makes the call]. */
const CALLER_ROWS: Array<[ServiceCallContract, () => IConstruct]> = [
  [CREATE_TRANSFORM_JOB, () => pipeline.stateMachine.role],
  [CREATE_PROCESSING_JOB, () => pipeline.stateMachine.role],
  [SYNC_JOB_EVENTS, () => pipeline.stateMachine.role],
  [PASS_EXECUTION_ROLE, () => pipeline.stateMachine.role],
  [VOLUME_KEY_GRANT, () => pipeline.stateMachine.role],
  [STATE_MACHINE_LOG_DELIVERY, () => pipeline.stateMachine.role],
  [INVOKE_RECORD_COUNTER, () => pipeline.stateMachine.role],
  [FIND_PUBLISHED, () => pipeline.stateMachine.role],
  [PUBLISH_MANIFEST, () => pipeline.stateMachine.role],
  [DISTRIBUTED_MAP_RUN, () => pipeline.stateMachine.role],
  [PUT_RECORDS_SCORED, () => pipeline.stateMachine.role],
  [JOB_DATA_KEY, () => pipeline.execution.role],
  [SCHEDULE_START_EXECUTION, () => scheduleRole],
  [SCHEDULE_DEAD_LETTERS, () => scheduleRole],
  [SCHEDULE_KEY, () => scheduleRole],
];

describe('BatchScoringPipeline runtime contracts', () => {
  test.each(CALLER_ROWS.map(([contract, role]) => [contract.call, contract, role] as const))('GIVEN a validator THEN the calling role honours %s', (_, contract, role) => {
    expect(contractViolations(template, contract, { role: role() })).toEqual([]);
  });

  test('GIVEN the state machine log group encrypted with the key THEN CloudWatch Logs of the region may use it, for log groups of the account only', () => {
    expect(contractViolations(template, logGroupKey('eu-west-1'), { key })).toEqual([]);
  });

  test('GIVEN the owner\'s encrypted topic THEN EventBridge may publish the unfinished-run notices to it', () => {
    expect(contractViolations(template, EVENTS_TO_ENCRYPTED_TOPIC, { topic: notifications.topic, key: notifications.encryptionKey })).toEqual([]);
  });

  test('GIVEN a volume key THEN the state machine may create grants on exactly that key, only for AWS resources', () => {
    expect(grantingStatements(template, pipeline.stateMachine.role, 'kms:CreateGrant')).toEqual([
      { Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } }, Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } },
    ]);
  });

  test('GIVEN instances with local NVMe storage and no validator THEN no volume key is requested and no grant is allowed', () => {
    const local = pipelineStack({ instanceType: 'ml.g4dn.xlarge', validation: {} });
    expect(grantingStatements(local.template, local.pipeline.stateMachine.role, 'kms:CreateGrant')).toEqual([]);
  });

  test('GIVEN the records-scored metric THEN the state machine may put metrics only in the pipelines\' namespace', () => {
    expect(grantingStatements(template, pipeline.stateMachine.role, 'cloudwatch:PutMetricData')).toEqual([{
      Action: 'cloudwatch:PutMetricData',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'MlPlatform/BatchScoringPipeline' } },
      Effect: 'Allow',
      Resource: '*',
    }]);
  });

  test('GIVEN the job role THEN it creates no grants: SageMaker creates the volume grant with the caller\'s permissions', () => {
    expect(grantingStatements(template, pipeline.execution.role, 'kms:CreateGrant')).toEqual([]);
  });
});

describe('BatchScoringPipeline runtime contracts in a VPC', () => {
  const inVpc = pipelineStack({}, true);
  const vpcCounter = inVpc.pipeline.node.findChild('RecordCounter') as RecordCounter;

  test('GIVEN a VPC THEN SageMaker may manage the jobs\' network interfaces with the execution role', () => {
    expect(contractViolations(inVpc.template, JOB_VPC_NETWORK, { role: inVpc.pipeline.execution.role })).toEqual([]);
  });

  test('GIVEN a VPC THEN Lambda may manage the counter\'s network interfaces with its role', () => {
    expect(contractViolations(inVpc.template, LAMBDA_VPC_ACCESS, { role: vpcCounter.function.role! })).toEqual([]);
  });

  test('GIVEN no VPC THEN neither role holds network-interface permissions', () => {
    expect(grantingStatements(template, pipeline.execution.role, 'ec2:CreateNetworkInterface')).toEqual([]);
    expect(grantingStatements(template, counter.function.role!, 'ec2:CreateNetworkInterface')).toEqual([]);
  });
});
