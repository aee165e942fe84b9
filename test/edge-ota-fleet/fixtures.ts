// The fraud model rolled to 20 retail stores: the props every EdgeOtaFleet AWS test starts from.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EdgeOtaFleet, type EdgeOtaFleetProps } from '../../constructs/edge-ota-fleet/aws';
import { EncryptionKey, OwnerNotifications } from '../../lib/aws';
import { ModelArtifact } from '../../lib/core';

export const EDGE_MODEL = ModelArtifact.fromUri('s3://models-eu/fraud/1.4.0/model.tar.gz', { version: '1.4.0', sha256: 'c'.repeat(64) });
export const STORES = Array.from({ length: 20 }, (_, index) => `retail-store-${String(index + 1).padStart(3, '0')}`);

/** A stack with an owner topic and the fleet, synthesized. */
export function synthFleet(overrides: Partial<EdgeOtaFleetProps> = {}): { stack: Stack; fleet: EdgeOtaFleet; template: Template } {
  const stack = new Stack(new App(), 'Edge', { env: { region: 'eu-west-1', account: '123456789012' } });
  const notifications = new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'Key').key });
  const fleet = new EdgeOtaFleet(stack, 'Retail', {
    model: EDGE_MODEL, targets: STORES, smokeTestCommand: 'python3 smoke.py', runCommand: 'python3 serve.py', notifications, ...overrides,
  });
  return { stack, fleet, template: Template.fromStack(stack) };
}

