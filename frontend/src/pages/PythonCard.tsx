import { useMutation, useMutationState, useQuery, useQueryClient, type MutationState } from '@tanstack/react-query';
import { api, type InstallProgress, type PythonStatus } from '../api';
import { Card, PathText, Pill, QueryView } from '../components/ui';
import { get, mutationKeys, queries } from '../queries';
import { ProgressBar } from './DenoCard';

const starting: InstallProgress = { phase: 'resolve', done: 0, total: -1, percent: -1, bytesPerSecond: 0 };

/** Python (run_python_code): installed, on, the pool of booted interpreters and their memory. */
export function PythonCard() {
  // The pool fills in the background: the card looks again every few seconds.
  const python = useQuery({ ...queries.python, refetchInterval: 5000 });
  const progress = useQuery(queries.pythonProgress).data;
  const client = useQueryClient();
  const { mutate } = useMutation({
    mutationKey: mutationKeys.installPython,
    mutationFn: () => get(api.installPython()),
    onMutate: () => {
      client.setQueryData(queries.pythonProgress.queryKey, starting);
    },
    onSettled: () => client.invalidateQueries({ queryKey: queries.python.queryKey }),
  });
  const latest = useMutationState({
    filters: { mutationKey: mutationKeys.installPython },
    select: (m) => m.state as MutationState<PythonStatus, Error, void>,
  }).at(-1);
  const busy = latest?.status === 'pending';
  return (
    <Card title="Python">
      <QueryView what="Python's status" query={python}>
        {(py) => (
          <div className="stat" data-testid="python">
            {py.enabled ? <Pill tone="ok">On</Pill> : <Pill tone="warn">Off</Pill>}
            <div className="stat-main">{py.installed ? `Pyodide ${py.version}` : 'Pyodide is not installed'}</div>
            {py.installed && (
              <div className="muted small">
                <PathText path={py.path} />
              </div>
            )}
            {py.enabled ? (
              <div className="muted small" data-testid="python-pool">
                {py.warm > 0
                  ? `${py.warm} of ${py.poolSize} interpreter${py.poolSize === 1 ? '' : 's'} ready, holding ${py.idleMB} MB`
                  : py.poolSize > 0
                    ? `No interpreter waits yet: the first Python run starts ${py.poolSize === 1 ? 'one' : py.poolSize}.`
                    : 'Every run starts its own interpreter (no pool).'}
              </div>
            ) : (
              <div className="muted">{py.detail}</div>
            )}
            {!py.installed && (
              <div className="row-tight">
                <button className="btn btn-primary btn-small" onClick={() => mutate()} disabled={busy}>
                  {busy ? 'Installing…' : 'Install Python'}
                </button>
              </div>
            )}
            {busy && progress && <ProgressBar p={progress} label="Installing Python" />}
            {latest?.status === 'error' && (
              <div className="banner banner-bad" role="alert" data-testid="python-install-error">
                <p>{latest.error?.message}</p>
              </div>
            )}
          </div>
        )}
      </QueryView>
    </Card>
  );
}
