/**
 * The diagnostic trace (PWATCH_TRACE): every MI line both ways and each stop decision, for diagnosing gdb and
 * pwatch on a machine where a failure cannot be reproduced at will (the tests keep one per session and print its
 * end when a test fails). To a file when PWATCH_TRACE is a path, else to stderr; nothing when it is unset.
 */
import * as fs from 'fs';

const target = process.env.PWATCH_TRACE;

function time(): string {
  return new Date().toISOString().slice(11, 23);
}

export const tracing = target !== undefined && target !== '';

/** Writes one line of `source` ("gdb", "stop") to the trace, when tracing; a function is called only then. */
export function trace(source: string, line: string | (() => string)): void {
  if (!tracing) {
    return;
  }
  const text = `[${source} ${time()}] ${typeof line === 'string' ? line : line()}\n`;
  if (target!.startsWith('/')) {
    fs.appendFileSync(target!, text);
  } else {
    process.stderr.write(text);
  }
}
