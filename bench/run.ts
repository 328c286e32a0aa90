/**
 * `npm run bench`: every measure, pwatch and gdb side by side in one run. Writes
 * bench/results/<date>-<host>.json and bench/RESULTS.md (the latest table and the machine it ran on).
 * Options: --threads=1,100,1000,10000 --runs=5 --hits=5 --log-base=50000 --gdb-log-base=200
 * --spinning=2 (P1 again at 1,000 threads with that many spinning) --attach=10000 --no-write
 * (about 8 minutes on 2 cores)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { armTable, machine, measureArmLatency } from './armLatency';
import { attachTable, measureAttach } from './attach';
import { hitTable, measureHitLatency } from './hitLatency';
import { logTable, measureLogThroughput } from './logThroughput';
import { measureSlowdown, slowdownTable } from './slowdown';

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const threads = option('threads', '1,100,1000,10000').split(',').map(Number);
  const runs = Number(option('runs', '5'));
  const write = !process.argv.includes('--no-write');
  console.log(`pwatch bench on ${machine()}`);
  console.log(`P1 arm latency (${runs} runs each, medians):`);
  const arm = await measureArmLatency(threads, runs, (line) => console.log(line));
  const spinning = Number(option('spinning', '2'));
  if (spinning > 0) {
    const spinAt = threads.filter((t) => t <= 1000).slice(-1);
    arm.push(...(await measureArmLatency(spinAt, runs, (line) => console.log(line), spinning)));
  }
  const table = armTable(arm);
  console.log(`\n${table}\n`);
  const hits = Number(option('hits', '5'));
  console.log(`P2 hit latency and progress during a stop (${hits} hits each):`);
  const hit = await measureHitLatency(threads, hits, (line) => console.log(line));
  const hitText = hitTable(hit);
  console.log(`\n${hitText}\n`);
  const logBase = Number(option('log-base', '50000'));
  const gdbLogBase = Number(option('gdb-log-base', '200'));
  console.log(`P3 data logpoint throughput (4 writing threads, ${runs} runs each):`);
  const logRows = await measureLogThroughput(runs, logBase, gdbLogBase, (line) => console.log(line));
  const logText = logTable(logRows);
  console.log(`\n${logText}\n`);
  console.log(`P4 slowdown with one watchpoint armed and never hit (${runs} runs each):`);
  const slow = await measureSlowdown(threads, runs, (line) => console.log(line));
  const slowText = slowdownTable(slow);
  console.log(`\n${slowText}\n`);
  const attachThreads = option('attach', '10000').split(',').map(Number);
  console.log(`P5 attach to a running process and arm one data breakpoint (${runs} runs each):`);
  const attach = await measureAttach(attachThreads, runs, (line) => console.log(line));
  const attachText = attachTable(attach);
  console.log(`\n${attachText}\n`);
  if (!write) {
    return;
  }
  const date = new Date().toISOString().slice(0, 10);
  const root = path.resolve(__dirname, '..', '..');
  const results = path.join(root, 'bench', 'results', `${date}-${os.hostname()}.json`);
  fs.mkdirSync(path.dirname(results), { recursive: true });
  fs.writeFileSync(results, JSON.stringify({ date, machine: machine(), runs, hits, armLatency: arm, hitLatency: hit, logThroughput: logRows, slowdown: slow, attach }, null, 2) + '\n');
  const command = `npm run bench -- --threads=${threads.join(',')} --runs=${runs} --hits=${hits} --log-base=${logBase} --gdb-log-base=${gdbLogBase} --spinning=${spinning} --attach=${attachThreads.join(',')}`;
  fs.writeFileSync(
    path.join(root, 'bench', 'RESULTS.md'),
    `# Benchmark results\n\nLatest run: ${date}, \`${command}\`, on ${machine()}.\n\n` +
      `## P1 arm latency\n\npwatch: \`setDataBreakpoints\` request → response with every thread covered. ` +
      `gdb: \`-break-watch\` + the \`-exec-continue\` that writes the debug registers into every thread, up to gdb's answer to the next command (gdb says \`^running\` first and resumes the threads in a batch after it). ` +
      `Threads sleep; medians of ${runs} runs after one warm-up.\n\n${table}\n\n` +
      `## P2 hit latency, and the other threads during a stop\n\nThe writer's CLOCK_MONOTONIC time just before it ` +
      `writes → the stop arriving at the client (DAP \`stopped\` for pwatch, MI \`*stopped\` for gdb). Progress: a ` +
      `counting thread's rate while the writer is stopped, over its rate with nothing armed (${hits} hits, medians). ` +
      `pwatch-thread is \`stopMode: "thread"\` (non-stop), pwatch-all is all-stop, gdb-watch is gdb's own \`watch\`.\n\n${hitText}\n\n` +
      `## P3 data logpoint throughput\n\ntest-workspace/src/logstorm.c: 4 threads write one variable in a tight loop ` +
      `(thread i writes (i+1)×base times). Accesses logged with thread and pc per second, from the resume to the program's exit ` +
      `as the client sees it; "not logged" = accesses the program made minus accesses logged. pwatch: a data logpoint ` +
      `(never stops); gdb-watch: \`watch\` + \`commands silent / printf / continue\` (gdb reports a write only when the value ` +
      `changed, so equal writes from two threads count once); gdb-dprintf: \`dprintf\` on the writing line. Medians of ${runs} runs.\n\n${logText}\n\n` +
      `## P4 slowdown with one watchpoint armed and never hit\n\nbench/programs/churn.c with N sleeping threads: 10^9 ` +
      `additions (its own CLOCK_MONOTONIC timing), then 2,000 pthread_create + pthread_join in a row. Medians of ${runs} runs. ` +
      `Under any ptrace debugger each thread creation stops the process for the tracer, which bounds the create+join rate.\n\n${slowText}\n\n` +
      `## P5 attach\n\nbench/programs/sleepers.c started without a debugger; attach and arm one data breakpoint, end to end. ` +
      `pwatch: \`attach\` → response (gdb attached; every thread given its data breakpoint and data logpoint events) + ` +
      `\`configurationDone\` + \`setDataBreakpoints\` → response with every thread covered. gdb: \`-target-attach\` → \`*stopped\`, ` +
      `\`-break-watch\`, \`-exec-continue\` → the answer to the next command. Medians of ${runs} runs.\n\n${attachText}\n`,
  );
  console.log(`wrote ${path.relative(root, results)} and bench/RESULTS.md`);
}

main().catch((e: Error) => {
  console.error(`bench failed: ${e.stack ?? e.message}`);
  process.exit(1);
});
