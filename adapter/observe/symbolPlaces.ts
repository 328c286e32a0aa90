/**
 * Function, file and line of a code address from debug information alone, for a process gdb does not attach to.
 * gdb's usual way (-data-disassemble, data.codePlace) reads the code itself, and a gdb holding only symbols has no
 * memory to read; its line table and blocks need none. A gdb Python function, $_pwatch_place(pc), looks them up and
 * returns them hex-encoded (a file name may hold any byte), in one evaluation. A library's symbols are loaded at its
 * load bias the first time one of its addresses is asked for.
 */
import { CodePlace } from '../gdb/commands/data';
import * as data from '../gdb/commands/data';
import * as exec from '../gdb/commands/exec';
import * as fs from 'fs';
import { MiSender } from '../gdb/connection';
import { cliQuoted } from '../gdb/mi/quote';
import { mappings } from '../program/mappings';
import { LogSource } from '../logpoints/logStream';
import { liveThreads } from '../program/tasks';

/** Characters of the place's text per evaluation (gdb shows at most 200 of a string). */
const CHUNK = 150;
/** Enough pieces for a path of PATH_MAX bytes, hex-encoded. */
const MOST_PARTS = 64;

const PYTHON_SOURCE = [
  'import re',
  'class PwatchPlace(gdb.Function):',
  '    def __init__(self):',
  "        super().__init__('_pwatch_place')",
  '        self.texts = {}',
  // The text in pieces of CHUNK characters: gdb prints at most 200 characters of a string value.
  '    def invoke(self, pc, part):',
  '        pc, part = int(pc), int(part)',
  '        if part == 0 or pc not in self.texts:',
  '            self.texts[pc] = self.place(pc)',
  `        return gdb.Value(self.texts[pc][part * ${CHUNK}:(part + 1) * ${CHUNK}])`,
  '    def place(self, pc):',
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
  // No debug information (a library's code): its ELF symbol, as "NAME + OFFSET in section ..." says it.
  '        if name is None:',
  '            m = re.match(r"(\\S+)(?: \\+ (\\d+))? in section", gdb.execute("info symbol %d" % pc, to_string=True))',
  '            if m:',
  '                name, start = m.group(1), pc - int(m.group(2) or 0)',
  "        f = sal.symtab.filename if sal.symtab else ''",
  "        full = sal.symtab.fullname() if sal.symtab else ''",
  "        return '%s %d %s %s %s' % ('-' if start is None else '%x' % start, sal.line, h(name), h(f), h(full))",
  'PwatchPlace()',
].join('\n');

/** Defines $_pwatch_place(); false when this gdb has no Python (places are then unknown). */
export function installPlaceFunction(gdb: MiSender): Promise<boolean> {
  return exec.runPython(gdb, PYTHON_SOURCE);
}

/** Where `pc` is, from debug information alone; {} when gdb knows nothing of it. */
export async function symbolPlace(gdb: MiSender, pc: bigint): Promise<CodePlace> {
  let text = '';
  for (let part = 0; part < MOST_PARTS; part++) {
    const piece = /^"([0-9a-f -]*)"/.exec(await data.evaluate(gdb, `$_pwatch_place(0x${pc.toString(16)}, ${part})`))?.[1] ?? '';
    text += piece;
    if (piece.length < CHUNK) {
      break;
    }
  }
  const match = /^([0-9a-f]+|-) (\d+) ([0-9a-f]*) ([0-9a-f]*) ([0-9a-f]*)$/.exec(text);
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
  const libraries = new LibrarySymbols(pid);
  return {
    place: async (g, pc) => {
      if (!python) {
        return {};
      }
      await libraries.loadFor(g, pc);
      return symbolPlace(g, pc);
    },
    threads: () => Promise.resolve(liveThreads(pid).map((tid) => ({ id: tid, tid }))),
  };
}

/** The shared libraries whose symbols gdb has (the executable's are loaded at the start: observedProcess.ts). */
class LibrarySymbols {
  private readonly tried = new Set<string>();

  constructor(private readonly pid: number) {
    try {
      this.tried.add(fs.readlinkSync(`/proc/${pid}/exe`));
    } catch {
      // Gone: nothing will be asked.
    }
  }

  /** Loads the symbols of the library mapped at `pc`, at its load bias, once. */
  async loadFor(gdb: MiSender, pc: bigint): Promise<void> {
    const maps = mappings(this.pid);
    const file = maps.find((m) => m.start <= pc && pc < m.end && m.path.startsWith('/'))?.path;
    if (!file || this.tried.has(file)) {
      return;
    }
    this.tried.add(file);
    const first = maps.find((m) => m.path === file && m.offset === 0n);
    // eslint-disable-next-line no-control-regex -- a line break would end the gdb command
    if (!first || /[\0-\x1f\x7f]/.test(file)) {
      return;
    }
    await exec.consoleCommand(gdb, `add-symbol-file ${cliQuoted(file)} -o 0x${first.start.toString(16)}`).catch(() => undefined);
  }
}
