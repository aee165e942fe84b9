import { graphlib, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { CatalogLink } from './platform-catalog';
import { DIAGRAM_LANES, LANE_ORDER, LANE_TITLE_HEIGHT, nodeSize, SECONDARY_RELATIONS, textWidth, type DiagramLane, type PlacedNode } from './platform-lanes';

/** A point of the drawing. */
export interface Point { readonly x: number; readonly y: number }
/** A rectangle of the drawing, from its top-left corner. */
export interface Box { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

/** Where everything of a diagram goes; coordinates start at the drawing's top-left corner. */
export interface DiagramLayout {
  readonly width: number;
  readonly height: number;
  /** Each non-empty lane's box, its title strip included. */
  readonly lanes: ReadonlyArray<{ readonly lane: DiagramLane; readonly box: Box }>;
  /** Each node's box, by node id. */
  readonly nodes: ReadonlyMap<string, Box>;
  /** Each link's SVG path (drawn from `from` to `to`, so the arrow marks the end) and where its label goes. */
  readonly links: ReadonlyArray<{ readonly link: CatalogLink; readonly path: string; readonly label: Point }>;
}

/**
 * The most nodes dagre lays out. Its layout of a compound graph grows faster than linearly, measured on the 2-core
 * build machine under load: 0.15-0.3 s for the 13-node example, 0.35 s for 23 nodes, 0.46 s for 39, 0.6 s for 50
 * endpoints in one platform, which would dominate synthesis; the lane grid draws 123 nodes in 4 ms. Up to 24 nodes
 * (about ten endpoints with their data) a person reads the picture as a graph, and dagre's layout is worth its time.
 */
export const DAGRE_NODE_BUDGET = 24;

const MARGIN = 16;

/** The layout of a diagram: dagre's up to `DAGRE_NODE_BUDGET` nodes, the lane grid above. */
export function layoutDiagram(placed: readonly PlacedNode[], links: readonly CatalogLink[]): DiagramLayout {
  if (placed.length > DAGRE_NODE_BUDGET) {
    return gridLayout(placed, links);
  }
  try {
    return dagreLayout(placed, links);
  } catch {
    // dagre refuses some compound graphs ("Not possible to find intersection inside of the rectangle"); the diagram
    // is a picture of the platform and must never fail its synthesis, so the grid draws it instead.
    return gridLayout(placed, links);
  }
}

/**
 * dagre (a synchronous, pure-JavaScript Sugiyama layout: it runs during synthesis without a browser or network)
 * lays the nodes out left to right, one cluster per lane; a link drawn against the lane order (a monitor back to
 * its endpoint) is laid out reversed so that it does not pull its lane backwards, and each label is laid out as a
 * node of its own so that no two overlap.
 */
export function dagreLayout(placed: readonly PlacedNode[], links: readonly CatalogLink[]): DiagramLayout {
  const laneIndex = new Map(placed.map(({ node, lane }) => [node.id, LANE_ORDER.indexOf(lane)]));
  const graph = new graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ compound: true, multigraph: true });
  // dagre spaces a lane's border from the next lane's by edgesep: it leaves room for the lower lane's title.
  graph.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 90, edgesep: LANE_TITLE_HEIGHT + 18, marginx: MARGIN, marginy: MARGIN + LANE_TITLE_HEIGHT });
  graph.setDefaultEdgeLabel(() => ({}));
  const nodeIds = new Map(placed.map(({ node }, index) => [node.id, `n${index}`]));
  const usedLanes = LANE_ORDER.filter((lane) => placed.some((entry) => entry.lane === lane));
  usedLanes.forEach((lane) => graph.setNode(`lane_${lane.id}`, { width: 0, height: 0 }));
  for (const { node, lane } of placed) {
    graph.setNode(nodeIds.get(node.id)!, nodeSize(node));
    graph.setParent(nodeIds.get(node.id)!, `lane_${lane.id}`);
  }
  const reversed = links.map((link) => laneIndex.get(link.from)! > laneIndex.get(link.to)!);
  // A link within one lane (a pipeline triggering another, a self-link) makes a flat edge inside a cluster, which
  // dagre cannot route: it is drawn after the layout, looping out to the right.
  const laneOf = new Map(placed.map(({ node, lane }) => [node.id, lane]));
  const inLane = links.map((link) => laneOf.get(link.from) === laneOf.get(link.to));
  links.forEach((link, index) => {
    if (inLane[index]) {
      return;
    }
    const [from, to] = reversed[index] ? [link.to, link.from] : [link.from, link.to];
    // Links along the flow keep their nodes close and straight; dashed ones (alerts, back-links) pull little.
    graph.setEdge(nodeIds.get(from)!, nodeIds.get(to)!, {
      width: textWidth(link.relation, false) + 8,
      height: 16,
      labelpos: 'c',
      weight: SECONDARY_RELATIONS.has(link.relation) ? 0 : 2,
    }, `e${index}`);
  });
  layout(graph);

  const boxOf = (label: NodeLabel): Box => ({
    x: label.x! - label.width / 2, y: label.y! - label.height / 2, width: label.width, height: label.height,
  });
  const laid = graph.graph();
  return fitDrawing({
    width: laid.width ?? 0,
    height: laid.height ?? 0,
    lanes: usedLanes.map((lane) => {
      const box = boxOf(graph.node(`lane_${lane.id}`));
      return { lane, box: { ...box, y: box.y - LANE_TITLE_HEIGHT, height: box.height + LANE_TITLE_HEIGHT } };
    }),
    nodes: new Map(placed.map(({ node }) => [node.id, boxOf(graph.node(nodeIds.get(node.id)!))])),
    links: links.map((link, index) => {
      if (inLane[index]) {
        return { link, ...loopRight(boxOf(graph.node(nodeIds.get(link.from)!)), boxOf(graph.node(nodeIds.get(link.to)!))) };
      }
      const [from, to] = reversed[index] ? [link.to, link.from] : [link.from, link.to];
      const edge = graph.edge(nodeIds.get(from)!, nodeIds.get(to)!, `e${index}`);
      const points = reversed[index] ? [...(edge.points ?? [])].reverse() : [...(edge.points ?? [])];
      return { link, path: catmullRom(points), label: { x: edge.x ?? points[0].x, y: edge.y ?? points[0].y } };
    }),
  });
}

