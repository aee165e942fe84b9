import type { ErrorScope } from './errors';
import { propFailure, type PropFailure } from './number-range';
import { renderMermaid } from './platform-mermaid';
import { renderSvg } from './platform-svg';
import { isUnresolved } from './tokens';

/** What a catalog entry is. */
export type CatalogNodeKind = 'model' | 'image' | 'endpoint' | 'pipeline' | 'dataset' | 'monitor' | 'feature-group' | 'fleet'
| 'retraining' | 'topic' | 'dashboard';

/** Every node kind, in the order the catalog lists them. */
export const CATALOG_NODE_KINDS: readonly CatalogNodeKind[] = [
  'model', 'image', 'feature-group', 'dataset', 'endpoint', 'fleet', 'pipeline', 'monitor', 'retraining', 'topic', 'dashboard',
];

/** The engines a node can run on. */
export const CATALOG_ENGINES = ['aws', 'kubernetes'] as const;

/** One thing of the platform: a model, an endpoint, a dataset, ... */
export interface CatalogNode {
  /** Unique within the platform, e.g. the construct path or `model:fraud@1.4.0`. */
  readonly id: string;
  /** What it is. */
  readonly kind: CatalogNodeKind;
  /** What a person reads. */
  readonly name: string;
  /**
   * The version, e.g. a model's `1.4.0`.
   * @default - none
   */
  readonly version?: string;
  /**
   * The team that owns it.
   * @default - the platform's owner team
   */
  readonly owner?: string;
  /**
   * The runbook URL.
   * @default - none
   */
  readonly runbook?: string;
  /**
   * Where it lives: `s3://…`, an endpoint name, a `namespace/name`.
   * @default - none
   */
  readonly location?: string;
  /**
   * The engine it runs on.
   * @default - none recorded
   */
  readonly engine?: 'aws' | 'kubernetes';
  /**
   * More facts, e.g. `{ framework: 'xgboost' }`.
   * @default - none
   */
  readonly properties?: Readonly<Record<string, string>>;
}

/**
 * How two nodes are linked. A link points the way data flows (upstream → downstream), e.g. model `serves` endpoint,
 * endpoint `captures` dataset, dataset `reads` monitor, monitor `triggers` retraining, pipeline `writes` dataset.
 */
export type CatalogRelation = 'serves' | 'scores' | 'captures' | 'reads' | 'writes' | 'monitors' | 'triggers' | 'feeds'
| 'notifies' | 'runs';

/** Every relation. */
export const CATALOG_RELATIONS: readonly CatalogRelation[] = [
  'serves', 'scores', 'captures', 'reads', 'writes', 'monitors', 'triggers', 'feeds', 'notifies', 'runs',
];

/** A link between two nodes, by id. */
export interface CatalogLink {
  /** The upstream node's id. */
  readonly from: string;
  /** The downstream node's id. */
  readonly to: string;
  /** What the link means. */
  readonly relation: CatalogRelation;
}

/** The platform's owner. */
export interface CatalogOwner {
  /** The team. */
  readonly team: string;
  /**
   * The team's on-call address.
   * @default - none
   */
  readonly email?: string;
  /**
   * The base URL of the team's runbooks.
   * @default - none
   */
  readonly runbookBaseUrl?: string;
}

/** The platform a catalog describes. */
export interface PlatformCatalogProps {
  /** The platform's name; it names the files, e.g. `<platform>.catalog.json`. */
  readonly platform: string;
  /**
   * The platform's owner; nodes without an owner belong to its team.
   * @default - no owner recorded
   */
  readonly owner?: CatalogOwner;
  /**
   * The residency policy in force, e.g. `EU`.
   * @default - none recorded
   */
  readonly residency?: string;
  /**
   * Where errors are reported: the platform construct.
   * @default `PlatformCatalog(<platform>)`
   */
  readonly errorScope?: ErrorScope;
}

/** The catalog file's format version; a change to the shape of `toJSON()` increments it. */
export const CATALOG_SCHEMA_VERSION = 1;

/** Written where a field holds a value known only after deployment (a CDK token, a Pulumi output). */
export const DEPLOY_TIME_VALUE = '<known after deployment>';

/** The catalog file: `<platform>.catalog.json`. */
export interface CatalogDocument {
  readonly schemaVersion: typeof CATALOG_SCHEMA_VERSION;
  readonly platform: string;
  readonly owner?: CatalogOwner;
  readonly residency?: string;
  /** Sorted by kind (in `CATALOG_NODE_KINDS` order), then id. */
  readonly nodes: readonly CatalogNode[];
  /** Sorted by `from`, `to`, then relation. */
  readonly links: readonly CatalogLink[];
}

/**
 * The machine-readable catalog of one platform — its models, images, endpoints, pipelines, datasets, monitors, …
 * and the links between them — and its diagram, as Mermaid and as SVG. Engine-neutral: every engine's platform
 * construct fills one and writes its outputs at synthesis.
 */
export class PlatformCatalog {
  /** The platform's name. */
  public readonly platform: string;
  private readonly owner?: CatalogOwner;
  private readonly residency?: string;
  private readonly fail: PropFailure;
  private readonly nodes = new Map<string, CatalogNode>();
  private readonly links = new Map<string, CatalogLink>();

