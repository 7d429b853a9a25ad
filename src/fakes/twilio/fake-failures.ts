/** A scripted failure of the fake Twilio REST API. */
export type FakeFailure = { type: 'status'; status: number; code?: number; retryAfter?: string } | { type: 'timeout' };

/** Which requests a failure applies to, and how many times (-1: every matching request). */
export interface FakeFailureRule {
  failure: FakeFailure;
  /** Operation name (`message.create`, `conversation.update`, `interaction.create`, `webhook.list`, `webhook.remove`, `call.update`); unset: any. */
  op?: string;
  /** Only requests whose conversation is this one. */
  conversationSid?: string;
  times: number;
}

/** Takes the first rule that matches `op`/`conversationSid`, consuming one use. */
export function takeFailure(rules: FakeFailureRule[], op: string, conversationSid: string | undefined): FakeFailure | undefined {
  const i = rules.findIndex((r) => (!r.op || r.op === op) && (!r.conversationSid || r.conversationSid === conversationSid));
  if (i < 0) return undefined;
  const rule = rules[i];
  if (rule.times > 0 && --rule.times === 0) rules.splice(i, 1);
  return rule.failure;
}

/** Validates a rule from JSON (control API); throws `TypeError` naming the field. */
export function parseFailureRule(raw: unknown): FakeFailureRule {
  const r = raw as Partial<FakeFailureRule> | undefined;
  const f = r?.failure as FakeFailure | undefined;
  if (!f || (f.type !== 'status' && f.type !== 'timeout')) throw new TypeError('failure.type: status or timeout');
  if (f.type === 'status' && (!Number.isInteger(f.status) || f.status < 400 || f.status > 599)) throw new TypeError('failure.status: 400-599');
  const times = r?.times ?? 1;
  if (!Number.isInteger(times) || times === 0 || times < -1) throw new TypeError('times: positive integer or -1');
  return { failure: f, op: r?.op, conversationSid: r?.conversationSid, times };
}
