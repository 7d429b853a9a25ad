import { ConnectorError } from '../errors.js';

/** The environment as `loadConfig` reads it. */
export type Env = Record<string, string | undefined>;

/** A bad environment value: CONFIG_INVALID naming the key (never the value of a secret). */
export function envFail(key: string, detail: string): never {
  throw new ConnectorError('CONFIG_INVALID', `${key} ${detail}`);
}

/** An integer key within [min, max]; `def` when unset. */
export function envInt(env: Env, key: string, def: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) envFail(key, `must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

/** A true/false key (`1`/`true`/`yes`/`on`, `0`/`false`/`no`/`off`); `def` when unset. */
export function envBool(env: Env, key: string, def: boolean): boolean {
  const raw = env[key]?.toLowerCase();
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  return envFail(key, `must be true or false (got "${env[key]}")`);
}

/** An http(s) URL key without user info; undefined when unset. */
export function envUrl(env: Env, key: string): string | undefined {
  const raw = env[key];
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return envFail(key, 'must be an http(s) URL');
  }
  if (!['http:', 'https:'].includes(u.protocol) || u.username || u.password) envFail(key, 'must be an http(s) URL without user info');
  return raw;
}
