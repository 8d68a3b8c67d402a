import type { TypesetResult, Typesetter } from './texTypesetter';

/** Formulas kept typeset; a hover shows a handful, a session a few hundred. */
const CACHE_SIZE = 500;

/**
 * The typesetter with its results remembered (least recently used dropped first): hovering the same
 * formula again, or a note that repeats one, costs a map lookup. Results are currentColor SVG, inked
 * per theme when the hover is built, so one entry serves every theme.
 */
export class CachedTypesetter {
  private readonly cache = new Map<string, TypesetResult>();

  constructor(private readonly engine: Typesetter) {}

  typeset(latex: string, display: boolean): TypesetResult {
    const key = `${display ? 'D' : 'I'}${latex}`;
    let result = this.cache.get(key);
    if (result) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.cache.delete(key);
    } else {
      result = this.engine.typeset(latex, display);
      if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, result);
    return result;
  }
}
