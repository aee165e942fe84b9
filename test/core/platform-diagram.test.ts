import * as fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { examplePlatformCatalog } from './platform-catalog.fixture';
import { PlatformCatalog } from '../../lib/core';
import { DAGRE_NODE_BUDGET, dagreLayout, gridLayout, layoutDiagram } from '../../lib/core/platform-diagram-layout';
import { DIAGRAM_LANES, labelLines, placeNodes } from '../../lib/core/platform-lanes';
import { escapeMermaidLabel, mermaidIds } from '../../lib/core/platform-mermaid';

function servingCatalog(): PlatformCatalog {
  const catalog = new PlatformCatalog({ platform: 'fraud-platform', owner: { team: 'fraud-ml' } });
  catalog.addNode({ id: 'Platform/Fraud/captured', kind: 'dataset', name: 'fraud captured requests', location: 's3://data/captured/fraud/' });
  catalog.addNode({ id: 'Platform/Fraud', kind: 'endpoint', name: 'Fraud', engine: 'aws' });
  catalog.addNode({ id: 'model:fraud@1.4.0', kind: 'model', name: 'fraud', version: '1.4.0' });
  catalog.addNode({ id: 'Platform/Drift', kind: 'monitor', name: 'drift' });
  catalog.addLink({ from: 'Platform/Fraud', to: 'Platform/Fraud/captured', relation: 'captures' });
  catalog.addLink({ from: 'model:fraud@1.4.0', to: 'Platform/Fraud', relation: 'serves' });
  catalog.addLink({ from: 'Platform/Fraud/captured', to: 'Platform/Drift', relation: 'reads' });
  catalog.addLink({ from: 'Platform/Drift', to: 'Platform/Fraud', relation: 'monitors' });
  return catalog;
}

describe('toMermaid', () => {
  test('GIVEN a small serving path WHEN drawn THEN one subgraph per lane in flow order, links in lane order, a class per kind', () => {
    expect(servingCatalog().toMermaid()).toBe([
      '```mermaid',
      '---',
      'title: "fraud-platform (owner fraud-ml)"',
      '---',
      'flowchart LR',
      '  subgraph lane_models["Models"]',
      '    model_fraud_1_4_0(["fraud<br/>v1.4.0"])',
      '  end',
      '  subgraph lane_serving["Endpoints and fleets"]',
      '    endpoint_Platform_Fraud["Fraud"]',
      '  end',
      '  subgraph lane_captured["Captured data"]',
      '    dataset_Platform_Fraud_captured[("fraud captured requests<br/>s3://data/captured/fraud/")]',
      '  end',
      '  subgraph lane_monitors["Monitors"]',
      '    monitor_Platform_Drift{{"drift"}}',
      '  end',
      '  model_fraud_1_4_0 -->|serves| endpoint_Platform_Fraud',
      '  endpoint_Platform_Fraud -->|captures| dataset_Platform_Fraud_captured',
      '  dataset_Platform_Fraud_captured -->|reads| monitor_Platform_Drift',
      '  monitor_Platform_Drift -.->|monitors| endpoint_Platform_Fraud',
      '  classDef kind_model fill:#e8f0fe,stroke:#1a73e8',
      '  class model_fraud_1_4_0 kind_model',
      '  classDef kind_dataset fill:#f1f3f4,stroke:#5f6368',
      '  class dataset_Platform_Fraud_captured kind_dataset',
      '  classDef kind_endpoint fill:#e6f4ea,stroke:#188038',
      '  class endpoint_Platform_Fraud kind_endpoint',
      '  classDef kind_monitor fill:#fce8e6,stroke:#c5221f',
      '  class monitor_Platform_Drift kind_monitor',
      '```',
      '',
    ].join('\n'));
  });

  test('GIVEN quotes, brackets, a hash, markup and a newline in a name WHEN escaped THEN each is a Mermaid entity code', () => {
    expect(escapeMermaidLabel('Fraud "v2" [beta] {x} #1 <b>&</b> `a`|b\nnext')).toBe(
      'Fraud #34;v2#34; #91;beta#93; #123;x#125; #35;1 #60;b#62;#38;#60;/b#62; #96;a#96;#124;b next');
  });

  test('GIVEN a node whose name needs escaping WHEN drawn THEN its label is escaped inside the quotes', () => {
    const catalog = new PlatformCatalog({ platform: 'p' });
    catalog.addNode({ id: 'Platform/My Model (v2)', kind: 'model', name: 'my "model" [v2]' });
    expect(catalog.toMermaid()).toContain('    model_Platform_My_Model__v2_(["my #34;model#34; #91;v2#93;"])\n');
  });

  test('GIVEN ids with spaces, slashes, a trailing keyword and a collision WHEN given Mermaid ids THEN they are safe and unique', () => {
    const catalog = new PlatformCatalog({ platform: 'p' });
    catalog.addNode({ id: 'a b', kind: 'dataset', name: 'x' });
    catalog.addNode({ id: 'a_b', kind: 'dataset', name: 'y' });
    catalog.addNode({ id: 'Stack/Fraud/end', kind: 'endpoint', name: 'z' });
    catalog.addNode({ id: 'x/LR', kind: 'monitor', name: 'w' });
    expect(Object.fromEntries(mermaidIds(catalog.toJSON()))).toStrictEqual({
      'a b': 'dataset_a_b',
      'a_b': 'dataset_a_b_2',
      'Stack/Fraud/end': 'endpoint_Stack_Fraud_end_node',
      'x/LR': 'monitor_x_LR_node',
    });
  });
});

