/**
 * `npm run bench`: every measure, pwatch and gdb side by side in one run. Writes
 * bench/results/<date>-<host>.json and bench/RESULTS.md (the latest table and the machine it ran on).
 * Options: --threads=1,100,1000,10000 --runs=5 --hits=5 --log-base=50000 --gdb-log-base=200
 * --spinning=2 (P1 again at 1,000 threads with that many spinning) --attach=10000 --no-write,
 * or --from=bench/results/<file>.json to write RESULTS.md from a saved run. About 11 minutes on 2 cores.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { armTable, machine, measureArmLatency } from './armLatency';
import { attachTable, measureAttach } from './attach';
import { hitTable, measureHitLatency } from './hitLatency';
import { logTable, measureLogThroughput } from './logThroughput';
import { fidelityTable, measureFidelity } from './fidelity';
import { BenchData, report } from './report';
import { measureTrapCost, trapCostTable } from './trapCost';
import { measureRaces, racesTable, RaceRow } from './races';
import { measureSlowdown, slowdownTable } from './slowdown';
import { measureObserveAttach, measureObserveChurn, measureObserveLog, observeTables } from './observe';

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

const root = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const from = option('from', '');
  if (from) {
    // Report a saved run again (e.g. after the report's wording changed), without measuring.
    const data = JSON.parse(fs.readFileSync(path.resolve(from), 'utf8')) as BenchData;
    fs.writeFileSync(path.join(root, 'bench', 'RESULTS.md'), report(data));
    console.log(`wrote bench/RESULTS.md from ${from}`);
    return;
  }
  if (option('only', '') === 'p6,p7') {
    return exactnessOnly();
  }
  if (option('only', '') === 'races') {
    return racesOnly();
  }
  if (option('only', '') === 'observe') {
    return observeOnly();
  }
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
  const command = `npm run bench -- --threads=${threads.join(',')} --runs=${runs} --hits=${hits} --log-base=${logBase} --gdb-log-base=${gdbLogBase} --spinning=${spinning} --attach=${attachThreads.join(',')}`;
  const data: BenchData = { date, machine: machine(), command, runs, hits, armLatency: arm, hitLatency: hit, logThroughput: logRows, slowdown: slow, attach };
  const results = path.join(root, 'bench', 'results', `${date}-${os.hostname()}.json`);
  fs.mkdirSync(path.dirname(results), { recursive: true });
  fs.writeFileSync(results, JSON.stringify(data, null, 2) + '\n');
  fs.writeFileSync(path.join(root, 'bench', 'RESULTS.md'), report(data));
  console.log(`wrote ${path.relative(root, results)} and bench/RESULTS.md`);
}

/**
 * `--only=p6,p7`: the fidelity and trap cost tables alone (issue #22), merged into the latest saved run, whose
 * RESULTS.md is written again with them. Options: --racers=2x20,4x20,16x1000 --silent=2000 --runs=5.
 */
async function exactnessOnly(): Promise<void> {
  const racers = option('racers', '2x20,4x20,16x1000')
    .split(',')
    .map((pair) => pair.split('x').map(Number) as [number, number]);
  const silent = Number(option('silent', '2000'));
  const runs = Number(option('runs', '5'));
  console.log(`pwatch bench (P6, P7) on ${machine()}`);
  console.log('P6 fidelity:');
  const fidelity = await measureFidelity(racers, (line) => console.log(line));
  console.log(`\n${fidelityTable(fidelity)}\n`);
  console.log(`P7 trap cost (${silent} silent resumes, ${runs} runs each):`);
  const trapCost = await measureTrapCost(silent, runs, (line) => console.log(line));
  console.log(`\n${trapCostTable(trapCost)}\n`);
  if (process.argv.includes('--no-write')) {
    return;
  }
  const command = `npm run bench -- --only=p6,p7 --racers=${racers.map((r) => r.join('x')).join(',')} --silent=${silent} --runs=${runs}`;
  mergeIntoLatest('P6 and P7', { fidelity, trapCost, exactness: { date: today(), machine: machine(), command } });
}

/**
 * `--only=races`: R1, whole-program race hunts over the labelled corpus (issue #24), merged into the latest saved run.
 * Options: --budget=30 (seconds per program and build) --opts=O0,O2 --programs=DRB011,DRB182 (default: all).
 */
async function racesOnly(): Promise<void> {
  const budget = Number(option('budget', '30'));
  const opts = option('opts', 'O0,O2').split(',') as RaceRow['opt'][];
  const only = option('programs', '').split(',').filter(Boolean);
  console.log(`pwatch bench (R1 race hunt) on ${machine()}`);
  const rows = await measureRaces(budget * 1000, opts, only, (line) => console.log(line));
  console.log(`\n${racesTable(rows)}\n`);
  if (process.argv.includes('--no-write')) {
    return;
  }
  const command = `npm run bench -- --only=races --budget=${budget} --opts=${opts.join(',')}${only.length ? ` --programs=${only.join(',')}` : ''}`;
  mergeIntoLatest('R1', { races: rows, racesRun: { date: today(), machine: machine(), command } });
}

/**
 * `--only=observe`: O1–O3, observe mode against a full attach, gdb and the kernel's floor (issue #25), merged into the
 * latest saved run. Options: --observe-threads=1,100,1000,10000 --churn-threads=1,1000 --log-base=50000 --runs=5.
 */
async function observeOnly(): Promise<void> {
  const threads = option('observe-threads', '1,100,1000,10000').split(',').map(Number);
  const churnThreads = option('churn-threads', '1,1000').split(',').map(Number);
  const base = Number(option('log-base', '50000'));
  const runs = Number(option('runs', '5'));
  console.log(`pwatch bench (O1-O3 observe mode) on ${machine()}`);
  console.log(`O1 attach and arm one data logpoint (${runs} runs each):`);
  const attach = await measureObserveAttach(threads, runs, (line) => console.log(line));
  console.log(`O2 create+join rate with a data logpoint armed (${runs} runs each):`);
  const churn = await measureObserveChurn(churnThreads, runs, (line) => console.log(line));
  console.log(`O3 accesses logged per second (${runs} runs each):`);
  const logRows = await measureObserveLog(base, runs, (line) => console.log(line));
  console.log(`\n${observeTables(attach, churn, logRows)}\n`);
  if (process.argv.includes('--no-write')) {
    return;
  }
  const command = `npm run bench -- --only=observe --observe-threads=${threads.join(',')} --churn-threads=${churnThreads.join(',')} --log-base=${base} --runs=${runs}`;
  mergeIntoLatest('O1-O3', { observe: { attach, churn, log: logRows }, observeRun: { date: today(), machine: machine(), command } });
}

const today = () => new Date().toISOString().slice(0, 10);

/** Tables measured alone are merged into the latest saved run, whose RESULTS.md is written again with them. */
function mergeIntoLatest(what: string, fields: Partial<BenchData>): void {
  const dir = path.join(root, 'bench', 'results');
  const latest = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().pop();
  if (!latest) {
    throw new Error(`no saved run in bench/results to merge ${what} into: run the whole bench first`);
  }
  const data = { ...(JSON.parse(fs.readFileSync(path.join(dir, latest), 'utf8')) as BenchData), ...fields };
  fs.writeFileSync(path.join(dir, latest), JSON.stringify(data, null, 2) + '\n');
  fs.writeFileSync(path.join(root, 'bench', 'RESULTS.md'), report(data));
  console.log(`merged ${what} into bench/results/${latest} and wrote bench/RESULTS.md`);
}

main().catch((e: Error) => {
  console.error(`bench failed: ${e.stack ?? e.message}`);
  process.exit(1);
});
