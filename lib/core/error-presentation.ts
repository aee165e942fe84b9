import { join, resolve } from 'path';

// This library's own code: lib/ and constructs/ beside this folder's parent (the sources, or build/ when published).
const LIBRARY_ROOT = resolve(__dirname, '..', '..');
const LIBRARY_DIRS = [join(LIBRARY_ROOT, 'lib'), join(LIBRARY_ROOT, 'constructs')];
const FRAME = '    at ';

function frameOrigin(frame: string): string | undefined {
  if (LIBRARY_DIRS.some((dir) => frame.includes(dir))) {
    return 'ml-platform-constructs';
  }
  const module = /[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(frame);
  if (module) {
    return module[1].replace(/\\/g, '/');
  }
  return /\(node:|at node:/.test(frame) ? 'node internals' : undefined;
}

/** The frames of the caller's own code, runs of library, dependency and Node frames each shown as one line. */
function callerFrames(stack: string): string[] {
  const lines: string[] = [];
  let skipped: string[] = [];
  for (const frame of stack.split('\n').filter((line) => line.startsWith(FRAME))) {
    const origin = frameOrigin(frame);
    if (origin) {
      if (!skipped.includes(origin)) {
        skipped.push(origin);
      }
      continue;
    }
    flush();
    lines.push(frame);
  }
  flush();
  return lines;

  function flush(): void {
    if (skipped.length > 0) {
      lines.push(`    ...${skipped.join(', ')}...`);
      skipped = [];
    }
  }
}

/**
 * Makes an error print as one message, as aws-cdk-lib's own construct errors do: `«Name» message` and the frames
 * of the code that caused it. The structured fields stay readable but are not enumerable, so Node does not print
 * them again below an uncaught error (the message already names each of them).
 */
export function presentAsOneMessage(error: Error, fields: readonly string[]): void {
  for (const field of fields) {
    Object.defineProperty(error, field, { enumerable: false });
  }
  const frames = callerFrames(error.stack ?? '');
  error.stack = [`«${error.name}» ${error.message}`, ...frames].join('\n');
}