describe('diagram lanes and labels', () => {
  test('GIVEN datasets WHEN placed THEN the captured one is captured data, the written one a published result, the read one an input', () => {
    const lanes = Object.fromEntries(placeNodes(examplePlatformCatalog().toJSON()).map(({ node, lane }) => [node.id, lane.id]));
    expect(lanes).toStrictEqual({
      'model:fraud@1.4.0': DIAGRAM_LANES.models.id,
      'image:xgboost-serving': DIAGRAM_LANES.models.id,
      'Platform/Features': DIAGRAM_LANES.inputs.id,
      'Platform/FraudNightly/input': DIAGRAM_LANES.inputs.id,
      'Platform/Fraud/captured': DIAGRAM_LANES.captured.id,
      'Platform/FraudNightly/output': DIAGRAM_LANES.results.id,
      'Platform/Fraud': DIAGRAM_LANES.serving.id,
      'Platform/Edge': DIAGRAM_LANES.serving.id,
      'Platform/FraudNightly': DIAGRAM_LANES.pipelines.id,
      'Platform/FraudDrift': DIAGRAM_LANES.monitors.id,
      'Platform/FraudDrift/retrain': DIAGRAM_LANES.retraining.id,
      'Platform/Topic': DIAGRAM_LANES.operations.id,
      'Platform/Dashboard': DIAGRAM_LANES.operations.id,
    });
  });

  test('GIVEN a digest, a deploy-time location and a long location WHEN labelled THEN the digest is cut to 12 digits and the middle of the long line to an ellipsis', () => {
    const digest = `sha256:${'3b5f1c2a9d8e'}${'7'.repeat(52)}`;
    expect(labelLines({ id: 'i', kind: 'image', name: 'ml/fraud-server', version: digest, location: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml/fraud-server@${digest}` }))
      .toStrictEqual(['ml/fraud-server', 'sha256:3b5f1c2a9d8e', '123456789012.dkr.ecr.eu-west…-server@sha256:3b5f1c2a9d8e']);
    expect(labelLines({ id: 't', kind: 'topic', name: 'alerts', location: '<known after deployment>' })).toStrictEqual(['alerts']);
    expect(labelLines({ id: 'd', kind: 'dataset', name: 'captured', location: 's3://<known after deployment>/data-capture/fraud/' }))
      .toStrictEqual(['captured', 's3://…/data-capture/fraud/']);
  });
});

/** Every element of a parsed SVG with its attributes, depth first. */
function elements(node: unknown, name = 'svg', out: Array<{ name: string; attributes: Record<string, string>; text: string[] }> = []) {
  if (Array.isArray(node)) {
    node.forEach((child) => elements(child, name, out));
    return out;
  }
  if (node === null || typeof node !== 'object') {
    return out;
  }
  const record = node as Record<string, unknown>;
  const attributes = Object.fromEntries(Object.entries(record).filter(([key]) => key.startsWith('@_')).map(([key, value]) => [key.slice(2), String(value)]));
  const text = record['#text'] === undefined ? [] : [String(record['#text'])];
  out.push({ name, attributes, text });
  for (const [key, value] of Object.entries(record)) {
    if (!key.startsWith('@_') && key !== '#text') {
      (Array.isArray(value) ? value : [value]).forEach((child) => {
        if (child !== null && typeof child === 'object') {
          elements(child, key, out);
        } else if (key !== '?xml') {
          out.push({ name: key, attributes: {}, text: [String(child)] });
        }
      });
    }
  }
  return out;
}

function parseSvg(svg: string) {
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: true, htmlEntities: false }).parse(svg).svg;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Rect { x: number; y: number; width: number; height: number }

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function rectOf(attributes: Record<string, string>): Rect {
  return { x: Number(attributes.x), y: Number(attributes.y), width: Number(attributes.width), height: Number(attributes.height) };
}

describe('toSvg', () => {
  const catalog = examplePlatformCatalog();
  const svg = catalog.toSvg();
  const document = catalog.toJSON();

  test('GIVEN the example platform WHEN drawn THEN the SVG is well-formed XML', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" version="1.1"')).toBe(true);
  });

  test('GIVEN the example platform WHEN drawn THEN every node shows each line of its label and its full name and location in a tooltip', () => {
    const all = elements(parseSvg(svg));
    const texts = all.filter((element) => element.name === 'text').flatMap((element) => element.text);
    const titles = all.filter((element) => element.name === 'title').flatMap((element) => element.text);
    for (const node of document.nodes) {
      for (const line of labelLines(node)) {
        expect(texts).toContain(line);
      }
      expect(titles).toContainEqual(expect.stringMatching(new RegExp(`^${escapeRegExp(`${node.kind} ${node.id}\n${node.name}\n`)}`)));
      if (node.location !== undefined) {
        expect(titles.find((title) => title.startsWith(`${node.kind} ${node.id}\n`))).toContain(`\n${node.location}`);
      }
    }
  });

  test('GIVEN the example platform WHEN drawn THEN one link group per link, labelled with its relation', () => {
    const groups = elements(parseSvg(svg)).filter((element) => element.name === 'g' && (element.attributes.class ?? '').startsWith('link '));
    expect(groups.map((group) => group.attributes.class).sort()).toStrictEqual(document.links.map((link) => `link ${link.relation}`).sort());
  });

  test('GIVEN the example platform WHEN drawn THEN no two node boxes overlap and no two lane boxes overlap', () => {
    const all = elements(parseSvg(svg));
    const nodeBoxes = all.filter((element) => element.name === 'rect' && element.attributes['stroke-width'] === '1.5').map((element) => rectOf(element.attributes));
    const laneBoxes = all.filter((element) => element.name === 'rect' && element.attributes.fill === '#f8f9fa').map((element) => rectOf(element.attributes));
    expect(nodeBoxes).toHaveLength(document.nodes.length);
    expect(laneBoxes).toHaveLength(9);
    for (const boxes of [nodeBoxes, laneBoxes]) {
      boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
    }
  });

  test('GIVEN the same catalog WHEN drawn twice THEN the SVG is byte-identical', () => {
    expect(examplePlatformCatalog().toSvg()).toBe(svg);
  });

  test('GIVEN markup, quotes and control characters in names WHEN drawn THEN the SVG stays well-formed and shows the name', () => {
    const tricky = new PlatformCatalog({ platform: 'p & <q>' });
    tricky.addNode({ id: 'm', kind: 'model', name: 'a <b> & "c" \'d\'\u0007' });
    tricky.addNode({ id: 'e', kind: 'endpoint', name: ']]> e' });
    tricky.addLink({ from: 'm', to: 'e', relation: 'serves' });
    const out = tricky.toSvg();
    expect(XMLValidator.validate(out)).toBe(true);
    const texts = elements(parseSvg(out)).filter((element) => element.name === 'text').flatMap((element) => element.text);
    // The parser decodes the entities: the names come back as given (the bell character, not allowed in XML, as a space).
    expect(texts).toEqual(expect.arrayContaining(['p & <q>', 'a <b> & "c" \'d\'', ']]> e']));
    expect(out).toContain('>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; </text>');
  });

  test('GIVEN an empty catalog WHEN drawn THEN the SVG is well-formed and says it has no nodes', () => {
    const out = new PlatformCatalog({ platform: 'empty' }).toSvg();
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).toContain('no owner recorded · 0 nodes, 0 links');
  });
});

/** A platform of `endpoints` endpoints sharing one model, image and owner topic, each with its captured data. */
function fleetCatalog(endpoints: number): PlatformCatalog {
  const catalog = new PlatformCatalog({ platform: 'fleet', owner: { team: 'ml' } });
  catalog.addNode({ id: 'model:fraud@1', kind: 'model', name: 'fraud', version: '1' });
  catalog.addNode({ id: 'image:server', kind: 'image', name: 'server' });
  catalog.addNode({ id: 'Fleet/Owner', kind: 'topic', name: 'owner alerts' });
  for (let index = 0; index < endpoints; index++) {
    catalog.addNode({ id: `Fleet/E${index}`, kind: 'endpoint', name: `endpoint-${index}` });
    catalog.addNode({ id: `Fleet/E${index}/captured`, kind: 'dataset', name: `endpoint-${index} captured`, location: `s3://data/captured/e${index}/` });
    catalog.addLink({ from: 'model:fraud@1', to: `Fleet/E${index}`, relation: 'serves' });
    catalog.addLink({ from: 'image:server', to: `Fleet/E${index}`, relation: 'runs' });
    catalog.addLink({ from: `Fleet/E${index}`, to: `Fleet/E${index}/captured`, relation: 'captures' });
    catalog.addLink({ from: `Fleet/E${index}`, to: 'Fleet/Owner', relation: 'notifies' });
  }
  return catalog;
}

describe('diagram layout choice', () => {
  test('GIVEN a platform of at most 24 nodes WHEN laid out THEN dagre lays it out; above 24 the lane grid does', () => {
    const small = placeNodes(fleetCatalog(10).toJSON());
    const large = placeNodes(fleetCatalog(11).toJSON());
    expect([DAGRE_NODE_BUDGET, small.length, large.length]).toStrictEqual([24, 23, 25]);
    expect(layoutDiagram(small, fleetCatalog(10).toJSON().links)).toStrictEqual(dagreLayout(small, fleetCatalog(10).toJSON().links));
    expect(layoutDiagram(large, fleetCatalog(11).toJSON().links)).toStrictEqual(gridLayout(large, fleetCatalog(11).toJSON().links));
  });

  test('GIVEN 60 endpoints in one platform WHEN drawn on the grid THEN the SVG is well-formed, shows every name and no boxes overlap', () => {
    const catalog = fleetCatalog(60);
    const out = catalog.toSvg();
    expect(XMLValidator.validate(out)).toBe(true);
    const all = elements(parseSvg(out));
    const texts = all.filter((element) => element.name === 'text').flatMap((element) => element.text);
    catalog.toJSON().nodes.forEach((node) => expect(texts).toContain(node.name));
    const nodeBoxes = all.filter((element) => element.name === 'rect' && element.attributes['stroke-width'] === '1.5').map((element) => rectOf(element.attributes));
    const laneBoxes = all.filter((element) => element.name === 'rect' && element.attributes.fill === '#f8f9fa').map((element) => rectOf(element.attributes));
    expect([nodeBoxes.length, laneBoxes.length]).toStrictEqual([123, 4]);
    for (const boxes of [nodeBoxes, laneBoxes]) {
      boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
    }
  });

  test('GIVEN 60 endpoints WHEN drawn on the grid THEN each endpoint sits level with its captured data and endpoints run in numeric order', () => {
    const placed = placeNodes(fleetCatalog(60).toJSON());
    const grid = gridLayout(placed, fleetCatalog(60).toJSON().links);
    const centre = (id: string) => grid.nodes.get(id)!.y + grid.nodes.get(id)!.height / 2;
    expect(centre('Fleet/E7/captured')).toBeGreaterThanOrEqual(centre('Fleet/E7'));
    const endpointOrder = [...grid.nodes.entries()].filter(([id]) => /^Fleet\/E\d+$/.test(id)).sort((a, b) => a[1].y - b[1].y).map(([id]) => id);
    expect(endpointOrder.slice(0, 3)).toStrictEqual(['Fleet/E0', 'Fleet/E1', 'Fleet/E2']);
    expect(centre('Fleet/E0/captured')).toBe(centre('Fleet/E0'));
  });

  test('GIVEN a fan of one relation from one node WHEN drawn THEN the relation is written once on the fan', () => {
    const out = fleetCatalog(5).toSvg();
    const labels = elements(parseSvg(out)).filter((element) => element.name === 'text').flatMap((element) => element.text);
    expect(['serves', 'runs', 'notifies', 'captures'].map((relation) => labels.filter((text) => text === relation).length)).toStrictEqual([1, 1, 1, 5]);
  });
});

describe('links within one lane', () => {
  test('GIVEN a pipeline triggering another and a self-link WHEN laid out by dagre THEN they loop out to the right instead of failing', () => {
    const catalog = new PlatformCatalog({ platform: 'p' });
    catalog.addNode({ id: 'Training', kind: 'pipeline', name: 'training' });
    catalog.addNode({ id: 'Scoring', kind: 'pipeline', name: 'scoring' });
    catalog.addLink({ from: 'Training', to: 'Scoring', relation: 'triggers' });
    catalog.addLink({ from: 'Scoring', to: 'Scoring', relation: 'feeds' });
    const document = catalog.toJSON();
    const layout = dagreLayout(placeNodes(document), document.links);
    const training = layout.nodes.get('Training')!;
    const scoring = layout.nodes.get('Scoring')!;
    const triggers = layout.links.find(({ link }) => link.relation === 'triggers')!;
    expect(triggers.path.startsWith(`M${training.x + training.width},${training.y + training.height / 2} C`)).toBe(true);
    expect(triggers.path.endsWith(` ${scoring.x + scoring.width},${scoring.y + scoring.height / 2}`)).toBe(true);
    expect(XMLValidator.validate(catalog.toSvg())).toBe(true);
  });
});

describe('diagram of any catalog', () => {
  const kinds = ['model', 'image', 'feature-group', 'dataset', 'endpoint', 'fleet', 'pipeline', 'monitor', 'retraining', 'topic', 'dashboard'] as const;
  const relations = ['serves', 'scores', 'captures', 'reads', 'writes', 'monitors', 'triggers', 'feeds', 'notifies', 'runs'] as const;
  // Ids and names start with a letter so that none is blank; the rest is any printable text.
  const catalogs = (minNodes: number, maxNodes: number) => fc.record({
    nodes: fc.uniqueArray(fc.record({
      id: fc.string({ maxLength: 12 }).map((text) => `n${text}`),
      kind: fc.constantFrom(...kinds),
      name: fc.string({ maxLength: 70 }).map((text) => `N${text}`),
    }), { minLength: minNodes, maxLength: maxNodes, selector: (node) => node.id }),
    links: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), relation: fc.constantFrom(...relations) }), { maxLength: maxNodes * 2 }),
  });

  type Input = {
    nodes: Array<{ id: string; kind: (typeof kinds)[number]; name: string }>;
    links: Array<{ from: number; to: number; relation: (typeof relations)[number] }>;
  };

  function build({ nodes, links }: Input) {
    const catalog = new PlatformCatalog({ platform: 'p' });
    nodes.forEach((node) => catalog.addNode(node));
    links.forEach((link) => catalog.addLink({
      from: nodes[link.from % nodes.length].id, to: nodes[link.to % nodes.length].id, relation: link.relation,
    }));
    return catalog;
  }

  test('GIVEN any small catalog, self-links and parallel links included WHEN drawn by dagre THEN the SVG is well-formed XML and the Mermaid is written', () => {
    fc.assert(fc.property(catalogs(1, DAGRE_NODE_BUDGET), (input) => {
      const catalog = build(input);
      const document = catalog.toJSON();
      // dagre itself, not the grid it falls back to.
      expect(() => dagreLayout(placeNodes(document), document.links)).not.toThrow();
      expect(XMLValidator.validate(catalog.toSvg())).toBe(true);
      expect(catalog.toMermaid().startsWith('```mermaid\n')).toBe(true);
    }), { numRuns: 25 });
  });

  test('GIVEN any large catalog WHEN drawn on the lane grid THEN the SVG is well-formed XML', () => {
    fc.assert(fc.property(catalogs(DAGRE_NODE_BUDGET + 1, 80), (input) => {
      expect(XMLValidator.validate(build(input).toSvg())).toBe(true);
    }), { numRuns: 15 });
  });
});
