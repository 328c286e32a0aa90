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
 * `$pwatch_index(value, i)`: element i of anything a printer shows as a sequence, read from memory, and the value
 * of key i of a map. A reference or pointer to a printed container (a `&Vec` parameter) is indexed as the
 * container, where gdb would do pointer arithmetic. A printer that knows its data pointer and length (Rust's
 * Vec, slices) is indexed directly; others are walked (unless a third argument, direct only, is non-zero);
 * values with no printer (arrays, raw pointers) are subscripted by gdb. Never calls into the program. Errors are
 * gdb.GdbError, which gdb shows as the message alone.
 */
const INDEX_FUNCTION_PY = `
import gdb, itertools
def _pwatch_container(value):
    if value.type.strip_typedefs().code in (gdb.TYPE_CODE_PTR, gdb.TYPE_CODE_REF, getattr(gdb, "TYPE_CODE_RVALUE_REF", -1)):
        try:
            target = value.dereference()
            if gdb.default_visualizer(target) is not None:
                return target
        except gdb.error:
            pass
    return value
def _pwatch_int(index):
    try:
        return int(index)
    except (gdb.error, ValueError, TypeError):
        raise gdb.GdbError("the index must be a number, not %s" % index)
class PwatchIndex(gdb.Function):
    def __init__(self):
        super(PwatchIndex, self).__init__(${JSON.stringify(INDEX_FUNCTION)})
    def invoke(self, container, index, direct_only=0):
        container = _pwatch_container(container)
        printer = gdb.default_visualizer(container)
        if printer is None or not hasattr(printer, "children"):
            try:
                return container[_pwatch_int(index)]
            except gdb.error as e:
                raise gdb.GdbError("%s cannot be indexed: %s" % (container.type, e))
        hint = printer.display_hint() if hasattr(printer, "display_hint") else None
        if hint == "map":
            wanted = str(index)
            children = iter(printer.children())
            for (_, key), (_, value) in zip(children, children):
                if str(key) == wanted:
                    return value
            raise gdb.GdbError("no key %s in this %s" % (wanted, container.type))
        i = _pwatch_int(index)
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

/** Where the toolchain's sources are named: rustup's build paths, std's relative ones, Debian's source package. */
const TOOLCHAIN_SOURCES = ['/rustc/*', 'library/*', '/usr/src/rustc-*'];

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
  // Step Into steps over the toolchain's code (std, core, alloc: its sources are not here), as it does over
  // functions without line information; quietly (gdb would print one line per pattern).
  for (const pattern of TOOLCHAIN_SOURCES) {
    await exec.consoleCommand(gdb, `python gdb.execute(${JSON.stringify(`skip -gfile ${pattern}`)}, to_string=True)`).catch(() => undefined);
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
