import type { IConstruct } from 'constructs';
import { propFailure, type PropFailure } from './number-range';
import { isUnresolved } from './tokens';

/** Who owns a platform: the team paged by its alarms and alerts, and where their runbooks live. */
export interface PlatformOwner {
  /** The owning team, e.g. `fraud-ml`: lowercase letters, digits and `-` (it becomes a tag and label value). */
  readonly team: string;
  /**
   * Where the team is reached, e.g. the on-call address.
   * @default - none
   */
  readonly email?: string;
  /**
   * The base URL of the team's runbooks; each alarm's runbook is `<runbookBaseUrl><construct kind>/<alarm>`.
   * Ends with `/`.
   */
  readonly runbookBaseUrl: string;
}

/** The cost-allocation tag (AWS) and label (Kubernetes) keys a platform sets, besides the residency one. */
export const PLATFORM_TAGS = {
  team: 'ml-platform/team',
  model: 'ml-platform/model',
  construct: 'ml-platform/construct',
} as const;

const TEAM = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE_URL = /^https:\/\/[^\s/]+(\/\S*)?\/$/;
const SLUG = /^[a-z0-9][-a-z0-9/#]*$/;

/** Checks an owner given to a platform; throws an `MlPlatformError` naming `owner.<field>`. */
export function validateOwner(scope: IConstruct | string, owner: PlatformOwner | undefined): PlatformOwner {
  const fail: PropFailure = propFailure(scope);
  if (owner === undefined || owner === null || typeof owner !== 'object') {
    fail('owner', owner, '{ team, runbookBaseUrl, email? }', 'name the owning team and where its runbooks live');
  }
  if (isUnresolved(owner.team) || typeof owner.team !== 'string' || !TEAM.test(owner.team)) {
    fail('owner.team', owner.team, '1-63 lowercase letters, digits and "-", starting and ending with a letter or digit (a tag and label value)',
      'use the team\'s short name, e.g. "fraud-ml"');
  }
  if (owner.email !== undefined && (typeof owner.email !== 'string' || !EMAIL.test(owner.email))) {
    fail('owner.email', owner.email, 'an e-mail address', 'use e.g. "fraud-ml-oncall@example.com", or leave it out');
  }
  if (typeof owner.runbookBaseUrl !== 'string' || !BASE_URL.test(owner.runbookBaseUrl)) {
    fail('owner.runbookBaseUrl', owner.runbookBaseUrl, 'an https:// URL ending with "/" (each alarm appends its own path)',
      'use e.g. "https://runbooks.example.com/ml/"');
  }
  return owner;
}

/** The runbook of one alarm or alert: `<runbookBaseUrl><slug>`, e.g. `.../canary-endpoint/error-rate-gate`. */
export function runbookUrl(owner: PlatformOwner, slug: string): string {
  if (!SLUG.test(slug)) {
    throw new Error(`runbook slug ${JSON.stringify(slug)} must be lowercase letters, digits, "-", "/" and "#"`);
  }
  return `${owner.runbookBaseUrl}${slug}`;
}

/** How an alarm names its owner: `fraud-ml <fraud-ml-oncall@example.com>`, or the team alone. */
export function ownerText(owner: PlatformOwner): string {
  return owner.email ? `${owner.team} <${owner.email}>` : owner.team;
}

/** The sentence alarms end with: who owns them and which runbook to follow. */
export function ownershipSentence(owner: PlatformOwner, slug: string): string {
  return `Owner: ${ownerText(owner)}. Runbook: ${runbookUrl(owner, slug)}`;
}

/** A slug from a construct id or path: lowercase, `-` between words (`FraudScoring/FailedRuns` → `fraud-scoring/failed-runs`). */
export function slugOf(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9/]+/g, '-')
    .replace(/-*\/-*/g, '/')
    .replace(/^[-/]+|[-/]+$/g, '') || 'alarm';
}