  public constructor(props: PlatformCatalogProps) {
    this.fail = propFailure(props.errorScope ?? `PlatformCatalog(${String(props.platform)})`);
    this.platform = literal(this.fail, 'platform', props.platform);
    if (props.owner !== undefined) {
      this.owner = {
        team: literal(this.fail, 'owner.team', props.owner.team),
        ...optional('email', deployTimeAware(this.fail, 'owner.email', props.owner.email)),
        ...optional('runbookBaseUrl', deployTimeAware(this.fail, 'owner.runbookBaseUrl', props.owner.runbookBaseUrl)),
      };
    }
    this.residency = deployTimeAware(this.fail, 'residency', props.residency);
  }

  /** Adds a node. The same id twice is merged when both are equal, and an error when they differ. */
  public addNode(node: CatalogNode): void {
    const normalized = this.normalizeNode(node);
    const existing = this.nodes.get(normalized.id);
    if (existing !== undefined) {
      const before = JSON.stringify(existing);
      const after = JSON.stringify(normalized);
      if (before !== after) {
        this.fail(`node "${normalized.id}"`, normalized, `one node per id; already added as ${before}`,
          'give each node a unique id, or add the same node with the same fields');
      }
      return;
    }
    this.nodes.set(normalized.id, normalized);
  }

  /** Adds a link. Its ends may be added later; a link to a node never added is an error at `toJSON()`. */
  public addLink(link: CatalogLink): void {
    const normalized: CatalogLink = {
      from: literal(this.fail, 'link.from', link.from),
      to: literal(this.fail, 'link.to', link.to),
      relation: oneOf(this.fail, 'link.relation', link.relation, CATALOG_RELATIONS),
    };
    this.links.set(`${normalized.from}\u0000${normalized.to}\u0000${normalized.relation}`, normalized);
  }

  /** The catalog document (schema version 1, documented in the README), in a stable, sorted order. */
  public toJSON(): CatalogDocument {
    const links = [...this.links.values()].sort(compareLinks);
    for (const link of links) {
      for (const end of ['from', 'to'] as const) {
        if (!this.nodes.has(link[end])) {
          this.fail(`link.${end}`, link[end], `the id of a node of this catalog (${[...this.nodes.keys()].sort(compareText).join(', ') || 'none yet'})`,
            `add the node "${link[end]}" before writing the catalog, or drop the ${link.relation} link ${JSON.stringify(link.from)} → ${JSON.stringify(link.to)}`);
        }
      }
    }
    const kindOrder = (kind: CatalogNodeKind) => CATALOG_NODE_KINDS.indexOf(kind);
    const nodes = [...this.nodes.values()]
      .map((node) => (node.owner === undefined && this.owner ? { ...node, owner: this.owner.team } : node))
      .sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || compareText(a.id, b.id));
    return {
      schemaVersion: CATALOG_SCHEMA_VERSION,
      platform: this.platform,
      ...optional('owner', this.owner),
      ...optional('residency', this.residency),
      nodes,
      links,
    };
  }

  /** The diagram as a Mermaid `flowchart LR` block, for a `.md` file. */
  public toMermaid(): string {
    return renderMermaid(this.toJSON());
  }

  /** The diagram as a standalone SVG document, laid out at synthesis (no browser, no network). */
  public toSvg(): string {
    return renderSvg(this.toJSON());
  }

  private normalizeNode(node: CatalogNode): CatalogNode {
    const id = literal(this.fail, 'node.id', node?.id);
    const at = (field: string) => `node "${id}" ${field}`;
    const properties = node.properties === undefined ? undefined : Object.fromEntries(
      Object.keys(node.properties).sort(compareText).map((key) => [
        literal(this.fail, at('properties key'), key),
        deployTimeAware(this.fail, at(`properties.${key}`), node.properties![key]) as string,
      ]),
    );
    return {
      id,
      kind: oneOf(this.fail, at('kind'), node.kind, CATALOG_NODE_KINDS),
      name: literal(this.fail, at('name'), node.name),
      ...optional('version', deployTimeAware(this.fail, at('version'), node.version)),
      ...optional('owner', deployTimeAware(this.fail, at('owner'), node.owner)),
      ...optional('runbook', deployTimeAware(this.fail, at('runbook'), node.runbook)),
      ...optional('location', deployTimeAware(this.fail, at('location'), node.location)),
      ...optional('engine', node.engine === undefined ? undefined : oneOf(this.fail, at('engine'), node.engine, CATALOG_ENGINES)),
      ...optional('properties', properties),
    };
  }
}

/** Code-point order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLinks(a: CatalogLink, b: CatalogLink): number {
  return compareText(a.from, b.from) || compareText(a.to, b.to) || compareText(a.relation, b.relation);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** An identifier or a name: a non-empty string known at synthesis. */
function literal(fail: PropFailure, prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(prop, value, 'a non-empty string', `set ${prop} to a non-empty string`);
  }
  if (isUnresolved(value)) {
    fail(prop, value, 'a string known at synthesis (it identifies the entry in the catalog and the diagram)',
      `give ${prop} as a literal string, e.g. the construct path, not a deploy-time attribute`);
  }
  return value as string;
}

/** A descriptive string, which may hold deploy-time values: each token is written as `DEPLOY_TIME_VALUE`. */
function deployTimeAware(fail: PropFailure, prop: string, value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    fail(prop, value, 'a string', `set ${prop} to a string or leave it out`);
  }
  return (value as string).replace(/[$#]\{Token\[[^\]]*\]\}/g, DEPLOY_TIME_VALUE);
}

function oneOf<T extends string>(fail: PropFailure, prop: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    fail(prop, value, `one of ${allowed.join(', ')}`, `set ${prop} to one of ${allowed.join(', ')}`);
  }
  return value as T;
}
