/**
 * One escape (or refusal) per language a user's string is spliced into. Every construct goes through these;
 * none builds a literal of these languages from user text by itself.
 */

/**
 * A JSONata string literal holding `text` exactly. JSONata string literals take JSON's escapes only
 * (`\\`, `\"`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`; docs.jsonata.org/simple "String literals" and the
 * tokenizer's escape table), so a single quote becomes `\u0027`; `%` becomes `\u0025` so that no `%}` inside the
 * literal can be read as the end of a Step Functions `{% ... %}` expression.
 */
export function jsonataString(text: string): string {
  return `'${jsonataStringContent(text)}'`;
}

/** What goes between the quotes of `jsonataString(text)`: for text spliced into a literal built around it. */
export function jsonataStringContent(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\') {
      out += '\\\\';
    } else if (char === '\'' || char === '%' || char === '"' || code < 0x20 || code === 0x7f) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      out += char;
    }
  }
  return out;
}

/**
 * A PromQL double-quoted string (a label matcher's value) holding `text` exactly: PromQL strings take Go's
 * escapes (prometheus.io/docs/prometheus/latest/querying/basics "String literals"), so `\` and `"` are escaped
 * and line breaks written as `\n`.
 */
export function promqlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** A Prometheus metric name (prometheus.io/docs/concepts/data_model "Metric names and labels"). */
export const PROMETHEUS_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Why `text` cannot be part of an IAM policy's resource ARN as a literal, or `undefined` when it can: `*` and
 * `?` are wildcards there (they would widen the grant), `${` starts a policy variable, and white space, quotes
 * and control characters do not belong in an ARN (IAM User Guide, "IAM JSON policy elements: Resource" and
 * "IAM policy elements: Variables and tags").
 */
export function iamResourceProblem(text: string): string | undefined {
  if (/[*?]/.test(text)) {
    return '"*" and "?" are wildcards in an IAM resource and would widen the grant';
  }
  if (text.includes('${')) {
    return '"${" starts an IAM policy variable';
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s"\u0000-\u001f\u007f]/.test(text)) {
    return 'white space, double quotes and control characters do not belong in an ARN';
  }
  return undefined;
}
