import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { armTable, measureArmLatency } from '../../bench/armLatency';
import { attachTable, measureAttach } from '../../bench/attach';
import { hitTable, measureHitLatency } from '../../bench/hitLatency';
import { logTable, measureLogThroughput } from '../../bench/logThroughput';
import { measureSlowdown, slowdownTable } from '../../bench/slowdown';
import { requireWatchpoints, ROOT, TIMEOUT } from './harness';

describe('benchmark harness (smoke: 1 thread, 1 run)', function () {
  this.timeout(TIMEOUT * 3);
  before(function () {
    requireWatchpoints(this);
    for (const name of ['sleepers', 'hitter', 'churn']) {
      if (!fs.existsSync(path.join(ROOT, 'bench', 'bin', name))) {
        throw new Error(`bench/bin/${name} is not built (npm run build)`);
      }
    }
  });

  it('measures pwatch and gdb arm latency side by side and tabulates them', async () => {
    const rows = await measureArmLatency([1], 1, () => undefined);
    assert.strictEqual(rows.length, 1);
    const [row] = rows;
    assert.ok(row.pwatch.median > 0 && row.gdb.median > 0, JSON.stringify(row));
    assert.strictEqual(row.pwatch.runs.length, 1);
    assert.match(armTable(rows), /^\| threads \|.*\n\|---:.*\n\| 1 \| /);
  });

  it('measures hit latency and progress during a stop for pwatch (non-stop and all-stop) and gdb', async () => {
    const rows = await measureHitLatency([1], 1, () => undefined);
    assert.deepStrictEqual(rows.map((r) => r.mode), ['pwatch-thread', 'pwatch-all', 'gdb-watch']);
    assert.ok(rows.every((r) => r.latency.median > 0 && r.latency.runs.length === 1), JSON.stringify(rows));
    assert.match(hitTable(rows), /\| 1 \| pwatch-thread \| /);
  });

  it('measures the slowdown of an armed, never-hit watchpoint: none, pwatch and gdb', async () => {
    const rows = await measureSlowdown([1], 1, () => undefined);
    assert.deepStrictEqual(rows.map((r) => r.mode), ['none', 'pwatch', 'gdb-watch']);
    assert.ok(rows.every((r) => r.workMs.median > 0 && r.rate.median > 0), JSON.stringify(rows));
    assert.match(slowdownTable(rows), /\| 1 \| none \| \d+ \(1\.00×\)/);
  });

  it('measures data logpoint throughput: pwatch, gdb watch + commands, gdb dprintf', async () => {
    const rows = await measureLogThroughput(1, 100, 5, () => undefined);
    assert.deepStrictEqual(rows.map((r) => r.mode), ['pwatch', 'gdb-watch', 'gdb-dprintf']);
    assert.ok(rows.every((r) => r.rate.median > 0), JSON.stringify(rows));
    assert.deepStrictEqual(rows[0].missing, [0], 'pwatch logs every access');
    assert.match(logTable(rows), /\| pwatch \| 1,000 \| /);
  });

  it('measures attaching to a running process and arming, pwatch and gdb', async () => {
    const rows = await measureAttach([1], 1, () => undefined);
    assert.ok(rows[0].pwatch.median > 0 && rows[0].gdb.median > 0, JSON.stringify(rows));
    assert.match(attachTable(rows), /^\| threads \|.*\n\|---:.*\n\| 1 \| /);
  });

  it('measures arming with threads spinning on the CPUs', async () => {
    const rows = await measureArmLatency([1], 1, () => undefined, 1);
    assert.strictEqual(rows[0].spinning, 1);
    assert.match(armTable(rows), /\| 1 \+ 1 spinning \| /);
  });
});
