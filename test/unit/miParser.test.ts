import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MiStreamParser, parseMiLine } from '../../adapter/gdb/mi/parser';
import { MiRecord } from '../../adapter/gdb/mi/types';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'mi');

describe('GDB/MI parser', () => {
  it('parses a result record with a token and nested tuples and lists', () => {
    const record = parseMiLine(
      '12^done,stack=[frame={level="0",addr="0x1",func="main",file="a.c",line="3"},frame={level="1",addr="0x2",func="f",from="libc.so.6"}]',
    );
    assert.deepStrictEqual(record, {
      kind: 'result',
      token: 12,
      resultClass: 'done',
      results: {
        stack: [
          { level: '0', addr: '0x1', func: 'main', file: 'a.c', line: '3' },
          { level: '1', addr: '0x2', func: 'f', from: 'libc.so.6' },
        ],
      },
    });
  });

  it("reads gdb's values-in-braces for breakpoint commands as a list (gdb 13, dprintf and break-commands)", () => {
    const record = parseMiLine(
      '9^done,bkpt={number="2",type="dprintf",script={"printf \\"n=%d\\\\n\\",n","continue"},original-location="a.c:3"}',
    );
    assert.deepStrictEqual(record, {
      kind: 'result',
      token: 9,
      resultClass: 'done',
      results: { bkpt: { number: '2', type: 'dprintf', script: ['printf "n=%d\\n",n', 'continue'], 'original-location': 'a.c:3' } },
    });
  });

  it('parses exec, status and notify async records, with and without tokens', () => {
    assert.deepStrictEqual(parseMiLine('*running,thread-id="all"'), { kind: 'exec', token: undefined, asyncClass: 'running', results: { 'thread-id': 'all' } });
    assert.deepStrictEqual(parseMiLine('7+download,section=".text"'), { kind: 'status', token: 7, asyncClass: 'download', results: { section: '.text' } });
    assert.deepStrictEqual(parseMiLine('=thread-exited,id="3",group-id="i1"'), {
      kind: 'notify',
      token: undefined,
      asyncClass: 'thread-exited',
      results: { id: '3', 'group-id': 'i1' },
    });
    assert.deepStrictEqual(parseMiLine('^exit'), { kind: 'result', token: undefined, resultClass: 'exit', results: {} });
  });

  it('parses the three stream records', () => {
    assert.deepStrictEqual(parseMiLine('~"Breakpoint 1, main () at a.c:3\\n"'), { kind: 'console', text: 'Breakpoint 1, main () at a.c:3\n' });
    assert.deepStrictEqual(parseMiLine('@"remote output"'), { kind: 'target', text: 'remote output' });
    assert.deepStrictEqual(parseMiLine('&"warning: x\\n"'), { kind: 'log', text: 'warning: x\n' });
  });

  it('decodes escapes and octal-escaped UTF-8 in c-strings', () => {
    const record = parseMiLine('~"caf\\303\\251 \\"q\\" back\\\\slash\\ttab \\342\\234\\223 \\033[0m"');
    assert.deepStrictEqual(record, { kind: 'console', text: 'café "q" back\\slash\ttab ✓ \u001b[0m' });
    assert.deepStrictEqual(parseMiLine('~"already ünïcode"'), { kind: 'console', text: 'already ünïcode' });
  });

  it('collects a key repeated inside a tuple into an array, in order', () => {
    const record = parseMiLine('^done,thread-ids={thread-id="1",thread-id="2",thread-id="3"},current-thread-id="1",number-of-threads="3"');
    assert.ok(record.kind === 'result');
    assert.deepStrictEqual(record.results['thread-ids'], { 'thread-id': ['1', '2', '3'] });
    assert.strictEqual(record.results['number-of-threads'], '3');
  });

  it('keeps lists of plain values and empty tuples and lists', () => {
    const record = parseMiLine('^done,register-names=["rax","rbx","",""],empty={},none=[]');
    assert.ok(record.kind === 'result');
    assert.deepStrictEqual(record.results, { 'register-names': ['rax', 'rbx', '', ''], empty: {}, none: [] });
  });

  it('recognises the prompt and keeps non-MI lines (program output) as unknown', () => {
    assert.deepStrictEqual(parseMiLine('(gdb) '), { kind: 'prompt' });
    assert.deepStrictEqual(parseMiLine('counter=20'), { kind: 'unknown', line: 'counter=20' });
    assert.deepStrictEqual(parseMiLine('^done,unterminated="abc'), { kind: 'unknown', line: '^done,unterminated="abc' });
    assert.deepStrictEqual(parseMiLine('^bogus'), { kind: 'unknown', line: '^bogus' });
  });

  it('reassembles records split across chunks, including a split UTF-8 character', () => {
    const parser = new MiStreamParser();
    const bytes = Buffer.from('~"café"\n*running,thread-id="all"\n', 'utf8');
    const records: MiRecord[] = [];
    for (let i = 0; i < bytes.length; i++) {
      records.push(...parser.push(bytes.subarray(i, i + 1)));
    }
    assert.deepStrictEqual(records, [
      { kind: 'console', text: 'café' },
      { kind: 'exec', token: undefined, asyncClass: 'running', results: { 'thread-id': 'all' } },
    ]);
  });

  it('parses a recorded session with interleaved records in order', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'session.mi'), 'utf8');
    const parser = new MiStreamParser();
    const records = parser.push(text).filter((r) => r.kind !== 'prompt');
    const summary = records.map((r) => {
      switch (r.kind) {
        case 'result':
          return `${r.token ?? ''}^${r.resultClass}`;
        case 'exec':
        case 'status':
        case 'notify':
          return `${r.kind}:${r.asyncClass}`;
        case 'unknown':
          return `unknown:${r.line}`;
        default:
          return r.kind;
      }
    });
    assert.deepStrictEqual(summary, [
      'notify:thread-group-added',
      '1^done',
      'notify:thread-group-started',
      'notify:thread-created',
      'notify:library-loaded',
      '9^running',
      'exec:running',
      'console',
      'console',
      'notify:breakpoint-modified',
      'console',
      'console',
      'exec:stopped',
      '12^done',
      '13^error',
      'console',
      'notify:thread-exited',
      'notify:thread-group-exited',
      'exec:stopped',
    ]);
    const stopped = records[12];
    assert.ok(stopped.kind === 'exec');
    assert.deepStrictEqual(stopped.results.frame, {
      addr: '0x0000555555555168',
      func: 'main',
      args: [
        { name: 'c', value: '1' },
        { name: 'v', value: '0x7fffffffe728' },
      ],
      file: '/tmp/a.c',
      fullname: '/tmp/a.c',
      line: '3',
      arch: 'i386:x86-64',
    });
    const error = records[14];
    assert.ok(error.kind === 'result');
    assert.strictEqual(error.results.msg, 'No symbol "gdb" in current context.');
  });
});
