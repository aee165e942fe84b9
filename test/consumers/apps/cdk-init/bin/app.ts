import { App } from 'aws-cdk-lib';
import { applyResidency, Residency } from 'ml-platform-constructs/aws';
import { ScoringStack } from '../lib/scoring-stack';

const app = new App();
applyResidency(app, Residency.EU);
new ScoringStack(app, 'Scoring', { env: { region: 'eu-west-1' } });
app.synth();