/**
 * The drawing grown to hold every link: dagre routes some edges of a compound graph outside the box it reports (a
 * back-link around a lane), curves bulge past their bend points and loops go right of their lane. Everything moves
 * right and down by what lies left of or above the margin, and the drawing grows to what lies right of or below it.
 * A cubic Bézier stays within its control points, so the path's coordinates bound it.
 */
function fitDrawing(drawing: DiagramLayout): DiagramLayout {
  const pairs = /(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/g;
  const points = [
    ...drawing.links.flatMap(({ path, label }) => [label, ...[...path.matchAll(pairs)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }))]),
    ...[...drawing.nodes.values(), ...drawing.lanes.map(({ box }) => box)].flatMap((box) => [box, { x: box.x + box.width, y: box.y + box.height }]),
  ];
  const dx = Math.max(0, MARGIN - Math.min(MARGIN, ...points.map((point) => point.x)));
  const dy = Math.max(0, MARGIN - Math.min(MARGIN, ...points.map((point) => point.y)));
  const move = <T extends Point>(item: T): T => ({ ...item, x: item.x + dx, y: item.y + dy });
  return {
    width: Math.max(drawing.width, ...points.map((point) => point.x + MARGIN)) + dx,
    height: Math.max(drawing.height, ...points.map((point) => point.y + MARGIN)) + dy,
    lanes: drawing.lanes.map(({ lane, box }) => ({ lane, box: move(box) })),
    nodes: new Map([...drawing.nodes].map(([id, box]) => [id, move(box)])),
    links: drawing.links.map(({ link, path, label }) => ({
      link,
      path: dx === 0 && dy === 0 ? path : path.replace(pairs, (_, x: string, y: string) => `${n(Number(x) + dx)},${n(Number(y) + dy)}`),
      label: move(label),
    })),
  };
}

/** The grid's columns: the serving path on the upper row, the batch path below it. */
const GRID_CELLS: Record<string, { readonly column: number; readonly row: number }> = {
  [DIAGRAM_LANES.models.id]: { column: 0, row: 0 },
  [DIAGRAM_LANES.inputs.id]: { column: 0, row: 1 },
  [DIAGRAM_LANES.serving.id]: { column: 1, row: 0 },
  [DIAGRAM_LANES.pipelines.id]: { column: 1, row: 1 },
  [DIAGRAM_LANES.captured.id]: { column: 2, row: 0 },
  [DIAGRAM_LANES.results.id]: { column: 2, row: 1 },
  [DIAGRAM_LANES.monitors.id]: { column: 3, row: 0 },
  [DIAGRAM_LANES.retraining.id]: { column: 4, row: 0 },
  [DIAGRAM_LANES.operations.id]: { column: 5, row: 0 },
};
const GRID = { columnGap: 130, rowGap: 40, nodeGap: 14, lanePadding: 14, arcBelowHeight: 48 } as const;

