import { Fragment } from 'react';
import { api } from '../api';
import { Card, PageHeader, ResultView } from '../components/ui';
import { useResult } from '../hooks';

/** What sandboxed code may touch, and which packages it may import. */
export function Permissions() {
  const { result, reload } = useResult(api.policy);
  return (
    <>
      <PageHeader
        title="Permissions & packages"
        subtitle="The administrator's limits on sandboxed code. The code's author, the model, cannot widen them."
      />
      <ResultView what="The sandbox's permissions and allowed packages" result={result} onRetry={reload}>
        {(p) => (
          <div className="grid grid-2">
            <Card title="Deno permissions">
              <List items={p.permissions} empty="No permissions granted: code can compute, nothing more." />
            </Card>
            <Card title="Allowed packages">
              <List items={p.packages} empty="No packages allowed." />
            </Card>
            <Card title="Limits">
              <dl className="kv">
                <dt>Workspace</dt>
                <dd className="mono">{p.workspace}</dd>
                {Object.entries(p.limits).map(([k, v]) => (
                  <Fragment key={k}>
                    <dt>{k}</dt>
                    <dd>{String(v)}</dd>
                  </Fragment>
                ))}
              </dl>
            </Card>
          </div>
        )}
      </ResultView>
    </>
  );
}

function List(props: { items: string[]; empty: string }) {
  if (props.items.length === 0) return <p className="muted">{props.empty}</p>;
  return (
    <ul className="tags">
      {props.items.map((i) => (
        <li key={i} className="mono">
          {i}
        </li>
      ))}
    </ul>
  );
}
