import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import type { Approval, Execution } from '../api';
import { Card, PageHeader, Pill, QueryView, ToolCalls } from '../components/ui';
import { duration, resultLabel, when } from '../format';
import { useMedia, useStored } from '../hooks';
import { queries } from '../queries';

const filters = ['', 'success', 'error'] as const;

/** Every execution, live: who asked, what ran, what came out. */
export function Activity() {
  // The filter stays when the user leaves the page and comes back.
  const [status, setStatus] = useStored('activity.status', '', filters);
  // Every process's runs (the app's, and those of the servers AI clients
  // start) arrive from the audit log as they finish (the "execution" event).
  // A new filter keeps the rows shown until its own arrive.
  const activity = useQuery({ ...queries.activity(status, 200), placeholderData: keepPreviousData });
  const [open, setOpen] = useState<string>();
  // Narrow windows leave the calls to each run's detail: the code keeps its room.
  const narrow = useMedia('(max-width: 980px)');
  return (
    <>
      <PageHeader
        title="Activity"
        subtitle="Code your AI clients ran, from the audit log. New runs appear as they finish."
        actions={
          <>
            <label className="inline-field">
              <span>Show</span>
              <select className="input" value={status} onChange={(e) => setStatus(e.target.value as (typeof filters)[number])}>
                <option value="">All runs</option>
                <option value="success">Successes</option>
                <option value="error">Errors</option>
              </select>
            </label>
            <button className="btn" onClick={() => void activity.refetch()}>
              Refresh
            </button>
          </>
        }
      />
      <Card>
        <QueryView what="Recent runs" query={activity}>
          {(entries) =>
            entries.length === 0 ? (
              <p className="muted">
                {status === ''
                  ? 'Nothing has run yet. Runs appear here as soon as an AI client, or the Playground, runs code.'
                  : 'No runs match this filter.'}
              </p>
            ) : (
              <table className="table table-activity" data-testid="activity">
                <colgroup>
                  <col className="col-time" />
                  <col className="col-client" />
                  <col />
                  <col className="col-result" />
                  {!narrow && <col className="col-calls" />}
                  <col className="col-duration" />
                </colgroup>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Client</th>
                    <th scope="col">Code</th>
                    <th scope="col">Result</th>
                    {!narrow && (
                      <th scope="col" className="num" title="Tool calls">
                        Calls
                      </th>
                    )}
                    <th scope="col" className="num">
                      Duration
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => {
                    const expanded = open === e.id;
                    const label = resultLabel(e.status, e.errorType);
                    const toggle = () => setOpen(expanded ? undefined : e.id);
                    return (
                      <Fragment key={e.id}>
                        <tr className="row-toggle" onClick={toggle} data-execution={e.id}>
                          <td className="nowrap small" title={new Date(e.time).toLocaleString()}>
                            {when(e.time)}
                          </td>
                          <td className="clip" title={e.client || 'unknown client'}>
                            {e.client || '—'}
                          </td>
                          <td className="mono small clip">
                            <button
                              className="row-button"
                              aria-expanded={expanded}
                              aria-controls={`detail-${e.id}`}
                              onClick={(ev) => {
                                ev.stopPropagation();
                                toggle();
                              }}
                            >
                              {e.code.split('\n')[0] || '(empty)'}
                            </button>
                          </td>
                          <td>
                            <Pill tone={label.ok ? 'ok' : 'bad'}>{label.text}</Pill>
                          </td>
                          {!narrow && <td className="num">{e.toolCalls}</td>}
                          <td className="num small">{duration(e.durationMs)}</td>
                        </tr>
                        {expanded && (
                          <tr className="detail-row" id={`detail-${e.id}`}>
                            <td colSpan={narrow ? 5 : 6}>
                              <Detail e={e} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            )
          }
        </QueryView>
      </Card>
      <SkillChanges />
    </>
  );
}

/** Saves and deletions of skills, from the audit log. */
function SkillChanges() {
  const changes = useQuery(queries.skillChanges);
  return (
    <Card title="Skills saved and deleted">
      <QueryView what="Skill changes" query={changes}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No skill has been saved yet. AI clients save code worth keeping with the save_skill tool.</p>
          ) : (
            <table className="table" data-testid="skill-changes">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Client</th>
                  <th scope="col">Skill</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {list.map((c, i) => (
                  <tr key={`${c.time}-${i}`}>
                    <td className="small">{when(c.time)}</td>
                    <td className="small">{c.client || 'unknown client'}</td>
                    <td>
                      <span className="mono">skills/{c.skill}</span>
                      {c.description && <div className="muted small">{c.description}</div>}
                    </td>
                    <td>
                      <Pill tone={c.ok ? 'ok' : 'bad'}>{c.ok ? c.action : `${c.action === 'deleted' ? 'delete' : 'save'} refused`}</Pill>
                      {c.error && <div className="muted small">{c.error}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </Card>
  );
}

/** Who decided an approval, and how, in words. */
function approvalSummary(a: Approval): string {
  if (a.via === 'rule') return 'denied by the rule in mcp-config.json';
  if (a.via === 'nobody' || !a.decision) return 'no one could be asked, or no answer came';
  return `${a.decision}, answered by ${a.approver || 'the person asked'} (${a.via})`;
}

function Detail(props: { e: Execution }) {
  const { e } = props;
  return (
    <div className="detail">
      <p className="muted small">
        {new Date(e.time).toLocaleString()} · {e.client || 'unknown client'} · {duration(e.durationMs)}
      </p>
      <h3>{e.language === 'python' ? 'Python code' : 'Code'}</h3>
      <pre className="output">{e.code}</pre>
      {e.error && (
        <>
          <h3>Error · {e.errorType}</h3>
          <pre className="output output-error">{e.error}</pre>
        </>
      )}
      {e.stdout && (
        <>
          <h3>Output</h3>
          <pre className="output">{e.stdout}</pre>
        </>
      )}
      {e.stderr && (
        <>
          <h3>Error output</h3>
          <pre className="output output-logs">{e.stderr}</pre>
        </>
      )}
      {e.toolCalls > 0 && e.calls.length === 0 && <p className="muted small">{e.toolCalls} tool calls (not listed one by one).</p>}
      {e.calls.length > 0 && (
        <>
          <h3>Tool calls</h3>
          <ToolCalls calls={e.calls} />
        </>
      )}
      {e.approvals.length > 0 && (
        <>
          <h3>Approvals</h3>
          <ul className="plain-list">
            {e.approvals.map((a, i) => (
              <li key={i}>
                <span className="mono break-anywhere">
                  {a.server}.{a.tool}
                </span>
                <span className="row-tight">
                  {a.allowed ? <Pill tone="ok">Allowed</Pill> : <Pill tone="bad">Denied</Pill>}
                  <span className="muted small">{approvalSummary(a)}</span>
                </span>
                {!a.allowed && a.reason && <span className="inline-error">{a.reason}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
