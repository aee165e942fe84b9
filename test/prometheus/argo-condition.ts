/**
 * An evaluator of Argo Rollouts' success and failure conditions, for the subset of expr-lang they use here:
 * number and boolean literals, `result`, `result[i]`, `len(x)`, `isNaN(x)`, comparisons, `!`/`not`,
 * `&&`/`and`, `||`/`or` and parentheses. It follows `utils/evaluate/evaluate.go` (argo-rollouts): `result` is a
 * float for a Prometheus scalar and a list of floats for a vector (`metricproviders/prometheus/prometheus.go`);
 * expr-lang type-checks the whole condition against those types before running it (so `len(scalar)` or
 * `isNaN(list)` is an error even behind a short-circuit), runs `&&` and `||` short-circuit, fails at run time on
 * an index out of range, and compares floats as Go does (every comparison with NaN is false, except `!=`).
 * Anything outside the subset throws, so a condition this library starts to emit beyond it fails the tests.
 */

/** What a Prometheus query gives the condition: a scalar's value, or a vector's values. */
export type ArgoResult = number | readonly number[];

/** A condition that expr-lang refuses to compile or fails to run: Argo records the measurement as Error. */
export class ArgoConditionError extends Error {}

type Type = 'float' | 'list' | 'bool';
type Node =
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'result' }
  | { kind: 'index'; target: Node; index: Node }
  | { kind: 'call'; name: 'len' | 'isNaN'; arg: Node }
  | { kind: 'not'; operand: Node }
  | { kind: 'logical'; op: '&&' | '||'; left: Node; right: Node }
  | { kind: 'compare'; op: '<' | '<=' | '>' | '>=' | '==' | '!='; left: Node; right: Node };

const TOKEN = /\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|&&|\|\||<=|>=|==|!=|[-()[\]<>!,])/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) {
      if (source.slice(start).trim() === '') {
        break;
      }
      throw new ArgoConditionError(`unsupported syntax at "${source.slice(start)}"`);
    }
    tokens.push(match[1]);
  }
  return tokens;
}

function parse(source: string): Node {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const expect = (token: string): void => {
    if (tokens[position++] !== token) {
      throw new ArgoConditionError(`expected "${token}" in "${source}"`);
    }
  };
  const or = (): Node => {
    let left = and();
    while (peek() === '||' || peek() === 'or') {
      position++;
      left = { kind: 'logical', op: '||', left, right: and() };
    }
    return left;
  };
  const and = (): Node => {
    let left = not();
    while (peek() === '&&' || peek() === 'and') {
      position++;
      left = { kind: 'logical', op: '&&', left, right: not() };
    }
    return left;
  };
  const not = (): Node => {
    if (peek() === '!' || peek() === 'not') {
      position++;
      return { kind: 'not', operand: not() };
    }
    return compare();
  };
  const compare = (): Node => {
    const left = postfix();
    const op = peek();
    if (op === '<' || op === '<=' || op === '>' || op === '>=' || op === '==' || op === '!=') {
      position++;
      return { kind: 'compare', op, left, right: postfix() };
    }
    return left;
  };
  const postfix = (): Node => {
    let node = primary();
    while (peek() === '[') {
      position++;
      const index = or();
      expect(']');
      node = { kind: 'index', target: node, index };
    }
    return node;
  };
  const primary = (): Node => {
    const token = tokens[position++];
    if (token === undefined) {
      throw new ArgoConditionError(`unexpected end of "${source}"`);
    }
    if (token === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (token === '-' && /^\d/.test(peek() ?? '')) {
      return { kind: 'number', value: -Number(tokens[position++]) };
    }
    if (/^\d/.test(token)) {
      return { kind: 'number', value: Number(token) };
    }
    if (token === 'true' || token === 'false') {
      return { kind: 'bool', value: token === 'true' };
    }
    if (token === 'result') {
      return { kind: 'result' };
    }
    if (token === 'len' || token === 'isNaN') {
      expect('(');
      const arg = or();
      expect(')');
      return { kind: 'call', name: token, arg };
    }
    throw new ArgoConditionError(`unsupported token "${token}" in "${source}"`);
  };
  const node = or();
  if (position !== tokens.length) {
    throw new ArgoConditionError(`unexpected "${tokens[position]}" in "${source}"`);
  }
  return node;
}

/** expr-lang's compile-time check, against the types of this measurement's `result`. */
function typeOf(node: Node, resultType: Type): Type {
  const need = (child: Node, type: Type, what: string): void => {
    const actual = typeOf(child, resultType);
    if (actual !== type) {
      throw new ArgoConditionError(`${what}: expected ${type}, got ${actual}`);
    }
  };
  switch (node.kind) {
    case 'number': return 'float';
    case 'bool': return 'bool';
    case 'result': return resultType;
    case 'index': need(node.target, 'list', 'index'); need(node.index, 'float', 'index'); return 'float';
    case 'call':
      need(node.arg, node.name === 'len' ? 'list' : 'float', node.name);
      return node.name === 'len' ? 'float' : 'bool';
    case 'not': need(node.operand, 'bool', '!'); return 'bool';
    case 'logical': need(node.left, 'bool', node.op); need(node.right, 'bool', node.op); return 'bool';
    case 'compare': need(node.left, 'float', node.op); need(node.right, 'float', node.op); return 'bool';
  }
}

function run(node: Node, result: ArgoResult): number | boolean | readonly number[] {
  switch (node.kind) {
    case 'number':
    case 'bool':
      return node.value;
    case 'result':
      return result;
    case 'index': {
      const list = run(node.target, result) as readonly number[];
      const index = run(node.index, result) as number;
      if (!Number.isInteger(index) || index < 0 || index >= list.length) {
        throw new ArgoConditionError(`index out of range: ${index} (array length is ${list.length})`);
      }
      return list[index];
    }
    case 'call': {
      const arg = run(node.arg, result);
      return node.name === 'len' ? (arg as readonly number[]).length : Number.isNaN(arg as number);
    }
    case 'not':
      return !(run(node.operand, result) as boolean);
    case 'logical': {
      const left = run(node.left, result) as boolean;
      if (node.op === '&&' ? !left : left) {
        return left;
      }
      return run(node.right, result) as boolean;
    }
    case 'compare': {
      const left = run(node.left, result) as number;
      const right = run(node.right, result) as number;
      switch (node.op) {
        case '<': return left < right;
        case '<=': return left <= right;
        case '>': return left > right;
        case '>=': return left >= right;
        case '==': return left === right;
        case '!=': return left !== right;
      }
    }
  }
}

/** Evaluates a condition on a measurement's result as argo-rollouts' `EvalCondition` does; throws `ArgoConditionError` where it errs. */
export function evaluateCondition(condition: string, result: ArgoResult): boolean {
  const node = parse(condition);
  if (typeOf(node, typeof result === 'number' ? 'float' : 'list') !== 'bool') {
    throw new ArgoConditionError(`expected bool, but got a number from "${condition}"`);
  }
  return run(node, result) as boolean;
}
