import { mkdirSync } from 'fs';
import { join } from 'path';
import { Extractor, ExtractorConfig, ExtractorLogLevel, type IConfigFile } from '@microsoft/api-extractor';
import { BUILD_DIR, ENTRY_POINTS } from './packaging';

/**
 * The API report of every entry point, with API Extractor, from the compiled declarations in build/.
 * `api:check` (part of `npm test`) fails when a report differs from the reviewed one in api/;
 * `api:update` rewrites the reports, to be reviewed and committed with the change that caused them.
 */
const ROOT = join(__dirname, '..');
export const API_REPORT_DIR = 'api';

/** The report's file name for an entry point: `core` for the package root, else the subpath (`aws`, `testing`). */
export function reportName(subpath: string): string {
  return subpath === '.' ? 'core' : subpath.slice(2);
}

function configFor(subpath: string, source: string): IConfigFile {
  return {
    projectFolder: ROOT,
    newlineKind: 'lf',
    mainEntryPointFilePath: join(ROOT, BUILD_DIR, `${source}.d.ts`),
    compiler: { tsconfigFilePath: join(ROOT, 'tsconfig.json') },
    apiReport: {
      enabled: true,
      reportFileName: reportName(subpath),
      reportFolder: join(ROOT, API_REPORT_DIR),
      reportTempFolder: join(ROOT, BUILD_DIR, 'api-report'),
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      // A public signature naming a type the entry point does not export is a hole in the API: it is written into
      // the report, where review sees it.
      extractorMessageReporting: {
        'default': { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
        // The library states stability per entry point, not with @public/@beta tags on every declaration.
        'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
        // Documentation is reviewed in the sources; the report records signatures.
        'ae-undocumented': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
      },
      // Doc-comment syntax is not part of the API.
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: false } },
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
    },
  };
}

function main(update: boolean): number {
  const changed: string[] = [];
  mkdirSync(join(ROOT, API_REPORT_DIR), { recursive: true });
  for (const [subpath, source] of Object.entries(ENTRY_POINTS)) {
    const extractorConfig = ExtractorConfig.prepare({
      configObject: configFor(subpath, source),
      configObjectFullPath: undefined,
      packageJsonFullPath: join(ROOT, 'package.json'),
    });
    const result = Extractor.invoke(extractorConfig, { localBuild: update, showVerboseMessages: false });
    if (result.errorCount > 0) {
      console.error(`api-report: ${reportName(subpath)}: ${result.errorCount} error(s)`);
      return 1;
    }
    if (result.apiReportChanged) {
      changed.push(`${API_REPORT_DIR}/${reportName(subpath)}.api.md`);
    }
  }
  if (changed.length > 0 && !update) {
    console.error(`api-report: the public API changed in ${changed.join(', ')}.\n`
      + 'Review the difference (build/api-report/ holds the new reports); if it is intended, run `npm run api:update` and commit api/.');
    return 1;
  }
  console.log(update ? `api-report: ${changed.length} report(s) updated` : 'api-report: every entry point matches its reviewed API report');
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.includes('--update'));
}
