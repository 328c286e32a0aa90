/** Logpoint messages: text with `{expression}` parts that are evaluated in the stopped frame. */
import { FrameRef } from '../gdb/commands/context';
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';

export type LogPart = { text: string } | { expression: string };

/** `{{` and `}}` stand for literal braces. An unclosed `{` is kept as text. */
export function parseLogMessage(message: string): LogPart[] {
  const parts: LogPart[] = [];
  let text = '';
  let i = 0;
  while (i < message.length) {
    const c = message[i];
    if ((c === '{' || c === '}') && message[i + 1] === c) {
      text += c;
      i += 2;
      continue;
    }
    if (c === '{') {
      const end = message.indexOf('}', i + 1);
      if (end > i + 1) {
        if (text) {
          parts.push({ text });
          text = '';
        }
        parts.push({ expression: message.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    text += c;
    i++;
  }
  if (text) {
    parts.push({ text });
  }
  return parts;
}

/** The message with each expression's value (or `<error>`) in place. */
export async function renderLogMessage(gdb: MiSender, parts: LogPart[], frame: FrameRef | undefined): Promise<string> {
  let line = '';
  for (const part of parts) {
    line += 'text' in part ? part.text : await data.evaluate(gdb, part.expression, frame).catch((e: Error) => `<${e.message}>`);
  }
  return line;
}
