/**
 * The one way anything reaches gdb: every value is rendered as an MI c-string, so no user text can end
 * the command line, start another command, or be read as an option. Operation names and option flags
 * are our own constants and are checked against a strict pattern.
 */

export class MiQuoteError extends Error {}

/** An option flag such as `--thread` or `-f`, or `--` (end of options): only our code makes these. */
export class MiFlag {
  constructor(readonly name: string) {
    if (!/^(--|--?[a-z][a-z0-9-]*)$/.test(name)) {
      throw new MiQuoteError(`not an MI option: ${JSON.stringify(name)}`);
    }
  }
}

export const flag = (name: string): MiFlag => new MiFlag(name);

export type MiPart = MiFlag | string | number;

/** Renders `text` as an MI c-string. A NUL cannot be expressed in gdb's C strings, so it is refused. */
export function quoteMi(text: string): string {
  if (text.includes('\0')) {
    throw new MiQuoteError('text contains a NUL character, which gdb cannot receive');
  }
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') {
      out += '\\' + ch;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (code < 0x20 || code === 0x7f) {
      out += '\\' + code.toString(8).padStart(3, '0');
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/** Builds one MI command line (without token or newline). */
export function miCommand(operation: string, ...parts: MiPart[]): string {
  if (!/^-[a-z][a-z0-9-]*$/.test(operation)) {
    throw new MiQuoteError(`not an MI operation: ${JSON.stringify(operation)}`);
  }
  const rendered = parts.map((part) => {
    if (part instanceof MiFlag) {
      return part.name;
    }
    if (typeof part === 'number') {
      if (!Number.isSafeInteger(part)) {
        throw new MiQuoteError(`not an integer: ${part}`);
      }
      return String(part);
    }
    return quoteMi(part);
  });
  return [operation, ...rendered].join(' ');
}

/**
 * A few MI commands (`-gdb-set`, `-exec-arguments`) are gdb CLI commands in disguise: they take the raw
 * rest of the line and would read a quoted c-string as an expression. They only ever get words made of
 * the characters below, from our own constants.
 */
export function miCliCommand(operation: string, ...words: string[]): string {
  if (!/^-[a-z][a-z0-9-]*$/.test(operation)) {
    throw new MiQuoteError(`not an MI operation: ${JSON.stringify(operation)}`);
  }
  for (const word of words) {
    if (!/^[A-Za-z0-9_.:/=+-]+$/.test(word)) {
      throw new MiQuoteError(`not a plain word for ${operation}: ${JSON.stringify(word)}`);
    }
  }
  return [operation, ...words].join(' ');
}

/** gdb's argument quoting for CLI commands that split their arguments (buildargv): double quotes, backslash escapes. */
export function cliQuoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
