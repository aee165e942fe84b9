/* eslint-disable @typescript-eslint/no-require-imports -- kubernetes-models, its CRD packages and typescript are optional peers, loaded when called */
import { dirname, join } from 'path';
import type * as TS from 'typescript';
import { crdSchemaViolations, hasCrdSchema } from './crd-schemas';

/** A Kubernetes object as synthesized. */
export type KubeObject = Record<string, any>;

/** Packages holding `kubernetes-models` classes and declarations, core kinds first, then the CRDs. */
const MODEL_PACKAGES = [
  'kubernetes-models',
  '@kubernetes-models/argo-rollouts',
  '@kubernetes-models/argo-cd',
  '@kubernetes-models/keda',
  '@kubernetes-models/prometheus-operator',
];

const NO_MODEL = 'no kubernetes-models schema for this apiVersion and kind (install kubernetes-models 4 and the '
  + '@kubernetes-models package of its CRD: argo-rollouts, argo-cd, keda or prometheus-operator)';

interface ModelLocation {
  readonly modulePath: string;
  readonly typeName: string;
}

function locateModel(object: KubeObject): ModelLocation | undefined {
  const apiVersion = String(object.apiVersion ?? '');
  const kind = String(object.kind ?? '');
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  for (const pkg of MODEL_PACKAGES) {
    const modulePath = `${pkg}/${group ? `${group}/` : ''}${version}/${kind}`;
    try {
      require.resolve(modulePath);
      return { modulePath, typeName: `I${kind}` };
    } catch {
      // Not in this package; try the next.
    }
  }
  return undefined;
}

function describe(object: KubeObject, index: number): string {
  return `#${index} ${object.apiVersion}/${object.kind} ${object.metadata?.name ?? '(no name)'}`;
}

