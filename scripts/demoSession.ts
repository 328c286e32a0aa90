/**
 * The demo's scripted session: drives dist/adapter.js over DAP exactly as an editor would, against real
 * gdb and test-workspace/bin/threads, and prints what goes back and forth: a data breakpoint armed before
 * any worker thread exists, hits in the workers as they come, coverage as threads appear, then a source
 * breakpoint in a worker, its threads, stack and variables, a data logpoint; then a race hunt on a lost update
 * (test-workspace/bin/race_counter) with both threads' lines; then a running program observed with no debugger
 * (test-workspace/bin/churn), its writes counted per thread, and a debugger attached on demand.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { onPwatchEvent, pwatchRequest } from '../adapter/protocol/pwatchClient';
import type { LogpointEventBody, RaceEventBody } from '../adapter/protocol/pwatchProtocol';

const root = path.resolve(__dirname, '..', '..');
const source = path.join(root, 'test-workspace', 'src', 'threads.c');
const program = path.join(root, 'test-workspace', 'bin', 'threads');
const workerLine = fs.readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes('/* BP:worker */')) + 1;

const send = (text: string) => console.log(`  → ${text}`);
const recv = (text: string) => console.log(`  ← ${text}`);

async function where(dc: DebugClient, threadId: number): Promise<string> {
  const frame = (await dc.stackTraceRequest({ threadId, levels: 1 })).body.stackFrames[0];
  return `${frame.name}${frame.source ? ` (${frame.source.name}:${frame.line})` : ''}`;
}

async function continueToStop(dc: DebugClient, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await dc.continueRequest({ threadId });
  return stopped;
}

