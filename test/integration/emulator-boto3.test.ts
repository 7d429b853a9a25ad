import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEmulator, type Emulator } from '../../src/emulator/server.js';

/**
 * The second client: boto3/botocore (Debian `python3-boto3`, installed by `.ci/run`) drives
 * the emulator through test/conformance/boto3/, signing every request exactly as botocore
 * does against AWS. Each area is one Python run; every check in it must pass.
 */

const SCRIPTS = fileURLToPath(new URL('../conformance/boto3/', import.meta.url));
const AREAS = ['v1', 'v2', 'sessions', 'errors', 'faults'] as const;

interface Python {
  path: string;
  boto3: string;
  botocore: string;
}

/** A Python with boto3 whose botocore knows `lexv2-runtime`: `BOTO3_PYTHON`, else Debian's, else PATH's. */
function findPython(): Python | undefined {
  const probe =
    'import boto3, botocore.session, json; print(json.dumps({"boto3": boto3.__version__, "botocore": botocore.__version__, "v2": "lexv2-runtime" in botocore.session.get_session().get_available_services()}))';
  const candidates = process.env.BOTO3_PYTHON ? [process.env.BOTO3_PYTHON] : ['/usr/bin/python3', 'python3'];
  for (const path of candidates) {
    const r = spawnSync(path, ['-B', '-c', probe], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) continue;
    const v = JSON.parse(r.stdout) as { boto3: string; botocore: string; v2: boolean };
    if (v.v2) return { path, boto3: v.boto3, botocore: v.botocore };
  }
  return undefined;
}

/** The environment without the caller's AWS settings: only what the script passes reaches botocore. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('BOTO')) env[k] = v;
  return { ...env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', PYTHONDONTWRITEBYTECODE: '1' };
}

interface Outcome {
  versions: Record<string, string>;
  area: string;
  checks: { name: string; ok: boolean; error?: string; trace?: string; seconds: number }[];
}

function run(py: Python, url: string, area: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(py.path, ['-B', 'run.py', url, area], { cwd: SCRIPTS, env: cleanEnv(), timeout: 150_000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${area}: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as Outcome);
    });
  });
}

const python = findPython();
if (!python) {
  console.warn('SKIPPED emulator-boto3: no python3 with boto3 (and botocore lexv2-runtime) found; `.ci/run` installs Debian python3-boto3');
}

describe.skipIf(!python)('Lex emulator conformance with a second client: boto3/botocore', () => {
  let emu: Emulator;
  const counted: Record<string, number> = {};

  beforeAll(async () => {
    emu = await createEmulator({ today: () => new Date('2026-11-22T12:00:00Z') });
    console.log(`boto3 ${python!.boto3}, botocore ${python!.botocore} (${python!.path})`);
  });
  afterAll(async () => {
    await emu.close();
    console.log(`boto3 conformance checks run: ${JSON.stringify(counted)}`);
  });

  it.each(AREAS)(
    '%s: every check passes',
    async (area) => {
      const out = await run(python!, emu.url, area);
      counted[area] = out.checks.length;
      expect(out.checks.length).toBeGreaterThan(0);
      expect(out.checks.filter((c) => !c.ok)).toEqual([]);
    },
    180_000,
  );
});
