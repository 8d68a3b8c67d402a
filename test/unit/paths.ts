import { join, resolve } from 'node:path';

/** The repository root, from out/test/unit where the compiled tests run. */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const SEED = resolve(ROOT, '..', 'shared', 'seed', '000_6fada3179e4d45f5.txt');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
