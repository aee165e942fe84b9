import { createHash } from 'crypto';

/**
 * What the services take as names and descriptions, as data, each with the documentation page it comes from.
 * Read by the code that derives names and descriptions and by the tests that check them.
 */
export const TEXT_LIMITS = {
  /** IAM API Reference, CreateRole: Description (0-1000; tab, line feed, carriage return, U+0020-U+007E, U+00A1-U+00FF). */
  iamRoleDescription: { maxLength: 1000, allowed: /[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]/u },
  /** IAM API Reference, CreatePolicy: Description (0-1000, same characters as a role's). */
  iamPolicyDescription: { maxLength: 1000, allowed: /[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]/u },
  /** Lambda API Reference, CreateFunction: Description (0-256). */
  lambdaDescription: { maxLength: 256, allowed: /./su },
  /** KMS API Reference, CreateKey: Description (0-8192). */
  kmsKeyDescription: { maxLength: 8192, allowed: /./su },
  /** EventBridge Scheduler API Reference, CreateSchedule: Description (0-512). */
  scheduleDescription: { maxLength: 512, allowed: /./su },
  /** CloudWatch API Reference, PutMetricAlarm: AlarmDescription (0-1024). */
  alarmDescription: { maxLength: 1024, allowed: /./su },
} as const;

/** The length and characters a service takes in one text field. */
export interface TextLimit {
  readonly maxLength: number;
  /** One allowed character. */
  readonly allowed: RegExp;
}

/**
 * `text` made to fit a service's description field: accents dropped (`é` → `e`), any other character the field
 * refuses written as `?`, and a text too long cut with `...`. A construct id or path can then never make a
 * derived description invalid.
 */
export function fitText(text: string, limit: TextLimit): string {
  const chars = [...text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')].map((char) => (limit.allowed.test(char) ? char : '?'));
  return chars.length <= limit.maxLength ? chars.join('') : `${chars.slice(0, limit.maxLength - 3).join('')}...`;
}

/** The names services take, as data with their sources. */
export const NAME_RULES = {
  /** SageMaker API Reference, CreateEndpoint: EndpointName (and model, config and job names): 1-63, `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`. */
  sageMaker: { maxLength: 63, pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, lowercase: false, leadingLetter: false },
  /** Kubernetes "Object Names and IDs": RFC 1123 label names (most objects' names, label values' shape), 1-63. */
  dns1123Label: { maxLength: 63, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, lowercase: true, leadingLetter: false },
  /** Kubernetes "Object Names and IDs": RFC 1035 label names (Services), 1-63, starting with a letter. */
  dns1035Label: { maxLength: 63, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, lowercase: true, leadingLetter: true },
  /** Kubernetes "Object Names and IDs": DNS subdomain names (e.g. Ingress, VirtualService), 1-253. */
  dns1123Subdomain: { maxLength: 253, pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, lowercase: true, leadingLetter: false },
} as const;

/** How a derived name is shaped. */
export interface NameRule {
  readonly maxLength: number;
  readonly pattern: RegExp;
  readonly lowercase: boolean;
  readonly leadingLetter: boolean;
}

// Characters of the hash that keeps a shortened or transliterated name unique.
const HASH_LENGTH = 8;

/**
 * A name derived from `source` (a construct id or path) that always fits `rule`, within `maxLength`: letters
 * transliterated (`é` → `e`), anything else a `-`, a leading letter added when the rule needs one, and, when
 * anything was dropped or cut, a short hash of `source` appended so that two sources stay two names.
 * `Fraud_Endpoint` becomes `fraud-endpoint-<hash>`, `名前` becomes `x-<hash>`.
 */
export function deriveName(source: string, rule: NameRule, maxLength: number = rule.maxLength): string {
  let base = source.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (rule.lowercase) {
    base = base.toLowerCase();
  }
  base = base.replace(rule.lowercase ? /[^a-z0-9]+/g : /[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (rule.leadingLetter && !/^[a-zA-Z]/.test(base)) {
    base = base ? `x-${base}` : 'x';
  }
  if (base === source && base.length <= maxLength && rule.pattern.test(base)) {
    return base;
  }
  const hash = createHash('sha256').update(source).digest('hex').slice(0, HASH_LENGTH);
  const room = maxLength - HASH_LENGTH - 1;
  const head = base.slice(0, room).replace(/-+$/, '');
  return head ? `${head}-${hash}` : (rule.leadingLetter ? `x${hash}`.slice(0, maxLength) : hash);
}

/** Amazon S3 User Guide, "General purpose bucket naming rules". */
const BUCKET_RULES: ReadonlyArray<readonly [(name: string) => boolean, string]> = [
  [(name) => name.length >= 3 && name.length <= 63, '3-63 characters'],
  [(name) => /^[a-z0-9.-]*$/.test(name), 'only lowercase letters, digits, "." and "-"'],
  [(name) => /^[a-z0-9].*[a-z0-9]$/.test(name), 'starting and ending with a letter or digit'],
  [(name) => !name.includes('..'), 'no two adjacent periods'],
  [(name) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(name), 'not formatted as an IP address'],
  [(name) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(name), 'not starting with "xn--", "sthree-" or "amzn-s3-demo-"'],
  [(name) => !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name), 'not ending with "-s3alias", "--ol-s3", ".mrap", "--x-s3" or "--table-s3"'],
];

/** What S3 takes as a general purpose bucket name, in words. */
export const S3_BUCKET_NAME_RULES = BUCKET_RULES.map(([, rule]) => rule).join(', ');

/** The rule a bucket name breaks, or `undefined` for a valid name. */
export function s3BucketNameProblem(name: string): string | undefined {
  return BUCKET_RULES.find(([holds]) => !holds(name))?.[1];
}

/** Amazon S3 User Guide, "Naming Amazon S3 objects": a key is at most 1,024 bytes of UTF-8. */
export const S3_MAX_KEY_BYTES = 1024;

/** The length of `text` in UTF-8 bytes. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
