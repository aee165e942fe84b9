import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CanaryEndpoint, ContainerImage, ModelArtifact, applyResidency, Residency, OwnerNotifications, EncryptionKey } from '../../constructs/aws';
import { conformingApp, synthesizeConforming } from '../support/aws-conformance';

test('smoke', () => {
  const app = conformingApp();
  applyResidency(app, Residency.EU);
  const stack = new Stack(app, 'S', { env: { region: 'eu-west-1' } });
  new CanaryEndpoint(stack, 'Fraud', {
    model: ModelArtifact.fromUri('s3://models-bucket/fraud/1.4.0/model.tar.gz', { version: '1.4.0' }),
    notifications: new OwnerNotifications(stack, 'Owner', { encryptionKey: new EncryptionKey(stack, 'K').key }),
    image: ContainerImage.fromDigest(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-server@sha256:${'a'.repeat(64)}`),
  });
  try { synthesizeConforming(app); } catch (e: any) { console.log(e.message.slice(0, 6000)); }
  require('fs').writeFileSync('/tmp/smoke.json', JSON.stringify(Template.fromStack(stack).toJSON(), null, 1));
});
