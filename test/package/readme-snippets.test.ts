import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import * as ts from 'typescript';
import { publishedDeclarations, ROOT } from './published-declarations';
import { BUILD_DIR, ENTRY_POINTS } from '../../projen/packaging';

/**
 * A ```ts block of README.md, with what precedes it: `<!-- snippet-context: ... -->` holds the declarations the
 * snippet assumes (e.g. `declare const stack: Stack;`), `<!-- consumer-file: <path> -->` says the block is that
 * file of a consumer project, verbatim (the consumer tests type-check and run it).
 */
interface Snippet {
  readonly line: number;
  readonly code: string;
  readonly context: string;
  readonly consumerFile?: string;
}

function readmeSnippets(): Snippet[] {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
  const snippets: Snippet[] = [];
  lines.forEach((line, index) => {
    if (line.trim() !== '```ts') {
      return;
    }
    const end = lines.findIndex((candidate, at) => at > index && candidate.trim() === '```');
    const code = lines.slice(index + 1, end).join('\n');
    const before = lines.slice(0, index).reverse().find((candidate) => candidate.trim() !== '') ?? '';
    const context = /^<!-- snippet-context: (.*) -->$/.exec(before.trim())?.[1] ?? '';
    const consumerFile = /^<!-- consumer-file: (\S+) -->$/.exec(before.trim())?.[1];
    snippets.push({ line: index + 2, code, context, consumerFile });
  });
  return snippets;
}

/**
 * Type-checks each snippet as its own module against the package as published: `ml-platform-constructs` and its
 * subpaths resolve to the declarations `tsc -p tsconfig.json` emits (in memory), the engines to node_modules.
 */
function snippetErrors(snippets: Snippet[]): string[] {
  const declarations = publishedDeclarations();
  const files = new Map(declarations);
  const names = snippets.map((snippet, index) => {
    const name = join(ROOT, '__readme_snippets__', `snippet-${index}.ts`);
    files.set(name, `${snippet.context}\n${snippet.code}\n`);
    return name;
  });
  const paths = Object.fromEntries(Object.entries(ENTRY_POINTS).map(([subpath, source]) => [
    subpath === '.' ? 'ml-platform-constructs' : `ml-platform-constructs/${subpath.slice(2)}`, [`${BUILD_DIR}/${source}.d.ts`],
  ]));
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    // The engines' own declarations are checked by the consumer tests (skipLibCheck false); here, the snippets.
    skipLibCheck: true,
    baseUrl: ROOT,
    paths,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const inMemoryDirs = new Set([...files.keys()].flatMap((file) => {
    const dirs: string[] = [];
    for (let dir = dirname(file); dir.startsWith(ROOT) && dir !== ROOT; dir = dirname(dir)) {
      dirs.push(dir);
    }
    return dirs;
  }));
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.directoryExists = (name) => inMemoryDirs.has(name) || (directoryExists?.call(host, name) ?? false);
  host.getSourceFile = (name, version, onError, shouldCreate) => (files.has(name)
    ? ts.createSourceFile(name, files.get(name)!, version, true)
    : getSourceFile.call(host, name, version, onError, shouldCreate));
  const program = ts.createProgram(names, options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const index = diagnostic.file ? names.indexOf(diagnostic.file.fileName) : -1;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (index < 0 || diagnostic.start === undefined) {
      return `${diagnostic.file?.fileName ?? '(global)'}: TS${diagnostic.code} ${message}`;
    }
    // Line 0 of the module is the context; line n is line n - 1 of the block, which starts at README line `line`.
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
    return `README.md:${snippets[index].line + line - 1}: TS${diagnostic.code} ${message}`;
  });
}

describe('README ts blocks', () => {
  const snippets = readmeSnippets();

  test('GIVEN every ts block that is not a consumer file THEN it type-checks against the published declarations', () => {
    expect(snippetErrors(snippets.filter((snippet) => !snippet.consumerFile))).toEqual([]);
  });

  test('GIVEN a ts block marked as a consumer file THEN it is that file, verbatim', () => {
    const differing = snippets.filter((snippet) => snippet.consumerFile)
      .filter((snippet) => `${snippet.code}\n` !== readFileSync(join(ROOT, snippet.consumerFile!), 'utf8'))
      .map((snippet) => `README.md:${snippet.line}: differs from ${snippet.consumerFile}`);
    expect(differing).toEqual([]);
  });
});