/**
 * The lane grid: the serving path (models → endpoints → captured data → monitors → retraining) on the upper row,
 * the batch path (inputs → pipelines → published results) below, alerts and dashboards on the right; in each lane the
 * nodes are stacked in the order of the nodes they come from (the barycentre heuristic), and links are curves.
 */
export function gridLayout(placed: readonly PlacedNode[], links: readonly CatalogLink[]): DiagramLayout {
  const sizes = new Map(placed.map(({ node }) => [node.id, nodeSize(node)]));
  const usedLanes = LANE_ORDER.filter((lane) => placed.some((entry) => entry.lane === lane));
  const columns = Math.max(...usedLanes.map((lane) => GRID_CELLS[lane.id].column), 0) + 1;
  const columnWidth = Array.from({ length: columns }, (_, column) => Math.max(0, ...placed
    .filter(({ lane }) => GRID_CELLS[lane.id].column === column).map(({ node }) => sizes.get(node.id)!.width)) + 2 * GRID.lanePadding);
  const columnX = columnWidth.map((_, column) => MARGIN + columnWidth.slice(0, column).reduce((sum, width) => sum + width + GRID.columnGap, 0));

  const neighbours = new Map<string, string[]>();
  for (const link of links) {
    for (const [end, other] of [[link.to, link.from], [link.from, link.to]]) {
      const list = neighbours.get(end) ?? [];
      list.push(other);
      neighbours.set(end, list);
    }
  }
  // Each lane, column by column and the upper row first, stacks its nodes in the order of the mean height of their
  // neighbours already placed (the barycentre heuristic), each as near that height as the nodes above it allow.
  const centres = new Map<string, number>();
  const nodes = new Map<string, Box>();
  const lanes: Array<{ lane: DiagramLane; box: Box }> = [];
  const placeLane = (lane: DiagramLane, top: number) => {
    const { column } = GRID_CELLS[lane.id];
    const ids = placed.filter((entry) => entry.lane === lane).map(({ node }) => node.id).sort(naturalOrder);
    const wanted = ids.map((id, index) => {
      const heights = (neighbours.get(id) ?? []).map((neighbour) => centres.get(neighbour)).filter((value): value is number => value !== undefined);
      return { id, index, centre: heights.length === 0 ? undefined : heights.reduce((sum, value) => sum + value, 0) / heights.length };
    }).sort((a, b) => (a.centre ?? Number.MAX_VALUE) - (b.centre ?? Number.MAX_VALUE) || a.index - b.index);
    let cursor = top + LANE_TITLE_HEIGHT + GRID.lanePadding;
    for (const { id, centre } of wanted) {
      const size = sizes.get(id)!;
      const y = Math.max(cursor, centre === undefined ? cursor : centre - size.height / 2);
      nodes.set(id, { x: columnX[column] + (columnWidth[column] - size.width) / 2, y, ...size });
      centres.set(id, y + size.height / 2);
      cursor = y + size.height + GRID.nodeGap;
    }
    lanes.push({ lane, box: { x: columnX[column], y: top, width: columnWidth[column], height: cursor - GRID.nodeGap + GRID.lanePadding - top } });
  };
  const byColumn = (a: DiagramLane, b: DiagramLane) => GRID_CELLS[a.id].column - GRID_CELLS[b.id].column;
  usedLanes.filter((lane) => GRID_CELLS[lane.id].row === 0).sort(byColumn).forEach((lane) => placeLane(lane, MARGIN));
  const lowerTop = Math.max(MARGIN, ...lanes.map(({ box }) => box.y + box.height + GRID.rowGap));
  usedLanes.filter((lane) => GRID_CELLS[lane.id].row === 1).sort(byColumn).forEach((lane) => placeLane(lane, lowerTop));
  const laneOf = new Map(placed.map(({ node, lane }) => [node.id, lane.id]));
  return {
    width: Math.max(...lanes.map(({ box }) => box.x + box.width)) + MARGIN,
    height: Math.max(...lanes.map(({ box }) => box.y + box.height)) + MARGIN,
    lanes,
    nodes,
    links: links.map((link) => {
      const from = nodes.get(link.from)!;
      const to = nodes.get(link.to)!;
      const fromColumn = GRID_CELLS[laneOf.get(link.from)!].column;
      const toColumn = GRID_CELLS[laneOf.get(link.to)!].column;
      // Forward links leave on the right and enter on the left. A link back against the flow, or one that skips a
      // column at about the same height, would run through the nodes between: it arcs below them instead, from
      // bottom to bottom. Links within one column loop out to the right.
      const level = Math.abs((from.y + from.height / 2) - (to.y + to.height / 2)) < GRID.arcBelowHeight;
      let controls: Point[];
      if (level && (toColumn < fromColumn || toColumn - fromColumn >= 2)) {
        const start = { x: from.x + from.width / 2, y: from.y + from.height };
        const end = { x: to.x + to.width / 2, y: to.y + to.height };
        // Below the lanes it passes (a cubic Bézier reaches 3/4 of the way to its control points).
        const [low, high] = [Math.min(fromColumn, toColumn), Math.max(fromColumn, toColumn)];
        const floor = Math.max(start.y, end.y, ...lanes.filter(({ lane }) => GRID_CELLS[lane.id].row === GRID_CELLS[laneOf.get(link.from)!].row
          && GRID_CELLS[lane.id].column >= low && GRID_CELLS[lane.id].column <= high).map(({ box }) => box.y + box.height)) + GRID.rowGap / 4;
        const depth = Math.max(start.y, end.y) + (floor - Math.max(start.y, end.y)) * 4 / 3;
        controls = [start, { x: start.x, y: depth }, { x: end.x, y: depth }, end];
      } else {
        if (toColumn === fromColumn) {
          return { link, ...loopRight(from, to) };
        }
        const start = { x: toColumn > fromColumn ? from.x + from.width : from.x, y: from.y + from.height / 2 };
        const end = { x: toColumn > fromColumn ? to.x : to.x + to.width, y: to.y + to.height / 2 };
        const reach = (end.x - start.x) / 2;
        controls = [start, { x: start.x + reach, y: start.y }, { x: end.x - reach, y: end.y }, end];
      }
      return { link, path: bezier(controls), label: bezierPoint(controls, 0.5) };
    }),
  };
}

