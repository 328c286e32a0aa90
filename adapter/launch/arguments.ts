/**
 * How a launched program gets its arguments exactly as given. gdb 13 with startup-with-shell off splits
 * `-exec-arguments` on white space, honours no quoting, and parses leading options as its own (`--all x`
 * arrives as `x`; `--thread 1 z` is an error). So gdb gets no arguments at all: pwatch-exec (native/,
 * built beside the addon) is set as gdb's exec-wrapper and receives the exact path and argv hex-encoded in
 * an environment variable, which it removes before it execs the program. Where the helper is missing (or
 * its path has white space, which gdb would split), the old path is kept and refuses what it cannot pass.
 */
import * as fs from 'fs';
import { execHelperPath } from '../native/addon';
import { UserError } from './userError';

export const EXEC_ARGV_VARIABLE = 'PWATCH_EXEC_ARGV';
/** The terminal pwatch-exec gives the program as its standard input, output and error (console in a terminal). */
export const EXEC_TTY_VARIABLE = 'PWATCH_EXEC_TTY';

function hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

/** `<hex program>` then `.<hex argument>` per argument: the form pwatch-exec decodes. */
export function encodeExecArgv(program: string, args: readonly string[]): string {
  [program, ...args].forEach((value, i) => {
    if (value.includes('\0')) {
      throw new UserError(`${i === 0 ? 'the program path' : `program argument ${i}`} contains a NUL character, which no program can receive`);
    }
  });
  return [hex(program), ...args.map((a) => `.${hex(a)}`)].join('');
}

/** The exec-wrapper to use, or undefined when arguments must go through gdb's own (splitting) path. */
export function usableExecHelper(): string | undefined {
  const helper = execHelperPath();
  if (!helper || /\s/.test(helper)) {
    return undefined;
  }
  try {
    fs.accessSync(helper, fs.constants.X_OK);
  } catch {
    // An installer that unpacked the .vsix without file modes: the extension's own folder is the user's.
    try {
      fs.chmodSync(helper, 0o755);
    } catch {
      return undefined;
    }
  }
  return helper;
}