/** Validates every object with its `kubernetes-models` class (the OpenAPI or CRD schema); returns the problems. */
export function schemaViolations(objects: KubeObject[]): string[] {
  return objects.flatMap((object, index) => {
    const location = locateModel(object);
    if (!location && hasCrdSchema(object)) {
      return crdSchemaViolations(object).map((problem) => `${describe(object, index)}: ${problem}`);
    }
    if (!location) {
      return [`${describe(object, index)}: ${NO_MODEL}`];
    }
    const module = require(location.modulePath);
    const Model = module[object.kind];
    try {
      new Model(object).validate();
      return [];
    } catch (error) {
      return [`${describe(object, index)}: ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

/**
 * Rejects fields the schema does not know: each object is type-checked as an object literal against the
 * `kubernetes-models` TypeScript declaration of its kind, where excess properties are errors at any depth.
 */
export function unknownFieldViolations(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const lines: string[] = [];
  const lineToObject: number[] = [];
  objects.forEach((object, index) => {
    const location = locateModel(object);
    if (!location && hasCrdSchema(object)) {
      // Its CRD schema (schemaViolations) already refuses fields it does not name.
      return;
    }
    if (!location) {
      problems.push(`${describe(object, index)}: ${NO_MODEL}`);
      return;
    }
    lines.push(`import type { ${location.typeName} as T${index} } from '${location.modulePath}';`);
    lineToObject.push(-1);
    const literal = JSON.stringify(object, null, 1).split('\n');
    lines.push(`export const o${index}: T${index} = ${literal[0]}`);
    lineToObject.push(index);
    for (const line of literal.slice(1)) {
      lines.push(line);
      lineToObject.push(index);
    }
    lines[lines.length - 1] += ';';
  });
  if (lines.length === 0) {
    return problems;
  }
  const ts = compilerApi();
  // Beside the node_modules that holds kubernetes-models, so the check resolves the same packages as the schemas.
  const fileName = join(dirname(dirname(dirname(require.resolve('kubernetes-models/package.json')))), '__strict_k8s_check__.ts');
  const source = lines.join('\n');
  const options: TS.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === fileName ? source : readFile(name));
  host.fileExists = ((exists) => (name: string) => name === fileName || exists(name))(host.fileExists.bind(host));
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => (name === fileName
    ? ts.createSourceFile(name, source, languageVersion, true)
    : getSourceFile(name, languageVersion, onError, shouldCreate));
  const program = ts.createProgram([fileName], options, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.file?.fileName !== fileName || diagnostic.start === undefined) {
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const index = lineToObject[line];
    const where = index >= 0 ? describe(objects[index], index) : 'import';
    problems.push(`${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')} (line: ${lines[line].trim()})`);
  }
  return problems;
}

/** The TypeScript compiler API of the project's own `typescript` (5.x); TypeScript 7 exposes none yet. */
function compilerApi(): typeof TS {
  let ts: Partial<typeof TS>;
  try {
    // The user's own compiler, deliberately not a dependency or peer (see projen/packaging.ts, TESTING_PEERS).
    // eslint-disable-next-line import/no-extraneous-dependencies
    ts = require('typescript');
  } catch {
    ts = {};
  }
  if (typeof ts.createProgram !== 'function') {
    throw new Error('unknownFieldViolations needs the TypeScript compiler API: install typescript 5.x as a dev dependency '
      + '(TypeScript 7 has no compiler API yet)');
  }
  return ts as typeof TS;
}

/** Where a kind keeps its pod template, as a path of property names. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Rollout: ['spec', 'template', 'spec'],
};

/** The pod specs in a list of objects, with where each came from. */
export function podSpecs(objects: KubeObject[]): Array<{ readonly where: string; readonly spec: KubeObject }> {
  return objects.flatMap((object, index) => {
    const path = POD_SPEC_PATHS[object.kind];
    if (!path) {
      return [];
    }
    const spec = path.reduce<any>((node, key) => node?.[key], object);
    return [{ where: describe(object, index), spec: spec ?? {} }];
  });
}

// Volume types Pod Security Standards `restricted` allows.
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

/**
 * Pod Security Standards `restricted` (Kubernetes 1.28 profile): the `baseline` controls plus non-root,
 * no privilege escalation, seccomp RuntimeDefault or Localhost, all capabilities dropped (only
 * NET_BIND_SERVICE may be added) and restricted volume types. Returns one line per violation.
 */
export function podSecurityViolations(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const { where, spec } of podSpecs(objects)) {
    const podContext = spec.securityContext ?? {};
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (spec[field] === true) {
        problems.push(`${where}: ${field} must not be true`);
      }
    }
    for (const volume of spec.volumes ?? []) {
      const type = Object.keys(volume).find((key) => key !== 'name');
      if (!type || !RESTRICTED_VOLUME_TYPES.has(type)) {
        problems.push(`${where}: volume ${volume.name} of type ${type} is not allowed`);
      }
    }
    if (podContext.runAsUser === 0) {
      problems.push(`${where}: securityContext.runAsUser must not be 0`);
    }
    const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
    if (containers.length === 0) {
      problems.push(`${where}: no containers`);
    }
    for (const container of containers) {
      const context = container.securityContext ?? {};
      const at = `${where} container ${container.name}`;
      if (context.privileged === true) {
        problems.push(`${at}: privileged must not be true`);
      }
      if (context.allowPrivilegeEscalation !== false) {
        problems.push(`${at}: allowPrivilegeEscalation must be false`);
      }
      if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true) {
        problems.push(`${at}: runAsNonRoot must be true (container or pod)`);
      }
      if (context.runAsUser === 0) {
        problems.push(`${at}: runAsUser must not be 0`);
      }
      const seccomp = (context.seccompProfile ?? podContext.seccompProfile)?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        problems.push(`${at}: seccompProfile.type must be RuntimeDefault or Localhost (container or pod), got ${seccomp}`);
      }
      const drop: string[] = context.capabilities?.drop ?? [];
      if (!drop.includes('ALL')) {
        problems.push(`${at}: capabilities.drop must include ALL`);
      }
      const add: string[] = context.capabilities?.add ?? [];
      for (const capability of add.filter((c) => c !== 'NET_BIND_SERVICE')) {
        problems.push(`${at}: capability ${capability} must not be added`);
      }
      for (const port of container.ports ?? []) {
        if (port.hostPort) {
          problems.push(`${at}: hostPort ${port.hostPort} must not be set`);
        }
      }
    }
  }
  return problems;
}

/**
 * This library's hardening beyond `restricted`: read-only root filesystem, CPU and memory requests and
 * limits on every container, and no service-account token unless asked for.
 */
export function hardeningViolations(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const { where, spec } of podSpecs(objects)) {
    if (spec.automountServiceAccountToken !== false) {
      problems.push(`${where}: automountServiceAccountToken must be false`);
    }
    for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const at = `${where} container ${container.name}`;
      if (container.securityContext?.readOnlyRootFilesystem !== true) {
        problems.push(`${at}: readOnlyRootFilesystem must be true`);
      }
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (container.resources?.[kind]?.[resource] === undefined) {
            problems.push(`${at}: resources.${kind}.${resource} must be set`);
          }
        }
      }
    }
  }
  return problems;
}

/** Every conformance problem of a set of objects: schema, unknown fields, PSS restricted and hardening. */
export function kubernetesConformance(objects: KubeObject[]): string[] {
  return [
    ...schemaViolations(objects),
    ...unknownFieldViolations(objects),
    ...podSecurityViolations(objects),
    ...hardeningViolations(objects),
  ];
}
