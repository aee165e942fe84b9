import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { applyResidency, Residency } from '../../constructs/aws';
import { PlatformStack } from './platform-stack';

const app = new App();

// Data stays in EU member states; synthesis fails for any stack or resource that would leave them.
applyResidency(app, Residency.EU);

// The compliance packs run on every synthesis; a finding fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app));

new PlatformStack(app, 'MlPlatform', {
  // Ireland: an EU region with SageMaker, Step Functions, EventBridge Scheduler and IoT Greengrass.
  env: { region: 'eu-west-1' },
  description: 'ml-platform-constructs example ML platform',
});

app.synth();
