import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };

const TOOLING = /^(typescript|@typescript\/.*|tsx|esbuild|@esbuild\/.*|vitest|@vitest\/.*|@biomejs\/.*|knip|dependency-cruiser|@swc\/.*|playwright-core)$/;

/** What `npm ci --omit=dev` installs (the Docker image's node_modules): every locked package not marked dev. */
function productionPackages(): string[] {
  return Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && !p.dev && !p.devOptional)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Packages `src/` imports at run time (type-only imports are erased by the compiler). */
function runtimeImports(): Set<string> {
  const out = new Set<string>();
  for (const file of sources(join(ROOT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\s)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      out.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return out;
}

describe('packaging: the production install (Docker image, Heroku) has no build tooling', () => {
  it('npm ci --omit=dev installs no TypeScript, tsx, esbuild, test or lint tool', () => {
    const installed = productionPackages();
    expect(installed.length).toBeGreaterThan(20);
    expect(installed.filter((n) => TOOLING.test(n))).toEqual([]);
  });

  it('every package src/ imports at run time is a production dependency', () => {
    const prod = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
    expect([...runtimeImports()].filter((d) => !prod.has(d))).toEqual([]);
  });

  it('the Dockerfile runs TypeScript only in its build stage and ships what the server reads at run time', () => {
    const docker = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const stages = docker.split(/^FROM /m).slice(1);
    const runtime = stages.at(-1)!;
    expect(stages.find((s) => s.includes(' AS deps'))).toContain('npm ci --omit=dev');
    expect(runtime).toContain('COPY --from=deps --chown=node:node /app/node_modules ./node_modules');
    expect(runtime).not.toMatch(/npm ci(?! --omit=dev)|tsc|tsx/);
    for (const shipped of ['/app/dist ./dist', 'example_ncco.json', 'public ./public']) expect(runtime).toContain(shipped);
    expect(runtime).toContain('CMD ["node", "dist/main.js"]');
  });
});
