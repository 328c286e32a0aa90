import * as assert from 'assert';
import { RaceModel, tsanReport } from '../../../extension/races/raceModel';

const side = (threadId: number, access: 'read' | 'write', line: number, atomic?: boolean) => ({
  threadId,
  tid: 100 + threadId,
  access,
  atomic,
  pc: '0x555555555212',
  frames: [
    { name: 'worker', file: '/src/race_counter.c', line },
    { name: 'start_thread', file: './nptl/pthread_create.c', line: 442 },
  ],
});

describe('races in the editor', () => {
  it("copies a race in ThreadSanitizer's layout: the later access, the stalled one as Previous, location, summary", () => {
    const race = { id: 1, address: '0x555555558058', bytes: 8, symbol: 'counter', count: 3, first: side(3, 'write', 18), second: side(5, 'read', 17) };
    assert.strictEqual(
      tsanReport(race, 4242),
      [
        '==================',
        'WARNING: pwatch: data race (pid=4242) (seen 3 times)',
        '  Read of size 8 at 0x555555558058 by thread T5 (tid 105):',
        '    #0 worker /src/race_counter.c:17 (pc 0x555555555212)',
        '    #1 start_thread ./nptl/pthread_create.c:442',
        '',
        '  Previous write of size 8 at 0x555555558058 by thread T3 (tid 103):',
        '    #0 worker /src/race_counter.c:18 (pc 0x555555555212)',
        '    #1 start_thread ./nptl/pthread_create.c:442',
        '',
        "  Location is 'counter' of size 8 at 0x555555558058",
        '',
        'SUMMARY: pwatch: data race /src/race_counter.c:17 in worker',
        '==================',
      ].join('\n'),
    );
  });

  it('keeps one entry per race id (a count that grows), warns once per session', () => {
    const model = new RaceModel();
    const race = { id: 1, address: '0x10', bytes: 4, count: 1, first: side(3, 'write', 18, true), second: side(5, 'write', 18) };
    assert.strictEqual(model.onRace(race), true);
    assert.strictEqual(model.onRace({ ...race, count: 2 }), false);
    assert.strictEqual(model.onRace({ ...race, id: 2 }), false);
    assert.deepStrictEqual(model.list().map((r) => [r.id, r.count]), [[1, 2], [2, 1]]);
    assert.match(tsanReport(race), /Previous atomic write of size 4 at 0x10/);
    model.reset();
    assert.strictEqual(model.onRace(race), true);
  });
});
