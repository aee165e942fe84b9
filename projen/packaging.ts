import type { javascript } from 'projen';

/** The published entry points: subpath → the source file (without `.ts`) that `tsc` compiles to build/. */
export const ENTRY_POINTS: Record<string, string> = {
  '.': 'constructs/core',
  './aws': 'constructs/aws',
  './k8s': 'constructs/k8s',
  './pulumi': 'constructs/pulumi',
};

/** Where the compiled library goes; the tarball holds only this folder's lib/ and constructs/, README and LICENSE. */
export const BUILD_DIR = 'build';

/**
 * How the package is published: `exports` for Node and for TypeScript under node16, nodenext and bundler;
 * `typesVersions` for TypeScript under node10 (`"module": "commonjs"` without `moduleResolution`, which does
 * not read `exports`); `files` limited to the compiled code; and the npm lifecycle scripts that compile it,
 * so `npm pack` and `npm install <git url>` produce a complete package without running the tests.
 */
export function configurePackaging(project: javascript.NodeProject): void {
  const exportsField: Record<string, unknown> = {};
  const typesVersions: Record<string, string[]> = {};
  for (const [subpath, source] of Object.entries(ENTRY_POINTS)) {
    exportsField[subpath] = { types: `./${BUILD_DIR}/${source}.d.ts`, default: `./${BUILD_DIR}/${source}.js` };
    if (subpath !== '.') {
      typesVersions[subpath.slice(2)] = [`${BUILD_DIR}/${source}.d.ts`];
    }
  }
  exportsField['./package.json'] = './package.json';
  project.package.addField('types', `${BUILD_DIR}/${ENTRY_POINTS['.']}.d.ts`);
  project.package.addField('exports', exportsField);
  project.package.addField('typesVersions', { '*': typesVersions });
  project.package.addField('files', [`${BUILD_DIR}/lib`, `${BUILD_DIR}/constructs`, 'README.md', 'LICENSE']);

  // A clean build: a file removed from the sources must not linger in the package.
  project.preCompileTask.exec(`rm -rf ${BUILD_DIR}`);
  const prepack = project.addTask('prepack', {
    description: 'Compile the library into build/ before `npm pack` and `npm publish` (no tests run).',
  });
  prepack.spawn(project.preCompileTask);
  prepack.spawn(project.compileTask);
  // npm runs `prepare` (not `prepack`) for a git dependency, after installing its dev dependencies, and also on
  // every `npm install` in a checkout: compile when there is no build yet, so installs in a checkout stay fast.
  const prepare = project.addTask('prepare', {
    description: 'Compile the library when build/ is missing (a fresh clone, `npm install <git url>`).',
    condition: `node -e "process.exitCode = require('fs').existsSync('${BUILD_DIR}/${ENTRY_POINTS['./aws']}.js') ? 1 : 0"`,
  });
  prepare.spawn(prepack);
}

/**
 * `api:check` (run by `npm test`) compares each entry point's API with its reviewed report in api/ and fails on
 * an unreviewed change; `api:update` rewrites the reports in one command.
 */
export function addApiReportTasks(project: javascript.NodeProject): void {
  const script = 'ts-node --transpile-only --project tsconfig.dev.json projen/api-report.ts';
  const check = project.addTask('api:check', {
    description: 'Fail when the public API of an entry point differs from its reviewed report in api/.',
  });
  check.spawn(project.tasks.tryFind('prepack')!);
  check.exec(script);
  const update = project.addTask('api:update', {
    description: 'Rewrite the API reports in api/ after an intended change to the public API (review and commit them).',
  });
  update.spawn(project.tasks.tryFind('prepack')!);
  update.exec(`${script} --update`);
  project.testTask.spawn(check);
}
