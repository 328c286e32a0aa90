import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { armTable, measureArmLatency } from '../../bench/armLatency';
import { requireWatchpoints, ROOT, TIMEOUT } from './harness';

describe('benchmark harness (smoke: 1 thread, 1 run)', function () {
  this.timeout(TIMEOUT * 3);
  before(function () {
    requireWatchpoints(this);
    if (!fs.existsSync(path.join(ROOT, 'bench', 'bin', 'sleepers'))) {
      throw new Error('bench/bin/sleepers is not built (npm run build)');
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
});
