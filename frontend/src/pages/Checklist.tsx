import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Card } from '../components/ui';
import { queries } from '../queries';

interface Step {
  id: string;
  done: boolean;
  title: string;
  next: ReactNode;
}

/**
 * The first-run checklist: Deno ready → a folder granted → a client set up →
 * a first run. Each step ticks itself as the engine reports it; the card
 * leaves the Overview once all are done. It reads the same queries as the
 * Overview's cards, so it costs no calls of its own.
 */
export function Checklist() {
  const e = useQuery(queries.engine).data;
  const s = useQuery(queries.settings).data;
  const cs = useQuery(queries.clients).data;
  const rs = useQuery(queries.recentRuns).data;
  if (!e || !s || !cs || !rs) return null; // no made-up ticks while the backend is not there

  const steps: Step[] = [
    {
      id: 'deno',
      done: e.running,
      title: 'Deno is ready',
      next: <span>Install Deno in the card below.</span>,
    },
    {
      id: 'folder',
      done: (s.effective.flags ?? []).some((f) => /^--allow-(read|write)\b/.test(f)),
      title: 'A folder is shared',
      next: <a href="#/permissions">Grant a folder</a>,
    },
    {
      id: 'client',
      done: cs.some((c) => c.state === 'registered' || c.state === 'registered-but-different'),
      title: 'An AI client is set up',
      next: <a href="#/clients">Set up a client</a>,
    },
    {
      id: 'run',
      done: rs.length > 0,
      title: 'Code has run',
      next: <a href="#/playground">Try the Playground</a>,
    },
  ];
  const done = steps.filter((s) => s.done).length;
  if (done === steps.length) return null;
  return (
    <Card title="Getting started" aside={<span className="muted small">{done} of {steps.length} done</span>}>
      <ol className="checklist" data-testid="checklist">
        {steps.map((s) => (
          <li key={s.id} data-step={s.id} data-done={s.done} className={s.done ? 'done' : ''}>
            <span className="check-mark" aria-hidden>
              {s.done ? '✓' : ''}
            </span>
            <span className="check-title">
              {s.title}
              <span className="visually-hidden">{s.done ? ' (done)' : ' (to do)'}</span>
            </span>
            {!s.done && <span className="check-next">{s.next}</span>}
          </li>
        ))}
      </ol>
    </Card>
  );
}
