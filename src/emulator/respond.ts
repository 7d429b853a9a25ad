import type { ServerResponse } from 'node:http';
import type { LexCore } from './lex-core.js';
import type { EmulatedSession } from './session-store.js';
import { delay, resetConnection, writeError, type Res } from './http-util.js';

/** Status and exception name per fault, for one runtime (V1 and V2 name them differently). */
export interface FaultNames {
  throttle: readonly [number, string];
  500: readonly [number, string];
  502: readonly [number, string];
  503: readonly [number, string];
  accessDenied: readonly [number, string];
}

/**
 * Applies the next request-level fault: an AWS-shaped error, or a request that never
 * answers. Returns true when the response was taken over. `reset` is applied by
 * `writeAudioBody` (it needs a body under way).
 */
export async function applyRequestFault(core: LexCore, s: EmulatedSession, res: Res, names: FaultNames): Promise<boolean> {
  const f = core.fault(s, (x) => x.type !== 'reset' && x.type !== 'dropStream');
  if (!f) return false;
  await delay(core.latency(s).processingDelayMs);
  switch (f.type) {
    case 'throttle':
      writeError(res, names.throttle[0], names.throttle[1], 'Rate exceeded', { 'retry-after': '1' });
      return true;
    case 'error': {
      const [status, code] = names[f.status];
      writeError(res, status, code, 'Injected server error');
      return true;
    }
    case 'accessDenied':
      writeError(res, names.accessDenied[0], names.accessDenied[1], 'User is not authorized to access this resource');
      return true;
    case 'hang':
      core.hung.add(res);
      res.on('close', () => core.hung.delete(res));
      return true;
    default:
      return false;
  }
}

/** Writes an audio body, slowly when `chunkDelayMs` is set, reset half-way when a `reset` fault is armed. */
export async function writeAudioBody(core: LexCore, s: EmulatedSession, res: Res, audio: Buffer): Promise<void> {
  const { chunkDelayMs } = core.latency(s);
  const reset = core.fault(s, (x) => x.type === 'reset');
  const chunk = chunkDelayMs > 0 || reset ? 3200 : audio.length || 1;
  for (let off = 0; off < audio.length; off += chunk) {
    if (res.destroyed) return;
    if (reset && off > 0 && off >= audio.length / 2) {
      resetConnection(res);
      return;
    }
    // Wait for the bytes to leave so a reset really lands mid-body.
    await new Promise<void>((resolve) => (res as ServerResponse).write(audio.subarray(off, off + chunk), () => resolve()));
    if (chunkDelayMs > 0) await delay(chunkDelayMs);
  }
  if (reset) {
    resetConnection(res);
    return;
  }
  res.end();
}
