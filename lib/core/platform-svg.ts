import type { CatalogDocument, CatalogLink, CatalogNode } from './platform-catalog';
import { layoutDiagram, type Box } from './platform-diagram-layout';
import { DIAGRAM_FONT, labelLines, LANE_TITLE_HEIGHT, NODE_PADDING, placeNodes, SECONDARY_RELATIONS, textWidth } from './platform-lanes';
import { KIND_COLORS } from './platform-mermaid';

const HEADER_HEIGHT = 44;
const MARGIN = 16;
const FONT_FAMILY = 'Helvetica, Arial, DejaVu Sans, sans-serif';

/**
 * The platform diagram as a standalone SVG 1.1 document: a header with the platform, its owner and residency, one
 * box per lane, one box per node (its full name, version, location, owner and runbook in a tooltip) and one
 * labelled curve per link; alerts and links back against the flow are dashed. Laid out by `layoutDiagram`.
 */
export function renderSvg(document: CatalogDocument): string {
  const placed = placeNodes(document);
  const diagram = layoutDiagram(placed, document.links);
  const width = Math.ceil(Math.max(diagram.width, textWidth(subtitle(document), false) + 2 * MARGIN));
  const height = Math.ceil(diagram.height + HEADER_HEIGHT);
  const shift = (box: Box): Box => ({ ...box, y: box.y + HEADER_HEIGHT });
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" `
    + `font-family="${FONT_FAMILY}" font-size="${DIAGRAM_FONT.size}">`,
    `<title>${xml(`${document.platform}: ${subtitle(document)}`)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
    + '<path d="M0,0 L10,5 L0,10 z" fill="#5f6368"/></marker></defs>',
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="${MARGIN + 14}" font-size="16" font-weight="bold" fill="#202124">${xml(document.platform)}</text>`,
    `<text x="${MARGIN}" y="${MARGIN + 32}" fill="#5f6368">${xml(subtitle(document))}</text>`,
  ];

  for (const { lane, box } of diagram.lanes) {
    const { x, y, width: w, height: h } = shift(box);
    out.push(`<g class="lane" id="lane_${lane.id}"><rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="8" fill="#f8f9fa" stroke="#dadce0"/>`
      + `<text x="${n(x + 10)}" y="${n(y + LANE_TITLE_HEIGHT - 7)}" font-weight="bold" fill="#3c4043">${xml(lane.title)}</text></g>`);
  }

  const labelled = labelledLinks(document.links);
  for (const { link, path, label } of diagram.links) {
    const secondary = SECONDARY_RELATIONS.has(link.relation);
    const style = secondary ? 'stroke="#9aa0a6" stroke-dasharray="5,4"' : 'stroke="#5f6368"';
    out.push(`<g class="link ${link.relation}" transform="translate(0,${HEADER_HEIGHT})"><path d="${path}" fill="none" ${style} stroke-width="1.3" `
      + 'marker-end="url(#arrow)"/>'
      + (!labelled.has(link) ? '' : `<text x="${n(label.x)}" y="${n(label.y + 4)}" text-anchor="middle" font-size="11" fill="${secondary ? '#80868b' : '#3c4043'}" `
      + `stroke="#ffffff" stroke-width="4" paint-order="stroke">${xml(link.relation)}</text>`) + '</g>');
  }

  for (const { node } of placed) {
    const box = shift(diagram.nodes.get(node.id)!);
    const { fill, stroke } = KIND_COLORS[node.kind];
    const centerX = n(box.x + box.width / 2);
    const texts = labelLines(node).map((line, index) => `<text x="${centerX}" y="${n(box.y + NODE_PADDING.y + (index + 1) * DIAGRAM_FONT.lineHeight - 4)}" `
      + `text-anchor="middle"${index === 0 ? ' font-weight="bold" fill="#202124"' : ' fill="#3c4043"'}>${xml(line)}</text>`);
    out.push(`<g class="node ${node.kind}"><title>${xml(tooltip(node))}</title>`
      + `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="${node.kind === 'model' ? 14 : 4}" `
      + `fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>${texts.join('')}</g>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A fan of this many links of one relation from (or to) one node is labelled once. */
const FAN_LABELLED_ONCE = 3;

/** The links whose relation is written on them: all, except that a fan of one relation is labelled once. */
function labelledLinks(links: readonly CatalogLink[]): Set<CatalogLink> {
  const count = new Map<string, number>();
  const keys = (link: CatalogLink) => [`from ${link.from} ${link.relation}`, `to ${link.to} ${link.relation}`];
  links.forEach((link) => keys(link).forEach((key) => count.set(key, (count.get(key) ?? 0) + 1)));
  const done = new Set<string>();
  return new Set(links.filter((link) => {
    const fans = keys(link).filter((key) => count.get(key)! >= FAN_LABELLED_ONCE);
    if (fans.some((key) => done.has(key))) {
      return false;
    }
    fans.forEach((key) => done.add(key));
    return true;
  }));
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

function subtitle(document: CatalogDocument): string {
  return [
    document.owner ? `owner ${document.owner.team}${document.owner.email ? ` <${document.owner.email}>` : ''}` : 'no owner recorded',
    ...(document.residency ? [`residency ${document.residency}`] : []),
    `${document.nodes.length} nodes, ${document.links.length} links`,
  ].join(' · ');
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * Text as XML character data: the five markup characters as entities, and the characters XML 1.0 does not allow
 * (https://www.w3.org/TR/xml/#charsets: control characters, lone surrogates, U+FFFE and U+FFFF) as spaces.
 */
export function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
