import { useCallback, useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router-dom";

/**
 * A list's tab, filters and search live in the URL, so they survive opening a ticket, going back and reloading.
 * Empty values leave the URL.
 */
export function useListParams<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ""])) as Record<K, string>;
  const update = useCallback(
    (next: Partial<Record<K, string>>) =>
      setParams(
        (old) => {
          const merged = new URLSearchParams(old);
          for (const [key, value] of Object.entries(next)) {
            if (value) merged.set(key, String(value));
            else merged.delete(key);
          }
          return merged;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { values, update, search: params.toString() };
}

/** What is typed in a search box, sent on a pause in typing rather than per keystroke. */
export function useDebouncedSearch(current: string, apply: (q: string) => void) {
  const [typed, setTyped] = useState(current);
  const latest = useRef(apply);
  latest.current = apply;
  useEffect(() => {
    if (typed.trim() === current) return;
    const timer = setTimeout(() => latest.current(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed, current]);
  return [typed, setTyped] as const;
}
