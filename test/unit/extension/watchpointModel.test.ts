import * as assert from 'assert';
import { describeHit, describeThreadCount, describeWatchpoint, HISTORY, statusText, WatchpointModel } from '../../../extension/watchpoints/model';

const coverage = (id: number, missed: number[] = [], total = 4) => ({
  id,
  label: `v${id} (8 bytes, write)`,
  covered: total - missed.length,
  total,
  missed: missed.map((tid) => ({ tid, errno: 28, reason: 'no free debug register' })),
});

describe('Watchpoints view model', () => {
  it('asks for one warning per watchpoint, the first time it misses threads', () => {
    const model = new WatchpointModel();
    assert.strictEqual(model.onCoverage(coverage(1)), false);
    assert.strictEqual(model.onCoverage(coverage(1, [42])), true);
    assert.strictEqual(model.onCoverage(coverage(1, [42, 43])), false, 'not again for the same watchpoint');
    assert.strictEqual(model.onCoverage(coverage(2, [42])), true);
    assert.strictEqual(model.missedThreads(), 2);
    assert.strictEqual(statusText(model), '$(eye) 2 watchpoints, $(warning) 2 missed threads');
  });

  it('keeps the newest hits first, bounded, counts them all, and clears them', () => {
    const model = new WatchpointModel();
    model.onCoverage(coverage(1));
    for (let i = 0; i < HISTORY + 5; i++) {
      model.onHit({ id: 1, name: 'v1', old: String(i), new: String(i + 1), threadId: 2, time: 1000 + i });
    }
    const w = model.get(1)!;
    assert.strictEqual(w.hitCount, HISTORY + 5);
    assert.strictEqual(w.hits.length, HISTORY);
    assert.strictEqual(w.hits[0].new, String(HISTORY + 5));
    model.clearHits();
    assert.strictEqual(model.get(1)!.hits.length, 0);
    assert.strictEqual(statusText(model), '$(eye) 1 watchpoint');
  });

  it('describes hits and writes the log oldest first', () => {
    const model = new WatchpointModel();
    model.onHit({ id: 7, name: 'shared_counter', old: '1', new: '2', threadId: 3, function: 'worker', file: '/src/threads.c', line: 44, time: 2000 });
    model.onHit({ id: 7, name: 'shared_counter', old: '0', new: '1', threadId: 2, function: 'worker', file: '/src/threads.c', line: 44, time: 1000 });
    assert.strictEqual(describeHit(model.get(7)!.hits[0]), 'thread 2, worker (threads.c:44): 0 → 1');
    assert.strictEqual(describeHit({ id: 7, name: 'x', accessType: 'read', new: '5', time: 0 }), 'thread ?, unknown place: read 5');
    const log = model.hitLog().split('\n');
    assert.strictEqual(log.length, 2);
    assert.match(log[0], /^1970-01-01T00:00:01\.000Z shared_counter thread 2, worker \(threads\.c:44\): 0 → 1$/);
    model.reset();
    assert.deepStrictEqual(model.list(), []);
  });

  it('keeps a data logpoint\'s exact counts per thread and its latest accesses', () => {
    const model = new WatchpointModel();
    model.onCoverage({ ...coverage(2000000), kind: 'logpoint', label: 'storm_target (8 bytes, write)' });
    const hit = { tid: 812, threadId: 3, pc: '0x5555555551f8', function: 'storm', file: '/src/logstorm.c', line: 26, value: '17', time: 5 };
    model.onLogpoint({ id: 2000000, label: 'storm_target (8 bytes, write)', total: 3000, lost: 0, perThread: [{ tid: 812, threadId: 3, count: 1000 }, { tid: 813, count: 2000 }], hits: [hit] });
    model.onLogpoint({ id: 2000000, label: 'storm_target (8 bytes, write)', total: 1234567, lost: 89, perThread: [{ tid: 812, threadId: 3, count: 1000 }, { tid: 813, count: 1233567 }], hits: [{ ...hit, value: '18' }] });
    const w = model.get(2000000)!;
    assert.strictEqual(describeWatchpoint(w), '4 of 4 threads, logged 1,234,567 accesses, lost 89');
    assert.deepStrictEqual(w.perThread.map(describeThreadCount), ['tid 813: 1,233,567 accesses', 'tid 812 (thread 3): 1,000 accesses']);
    assert.deepStrictEqual(w.hits.map(describeHit), ['tid 812 (thread 3), storm (logstorm.c:26): value now 18', 'tid 812 (thread 3), storm (logstorm.c:26): value now 17']);
    model.clearHits();
    assert.deepStrictEqual([w.hits.length, w.hitCount], [0, 1234567], 'history cleared, the exact total kept');
  });
});
