import { readFileSync } from 'fs';
import { builtinModules } from 'module';
import { dirname, join } from 'path';
import * as ts from 'typescript';
import { publishedDeclarations, ROOT } from './published-declarations';
import { BUILD_DIR, ENTRY_POINTS, TESTING_PEERS } from '../../projen/packaging';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The package a bare module specifier loads (`aws-cdk-lib/aws-s3` → `aws-cdk-lib`, `@pulumi/pulumi/x` → `@pulumi/pulumi`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every module a declaration file imports or references that is not one of the package's own files. */
function bareImports(text: string): string[] {
  const source = ts.createSourceFile('x.d.ts', text, ts.ScriptTarget.ES2022, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  specifiers.push(...source.typeReferenceDirectives.map((ref) => `@types/${ref.fileName}`));
  return specifiers.filter((specifier) => !specifier.startsWith('.'));
}

/**
 * The declarations a user's compiler loads: the entry points' and, transitively, every one they import. A
 * declaration no entry point reaches is never part of a user's program.
 */
function reachable(files: Map<string, string>): Map<string, string> {
  const entries = Object.values(ENTRY_POINTS).map((source) => join(ROOT, BUILD_DIR, `${source}.d.ts`));
  const seen = new Map<string, string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const text = files.get(file);
    if (text === undefined || seen.has(file)) {
      continue;
    }
    seen.set(file, text);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const relative = [...source.statements]
      .filter((node) => ts.isImportDeclaration(node) || ts.isExportDeclaration(node))
      .flatMap((node) => (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? [node.moduleSpecifier.text] : []))
      .filter((specifier) => specifier.startsWith('.'));
    for (const specifier of relative) {
      const base = join(dirname(file), specifier);
      queue.push(files.has(`${base}.d.ts`) ? `${base}.d.ts` : join(base, 'index.d.ts'));
    }
  }
  return seen;
}

describe('published declarations', () => {
  const declarations = reachable(publishedDeclarations());

  test('GIVEN the entry points THEN every one is among the declarations checked', () => {
    const entries = Object.values(ENTRY_POINTS).map((source) => `${BUILD_DIR}/${source}.d.ts`);
    expect(entries.filter((entry) => !declarations.has(join(ROOT, entry)))).toEqual([]);
  });

  test('GIVEN the compiled library THEN its declarations import only its dependencies and engine peers', () => {
    // The testing helpers' peers (cdk-nag, kubernetes-models, typescript, ...) are loaded when a check runs, never named in a declaration.
    const allowed = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]
      .filter((name) => !(name in TESTING_PEERS)));
    const outside = [...declarations].flatMap(([file, text]) => bareImports(text)
      .filter((specifier) => !allowed.has(packageOf(specifier)))
      .map((specifier) => `${file.slice(ROOT.length + 1)} imports ${specifier}`));
    expect(outside).toEqual([]);
  });

  test('GIVEN the compiled library THEN no declaration needs Node.js types', () => {
    const nodeModules = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`), '@types/node']);
    const needingNode = [...declarations].flatMap(([file, text]) => bareImports(text)
      .filter((specifier) => nodeModules.has(specifier))
      .map((specifier) => `${file.slice(ROOT.length + 1)} imports ${specifier}`));
    expect(needingNode).toEqual([]);
  });
});
