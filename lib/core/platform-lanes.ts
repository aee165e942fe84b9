import { DEPLOY_TIME_VALUE, type CatalogDocument, type CatalogNode, type CatalogRelation } from './platform-catalog';

/** A column of the platform diagram. */
export interface DiagramLane {
  /** A Mermaid- and XML-safe identifier. */
  readonly id: string;
  /** What a person reads above the column. */
  readonly title: string;
}

/**
 * The diagram's lanes, left to right: the serving path (models → endpoints → captured data → monitors →
 * retraining) and the batch path (inputs → pipelines → published results) side by side, then the owner's
 * alerts and dashboards.
 */
export const DIAGRAM_LANES = {
  models: { id: 'models', title: 'Models' },
  inputs: { id: 'inputs', title: 'Inputs and features' },
  serving: { id: 'serving', title: 'Endpoints and fleets' },
  pipelines: { id: 'pipelines', title: 'Pipelines' },
  captured: { id: 'captured', title: 'Captured data' },
  results: { id: 'results', title: 'Published results' },
  monitors: { id: 'monitors', title: 'Monitors' },
  retraining: { id: 'retraining', title: 'Retraining' },
  operations: { id: 'operations', title: 'Alerts and dashboards' },
} as const satisfies Record<string, DiagramLane>;

/** The lanes in drawing order. */
export const LANE_ORDER: readonly DiagramLane[] = Object.values(DIAGRAM_LANES);

/** Links drawn dashed: they point back against the flow, or to the owner's alerts. */
export const SECONDARY_RELATIONS: ReadonlySet<CatalogRelation> = new Set<CatalogRelation>(['monitors', 'notifies']);

/** A node with the lane it is drawn in. */
export interface PlacedNode {
  readonly node: CatalogNode;
  readonly lane: DiagramLane;
}

/**
 * The lane of every node. A dataset's lane follows its links: one an endpoint `captures` is captured data, one
 * something `writes` is a published result, any other is an input.
 */
export function placeNodes(document: CatalogDocument): PlacedNode[] {
  const captured = new Set(document.links.filter((link) => link.relation === 'captures').map((link) => link.to));
  const written = new Set(document.links.filter((link) => link.relation === 'writes').map((link) => link.to));
  const laneOf = (node: CatalogNode): DiagramLane => {
    switch (node.kind) {
      case 'model':
      case 'image':
        return DIAGRAM_LANES.models;
      case 'feature-group':
        return DIAGRAM_LANES.inputs;
      case 'dataset':
        return captured.has(node.id) ? DIAGRAM_LANES.captured : written.has(node.id) ? DIAGRAM_LANES.results : DIAGRAM_LANES.inputs;
      case 'endpoint':
      case 'fleet':
        return DIAGRAM_LANES.serving;
      case 'pipeline':
        return DIAGRAM_LANES.pipelines;
      case 'monitor':
        return DIAGRAM_LANES.monitors;
      case 'retraining':
        return DIAGRAM_LANES.retraining;
      case 'topic':
      case 'dashboard':
        return DIAGRAM_LANES.operations;
    }
  };
  return document.nodes.map((node) => ({ node, lane: laneOf(node) }));
}

/**
 * Text metrics without a browser: a 12 px sans-serif glyph averages under 0.6 em, so 7.2 px per character leaves
 * room in every viewer; bold text is about 8 % wider.
 */
export const DIAGRAM_FONT = { size: 12, charWidth: 7.2, boldFactor: 1.08, lineHeight: 16 } as const;
const NODE_PADDING_X = 14;
const NODE_PADDING_Y = 9;
const NODE_MIN_WIDTH = 110;
/** The strip above a lane's box that holds its title. */
export const LANE_TITLE_HEIGHT = 22;

/** The width of a text in the diagram's font. */
export function textWidth(text: string, bold: boolean): number {
  return [...text].length * DIAGRAM_FONT.charWidth * (bold ? DIAGRAM_FONT.boldFactor : 1);
}

/** The size of a node's box: its label lines and padding. */
export function nodeSize(node: CatalogNode): { width: number; height: number } {
  const lines = labelLines(node);
  return {
    width: Math.max(NODE_MIN_WIDTH, ...lines.map((line, index) => textWidth(line, index === 0))) + 2 * NODE_PADDING_X,
    height: lines.length * DIAGRAM_FONT.lineHeight + 2 * NODE_PADDING_Y,
  };
}

/** Inner padding of a node's box, where its first line starts. */
export const NODE_PADDING = { x: NODE_PADDING_X, y: NODE_PADDING_Y } as const;

/** The longest line a diagram draws; the catalog JSON keeps the full value. */
export const LABEL_MAX_CHARS = 56;

/**
 * The lines of a node's label in a diagram: its name, then its version, then where it lives. A digest is cut to its
 * first 12 hex digits (as `docker images` shows it), a value known only after deployment is written `…`, and a line
 * longer than `LABEL_MAX_CHARS` loses its middle: the diagram is for reading, the catalog holds every character.
 */
export function labelLines(node: CatalogNode): string[] {
  const version = node.version === undefined ? undefined : shortDigests(/^\d/.test(node.version) ? `v${node.version}` : node.version);
  const location = node.location === undefined || node.location === DEPLOY_TIME_VALUE ? undefined : shortDigests(node.location);
  return [node.name.replace(/\s+/g, ' ').trim(), version, location]
    .filter((line): line is string => line !== undefined)
    .map((line) => shorten(line.split(DEPLOY_TIME_VALUE).join('…')));
}

function shortDigests(text: string): string {
  return text.replace(/(sha256:[0-9a-f]{12})[0-9a-f]{52}/g, '$1');
}

function shorten(line: string): string {
  const characters = [...line];
  if (characters.length <= LABEL_MAX_CHARS) {
    return line;
  }
  const keep = LABEL_MAX_CHARS - 1;
  const head = Math.ceil(keep / 2);
  return `${characters.slice(0, head).join('')}…${characters.slice(characters.length - (keep - head)).join('')}`;
}
