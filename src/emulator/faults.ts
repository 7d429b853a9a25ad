/** A fault injected into the next matching requests (docs/emulator.md). */
export type Fault = { type: 'throttle' } | { type: 'error'; status: 500 | 502 | 503 } | { type: 'accessDenied' } | { type: 'reset' } | { type: 'hang' } | { type: 'dropStream'; afterTurns?: number };

/** A fault and how many requests it applies to (-1: every request). */
export interface FaultRule {
  fault: Fault;
  times: number;
}

/** Latency shaping, global or per session. */
export interface Latency {
  /** Delay before the first response byte, in ms. */
  processingDelayMs: number;
  /** Delay between response body chunks (slow streaming body), in ms. */
  chunkDelayMs: number;
}

/** Takes the next applicable fault from `rules`, consuming one use. */
export function takeFault(rules: FaultRule[], accept: (f: Fault) => boolean): Fault | undefined {
  const i = rules.findIndex((r) => accept(r.fault));
  if (i < 0) return undefined;
  const rule = rules[i];
  if (rule.times > 0 && --rule.times === 0) rules.splice(i, 1);
  return rule.fault;
}

/** Validates a fault rule from JSON; throws `TypeError` naming the field. */
export function parseFaultRule(raw: unknown): FaultRule {
  const r = raw as { fault?: Fault; times?: number } & Partial<Fault>;
  const fault = (r.fault ?? r) as Fault;
  const types = ['throttle', 'error', 'accessDenied', 'reset', 'hang', 'dropStream'];
  if (!fault || !types.includes(fault.type)) throw new TypeError(`fault.type: one of ${types.join(', ')}`);
  if (fault.type === 'error' && ![500, 502, 503].includes(fault.status)) throw new TypeError('fault.status: 500, 502 or 503');
  const times = r.times ?? 1;
  if (!Number.isInteger(times) || times === 0 || times < -1) throw new TypeError('times: positive integer or -1');
  return { fault, times };
}
