/** Fisher-Yates with an injectable source of randomness, so tests can pin the order. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Response A, B, C, ... in the order shown to one reviewer. */
export function labelFor(index: number): string {
  return String.fromCharCode(65 + index);
}
