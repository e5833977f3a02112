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

/** Calls cb on each backend event `name` while the component is mounted. */
export function useEvent(name: string, cb: (...data: unknown[]) => void) {
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => onEvent(name, (...d) => ref.current(...d)), [name]);
}
