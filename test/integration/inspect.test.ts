import * as assert from 'assert';
import * as fs from 'fs';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, program, Session, sourceOf, withSession, suite } from './harness';

/** Stops in main after local_config.origin.x = 7 has run. */
async function stopInMain(s: Session): Promise<DebugProtocol.StackFrame> {
  const stopped = await s.launchToStop({ program: program('threads') }, { [sourceOf('threads')]: [{ line: markerLine('threads', 'main-add') }] });
  return s.topFrame(stopped.body.threadId!);
}

async function child(s: Session, variables: DebugProtocol.Variable[], name: string): Promise<DebugProtocol.Variable[]> {
  const v = variables.find((x) => x.name === name);
  assert.ok(v, `no ${name} in ${variables.map((x) => x.name).join(', ')}`);
  assert.ok(v.variablesReference > 0, `${name} is not expandable`);
  return (await s.dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables;
}

suite('inspecting a stopped program', 'gdb', 3, () => {

  it('lists threads and pages a worker stack with files and lines', async () => {
    await withSession(async (s) => {
      const line = markerLine('threads', 'worker');
      const stopped = await s.launchToStop({ program: program('threads'), args: ['4'] }, { [sourceOf('threads')]: [{ line }] });
      const threads = (await s.dc.threadsRequest()).body.threads;
      assert.ok(threads.length >= 2, `main and at least one worker: ${JSON.stringify(threads)}`);
      assert.ok(threads.every((t) => /\(tid \d+\)$/.test(t.name)), JSON.stringify(threads));
      const threadId = stopped.body.threadId!;
      const full = await s.dc.stackTraceRequest({ threadId });
      const frames = full.body.stackFrames;
      assert.strictEqual(frames[0].name, 'worker');
      assert.strictEqual(frames[0].source?.path, sourceOf('threads'));
      assert.strictEqual(frames[0].line, line);
      assert.ok((full.body.totalFrames ?? 0) >= 2 && frames.length === full.body.totalFrames);
      const page = await s.dc.stackTraceRequest({ threadId, startFrame: 1, levels: 1 });
      assert.strictEqual(page.body.stackFrames.length, 1);
      assert.strictEqual(page.body.stackFrames[0].name, frames[1].name);
    });
  });

  it('expands a nested struct, an array and a pointer', async () => {
    await withSession(async (s) => {
      const frame = await stopInMain(s);
      const locals = await s.localsOf(frame.id);
      const config = await child(s, locals, 'local_config');
      assert.match(config.find((v) => v.name === 'name')?.value ?? '', /"demo"/);
      const origin = await child(s, config, 'origin');
      assert.deepStrictEqual(origin.map((v) => [v.name, v.value]), [['x', '7'], ['y', '4']]);
      const limitsVar = config.find((v) => v.name === 'limits');
      assert.strictEqual(limitsVar?.indexedVariables, 3);
      const limits = await child(s, config, 'limits');
      assert.deepStrictEqual(limits.map((v) => v.value), ['10', '20', '30']);
      const argv = await child(s, locals, 'argv');
      assert.match(argv[0].value, /bin\/threads"$/);
    });
  });

  it('evaluates expressions in a frame, reports errors, runs -exec commands', async () => {
    await withSession(async (s) => {
      const frame = await stopInMain(s);
      const sum = await s.dc.evaluateRequest({ expression: 'local_config.origin.x + 1', frameId: frame.id, context: 'watch' });
      assert.strictEqual(sum.body.result, '8');
      const global = await s.dc.evaluateRequest({ expression: 'global_config.limits[2]', context: 'repl' });
      assert.strictEqual(global.body.result, '30');
      const struct = await s.dc.evaluateRequest({ expression: 'global_config.origin', frameId: frame.id, context: 'hover' });
      assert.ok(struct.body.variablesReference > 0, 'a struct result is expandable');
      await assert.rejects(s.dc.evaluateRequest({ expression: 'no_such_symbol', frameId: frame.id, context: 'watch' }), /No symbol "no_such_symbol"/);
      await assert.rejects(s.dc.evaluateRequest({ expression: 'add(1, 2)', frameId: frame.id, context: 'hover' }), /not evaluated on hover/);
      // gdb makes a variable object with an empty value when reading fails: the answer is gdb's error, not "".
      await assert.rejects(s.dc.evaluateRequest({ expression: '*(int *)8', frameId: frame.id, context: 'watch' }), /Cannot access memory at address 0x8/);
      // Braces in an error text are the user's, not message placeholders (this once crashed the response).
      await assert.rejects(s.dc.customRequest('readMemory', { memoryReference: 'x{_}{name}', count: 1 }), /"x\{_\}\{name\}" is not an address/);
      await s.dc.evaluateRequest({ expression: '-exec info line add', frameId: frame.id, context: 'repl' });
      await s.waitForOutput('console', /Line \d+ of ".*threads\.c"/);
    });
  });

  it('sets a variable and reads memory', async () => {
    await withSession(async (s) => {
      const frame = await stopInMain(s);
      const origin = await child(s, await s.localsOf(frame.id), 'local_config');
      const originRef = origin.find((v) => v.name === 'origin')!.variablesReference;
      const set = await s.dc.setVariableRequest({ variablesReference: originRef, name: 'y', value: '40 + 2' });
      assert.strictEqual(set.body.value, '42');
      const y = await s.dc.evaluateRequest({ expression: 'local_config.origin.y', frameId: frame.id, context: 'watch' });
      assert.strictEqual(y.body.result, '42');

      const pointer = await s.dc.evaluateRequest({ expression: '&global_config.limits[0]', frameId: frame.id, context: 'watch' });
      assert.ok(pointer.body.memoryReference, 'a pointer has a memory reference');
      const memory = (await s.dc.customRequest('readMemory', { memoryReference: pointer.body.memoryReference!, count: 12 })) as DebugProtocol.ReadMemoryResponse;
      const bytes = Buffer.from(memory.body?.data ?? '', 'base64');
      assert.deepStrictEqual([bytes.readInt32LE(0), bytes.readInt32LE(4), bytes.readInt32LE(8)], [10, 20, 30]);
      const unmapped = (await s.dc.customRequest('readMemory', { memoryReference: '0x8', count: 16 })) as DebugProtocol.ReadMemoryResponse;
      assert.strictEqual(unmapped.body?.unreadableBytes, 16);
    });
  });

  it('writes a string literal into a char array, and refuses one that does not fit', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop({ program: program('greet') }, { [sourceOf('greet')]: [{ line: markerLine('greet', 'greet-read') }] });
      const frame = await s.topFrame(stopped.body.threadId!);
      const locals = (await s.dc.scopesRequest({ frameId: frame.id })).body.scopes[0].variablesReference;
      await s.dc.setVariableRequest({ variablesReference: locals, name: 'name', value: '"Ada \\"L\\"\\n"' });
      const text = await s.dc.evaluateRequest({ expression: '(char *) name', frameId: frame.id, context: 'watch' });
      assert.match(text.body.result, /"Ada \\"L\\"\\n"$/);
      await assert.rejects(
        s.dc.setVariableRequest({ variablesReference: locals, name: 'name', value: `"${'x'.repeat(256)}"` }),
        /'name' holds 255 characters and a NUL: that string is 256 bytes/,
      );
    });
  });

  it('shows registers', async () => {
    await withSession(async (s) => {
      const frame = await stopInMain(s);
      const scopes = (await s.dc.scopesRequest({ frameId: frame.id })).body.scopes;
      const registers = scopes.find((x) => x.name === 'Registers')!;
      const values = (await s.dc.variablesRequest({ variablesReference: registers.variablesReference })).body.variables;
      assert.match(values.find((v) => v.name === 'rip')?.value ?? '', /0x[0-9a-f]+/);
    });
  });

  it('disassembles around the stopped instruction, both ways, with source lines, and steps one instruction', async () => {
    await withSession(async (s) => {
      const frame = await stopInMain(s);
      const ip = BigInt(frame.instructionPointerReference!);
      const body = (await s.dc.customRequest('disassemble', { memoryReference: frame.instructionPointerReference, instructionOffset: -5, instructionCount: 20 }))
        .body as DebugProtocol.DisassembleResponse['body'];
      const listed = body!.instructions;
      assert.strictEqual(listed.length, 20);
      assert.strictEqual(BigInt(listed[5].address), ip, 'the reference is the sixth instruction');
      assert.strictEqual(listed[5].line, markerLine('threads', 'main-add'));
      assert.strictEqual(listed[5].location?.path, sourceOf('threads'));
      assert.match(listed[5].symbol ?? '', /^main\+\d+$/);
      // Decoded back to back: each instruction starts where the one before it ends.
      for (let i = 1; i < listed.length; i++) {
        const size = BigInt(listed[i - 1].instructionBytes!.split(' ').length);
        assert.strictEqual(BigInt(listed[i].address), BigInt(listed[i - 1].address) + size, `instruction ${i}: ${JSON.stringify(listed.slice(i - 1, i + 1))}`);
      }
      // next by instruction steps over a call too: it always lands on the following instruction.
      const stepped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.nextRequest({ threadId: 1, granularity: 'instruction' });
      await stepped;
      const after = BigInt((await s.topFrame(1)).instructionPointerReference!);
      assert.strictEqual(after, BigInt(listed[6].address), 'one instruction on');
      const unreadable = (await s.dc.customRequest('disassemble', { memoryReference: '0x8', instructionCount: 3 })).body as DebugProtocol.DisassembleResponse['body'];
      assert.deepStrictEqual(unreadable!.instructions.map((i) => [i.address, i.presentationHint]), [['0x8', 'invalid'], ['0x9', 'invalid'], ['0xa', 'invalid']]);
    });
  });

  it('stops at an instruction breakpoint set from the disassembly', async () => {
    await withSession(async (s) => {
      const frame = await stopInMain(s);
      const body = (await s.dc.customRequest('disassemble', { memoryReference: frame.instructionPointerReference, instructionCount: 12 }))
        .body as DebugProtocol.DisassembleResponse['body'];
      const target = body!.instructions[10];
      const set = (await s.dc.customRequest('setInstructionBreakpoints', {
        breakpoints: [{ instructionReference: target.address }, { instructionReference: 'not an address' }],
      })) as DebugProtocol.SetInstructionBreakpointsResponse;
      assert.strictEqual(set.body.breakpoints[0].verified, true);
      assert.match(set.body.breakpoints[1].message ?? '', /is not an address/);
      const stopped = await s.continueToStop(1);
      assert.strictEqual(stopped.body.reason, 'instruction breakpoint');
      assert.strictEqual(BigInt((await s.topFrame(1)).instructionPointerReference!), BigInt(target.address));
    });
  });

  it('writes memory, tells views to refresh, and refuses what cannot be written', async () => {
    await withSession(async (s) => {
      const frame = await stopInMain(s);
      const memoryEvent = s.dc.waitForEvent('memory') as Promise<DebugProtocol.MemoryEvent>;
      const pointer = await s.dc.evaluateRequest({ expression: '&global_config.limits[1]', frameId: frame.id, context: 'watch' });
      const value = Buffer.alloc(4);
      value.writeInt32LE(77);
      const written = (await s.dc.customRequest('writeMemory', { memoryReference: pointer.body.memoryReference, data: value.toString('base64') })) as DebugProtocol.WriteMemoryResponse;
      assert.strictEqual(written.body?.bytesWritten, 4);
      assert.strictEqual((await memoryEvent).body.count, 4);
      const now = await s.dc.evaluateRequest({ expression: 'global_config.limits[1]', frameId: frame.id, context: 'watch' });
      assert.strictEqual(now.body.result, '77');
      await assert.rejects(s.dc.customRequest('writeMemory', { memoryReference: '0x8', data: value.toString('base64'), allowPartial: true }), /cannot be written/);
      await assert.rejects(s.dc.customRequest('writeMemory', { memoryReference: '0x8', data: 'not base64!' }), /base64/);
    });
  });

  it('lists the program and its shared libraries as modules, announced as they load, and pages them', async () => {
    await withSession(async (s) => {
      const announced: DebugProtocol.ModuleEvent[] = [];
      s.dc.on('module', (e: DebugProtocol.ModuleEvent) => announced.push(e));
      await stopInMain(s);
      const all = ((await s.dc.customRequest('modules', {})) as DebugProtocol.ModulesResponse).body;
      assert.strictEqual(all.modules[0].path, program('threads'));
      const libc = all.modules.find((m) => /^libc\.so/.test(m.name));
      assert.ok(libc && /^0x[0-9a-f]+-0x[0-9a-f]+$/.test(libc.addressRange ?? '') && /Symbols/.test(libc.symbolStatus ?? ''), JSON.stringify(libc));
      assert.ok(announced.some((e) => e.body.reason === 'new' && e.body.module.path === libc.path), 'libc was announced when it loaded');
      const page = ((await s.dc.customRequest('modules', { startModule: 1, moduleCount: 1 })) as DebugProtocol.ModulesResponse).body;
      assert.deepStrictEqual(page.modules, [all.modules[1]]);
      assert.strictEqual(page.totalModules, all.modules.length);
    });
  });

  it('lists the sources the debug information names that exist here (loadedSources)', async () => {
    await withSession(async (s) => {
      await stopInMain(s);
      const sources = ((await s.dc.customRequest('loadedSources', {})) as DebugProtocol.LoadedSourcesResponse).body.sources;
      assert.ok(sources.some((source) => source.path === sourceOf('threads') && source.name === 'threads.c'), JSON.stringify(sources.slice(0, 5)));
      assert.ok(sources.every((source) => source.path && fs.existsSync(source.path)), 'only sources that can be opened');
      assert.strictEqual(new Set(sources.map((source) => source.path)).size, sources.length, 'each once');
    });
  });
});
