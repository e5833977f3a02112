import { createContext, Fragment, useContext, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { duration } from '../format';
import { isUnavailable } from '../queries';

/** A page's title block. */
export function PageHeader(props: { title: string; subtitle?: string; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle && <p className="subtitle">{props.subtitle}</p>}
      </div>
      {props.actions && <div className="page-actions">{props.actions}</div>}
    </header>
  );
}

/** The user's home folder, which paths show as "~". */
export const UserHome = createContext('');

/**
 * A file path, with the user's home folder as "~" (the whole path is its
 * tooltip), that wraps after its slashes (and anywhere, if it must).
 */
export function PathText(props: { path: string; className?: string }) {
  const home = useContext(UserHome);
  const shown =
    home && (props.path === home || props.path.startsWith(home + '/')) ? '~' + props.path.slice(home.length) : props.path;
  const parts = shown.split(/(?<=[/\\])/);
  return (
    <span className={`mono break-anywhere ${props.className ?? ''}`} title={shown === props.path ? undefined : props.path}>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {p}
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </span>
  );
}

/** A bordered section. */
export function Card(props: { title?: string; aside?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${props.className ?? ''}`}>
      {props.title || props.aside ? (
        <div className="card-head">
          {props.title && <h2>{props.title}</h2>}
          {props.aside}
        </div>
      ) : null}
      {props.children}
    </section>
  );
}

/** A small coloured status label. */
export function Pill(props: { tone: 'ok' | 'warn' | 'bad' | 'muted'; children: ReactNode }) {
  return <span className={`pill pill-${props.tone}`}>{props.children}</span>;
}

/** Says plainly that a service is not there yet; the backend's reason is kept for the curious. */
export function Unavailable(props: { what: string; reason?: string }) {
  return (
    <div className="state state-unavailable" role="status" data-state="unavailable" title={props.reason}>
      <div className="state-icon" aria-hidden>
        <svg viewBox="0 0 24 24" width="20" height="20">
          <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="1.6" strokeDasharray="3 3" />
        </svg>
      </div>
      <div>
        <strong>Not available yet</strong>
        <p>{props.what} will appear here once this part of MCP Conductor is connected.</p>
      </div>
    </div>
  );
}

/** Shows a failed call. */
export function Failure(props: { message: string; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert" data-state="error">
      <div>
        <strong>Something went wrong</strong>
        <p>{props.message}</p>
      </div>
      {props.onRetry && (
        <button className="btn" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** Shows why a call gave no value: not available yet, or its error (with Retry). */
export function ErrorView(props: { what: string; error: Error; onRetry?: () => void }) {
  if (isUnavailable(props.error)) return <Unavailable what={props.what} reason={props.error.message} />;
  return <Failure message={props.error.message} onRetry={props.onRetry} />;
}

/**
 * Renders a query: loading, not available yet, error, or the value. When
 * loading it again failed, the error shows above the value it had, so a
 * form being edited stays.
 */
export function QueryView<T>(props: { what: string; query: UseQueryResult<T>; children: (value: T) => ReactNode }) {
  const q = props.query;
  const retry = () => void q.refetch();
  if (q.status === 'pending') {
    return (
      <div className="state state-loading" data-state="loading">
        Loading…
      </div>
    );
  }
  if (q.status === 'error' && q.data === undefined) return <ErrorView what={props.what} error={q.error} onRetry={retry} />;
  return (
    <>
      {q.status === 'error' && <ErrorView what={props.what} error={q.error} onRetry={retry} />}
      {props.children(q.data as T)}
    </>
  );
}

/** A labelled on/off switch. */
export function Switch(props: {
  checked: boolean;
  disabled?: boolean;
  label: string;
  onChange: (on: boolean) => void;
}) {
  return (
    <label className={`switch ${props.disabled ? 'is-disabled' : ''}`}>
      <input
        type="checkbox"
        role="switch"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span className="switch-track" aria-hidden>
        <span className="switch-thumb" />
      </span>
      <span className="switch-label">{props.label}</span>
    </label>
  );
}

/** MCP tool calls made by a run, with the same words as results. */
export function ToolCalls(props: { calls: { server: string; tool: string; ok: boolean; error?: string; durationMs: number }[] }) {
  return (
    <ul className="plain-list">
      {props.calls.map((c, i) => (
        <li key={i}>
          <span className="mono break-anywhere">
            {c.server}.{c.tool}
          </span>
          <span className="row-tight">
            {c.ok ? <Pill tone="ok">Success</Pill> : <Pill tone="bad">Error</Pill>}
            <span className="muted small">{duration(c.durationMs)}</span>
          </span>
          {!c.ok && c.error && <span className="inline-error">{c.error}</span>}
        </li>
      ))}
    </ul>
  );
}
