import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { definePlatform } from './platform';

const app = new App();

// The compliance packs run on every synthesis; a finding fails `cdk synth`. The fourth is AWS Control Tower's
// proactive controls, run locally by cfn-guard (the binary ships with the validator).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new CfnGuardValidator());

definePlatform(app);

app.synth();
