/** The program's files: -file-list-shared-libraries, and the =library-loaded records that announce them. */
import { MiSender } from '../connection';
import { miString, miTupleList } from '../mi/access';
import { miCommand } from '../mi/quote';
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
