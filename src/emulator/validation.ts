/**
 * Request validation in AWS's words. Lex, like other AWS services, collects every
 * constraint a request breaks and answers one 400 whose message reads
 * `1 validation error detected: Value 'x' at 'sessionId' failed to satisfy constraint: …`
 * (`N validation errors detected: …; …` for several). Members the API marks sensitive
 * (`text`, `inputText`) are named without their value: `Value at 'text' failed to …`.
 */

/** One member of a request with the constraints the API model declares for it. */
export interface Member {
  /** Member name as the API model spells it (`sessionId`, `text`). */
  name: string;
  value: unknown;
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: string;
  /** Sensitive members are reported without their value. */
  sensitive?: boolean;
}

/** The API-model constraints shared by the runtime operations. */
export const CONSTRAINTS = {
  /** V1 `userId` and V2 `sessionId`. */
  sessionId: { min: 2, max: 100, pattern: '[0-9a-zA-Z._:-]+' },
  /** V2 `botId`. */
  botId: { min: 10, max: 10, pattern: '^[0-9a-zA-Z]+$' },
  /** V2 `localeId`. */
  localeId: { min: 1 },
  /** `inputText` (V1) and `text` (V2). */
  text: { min: 1, max: 1024, sensitive: true },
} as const;

function matchesWhole(pattern: string, value: string): boolean {
  // AWS patterns constrain the whole value whether or not they are anchored.
  const body = pattern.replace(/^\^/, '').replace(/\$$/, '');
  return new RegExp(`^(?:${body})$`, 'u').test(value);
}

function violations(m: Member): string[] {
  if (m.value === undefined || m.value === null) return m.required ? ['Member must not be null'] : [];
  if (typeof m.value !== 'string') return [];
  const out: string[] = [];
  const length = [...m.value].length;
  if (m.min !== undefined && length < m.min) out.push(`Member must have length greater than or equal to ${m.min}`);
  if (m.max !== undefined && length > m.max) out.push(`Member must have length less than or equal to ${m.max}`);
  if (m.pattern !== undefined && !matchesWhole(m.pattern, m.value)) out.push(`Member must satisfy regular expression pattern: ${m.pattern}`);
  return out;
}

function describe(m: Member): string {
  if (m.value === undefined || m.value === null) return `Value null at '${m.name}'`;
  return m.sensitive ? `Value at '${m.name}'` : `Value '${String(m.value)}' at '${m.name}'`;
}

/** AWS's validation message for `members`, or undefined when every constraint holds. */
export function validationMessage(members: readonly Member[]): string | undefined {
  const errors: string[] = [];
  for (const m of members) {
    for (const v of violations(m)) errors.push(`${describe(m)} failed to satisfy constraint: ${v}`);
  }
  if (errors.length === 0) return undefined;
  const head = errors.length === 1 ? '1 validation error detected' : `${errors.length} validation errors detected`;
  return `${head}: ${errors.join('; ')}`;
}
