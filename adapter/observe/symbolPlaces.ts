/**
 * Function, file and line of a code address from debug information alone, for a process gdb does not attach to.
 * gdb's usual way (-data-disassemble, data.codePlace) reads the code itself, and a gdb holding only symbols has no
 * memory to read; its line table and blocks need none. A gdb Python function, $_pwatch_place(pc), looks them up and
 * returns them hex-encoded (a file name may hold any byte), in one evaluation.
 */
import { CodePlace } from '../gdb/commands/data';
import * as data from '../gdb/commands/data';
import * as exec from '../gdb/commands/exec';
import { MiSender } from '../gdb/connection';
import { LogSource } from '../logpoints/logStream';
import { liveThreads } from '../watch/coverage';

const PYTHON_SOURCE = [
  'class PwatchPlace(gdb.Function):',
  '    def __init__(self):',
  "        super().__init__('_pwatch_place')",
  '    def invoke(self, pc):',
  '        pc = int(pc)',
  "        h = lambda s: (s or '').encode('utf-8', 'surrogateescape').hex()",
  '        sal = gdb.find_pc_line(pc)',
  '        name, start = None, None',
  '        try:',
  '            b = gdb.block_for_pc(pc)',
  '            while b is not None and b.function is None:',
  '                b = b.superblock',
  '            if b is not None:',
  '                name, start = b.function.name, b.start',
  '        except RuntimeError:',
  '            pass',
  '        if name is None:',
  '            m = gdb.current_progspace().solib_name(pc)',
  "        f = sal.symtab.filename if sal.symtab else ''",
  "        full = sal.symtab.fullname() if sal.symtab else ''",
  "        return gdb.Value('%s %d %s %s %s' % ('-' if start is None else '%x' % start, sal.line, h(name), h(f), h(full)))",
  'PwatchPlace()',
].join('\n');

/** Defines $_pwatch_place(); false when this gdb has no Python (places are then unknown). */
export function installPlaceFunction(gdb: MiSender): Promise<boolean> {
  return exec.runPython(gdb, PYTHON_SOURCE);
}

/** Where `pc` is, from debug information alone; {} when gdb knows nothing of it. */
export async function symbolPlace(gdb: MiSender, pc: bigint): Promise<CodePlace> {
  const text = await data.evaluate(gdb, `$_pwatch_place(0x${pc.toString(16)})`);
  const match = /"([0-9a-f]+|-) (\d+) ([0-9a-f]*) ([0-9a-f]*) ([0-9a-f]*)"/.exec(text);
  if (!match) {
    return {};
  }
  const [, start, line, name, file, fullname] = match;
  const decoded = (hex: string) => (hex ? Buffer.from(hex, 'hex').toString('utf8') : undefined);
  return {
    functionStart: start === '-' ? undefined : BigInt(`0x${start}`),
    function: decoded(name),
    file: decoded(file),
    fullname: decoded(fullname),
    line: Number(line) > 0 ? Number(line) : undefined,
  };
}

/** Logged accesses of an observed process: places from debug information, each thread numbered by its tid. */
export async function observedLogSource(gdb: MiSender, pid: number): Promise<LogSource> {
  const python = await installPlaceFunction(gdb);
  return {
    place: (g, pc) => (python ? symbolPlace(g, pc) : Promise.resolve({})),
    threads: () => Promise.resolve(liveThreads(pid).map((tid) => ({ id: tid, tid }))),
  };
}
