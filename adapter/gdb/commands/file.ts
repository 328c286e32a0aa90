/** The program's files and symbols: -file-list-shared-libraries, the =library-loaded records that announce them, -symbol-info-functions. */
import { MiSender } from '../mi/types';
import { miString, miTuple, miTupleList } from '../mi/access';
import { flag, miCommand } from '../mi/quote';
import { MiTuple } from '../mi/types';

export interface GdbLibrary {
  id: string;
  /** The file as gdb reads it on this machine. */
  path: string;
  symbolsLoaded: boolean;
  from?: bigint;
  to?: bigint;
}

export function parseLibrary(t: MiTuple): GdbLibrary {
  const range = miTupleList(t, 'ranges')[0];
  const from = range && miString(range, 'from');
  const to = range && miString(range, 'to');
  return {
    id: miString(t, 'id') ?? '',
    // Through a gdbserver gdb reads libraries from the target: "target:/lib/...".
    path: (miString(t, 'host-name') ?? miString(t, 'target-name') ?? '').replace(/^target:/, ''),
    symbolsLoaded: miString(t, 'symbols-loaded') === '1',
    from: from ? BigInt(from) : undefined,
    to: to ? BigInt(to) : undefined,
  };
}

export async function sharedLibraries(gdb: MiSender): Promise<GdbLibrary[]> {
  return miTupleList(await gdb.send(miCommand('-file-list-shared-libraries')), 'shared-libraries').map(parseLibrary);
}

/** The source files named by the debug information of the program and its loaded libraries (full paths). */
export async function sourceFiles(gdb: MiSender): Promise<string[]> {
  const files = miTupleList(await gdb.send(miCommand('-file-list-exec-source-files')), 'files');
  return files.map((f) => miString(f, 'fullname') ?? miString(f, 'file') ?? '').filter((f) => f !== '');
}

export interface GdbFunctionSymbol {
  name: string;
  /** The source file's full path as the debug information names it (empty for a symbol without). */
  file: string;
  line: number;
  /** A symbol without debug information: its address. */
  address?: bigint;
}

/**
 * Functions whose name matches `regex` (gdb's -symbol-info-functions --name): those with debug information, and
 * with `withoutDebugInfo` the program's other symbols too (with their addresses).
 */
export async function functionsNamed(gdb: MiSender, regex: string, withoutDebugInfo = false): Promise<GdbFunctionSymbol[]> {
  const results = await gdb.send(miCommand('-symbol-info-functions', ...(withoutDebugInfo ? [flag('--include-nondebug')] : []), flag('--name'), regex));
  const symbols = miTuple(results, 'symbols') ?? {};
  const withDebugInfo = miTupleList(symbols, 'debug').flatMap((f) =>
    miTupleList(f, 'symbols').map((s) => ({
      name: miString(s, 'name') ?? '',
      file: miString(f, 'fullname') ?? miString(f, 'filename') ?? '',
      line: Number(miString(s, 'line') ?? 0),
    })),
  );
  const other = miTupleList(symbols, 'nondebug').map((s) => ({ name: miString(s, 'name') ?? '', file: '', line: 0, address: BigInt(miString(s, 'address') ?? '0') }));
  return [...withDebugInfo, ...other];
}
