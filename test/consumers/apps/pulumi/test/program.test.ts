import { kubernetesConformance, stableSnapshotSerializer } from 'ml-platform-constructs/testing';
import { recordResources, settle } from '../mocks';

expect.addSnapshotSerializer(stableSnapshotSerializer);
const registered = recordResources();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require('../index') as typeof import('../index');

test('every object the program deploys passes its schema and Pod Security Standards restricted', async () => {
  const manifests = [...await settle(program.fraud.manifests), ...await settle(program.scoring.manifests)];
  expect(kubernetesConformance(manifests)).toEqual([]);
});

test('the program registers the components and their Kubernetes objects', async () => {
  await settle(program.scoring.manifests);
  expect(registered.filter((r) => r.type.startsWith('ml-platform:')).map((r) => `${r.type} ${r.name}`)).toMatchSnapshot();
});

test('the endpoint\'s bill of materials lists the model, the image and this library', async () => {
  expect(JSON.parse(await settle(program.fraudSbom)).components).toMatchSnapshot();
});
