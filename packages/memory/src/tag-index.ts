/**
 * Which keys carry which tags, both ways. A key's tags are replaced by each write of the key
 * (an untagged write forgets them). Entries of keys the store dropped on its own (eviction,
 * expiry) linger harmlessly — removing an absent key is a no-op — and are pruned once the index
 * holds more keys than `limit`.
 */
export class TagIndex {
  readonly #byTag = new Map<string, Set<string>>();
  readonly #byKey = new Map<string, readonly string[]>();

  /** Number of keys with tags. */
  get size(): number {
    return this.#byKey.size;
  }

  /** Records `tags` as the tags of `key` (none: forgets the key). */
  set(key: string, tags: readonly string[]): void {
    if (this.#byKey.size === 0 && tags.length === 0) return;
    const old = this.#byKey.get(key);
    if (old) {
      for (const tag of old) {
        const keys = this.#byTag.get(tag);
        keys?.delete(key);
        if (keys?.size === 0) this.#byTag.delete(tag);
      }
    }
    if (tags.length === 0) {
      this.#byKey.delete(key);
      return;
    }
    this.#byKey.set(key, tags);
    for (const tag of tags) {
      const keys = this.#byTag.get(tag);
      if (keys) keys.add(key);
      else this.#byTag.set(tag, new Set([key]));
    }
  }

  /** Every key carrying at least one of `tags`. */
  keysOf(tags: readonly string[]): string[] {
    const keys = new Set<string>();
    for (const tag of tags) for (const key of this.#byTag.get(tag) ?? []) keys.add(key);
    return [...keys];
  }

  /** Forgets the keys `held` says are gone. */
  prune(held: (key: string) => boolean): void {
    for (const key of [...this.#byKey.keys()]) if (!held(key)) this.set(key, []);
  }

  clear(): void {
    this.#byTag.clear();
    this.#byKey.clear();
  }
}
