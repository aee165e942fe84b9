import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { EDGE_MODEL, STORES } from './fixtures';
import { MlPlatform, Residency } from '../../constructs/aws';
import { EdgeOtaFleet } from '../../constructs/edge-ota-fleet/aws';

const OWNER = { team: 'fraud-ml', email: 'fraud-ml-oncall@example.com', runbookBaseUrl: 'https://runbooks.example.com/ml/' };

describe('EdgeOtaFleet under an AWS MlPlatform', () => {
  test('GIVEN a fleet under the platform THEN it uses the owner\'s topic and appears in the catalog with its model, waves and exposure', () => {
    const app = new App();
    const stack = new Stack(app, 'Edge', { env: { region: 'eu-west-1', account: '123456789012' } });
    const platform = new MlPlatform(stack, 'Platform', { residency: Residency.EU, owner: OWNER });
    new EdgeOtaFleet(platform, 'Retail', { model: EDGE_MODEL, targets: STORES, smokeTestCommand: 'python3 smoke.py', runCommand: 'python3 serve.py' });
    const catalog = JSON.parse(readFileSync(join(app.synth().directory, 'platform.catalog.json'), 'utf8'));
    const fleet = catalog.nodes.find((node: any) => node.kind === 'fleet');
    expect([fleet.id, fleet.owner, fleet.runbook, fleet.properties]).toEqual([
      'Edge/Platform/Retail', 'fraud-ml', 'https://runbooks.example.com/ml/edge-ota-fleet',
      { waves: 'canary:1 wave-1:2 wave-2:6 wave-3:11', exposure: '12 targets for 7500 s' },
    ]);
    expect(catalog.links.filter((link: any) => link.from === 'Edge/Platform/Retail' || link.to === 'Edge/Platform/Retail').map((link: any) => link.relation).sort())
      .toEqual(['notifies', 'serves']);
  });
});
