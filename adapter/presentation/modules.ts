/** The modules request and module events: the program and its shared libraries as DAP modules. */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as path from 'path';
import { GdbLibrary, sharedLibraries } from '../gdb/commands/file';
import { MiSender } from '../gdb/connection';

export function toModule(library: GdbLibrary): DebugProtocol.Module {
  return {
    id: library.id,
    name: path.basename(library.path),
    path: library.path,
    symbolStatus: library.symbolsLoaded ? 'Symbols loaded.' : 'Symbols not loaded.',
    addressRange: library.from !== undefined && library.to !== undefined ? `0x${library.from.toString(16)}-0x${library.to.toString(16)}` : undefined,
  };
}

/** The program's executable first (from /proc), then its shared libraries, paged as the client asks. */
export async function modules(gdb: MiSender, pid: number | undefined, args: DebugProtocol.ModulesArguments): Promise<DebugProtocol.ModulesResponse['body']> {
  const all: DebugProtocol.Module[] = [];
  if (pid !== undefined) {
    try {
      const exe = fs.readlinkSync(`/proc/${pid}/exe`);
      all.push({ id: exe, name: path.basename(exe), path: exe, symbolStatus: 'Symbols loaded.' });
    } catch {
      // The program is gone: its libraries are still gdb's to list.
    }
  }
  all.push(...(await sharedLibraries(gdb)).map(toModule));
  const start = Number.isSafeInteger(args.startModule) ? Math.max(0, args.startModule as number) : 0;
  const count = Number.isSafeInteger(args.moduleCount) && (args.moduleCount as number) > 0 ? (args.moduleCount as number) : all.length;
  return { modules: all.slice(start, start + count), totalModules: all.length };
}
