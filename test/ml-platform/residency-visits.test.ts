import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CanaryEndpoint, MlPlatform, Residency } from '../../constructs/aws';
import { RESIDENCY_RESOURCE_TYPES, residencyViolations } from '../../lib/aws/residency-rules';
import { IMAGE, MODEL } from '../support/canary-fixtures';

describe('the residency check under a platform', () => {
  test('GIVEN a platform with an endpoint WHEN the residency check runs THEN it resolves only buckets, topics, queues and log groups, each once', () => {
    const stack = new Stack(new App(), 'Serving', { env: { region: 'eu-west-1', account: '123456789012' } });
    const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml/' } });
    new CanaryEndpoint(platform, 'Fraud', { model: MODEL, image: IMAGE });
    const resolved: string[] = [];
    const original = (CfnResource.prototype as any)._toCloudFormation;
    const spy = jest.spyOn(CfnResource.prototype as any, '_toCloudFormation').mockImplementation(function (this: CfnResource) {
      resolved.push(this.node.path);
      return original.call(this);
    });
    try {
      expect(residencyViolations(platform, Residency.EU)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect(resolved).toEqual(['Serving/Platform/Data/AccessLogs/Resource', 'Serving/Platform/Data/Resource/Resource', 'Serving/Platform/Owner/Resource/Resource']);
  });

  test('GIVEN the rules THEN the resource types they judge are exactly the ones resolved', () => {
    expect([...RESIDENCY_RESOURCE_TYPES].sort()).toEqual(['AWS::Logs::LogGroup', 'AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::SQS::Queue']);
  });
});
