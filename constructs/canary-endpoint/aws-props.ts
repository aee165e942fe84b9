import type { IConstruct } from 'constructs';
import type { CanaryEndpointProps } from './aws';
import { AWS_KINDS } from '../../lib/aws';
import { NAME_RULES, PropChecks } from '../../lib/core';

/** The type and value checks of the AWS-only props of `CanaryEndpoint`; returns what was accepted unchecked. */
export function checkCanaryAwsProps(scope: IConstruct, props: CanaryEndpointProps): readonly string[] {
  const checks = new PropChecks(scope);
  if (props.instanceType !== undefined) {
    checks.string('instanceType', props.instanceType, { allowed: 'a SageMaker instance type such as "ml.m5.large"', fix: 'use an ml.* instance type' });
  }
  if (props.endpointName !== undefined) {
    checks.string('endpointName', props.endpointName, {
      pattern: NAME_RULES.sageMaker.pattern,
      maxLength: NAME_RULES.sageMaker.maxLength,
      allowed: 'letters, digits and "-", at most 63 characters, starting and ending with a letter or digit (SageMaker CreateEndpoint: EndpointName)',
      fix: 'rename the endpoint',
    });
  }
  if (props.encryptionKey !== undefined) {
    checks.kind('encryptionKey', props.encryptionKey, AWS_KINDS.key);
  }
  if (props.notifications !== undefined) {
    checks.kind('notifications', props.notifications, AWS_KINDS.notifications);
  }
  if (props.rollbackAlarms !== undefined) {
    checks.array('rollbackAlarms', props.rollbackAlarms, (alarm, prop) => checks.kind(prop, alarm, AWS_KINDS.alarm));
  }
  if (props.dataCapture !== undefined) {
    const capture = checks.object('dataCapture', props.dataCapture);
    if (capture.enabled !== undefined) {
      checks.boolean('dataCapture.enabled', capture.enabled);
    }
    if (capture.samplingPercent !== undefined) {
      // Passed to SageMaker as it is: a value known only at deployment is SageMaker's to check.
      checks.number('dataCapture.samplingPercent', capture.samplingPercent, { min: 1, max: 100, why: 'SageMaker samples 0-100 %; 0 would capture nothing', deployTime: 'accept' });
    }
    if (capture.bucket !== undefined) {
      checks.kind('dataCapture.bucket', capture.bucket, AWS_KINDS.bucket);
    }
  }
  if (props.terminationWaitMinutes !== undefined) {
    checks.number('terminationWaitMinutes', props.terminationWaitMinutes, {
      min: 0, max: 60, why: 'SageMaker keeps the old fleet at most 3600 s', deployTime: 'the wait in seconds and the deployment timeout are computed from it',
    });
  }
  if (props.maxDeploymentMinutes !== undefined) {
    checks.number('maxDeploymentMinutes', props.maxDeploymentMinutes, {
      min: 10, max: 480, why: 'SageMaker allows 600-28800 s', deployTime: 'it is compared with the bakes and converted to seconds',
    });
  }
  return checks.unchecked;
}
