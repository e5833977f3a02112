import { useCallback, useEffect, useRef, useState } from 'react';
import { onEvent, type Result } from './api';

/** Loads a backend result on mount and when deps change; reload() fetches it again. */
export function useResult<T>(
  load: () => Promise<Result<T>>,
  deps: unknown[] = [],
): {
  result: Result<T> | undefined;
  reload: () => void;
} {
  const [result, setResult] = useState<Result<T>>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then((r) => {
      if (live) setResult(r);
    });
    return () => {
      live = false;
    };
    // load changes only with deps; tick forces a reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { result, reload };
}

/** useResult that loads again whenever one of the backend events arrives. */
export function useLive<T>(load: () => Promise<Result<T>>, events: string[], deps: unknown[] = []) {
  const r = useResult(load, deps);
  const reload = r.reload;
  useEffect(() => {
    const offs = events.map((name) => onEvent(name, () => reload()));
    return () => offs.forEach((off) => off());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [events.join(','), reload]);
  return r;
}

/** Calls cb on each backend event `name` while the component is mounted. */
export function useEvent(name: string, cb: (...data: unknown[]) => void) {
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => onEvent(name, (...d) => ref.current(...d)), [name]);
}

/**
 * State kept in the window's storage under key, so it survives leaving and
 * re-entering a page (session) or restarting the app (local).
 */
export function useStored<T extends string>(
  key: string,
  initial: T,
  allowed: readonly T[],
  where: 'session' | 'local' = 'session',
): [T, (v: T) => void] {
  const store = () => {
    try {
      return where === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
    } catch {
      return undefined;
    }
  };
  const [value, setValue] = useState<T>(() => {
    const v = store()?.getItem(key) as T | null | undefined;
    return v != null && allowed.includes(v) ? v : initial;
  });
  const set = useCallback(
    (v: T) => {
      setValue(v);
      try {
        store()?.setItem(key, v);
      } catch {
        // storage full or denied: the value lasts while the page is shown
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  return [value, set];
}

/** Whether the CSS media query matches, following changes (window resizes). */
export function useMedia(query: string): boolean {
  const get = () => globalThis.matchMedia?.(query).matches ?? false;
  const [on, setOn] = useState(get);
  useEffect(() => {
    const m = globalThis.matchMedia?.(query);
    if (!m) return;
    const change = () => setOn(m.matches);
    change();
    m.addEventListener('change', change);
    return () => m.removeEventListener('change', change);
  }, [query]);
  return on;
}
