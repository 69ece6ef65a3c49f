/**
 * Sets `key` as the most recent entry of `map` (a Map iterates in insertion order) and drops the
 * least recent ones beyond `maxEntries`: the bounded caches of the completion core.
 */
export function setMostRecent<K, V>(map: Map<K, V>, key: K, value: V, maxEntries: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > maxEntries) {
    map.delete(map.keys().next().value as K);
  }
}
