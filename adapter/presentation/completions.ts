/**
 * Debug Console completions from gdb's own completer (`-complete`): an expression is completed as `print` would
 * complete it (variables, members, functions, types), a `-exec` line as a gdb command.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { MiSender } from '../gdb/connection';
import { miList } from '../gdb/mi/access';
import { miCommand } from '../gdb/mi/quote';

const EXEC_PREFIX = '-exec ';

/** Where the word being completed starts: identifiers, `::` scopes and `$` convenience names belong to it. */
export function wordStart(line: string): number {
  const match = /[\w$:]*$/.exec(line);
  return match ? line.length - match[0].length : line.length;
}

/**
 * Items that replace the word before the cursor (0-based `cursor`, in UTF-16 units as DAP counts); `start` in
 * the items is 0-based too, the session converts it for the client.
 */
export async function completions(gdb: MiSender, text: string, cursor: number): Promise<DebugProtocol.CompletionItem[]> {
  const typed = text.slice(0, Math.max(0, cursor));
  if (/[\r\n]/.test(typed)) {
    return [];
  }
  const isCommand = typed.startsWith(EXEC_PREFIX);
  const line = isCommand ? typed.slice(EXEC_PREFIX.length) : typed;
  const asked = isCommand ? '' : 'print ';
  const start = wordStart(line);
  const head = asked + line.slice(0, start);
  const results = await gdb.send(miCommand('-complete', asked + line));
  const seen = new Set<string>();
  const items: DebugProtocol.CompletionItem[] = [];
  for (const match of miList(results, 'matches')) {
    const word = typeof match === 'string' && match.startsWith(head) ? match.slice(head.length) : undefined;
    if (word && !seen.has(word)) {
      seen.add(word);
      items.push({ label: word, start: (isCommand ? EXEC_PREFIX.length : 0) + start, length: line.length - start });
    }
  }
  return items;
}
