/**
 * The demo's scripted session: drives dist/adapter.js over DAP exactly as an editor would, against real
 * gdb and test-workspace/bin/threads, and prints what goes back and forth.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const source = path.join(root, 'test-workspace', 'src', 'threads.c');
const program = path.join(root, 'test-workspace', 'bin', 'threads');
const workerLine = fs.readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes('/* BP:worker */')) + 1;

const send = (text: string) => console.log(`  → ${text}`);
const recv = (text: string) => console.log(`  ← ${text}`);

async function main(): Promise<void> {
  const dc = new DebugClient('node', path.join(root, 'dist', 'adapter.js'), 'pwatch');
  dc.defaultTimeout = 30000;
  await dc.start();
  const programOutput: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'stdout') {
      programOutput.push(e.body.output);
      recv(`output (program stdout): ${e.body.output.trimEnd()}`);
    }
  });
  dc.on('thread', (e: DebugProtocol.ThreadEvent) => recv(`thread ${e.body.reason}: ${e.body.threadId}`));

  console.log(`\npwatch demo: a DAP session against gdb and ${path.relative(root, program)} (4 worker threads)\n`);
  send('initialize');
  const init = await dc.initializeRequest({ adapterID: 'pwatch', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const caps = Object.entries(init.body ?? {}).filter(([, v]) => v === true).map(([k]) => k.replace(/^supports?/, ''));
  recv(`capabilities: ${caps.join(', ')}`);

  send(`launch ${path.relative(root, program)} 4`);
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const configured = (async () => {
    await dc.waitForEvent('initialized');
    recv('initialized');
    send(`setBreakpoints threads.c:${workerLine} (inside worker(), run only by worker threads)`);
    const set = await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: workerLine }] });
    recv(`breakpoint ${set.body.breakpoints[0].id}: verified=${set.body.breakpoints[0].verified} line ${set.body.breakpoints[0].line}`);
    send('configurationDone');
    await dc.configurationDoneRequest();
  })();
  await Promise.all([configured, dc.launchRequest({ program, args: ['4'] } as DebugProtocol.LaunchRequestArguments)]);
  const hit = await stopped;
  recv(`stopped: reason=${hit.body.reason} threadId=${hit.body.threadId} allThreadsStopped=${hit.body.allThreadsStopped}`);

  send('threads');
  const threads = (await dc.threadsRequest()).body.threads;
  for (const t of threads) {
    recv(`  ${t.id === hit.body.threadId ? '*' : ' '} ${t.id}: ${t.name}`);
  }

  send(`stackTrace thread ${hit.body.threadId}`);
  const trace = await dc.stackTraceRequest({ threadId: hit.body.threadId! });
  for (const f of trace.body.stackFrames) {
    recv(`  #${trace.body.stackFrames.indexOf(f)} ${f.name}${f.source ? ` at ${f.source.name}:${f.line}` : ''}`);
  }

  const top = trace.body.stackFrames[0];
  send(`scopes + variables of frame #0`);
  const scopes = (await dc.scopesRequest({ frameId: top.id })).body.scopes;
  const locals = (await dc.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables;
  for (const v of locals) {
    recv(`  ${v.name}: ${v.type} = ${v.value}${v.variablesReference ? '  (expandable)' : ''}`);
  }
  send('evaluate "arg->index" (which worker is this?)');
  recv(`  ${(await dc.evaluateRequest({ expression: 'arg->index', frameId: top.id, context: 'watch' })).body.result}`);

  send('setBreakpoints [] + continue');
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
  const exited = dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
  await dc.continueRequest({ threadId: hit.body.threadId! });
  recv(`exited: code ${(await exited).body.exitCode}`);
  await dc.waitForEvent('terminated');
  recv('terminated');
  await dc.stop();
  console.log('\nData breakpoints across every thread come from the native engine (issue #3); gdb\'s own watch is never used.\n');
}

main().catch((e: Error) => {
  console.error(`demo failed: ${e.message}`);
  process.exit(1);
});
