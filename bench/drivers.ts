/**
 * The two debuggers the benchmarks compare, each brought to a source line of a benchmark program:
 * pwatch through its adapter over DAP (as an editor drives it), and gdb over GDB/MI directly.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as path from 'path';
import { GdbConnection } from '../adapter/gdb/connection';
import { miCliCommand, miCommand } from '../adapter/gdb/mi/quote';
import { MiAsyncRecord } from '../adapter/gdb/mi/types';

export const ROOT = path.resolve(__dirname, '..', '..');

export function benchProgram(name: string): { program: string; source: string } {
  return { program: path.join(ROOT, 'bench', 'bin', name), source: path.join(ROOT, 'bench', 'programs', `${name}.c`) };
}

export function markerLineOf(source: string, marker: string): number {
  return fs.readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes(`/* BP:${marker} */`)) + 1;
}

/** A pwatch session stopped at `line` of `source` (the breakpoint is gone after); the caller ends it with `endPwatch`. */
export async function pwatchAtLine(
  program: string,
  args: string[],
  source: string,
  line: number,
  launch: Record<string, unknown> = {},
): Promise<{ dc: DebugClient; stop: DebugProtocol.StoppedEvent }> {
  const started = await pwatchStopped(program, args, launch, { source, line });
  await started.dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
  return started;
}

/** A pwatch session at its first stop: a breakpoint at `at`, or whatever `launch` asks for (stopAtEntry). */
export async function pwatchStopped(
  program: string,
  args: string[],
  launch: Record<string, unknown>,
  at?: { source: string; line: number },
): Promise<{ dc: DebugClient; stop: DebugProtocol.StoppedEvent }> {
  const dc = new DebugClient('node', path.join(ROOT, 'dist', 'adapter.js'), 'pwatch');
  dc.defaultTimeout = 600_000;
  await dc.start();
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    (async () => {
      await dc.waitForEvent('initialized');
      if (at) {
        await dc.setBreakpointsRequest({ source: { path: at.source }, breakpoints: [{ line: at.line }] });
      }
      await dc.configurationDoneRequest();
    })(),
    dc.launch({ program, args, ...launch }),
  ]);
  return { dc, stop: await stopped };
}

export async function endPwatch(dc: DebugClient): Promise<void> {
  await dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined);
  await dc.stop();
}

export interface DirectGdb {
  gdb: GdbConnection;
  /** The next exec record of this class (`running`, `stopped`). */
  next(asyncClass: string): Promise<MiAsyncRecord>;
}

/** gdb over MI, all-stop, stopped at `line` (the temporary breakpoint is gone). */
export async function gdbAtLine(program: string, args: string[], source: string, line: number, tty = '/dev/null'): Promise<DirectGdb> {
  const gdb = GdbConnection.start({ gdbPath: 'gdb', cwd: ROOT, env: process.env });
  const next = (asyncClass: string) =>
    new Promise<MiAsyncRecord>((resolve) => {
      const on = (record: MiAsyncRecord) => {
        if (record.kind === 'exec' && record.asyncClass === asyncClass) {
          gdb.off('async', on);
          resolve(record);
        }
      };
      gdb.on('async', on);
    });
  for (const [name, value] of [['mi-async', 'on'], ['startup-with-shell', 'off'], ['confirm', 'off']]) {
    await gdb.send(miCliCommand('-gdb-set', name, value));
  }
  await gdb.send(miCommand('-file-exec-and-symbols', program));
  await gdb.send(miCommand('-inferior-tty-set', tty));
  await gdb.send(miCliCommand('-exec-arguments', ...args));
  await gdb.send(miCommand('-break-insert', '-t', '--source', source, '--line', line));
  const stopped = next('stopped');
  await gdb.send(miCommand('-exec-run'));
  await stopped;
  return { gdb, next };
}

/** Reads a long from the program's memory while it runs (the bench runs as root or as its ancestor). */
export function readLong(pid: number, address: bigint): bigint {
  const fd = fs.openSync(`/proc/${pid}/mem`, 'r');
  try {
    const buffer = Buffer.alloc(8);
    fs.readSync(fd, buffer, 0, 8, address);
    return buffer.readBigInt64LE(0);
  } finally {
    fs.closeSync(fd);
  }
}