async function main(): Promise<void> {
  const dc = new DebugClient('node', path.join(root, 'dist', 'adapter.js'), 'pwatch');
  dc.defaultTimeout = 30000;
  await dc.start();
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'stdout') {
      recv(`program output: ${e.body.output.trimEnd()}`);
    }
  });
  onPwatchEvent(dc, 'pwatch/coverage', (body) => {
    recv(`pwatch/coverage: ${body.covered} of ${body.total} threads covered, ${body.missed.length} missed`);
  });

  console.log(`\npwatch demo: a DAP session against gdb and ${path.relative(root, program)} (4 worker threads)\n`);
  send('initialize');
  const init = await dc.initializeRequest({ adapterID: 'pwatch', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const caps = Object.entries(init.body ?? {}).filter(([, v]) => v === true).map(([k]) => k.replace(/^supports?/, ''));
  recv(`capabilities: ${caps.join(', ')}`);

  send(`launch ${path.relative(root, program)} 4, stopAtEntry (gdb starti opens the watch slots before any thread exists)`);
  const entry = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()), dc.launch({ program, args: ['4'], stopAtEntry: true })]);
  const atEntry = await entry;
  recv(`stopped: ${atEntry.body.reason} in ${await where(dc, atEntry.body.threadId!)}, threads: ${(await dc.threadsRequest()).body.threads.length}`);

  send('dataBreakpointInfo shared_counter');
  const info = await dc.dataBreakpointInfoRequest({ name: 'shared_counter' });
  recv(`dataId ${info.body.dataId}, access ${info.body.accessTypes?.join('/')}, canPersist ${info.body.canPersist}`);
  send('setDataBreakpoints [shared_counter, write]');
  const [armed] = (await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] })).body.breakpoints;
  recv(`data breakpoint ${armed.id ?? '(none)'}: ${armed.verified ? '' : 'NOT ARMED: '}${armed.message}`);
  if (!armed.verified) {
    // A machine whose kernel or CPU cannot give data breakpoints: the adapter says why; the rest still runs.
    console.log('\n  (this machine cannot run data breakpoints: the demo goes on with ordinary debugging)\n');
  }

  let threadId = atEntry.body.threadId!;
  for (let i = 0; i < (armed.verified ? 4 : 0); i++) {
    send('continue');
    const hit = await continueToStop(dc, threadId);
    threadId = hit.body.threadId!;
    const thread = (await dc.threadsRequest()).body.threads.find((t) => t.id === threadId);
    recv(`stopped: ${hit.body.reason} in thread ${threadId} ${thread?.name ?? ''} at ${await where(dc, threadId)}: ${hit.body.text}`);
  }

  send('setDataBreakpoints [] + setBreakpoints threads.c:' + workerLine + ' (inside worker())');
  await dc.setDataBreakpointsRequest({ breakpoints: [] });
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: workerLine }] });
  send('continue');
  const hit = await continueToStop(dc, threadId);
  recv(`stopped: ${hit.body.reason} in thread ${hit.body.threadId}`);

  send('threads');
  for (const t of (await dc.threadsRequest()).body.threads) {
    recv(`  ${t.id === hit.body.threadId ? '*' : ' '} ${t.id}: ${t.name}`);
  }
  send(`stackTrace thread ${hit.body.threadId}`);
  const trace = await dc.stackTraceRequest({ threadId: hit.body.threadId! });
  trace.body.stackFrames.forEach((f, i) => recv(`  #${i} ${f.name}${f.source ? ` at ${f.source.name}:${f.line}` : ''}`));
  const top = trace.body.stackFrames[0];
  send('scopes + variables of frame #0');
  const scopes = (await dc.scopesRequest({ frameId: top.id })).body.scopes;
  for (const v of (await dc.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables) {
    recv(`  ${v.name}: ${v.type} = ${v.value}${v.variablesReference ? '  (expandable)' : ''}`);
  }
  send('evaluate "arg->index"');
  recv(`  ${(await dc.evaluateRequest({ expression: 'arg->index', frameId: top.id, context: 'watch' })).body.result}`);

  send('pwatch/setDataLogpoints [shared_counter] (logs every write, never stops)');
  const logged = await pwatchRequest(dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'shared_counter' }] })
    .then((body) => body.logpoints[0])
    .catch((e: Error) => ({ id: undefined, message: `refused: ${e.message}` }));
  recv(`data logpoint ${logged.id ?? '(none)'}: ${logged.message}`);
  let report: LogpointEventBody | undefined;
  onPwatchEvent(dc, 'pwatch/logpoint', (body) => (report = body));
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'console' && e.body.output.includes('shared_counter:')) {
      e.body.output.trimEnd().split('\n').slice(0, 3).forEach((line) => recv(`console: ${line}`));
    }
  });

  send('setBreakpoints [] + continue');
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
  const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
  await dc.continueRequest({ threadId: hit.body.threadId! });
  recv(`exited: code ${(await exited).body.exitCode}`);
  await dc.waitForEvent('terminated');
  recv('terminated');
  const counts = report?.perThread.map((t) => `tid ${t.tid}: ${t.count}`).join(', ');
  recv(`pwatch/logpoint: ${report?.total ?? 0} writes logged without a stop (${counts ?? 'none'}), ${report?.lost ?? 0} lost`);
  await dc.stop();
  if (armed.verified) {
    await raceHunt();
    await observe();
  }
  console.log(
    armed.verified
      ? "\nThe data breakpoint and the data logpoint came from pwatch's native engine (perf_event_open, inherited by every new thread); gdb's own watch was never used.\n"
      : '\nThis machine cannot give data breakpoints (the reason is above); on one whose debug registers fire, the demo shows them stopping each worker.\n',
  );
}

