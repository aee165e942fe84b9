import type { App } from 'aws-cdk-lib';
import { PlatformStack } from './platform-stack';
import { applyResidency, Residency } from '../../constructs/aws';

/** Defines the example ML platform in an app: an EU residency policy over one platform stack. */
export function definePlatform(app: App): PlatformStack {
  // Data stays in EU member states; synthesis fails for any stack or resource that would leave them.
  applyResidency(app, Residency.EU);
  return new PlatformStack(app, 'MlPlatform', {
    // Ireland: an EU region with SageMaker, Step Functions, EventBridge Scheduler and IoT Greengrass.
    env: { region: 'eu-west-1' },
    description: 'ml-platform-constructs example ML platform',
    // `cdk deploy -c fraudModelVersion=1.5.0` rolls a new model version out through the canary.
    fraudModelVersion: app.node.tryGetContext('fraudModelVersion'),
  });
}
