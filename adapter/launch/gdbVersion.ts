/** Finds gdb and checks it is new enough, before any session work starts. */
import { execFile } from 'child_process';
import { UserError } from './userError';

export const MIN_GDB_MAJOR = 12;

/** Parses "GNU gdb (Debian 13.1-3) 13.1" → {major: 13, minor: 1}. */
export function parseGdbVersion(firstLine: string): { major: number; minor: number } | undefined {
  if (!/GNU gdb/.test(firstLine)) {
    return undefined;
  }
  const match = /(\d+)\.(\d+)(?:\.\d+)?(?:\.\d{8})?(?:-[\w.]+)?\s*$/.exec(firstLine.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export function checkGdb(gdbPath: string, timeoutMs = 10000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(gdbPath, ['--version'], { timeout: timeoutMs }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new UserError(`gdb was not found at '${gdbPath}': install gdb ${MIN_GDB_MAJOR} or later (apt-get install gdb) or set 'gdbPath' in launch.json.`));
        return;
      }
      if (error && (error as NodeJS.ErrnoException).code === 'EACCES') {
        reject(new UserError(`'${gdbPath}' cannot be executed (permission denied): fix 'gdbPath' in launch.json.`));
        return;
      }
      const firstLine = stdout.split('\n')[0] ?? '';
      const version = parseGdbVersion(firstLine);
      if (!version) {
        reject(new UserError(`'${gdbPath}' does not look like gdb (its --version printed ${JSON.stringify(firstLine)}): set 'gdbPath' to gdb ${MIN_GDB_MAJOR} or later.`));
        return;
      }
      if (version.major < MIN_GDB_MAJOR) {
        reject(new UserError(`gdb ${version.major}.${version.minor} at '${gdbPath}' is too old: pwatch needs gdb ${MIN_GDB_MAJOR} or later. Install a newer gdb or set 'gdbPath'.`));
        return;
      }
      resolve(firstLine.trim());
    });
  });
}
