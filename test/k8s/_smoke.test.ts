import { App, Chart } from 'cdk8s';
import { applyResidency, CanaryEndpoint, ContainerImage, ModelArtifact, Residency } from '../../constructs/k8s';
import { kubernetesConformance } from '../support/k8s-conformance';

test('smoke', () => {
  const app = new App({ outdir: 'unused' });
  applyResidency(app, Residency.EU);
  const chart = new Chart(app, 'c', { namespace: 'ml' });
  new CanaryEndpoint(chart, 'Fraud', {
    name: 'fraud',
    model: ModelArtifact.fromUri('s3://models-bucket/fraud/1.4.0/model.tar.gz', { version: '1.4.0' }),
    image: ContainerImage.fromDigest(`registry.example.com/fraud-server@sha256:${'a'.repeat(64)}`),
    modelLoader: ContainerImage.fromDigest(`registry.example.com/loader@sha256:${'b'.repeat(64)}`),
  });
  const objects = chart.toJson();
  require('fs').writeFileSync('/tmp/k8s.json', JSON.stringify(objects, null, 1));
  expect(kubernetesConformance(objects)).toEqual([]);
});
