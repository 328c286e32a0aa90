/**
 * A streaming GDB/MI output parser: feed it chunks of gdb's stdout as they arrive, get whole records.
 * Written here because the MI parsers on npm are unmaintained; the grammar is the GDB manual's.
 */
import { StringDecoder } from 'string_decoder';
import { MiRecord, MiResultClass, MiTuple, MiValue } from './types';

const RESULT_CLASSES: ReadonlySet<string> = new Set(['done', 'running', 'connected', 'error', 'exit']);
const ASYNC_KINDS = { '*': 'exec', '+': 'status', '=': 'notify' } as const;
const STREAM_KINDS = { '~': 'console', '@': 'target', '&': 'log' } as const;

export class MiParseError extends Error {}

/** Splits a byte stream into lines and parses each one; a chunk may end in the middle of a line. */
export class MiStreamParser {
  private readonly decoder = new StringDecoder('utf8');
  /** The start of a line not yet ended, in the pieces it came in: a megabyte line arrives in hundreds of
   * chunks, and joining and rescanning it at each one took seconds (measured: 28 s for 2 MB). */
  private partial: string[] = [];

  /** Returns the records completed by this chunk, in order. */
  push(chunk: Buffer | string): MiRecord[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const records: MiRecord[] = [];
    let newline: number;
    while ((newline = text.indexOf('\n')) >= 0) {
      this.partial.push(text.slice(0, newline));
      const line = this.partial.join('').replace(/\r$/, '');
      this.partial = [];
      text = text.slice(newline + 1);
      if (line.length > 0) {
        records.push(parseMiLine(line));
      }
    }
    if (text.length > 0) {
      this.partial.push(text);
    }
    return records;
  }
}

/** Parses one line of MI output; a line that is not MI comes back as `unknown`, never as an exception. */
export function parseMiLine(line: string): MiRecord {
  if (/^\(gdb\)\s*$/.test(line)) {
    return { kind: 'prompt' };
  }
  try {
    return new LineParser(line).record();
  } catch (e) {
    if (e instanceof MiParseError) {
      return { kind: 'unknown', line };
    }
    throw e;
  }
}

class LineParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  record(): MiRecord {
    const token = this.token();
    const sigil = this.text[this.pos++];
    if (sigil === '^') {
      const resultClass = this.word();
      if (!RESULT_CLASSES.has(resultClass)) {
        throw new MiParseError(`unknown result class ${resultClass}`);
      }
      return { kind: 'result', token, resultClass: resultClass as MiResultClass, results: this.trailingResults() };
    }
    if (sigil === '*' || sigil === '+' || sigil === '=') {
      const asyncClass = this.word();
      return { kind: ASYNC_KINDS[sigil], token, asyncClass, results: this.trailingResults() };
    }
    if (token === undefined && (sigil === '~' || sigil === '@' || sigil === '&')) {
      const text = this.cString();
      this.expectEnd();
      return { kind: STREAM_KINDS[sigil], text };
    }
    throw new MiParseError(`unexpected ${JSON.stringify(sigil)}`);
  }

  private token(): number | undefined {
    const start = this.pos;
    while (this.pos < this.text.length && isDigit(this.text.charCodeAt(this.pos))) {
      this.pos++;
    }
    return this.pos > start ? Number(this.text.slice(start, this.pos)) : undefined;
  }

  private word(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !',{}[]="'.includes(this.text[this.pos])) {
      this.pos++;
    }
    if (this.pos === start) {
      throw new MiParseError('expected a name');
    }
    return this.text.slice(start, this.pos);
  }

  /** `( "," result )*` up to the end of the line. */
  private trailingResults(): MiTuple {
    const tuple = new TupleBuilder();
    while (this.pos < this.text.length) {
      this.expect(',');
      this.result(tuple);
    }
    return tuple.tuple;
  }

  private result(into: TupleBuilder): void {
    const key = this.word();
    this.expect('=');
    into.add(key, this.value());
  }

  private value(): MiValue {
    const c = this.text[this.pos];
    if (c === '"') return this.cString();
    if (c === '{') return this.tuple();
    if (c === '[') return this.list();
    throw new MiParseError(`expected a value at ${this.pos}`);
  }

  private tuple(): MiTuple | MiValue[] {
    this.expect('{');
    if (this.text[this.pos] === '"') {
      // gdb breaks its own grammar for breakpoint commands (`script={"silent","continue"}`): values in
      // braces. Read them as the list they mean; an unparsed record would leave its command unanswered.
      return this.items('}');
    }
    const tuple = new TupleBuilder();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return tuple.tuple;
    }
    for (;;) {
      this.result(tuple);
      if (this.text[this.pos] === '}') {
        this.pos++;
        return tuple.tuple;
      }
      this.expect(',');
    }
  }

  /** A list of values, or a list of results whose keys are dropped (`[frame={..},frame={..}]`). */
  private list(): MiValue[] {
    this.expect('[');
    return this.items(']');
  }

  private items(close: string): MiValue[] {
    const items: MiValue[] = [];
    if (this.text[this.pos] === close) {
      this.pos++;
      return items;
    }
    for (;;) {
      const c = this.text[this.pos];
      if (c !== '"' && c !== '{' && c !== '[') {
        this.word();
        this.expect('=');
      }
      items.push(this.value());
      if (this.text[this.pos] === close) {
        this.pos++;
        return items;
      }
      this.expect(',');
    }
  }

  /** A C string: escapes, and octal escapes that are bytes of UTF-8 text. */
  private cString(): string {
    this.expect('"');
    // Octal escapes are raw bytes (UTF-8 split by gdb), so the text is rebuilt as bytes; plain runs go whole,
    // which keeps a megabyte of output linear (byte by byte it took seconds).
    const parts: Buffer[] = [];
    const escaped: number[] = [];
    const flushEscaped = () => {
      if (escaped.length > 0) {
        parts.push(Buffer.from(escaped));
        escaped.length = 0;
      }
    };
    for (;;) {
      const quote = this.text.indexOf('"', this.pos);
      const backslash = this.text.indexOf('\\', this.pos);
      if (quote < 0) {
        throw new MiParseError('unterminated string');
      }
      const stop = backslash >= 0 && backslash < quote ? backslash : quote;
      if (stop > this.pos) {
        flushEscaped();
        parts.push(Buffer.from(this.text.slice(this.pos, stop), 'utf8'));
      }
      this.pos = stop + 1;
      if (stop === quote) {
        flushEscaped();
        return Buffer.concat(parts).toString('utf8');
      }
      const e = this.text[this.pos++];
      if (e >= '0' && e <= '7') {
        let octal = e;
        while (octal.length < 3 && this.text[this.pos] >= '0' && this.text[this.pos] <= '7') {
          octal += this.text[this.pos++];
        }
        escaped.push(parseInt(octal, 8) & 0xff);
        continue;
      }
      const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
      if (simple === undefined) {
        // gdb escapes nothing else; keep unknown escapes literally rather than lose text.
        escaped.push(0x5c);
        flushEscaped();
        parts.push(Buffer.from(e ?? '', 'utf8'));
      } else {
        escaped.push(simple);
      }
    }
  }


  private expect(c: string): void {
    if (this.text[this.pos] !== c) {
      throw new MiParseError(`expected ${c} at ${this.pos}`);
    }
    this.pos++;
  }

  private expectEnd(): void {
    if (this.pos !== this.text.length) {
      throw new MiParseError('trailing text');
    }
  }
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 0x0a,
  t: 0x09,
  r: 0x0d,
  '"': 0x22,
  '\\': 0x5c,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
  e: 0x1b,
};

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Builds a tuple; a key seen again turns into an array of all its values, in order. */
class TupleBuilder {
  readonly tuple: MiTuple = {};
  private readonly repeated = new Set<string>();

  add(key: string, value: MiValue): void {
    if (!Object.prototype.hasOwnProperty.call(this.tuple, key)) {
      this.tuple[key] = value;
    } else if (this.repeated.has(key)) {
      (this.tuple[key] as MiValue[]).push(value);
    } else {
      this.repeated.add(key);
      this.tuple[key] = [this.tuple[key], value];
    }
  }
}
