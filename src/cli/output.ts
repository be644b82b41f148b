// Where reports go: stdout, or a file written atomically (temp file + rename).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function writeReport(text: string, output: string | undefined): void {
  if (!output) {
    process.stdout.write(text);
    return;
  }
  const target = resolve(output);
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, target);
}

/** A progress line on stderr, only when a person is watching it. */
export function createProgress(enabled: boolean): { update(done: number, total: number): void; clear(): void } {
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\u001b[2Kauditing ${done}/${total} files`);
    },
    clear() {
      if (enabled && shown) process.stderr.write('\r\u001b[2K');
    },
  };
}
