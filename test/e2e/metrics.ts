import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** test-results/ at the repository root (this file runs from out/test/e2e, also inside the extension host). */
const RESULTS = join(__dirname, '..', '..', '..', 'test-results');

/** Figures only a real VS Code can give (activation, panel paint), kept for `npm run bench`. */
export function recordMetric(name: string, value: number): void {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, 'e2e-metrics.json');
  const metrics = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : {};
  metrics[name] = value;
  writeFileSync(file, JSON.stringify(metrics, null, 2));
}
