// The container test's steps, each announced and timed, so a slow or failing one is plain in CI's log.

export async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  process.stdout.write(`… ${name}\n`);
  const took = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  try {
    const result = await work();
    process.stdout.write(`✓ ${name} (${took()})\n`);
    return result;
  } catch (error) {
    process.stdout.write(`✗ ${name} (${took()})\n`);
    throw error;
  }
}

export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
