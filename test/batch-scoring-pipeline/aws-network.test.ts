import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';
import {
  applyResidency, BatchScoringPipeline, type BatchScoringPipelineProps, ContainerImage, EncryptionKey, MlPlatformError, OwnerNotifications, Residency,
} from '../../constructs/aws';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';
import { IMAGE, MODEL, thrownBy } from '../support/canary-fixtures';

const VALIDATOR = ContainerImage.fromDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-validator@sha256:${'c'.repeat(64)}`);

function pipelineStack(overrides: Partial<BatchScoringPipelineProps> = {}, withVpc = true) {
  const stack = new Stack(new App(), 'Scoring', { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  const vpc = withVpc ? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Jobs', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }) : undefined;
  new BatchScoringPipeline(stack, 'Nightly', {
    model: MODEL,
    image: IMAGE,
    schedule: { cron: '0 2 * * *' },
    inputUri: 's3://fraud-data-eu/transactions/',
    outputUri: 's3://fraud-data-eu/scores/',
    notifications,
    validation: { validatorImage: VALIDATOR },
    vpc,
    ...overrides,
  });
  return Template.fromStack(stack);
}

const SCORING = {
  model: MODEL,
  image: IMAGE,
  schedule: { cron: '0 2 * * *' },
  inputUri: 's3://fraud-data-eu/transactions/',
  outputUri: 's3://fraud-data-eu/scores/',
};
const LAMBDA_IN_VPC = 'cdk-validator-cfnguard::lambda_inside_vpc_check';

/** The rule IDs acknowledged on a construct (`Validations.of(construct).acknowledge`). */
function acknowledgedOn(construct: IConstruct): string[] {
  return construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules').flatMap((entry) => Object.keys(entry.data));
}

const SECURITY_GROUP = { 'Fn::GetAtt': [Match.stringLikeRegexp('^NightlyNetworkSecurityGroup'), 'GroupId'] };
const SUBNETS = [{ Ref: Match.stringLikeRegexp('^VpcJobsSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcJobsSubnet2') }];

describe('AWS BatchScoringPipeline in a VPC', () => {
  const template = pipelineStack();

  test('GIVEN a VPC THEN the transform jobs run in it: the model has the security group and the subnets', () => {
    template.hasResourceProperties('AWS::SageMaker::Model', { VpcConfig: { SecurityGroupIds: [SECURITY_GROUP], Subnets: SUBNETS }, EnableNetworkIsolation: true });
  });

  test('GIVEN a VPC THEN the record counter runs in it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SecurityGroupIds: [SECURITY_GROUP], SubnetIds: SUBNETS } });
  });

  test('GIVEN a VPC THEN the validation job runs in it', () => {
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0] as any;
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"NetworkConfig\\":{\\"EnableNetworkIsolation\\":false,\\"EnableInterContainerTrafficEncryption\\":true,\\"VpcConfig\\":{\\"SecurityGroupIds\\":[\\"');
  });

  test('GIVEN a VPC THEN the one security group admits nothing and lets only HTTPS out', () => {
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^HTTPS out only') } }));
    expect(groups.map((group: any) => [group.Properties.SecurityGroupEgress, group.Properties.SecurityGroupIngress])).toEqual([[
      [{ CidrIp: '0.0.0.0/0', Description: 'HTTPS to AWS APIs (S3, KMS, ECR, CloudWatch Logs, STS)', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 }],
      undefined,
    ]]);
  });

  test('GIVEN no VPC THEN neither the model nor the function has a VPC configuration', () => {
    const outside = pipelineStack({}, false);
    expect(Object.values(outside.findResources('AWS::SageMaker::Model')).map((m: any) => m.Properties.VpcConfig)).toEqual([undefined]);
    expect(Object.values(outside.findResources('AWS::Lambda::Function')).map((f: any) => f.Properties.VpcConfig)).toEqual([undefined]);
    expect(outside.findResources('AWS::EC2::SecurityGroup')).toEqual({});
  });

  test('GIVEN a VPC THEN the four packs have no finding, the counter in its VPC without an acknowledgement', () => {
    const app = conformingApp();
    applyResidency(app, Residency.EU);
    const stack = new Stack(app, 'Scoring', { env: { region: 'eu-west-1', account: '123456789012' } });
    const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
    // The user's existing VPC: only what the pipeline adds to the template is judged.
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a', 'eu-west-1b'], isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    const pipeline = new BatchScoringPipeline(stack, 'Nightly', { ...SCORING, notifications, vpc, validation: { validatorImage: VALIDATOR } });
    expect(() => synthesizeConforming(app)).not.toThrow();
    expect(acknowledgedOn(pipeline.node.findChild('RecordCounter').node.findChild('Resource'))).not.toContain(LAMBDA_IN_VPC);
  });

  test('GIVEN no VPC THEN the counter outside a VPC is acknowledged, with its reason, in the reviewed list', () => {
    const stack = new Stack(new App(), 'Scoring', { env: { region: 'eu-west-1', account: '123456789012' } });
    const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
    const pipeline = new BatchScoringPipeline(stack, 'Nightly', { ...SCORING, notifications });
    expect(acknowledgedOn(pipeline.node.findChild('RecordCounter').node.findChild('Resource'))).toContain(LAMBDA_IN_VPC);
  });

  test('GIVEN subnets without a VPC THEN an MlPlatformError names both', () => {
    const error = thrownBy(() => pipelineStack({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }, false));
    expect(error).toBeInstanceOf(MlPlatformError);
    expect(error.message).toBe('Scoring/Nightly: invalid vpcSubnets {"subnetType":"Isolated"}. Allowed: subnets only together with vpc. Fix: pass vpc as well, or remove vpcSubnets');
  });
});
