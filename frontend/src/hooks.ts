import { useCallback, useState, useSyncExternalStore } from 'react';

function storage(where: 'session' | 'local'): Storage | undefined {
  try {
    return where === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
  } catch {
    return undefined; // storage denied
  }
}

/**
 * State kept in the window's storage under key, so it survives leaving and
 * re-entering a page (session) or restarting the app (local). With allowed,
 * a stored value not in it gives initial.
 */
export function useStored<T extends string>(
  key: string,
  initial: T,
  allowed?: readonly T[],
  where: 'session' | 'local' = 'session',
): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    const v = storage(where)?.getItem(key) as T | null | undefined;
    return v != null && (!allowed || allowed.includes(v)) ? v : initial;
  });
  const set = useCallback(
    (v: T) => {
      setValue(v);
      try {
        storage(where)?.setItem(key, v);
      } catch {
        // storage full or denied: the value lasts while the page is shown
      }
    },
    [key, where],
  );
  return [value, set];
}

/** Whether the CSS media query matches, following changes (window resizes). */
export function useMedia(query: string): boolean {
  const subscribe = useCallback(
    (changed: () => void) => {
      const m = globalThis.matchMedia?.(query);
      m?.addEventListener('change', changed);
      return () => m?.removeEventListener('change', changed);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => globalThis.matchMedia?.(query).matches ?? false);
}