/** Names with numbers in numeric order (`endpoint-2` before `endpoint-10`), then code-point order. */
function naturalOrder(a: string, b: string): number {
  const split = (text: string) => text.split(/(\d+)/);
  const [left, right] = [split(a), split(b)];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const [x, y] = [left[index], right[index]];
    const difference = index % 2 === 1 ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return left.length - right.length || (a < b ? -1 : a > b ? 1 : 0);
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A link between two nodes one above the other: out of the right side of one, into the right side of the other. */
function loopRight(from: Box, to: Box): { path: string; label: Point } {
  const start = { x: from.x + from.width, y: from.y + from.height / 2 };
  const end = { x: to.x + to.width, y: to.y + to.height / 2 + (from === to || start.y === to.y + to.height / 2 ? 6 : 0) };
  const reach = Math.max(start.x, end.x) + GRID.columnGap / 2;
  const controls = [start, { x: reach, y: start.y }, { x: reach, y: end.y }, end];
  return { path: bezier(controls), label: bezierPoint(controls, 0.5) };
}

function bezier([p0, p1, p2, p3]: readonly Point[]): string {
  return `M${n(p0.x)},${n(p0.y)} C${n(p1.x)},${n(p1.y)} ${n(p2.x)},${n(p2.y)} ${n(p3.x)},${n(p3.y)}`;
}

function bezierPoint([p0, p1, p2, p3]: readonly Point[], t: number): Point {
  const u = 1 - t;
  return {
    x: u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
    y: u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y,
  };
}

/** 6 is the classic Catmull-Rom; a larger divisor bends less and does not overshoot dagre's closely spaced points. */
const TENSION = 12;

/**
 * A smooth path through dagre's bend points: a Catmull-Rom spline as cubic Béziers, which passes through every point
 * (the label points too), so a link bends gently instead of zig-zagging and its label sits on it.
 */
function catmullRom(points: readonly Point[]): string {
  const at = (index: number) => points[Math.max(0, Math.min(index, points.length - 1))];
  const parts = [`M${n(points[0].x)},${n(points[0].y)}`];
  for (let index = 0; index < points.length - 1; index++) {
    const [p0, p1, p2, p3] = [at(index - 1), at(index), at(index + 1), at(index + 2)];
    parts.push(`C${n(p1.x + (p2.x - p0.x) / TENSION)},${n(p1.y + (p2.y - p0.y) / TENSION)} `
      + `${n(p2.x - (p3.x - p1.x) / TENSION)},${n(p2.y - (p3.y - p1.y) / TENSION)} ${n(p2.x)},${n(p2.y)}`);
  }
  return parts.join(' ');
}
