/**
 * Summarises a V8 `.cpuprofile` (from `--cpu-prof` or `BENCH_CPU_PROF`): self time by
 * function and by owner (our code, each npm package, Node internals, GC, native), and
 * inclusive time of functions matching `--focus` patterns.
 *
 *   tsx bench/prof-summary.ts FILE.cpuprofile [--top 30] [--focus REGEX ...]
 *
 * The "by kind" table groups self time the way the per-frame cost is discussed in
 * BENCHMARKS.md: socket writes, ws, Node streams, the Lex SDK and HTTP client, WASM (VAD,
 * resampler), timers, GC, our own modules.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Who owns a frame: `src/…` (ours), an npm package, a Node internal module, or a V8 bucket. */
export function owner(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const m = /\/(src|bench|dist|test)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

/** A coarse kind for a frame: where per-frame and per-turn CPU goes. */
export function kind(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'native, unattributed (incl. HTTP/2 and libuv)';
  if (!url) return ['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String'].includes(fn) ? 'socket writes (native, incl. syscalls)' : 'other native';
  if (url.startsWith('wasm://')) return `WASM ${url.slice(url.lastIndexOf('/') + 1)}`;
  if (url.includes('/node_modules/ws/')) return 'ws library';
  if (url.includes('/node_modules/@smithy/') || url.includes('/node_modules/@aws-sdk/')) return 'AWS SDK';
  if (/^node:(_http|https|http2|internal\/http2)/.test(url)) return 'Node HTTP client';
  if (/^node:(internal\/crypto|crypto|zlib)/.test(url)) return 'crypto, zlib';
  if (/^node:(internal\/timers|timers)/.test(url)) return 'timers';
  if (/^node:(net|internal\/stream_base_commons|internal\/streams)/.test(url)) return 'Node sockets and streams (JS)';
  if (/^node:(events|internal\/event_target)/.test(url)) return 'EventEmitter';
  if (/^node:(internal\/buffer|buffer)/.test(url)) return 'Buffer';
  if (/^node:internal\/process\/(task_queues|promises)/.test(url)) return 'microtasks, nextTick';
  const ours = /\/(src|dist|bench)\/([^/]+)\//.exec(url);
  if (ours) return `ours: ${ours[2]}/`;
  return owner(url, fn);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '30' }, focus: { type: 'string', multiple: true } },
  });
  const prof = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < prof.samples.length; i++) selfUs.set(prof.samples[i], (selfUs.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  let total = 0;
  let idle = 0;
  const fnSelf = new Map<string, number>();
  const ownerSelf = new Map<string, number>();
  const kindSelf = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle += functionName === '(idle)' ? us : 0;
      if (functionName === '(idle)') continue;
    }
    total += us;
    const key = `${functionName || '(anonymous)'} ${owner(url, functionName)}:${lineNumber + 1}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
    const o = owner(url, functionName);
    ownerSelf.set(o, (ownerSelf.get(o) ?? 0) + us);
    const k = kind(url, functionName);
    kindSelf.set(k, (kindSelf.get(k) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  console.log(`busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`);
  console.log('\nself time by kind');
  for (const [k, v] of [...kindSelf].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(v).padStart(6)}  ${k}`);
  console.log('\nself time by owner');
  for (const [k, v] of [...ownerSelf].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${pct(v).padStart(6)}  ${k}`);
  console.log('\nself time by function');
  for (const [k, v] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${pct(v).padStart(6)}  ${k}`);
  for (const f of values.focus ?? []) {
    const re = new RegExp(f);
    // Inclusive: every sample with a matching frame on its stack, counted once.
    let us = 0;
    for (const [id, s] of selfUs) {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const cf = byId.get(cur)!.callFrame;
        if (re.test(`${cf.functionName} ${cf.url}`)) {
          us += s;
          break;
        }
      }
    }
    console.log(`\ninclusive /${f}/: ${pct(us)}`);
  }
}

main();
