import * as assert from 'assert';
import { describeHit, HISTORY, statusText, WatchpointModel } from '../../../extension/watchpoints/model';

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
});
