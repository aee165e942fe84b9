import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Residency, StackSbom } from 'ml-platform-constructs/aws';
import { addAwsConformanceChecks, stableSnapshotSerializer, synthesizeConforming } from 'ml-platform-constructs/testing';
import { ScoringStack } from '../lib/scoring-stack';

expect.addSnapshotSerializer(stableSnapshotSerializer);

// aws-cdk-lib's validation, the cdk-nag packs, AWS Control Tower's controls and EU residency, on every synthesis.
const app = addAwsConformanceChecks(new App(), { residency: Residency.EU });
const stack = new ScoringStack(app, 'Scoring', { env: { region: 'eu-west-1' } });

test('the stack synthesizes without a single conformance finding', () => {
  expect(() => synthesizeConforming(app)).not.toThrow(); // a ConformanceError would list each rule and resource
});

test('the bill of materials lists the model, the image, the datasets and this library', () => {
  expect(JSON.parse(StackSbom.of(stack).toJson()).components).toMatchSnapshot();
});

test('the stack serves one endpoint and runs one scoring state machine', () => {
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::SageMaker::Endpoint', 1);
  template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
});