/** A second session: a race hunt on race_counter's shared counter (stopMode thread: one thread is held at a time). */
async function raceHunt(): Promise<void> {
  const racy = path.join(root, 'test-workspace', 'bin', 'race_counter');
  console.log(`\npwatch demo: a race hunt in ${path.relative(root, racy)} (4 threads increment one counter, no lock)\n`);
  const dc = new DebugClient('node', path.join(root, 'dist', 'adapter.js'), 'pwatch');
  dc.defaultTimeout = 30000;
  await dc.start();
  send(`launch ${path.relative(root, racy)} 30, stopMode thread, stopAtEntry`);
  const entry = dc.waitForEvent('stopped');
  await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()), dc.launch({ program: racy, args: ['30'], stopAtEntry: true, stopMode: 'thread', console: 'internalConsole' })]);
  await entry;
  onPwatchEvent(dc, 'pwatch/race', (race) => {
    if (race.count === 1) {
      const side = (a: RaceEventBody['first']) => `thread ${a.threadId} ${a.access}s at ${path.basename(a.frames[0]?.file ?? '?')}:${a.frames[0]?.line} in ${a.frames[0]?.name}`;
      recv(`pwatch/race on ${race.symbol}: ${side(race.first)} (held) while ${side(race.second)}`);
    }
  });
  send('pwatch/huntRaces { targets: [{ expression: "counter" }], durationMs: 2000 } + continue');
  const answered = pwatchRequest(dc, 'pwatch/huntRaces', { targets: [{ expression: 'counter' }], durationMs: 2000 });
  await dc.continueRequest({ threadId: 1 });
  const result = await answered;
  recv(`hunt ended (${result.reason}): ${result.races} distinct race(s) in ${result.stalls} stalls over ${(result.durationMs / 1000).toFixed(1)} s`);
  await dc.disconnectRequest({ terminateDebuggee: true });
  await dc.stop();
}

const tracerOf = (pid: number) => /^TracerPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];

/** A third session: a running program observed with no tracer, then a debugger attached on demand. */
async function observe(): Promise<void> {
  const churn = path.join(root, 'test-workspace', 'bin', 'churn');
  console.log(`\npwatch demo: observing ${path.relative(root, churn)}, already running, with no debugger (it starts 8 threads per line read)\n`);
  const child = spawn(churn, ['2'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const dc = new DebugClient('node', path.join(root, 'dist', 'adapter.js'), 'pwatch');
  dc.defaultTimeout = 30000;
  try {
    while (!/churn: pid/.test(output)) {
      await new Promise((resolve) => child.stdout!.once('data', resolve));
    }
    await dc.start();
    send(`attach { pid: ${child.pid}, mode: "observe" }`);
    await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()), dc.attachRequest({ pid: child.pid, mode: 'observe' } as DebugProtocol.AttachRequestArguments)]);
    recv(`attached; the program's TracerPid is ${tracerOf(child.pid!)} (nothing traces it)`);
    let last: LogpointEventBody | undefined;
    onPwatchEvent(dc, 'pwatch/logpoint', (body) => (last = body));
    send('pwatch/setDataLogpoints [churn_target]');
    const [logpoint] = (await pwatchRequest(dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'churn_target' }] })).logpoints;
    recv(`data logpoint ${logpoint.id}: ${logpoint.message}`);
    send('(the program reads a line and starts its threads)');
    child.stdin!.write('go\n');
    const made = () => [...output.matchAll(/wrote (\d+) times/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    // churn 2: the early thread writes 1000 times, the 8 workers 100, 200, … 800 times.
    const deadline = Date.now() + 30000;
    while ((made() < 4600 || (last?.total ?? 0) < made()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    recv(`pwatch/logpoint: ${last!.total} writes logged from ${last!.perThread.length} threads (the program made ${made()}), ${last!.lost} lost, no stop`);
    send('pwatch/attachDebugger (the editor\'s "Attach Debugger Now")');
    await pwatchRequest(dc, 'pwatch/attachDebugger', {});
    recv(`gdb attached: TracerPid ${tracerOf(child.pid!)}; the logpoint goes on`);
  } finally {
    await dc.disconnectRequest({ terminateDebuggee: false }).catch(() => undefined);
    await dc.stop().catch(() => undefined);
    child.kill('SIGKILL');
  }
}

main().catch((e: Error) => {
  console.error(`demo failed: ${e.message}`);
  process.exit(1);
});
