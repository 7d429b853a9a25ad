import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { asPrimaryMessage, asWorkerMessage } from '../../src/cluster/messages.js';
import { nextCrashCount, RESTART_BASE_MS, RESTART_MAX_MS, restartDelayMs, STABLE_MS } from '../../src/cluster/restart-policy.js';
import { loadConfig, MAX_WORKERS } from '../../src/config.js';

describe('WORKERS', () => {
  it('is 1 (a single process, no cluster) unless set', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: '' }).workers).toBe(1);
  });

  it('takes a positive integer, or auto for the cores this process may use', () => {
    expect(loadConfig({ WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ WORKERS: 'auto' }).workers).toBe(Math.min(availableParallelism(), MAX_WORKERS));
    expect(loadConfig({ WORKERS: 'AUTO' }).workers).toBe(Math.min(availableParallelism(), MAX_WORKERS));
  });

  it.each(['0', '-1', '2.5', 'two', '1e3', String(MAX_WORKERS + 1)])('refuses %s naming the key', (v) => {
    expect(() => loadConfig({ WORKERS: v })).toThrow(/^WORKERS must be auto or an integer from 1 to 256/);
  });
});

describe('worker restart back-off', () => {
  it('doubles from the base for each crash in a row, up to the cap', () => {
    expect([1, 2, 3, 4].map(restartDelayMs)).toEqual([RESTART_BASE_MS, 2 * RESTART_BASE_MS, 4 * RESTART_BASE_MS, 8 * RESTART_BASE_MS]);
    expect(restartDelayMs(50)).toBe(RESTART_MAX_MS);
  });

  it('starts over after a worker that stayed up long enough', () => {
    expect(nextCrashCount(6, STABLE_MS - 1)).toBe(7);
    expect(nextCrashCount(6, STABLE_MS)).toBe(1);
    expect(nextCrashCount(0, 10)).toBe(1);
  });
});

describe('cluster IPC messages', () => {
  it('accepts the messages of the protocol', () => {
    expect(asWorkerMessage({ type: 'lexconn:listening', port: 5000 })).toBeDefined();
    expect(asWorkerMessage({ type: 'lexconn:active-calls', active: 0 })).toBeDefined();
    expect(asWorkerMessage({ type: 'lexconn:metrics', id: 1, metrics: [] })).toBeDefined();
    expect(asWorkerMessage({ type: 'lexconn:script', sessionId: 's', transcripts: ['yes'] })).toBeDefined();
    expect(asPrimaryMessage({ type: 'lexconn:drain' })).toBeDefined();
    expect(asPrimaryMessage({ type: 'lexconn:scrape-result', id: 2, text: '' })).toBeDefined();
  });

  it.each([
    null,
    'lexconn:drain',
    { type: 'prom-client:getMetricsReq', requestId: 1 },
    { type: 'lexconn:listening', port: '5000' },
    { type: 'lexconn:active-calls', active: -1 },
    { type: 'lexconn:active-calls', active: 1.5 },
    { type: 'lexconn:script', sessionId: 's', transcripts: [1] },
    { type: 'lexconn:metrics', id: 1, metrics: {} },
  ])('ignores %j', (m) => {
    expect(asWorkerMessage(m)).toBeUndefined();
    expect(asPrimaryMessage(m)).toBeUndefined();
  });
});
