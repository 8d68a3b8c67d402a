import type { Concept, Pitfall } from './concept';
import { termKey } from './wordTokens';

/**
 * The pitfall to show for a hovered term: the one whose call is that term in any spelling
 * (`kl_div`, `KLDivLoss`). Hovering the concept's other names shows none — a pitfall is about a call.
 */
export function pitfallFor(concept: Concept, matchedText: string): Pitfall | undefined {
  if (!concept.pitfalls) return undefined;
  const key = termKey(matchedText)?.key;
  return key ? concept.pitfalls.find(p => p.calls.some(c => termKey(c)?.key === key)) : undefined;
}
