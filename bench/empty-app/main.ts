// The reference of the `cdk synth` benchmark: an app with one stack and one resource that costs nothing, run through
// the same cdk.json settings (app command, context) as the example platform.
import { App, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';

const app = new App();
new CfnWaitConditionHandle(new Stack(app, 'Empty', { env: { region: 'eu-west-1' } }), 'Placeholder');
app.synth();
