/** The loadedSources request: the sources gdb knows from debug information, those that can be opened here. */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as path from 'path';
import { sourceFiles } from '../gdb/commands/file';
import { MiSender } from '../gdb/connection';

export async function loadedSources(gdb: MiSender): Promise<DebugProtocol.Source[]> {
  const unique = [...new Set(await sourceFiles(gdb))].sort();
  // A header named by a library's debug information but not installed here cannot be shown.
  return unique.filter((file) => path.isAbsolute(file) && fs.existsSync(file)).map((file) => ({ name: path.basename(file), path: file }));
}
