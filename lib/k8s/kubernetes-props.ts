import { Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { claimObjectName } from './object-names';
import { CORE_KINDS, type ContainerImage, NAME_RULES, PROMETHEUS_METRIC_NAME, PropChecks } from '../core';

/** What the Kubernetes flavors of the constructs check the same way. */
export class KubernetesPropChecks extends PropChecks {
  public constructor(private readonly owner: IConstruct) {
    super(owner);
  }

  /**
   * The base name of the construct's objects: a string Kubernetes takes (an RFC 1035 label when the construct
   * creates Services, an RFC 1123 label otherwise), at most `maxLength` characters, claimed in the namespace.
   */
  public objectName(name: unknown, options: { readonly maxLength: number; readonly services: boolean; readonly why: string }): string {
    const rule = options.services ? NAME_RULES.dns1035Label : NAME_RULES.dns1123Label;
    const text = this.string('name', name, {
      pattern: rule.pattern,
      maxLength: options.maxLength,
      allowed: `${options.services ? 'an RFC 1035 label (a Service name): lowercase letters, digits and "-", starting with a letter'
        : 'an RFC 1123 label: lowercase letters, digits and "-", starting with a letter or digit'} and ending with a letter or digit, at most ${options.maxLength} characters (${options.why})`,
      fix: 'rename, e.g. "fraud"',
      deployTime: 'the object names are written at synthesis',
    });
    this.namespace();
    claimObjectName(this.owner, text);
    return text;
  }

  /** The chart's namespace, which also reaches PromQL label matchers: an RFC 1123 label (Kubernetes "Namespaces"). */
  public namespace(): void {
    const namespace = Chart.of(this.owner).namespace;
    if (namespace !== undefined) {
      this.string('namespace', namespace, {
        pattern: NAME_RULES.dns1123Label.pattern,
        maxLength: 63,
        allowed: 'a namespace name: an RFC 1123 label of lowercase letters, digits and "-", at most 63 characters',
        fix: 'rename the namespace, e.g. "ml-serving"',
        deployTime: 'the objects are rendered at synthesis',
      });
    }
  }

  /** An optional image prop. */
  public optionalImage(prop: string, value: unknown): ContainerImage | undefined {
    if (value === undefined) {
      return undefined;
    }
    const image = this.kind(prop, value, CORE_KINDS.containerImage) as unknown as ContainerImage;
    image.assertPinned(this.owner, prop);
    return image;
  }

  /** A Prometheus metric name spliced into a query (prometheus.io "Metric names and labels"). */
  public metricName(prop: string, value: unknown): void {
    if (value !== undefined) {
      this.string(prop, value, {
        pattern: PROMETHEUS_METRIC_NAME,
        allowed: 'a Prometheus metric name: letters, digits, "_" and ":", not starting with a digit',
        fix: 'use the name your server exports, e.g. "http_requests_total"',
        deployTime: 'it is written into the queries at synthesis',
      });
    }
  }

  /** An optional group of whole-number options, each within its range. */
  public optionalNumber(prop: string, value: unknown, min: number, max: number, why: string): void {
    if (value !== undefined) {
      this.number(prop, value, { min, max, why });
    }
  }
}

/** An http(s) URL with a host and a valid port, e.g. a Prometheus address (WHATWG URL parsing). */
export function isHttpUrl(text: string): boolean {
  if (/\s/.test(text)) {
    return false;
  }
  try {
    const url = new URL(text);
    // WHATWG parsing refuses ports above 65535 and keeps a default port as "".
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

// Far above any node (the largest have about 900 CPUs and 32 TiB), and below 1e21, where JavaScript would write a
// number with an exponent that is no Kubernetes quantity ("1e+21m").
const MAX_CPU_MILLIS = 1_000_000_000;
const MAX_MEMORY_MEBIBYTES = 1_000_000_000;

/** The `resources` prop (a `ContainerSize`): an object of whole numbers a Kubernetes quantity can hold. */
export function checkContainerSize(checks: PropChecks, prop: string, value: unknown): void {
  if (value === undefined) {
    return;
  }
  const size = checks.object(prop, value);
  for (const [field, max] of [['cpuMillis', MAX_CPU_MILLIS], ['cpuLimitMillis', MAX_CPU_MILLIS], ['memoryMebibytes', MAX_MEMORY_MEBIBYTES]] as const) {
    if (size[field] !== undefined) {
      checks.number(`${prop}.${field}`, size[field], { min: 1, max, why: 'a Kubernetes quantity' });
    }
  }
}
