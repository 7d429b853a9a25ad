import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/metrics.js';
import { handleProcessFaults } from '../../src/process-faults.js';

describe('the process fault policy', () => {
  it('logs an escaped error at error with its code, counts it, and keeps the process (no exit, no rethrow)', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(String(chunk)));
        cb();
      },
    });
    const proc = new EventEmitter();
    const metrics = new Metrics(false);
    handleProcessFaults(proc, createLogger('info', sink), metrics);
    proc.emit('uncaughtException', new TypeError('a bug in one call'));
    proc.emit('unhandledRejection', new ConnectorError('LEX_UNAVAILABLE', undefined, { cause: { name: 'ServiceUnavailableException' } }));
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.msg, l.fault, l.code])).toEqual([
      [50, 'process fault', 'uncaughtException', 'INTERNAL'],
      [50, 'process fault', 'unhandledRejection', 'LEX_UNAVAILABLE'],
    ]);
    expect((lines[0].err as { message: string }).message).toBe('a bug in one call');
    expect(lines[1].err).toBeUndefined();
    const counts = (await metrics.errors.get()).values.map((v) => [v.labels.code, v.value]);
    expect(counts).toEqual([
      ['INTERNAL', 1],
      ['LEX_UNAVAILABLE', 1],
    ]);
  });
});
