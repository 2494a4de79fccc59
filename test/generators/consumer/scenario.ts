// The 11 steps every generated client runs against the built server
// (test/generators/run.ts starts it). Each generator's file says how its
// client takes each step; this file only counts and reports.
export const BASE_URL = requiredEnv('BASE_URL');
export const API_KEY = requiredEnv('API_KEY');

export const STEPS = [
  '401 without key',
  'create',
  'get',
  'all pages via Link',
  '304 with If-None-Match',
  'replace with If-Match',
  'stale If-Match 412',
  'merge patch',
  'delete',
  '404 after delete',
  'bad body 400',
] as const;
export type StepName = (typeof STEPS)[number];

export const NEW_PASSENGER = {
  survived: true,
  passengerClass: 2,
  name: 'Generated Client',
  sex: 'female',
  age: 30,
  siblingsOrSpousesAboard: 0,
  parentsOrChildrenAboard: 1,
  fare: 12.5,
} as const;

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (test/generators/run.ts sets it)`);
  return value;
}

export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

// Runs the steps in order (later ones use what earlier ones stored), prints
// one line per failed step and `generator: passed/11`, and exits 1 unless all passed.
export async function runScenario(generator: string, steps: Record<StepName, () => Promise<void>>): Promise<void> {
  let passed = 0;
  for (const name of STEPS) {
    try {
      await steps[name]();
      passed += 1;
    } catch (error) {
      console.log(`${generator}: step "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log(`${generator}: ${passed}/${STEPS.length}`);
  if (passed !== STEPS.length) process.exitCode = 1;
}
