/**
 * gdb CLI commands typed after `-exec`. Execution commands (continue, next, step, finish, until, advance, jump,
 * signal) run in gdb's foreground when given through the console: gdb reads no command until the program stops
 * (measured: after `-exec continue` every request waited for a stop that never came). They are sent in the
 * background form (`continue &`), so gdb keeps answering and the session sees the program run and stop as for
 * the toolbar. Commands that start, end or replace the program behind the session's back are refused.
 */
const EXECUTION = /^\s*(c|cont|continue|fg|n|next|s|step|si|stepi|ni|nexti|fin|finish|u|until|advance|j|jump|signal)(\s|$)/;
const REPLACES_THE_PROGRAM = /^\s*(r|run|start|starti|k|kill|detach|attach|target|q|quit|file|exec-file|core|core-file)(\s|$)/;

const INSTEAD: Record<string, string> = {
  k: 'Stop', kill: 'Stop', q: 'Stop', quit: 'Stop', detach: 'Disconnect',
};

export type ConsoleCommand = { refused: string } | { send: string };

/** gdb's `interrupt` (all-stop, or one thread in non-stop; `-a`: every thread): a pause the user asked for. */
export function isInterruptCommand(line: string): boolean {
  return /^\s*interrupt(\s+-a)?\s*&?\s*$/.test(line);
}

/** What pwatch does with `-exec <line>`: the line to send to gdb, or why it is refused. */
export function consoleCommand(line: string, postMortem: boolean): ConsoleCommand {
  const replaces = REPLACES_THE_PROGRAM.exec(line);
  if (replaces || (postMortem && EXECUTION.test(line))) {
    if (postMortem) {
      return { refused: `'${line.trim()}' is not possible: this session examines a core dump; start a launch session to run the program` };
    }
    const word = replaces![1];
    const instead = INSTEAD[word] ? `use ${INSTEAD[word]} on the debug toolbar` : 'start a new session for that';
    return { refused: `'${word}' starts, ends or replaces the program behind pwatch's back, so it is not passed to gdb: ${instead}` };
  }
  if (EXECUTION.test(line) && !/&\s*$/.test(line)) {
    return { send: `${line.trim()} &` };
  }
  return { send: line };
}
