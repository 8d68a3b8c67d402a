// recordMetric for the web worker (no node:fs there): the figure goes to the console, and the driving
// process records it (test/web/inhost.web.ts) under a web_ name.
export function recordMetric(name, value) {
  console.log(`WEBMETRIC ${JSON.stringify({ name, value })}`);
}
