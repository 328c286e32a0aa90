import * as assert from 'assert';
import { Framed, MAX_MESSAGE_BYTES, MessageReader } from '../../adapter/protocol/framing';

const frame = (body: string, header = `Content-Length: ${Buffer.byteLength(body)}`) => Buffer.from(`${header}\r\n\r\n${body}`);
const request = (seq: number) => JSON.stringify({ type: 'request', seq, command: 'threads' });
const seqs = (items: Framed[]) => items.filter((i) => i.kind === 'message').map((i) => (i.value as { seq: number }).seq);

describe('DAP framing', () => {
  it('reads messages split across chunks and several in one chunk', () => {
    const reader = new MessageReader();
    const bytes = Buffer.concat([frame(request(1)), frame(request(2))]);
    const got: Framed[] = [];
    for (let i = 0; i < bytes.length; i += 7) {
      got.push(...reader.push(bytes.subarray(i, i + 7)));
    }
    assert.deepStrictEqual(seqs(got), [1, 2]);
    assert.deepStrictEqual(seqs(new MessageReader().push(bytes)), [1, 2]);
  });

  it('skips a bad Content-Length and reads the next message', () => {
    for (const value of ['-5', 'abc', '1e2', '', '99999999999']) {
      const reader = new MessageReader();
      const got = reader.push(Buffer.concat([Buffer.from(`Content-Length: ${value}\r\n\r\n`), frame(request(3))]));
      assert.strictEqual(got[0].kind, 'malformed', value);
      assert.deepStrictEqual(seqs(got), [3], value);
    }
  });

  it('accepts a lowercase header name', () => {
    assert.deepStrictEqual(seqs(new MessageReader().push(frame(request(4), `content-length: ${request(4).length}`))), [4]);
  });

  it('reports bodies that are not a JSON object, keeping a readable seq, and goes on', () => {
    const reader = new MessageReader();
    const got = reader.push(Buffer.concat([frame('{'), frame('null'), frame('[1]'), frame('{"seq": 9, "type": "request", "command": "threads"'), frame(request(5))]));
    assert.deepStrictEqual(got.map((g) => g.kind), ['malformed', 'malformed', 'malformed', 'malformed', 'message']);
    assert.deepStrictEqual((got[3] as { value?: unknown }).value, { type: 'request', seq: 9, command: 'threads' });
    assert.strictEqual((got[0] as { value?: unknown }).value, undefined, 'no seq, nothing to answer');
    assert.deepStrictEqual(seqs(got), [5]);
  });

  it('flags a request without an integer seq or a command', () => {
    const [got] = new MessageReader().push(frame(JSON.stringify({ type: 'request', seq: 6 })));
    assert.strictEqual(got.kind, 'malformed');
  });

  it('throws away an oversized body without buffering it, then reads on', () => {
    const reader = new MessageReader();
    const size = MAX_MESSAGE_BYTES + 10;
    const got = reader.push(Buffer.from(`Content-Length: ${size}\r\n\r\n`));
    assert.strictEqual(got[0].kind, 'malformed');
    let left = size;
    while (left > 0) {
      const n = Math.min(left, 1 << 20);
      assert.deepStrictEqual(reader.push(Buffer.alloc(n, 0x20)), []);
      left -= n;
    }
    assert.deepStrictEqual(seqs(reader.push(frame(request(7)))), [7]);
  });
});
