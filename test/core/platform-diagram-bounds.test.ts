import * as fc from 'fast-check';
import { PlatformCatalog } from '../../lib/core';
import { dagreLayout, DAGRE_NODE_BUDGET, type DiagramLayout } from '../../lib/core/platform-diagram-layout';
import { placeNodes } from '../../lib/core/platform-lanes';

/** The AWS example platform's catalog as `npx cdk synth` writes it: two drift monitors looking back at what they watch. */
function exampleWithDriftMonitors(): PlatformCatalog {
  const catalog = new PlatformCatalog({ platform: 'fraud-platform', owner: { team: 'fraud-ml' }, residency: 'eu' });
  const image = 'image:123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/fraud-server@sha256:3b5f1c2a9d8e7f6041a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';
  const p = 'MlPlatform/Platform';
  const nodes = [
    { id: 'model:fraud@1.4.0', kind: 'model', name: 'fraud', version: '1.4.0', location: 's3://ml-platform-models-eu-west-1/fraud/1.4.0/model.tar.gz' },
    { id: image, kind: 'image', name: 'ml/fraud-server', version: 'sha256:3b5f1c2a9d8e', location: image.slice('image:'.length) },
    { id: `${p}/FraudFeatures/customer-spend`, kind: 'feature-group', name: 'customer-spend', location: 'glue:fraud_features.customer_spend' },
    { id: `${p}/FraudFeatures/transaction-risk`, kind: 'feature-group', name: 'transaction-risk', location: 'glue:fraud_features.transaction_risk' },
    { id: `${p}/FraudEndpoint/CapturedData`, kind: 'dataset', name: 'fraud captured requests', location: 's3://<known after deployment>/data-capture/fraud/' },
    { id: `${p}/FraudScoring/Input`, kind: 'dataset', name: 'MlPlatform-Platform-FraudScoring input', location: 's3://<known after deployment>/pipelines/fraud-scoring/input/' },
    { id: `${p}/FraudScoring/Published`, kind: 'dataset', name: 'MlPlatform-Platform-FraudScoring published scores', location: 's3://<known after deployment>/pipelines/fraud-scoring/output/published/' },
    { id: `${p}/FraudEndpoint`, kind: 'endpoint', name: 'fraud', version: '1.4.0', location: 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/fraud' },
    { id: `${p}/FraudDevices`, kind: 'fleet', name: 'MlPlatform-Platform-FraudDevices', version: '1.4.0' },
    { id: `${p}/FraudScoring`, kind: 'pipeline', name: 'MlPlatform-Platform-FraudScoring', version: '1.4.0' },
    { id: `${p}/FraudInputDrift`, kind: 'monitor', name: 'fraud drift: pipeline inputs', version: '1.4.0' },
    { id: `${p}/FraudRequestDrift`, kind: 'monitor', name: 'fraud drift: captured requests', version: '1.4.0' },
    { id: `${p}/FraudRequestDrift/Retraining`, kind: 'retraining', name: 'fraud retraining' },
    { id: `${p}/Owner`, kind: 'topic', name: 'fraud-platform owner alerts' },
    { id: `${p}/Dashboard`, kind: 'dashboard', name: 'fraud-platform dashboard', location: 'cloudwatch:fraud-platform-eu-west-1' },
  ] as const;
  nodes.forEach((node) => catalog.addNode(node));
  const links = [
    [`${p}/FraudDevices`, `${p}/Owner`, 'notifies'],
    [`${p}/FraudEndpoint`, `${p}/FraudEndpoint/CapturedData`, 'captures'],
    [`${p}/FraudEndpoint`, `${p}/Owner`, 'notifies'],
    [`${p}/FraudEndpoint/CapturedData`, `${p}/FraudRequestDrift`, 'reads'],
    [`${p}/FraudInputDrift`, `${p}/FraudScoring`, 'monitors'],
    [`${p}/FraudInputDrift`, `${p}/Owner`, 'notifies'],
    [`${p}/FraudRequestDrift`, `${p}/FraudEndpoint`, 'monitors'],
    [`${p}/FraudRequestDrift`, `${p}/FraudRequestDrift/Retraining`, 'triggers'],
    [`${p}/FraudRequestDrift`, `${p}/Owner`, 'notifies'],
    [`${p}/FraudScoring`, `${p}/FraudScoring/Published`, 'writes'],
    [`${p}/FraudScoring`, `${p}/Owner`, 'notifies'],
    [`${p}/FraudScoring/Input`, `${p}/FraudInputDrift`, 'reads'],
    [`${p}/FraudScoring/Input`, `${p}/FraudScoring`, 'reads'],
    [image, `${p}/FraudEndpoint`, 'runs'],
    [image, `${p}/FraudScoring`, 'runs'],
    ['model:fraud@1.4.0', `${p}/FraudDevices`, 'serves'],
    ['model:fraud@1.4.0', `${p}/FraudEndpoint`, 'serves'],
    ['model:fraud@1.4.0', `${p}/FraudScoring`, 'scores'],
  ] as const;
  links.forEach(([from, to, relation]) => catalog.addLink({ from, to, relation }));
  return catalog;
}

/** The points of every link's path (move and curve coordinates) that lie outside the drawing. */
function pointsOutside(layout: DiagramLayout): string[] {
  return layout.links.flatMap(({ link, path }) => {
    const numbers = (path.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
    const outside: string[] = [];
    for (let index = 0; index + 1 < numbers.length; index += 2) {
      const [x, y] = [numbers[index], numbers[index + 1]];
      if (x < 0 || y < 0 || x > layout.width || y > layout.height) {
        outside.push(`${link.relation} ${link.from} → ${link.to} at ${x},${y}`);
      }
    }
    return outside;
  });
}

describe('the drawing holds every link', () => {
  test('GIVEN the example with its drift monitors WHEN laid out by dagre THEN no link leaves the drawing (dagre routed a back-link above it)', () => {
    const document = exampleWithDriftMonitors().toJSON();
    expect(pointsOutside(dagreLayout(placeNodes(document), document.links))).toEqual([]);
  });

  test('GIVEN any small catalog WHEN laid out by dagre THEN no link leaves the drawing', () => {
    const kinds = ['model', 'image', 'feature-group', 'dataset', 'endpoint', 'fleet', 'pipeline', 'monitor', 'retraining', 'topic', 'dashboard'] as const;
    const relations = ['serves', 'scores', 'captures', 'reads', 'writes', 'monitors', 'triggers', 'feeds', 'notifies', 'runs'] as const;
    const catalogs = fc.record({
      nodes: fc.uniqueArray(fc.record({ id: fc.string({ maxLength: 8 }).map((text) => `n${text}`), kind: fc.constantFrom(...kinds) }),
        { minLength: 2, maxLength: DAGRE_NODE_BUDGET, selector: (node) => node.id }),
      links: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), relation: fc.constantFrom(...relations) }), { maxLength: 40 }),
    });
    fc.assert(fc.property(catalogs, ({ nodes, links }) => {
      const catalog = new PlatformCatalog({ platform: 'p' });
      nodes.forEach((node) => catalog.addNode({ ...node, name: node.id }));
      const id = (index: number) => nodes[index % nodes.length].id;
      links.forEach((link) => catalog.addLink({ from: id(link.from), to: id(link.to), relation: link.relation }));
      const document = catalog.toJSON();
      expect(pointsOutside(dagreLayout(placeNodes(document), document.links))).toEqual([]);
    }), { numRuns: 25 });
  });
});
