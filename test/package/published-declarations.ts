import { join } from 'path';
import * as ts from 'typescript';

export const ROOT = join(__dirname, '..', '..');

/**
 * The declarations `tsc -p tsconfig.json` publishes (with `stripInternal`), emitted in memory: absolute file name
 * under build/ → text. What a user's compiler reads from the package, without writing build/.
 */
export function publishedDeclarations(): Map<string, string> {
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
