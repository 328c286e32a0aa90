/**
 * What gdb is given for Rust programs before they load: the toolchain's pretty printers (as rust-gdb gives them:
 * on Python's path, trusted for auto-load, and in the source path where gdb looks for the script the program's
 * `.debug_gdb_scripts` section names), the index function that subscripts are rewritten to, and the skip that
 * keeps Step Into out of the toolchain's code.
 */
import { errorText } from '../util/errors';
import * as exec from '../gdb/commands/exec';
import { MiSender } from '../gdb/connection';
import { miCommand } from '../gdb/mi/quote';
import { INDEX_FUNCTION, KEY_INDEX_FUNCTION } from './indexing';
import { findRustProgram, RustProgram } from './toolchain';

/**
 * `$pwatch_index(value, i)`: element i of anything a printer shows as a sequence, read from memory, and the value
 * of key i of a map. A reference or pointer to a printed container (a `&Vec` parameter) is indexed as the
 * container, where gdb would do pointer arithmetic. A printer that knows its data pointer and length (Rust's
 * Vec, slices) is indexed directly; others are walked (unless a third argument, direct only, is non-zero);
 * values with no printer (arrays, raw pointers) are subscripted by gdb. Never calls into the program. Errors are
 * gdb.GdbError, which gdb shows as the message alone. `$pwatch_index_key` is the same for a map and a string key
 * (indexing.ts: the key's text arrives as integers, so gdb puts no string in the program's memory).
 */
const INDEX_FUNCTION_PY = `
import gdb, itertools
def _pwatch_container(value):
    # A reference or pointer to a container or an array is the container; Rc, Arc and Box hold theirs.
    for _ in range(8):
        code = value.type.strip_typedefs().code
        if code in (gdb.TYPE_CODE_PTR, gdb.TYPE_CODE_REF, getattr(gdb, "TYPE_CODE_RVALUE_REF", -1)):
            try:
                target = value.dereference()
            except gdb.error:
                return value
            if gdb.default_visualizer(target) is not None or target.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY:
                value = target
                continue
            return value
        printer = gdb.default_visualizer(value)
        hint = printer.display_hint() if printer is not None and hasattr(printer, "display_hint") else None
        inner = None if printer is None or hint in ("array", "map") else getattr(printer, "_value", getattr(printer, "value", None))
        if isinstance(inner, gdb.Value):
            value = inner
            continue
        return value
    return value
def _pwatch_text(value):
    # Keys compare by their whole printed text: the default print cuts strings after 200 characters.
    try:
        return value.format_string(max_elements=0, repeat_threshold=0)
    except (gdb.error, TypeError, AttributeError):
        return str(value)
def _pwatch_int(index):
    try:
        return int(index)
    except (gdb.error, ValueError, TypeError):
        raise gdb.GdbError("the index must be a number, not %s" % index)
def _pwatch_index(container, index, direct_only=0, key=None):
    container = _pwatch_container(container)
    printer = gdb.default_visualizer(container)
    hint = printer.display_hint() if printer is not None and hasattr(printer, "display_hint") else None
    fields = [f.name for f in container.type.strip_typedefs().fields()] if container.type.strip_typedefs().code == gdb.TYPE_CODE_STRUCT else []
    if printer is None and "data_ptr" in fields and "length" in fields:
        # A slice-like fat pointer without a printer (Box<[T]>).
        ptr, length, hint = container["data_ptr"], container["length"], "array"
    elif printer is None or not hasattr(printer, "children") or hint not in ("array", "map"):
        if printer is not None:
            raise gdb.GdbError("%s cannot be indexed" % container.type)
        i = _pwatch_int(index)
        array = container.type.strip_typedefs()
        if array.code == gdb.TYPE_CODE_ARRAY:
            low, high = array.range()
            if not low <= i <= high:
                raise gdb.GdbError("index %d is out of range: the length is %d" % (i, high - low + 1))
        try:
            return container[i]
        except gdb.error as e:
            raise gdb.GdbError("%s cannot be indexed: %s" % (container.type, e))
    if key is not None and hint != "map":
        raise gdb.GdbError("%s is not a map: it cannot be indexed by a string" % container.type)
    if hint == "map":
        wanted = key if key is not None else _pwatch_text(index)
        children = iter(printer.children())
        for (_, key), (_, value) in zip(children, children):
            if _pwatch_text(key) == wanted:
                return value
        raise gdb.GdbError("no key %s in this %s" % (wanted, container.type))
    i = _pwatch_int(index)
    if i < 0:
        raise gdb.GdbError("index %d is negative" % i)
    if printer is not None:
        # Rust's printers name these with a leading underscore since 1.64, without before.
        ptr, length, ring = (getattr(printer, "_" + a, getattr(printer, a, None)) for a in ("data_ptr", "length", "head"))
    else:
        ring = None
    if ptr is not None and length is not None and ring is None:
        if i >= int(length):
            raise gdb.GdbError("index %d is out of range: the length is %d" % (i, int(length)))
        return (ptr + i).dereference()
    if int(direct_only) or printer is None:
        raise gdb.GdbError("%s cannot be indexed directly" % container.type)
    for name, value in itertools.islice(printer.children(), i, i + 1):
        return value
    raise gdb.GdbError("index %d is out of range" % i)
class PwatchIndex(gdb.Function):
    def __init__(self):
        super(PwatchIndex, self).__init__(${JSON.stringify(INDEX_FUNCTION)})
    def invoke(self, container, index, direct_only=0):
        return _pwatch_index(container, index, direct_only)
class PwatchIndexKey(gdb.Function):
    def __init__(self):
        super(PwatchIndexKey, self).__init__(${JSON.stringify(KEY_INDEX_FUNCTION)})
    def invoke(self, container, length, *words):
        data = b"".join(int(w).to_bytes(7, "big") for w in words)[:int(length)]
        return _pwatch_index(container, None, key=data.decode("utf-8", "replace"))
PwatchIndexKey()
PwatchIndex()
`;

/** The toolchain's crates, by the paths gdb names their functions with (a POSIX extended regex). */
const TOOLCHAIN_FUNCTIONS = '^(std|core|alloc|hashbrown|panic_unwind|std_detect|__rust[a-z_]*)::';

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
  // Step Into steps over the toolchain's code (its sources are not here), as it does over functions without line
  // information; quietly (gdb would print a line). By function name: file globs do not cross '/' in gdb.
  await exec.consoleCommand(gdb, `python gdb.execute(${JSON.stringify(`skip -rfunction ${TOOLCHAIN_FUNCTIONS}`)}, to_string=True)`).catch(() => undefined);
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
