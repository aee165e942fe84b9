import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { definePlatform } from './platform';

const app = new App();

// The compliance packs run on every synthesis; a finding fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app));

definePlatform(app);

app.synth();
