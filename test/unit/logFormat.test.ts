import * as assert from 'assert';
import { accessLine } from '../../adapter/logpoints/logFormat';

describe('data logpoint console lines', () => {
  const place = { function: 'storm', file: '/src/logstorm.c', line: 26 };
  const time = Date.UTC(2026, 0, 1, 12, 0, 1, 234);

  it('names the thread by tid and, when gdb numbers it differently, by its number too', () => {
    assert.strictEqual(accessLine('storm_target', { tid: 812, threadId: 3, pc: 0x401000n, place, time }, '17'), '[12:00:01.234] storm_target: tid 812 (thread 3) in storm (logstorm.c:26), value now 17');
  });

  it('says an observed thread (numbered by its tid) once, and an unknown place by address', () => {
    assert.strictEqual(accessLine('ticks', { tid: 812, threadId: 812, pc: 0x401000n, place: {}, time }, undefined), '[12:00:01.234] ticks: tid 812 at 0x401000');
  });
});
