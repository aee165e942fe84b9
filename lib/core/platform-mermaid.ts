import type { CatalogDocument, CatalogNodeKind } from './platform-catalog';
import { labelLines, LANE_ORDER, placeNodes, SECONDARY_RELATIONS } from './platform-lanes';

/** How each kind is drawn: Mermaid flowchart shapes (https://mermaid.js.org/syntax/flowchart.html#node-shapes). */
const SHAPES: Record<CatalogNodeKind, readonly [string, string]> = {
  'model': ['([', '])'],
  'image': ['[', ']'],
  'endpoint': ['[', ']'],
  'fleet': ['[', ']'],
  'pipeline': ['[/', '/]'],
  'dataset': ['[(', ')]'],
  'feature-group': ['[(', ')]'],
  'monitor': ['{{', '}}'],
  'retraining': ['[\\', '\\]'],
  'topic': ['>', ']'],
  'dashboard': ['[', ']'],
};

/** One fill per kind, the same as the SVG's, so both pictures read alike. */
export const KIND_COLORS: Record<CatalogNodeKind, { readonly fill: string; readonly stroke: string }> = {
  'model': { fill: '#e8f0fe', stroke: '#1a73e8' },
  'image': { fill: '#e8f0fe', stroke: '#1a73e8' },
  'endpoint': { fill: '#e6f4ea', stroke: '#188038' },
  'fleet': { fill: '#e6f4ea', stroke: '#188038' },
  'pipeline': { fill: '#fef7e0', stroke: '#b06000' },
  'dataset': { fill: '#f1f3f4', stroke: '#5f6368' },
  'feature-group': { fill: '#f1f3f4', stroke: '#5f6368' },
  'monitor': { fill: '#fce8e6', stroke: '#c5221f' },
  'retraining': { fill: '#f3e8fd', stroke: '#8430ce' },
  'topic': { fill: '#fff', stroke: '#5f6368' },
  'dashboard': { fill: '#fff', stroke: '#5f6368' },
};

/**
 * Characters written as Mermaid entity codes inside a quoted label: the quote ends the label, `#` starts an entity,
 * `<`, `>` and `&` are HTML in labels, a backtick starts a Markdown string, brackets, braces and `|` are syntax
 * (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters).
 */
const ESCAPED = /["#&<>`[\]{}|]/g;

/** A label's text as Mermaid reads it inside quotes. */
export function escapeMermaidLabel(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(ESCAPED, (character) => `#${character.charCodeAt(0)};`);
}

/**
 * An id ending in a Mermaid keyword after a non-letter (`fraud_end`, `node1TB`) breaks the flowchart parser
 * (mermaid-js/mermaid#937, #1837): such ids get a `_node` suffix.
 */
const ENDS_WITH_KEYWORD = /(^|[^A-Za-z])(end|subgraph|graph|flowchart|class|classDef|style|linkStyle|click|call|href|direction|default|interpolate|TB|TD|BT|RL|LR)$/;

/**
 * Mermaid node ids: the catalog id with every character outside `[A-Za-z0-9_]` replaced by `_`, prefixed with the
 * kind unless it already starts with it (so no id is Mermaid's keyword `end` or starts an edge like `o`/`x`), with
 * `_node` after a trailing keyword, and numbered when two ids collide.
 */
export function mermaidIds(document: CatalogDocument): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of document.nodes) {
    const kind = node.kind.replace(/-/g, '_');
    const sanitized = node.id.replace(/[^A-Za-z0-9_]/g, '_');
    const prefixed = sanitized.startsWith(`${kind}_`) ? sanitized : `${kind}_${sanitized}`;
    const base = ENDS_WITH_KEYWORD.test(prefixed) ? `${prefixed}_node` : prefixed;
    let candidate = base;
    for (let suffix = 2; taken.has(candidate); suffix++) {
      candidate = `${base}_${suffix}`;
    }
    taken.add(candidate);
    ids.set(node.id, candidate);
  }
  return ids;
}

/** The platform diagram as a fenced Mermaid `flowchart LR` block, one subgraph per non-empty lane. */
export function renderMermaid(document: CatalogDocument): string {
  const ids = mermaidIds(document);
  const placed = placeNodes(document);
  const title = document.owner ? `${document.platform} (owner ${document.owner.team})` : document.platform;
  // A JSON string is a valid YAML double-quoted scalar: any platform name is safe in the front matter.
  const lines = ['```mermaid', '---', `title: ${JSON.stringify(title)}`, '---', 'flowchart LR'];
  for (const lane of LANE_ORDER) {
    const members = placed.filter((entry) => entry.lane === lane);
    if (members.length === 0) {
      continue;
    }
    lines.push(`  subgraph lane_${lane.id}["${escapeMermaidLabel(lane.title)}"]`);
    for (const { node } of members) {
      const [open, close] = SHAPES[node.kind];
      const label = labelLines(node).map(escapeMermaidLabel).join('<br/>');
      lines.push(`    ${ids.get(node.id)}${open}"${label}"${close}`);
    }
    lines.push('  end');
  }
  // Links listed in lane order (then the document's order), so the text reads left to right like the picture.
  const laneOf = new Map(placed.map(({ node, lane }) => [node.id, LANE_ORDER.indexOf(lane)]));
  const links = [...document.links].sort((a, b) => laneOf.get(a.from)! - laneOf.get(b.from)!);
  for (const link of links) {
    const arrow = SECONDARY_RELATIONS.has(link.relation) ? '-.->' : '-->';
    lines.push(`  ${ids.get(link.from)} ${arrow}|${link.relation}| ${ids.get(link.to)}`);
  }
  const kinds = [...new Set(document.nodes.map((node) => node.kind))];
  for (const kind of kinds) {
    const { fill, stroke } = KIND_COLORS[kind];
    const members = document.nodes.filter((node) => node.kind === kind).map((node) => ids.get(node.id));
    lines.push(`  classDef kind_${kind.replace(/-/g, '_')} fill:${fill},stroke:${stroke}`);
    lines.push(`  class ${members.join(',')} kind_${kind.replace(/-/g, '_')}`);
  }
  lines.push('```');
  return `${lines.join('\n')}\n`;
}
