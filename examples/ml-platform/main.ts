import { App } from 'aws-cdk-lib';
import { definePlatform } from './platform';
import { addAwsConformanceChecks } from '../../constructs/testing';

const app = new App();

// Every synthesis checks the templates with aws-cdk-lib's built-in validation (cdk.json) and the cdk-nag packs
// AwsSolutions, NIST 800-53 R5 and HIPAA Security; a finding fails `cdk synth`. AWS Control Tower's proactive controls
// (cfn-guard, whose binary ships with @cdklabs/cdk-validator-cfnguard) take about a second more: they run with
// `npx cdk synth -c controlTower=true`, as CI does (.ci/run), and in the conformance tests.
addAwsConformanceChecks(app, { controlTower: [true, 'true'].includes(app.node.tryGetContext('controlTower')) });

definePlatform(app);

app.synth();
