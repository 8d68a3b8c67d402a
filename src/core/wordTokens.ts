/**
 * Splits text into the word tokens the concept index is keyed by. `computeElbo`, `compute_elbo`,
 * `compute-elbo` and "compute ELBO" all become the tokens compute + elbo, so one alias entry matches
 * every naming convention; Chinese has no spaces, so each Han character is a token of its own.
 */

/** How a token is joined to the one before it. */
export const enum Join {
  /** A case change, a letter/digit change or adjacent Han characters: same word run. */
  Tight = 0,
  /** One `_`, `-` or space: still a run, like `neg_elbo` or "evidence lower bound". */
  Loose = 1,
  /** Anything else (punctuation, operators, several spaces): no alias spans it. */
  Break = 2,
}

export interface WordToken {
  /** Lower-cased, accent-free text: what index keys are made of. */
  key: string;
  /** UTF-16 offsets into the tokenized string, end exclusive. */
  start: number;
  end: number;
  join: Join;
}

const enum Kind {
  Lower,
  Upper,
  Digit,
  Han,
  Plus,
  Joiner,
  Space,
  Other,
}

function kindOf(code: number): Kind {
  if (code >= 97 && code <= 122) return Kind.Lower;
  if (code >= 65 && code <= 90) return Kind.Upper;
  if (code >= 48 && code <= 57) return Kind.Digit;
  if (code === 95 || code === 45) return Kind.Joiner;
  if (code === 32) return Kind.Space;
  if (code === 43) return Kind.Plus;
  if (code < 0xc0) return Kind.Other;
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) return Kind.Han;
  // Latin-1/Extended letters (é in Fréchet) and Greek (β in β-VAE) are letters too.
  if ((code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) || (code >= 0x370 && code <= 0x3ff)) {
    const ch = String.fromCharCode(code);
    return ch.toLowerCase() === ch ? Kind.Lower : Kind.Upper;
  }
  return Kind.Other;
}

/** Lower-cases and strips accents, so "Fréchet" and "frechet" are one key. */
export function foldKey(raw: string): string {
  const lower = raw.toLowerCase();
  // The hover path folds a few tokens per call; skip the regex for the common ASCII case.
  for (let i = 0; i < lower.length; i++)
    if (lower.charCodeAt(i) > 0x7f) return lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return lower;
}

/** Tokenizes text[from, to). Offsets are absolute. */
export function wordTokens(text: string, from = 0, to = text.length): WordToken[] {
  const tokens: WordToken[] = [];
  let join = Join.Break;
  let i = from;
  while (i < to) {
    const kind = kindOf(text.charCodeAt(i));
    if (kind === Kind.Joiner || kind === Kind.Space) {
      // One separator (or a run of the same underscore, as in `__init__`) keeps the run going.
      let j = i + 1;
      while (j < to && text.charCodeAt(j) === text.charCodeAt(i) && kind === Kind.Joiner) j++;
      const single = kind === Kind.Joiner || j === i + 1;
      const next = j < to ? kindOf(text.charCodeAt(j)) : Kind.Other;
      join = single && join !== Join.Break && next !== Kind.Space && next !== Kind.Joiner && next !== Kind.Other
        ? Join.Loose
        : Join.Break;
      if (tokens.length === 0) join = Join.Break;
      i = j;
      continue;
    }
    if (kind === Kind.Other) {
      join = Join.Break;
      i++;
      continue;
    }
    const start = i;
    if (kind === Kind.Han || kind === Kind.Plus) {
      i++;
    } else if (kind === Kind.Digit) {
      while (i < to && kindOf(text.charCodeAt(i)) === Kind.Digit) i++;
    } else if (kind === Kind.Lower) {
      while (i < to && kindOf(text.charCodeAt(i)) === Kind.Lower) i++;
    } else {
      // Upper: either a capitalised word (Means) or an acronym (VAE in VAELoss: stop before "Lo").
      i++;
      if (i < to && kindOf(text.charCodeAt(i)) === Kind.Lower) {
        while (i < to && kindOf(text.charCodeAt(i)) === Kind.Lower) i++;
      } else {
        while (i < to && kindOf(text.charCodeAt(i)) === Kind.Upper) {
          if (i + 1 < to && kindOf(text.charCodeAt(i + 1)) === Kind.Lower) break;
          i++;
        }
      }
    }
    tokens.push({ key: foldKey(text.slice(start, i)), start, end: i, join: tokens.length === 0 ? Join.Break : join });
    // What follows directly (no separator) is tightly joined unless a separator resets it.
    join = Join.Tight;
  }
  return tokens;
}

/**
 * The index key of a term: its tokens concatenated, or undefined when the term has a break in it
 * (e.g. `init="k-means++"`), which no run of tokens can match.
 */
export function termKey(term: string): { key: string; words: string[] } | undefined {
  const tokens = wordTokens(term);
  if (tokens.length === 0) return undefined;
  for (let t = 1; t < tokens.length; t++) if (tokens[t].join === Join.Break) return undefined;
  return { key: tokens.map(t => t.key).join(''), words: tokens.map(t => t.key) };
}

