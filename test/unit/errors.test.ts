import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CloseCodes, type CloseSpec } from '../../src/call/close-codes.js';
import { ConnectorError, ERRORS, type ErrorCode } from '../../src/errors.js';

const doc = readFileSync(new URL('../../docs/errors-and-close-codes.md', import.meta.url), 'utf8');

/** The rows of the first Markdown table after `heading`, as arrays of trimmed cells (no cell holds a `|`). */
function table(heading: string): string[][] {
  const section = doc.slice(doc.indexOf(heading));
  const lines = section.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const unquote = (s: string) => s.replace(/`/g, '');

describe('docs/errors-and-close-codes.md matches the code', () => {
  it('lists every error code once with its retryability, close code and HTTP status', () => {
    const rows = table('## Error codes');
    const documented = Object.fromEntries(rows.map(([code, retryable, close, status]) => [unquote(code), { retryable, close, status }]));
    expect(Object.keys(documented).sort()).toEqual(Object.keys(ERRORS).sort());
    expect(rows).toHaveLength(Object.keys(ERRORS).length);
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const spec: { retryable: boolean; close?: { code: number }; status?: number } = ERRORS[code];
      expect({ code, ...documented[code] }).toEqual({
        code,
        retryable: spec.retryable ? 'yes' : 'no',
        close: spec.close ? String(spec.close.code) : '',
        status: spec.status ? String(spec.status) : '',
      });
    }
  });

  it('lists every close code with its fixed reason', () => {
    const rows = table('## WebSocket close codes').map(([code, reason]) => `${code} ${unquote(reason).split(': <')[0]}`);
    for (const spec of Object.values(CloseCodes)) {
      const byWs = [CloseCodes.TOO_BIG, CloseCodes.WS_PROTOCOL, CloseCodes.INVALID_UTF8] as CloseSpec[];
      expect(rows).toContain(`${spec.code} ${byWs.includes(spec) ? '(ws)' : spec.reason}`);
    }
    expect(rows).toHaveLength(Object.keys(CloseCodes).length);
  });

  it('lists the upgrade refusals with the statuses of their codes', () => {
    for (const [status, codes] of table('## Refused before the WebSocket exists')) {
      for (const code of codes.split(', ').map(unquote)) expect(`${code} ${new ConnectorError(code as ErrorCode).status}`).toBe(`${code} ${status}`);
    }
  });
});

describe('ConnectorError', () => {
  it('takes its message, retryability, close and status from the table, and keeps what the caller may be told apart', () => {
    const e = new ConnectorError('CALL_CONFIG_INVALID', undefined, { detail: 'aws_key is required' });
    expect([e.message, e.retryable, e.close, e.status, e.detail]).toEqual(['invalid call configuration', false, CloseCodes.INVALID_CONFIG, 500, 'aws_key is required']);
    expect(new ConnectorError('LEX_UNAVAILABLE', undefined, { retryable: false }).retryable).toBe(false);
    expect([new ConnectorError('OVERLOADED').status, new ConnectorError('OVERLOADED').close]).toEqual([503, CloseCodes.INTERNAL]);
  });
});
