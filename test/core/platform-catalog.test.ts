import { Construct, RootConstruct } from 'constructs';
import { CATALOG_SCHEMA_VERSION, PlatformCatalog, type CatalogNode } from '../../lib/core';

function smallCatalog(): PlatformCatalog {
  const catalog = new PlatformCatalog({ platform: 'fraud-platform', owner: { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml/' }, residency: 'EU' });
  // Added out of order: the document sorts them.
  catalog.addNode({ id: 'Platform/Fraud/captured', kind: 'dataset', name: 'fraud captured requests', location: 's3://data/captured/fraud/' });
  catalog.addNode({ id: 'Platform/Fraud', kind: 'endpoint', name: 'Fraud', owner: 'risk-team', engine: 'aws', properties: { trafficShift: 'canary 10 %', gates: '5xx > 1 %' } });
  catalog.addNode({ id: 'model:fraud@1.4.0', kind: 'model', name: 'fraud', version: '1.4.0', location: 's3://models/fraud/1.4.0/model.tar.gz' });
  catalog.addLink({ from: 'Platform/Fraud', to: 'Platform/Fraud/captured', relation: 'captures' });
  catalog.addLink({ from: 'model:fraud@1.4.0', to: 'Platform/Fraud', relation: 'serves' });
  return catalog;
}

describe('PlatformCatalog.toJSON', () => {
  test('GIVEN a small platform WHEN written THEN nodes are sorted by kind then id, links by from/to, and nodes without an owner get the platform team', () => {
    expect(smallCatalog().toJSON()).toStrictEqual({
      schemaVersion: 1,
      platform: 'fraud-platform',
      owner: { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml/' },
      residency: 'EU',
      nodes: [
        { id: 'model:fraud@1.4.0', kind: 'model', name: 'fraud', version: '1.4.0', location: 's3://models/fraud/1.4.0/model.tar.gz', owner: 'fraud-ml' },
        { id: 'Platform/Fraud/captured', kind: 'dataset', name: 'fraud captured requests', location: 's3://data/captured/fraud/', owner: 'fraud-ml' },
        { id: 'Platform/Fraud', kind: 'endpoint', name: 'Fraud', owner: 'risk-team', engine: 'aws', properties: { gates: '5xx > 1 %', trafficShift: 'canary 10 %' } },
      ],
      links: [
        { from: 'Platform/Fraud', to: 'Platform/Fraud/captured', relation: 'captures' },
        { from: 'model:fraud@1.4.0', to: 'Platform/Fraud', relation: 'serves' },
      ],
    });
    expect(CATALOG_SCHEMA_VERSION).toBe(1);
  });

  test('GIVEN the same catalog built twice in different orders WHEN serialized THEN the bytes are equal', () => {
    const reversed = new PlatformCatalog({ platform: 'fraud-platform', owner: { team: 'fraud-ml', runbookBaseUrl: 'https://runbooks.example.com/ml/' }, residency: 'EU' });
    const document = smallCatalog().toJSON();
    [...document.nodes].reverse().forEach((node) => reversed.addNode({ ...node, owner: node.owner === 'fraud-ml' ? undefined : node.owner }));
    [...document.links].reverse().forEach((link) => reversed.addLink(link));
    expect(JSON.stringify(reversed.toJSON())).toBe(JSON.stringify(document));
  });

  test('GIVEN the same node added twice with equal fields WHEN written THEN it is listed once', () => {
    const catalog = smallCatalog();
    catalog.addNode({ id: 'model:fraud@1.4.0', kind: 'model', name: 'fraud', version: '1.4.0', location: 's3://models/fraud/1.4.0/model.tar.gz' });
    expect(catalog.toJSON().nodes.filter((node) => node.id === 'model:fraud@1.4.0')).toHaveLength(1);
  });

  test('GIVEN the same link added twice WHEN written THEN it is listed once', () => {
    const catalog = smallCatalog();
    catalog.addLink({ from: 'model:fraud@1.4.0', to: 'Platform/Fraud', relation: 'serves' });
    expect(catalog.toJSON().links).toHaveLength(2);
  });

  test('GIVEN a deploy-time value in a location WHEN written THEN the token is replaced by a marker and the rest kept', () => {
    const catalog = new PlatformCatalog({ platform: 'p' });
    catalog.addNode({ id: 'd', kind: 'dataset', name: 'captured', location: 's3://${Token[TOKEN.123]}/data-capture/fraud/', properties: { arn: '${Token[TOKEN.7]}' } });
    expect(catalog.toJSON().nodes[0]).toStrictEqual({
      id: 'd',
      kind: 'dataset',
      name: 'captured',
      location: 's3://<known after deployment>/data-capture/fraud/',
      properties: { arn: '<known after deployment>' },
    });
  });

  test('GIVEN no owner WHEN written THEN the document has no owner field and nodes keep theirs', () => {
    const catalog = new PlatformCatalog({ platform: 'p' });
    catalog.addNode({ id: 'e', kind: 'endpoint', name: 'e' });
    expect(catalog.toJSON()).toStrictEqual({ schemaVersion: 1, platform: 'p', nodes: [{ id: 'e', kind: 'endpoint', name: 'e' }], links: [] });
  });
});

describe('PlatformCatalog errors', () => {
  const root = new RootConstruct('');
  const platform = new Construct(new Construct(root, 'Stack'), 'Platform');

  function catalogUnder(): PlatformCatalog {
    return new PlatformCatalog({ platform: 'fraud-platform', errorScope: platform });
  }

  test('GIVEN a link to a node never added WHEN written THEN the error names the missing id and the link', () => {
    const catalog = catalogUnder();
    catalog.addNode({ id: 'model:fraud@1.4.0', kind: 'model', name: 'fraud' });
    catalog.addLink({ from: 'model:fraud@1.4.0', to: 'Stack/Platform/Fraud', relation: 'serves' });
    expect(() => catalog.toJSON()).toThrow(
      'Stack/Platform: invalid link.to "Stack/Platform/Fraud". Allowed: the id of a node of this catalog (model:fraud@1.4.0). '
      + 'Fix: add the node "Stack/Platform/Fraud" before writing the catalog, or drop the serves link "model:fraud@1.4.0" → "Stack/Platform/Fraud"');
  });

  test('GIVEN a link from a node never added WHEN the diagram is drawn THEN the same error is thrown', () => {
    const catalog = catalogUnder();
    catalog.addLink({ from: 'ghost', to: 'ghost-2', relation: 'feeds' });
    expect(() => catalog.toSvg()).toThrow('Stack/Platform: invalid link.from "ghost". Allowed: the id of a node of this catalog (none yet). '
      + 'Fix: add the node "ghost" before writing the catalog, or drop the feeds link "ghost" → "ghost-2"');
  });

  test('GIVEN one id added twice with different fields WHEN added THEN the error shows both', () => {
    const catalog = catalogUnder();
    catalog.addNode({ id: 'model:fraud', kind: 'model', name: 'fraud', version: '1.4.0' });
    expect(() => catalog.addNode({ id: 'model:fraud', kind: 'model', name: 'fraud', version: '1.5.0' })).toThrow(
      'Stack/Platform: invalid node "model:fraud" {"id":"model:fraud","kind":"model","name":"fraud","version":"1.5.0"}. '
      + 'Allowed: one node per id; already added as {"id":"model:fraud","kind":"model","name":"fraud","version":"1.4.0"}. '
      + 'Fix: give each node a unique id, or add the same node with the same fields');
  });

  test('GIVEN an unknown kind WHEN added THEN the error lists the kinds', () => {
    expect(() => catalogUnder().addNode({ id: 'x', kind: 'lake' as CatalogNode['kind'], name: 'x' })).toThrow(
      'Stack/Platform: invalid node "x" kind "lake". Allowed: one of model, image, feature-group, dataset, endpoint, fleet, pipeline, monitor, '
      + 'retraining, topic, dashboard. Fix: set node "x" kind to one of model, image, feature-group, dataset, endpoint, fleet, pipeline, monitor, '
      + 'retraining, topic, dashboard');
  });

  test('GIVEN an unknown relation WHEN linked THEN the error lists the relations', () => {
    expect(() => catalogUnder().addLink({ from: 'a', to: 'b', relation: 'owns' as 'serves' })).toThrow(
      'Stack/Platform: invalid link.relation "owns". Allowed: one of serves, scores, captures, reads, writes, monitors, triggers, feeds, notifies, runs. '
      + 'Fix: set link.relation to one of serves, scores, captures, reads, writes, monitors, triggers, feeds, notifies, runs');
  });

  test('GIVEN an empty name WHEN added THEN the error names the node', () => {
    expect(() => catalogUnder().addNode({ id: 'x', kind: 'model', name: ' ' })).toThrow(
      'Stack/Platform: invalid node "x" name " ". Allowed: a non-empty string. Fix: set node "x" name to a non-empty string');
  });

  test('GIVEN a deploy-time id WHEN added THEN it is refused: an id must be known at synthesis', () => {
    expect(() => catalogUnder().addNode({ id: '${Token[TOKEN.9]}', kind: 'model', name: 'x' })).toThrow(
      /^Stack\/Platform: invalid node\.id .*Allowed: a string known at synthesis \(it identifies the entry in the catalog and the diagram\)\. Fix: give node\.id as a literal string/);
  });

  test('GIVEN an unknown engine WHEN added THEN the error lists the engines', () => {
    expect(() => catalogUnder().addNode({ id: 'x', kind: 'endpoint', name: 'x', engine: 'gcp' as 'aws' })).toThrow(
      'Stack/Platform: invalid node "x" engine "gcp". Allowed: one of aws, kubernetes. Fix: set node "x" engine to one of aws, kubernetes');
  });

  test('GIVEN no error scope WHEN an error is thrown THEN it names the catalog by its platform', () => {
    expect(() => new PlatformCatalog({ platform: 'p' }).addNode({ id: '', kind: 'model', name: 'x' })).toThrow(
      'PlatformCatalog(p): invalid node.id "". Allowed: a non-empty string. Fix: set node.id to a non-empty string');
  });
});
