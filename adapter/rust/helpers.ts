/**
 * What gdb is given for Rust programs before they load: the toolchain's pretty printers (as rust-gdb gives them:
 * on Python's path, trusted for auto-load, and in the source path where gdb looks for the script the program's
 * `.debug_gdb_scripts` section names), and the index function that Vec subscripts are rewritten to.
 */
import { errorText } from '../errors';
import * as exec from '../gdb/commands/exec';
import { MiSender } from '../gdb/connection';
import { miCommand } from '../gdb/mi/quote';
import { INDEX_FUNCTION } from './indexing';
import { findRustProgram, RustProgram } from './toolchain';

/**
 * `$pwatch_index(value, i)`: element i of anything a printer shows as a sequence, read from memory. A printer that
 * knows its data pointer and length (Rust's Vec, VecDeque's contiguous part, String) is indexed directly;
 * others are walked (unless a third argument, direct only, is non-zero); values with no printer are subscripted
 * by gdb. Never calls into the program.
 */
const INDEX_FUNCTION_PY = `
import gdb, itertools
class PwatchIndex(gdb.Function):
    def __init__(self):
        super(PwatchIndex, self).__init__(${JSON.stringify(INDEX_FUNCTION)})
    def invoke(self, container, index, direct_only=0):
        i = int(index)
        printer = gdb.default_visualizer(container)
        if printer is None or not hasattr(printer, "children"):
            return container[i]
        if i < 0:
            raise gdb.GdbError("index %d is negative" % i)
        # Rust's printers name these with a leading underscore since 1.64, without before.
        ptr, length, ring = (getattr(printer, "_" + a, getattr(printer, a, None)) for a in ("data_ptr", "length", "head"))
        if ptr is not None and length is not None and ring is None:
            if i >= int(length):
                raise gdb.GdbError("index %d is out of range: the length is %d" % (i, int(length)))
            return (ptr + i).dereference()
        if int(direct_only):
            raise gdb.GdbError("%s cannot be indexed directly" % container.type)
        for name, value in itertools.islice(printer.children(), i, i + 1):
            return value
        raise gdb.GdbError("index %d is out of range" % i)
PwatchIndex()
`;

/** Defines the index function; a gdb without Python keeps gdb's own subscripts. */
export async function defineIndexFunction(gdb: MiSender): Promise<void> {
  await exec.consoleCommand(gdb, `python exec(${JSON.stringify(INDEX_FUNCTION_PY)})`).catch(() => undefined);
}

/**
 * Gives gdb the printers of the toolchain that built `program` (before gdb loads it, so the program's own
 * auto-load request finds them). undefined for a program that is not Rust. `note` tells the user what is missing.
 */
export async function prepareRust(gdb: MiSender, program: string, note: (text: string) => void): Promise<RustProgram | undefined> {
  const rust = findRustProgram(program);
  if (!rust) {
    return undefined;
  }
  if (rust.note) {
    note(rust.note);
  }
  const directory = rust.printers?.directory;
  if (directory === undefined) {
    return rust;
  }
  if (/[:\0\r\n]/.test(directory)) {
    // gdb's safe-path and source path are ':'-separated lists.
    note(`the Rust printers in ${JSON.stringify(directory)} cannot be given to gdb (':' or a line break in the path): Rust values are shown raw`);
    return { ...rust, printers: undefined };
  }
  try {
    await exec.consoleCommand(gdb, `python import sys; sys.path.insert(0, ${JSON.stringify(directory)})`);
    await exec.consoleCommand(gdb, `add-auto-load-safe-path ${directory}`);
    await gdb.send(miCommand('-environment-directory', directory));
  } catch (e) {
    note(`gdb did not take the Rust printers of ${directory} (${errorText(e)}): Rust values are shown raw`);
    return { ...rust, printers: undefined };
  }
  return rust;
}
