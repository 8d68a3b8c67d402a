// node:assert/strict for the web worker, as far as the in-host suites use it (the bundler fails on a
// missing export, so a suite that starts using another function says so at build time).
export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}
const show = v => {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
};
function isDeepStrictEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof RegExp || a instanceof Date) return String(a) === String(b);
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(k => Object.prototype.hasOwnProperty.call(b, k) && isDeepStrictEqual(a[k], b[k]));
}
const fail = message => {
  throw message instanceof Error ? message : new AssertionError(message ?? 'Failed');
};
export { fail };
export function ok(value, message) {
  if (!value) fail(message ?? `expected a truthy value, got ${show(value)}`);
}
export function equal(actual, expected, message) {
  if (!Object.is(actual, expected)) fail(message ?? `${show(actual)} !== ${show(expected)}`);
}
export function notEqual(actual, expected, message) {
  if (Object.is(actual, expected)) fail(message ?? `${show(actual)} === ${show(expected)}`);
}
export function deepEqual(actual, expected, message) {
  if (!isDeepStrictEqual(actual, expected)) fail(message ?? `${show(actual)} is not deep-equal to ${show(expected)}`);
}
export function notDeepEqual(actual, expected, message) {
  if (isDeepStrictEqual(actual, expected)) fail(message ?? `${show(actual)} is deep-equal to ${show(expected)}`);
}
export function match(string, regexp, message) {
  if (typeof string !== 'string' || !regexp.test(string)) fail(message ?? `${show(string)} does not match ${regexp}`);
}
export function doesNotMatch(string, regexp, message) {
  if (typeof string !== 'string' || regexp.test(string)) fail(message ?? `${show(string)} matches ${regexp}`);
}
export async function rejects(promiseOrFn, message) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch {
    return;
  }
  fail(typeof message === 'string' ? message : 'Missing expected rejection');
}
export function throws(fn, message) {
  try {
    fn();
  } catch {
    return;
  }
  fail(typeof message === 'string' ? message : 'Missing expected exception');
}
export const strictEqual = equal;
export const deepStrictEqual = deepEqual;
export default Object.assign(ok, { AssertionError, ok, equal, notEqual, deepEqual, notDeepEqual, match, doesNotMatch, rejects, throws, fail, strictEqual, deepStrictEqual });
