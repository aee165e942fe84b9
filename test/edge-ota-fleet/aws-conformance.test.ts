import { Stack } from 'aws-cdk-lib';
import { EDGE_MODEL, STORES } from './fixtures';
import { EdgeOtaFleet } from '../../constructs/edge-ota-fleet/aws';
import { EncryptionKey, OwnerNotifications } from '../../lib/aws';
import { applyResidency } from '../../lib/aws/residency';
import { Residency } from '../../lib/core';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';

describe('EdgeOtaFleet on AWS, conformance', () => {
  test('GIVEN the fleet in an EU stack THEN the nag packs and Control Tower controls find nothing unacknowledged', () => {
    const app = conformingApp();
    applyResidency(app, Residency.EU);
    const stack = new Stack(app, 'Edge', { env: { region: 'eu-west-1', account: '123456789012' } });
    const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
    new EdgeOtaFleet(stack, 'Retail', { model: EDGE_MODEL, targets: STORES, smokeTestCommand: 'python3 smoke.py', runCommand: 'python3 serve.py', notifications });
    expect(() => synthesizeConforming(app)).not.toThrow();
  });
});
