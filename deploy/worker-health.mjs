// The worker container's health check (compose.yaml): healthy when the worker answers GET
// /health (no token needed) on its own port. Plain JavaScript with no dependency, so it runs on
// the image's Node; the image has no curl.
const url = `http://127.0.0.1:${process.env.WORKER_PORT || 8001}/health`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
} catch (error) {
  console.error(`council worker is not healthy: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
