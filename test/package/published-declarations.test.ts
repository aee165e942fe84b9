import { readFileSync } from 'fs';
import { builtinModules } from 'module';
import { join } from 'path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The declarations `tsc -p tsconfig.json` publishes, emitted in memory: file name → text. */
function publishedDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  })!;
  const program = ts.createProgram(config.fileNames, { ...config.options, emitDeclarationOnly: true, noEmit: false });
  const files = new Map<string, string>();
  program.emit(undefined, (fileName, text) => files.set(fileName, text));
  return files;
}

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

describe('published declarations', () => {
  const declarations = publishedDeclarations();

  test('GIVEN the compiled library THEN its declarations import only its dependencies and peers', () => {
    const allowed = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
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
