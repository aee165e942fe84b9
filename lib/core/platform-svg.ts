import { graphlib, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { CatalogDocument, CatalogNode } from './platform-catalog';
import { labelLines, LANE_ORDER, placeNodes, SECONDARY_RELATIONS } from './platform-lanes';
import { KIND_COLORS } from './platform-mermaid';

/**
 * Text metrics without a browser: a 12 px sans-serif glyph averages under 0.6 em, so 7.2 px per character leaves
 * room in every viewer; bold text is about 8 % wider.
 */
const FONT_SIZE = 12;
const CHAR_WIDTH = 7.2;
const BOLD_FACTOR = 1.08;
const LINE_HEIGHT = 16;
const NODE_PADDING_X = 14;
const NODE_PADDING_Y = 9;
const NODE_MIN_WIDTH = 110;
const LANE_TITLE_HEIGHT = 22;
const HEADER_HEIGHT = 44;
const MARGIN = 16;
const FONT_FAMILY = 'Helvetica, Arial, DejaVu Sans, sans-serif';

interface Box { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

/**
 * The platform diagram as a standalone SVG 1.1 document. Nodes are laid out left to right by dagre (a synchronous,
 * pure-JavaScript Sugiyama layout, so it runs during synthesis without a browser or network), grouped in one
 * box per lane; links drawn against the lane order (e.g. a monitor back to its endpoint) do not pull the layout.
 */
export function renderSvg(document: CatalogDocument): string {
  const placed = placeNodes(document);
  const laneIndex = new Map(placed.map(({ node, lane }) => [node.id, LANE_ORDER.indexOf(lane)]));
  const graph = new graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ compound: true, multigraph: true });
  // dagre spaces a lane's border from the next lane's by edgesep: it leaves room for the lower lane's title.
  graph.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 90, edgesep: LANE_TITLE_HEIGHT + 18, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({}));

  const nodeIds = new Map(placed.map(({ node }, index) => [node.id, `n${index}`]));
  for (const lane of LANE_ORDER) {
    if (placed.some((entry) => entry.lane === lane)) {
      graph.setNode(`lane_${lane.id}`, { width: 0, height: 0 });
    }
  }
  for (const { node, lane } of placed) {
    const lines = labelLines(node);
    const width = Math.max(NODE_MIN_WIDTH, ...lines.map((line, index) => textWidth(line, index === 0)) ) + 2 * NODE_PADDING_X;
    graph.setNode(nodeIds.get(node.id)!, { width, height: lines.length * LINE_HEIGHT + 2 * NODE_PADDING_Y });
    graph.setParent(nodeIds.get(node.id)!, `lane_${lane.id}`);
  }
  document.links.forEach((link, index) => {
    const backward = laneIndex.get(link.from)! > laneIndex.get(link.to)!;
    const [from, to] = backward ? [link.to, link.from] : [link.from, link.to];
    // Each label is laid out as a node of its own, so no two overlap; links along the flow keep their nodes close
    // and straight, dashed ones (alerts, back-links) pull little.
    graph.setEdge(nodeIds.get(from)!, nodeIds.get(to)!, {
      width: textWidth(link.relation, false) + 8,
      height: LINE_HEIGHT,
      labelpos: 'c',
      weight: SECONDARY_RELATIONS.has(link.relation) ? 0 : 2,
    }, `e${index}`);
  });
  layout(graph);

  const out: string[] = [];
  const graphLabel = graph.graph();
  const width = Math.ceil(Math.max(graphLabel.width ?? 0, textWidth(title(document), true) + 2 * MARGIN));
  const height = Math.ceil((graphLabel.height ?? 0) + HEADER_HEIGHT + LANE_TITLE_HEIGHT);
  const shiftY = HEADER_HEIGHT + LANE_TITLE_HEIGHT;
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" `
    + `font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">`);
  out.push(`<title>${xml(title(document))}</title>`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
    + '<path d="M0,0 L10,5 L0,10 z" fill="#5f6368"/></marker></defs>');
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN}" y="${MARGIN + 14}" font-size="16" font-weight="bold" fill="#202124">${xml(document.platform)}</text>`);
  out.push(`<text x="${MARGIN}" y="${MARGIN + 32}" fill="#5f6368">${xml(subtitle(document))}</text>`);

  for (const lane of LANE_ORDER) {
    const id = `lane_${lane.id}`;
    if (!graph.hasNode(id)) {
      continue;
    }
    const box = boxOf(graph.node(id), shiftY);
    out.push(`<g class="lane" id="${id}">`
      + `<rect x="${n(box.x)}" y="${n(box.y - LANE_TITLE_HEIGHT)}" width="${n(box.width)}" height="${n(box.height + LANE_TITLE_HEIGHT)}" rx="8" `
      + 'fill="#f8f9fa" stroke="#dadce0"/>'
      + `<text x="${n(box.x + 10)}" y="${n(box.y - 7)}" font-weight="bold" fill="#3c4043">${xml(lane.title)}</text></g>`);
  }

  document.links.forEach((link, index) => {
    const backward = laneIndex.get(link.from)! > laneIndex.get(link.to)!;
    const [from, to] = backward ? [link.to, link.from] : [link.from, link.to];
    const edge = graph.edge(nodeIds.get(from)!, nodeIds.get(to)!, `e${index}`);
    const points = (edge.points ?? []).map((point) => ({ x: point.x, y: point.y + shiftY }));
    const secondary = SECONDARY_RELATIONS.has(link.relation);
    const style = secondary ? 'stroke="#9aa0a6" stroke-dasharray="5,4"' : 'stroke="#5f6368"';
    const marker = backward ? 'marker-start="url(#arrow)"' : 'marker-end="url(#arrow)"';
    const middle = edge.x !== undefined && edge.y !== undefined ? { x: edge.x, y: edge.y + shiftY } : midpoint(points);
    out.push(`<g class="link ${link.relation}"><path d="${smoothPath(points)}" fill="none" `
      + `${style} stroke-width="1.3" ${marker}/>`
      + `<text x="${n(middle.x)}" y="${n(middle.y + 4)}" text-anchor="middle" font-size="11" fill="${secondary ? '#80868b' : '#3c4043'}" `
      + `stroke="#ffffff" stroke-width="4" paint-order="stroke">${xml(link.relation)}</text></g>`);
  });

  for (const { node } of placed) {
    const box = boxOf(graph.node(nodeIds.get(node.id)!), shiftY);
    const { fill, stroke } = KIND_COLORS[node.kind];
    const lines = labelLines(node);
    const centerX = n(box.x + box.width / 2);
    const texts = lines.map((line, index) => `<text x="${centerX}" y="${n(box.y + NODE_PADDING_Y + (index + 1) * LINE_HEIGHT - 4)}" `
      + `text-anchor="middle"${index === 0 ? ' font-weight="bold" fill="#202124"' : ' fill="#3c4043"'}>${xml(line)}</text>`);
    out.push(`<g class="node ${node.kind}"><title>${xml(tooltip(node))}</title>`
      + `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="${node.kind === 'model' ? 14 : 4}" `
      + `fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>${texts.join('')}</g>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A node's tooltip: what the picture shortens, in full, and its owner and runbook. */
function tooltip(node: CatalogNode): string {
  return [
    `${node.kind} ${node.id}`,
    node.name,
    ...(node.version !== undefined ? [`version ${node.version}`] : []),
    ...(node.location !== undefined ? [node.location] : []),
    ...(node.owner !== undefined ? [`owner ${node.owner}`] : []),
    ...(node.runbook !== undefined ? [`runbook ${node.runbook}`] : []),
  ].join('\n');
}

function title(document: CatalogDocument): string {
  return `${document.platform}: ${subtitle(document)}`;
}

function subtitle(document: CatalogDocument): string {
  const parts = [
    document.owner ? `owner ${document.owner.team}${document.owner.email ? ` <${document.owner.email}>` : ''}` : 'no owner recorded',
    ...(document.residency ? [`residency ${document.residency}`] : []),
    `${document.nodes.length} nodes, ${document.links.length} links`,
  ];
  return parts.join(' · ');
}

function textWidth(text: string, bold: boolean): number {
  return [...text].length * CHAR_WIDTH * (bold ? BOLD_FACTOR : 1);
}

/** dagre gives centres; SVG draws from the top-left corner. */
function boxOf(label: { x?: number; y?: number; width: number; height: number }, shiftY: number): Box {
  return { x: (label.x ?? 0) - label.width / 2, y: (label.y ?? 0) - label.height / 2 + shiftY, width: label.width, height: label.height };
}

/**
 * A smooth path through dagre's bend points: a Catmull-Rom spline as cubic Béziers, which passes through every point
 * (the label points too), so a link bends gently instead of zig-zagging and its label sits on it.
 */
/** 6 is the classic Catmull-Rom; a larger divisor bends less and does not overshoot dagre's closely spaced points. */
const TENSION = 12;

function smoothPath(points: ReadonlyArray<{ x: number; y: number }>): string {
  const at = (index: number) => points[Math.max(0, Math.min(index, points.length - 1))];
  const parts = [`M${n(points[0].x)},${n(points[0].y)}`];
  for (let index = 0; index < points.length - 1; index++) {
    const [p0, p1, p2, p3] = [at(index - 1), at(index), at(index + 1), at(index + 2)];
    parts.push(`C${n(p1.x + (p2.x - p0.x) / TENSION)},${n(p1.y + (p2.y - p0.y) / TENSION)} ${n(p2.x - (p3.x - p1.x) / TENSION)},${n(p2.y - (p3.y - p1.y) / TENSION)} `
      + `${n(p2.x)},${n(p2.y)}`);
  }
  return parts.join(' ');
}

/** The point halfway along a polyline, where its label goes. */
function midpoint(points: ReadonlyArray<{ x: number; y: number }>): { x: number; y: number } {
  const lengths = points.slice(1).map((point, index) => Math.hypot(point.x - points[index].x, point.y - points[index].y));
  let remaining = lengths.reduce((sum, length) => sum + length, 0) / 2;
  for (let index = 0; index < lengths.length; index++) {
    if (remaining <= lengths[index] && lengths[index] > 0) {
      const t = remaining / lengths[index];
      return { x: points[index].x + t * (points[index + 1].x - points[index].x), y: points[index].y + t * (points[index + 1].y - points[index].y) };
    }
    remaining -= lengths[index];
  }
  return points[0] ?? { x: 0, y: 0 };
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * Text as XML character data: the five markup characters as entities, and the control characters XML 1.0 does not
 * allow (https://www.w3.org/TR/xml/#charsets) as spaces.
 */
export function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
