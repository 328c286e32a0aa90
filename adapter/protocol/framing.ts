/**
 * DAP's wire framing (`Content-Length: N\r\n\r\n` + N bytes of JSON), read defensively. The library's own
 * reader takes any header value as a number (a negative, `1e2` or non-numeric length loses every later
 * message), ignores a lowercase header, and ends the whole session on one message that is not JSON. Here a
 * bad header is reported and skipped, the reader resynchronises on the next header, and every message is
 * handed over as parsed JSON or as a precise complaint, never as an exception.
 */

/** Larger messages are refused (and skipped) rather than buffered: no client sends megabytes of JSON. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const SEPARATOR = Buffer.from('\r\n\r\n');
const HEADER_NAME = /^content-length$/i;

export type Framed = { kind: 'message'; value: unknown } | { kind: 'malformed'; reason: string; value?: unknown };

export class MessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** The body length announced by the last good header, or -1 while a header is awaited. */
  private expected = -1;
  /** Bytes of an oversized body still to be thrown away. */
  private discarding = 0;

  /** Feeds bytes from the client; returns every message they complete, in order. */
  push(chunk: Buffer): Framed[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Framed[] = [];
    for (;;) {
      if (this.discarding > 0) {
        const dropped = Math.min(this.discarding, this.buffer.length);
        this.buffer = this.buffer.subarray(dropped);
        this.discarding -= dropped;
        if (this.discarding > 0) {
          return out;
        }
      }
      if (this.expected < 0) {
        const end = this.buffer.indexOf(SEPARATOR);
        if (end < 0) {
          // A header never needs more than a few hundred bytes: a longer run without one is noise.
          if (this.buffer.length > 64 * 1024) {
            out.push({ kind: 'malformed', reason: `no header in ${this.buffer.length} bytes: skipped` });
            this.buffer = this.buffer.subarray(this.buffer.length - SEPARATOR.length);
          }
          return out;
        }
        const header = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + SEPARATOR.length);
        const length = contentLength(header);
        if (typeof length === 'string') {
          out.push({ kind: 'malformed', reason: length });
          continue;
        }
        if (length > MAX_MESSAGE_BYTES) {
          out.push({ kind: 'malformed', reason: `a ${length}-byte message is over the ${MAX_MESSAGE_BYTES}-byte limit: skipped` });
          this.discarding = length;
          continue;
        }
        this.expected = length;
      }
      if (this.buffer.length < this.expected) {
        return out;
      }
      const body = this.buffer.subarray(0, this.expected).toString('utf8');
      this.buffer = this.buffer.subarray(this.expected);
      this.expected = -1;
      out.push(parseBody(body));
    }
  }
}

/** The Content-Length of a header block, or why there is none. */
function contentLength(header: string): number | string {
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || !HEADER_NAME.test(line.slice(0, colon).trim())) {
      continue;
    }
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,10}$/.test(value)) {
      return `Content-Length ${JSON.stringify(value)} is not a byte count: message skipped`;
    }
    return Number(value);
  }
  return `a header without Content-Length (${JSON.stringify(header.slice(0, 80))}): skipped`;
}

function parseBody(body: string): Framed {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    // Enough of a broken request may survive to answer it: its seq (and command) if they can be read.
    const seq = /"seq"\s*:\s*(\d{1,15})/.exec(body);
    const command = /"command"\s*:\s*"([\w/.-]{1,64})"/.exec(body);
    const value = seq ? { type: 'request', seq: Number(seq[1]), command: command?.[1] ?? 'unknown' } : undefined;
    return { kind: 'malformed', reason: `not JSON (${(e as Error).message})`, value };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'malformed', reason: `a message must be a JSON object, not ${body.length > 40 ? body.slice(0, 40) + '…' : body}` };
  }
  const message = value as { type?: unknown; command?: unknown; seq?: unknown };
  if (message.type === 'request' && (typeof message.command !== 'string' || !Number.isInteger(message.seq))) {
    return { kind: 'malformed', reason: "a request needs an integer 'seq' and a string 'command'", value };
  }
  return { kind: 'message', value };
}
