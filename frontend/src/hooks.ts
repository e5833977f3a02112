import { useCallback, useEffect, useState } from 'react';
import type { Result } from './api';

/** Loads a backend result on mount; reload() fetches it again. */
export function useResult<T>(load: () => Promise<Result<T>>): {
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
    // load is a stable api function; tick forces a reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { result, reload };
}
